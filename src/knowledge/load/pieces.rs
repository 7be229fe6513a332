//! Reading a large file in pieces: the TOML parser holds many times the text it parses.

use super::tables::TOP_LEVEL;
use super::SourceFile;

/// A file larger than this is parsed in pieces of about this size: the TOML parser holds about
/// 25 times the text it parses, and at its peak 40 times (a file of 2.2 MB took 90 MB while it
/// was parsed, the highest point of a 100,000-entry reload).
pub(super) const PIECE: usize = 64 * 1024;

/// The files, with those larger than `piece` cut into pieces at lines that begin a top-level
/// table (`[[person]]`, ...), each about `piece` long, in order, each knowing the line it begins
/// on; a piece reads as that part of the whole file does. A file that has a multi-line string
/// (`"""` or `'''`) anywhere is kept whole: a line inside one may look like a table's start.
pub(super) fn in_pieces(files: Vec<SourceFile>, piece: usize) -> Vec<SourceFile> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        if file.text.len() <= piece || file.text.contains("\"\"\"") || file.text.contains("'''") {
            out.push(file);
            continue;
        }
        let mut cuts = vec![0];
        for start in super::line_starts(&file.text) {
            let line = file.text[start..].split('\n').next().unwrap_or_default();
            if start - cuts[cuts.len() - 1] >= piece && starts_a_top_level_table(line) {
                cuts.push(start);
            }
        }
        cuts.push(file.text.len());
        let mut first_line = 0;
        for bounds in cuts.windows(2) {
            let mut part = SourceFile::new(
                file.display.clone(),
                file.text[bounds[0]..bounds[1]].to_string(),
            );
            part.first_line = first_line;
            // (The next piece begins on the line after the last newline of this one.)
            first_line += part.text.matches('\n').count();
            out.push(part);
        }
    }
    out
}

/// Where the second of two threads reading `files` begins: after about half the bytes, and never
/// between two pieces of one file (a file's problems are counted, and listed up to
/// [`super::MAX_PROBLEMS_PER_FILE`], by one thread).
pub(super) fn halfway(files: &[SourceFile]) -> usize {
    let total: usize = files.iter().map(|f| f.text.len()).sum();
    let mut so_far = 0;
    let mut half = files
        .iter()
        .position(|f| {
            so_far += f.text.len();
            so_far * 2 >= total
        })
        .map_or(files.len(), |i| i + 1);
    while half > 0 && half < files.len() && files[half].display == files[half - 1].display {
        half += 1;
    }
    half
}

/// `[[person]]` and the like, alone on a line (spaces and a comment may follow): where a new
/// entry, question or side begins at the top level. (`[[event.figures]]` belongs to the event
/// before it.)
fn starts_a_top_level_table(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("[[") else {
        return false;
    };
    let Some((name, after)) = rest.split_once("]]") else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t', '\r']);
    TOP_LEVEL.contains(&name) && (after.is_empty() || after.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::super::{load_files, load_pieces, Cores};
    use super::*;
    use crate::knowledge::model::*;
    use crate::knowledge::KnowledgeBase;

    /// A large file is read in pieces: the same entries and the same problems, at the same
    /// lines, as read whole.
    #[test]
    fn a_large_file_read_in_pieces_reads_as_read_whole() {
        let mut text = String::from(
            "# People and places.\n[[source]]\nid = \"doc\"\ntitle = \"Doc\"\n\
             kind = \"article\"\nlanguage = \"en\"\nlocator = \"doc.txt\"\n\n",
        );
        for i in 0..5000 {
            text += &format!(
                "[[topic]]  # number {i}\nid = \"t-{i}\"\nname = \"Place {i}\"\nkind = \"place\"\n\
                 summary = \"A place, number {i}.\"\nsources = [\"doc\"]\n"
            );
            if i % 7 == 0 {
                text += &format!(
                    "\n[[event]]\nid = \"e-{i}\"\nname = \"Event {i}\"\ndate = \"1939-09-01\"\n\
                     summary = \"Something at place {i}.\"\nrelated = [\"t-{i}\"]\n\
                     sources = [\"doc\"]\n\n[[event.figures]]\nlabel = \"number\"\n\
                     values = [{{ value = \"{i}\", source = \"doc\" }}]\n"
                );
            }
            text += "\n";
        }
        // Two problems deep in the file: a link to nothing, and a field no topic has.
        text = text.replace(
            "id = \"t-4200\"\n",
            "id = \"t-4200\"\nrelated = [\"nowhere\"]\n",
        );
        text = text.replace("id = \"t-4900\"\n", "id = \"t-4900\"\ncolour = \"red\"\n");
        assert!(text.len() > 2 * PIECE);
        let line_of = |needle: &str| text[..text.find(needle).unwrap()].matches('\n').count() + 1;

        let file = || vec![SourceFile::new("big.toml".into(), text.clone())];
        let pieces = in_pieces(file(), PIECE);
        assert!(pieces.len() >= 3, "{} pieces", pieces.len());
        assert_eq!(
            pieces.iter().map(|p| p.text.as_str()).collect::<String>(),
            text
        );
        for p in &pieces[1..] {
            assert!(p.text.starts_with("[[topic]]") || p.text.starts_with("[[event]]"));
        }

        let in_pieces = load_files(file(), Cores::One);
        let whole = load_pieces(file(), Cores::One);
        assert_eq!(in_pieces.problems, whole.problems);
        let problems: Vec<(usize, String)> = whole
            .problems
            .iter()
            .map(|p| (p.line, p.message.clone()))
            .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[0].0,
            line_of("related = [\"nowhere\"]"),
            "{problems:?}"
        );
        assert_eq!(problems[1].0, line_of("colour"), "{problems:?}");

        let fixed = || {
            vec![SourceFile::new(
                "big.toml".into(),
                text.replace("related = [\"nowhere\"]\n", "")
                    .replace("colour = \"red\"\n", ""),
            )]
        };
        let (in_pieces, whole) = (
            load_files(fixed(), Cores::One)
                .base
                .expect("it loads in pieces"),
            load_pieces(fixed(), Cores::One)
                .base
                .expect("it loads whole"),
        );
        let ids = |kb: &KnowledgeBase| {
            let mut ids: Vec<String> = kb.entries().iter().map(|e| e.id().to_string()).collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(&in_pieces), ids(&whole));
        assert_eq!(whole.entries().len(), 1 + 5000 + 715);
        // Each kind in the file's order.
        let of_kind = |kb: &KnowledgeBase, kind: Kind| -> Vec<String> {
            kb.entries()
                .iter()
                .filter(|e| e.kind() == kind)
                .map(|e| e.id().to_string())
                .collect()
        };
        for kind in Kind::ALL {
            assert_eq!(of_kind(&in_pieces, kind), of_kind(&whole, kind), "{kind:?}");
        }
        let event = in_pieces.get("e-4998").and_then(Entry::as_event);
        assert_eq!(event.map(|e| e.figures.len()), Some(1));
    }

    /// Two threads share the files at about half their bytes, but never a file's pieces.
    #[test]
    fn the_pieces_of_a_file_are_read_by_one_thread() {
        let file = |name: &str, kb: usize| SourceFile::new(name.into(), "#\n".repeat(kb * 512));
        let mut files = vec![file("a.toml", 100)];
        files.extend((0..4).map(|_| file("big.toml", 100)));
        files.push(file("c.toml", 100));
        // Half the bytes end inside big.toml: its pieces stay together.
        assert_eq!(halfway(&files), 5);
        let apart = [
            file("a.toml", 100),
            file("b.toml", 100),
            file("c.toml", 100),
        ];
        assert_eq!(halfway(&apart), 2);
        assert_eq!(halfway(&[]), 0);
    }

    #[test]
    fn a_file_with_a_multi_line_string_or_no_table_to_cut_at_is_kept_whole() {
        let long = "x".repeat(PIECE);
        let with_string = format!(
            "[[topic]]\nid = \"a\"\nsummary = \"\"\"\n{long}\n[[topic]]\n\"\"\"\n\n[[topic]]\nid = \"b\"\n"
        );
        let one_table = format!("[[topic]]\nid = \"a\"\nsummary = \"{long}\"\n[[topic.x]]\n");
        for text in [with_string, one_table] {
            let pieces = in_pieces(vec![SourceFile::new("f.toml".into(), text)], PIECE);
            assert_eq!(pieces.len(), 1);
        }
        assert!(starts_a_top_level_table("[[event]]"));
        assert!(starts_a_top_level_table("[[side]] \t# the sides\r"));
        assert!(!starts_a_top_level_table("[[event.figures]]"));
        assert!(!starts_a_top_level_table("[[events]]"));
        assert!(!starts_a_top_level_table("[[event]] x"));
        assert!(!starts_a_top_level_table(" [[event]]"));
    }
}
