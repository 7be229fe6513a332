//! Lists: events on a date or a day of the year, the timeline, search results and suggestions,
//! with their page buttons.

use super::{kind_label, notice, quote_input, SourceList, COLOR_LIST, COLOR_NOTICE, PAGE_SIZE};
use crate::answers::buttons::Action;
use crate::dates::HistDate;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Entry, Event, KnowledgeBase};
use crate::reply::{shorten, Button, ButtonStyle, Embed, Reply};
use crate::search::Hit;

/// The first sentence of a text, within `max` characters.
fn first_sentence(text: &str, max: usize) -> String {
    let end = text
        .char_indices()
        .find(|(i, c)| *c == '.' && text[i + 1..].starts_with(' ') && *i > 20)
        .map(|(i, _)| i + 1)
        .unwrap_or(text.len());
    shorten(&text[..end], max)
}

/// A numbered list of events with a button for each and page buttons.
pub fn event_list(
    kb: &KnowledgeBase,
    title: &str,
    events: &[&Event],
    page: usize,
    page_id: impl Fn(usize) -> String,
    locale: Locale,
) -> Reply {
    let pages = events.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages - 1);
    let shown = &events[page * PAGE_SIZE..((page + 1) * PAGE_SIZE).min(events.len())];
    // Every event with the first sentence of its summary and its sources, numbered across the
    // page, so a list is as checkable as a card.
    let mut source_ids: Vec<&str> = Vec::new();
    for e in shown {
        for id in kb.get(&e.id).map(Entry::source_ids).unwrap_or_default() {
            if !source_ids.contains(&id) {
                source_ids.push(id);
            }
        }
    }
    let sources = SourceList { ids: source_ids };
    let lines: Vec<String> = shown
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut numbers: Vec<usize> = kb
                .get(&e.id)
                .map(Entry::source_ids)
                .unwrap_or_default()
                .iter()
                .filter_map(|id| sources.ids.iter().position(|s| s == id))
                .collect();
            numbers.sort_unstable();
            let marks: String = numbers.iter().map(|n| format!("[{}]", n + 1)).collect();
            format!(
                "{}. **{}** — {} {marks}\n{}",
                page * PAGE_SIZE + i + 1,
                super::event_date_text(e, locale),
                e.name.get(locale),
                first_sentence(e.summary.get(locale), 160)
            )
        })
        .collect();
    let mut embed = Embed {
        title: Some(title.to_string()),
        description: Some(lines.join("\n")),
        color: Some(COLOR_LIST),
        ..Default::default()
    }
    .field(ui(locale, Ui::Sources), sources.field(kb), false);
    if pages > 1 {
        embed.footer = Some(format!("{} {}/{pages}", ui(locale, Ui::Page), page + 1));
    }
    let buttons: Vec<Button> = shown
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Button::new(
                format!("{}. {}", page * PAGE_SIZE + i + 1, e.name.get(locale)),
                Action::Open(e.id.clone()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect();
    Reply::embed(embed)
        .with_buttons(buttons)
        .with_row(page_buttons(page, pages, page_id))
}

fn page_buttons(page: usize, pages: usize, page_id: impl Fn(usize) -> String) -> Vec<Button> {
    if pages <= 1 {
        return Vec::new();
    }
    let mut prev = Button::new("◀", page_id(page.saturating_sub(1)), ButtonStyle::Primary);
    prev.disabled = page == 0;
    let mut next = Button::new(
        "▶",
        page_id((page + 1).min(pages - 1)),
        ButtonStyle::Primary,
    );
    next.disabled = page + 1 >= pages;
    if prev.custom_id == next.custom_id {
        next.custom_id.push_str(":x");
    }
    vec![prev, next]
}

pub fn nothing_on_date(kb: &KnowledgeBase, date: &HistDate, locale: Locale) -> Reply {
    let (before, after) = kb.nearest_events(date);
    let mut lines = vec![format!(
        "{} {}.",
        ui(locale, Ui::NothingOnDate),
        date.display(locale)
    )];
    let mut buttons = Vec::new();
    for (label, e) in [(Ui::NearestBefore, before), (Ui::NearestAfter, after)] {
        if let Some(e) = e {
            lines.push(format!(
                "{}: **{}** — {}",
                ui(locale, label),
                super::event_date_text(e, locale),
                e.name.get(locale)
            ));
            buttons.push(Button::new(
                e.name.get(locale),
                Action::Open(e.id.clone()).custom_id(),
                ButtonStyle::Secondary,
            ));
        }
    }
    let mut reply = notice(&lines.join("\n"), locale);
    reply.rows.push(buttons);
    reply
}

pub fn did_you_mean(kb: &KnowledgeBase, query: &str, hits: &[Hit], locale: Locale) -> Reply {
    let lines: Vec<String> = hits
        .iter()
        .take(5)
        .map(|h| {
            let e = kb.entry(h.entry);
            match e {
                Entry::Event(ev) => {
                    format!(
                        "• {} ({})",
                        e.name(locale),
                        super::event_date_text(ev, locale)
                    )
                }
                _ => format!("• {}", e.name(locale)),
            }
        })
        .collect();
    let text = format!(
        "`{}`: {}\n{}",
        quote_input(query),
        ui(locale, Ui::DidYouMean),
        lines.join("\n")
    );
    let buttons: Vec<Button> = hits
        .iter()
        .take(5)
        .map(|h| {
            let e = kb.entry(h.entry);
            Button::new(
                e.name(locale),
                Action::Open(e.id().to_string()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect();
    notice(&text, locale).with_row(buttons)
}

pub fn no_match(kb: &KnowledgeBase, query: &str, nearest: Option<&Hit>, locale: Locale) -> Reply {
    let mut text = format!("{} `{}`.", ui(locale, Ui::NoMatch), quote_input(query));
    let mut row = Vec::new();
    if let Some(h) = nearest {
        let e = kb.entry(h.entry);
        text.push_str(&format!(
            "\n{}: **{}**.",
            ui(locale, Ui::NearestSuggestion),
            e.name(locale)
        ));
        row.push(Button::new(
            e.name(locale),
            Action::Open(e.id().to_string()).custom_id(),
            ButtonStyle::Secondary,
        ));
    }
    notice(&text, locale).with_row(row)
}

pub fn search_results(kb: &KnowledgeBase, query: &str, hits: &[Hit], locale: Locale) -> Reply {
    let lines: Vec<String> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let e = kb.entry(h.entry);
            format!(
                "{}. **{}** · {}",
                i + 1,
                e.name(locale),
                kind_label(e, locale).to_lowercase()
            )
        })
        .collect();
    let embed = Embed {
        title: Some(format!(
            "{} “{}”",
            ui(locale, Ui::SearchResults),
            quote_input(query)
        )),
        description: Some(lines.join("\n")),
        color: Some(COLOR_LIST),
        ..Default::default()
    };
    let buttons: Vec<Button> = hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let e = kb.entry(h.entry);
            Button::new(
                format!("{}. {}", i + 1, e.name(locale)),
                Action::Open(e.id().to_string()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect();
    Reply::embed(embed).with_buttons(buttons)
}

fn day_of_year_label(month: u8, day: u8, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{day} {}", crate::dates::EN_MONTHS[month as usize - 1]),
        Locale::Pl => format!(
            "{day} {}",
            crate::dates::PL_MONTHS_GENITIVE[month as usize - 1]
        ),
    }
}

pub fn anniversaries(kb: &KnowledgeBase, month: u8, day: u8, page: usize, locale: Locale) -> Reply {
    let events = kb.anniversaries(month, day);
    let title = format!(
        "{}: {}",
        ui(locale, Ui::OnThisDay),
        day_of_year_label(month, day, locale)
    );
    if events.is_empty() {
        let mut text = ui(locale, Ui::OnThisDayNone).to_string();
        let mut row = Vec::new();
        if let Some((e, m, d)) = kb.next_anniversary(month, day) {
            text.push_str(&format!(
                "\n{}: **{}** — {} ({})",
                ui(locale, Ui::OnThisDayNext),
                day_of_year_label(m, d, locale),
                e.name.get(locale),
                super::event_date_text(e, locale)
            ));
            row.push(Button::new(
                e.name.get(locale),
                Action::Open(e.id.clone()).custom_id(),
                ButtonStyle::Secondary,
            ));
        }
        // An empty day is an answer, not an error: public like any other.
        let embed = Embed {
            title: Some(title),
            description: Some(text),
            color: Some(COLOR_LIST),
            ..Default::default()
        };
        return Reply::embed(embed).with_row(row);
    }
    event_list(
        kb,
        &title,
        &events,
        page,
        |p| {
            Action::Anniversary {
                month,
                day,
                page: p,
            }
            .custom_id()
        },
        locale,
    )
}

pub fn timeline_page(
    kb: &KnowledgeBase,
    from: Option<HistDate>,
    to: Option<HistDate>,
    page: usize,
    locale: Locale,
) -> Reply {
    let mut events: Vec<&Event> = kb
        .timeline()
        .filter(|e| {
            from.is_none_or(|f| e.date.last_day() >= f.first_day())
                && to.is_none_or(|t| e.date.first_day() <= t.last_day())
        })
        .collect();
    // A short span (a day, a week, a month) starts with what happened in it, then what ran through
    // it, the most precise first: a year-long entry is the least telling answer about one day.
    if let (Some(f), Some(t)) = (from, to) {
        if t.last_day() - f.first_day() <= 31 {
            let span = crate::dates::HistDate {
                start: f.start,
                end: t.end,
            };
            events = kb.events_on(&span);
        }
    }
    let range = match (from, to) {
        (Some(f), Some(t)) => format!(": {} – {}", f.display(locale), t.display(locale)),
        (Some(f), None) => format!(": {} –", f.display(locale)),
        (None, Some(t)) => format!(": – {}", t.display(locale)),
        (None, None) => String::new(),
    };
    let title = format!("{}{range}", ui(locale, Ui::Timeline));
    if events.is_empty() {
        let embed = Embed {
            title: Some(title),
            description: Some(ui(locale, Ui::TimelineEmpty).into()),
            color: Some(COLOR_NOTICE),
            ..Default::default()
        };
        return Reply::embed(embed).ephemeral();
    }
    event_list(
        kb,
        &title,
        &events,
        page,
        |p| Action::Timeline { from, to, page: p }.custom_id(),
        locale,
    )
}
