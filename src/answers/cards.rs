//! Cards and lists: how entries look in a reply.

use super::buttons::Action;
use crate::dates::HistDate;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Citation, Entry, Event, KnowledgeBase};
use crate::reply::{shorten, Button, ButtonStyle, Embed, Reply};
use crate::search::Hit;

const COLOR_PERSON: u32 = 0x2E86C1;
const COLOR_EVENT: u32 = 0xB03A2E;
const COLOR_TOPIC: u32 = 0x1E8449;
const COLOR_SOURCE: u32 = 0x7D6608;
const COLOR_NOTICE: u32 = 0x95A5A6;
const COLOR_LIST: u32 = 0x6C3483;

/// Items per page in lists (two rows of five buttons).
pub const PAGE_SIZE: usize = 10;

/// User text shown back inside backticks: no backticks or newlines of its own, bounded length.
pub fn quote_input(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    shorten(s.trim(), 100)
}

/// A short ephemeral message: input errors, gone buttons, and the like.
pub fn notice(text: &str, _locale: Locale) -> Reply {
    Reply::embed(Embed {
        description: Some(text.to_string()),
        color: Some(COLOR_NOTICE),
        ..Default::default()
    })
    .ephemeral()
}

fn color(entry: &Entry) -> u32 {
    match entry {
        Entry::Person(_) => COLOR_PERSON,
        Entry::Event(_) => COLOR_EVENT,
        Entry::Topic(_) => COLOR_TOPIC,
        Entry::Source(_) => COLOR_SOURCE,
    }
}

fn kind_label(entry: &Entry, locale: Locale) -> &'static str {
    match entry {
        Entry::Person(_) => ui(locale, Ui::Person),
        Entry::Event(_) => ui(locale, Ui::Event),
        Entry::Topic(_) => ui(locale, Ui::Topic),
        Entry::Source(_) => ui(locale, Ui::Source),
    }
}

fn topic_kind_label(kind: &str, locale: Locale) -> String {
    let pl = match kind {
        "treaty" => "traktat",
        "unit" => "jednostka",
        "place" => "miejsce",
        "organization" => "organizacja",
        "concept" => "pojęcie",
        "document" => "dokument",
        "operation" => "operacja",
        other => other,
    };
    let en = match kind {
        "organization" => "organisation",
        other => other,
    };
    match locale {
        Locale::En => en.to_string(),
        Locale::Pl => pl.to_string(),
    }
}

/// The sources an entry relies on, numbered in the order the card refers to them.
struct SourceList<'a> {
    ids: Vec<&'a str>,
}

impl<'a> SourceList<'a> {
    fn of(entry: &'a Entry) -> Self {
        Self {
            ids: entry.source_ids(),
        }
    }

    fn mark(&self, id: &str) -> String {
        match self.ids.iter().position(|s| *s == id) {
            Some(i) => format!("[{}]", i + 1),
            None => String::new(),
        }
    }

    fn field(&self, kb: &KnowledgeBase) -> String {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, id)| match kb.source(id) {
                Some(s) => {
                    let author = s
                        .author
                        .as_deref()
                        .filter(|a| !a.eq_ignore_ascii_case("unknown"));
                    match author {
                        Some(a) => format!("[{}] {} — {a}", i + 1, s.title),
                        None => format!("[{}] {}", i + 1, s.title),
                    }
                }
                None => format!("[{}] {id}", i + 1),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn names_of(kb: &KnowledgeBase, ids: &[String], locale: Locale) -> String {
    ids.iter()
        .filter_map(|id| kb.get(id))
        .map(|e| e.name(locale).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn text_block(summary: &str, details: Option<&str>) -> String {
    match details {
        Some(d) if !d.trim().is_empty() => format!("{summary}\n\n{d}"),
        _ => summary.to_string(),
    }
}

/// Buttons to the entries a card links to (at most 10: two rows).
fn link_buttons(kb: &KnowledgeBase, entry: &Entry, locale: Locale) -> Vec<Button> {
    entry
        .links()
        .into_iter()
        .filter_map(|id| kb.get(id))
        .take(10)
        .map(|e| {
            Button::new(
                e.name(locale),
                Action::Open(e.id().to_string()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect()
}

fn event_date_line(kb: &KnowledgeBase, e: &Event, sources: &SourceList, locale: Locale) -> String {
    let mut line = e.date.display(locale);
    if e.approximate {
        line = format!("{} ({})", line, ui(locale, Ui::Approximate));
    }
    if !e.disputed_dates.is_empty() {
        let claims: Vec<String> = e
            .disputed_dates
            .iter()
            .map(|c| {
                let title = kb
                    .source(&c.source)
                    .map(|s| s.title.as_str())
                    .unwrap_or(&c.source);
                format!(
                    "• {} {} ({})",
                    c.date.display(locale),
                    sources.mark(&c.source),
                    shorten(title, 60)
                )
            })
            .collect();
        line = format!(
            "{line}\n⚠ {}:\n{}",
            ui(locale, Ui::SourcesDisagree),
            claims.join("\n")
        );
    }
    line
}

/// The card of any entry.
pub fn entry_card(kb: &KnowledgeBase, entry: &Entry, locale: Locale) -> Reply {
    let sources = SourceList::of(entry);
    let mut embed = Embed {
        title: Some(entry.name(locale).to_string()),
        color: Some(color(entry)),
        footer: Some(format!(
            "Clio · {} · {}",
            kind_label(entry, locale),
            entry.id()
        )),
        ..Default::default()
    };
    let mut nav = Vec::new();
    match entry {
        Entry::Event(e) => {
            embed.description = Some(text_block(
                e.summary.get(locale),
                e.details.as_ref().map(|d| d.get(locale)),
            ));
            embed = embed.field(
                ui(locale, Ui::Date),
                event_date_line(kb, e, &sources, locale),
                false,
            );
            embed = embed.field(
                ui(locale, Ui::Places),
                names_of(kb, &e.places, locale),
                true,
            );
            embed = embed.field(
                ui(locale, Ui::People),
                names_of(kb, &e.people, locale),
                true,
            );
            for f in &e.figures {
                let mut lines: Vec<String> = f
                    .values
                    .iter()
                    .map(|v| format!("{} {}", v.value.get(locale), sources.mark(&v.source)))
                    .collect();
                if f.disputed() {
                    lines.push(format!("⚠ {}", ui(locale, Ui::SourcesDisagree)));
                }
                embed = embed.field(f.label.get(locale), lines.join("\n"), true);
            }
            if let Some(o) = &e.outcome {
                embed = embed.field(ui(locale, Ui::Outcome), o.get(locale), false);
            }
            embed = embed.field(
                ui(locale, Ui::Related),
                names_of(kb, &e.related, locale),
                false,
            );
            nav.push(Button::new(
                format!("◀ {}", ui(locale, Ui::Previous)),
                Action::Step {
                    id: e.id.clone(),
                    forward: false,
                }
                .custom_id(),
                ButtonStyle::Primary,
            ));
            nav.push(Button::new(
                format!("{} ▶", ui(locale, Ui::Next)),
                Action::Step {
                    id: e.id.clone(),
                    forward: true,
                }
                .custom_id(),
                ButtonStyle::Primary,
            ));
        }
        Entry::Person(p) => {
            embed.description = Some(text_block(
                p.summary.get(locale),
                p.details.as_ref().map(|d| d.get(locale)),
            ));
            if let Some(b) = &p.born {
                embed = embed.field(ui(locale, Ui::Born), b.display(locale), true);
            }
            if let Some(d) = &p.died {
                embed = embed.field(ui(locale, Ui::Died), d.display(locale), true);
            }
            let roles: Vec<String> = p
                .roles
                .iter()
                .map(|r| format!("• {}", r.get(locale)))
                .collect();
            embed = embed.field(ui(locale, Ui::Roles), roles.join("\n"), false);
            let events: Vec<String> = p
                .events
                .iter()
                .filter_map(|id| kb.get(id).and_then(Entry::as_event))
                .map(|e| format!("• {} — {}", e.date.display(locale), e.name.get(locale)))
                .collect();
            embed = embed.field(ui(locale, Ui::Events), events.join("\n"), false);
            embed = embed.field(
                ui(locale, Ui::Related),
                names_of(kb, &p.related, locale),
                false,
            );
        }
        Entry::Topic(t) => {
            embed.description = Some(text_block(
                t.summary.get(locale),
                t.details.as_ref().map(|d| d.get(locale)),
            ));
            embed = embed.field(
                ui(locale, Ui::Kind),
                topic_kind_label(&t.kind, locale),
                true,
            );
            if let Some(d) = &t.date {
                embed = embed.field(ui(locale, Ui::Date), d.display(locale), true);
            }
            embed = embed.field(
                ui(locale, Ui::Related),
                names_of(kb, &t.related, locale),
                false,
            );
        }
        Entry::Source(s) => return source_card(kb, s, locale),
    }
    embed = embed.field(ui(locale, Ui::Sources), sources.field(kb), false);
    nav.push(Button::new(
        ui(locale, Ui::MoreSources),
        Action::Sources(entry.id().to_string()).custom_id(),
        ButtonStyle::Secondary,
    ));
    let links = link_buttons(kb, entry, locale);
    let mut reply = Reply::embed(embed).with_row(nav);
    for chunk in links.chunks(5) {
        reply = reply.with_row(chunk.to_vec());
    }
    reply
}

fn source_card(kb: &KnowledgeBase, s: &crate::knowledge::Source, locale: Locale) -> Reply {
    let cited: Vec<&Entry> = kb.cited_by(&s.id);
    let mut embed = Embed {
        title: Some(s.title.clone()),
        description: s.summary.as_ref().map(|t| t.get(locale).to_string()),
        color: Some(COLOR_SOURCE),
        footer: Some(format!("Clio · {} · {}", ui(locale, Ui::Source), s.id)),
        ..Default::default()
    };
    if let Some(a) = &s.author {
        embed = embed.field(ui(locale, Ui::Author), a, true);
    }
    embed = embed.field(ui(locale, Ui::Language), &s.language, true);
    embed = embed.field(ui(locale, Ui::Locator), &s.locator, true);
    let names: Vec<String> = cited.iter().map(|e| e.name(locale).to_string()).collect();
    embed = embed.field(
        format!("{} ({})", ui(locale, Ui::CitedBy), cited.len()),
        names.join(", "),
        false,
    );
    let buttons: Vec<Button> = cited
        .iter()
        .take(10)
        .map(|e| {
            Button::new(
                e.name(locale),
                Action::Open(e.id().to_string()).custom_id(),
                ButtonStyle::Secondary,
            )
        })
        .collect();
    let mut reply = Reply::embed(embed);
    for chunk in buttons.chunks(5) {
        reply = reply.with_row(chunk.to_vec());
    }
    reply
}

fn citation_text(c: &Citation, locale: Locale) -> String {
    let mut out = String::new();
    if let Some(page) = &c.page {
        out.push_str(&format!(" ({page})"));
    }
    if let Some(q) = &c.quote {
        out.push_str(&format!("\n> {}", shorten(q, 600)));
        if let Some(t) = &c.translation {
            let tr = t.get(locale);
            if tr != q {
                out.push_str(&format!("\n*{}*", shorten(tr, 600)));
            }
        }
    }
    out
}

/// An entry's sources in full: each source with the quotes the entry takes from it.
pub fn sources_view(kb: &KnowledgeBase, entry: &Entry, locale: Locale) -> Reply {
    if let Entry::Source(s) = entry {
        return source_card(kb, s, locale);
    }
    let sources = SourceList::of(entry);
    let mut embed = Embed {
        title: Some(format!(
            "{}: {}",
            ui(locale, Ui::Sources),
            entry.name(locale)
        )),
        color: Some(color(entry)),
        footer: Some(format!("Clio · {}", entry.id())),
        ..Default::default()
    };
    for id in &sources.ids {
        let Some(src) = kb.source(id) else { continue };
        let mut value = String::new();
        if let Some(a) = src
            .author
            .as_deref()
            .filter(|a| !a.eq_ignore_ascii_case("unknown"))
        {
            value.push_str(&format!("{}: {a}\n", ui(locale, Ui::Author)));
        }
        value.push_str(&format!("{}: {}", ui(locale, Ui::Locator), src.locator));
        for c in entry.citations().iter().filter(|c| c.source == *id) {
            value.push_str(&citation_text(c, locale));
        }
        if let Entry::Event(e) = entry {
            for f in &e.figures {
                for v in f.values.iter().filter(|v| v.source == *id) {
                    if let Some(q) = &v.quote {
                        value.push_str(&format!(
                            "\n{}: > {}",
                            f.label.get(locale),
                            shorten(q, 300)
                        ));
                    }
                }
            }
            for d in e.disputed_dates.iter().filter(|d| d.source == *id) {
                if let Some(q) = &d.quote {
                    value.push_str(&format!(
                        "\n{}: > {}",
                        d.date.display(locale),
                        shorten(q, 300)
                    ));
                }
            }
        }
        embed = embed.field(format!("{} {}", sources.mark(id), src.title), value, false);
    }
    let mut row = vec![Button::new(
        format!("↩ {}", ui(locale, Ui::Back)),
        Action::Open(entry.id().to_string()).custom_id(),
        ButtonStyle::Primary,
    )];
    row.extend(
        sources
            .ids
            .iter()
            .filter_map(|id| kb.source(id))
            .take(4)
            .map(|s| {
                Button::new(
                    s.title.clone(),
                    Action::Open(s.id.clone()).custom_id(),
                    ButtonStyle::Secondary,
                )
            }),
    );
    Reply::embed(embed).with_row(row)
}

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
                e.date.display(locale),
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
    let mut reply = Reply::embed(embed);
    for chunk in buttons.chunks(5) {
        reply = reply.with_row(chunk.to_vec());
    }
    reply.with_row(page_buttons(page, pages, page_id))
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
                e.date.display(locale),
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
            match e.date() {
                Some(d) if matches!(e, Entry::Event(_)) => {
                    format!("• {} ({})", e.name(locale), d.display(locale))
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
    let mut reply = Reply::embed(embed);
    for chunk in buttons.chunks(5) {
        reply = reply.with_row(chunk.to_vec());
    }
    reply
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
                e.date.display(locale)
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
    let events: Vec<&Event> = kb
        .timeline()
        .filter(|e| {
            from.is_none_or(|f| e.date.last_day() >= f.first_day())
                && to.is_none_or(|t| e.date.first_day() <= t.last_day())
        })
        .collect();
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
