//! "Report an error": the card's button opens a form, the form's submission is stored and
//! confirmed privately, and `/admin reports` lists a server's open reports with a button to mark
//! each resolved.
//!
//! Every custom_id carries what it needs (stateless, works after a restart): `e:<entry>` the card's
//! button (see `answers::buttons`), `rm:<entry>` the form, `rp:<page>` a page of the list,
//! `rr:<report>:<page>` "mark resolved". Each press on the list checks Manage Server again. What a
//! reporter typed is stored as typed and escaped wherever it is shown; every body is sent with
//! mentions off. A reporter may send [`LIMITS`] reports, counted from the store. The
//! list's pages are built in [`list`].

use std::time::Instant;

use serde_json::Value;
use serenity::all::{ActionRowComponent, Http, Interaction, InteractionId, Member, User};
use tracing::{error, info, info_span, Instrument};

use super::interactions::ErrorId;
use super::payload;
use super::service::Services;
use crate::answers::buttons::Action;
use crate::clock::{Clock, SystemClock};
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::KnowledgeBase;
use crate::ops::Outcome;
use crate::reply::{InputStyle, Modal, TextInput};
use crate::store::{Added, NewReport, Resolved, LIMITS};

mod list;

use crate::text::{escape_markdown, shorten};
pub use list::{list, page_reply, PER_PAGE};

/// The longest "what is wrong" and "source" the form takes.
pub const MAX_TEXT: usize = 1000;
pub const MAX_SOURCE: usize = 200;
/// The form's text inputs.
pub const TEXT_INPUT: &str = "what";
pub const SOURCE_INPUT: &str = "source";

/// What a report interaction asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportAsked {
    /// The card's button: open the form for an entry.
    Open { entry: String },
    /// The form, sent.
    Submit {
        entry: String,
        text: String,
        source: String,
    },
    /// A page of the server's open reports.
    Page(usize),
    /// Mark a report resolved, then show `page` again.
    Resolve { id: u64, page: usize },
}

/// The custom_id of the form for `entry`.
pub fn modal_id(entry: &str) -> String {
    format!("rm:{entry}")
}

pub fn page_id(page: usize) -> String {
    format!("rp:{page}")
}

pub fn resolve_id(id: u64, page: usize) -> String {
    format!("rr:{id}:{page}")
}

impl ReportAsked {
    /// A report button or the report form; `None` for every other custom_id.
    pub fn parse(custom_id: &str, fields: &[(String, String)]) -> Option<ReportAsked> {
        let number = |s: &str| s.parse::<u64>().ok().filter(|n| *n < 1 << 53);
        let (tag, rest) = custom_id.split_once(':')?;
        match tag {
            "e" => match Action::parse(custom_id)? {
                Action::Report(entry) => Some(ReportAsked::Open { entry }),
                _ => None,
            },
            "rm" => {
                // The same rule as the card's button: an entry id is what `e:` accepts.
                let Action::Report(entry) = Action::parse(&format!("e:{rest}"))? else {
                    return None;
                };
                let field = |name: &str| {
                    fields
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                Some(ReportAsked::Submit {
                    entry,
                    text: field(TEXT_INPUT),
                    source: field(SOURCE_INPUT),
                })
            }
            "rp" => Some(ReportAsked::Page(number(rest)? as usize)),
            "rr" => {
                let (id, page) = rest.split_once(':')?;
                Some(ReportAsked::Resolve {
                    id: number(id)?,
                    page: number(page)? as usize,
                })
            }
            _ => None,
        }
    }
}

/// Who pressed or sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub user: u64,
    pub name: String,
    pub guild: Option<u64>,
    pub permissions: Option<u64>,
    pub locale: Locale,
}

/// A report interaction, out of serenity's model.
pub struct ReportInteraction {
    pub id: InteractionId,
    pub token: String,
    pub who: Reporter,
    pub asked: ReportAsked,
}

fn reporter(
    user: &User,
    member: Option<&Member>,
    guild: Option<u64>,
    locale: &str,
    guild_locale: Option<&str>,
) -> Reporter {
    Reporter {
        user: user.id.get(),
        name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
        guild,
        permissions: member.and_then(|m| m.permissions).map(|p| p.bits()),
        locale: Locale::pick(Some(locale), guild_locale),
    }
}

impl ReportInteraction {
    /// A report button, the report form or the list's buttons; `None` for anything else.
    pub fn from_interaction(interaction: &Interaction) -> Option<ReportInteraction> {
        match interaction {
            Interaction::Component(c) => Some(ReportInteraction {
                asked: ReportAsked::parse(&c.data.custom_id, &[])?,
                id: c.id,
                token: c.token.clone(),
                who: reporter(
                    &c.user,
                    c.member.as_ref(),
                    c.guild_id.map(|g| g.get()),
                    &c.locale,
                    c.guild_locale.as_deref(),
                ),
            }),
            Interaction::Modal(m) => {
                let fields: Vec<(String, String)> = m
                    .data
                    .components
                    .iter()
                    .flat_map(|row| row.components.iter())
                    .filter_map(|c| match c {
                        ActionRowComponent::InputText(t) => {
                            Some((t.custom_id.clone(), t.value.clone().unwrap_or_default()))
                        }
                        _ => None,
                    })
                    .collect();
                Some(ReportInteraction {
                    asked: ReportAsked::parse(&m.data.custom_id, &fields)?,
                    id: m.id,
                    token: m.token.clone(),
                    who: reporter(
                        &m.user,
                        m.member.as_ref(),
                        m.guild_id.map(|g| g.get()),
                        &m.locale,
                        m.guild_locale.as_deref(),
                    ),
                })
            }
            _ => None,
        }
    }

    fn label(&self) -> &'static str {
        match self.asked {
            ReportAsked::Open { .. } => "report button",
            ReportAsked::Submit { .. } => "report form",
            ReportAsked::Page(_) => "reports page",
            ReportAsked::Resolve { .. } => "report resolved",
        }
    }
}

/// Answer a report interaction, send the answer, count it: as any other interaction.
pub async fn serve(
    services: &Services,
    rest: &crate::discord::rest::Rest,
    http: &Http,
    asked: ReportInteraction,
    received: Instant,
) {
    let Some(_in_flight) = services.flight.enter() else {
        info!(id = %asked.id, "stopping: not taking this interaction");
        return;
    };
    let span = info_span!(
        "interaction",
        id = %asked.id,
        kind = "report",
        command = asked.label(),
        guild = asked.who.guild,
        locale = asked.who.locale.code(),
        latency_us = tracing::field::Empty,
    );
    async {
        let kb = services.live.get();
        let (body, mut outcome) =
            answer(services, &kb, &SystemClock, &asked.who, &asked.asked).await;
        let sent = rest
            .callback(http, asked.id, &asked.token, &body, received)
            .await;
        let took = received.elapsed();
        tracing::Span::current().record("latency_us", took.as_micros() as u64);
        match sent {
            Ok(()) => info!(callback = body["type"].as_u64().unwrap_or(0), "answered"),
            Err(e) => {
                outcome = Outcome::Failed;
                let id = ErrorId::new();
                error!(error_id = %id, error = %e, "sending the answer to Discord failed");
            }
        }
        services.ops.metrics.interaction("report", outcome, took);
    }
    .instrument(span)
    .await
}

fn pick(locale: Locale, en: &str, pl: &str) -> String {
    match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    }
}

/// One ephemeral line (type 4).
fn line(text: String) -> Value {
    crate::discord::interactions::notice_body(text)
}

fn failed(locale: Locale, e: &dyn std::fmt::Display) -> (Value, Outcome) {
    (line(failed_line(locale, e)), Outcome::Failed)
}

/// The store failed: logged with an id, and one calm line quoting it.
fn failed_line(locale: Locale, e: &dyn std::fmt::Display) -> String {
    let id = ErrorId::new();
    error!(error_id = %id, error = %e, "the report store failed");
    super::interactions::internal_error_line(locale, &id)
}

/// What was typed, as stored: control characters out (line breaks kept), trimmed, bounded.
pub fn clean(s: &str, max: usize, keep_lines: bool) -> String {
    let cleaned: String = s
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' if keep_lines => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    cleaned.trim().chars().take(max).collect()
}

/// The refusal of a reporter who reached a limit; what they typed is shown back, so it is not lost.
fn limited_line(retry_at: u64, typed: Option<&str>, locale: Locale) -> String {
    let when = format!("<t:{}:R>", retry_at.div_ceil(1000));
    let mut text = pick(
        locale,
        &format!("Thank you for the reports! You have sent several in a short time, so I can take the next one {when}."),
        &format!("Dziękuję za zgłoszenia! Wysłano ich sporo w krótkim czasie, więc następne przyjmę {when}."),
    );
    text.push_str(&given_back(typed, locale));
    text
}

/// What the reporter typed, shown back to them when it could not be stored.
fn given_back(typed: Option<&str>, locale: Locale) -> String {
    match typed.filter(|t| !t.trim().is_empty()) {
        Some(typed) => format!(
            "{}{}",
            pick(
                locale,
                "\nHere is what you wrote, to send again later:\n",
                "\nOto, co napisano, by wysłać to później:\n",
            ),
            quote(&escape_markdown(typed))
        ),
        None => String::new(),
    }
}

/// Text as a block quote, line by line.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The form for reporting an error in `entry`.
pub fn report_modal(entry: &str, name: &str, locale: Locale) -> Modal {
    Modal {
        custom_id: modal_id(entry),
        title: shorten(&format!("{}: {name}", ui(locale, Ui::ReportError)), 45),
        inputs: vec![
            TextInput {
                custom_id: TEXT_INPUT.into(),
                label: pick(locale, "What is wrong?", "Co jest nie tak?"),
                style: InputStyle::Paragraph,
                placeholder: pick(
                    locale,
                    "E.g. the date, a number or a name, and what it should be",
                    "Np. data, liczba albo nazwa, i jak powinno być",
                ),
                required: true,
                max_length: MAX_TEXT,
            },
            TextInput {
                custom_id: SOURCE_INPUT.into(),
                label: pick(
                    locale,
                    "A source that says otherwise (optional)",
                    "Źródło, które podaje inaczej (opcjonalnie)",
                ),
                style: InputStyle::Short,
                placeholder: pick(locale, "Author, title, page", "Autor, tytuł, strona"),
                required: false,
                max_length: MAX_SOURCE,
            },
        ],
    }
}

/// The callback body that answers `asked`, and how it went.
pub async fn answer(
    services: &Services,
    kb: &KnowledgeBase,
    clock: &dyn Clock,
    who: &Reporter,
    asked: &ReportAsked,
) -> (Value, Outcome) {
    let locale = who.locale;
    let reports = &services.reports;
    match asked {
        ReportAsked::Open { entry } => {
            let Some(found) = kb.get(entry) else {
                return (line(ui(locale, Ui::GoneEntry).into()), Outcome::UserError);
            };
            // Refuse before the form opens, so nobody types a report that would be refused.
            let (user, now) = (who.user, clock.now_ms());
            match reports
                .call(move |s| s.limited_until(user, now, &LIMITS))
                .await
            {
                Ok(Some(retry_at)) => (
                    line(limited_line(retry_at, None, locale)),
                    Outcome::UserError,
                ),
                Ok(None) => (
                    payload::modal_body(&report_modal(entry, found.name(locale), locale)),
                    Outcome::Answered,
                ),
                Err(e) => failed(locale, &e),
            }
        }
        ReportAsked::Submit {
            entry,
            text,
            source,
        } => {
            let text = clean(text, MAX_TEXT, true);
            let source = clean(source, MAX_SOURCE, false);
            if text.is_empty() {
                return (
                    line(pick(
                        locale,
                        "Please say what is wrong, then send the form again.",
                        "Napisz, co jest nie tak, i wyślij formularz ponownie.",
                    )),
                    Outcome::UserError,
                );
            }
            let new = NewReport {
                entry_id: entry.clone(),
                reporter: who.user,
                reporter_name: clean(&who.name, 100, false),
                guild: who.guild,
                locale,
                text: text.clone(),
                source: (!source.is_empty()).then_some(source),
                created_at: clock.now_ms(),
            };
            match reports.call(move |s| s.add_report(&new, &LIMITS)).await {
                Ok(Added::Stored(id)) => {
                    info!(report = id, entry = %entry, "stored a report of an error");
                    let name = kb
                        .get(entry)
                        .map_or(entry.as_str(), |e| e.name(locale))
                        .to_string();
                    (
                        line(pick(
                            locale,
                            &format!("Thank you! Your report #{id} about **{}** is stored; whoever looks after Clio's knowledge will check it against the sources.", escape_markdown(&name)),
                            &format!("Dziękuję! Zgłoszenie nr {id} dotyczące **{}** zostało zapisane; osoba dbająca o wiedzę Clio sprawdzi je w źródłach.", escape_markdown(&name)),
                        )),
                        Outcome::Answered,
                    )
                }
                Ok(Added::Limited { retry_at }) => (
                    line(limited_line(retry_at, Some(&text), locale)),
                    Outcome::UserError,
                ),
                Err(e) => (
                    line(failed_line(locale, &e) + &given_back(Some(&text), locale)),
                    Outcome::Failed,
                ),
            }
        }
        ReportAsked::Page(page) => match manager_guild(who) {
            Err(refusal) => (line(refusal), Outcome::UserError),
            Ok(guild) => list(services, kb, guild, *page, locale, None, true).await,
        },
        ReportAsked::Resolve { id, page } => {
            let guild = match manager_guild(who) {
                Err(refusal) => return (line(refusal), Outcome::UserError),
                Ok(guild) => guild,
            };
            let (id, by, at) = (*id, who.user, clock.now_ms());
            let note = match reports
                .call(move |s| s.resolve_report(id, guild, by, at))
                .await
            {
                Ok(Resolved::Done) => {
                    info!(report = id, "marked a report resolved");
                    pick(
                        locale,
                        &format!("Report #{id} marked resolved."),
                        &format!("Zgłoszenie nr {id} oznaczono jako rozwiązane."),
                    )
                }
                Ok(Resolved::Already { by, .. }) => pick(
                    locale,
                    &format!("Report #{id} was already marked resolved by <@{by}>."),
                    &format!(
                        "Zgłoszenie nr {id} zostało już oznaczone jako rozwiązane przez <@{by}>."
                    ),
                ),
                Ok(Resolved::NotFound) => pick(
                    locale,
                    &format!("Report #{id} is not among this server's reports."),
                    &format!("Zgłoszenia nr {id} nie ma wśród zgłoszeń tego serwera."),
                ),
                Err(e) => return failed(locale, &e),
            };
            list(services, kb, guild, *page, locale, Some(note), true).await
        }
    }
}

/// The server, if the member may manage it; otherwise the kind refusal.
fn manager_guild(who: &Reporter) -> Result<u64, String> {
    let Some(guild) = who.guild else {
        return Err(pick(
            who.locale,
            "This works in a server only.",
            "To działa tylko na serwerze.",
        ));
    };
    if !super::permissions::can_manage(who.permissions) {
        return Err(pick(
            who.locale,
            "Only members with the Manage Server permission can do this.",
            "To mogą zrobić tylko osoby z uprawnieniem Zarządzanie serwerem.",
        ));
    }
    Ok(guild)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Report;
    use crate::store::{ReportStore, Reports, SqliteStore, StoreError};

    #[test]
    fn every_report_custom_id_reads_back_and_others_are_not_reports() {
        let fields = vec![
            (TEXT_INPUT.to_string(), "wrong".to_string()),
            (SOURCE_INPUT.to_string(), "a book".to_string()),
        ];
        assert_eq!(
            ReportAsked::parse(&Action::Report("battle-of-bzura".into()).custom_id(), &[]),
            Some(ReportAsked::Open {
                entry: "battle-of-bzura".into()
            })
        );
        assert_eq!(
            ReportAsked::parse(&modal_id("battle-of-bzura"), &fields),
            Some(ReportAsked::Submit {
                entry: "battle-of-bzura".into(),
                text: "wrong".into(),
                source: "a book".into()
            })
        );
        assert_eq!(
            ReportAsked::parse(&page_id(3), &[]),
            Some(ReportAsked::Page(3))
        );
        assert_eq!(
            ReportAsked::parse(&resolve_id(12, 2), &[]),
            Some(ReportAsked::Resolve { id: 12, page: 2 })
        );
        for other in [
            "s:battle-of-bzura",
            "r:any",
            "q:m:1:2",
            "rm:Not An Id",
            "rp:-1",
            "rr:12",
            "rr:x:0",
            "e:",
        ] {
            assert_eq!(ReportAsked::parse(other, &fields), None, "{other}");
        }
    }

    #[test]
    fn what_was_typed_keeps_its_lines_loses_control_characters_and_is_bounded() {
        assert_eq!(clean("  a\r\nb\u{7}c\t ", 100, true), "a\nb c");
        assert_eq!(clean("a\nb", 100, false), "a b");
        assert_eq!(
            clean(&"x".repeat(1500), MAX_TEXT, true).chars().count(),
            MAX_TEXT
        );
    }

    /// A store that fails every call, as a full disk would.
    struct Broken;

    impl crate::store::ReportStore for Broken {
        fn add_report(
            &self,
            _: &NewReport,
            _: &[crate::store::Limit],
        ) -> Result<Added, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
        fn limited_until(
            &self,
            _: u64,
            _: u64,
            _: &[crate::store::Limit],
        ) -> Result<Option<u64>, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
        fn open_reports(&self, _: u64, _: usize, _: usize) -> Result<Vec<Report>, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
        fn count_open(&self, _: u64) -> Result<usize, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
        fn resolve_report(&self, _: u64, _: u64, _: u64, _: u64) -> Result<Resolved, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
        fn all_reports(&self, _: bool) -> Result<Vec<Report>, StoreError> {
            Err(StoreError::Database("disk full".into()))
        }
    }

    fn services(reports: Reports) -> Services {
        let db = std::sync::Arc::new(SqliteStore::in_memory().unwrap());
        Services::new(
            crate::knowledge::LiveKnowledge::new(
                "no-knowledge-dir",
                KnowledgeBase::new(Vec::new()),
            ),
            crate::store::Settings::new(db),
            reports,
        )
    }

    fn ada() -> Reporter {
        Reporter {
            user: 1,
            name: "Ada".into(),
            guild: Some(2),
            permissions: Some(0),
            locale: Locale::En,
        }
    }

    #[tokio::test]
    async fn a_report_the_store_cannot_keep_is_given_back_to_its_reporter() {
        let services = services(Reports::new(std::sync::Arc::new(Broken)));
        let asked = ReportAsked::Submit {
            entry: "battle-of-bzura".into(),
            text: "The *date* is wrong".into(),
            source: String::new(),
        };
        let kb = services.live.get();
        let clock = crate::clock::ManualClock::at(5_000);
        let (body, outcome) = answer(&services, &kb, &clock, &ada(), &asked).await;
        assert!(matches!(outcome, Outcome::Failed));
        assert_eq!(body["type"], 4);
        assert_eq!(body["data"]["flags"], 64);
        let said = body["data"]["content"].as_str().unwrap();
        assert!(said.contains(r"> The \*date\* is wrong"), "{said}");
    }

    #[tokio::test]
    async fn a_form_with_only_spaces_is_refused_kindly_and_nothing_is_stored() {
        let db = std::sync::Arc::new(SqliteStore::in_memory().unwrap());
        let services = services(Reports::new(db.clone()));
        let asked = ReportAsked::Submit {
            entry: "battle-of-bzura".into(),
            text: " \n\t ".into(),
            source: "a book".into(),
        };
        let kb = services.live.get();
        let clock = crate::clock::ManualClock::at(5_000);
        for locale in [Locale::En, Locale::Pl] {
            let who = Reporter { locale, ..ada() };
            let (body, outcome) = answer(&services, &kb, &clock, &who, &asked).await;
            assert!(matches!(outcome, Outcome::UserError));
            let said = body["data"]["content"].as_str().unwrap();
            assert!(
                said.contains("what is wrong") || said.contains("co jest nie tak"),
                "{said}"
            );
        }
        assert!(db.all_reports(true).unwrap().is_empty());
    }
}
