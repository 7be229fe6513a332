//! Checks across files, once every file is read: duplicate ids, references that point nowhere or
//! at the wrong kind, and names shared between entries.

use std::collections::{HashMap, HashSet};

use super::questions::duplicate_questions;
use super::{At, Gathered, Problems, SourceFile};
use crate::knowledge::model::*;

pub(super) fn cross_check(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    duplicate_questions(files, g, problems);
    let mut kinds: HashMap<&str, Kind> = HashMap::new();
    let mut first_at: HashMap<&str, (usize, usize)> = HashMap::new();
    for (entry, fi, offset) in &g.entries {
        let id = entry.id();
        if let Some((ofi, ooff)) = first_at.get(id) {
            let (line, col) = files[*ofi].line_col(*ooff);
            problems.error(
                At {
                    file: &files[*fi],
                    offset: *offset,
                },
                format!(
                    "duplicate id `{id}`: already used at {}:{line}:{col}",
                    files[*ofi].display
                ),
            );
        } else {
            first_at.insert(id, (*fi, *offset));
            kinds.insert(id, entry.kind());
        }
    }
    for r in &g.refs {
        let at = At {
            file: &files[r.file],
            offset: r.offset,
        };
        match kinds.get(r.target.as_str()) {
            None => {
                let near = kinds
                    .keys()
                    .filter(|k| strsim::normalized_damerau_levenshtein(k, &r.target) >= 0.75)
                    .max_by(|a, b| {
                        strsim::normalized_damerau_levenshtein(a, &r.target)
                            .total_cmp(&strsim::normalized_damerau_levenshtein(b, &r.target))
                    })
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                problems.error(
                    at,
                    format!("`{}` in `{}` refers to no entry{near}", r.target, r.field),
                );
            }
            Some(kind) if !r.kinds.is_empty() && !r.kinds.contains(kind) => {
                problems.error(
                    at,
                    format!(
                        "`{}` in `{}` is a {}, but only {} may be listed there",
                        r.target,
                        r.field,
                        kind.as_str(),
                        r.kinds
                            .iter()
                            .map(|k| k.plural())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                );
            }
            _ => {}
        }
    }
    // An alias shared by two entries makes a search for it ambiguous.
    let mut by_name: HashMap<&str, Vec<&(String, usize, usize, String)>> = HashMap::new();
    for n in &g.names {
        if !n.0.is_empty() {
            by_name.entry(n.0.as_str()).or_default().push(n);
        }
    }
    let mut shared: Vec<_> = by_name
        .into_iter()
        .filter(|(_, v)| {
            let ids: HashSet<&str> = v.iter().map(|n| n.3.as_str()).collect();
            ids.len() > 1
        })
        .collect();
    shared.sort_by_key(|(name, _)| name.to_string());
    for (name, places) in shared {
        let ids: Vec<String> = {
            let mut ids: Vec<String> = places.iter().map(|n| format!("`{}`", n.3)).collect();
            ids.dedup();
            ids
        };
        let (_, fi, offset, _) = places[places.len() - 1];
        problems.warning(
            At {
                file: &files[*fi],
                offset: *offset,
            },
            format!(
                "the name `{name}` is shared by {}: a search for it cannot tell them apart",
                ids.join(" and ")
            ),
        );
    }
}
