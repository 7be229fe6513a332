//! Reading one file: the TOML parsed with its errors recovered, unknown tables and fields
//! reported, and each table handed to its reader.

use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use super::questions::hand_question;
use super::tables::{
    event, person, side, source, topic, RawEvent, RawPerson, RawSide, RawSource, RawTopic,
    EVENT_FIELDS, PERSON_FIELDS, SIDE_FIELDS, SOURCE_FIELDS, TOPIC_FIELDS, TOP_LEVEL,
};
use super::{At, Gathered, Problems, SourceFile};

pub(super) fn read_file(fi: usize, file: &SourceFile, g: &mut Gathered, problems: &mut Problems) {
    let (root, errors) = DeTable::parse_recoverable(&file.text);
    // One slip (an unclosed `{` or `[`) makes the parser trip over every line after it: only
    // the first error is the author's, so it alone is listed, with a count of the rest.
    if let Some(e) = errors.first() {
        let message = first_line(e.message());
        let offset = slip_offset(&file.text, e.span().map(|s| s.start).unwrap_or(0), &message);
        let more = match errors.len() - 1 {
            0 => String::new(),
            1 => " (1 more syntax error after it in this file, most likely caused by this one: \
                   fix it and check again)"
                .to_string(),
            n => format!(
                " ({n} more syntax errors after it in this file, most likely caused by this \
                 one: fix it and check again)"
            ),
        };
        problems.error(
            At { file, offset },
            format!("{}{message}{more}", super::SYNTAX),
        );
    }
    if !errors.is_empty() {
        // Entries after a syntax error are unreliable; report only the syntax. The ids it seems
        // to define are kept, so references into it are not reported as dangling.
        g.unparsed.push((fi, ids_in_text(&file.text)));
        return;
    }
    // The parsed tree is taken apart as it is read: each entry's table is moved into its reader,
    // never copied.
    for (key, value) in root.into_inner() {
        let at = At {
            file,
            offset: key.span().start,
        };
        let name = key.get_ref().as_ref();
        if !TOP_LEVEL.contains(&name) {
            problems.error(
                at,
                format!(
                    "unknown section `{name}`, expected one of {} (as [[source]], [[person]], ...)",
                    TOP_LEVEL
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        }
        let DeValue::Array(items) = value.into_inner() else {
            problems.error(
                at,
                format!("`{name}` must be an array of tables: write each entry as [[{name}]]"),
            );
            continue;
        };
        for item in items {
            let item_span = item.span();
            let item_at = At {
                file,
                offset: item_span.start,
            };
            let DeValue::Table(mut table) = item.into_inner() else {
                problems.error(item_at, format!("each `{name}` must be a table"));
                continue;
            };
            let expected = match name {
                "source" => SOURCE_FIELDS,
                "person" => PERSON_FIELDS,
                "event" => EVENT_FIELDS,
                "question" => crate::knowledge::authored::QUESTION_FIELDS,
                "side" => SIDE_FIELDS,
                _ => TOPIC_FIELDS,
            };
            // Report every unknown field of the entry, then read the rest without them.
            let unknown: Vec<(String, usize)> = table
                .keys()
                .filter(|k| !expected.contains(&k.get_ref().as_ref()))
                .map(|k| (k.get_ref().to_string(), k.span().start))
                .collect();
            for (k, _) in &unknown {
                table.remove(k.as_str());
            }
            for (k, offset) in &unknown {
                let suggestion = expected
                    .iter()
                    .filter(|e| strsim::damerau_levenshtein(e, k) <= 2)
                    .map(|e| format!(" (did you mean `{e}`?)"))
                    .next()
                    .unwrap_or_default();
                problems.error(
                    At {
                        file,
                        offset: *offset,
                    },
                    format!(
                        "unknown field `{k}` in {name}{suggestion}, expected one of {}",
                        expected
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            let value = Spanned::new(item_span.clone(), DeValue::Table(table));
            let result = match name {
                "source" => RawSource::deserialize(ValueDeserializer::from(value))
                    .map(|r| source(fi, file, r, g, problems)),
                "person" => RawPerson::deserialize(ValueDeserializer::from(value))
                    .map(|r| person(fi, file, r, g, problems)),
                "event" => RawEvent::deserialize(ValueDeserializer::from(value))
                    .map(|r| event(fi, file, r, g, problems)),
                "question" => crate::knowledge::authored::read(value)
                    .map(|r| hand_question(fi, file, r, g, problems)),
                "side" => RawSide::deserialize(ValueDeserializer::from(value))
                    .map(|r| side(fi, file, r, g, problems)),
                _ => RawTopic::deserialize(ValueDeserializer::from(value))
                    .map(|r| topic(fi, file, r, g, problems)),
            };
            if let Err(e) = result {
                let offset = e.span().map(|s| s.start).unwrap_or(item_span.start);
                problems.error(
                    At { file, offset },
                    format!("in {name}: {}", first_line(e.message())),
                );
            }
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

/// The ids a file that does not parse seems to define: every line `id = "..."`, read without
/// TOML.
fn ids_in_text(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("id")?.trim_start();
            let rest = rest.strip_prefix('=')?.trim_start().strip_prefix('"')?;
            let id = &rest[..rest.find('"')?];
            (!id.is_empty()).then(|| id.to_string())
        })
        .collect()
}

/// Where the author slipped: a value left open (`{ en = "x"` with no `}`) is found missing only at
/// the start of the next line, so such an error is placed at the end of the line before it.
fn slip_offset(text: &str, offset: usize, message: &str) -> usize {
    let left_open = message.contains("missing comma") || message.contains("unclosed");
    let at_line_start = offset == 0 || text.as_bytes().get(offset - 1) == Some(&b'\n');
    if !left_open || !at_line_start || offset == 0 {
        return offset;
    }
    // The end of the last non-blank line before `offset`.
    let before = &text[..offset];
    let trimmed = before.trim_end();
    if trimmed.is_empty() {
        offset
    } else {
        trimmed.len()
    }
}
