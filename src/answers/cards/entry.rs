//! An entry's card (person, event, topic or source) and the view of its sources in full.

use super::{
    citation_text, color, event_date_line, kind_label, link_buttons, names_of, text_block,
    topic_kind_label, SourceList, COLOR_SOURCE,
};
use crate::answers::buttons::Action;
use crate::i18n::{ui, Locale, Ui};
use crate::knowledge::{Entry, KnowledgeBase};
use crate::reply::{shorten, Button, ButtonStyle, Embed, Reply};

/// The card of any entry.
pub fn entry_card(kb: &KnowledgeBase, entry: &Entry, locale: Locale) -> Reply {
    let sources = SourceList::of(entry);
    let mut embed = Embed {
        title: Some(entry.name(locale).to_string()),
        color: Some(color(entry)),
        footer: Some(["Clio · ", kind_label(entry, locale), " · ", entry.id()].concat()),
        // Room for the fields of the fullest card: a vector grown one field at a time moved
        // them at each doubling.
        fields: Vec::with_capacity(12),
        ..Default::default()
    };
    let mut nav = Vec::with_capacity(4);
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
                    .map(|v| [v.value.get(locale), " ", sources.mark(&v.source).as_str()].concat())
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
                ["◀ ", ui(locale, Ui::Previous)].concat(),
                Action::Step {
                    id: e.id.clone(),
                    forward: false,
                }
                .custom_id(),
                ButtonStyle::Primary,
            ));
            nav.push(Button::new(
                [ui(locale, Ui::Next), " ▶"].concat(),
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
    nav.push(report_button(entry.id(), locale));
    let links = link_buttons(kb, entry, locale);
    Reply::embed(embed).with_row(nav).with_buttons(links)
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
    Reply::embed(embed)
        .with_buttons(buttons)
        .with_row(vec![report_button(&s.id, locale)])
}

/// "Report an error" under every entry's card: it opens a form on Discord.
fn report_button(id: &str, locale: Locale) -> Button {
    Button::new(
        ["⚑ ", ui(locale, Ui::ReportError)].concat(),
        Action::Report(id.to_string()).custom_id(),
        ButtonStyle::Secondary,
    )
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
            value.push_str(&citation_text(c, &src.language, locale));
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
