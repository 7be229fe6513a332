//! What answering itself costs, inside the process: the interactions `bot_latency` sends Clio,
//! answered by the bot's own answering function (`discord::interactions::answer`, the callback
//! body as the JSON Clio POSTs), beside the bare bot's answer (its embed and button, built with
//! serenity's builders and serialised as serenity sends them). No network, no runtime: the time
//! `bot_latency`'s round trip spends in Clio's own code, one kind at a time.
//!
//! ```sh
//! cargo run --release --example answer_cost                  # the shipped pack
//! cargo run --release --example answer_cost -- --rounds 20000 --knowledge DIR
//! ```
//!
//! For instructions instead of time (steadier on a shared machine):
//! `valgrind --tool=callgrind target/release/examples/answer_cost --rounds 300`, and with
//! `--only bitwa` one kind alone. `--cold` evicts the caches before each answer; with
//! `--warm-entries` too, the entries are read again after that, so that only the answering code
//! and the search index are cold.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clio::answers::Ctx;
use clio::discord::interactions::{self, Asked};
use clio::i18n::Locale;
use clio::knowledge::KnowledgeBase;
use poise::serenity_prelude as serenity;

fn command(name: &str, options: &[(&str, &str)]) -> Asked {
    Asked::Command {
        name: name.into(),
        options: options
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
    }
}

fn autocomplete(command: &str, option: &str, partial: &str) -> Asked {
    Asked::Autocomplete {
        command: command.into(),
        option: option.into(),
        partial: partial.into(),
    }
}

/// A command's options as `(name, value)`.
type Options<'a> = &'a [(&'a str, &'a str)];

/// `bot_latency`'s mix for Clio, in its order: (label, question, locale).
fn clio_mix(kb: &KnowledgeBase, ctx: &Ctx) -> Vec<(String, Asked, Locale)> {
    use Locale::{En, Pl};
    // (label, command, options, locale)
    let commands: [(&str, &str, Options, Locale); 6] = [
        ("/who Anders", "who", &[("name", "Anders")], En),
        (
            "/event 1939-09-17 (pl)",
            "event",
            &[("query", "1939-09-17")],
            Pl,
        ),
        ("/search pact", "search", &[("text", "pact")], En),
        (
            "/timeline from 1939-09-01",
            "timeline",
            &[("from", "1939-09-01")],
            En,
        ),
        ("/onthisday", "onthisday", &[], En),
        (
            "/who Qwerty Asdfgh",
            "who",
            &[("name", "Qwerty Asdfgh")],
            En,
        ),
    ];
    // (command, option, what is typed so far, locale)
    let typed = [
        ("who", "name", "sik", En),
        ("event", "query", "bitwa", Pl),
        ("timeline", "from", "1939-09", En),
        ("search", "text", "", En),
    ];
    let mut mix: Vec<(String, Asked, Locale)> = commands
        .iter()
        .map(|(label, name, options, locale)| (label.to_string(), command(name, options), *locale))
        .collect();
    mix.extend(typed.iter().map(|(name, option, partial, locale)| {
        let shown = if partial.is_empty() {
            "(empty)"
        } else {
            partial
        };
        let pl = if *locale == Pl { " (pl)" } else { "" };
        (
            format!("autocomplete /{name} {shown}{pl}"),
            autocomplete(name, option, partial),
            *locale,
        )
    }));
    // The buttons of `/event 1939-09-17`'s card, as `bot_latency` presses them.
    let card = interactions::answer(
        kb,
        &command("event", &[("query", "1939-09-17")]),
        Locale::En,
        ctx,
    );
    let card: serde_json::Value = serde_json::from_str(&card.json).expect("a JSON body");
    for row in card["data"]["components"].as_array().into_iter().flatten() {
        for b in row["components"].as_array().into_iter().flatten() {
            if let Some(id) = b["custom_id"].as_str() {
                mix.push((
                    format!("button {id}"),
                    Asked::Button {
                        custom_id: id.into(),
                    },
                    Locale::En,
                ));
            }
        }
    }
    mix
}

/// The bare bot's answer: `examples/bare_bot.rs`'s embed and button, serialised as serenity does.
fn bare_answer() -> String {
    let embed = serenity::CreateEmbed::new()
        .title("Invasion of Poland")
        .description("Germany invaded Poland from the west, north and south.")
        .field("Date", "1 September 1939", true)
        .footer(serenity::CreateEmbedFooter::new("Source: a book"))
        .colour(0x8b_1a_1a);
    let buttons = vec![serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new("bare:more")
            .label("More")
            .style(serenity::ButtonStyle::Secondary),
    ])];
    let response = serenity::CreateInteractionResponse::Message(
        serenity::CreateInteractionResponseMessage::new()
            .embed(embed)
            .components(buttons),
    );
    serde_json::to_string(&response).expect("serialisable")
}

fn per_call(total: Duration, n: usize) -> String {
    format!("{:.2} µs", total.as_secs_f64() * 1e6 / n as f64)
}

fn main() {
    let mut knowledge = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let mut rounds = 5000usize;
    let mut only: Option<String> = None;
    let mut cold = false;
    let mut warm_entries = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--knowledge" => knowledge = PathBuf::from(args.next().expect("--knowledge DIR")),
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            "--only" => only = Some(args.next().expect("--only TEXT")),
            "--cold" => cold = true,
            "--warm-entries" => warm_entries = true,
            other => panic!(
                "unknown argument {other}; use --knowledge DIR, --rounds N, --only TEXT (the \
                 kinds whose label has it, to profile one), --cold, --warm-entries"
            ),
        }
    }
    let Ok(kb) = KnowledgeBase::load(&knowledge) else {
        panic!("{} does not load: see `clio check`", knowledge.display())
    };
    let ctx = Ctx::at(&clio::clock::SystemClock);
    let mut mix = clio_mix(&kb, &ctx);
    if let Some(only) = &only {
        mix.retain(|(label, _, _)| label.contains(only.as_str()));
    }

    // Warm up, then time each kind in turn, interleaved round by round so each sees the same
    // machine; the bare bot's answer is one more kind.
    // With `--cold`, 64 MiB are written before each answer: the caches hold none of the answering
    // code or data, as when interactions come seconds apart and other processes run between.
    let mut sweep = vec![0u8; if cold { 64 << 20 } else { 0 }];
    let mut evict = |round: usize| {
        for b in sweep.iter_mut().step_by(64) {
            *b = b.wrapping_add(round as u8);
        }
        std::hint::black_box(&sweep);
    };
    // With `--warm-entries` too, every entry is read (written out whole) after that, before the
    // answer: what is left cold is the answering code and the search index.
    let read_entries = |kb: &KnowledgeBase| {
        if warm_entries {
            let read: usize = kb.entries().iter().map(|e| format!("{e:?}").len()).sum();
            std::hint::black_box(read);
        }
    };
    let mut times = vec![Duration::ZERO; mix.len() + 1];
    let mut bytes = vec![0usize; mix.len() + 1];
    for round in 0..rounds + rounds / 10 {
        let measured = round >= rounds / 10;
        for (i, (_, asked, locale)) in mix.iter().enumerate() {
            evict(round);
            read_entries(&kb);
            let t = Instant::now();
            let body = interactions::answer(&kb, asked, *locale, &ctx);
            let took = t.elapsed();
            if measured {
                times[i] += took;
                bytes[i] = body.json.len();
            }
            std::hint::black_box(body);
        }
        evict(round);
        let t = Instant::now();
        let body = bare_answer();
        let took = t.elapsed();
        if measured {
            times[mix.len()] += took;
            bytes[mix.len()] = body.len();
        }
        std::hint::black_box(body);
    }
    println!(
        "answering one interaction, in process ({rounds} rounds, {} entries)",
        kb.entries().len()
    );
    println!("{:<48} {:>12} {:>8}", "", "time", "bytes");
    let mut clio_total = Duration::ZERO;
    for (i, (label, _, _)) in mix.iter().enumerate() {
        clio_total += times[i];
        println!(
            "{label:<48} {:>12} {:>8}",
            per_call(times[i], rounds),
            bytes[i]
        );
    }
    println!(
        "{:<48} {:>12}",
        "Clio, the mean of these",
        per_call(clio_total, rounds * mix.len())
    );
    println!(
        "{:<48} {:>12} {:>8}",
        "the bare bot's answer (serenity's builders)",
        per_call(times[mix.len()], rounds),
        bytes[mix.len()]
    );
}
