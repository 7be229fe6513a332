//! Checks across files, once every file is read: duplicate ids, references that point nowhere or
//! at the wrong kind, and names shared between entries.

// Ids and names are the pack's own: a fast hasher (foldhash) serves as well as SipHash here.
use foldhash::{HashMap, HashMapExt, HashSet};

use super::questions::duplicate_questions;
use super::{At, Gathered, Named, Problems, SourceFile};

pub(super) fn cross_check(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    duplicate_questions(files, g, problems);
    // The entries in the order of their ids (of one id, in the order read), looked up by binary
    // search: the checks are the highest point of a 100,000-entry reload, and a map from each id
    // to its kind and place was 5.4 MB of it.
    let entries = &g.entries;
    let id = |i: u32| entries.list[i as usize].id();
    let mut by_id: Vec<u32> = (0..entries.list.len() as u32).collect();
    by_id.sort_by(|a, b| id(*a).cmp(id(*b)));
    // Where each id is first defined (the entry's index), or None.
    let defined = |target: &str| {
        let first = by_id.partition_point(|i| id(*i) < target);
        by_id.get(first).copied().filter(|i| id(*i) == target)
    };
    let kind_of = |target: &str| defined(target).map(|i| entries.list[i as usize].kind());
    // Each id used again, after the first: said where it is used again, in the order read.
    let mut again: Vec<(u32, u32)> = by_id
        .chunk_by(|a, b| id(*a) == id(*b))
        .flat_map(|run| run[1..].iter().map(|later| (*later, run[0])))
        .collect();
    again.sort_unstable();
    for (later, first) in again {
        let (fi, offset) = entries.at[later as usize];
        let (ofi, ooff) = entries.at[first as usize];
        let (line, col) = files[ofi].line_col(ooff);
        problems.error(
            At {
                file: &files[fi],
                offset,
            },
            format!(
                "duplicate id `{}`: already used at {}:{line}:{col}",
                id(later),
                files[ofi].display
            ),
        );
    }
    // Ids a file that does not parse seems to define: references to them wait for it.
    let unparsed_ids: HashMap<&str, usize> = g
        .unparsed
        .iter()
        .flat_map(|(fi, ids)| ids.iter().map(move |id| (id.as_str(), *fi)))
        .filter(|(id, _)| defined(id).is_none())
        .collect();
    let mut waiting: HashMap<usize, usize> = HashMap::new();
    for r in &g.refs {
        let at = At {
            file: &files[r.file],
            offset: r.offset,
        };
        // The nearest id among those this field may list, so every reference error says what
        // was likely meant, as a misspelt field name does.
        let near = || {
            nearest_id(
                &r.target,
                by_id
                    .chunk_by(|a, b| id(*a) == id(*b))
                    .map(|run| &entries.list[run[0] as usize])
                    .filter(|e| r.kinds.is_empty() || r.kinds.contains(&e.kind()))
                    .map(|e| e.id()),
            )
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default()
        };
        match kind_of(r.target.as_str()) {
            None => {
                if let Some(fi) = unparsed_ids.get(r.target.as_str()) {
                    // It may well be defined in a file that does not parse: said once, there.
                    *waiting.entry(*fi).or_default() += 1;
                    continue;
                }
                problems.error(
                    at,
                    format!(
                        "`{}` in `{}` refers to no entry{}",
                        r.target,
                        r.field,
                        near()
                    ),
                );
            }
            Some(kind) if !r.kinds.is_empty() && !r.kinds.contains(&kind) => {
                problems.error(
                    at,
                    format!(
                        "`{}` in `{}` is a {}, but only {} may be listed there{}",
                        r.target,
                        r.field,
                        kind.as_str(),
                        r.kinds
                            .iter()
                            .map(|k| k.plural())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        near()
                    ),
                );
            }
            _ => {}
        }
    }
    let mut waiting: Vec<(usize, usize)> = waiting.into_iter().collect();
    waiting.sort_unstable();
    for (fi, count) in waiting {
        problems.add(super::Problem {
            file: files[fi].display.clone(),
            line: 0,
            column: 1,
            severity: super::Severity::Warning,
            message: format!(
                "{count} reference(s) into this file not checked until it parses: fix the syntax \
                 first"
            ),
        });
    }
    check_sides(files, g, problems);
    // An alias shared by two entries makes a search for it ambiguous. The names are taken in
    // their order (each name's places in the order they were read), and runs of one name looked
    // at: a map from each name to a list of its places cost an allocation per name.
    let name = |i: &u32| g.names[*i as usize].normalized.as_str();
    let mut by_name: Vec<u32> = (0..g.names.len() as u32)
        .filter(|i| !name(i).is_empty())
        .collect();
    by_name.sort_by(|a, b| name(a).cmp(name(b)));
    let runs = by_name.chunk_by(|a, b| name(a) == name(b));
    // (A name alone in its run is shared by nobody: nothing is gathered for it.)
    for run in runs.filter(|run| run.len() > 1) {
        let places: Vec<&Named> = run.iter().map(|i| &g.names[*i as usize]).collect();
        let id_of = |n: &Named| id(n.entry);
        let ids: HashSet<&str> = places.iter().map(|n| id_of(n)).collect();
        if ids.len() < 2 {
            continue;
        }
        let name = places[0].normalized.as_str();
        let ids: Vec<String> = {
            let mut ids: Vec<String> = places.iter().map(|n| format!("`{}`", id_of(n))).collect();
            ids.dedup();
            ids
        };
        let last = places[places.len() - 1];
        problems.warning(
            At {
                file: &files[last.file as usize],
                offset: last.offset,
            },
            format!(
                "the name `{name}` is shared by {}: a search for it cannot tell them apart",
                ids.join(" and ")
            ),
        );
    }
}

/// The id closest to `target`, if any is close enough (60% alike) to be a likely slip: by edit distance
/// (a typo) or by a shared beginning (`dlugosz` for `dlugosz-annales`), whichever is closer;
/// ties go to the first id in order.
pub(super) fn nearest_id<'a>(target: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.into_iter()
        .map(|id| {
            let score = strsim::normalized_damerau_levenshtein(id, target)
                .max(strsim::jaro_winkler(id, target));
            (score, id)
        })
        .filter(|(score, _)| *score >= 0.6)
        .fold(None, |best: Option<(f64, &str)>, (score, id)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, id)),
        })
        .map(|(_, id)| id)
}

/// Every side declared once, and every person's `side` one of them.
fn check_sides(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    let mut declared: HashMap<&str, (usize, usize)> = HashMap::new();
    for (side, fi, offset) in &g.sides {
        let at = At {
            file: &files[*fi],
            offset: *offset,
        };
        if let Some((ofi, ooff)) = declared.get(side.id.as_str()) {
            let (line, col) = files[*ofi].line_col(*ooff);
            problems.error(
                at,
                format!(
                    "side `{}` is declared twice: already at {}:{line}:{col}",
                    side.id, files[*ofi].display
                ),
            );
        } else {
            declared.insert(&side.id, (*fi, *offset));
        }
    }
    let unparsed: HashSet<&str> = g
        .unparsed
        .iter()
        .flat_map(|(_, ids)| ids.iter().map(String::as_str))
        .collect();
    for (value, fi, offset) in &g.side_uses {
        if declared.contains_key(value.as_str()) || unparsed.contains(value.as_str()) {
            continue;
        }
        let at = At {
            file: &files[*fi],
            offset: *offset,
        };
        let message = if declared.is_empty() {
            format!(
                "side `{value}` is not declared: this pack declares no sides; list them once, \
                 e.g. in pack.toml: [[side]] id = \"{value}\" name = {{ en = \"...\" }}"
            )
        } else {
            let mut ids: Vec<&str> = declared.keys().copied().collect();
            ids.sort_unstable();
            let near = nearest_id(value, ids.iter().copied())
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            format!(
                "side `{value}` is not one of the pack's sides ({}){near} Declare a new one as \
                 [[side]]",
                ids.iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        problems.error(at, message);
    }
}
