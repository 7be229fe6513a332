//! `/admin reports`: a server's open reports, five a page, each with a button to mark it
//! resolved, and Previous/Next when there is more than one page.

use serde_json::Value;

use super::{failed, page_id, pick, quote, resolve_id};
use crate::discord::payload;
use crate::discord::service::Services;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::KnowledgeBase;
use crate::ops::Outcome;
use crate::reply::{Button, ButtonStyle, Embed, Reply, Response};
use crate::store::Report;
use crate::text::{escape_markdown, shorten};

/// Open reports per page of `/admin reports`: one "mark resolved" button each, in one row.
pub const PER_PAGE: usize = 5;

const COLOR: u32 = 0xEF4444;

/// A page of the server's open reports: a new ephemeral message (`/admin reports`) or the list
/// updated in place (its buttons). `note` says what a press just did.
pub async fn list(
    services: &Services,
    kb: &KnowledgeBase,
    guild: u64,
    page: usize,
    locale: Locale,
    note: Option<String>,
    update: bool,
) -> (Value, Outcome) {
    let reports = &services.reports;
    let total = match reports.call(move |s| s.count_open(guild)).await {
        Ok(n) => n,
        Err(e) => return failed(locale, &e),
    };
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.min(pages - 1);
    let shown = match reports
        .call(move |s| s.open_reports(guild, page * PER_PAGE, PER_PAGE))
        .await
    {
        Ok(shown) => shown,
        Err(e) => return failed(locale, &e),
    };
    let reply = page_reply(kb, &shown, total, page, locale, note);
    let response = if update {
        Response::Update(reply)
    } else {
        Response::Message(reply)
    };
    (payload::callback_body(&response), Outcome::Answered)
}

/// The list as a message: one field per report, a "mark resolved" button each, and the pages.
pub fn page_reply(
    kb: &KnowledgeBase,
    shown: &[Report],
    total: usize,
    page: usize,
    locale: Locale,
    note: Option<String>,
) -> Reply {
    if shown.is_empty() {
        let empty = pick(
            locale,
            "No open reports on this server.",
            "Brak otwartych zgłoszeń na tym serwerze.",
        );
        return Reply {
            content: Some(match note {
                Some(note) => format!("{note}\n{empty}"),
                None => empty,
            }),
            ephemeral: true,
            ..Default::default()
        }
        .fit();
    }
    let pages = total.div_ceil(PER_PAGE).max(1);
    let mut embed = Embed {
        title: Some(pick(
            locale,
            &format!("Open reports on this server ({total})"),
            &format!("Otwarte zgłoszenia na tym serwerze ({total})"),
        )),
        color: Some(COLOR),
        footer: Some(format!("{} {}/{pages}", ui(locale, Ui::Page), page + 1)),
        ..Default::default()
    };
    for r in shown {
        let name = kb
            .get(&r.entry_id)
            .map_or(r.entry_id.as_str(), |e| e.name(locale));
        let mut value = format!(
            "<@{}> · <t:{}:f> · {}\n{}",
            r.reporter,
            r.created_at / 1000,
            r.locale.code(),
            shorten(&quote(&escape_markdown(&r.text)), 600)
        );
        if let Some(source) = &r.source {
            value.push_str(&format!(
                "\n{}: {}",
                ui(locale, Ui::Source),
                shorten(&escape_markdown(source), 250)
            ));
        }
        embed = embed.field(
            format!("#{} · {} (`{}`)", r.id, name, r.entry_id),
            value,
            false,
        );
    }
    let resolve: Vec<Button> = shown
        .iter()
        .map(|r| {
            Button::new(
                pick(
                    locale,
                    &format!("✓ Mark #{} resolved", r.id),
                    &format!("✓ Nr {} rozwiązane", r.id),
                ),
                resolve_id(r.id, page),
                ButtonStyle::Success,
            )
        })
        .collect();
    let mut reply = Reply {
        content: note,
        ephemeral: true,
        ..Reply::embed(embed)
    }
    .with_row(resolve);
    if pages > 1 {
        let mut previous = Button::new(
            format!("◀ {}", ui(locale, Ui::Previous)),
            page_id(page.saturating_sub(1)),
            ButtonStyle::Primary,
        );
        previous.disabled = page == 0;
        let mut next = Button::new(
            format!("{} ▶", ui(locale, Ui::Next)),
            page_id(page + 1),
            ButtonStyle::Primary,
        );
        next.disabled = page + 1 >= pages;
        reply = reply.with_row(vec![previous, next]);
    }
    reply.fit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discord::reports::{MAX_SOURCE, MAX_TEXT};
    use crate::reply::{MAX_EMBED_TOTAL, MAX_FIELD_VALUE};

    #[test]
    fn a_full_page_of_the_longest_reports_keeps_every_report_within_discords_limits() {
        let kb = KnowledgeBase::new(Vec::new());
        let reports: Vec<Report> = (1..=PER_PAGE as u64)
            .map(|id| Report {
                id,
                entry_id: "e".repeat(40),
                reporter: u64::MAX,
                reporter_name: "n".into(),
                guild: Some(1),
                locale: Locale::En,
                // Escaping doubles it, and every other character is a new line.
                text: "*\n".repeat(MAX_TEXT / 2),
                source: Some("_".repeat(MAX_SOURCE)),
                created_at: u64::MAX / 2,
                resolved_at: None,
                resolved_by: None,
            })
            .collect();
        let reply = page_reply(&kb, &reports, 12, 1, Locale::Pl, Some("note".into()));
        let embed = &reply.embeds[0];
        assert_eq!(embed.fields.len(), PER_PAGE, "no report dropped to fit");
        assert!(embed.char_count() <= MAX_EMBED_TOTAL);
        for f in &embed.fields {
            assert!(f.value.chars().count() <= MAX_FIELD_VALUE, "{}", f.value);
        }
        assert_eq!(reply.rows.len(), 2);
        assert_eq!(reply.rows[0].len(), PER_PAGE);
        assert!(reply.ephemeral);
    }
}
