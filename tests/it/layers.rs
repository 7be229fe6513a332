//! The shape of the code: modules are layers, and each may use only the layers below it (or its
//! own). This test reads every `crate::` path in `src/` and fails on an edge that points up or on a
//! cycle, and on a file too long to read in one sitting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::support::root;

/// Bottom first. A module may use its own layer's modules and those of the layers before it.
const LAYERS: &[&[&str]] = &[
    // Neutral bits: the reply model, text helpers, the one rng, the one clock, the words.
    &["clock", "i18n", "reply", "rng", "text", "zone"],
    &["dates", "search"],
    &["knowledge"],
    &["answers", "daily"],
    &["quiz"],
    // Adapters.
    &["config", "ops", "store"],
    &["discord"],
    &["console"],
];

/// The longest a file in `src/` may be.
const MAX_LINES: usize = 700;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/quiz/engine.rs` → `quiz`, `src/dates.rs` → `dates`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a text names through `crate::`, including grouped imports
/// (`use crate::{dates::HistDate, i18n};`).
fn crate_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Comments may name modules without using them.
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            // Top-level names of the group: at depth 0, each path's first segment.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_first_segment(&item, &mut out);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 || c != '{' {
                    item.push(c);
                }
            }
            push_first_segment(&item, &mut out);
        } else {
            push_first_segment(after, &mut out);
        }
        rest = after;
    }
    out
}

fn push_first_segment(path: &str, out: &mut BTreeSet<String>) {
    let name: String = path
        .trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !name.is_empty() && name != "self" {
        out.insert(name);
    }
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        // The binary is the top of everything.
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let used = edges.entry(module.clone()).or_default();
        for to in crate_modules(&text) {
            if to != module {
                used.insert(to);
            }
        }
    }
    edges
}

#[test]
fn the_import_reader_sees_grouped_and_nested_paths() {
    let found = crate_modules(
        "use crate::{dates::{HistDate, PartialDate}, i18n};\nlet x = crate::search::normalize(s); // crate::quiz\n",
    );
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["dates", "i18n", "search"]);
}

#[test]
fn every_dependency_points_down_the_layers() {
    let mut wrong = Vec::new();
    for (from, tos) in edges() {
        let Some(lf) = layer_of(&from) else {
            wrong.push(format!(
                "module `{from}` has no layer in tests/it/layers.rs"
            ));
            continue;
        };
        for to in tos {
            match layer_of(&to) {
                None => wrong.push(format!("`{from}` uses `{to}`, which has no layer")),
                Some(lt) if lt > lf => {
                    wrong.push(format!("`{from}` (layer {lf}) uses `{to}` (layer {lt})"))
                }
                _ => {}
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "dependencies against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_module_cycle() {
    let edges = edges();
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(cycle) = visit(node, &edges, &mut Vec::new(), &mut done) {
            panic!("module cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn no_file_in_src_is_longer_than_700_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} has {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}
