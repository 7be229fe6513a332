//! The loader's own tests: one core or two, the names shared across them, the lists sized once.

use super::*;

/// A name shared by an entry read on the first thread and one read on the second is said
/// once, naming both entries, as when every file is read on one.
#[test]
fn a_name_shared_across_the_two_threads_names_both_entries() {
    let topic = |id: &str, name: &str| {
        format!(
            "[[topic]]\nid = \"{id}\"\nname = {{ en = \"{name}\", pl = \"{name}\" }}\n\
             kind = \"place\"\nsummary = \"A place of the tests, with a summary long \
             enough to fill the file.\"\nsources = [\"doc\"]\n\n"
        )
    };
    let source = "[[source]]\nid = \"doc\"\ntitle = \"Doc\"\nkind = \"article\"\n\
                  language = \"en\"\nlocator = \"doc.txt\"\n\n";
    let a: String = source.to_string()
        + &(0..1500)
            .map(|i| topic(&format!("a-{i}"), &format!("Place a {i}")))
            .collect::<String>();
    let b: String = (0..1000)
        .map(|i| topic(&format!("b-{i}"), &format!("Place b {i}")))
        .collect::<String>()
        + &topic("b-again", "Place a 7");
    assert!(a.len() + b.len() > READ_ALONE_BELOW);
    let files = || {
        vec![
            SourceFile::new("a.toml".into(), a.clone()),
            SourceFile::new("b.toml".into(), b.clone()),
        ]
    };
    // The files are read on two threads, `b` on the second.
    assert_eq!(
        halfway(&in_pieces(files(), PIECE)),
        in_pieces(vec![files().remove(0)], PIECE).len()
    );
    let both = load_files(files(), Cores::All);
    let one = load_files(files(), Cores::One);
    assert_eq!(both.problems, one.problems);
    let problems: Vec<String> = both.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("b.toml:")
            && problems[0]
                .contains("warning: the name `place a 7` is shared by `a-7` and `b-again`"),
        "{problems:?}"
    );
    assert!(both.base.is_some());
}

/// A pack read on one core and on two gives the same entries, in the same order, and the same
/// problems.
#[test]
fn one_core_or_two_give_the_same_base_and_problems() {
    let topic = |file: &str, i: usize| {
        format!(
            "[[topic]]\nid = \"{file}-{i}\"\nname = \"Place {file} {i}\"\nkind = \"place\"\n\
             summary = \"A place, number {i} of file {file}.\"\nrelated = [\"b-{i}\"]\n\
             sources = [\"doc\"]\n\n"
        )
    };
    let source = "[[source]]\nid = \"doc\"\ntitle = \"Doc\"\nkind = \"article\"\n\
                  language = \"en\"\nlocator = \"doc.txt\"\n\n";
    let a: String = source.to_string() + &(0..1200).map(|i| topic("a", i)).collect::<String>();
    // `b` lacks the 1,200th topic, so one link of `a` dangles, and repeats an id of `a`.
    let b: String = (0..1199).map(|i| topic("b", i)).collect::<String>() + &topic("a", 5);
    let files = || {
        vec![
            SourceFile::new("a.toml".into(), a.clone()),
            SourceFile::new("b.toml".into(), b.clone()),
        ]
    };
    assert!(a.len() + b.len() > READ_ALONE_BELOW);
    let both = load_files(files(), Cores::All);
    let one = load_files(files(), Cores::One);
    assert_eq!(both.problems, one.problems);
    let problems: Vec<String> = one.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("a.toml:"), "{problems:?}");
    assert!(problems[0].contains("`b-1199` in `related` refers to no entry"));
    assert!(problems[1].starts_with("b.toml:") && problems[1].contains("duplicate id `a-5`"));

    let fixed = b.replace("id = \"a-5\"", "id = \"b-1199\"");
    let load = |cores| {
        let files = vec![
            SourceFile::new("a.toml".into(), a.clone()),
            SourceFile::new("b.toml".into(), fixed.clone()),
        ];
        load_files(files, cores).base.expect("the fixed pack loads")
    };
    let (both, one) = (load(Cores::All), load(Cores::One));
    let ids = |kb: &KnowledgeBase| -> Vec<String> {
        kb.entries().iter().map(|e| e.id().to_string()).collect()
    };
    assert_eq!(ids(&both), ids(&one));
    assert_eq!(both.entries().len(), 1 + 1200 + 1200);
    for query in ["Place b 17", "place a 899", "Plce a 3"] {
        let found = |kb: &KnowledgeBase| {
            kb.search(query, &[], 3)
                .into_iter()
                .map(|h| (h.entry, h.matched))
                .collect::<Vec<_>>()
        };
        assert_eq!(found(&both), found(&one), "{query}");
        assert!(!found(&one).is_empty(), "{query}");
    }
    // Read on one core or two, the list of entries was made as long as the files' tables
    // and never grew past them.
    for kb in [&both, &one] {
        assert_eq!(kb.entries.capacity(), kb.entries.len());
    }
}

#[test]
fn the_tables_of_a_file_are_counted_by_their_headers() {
    assert_eq!(tables_in(""), 0);
    assert_eq!(
        tables_in("[[person]]\nid = \"a\"\n\n[[event]]\nid = \"b\""),
        2
    );
    // A header after the first line, and text that only mentions `[[` inside a line.
    assert_eq!(tables_in("# pack\n[[topic]]\nsummary = \"see [[x]]\"\n"), 1);
}

/// An event whose date cannot be read is not gathered, nor are its names: the names of the
/// entries after it still name those entries (found by fuzzing: a panic).
#[test]
fn an_event_with_a_date_that_cannot_be_read_leaves_no_name_behind() {
    let event = |id: &str, name: &str, date: &str| {
        format!(
            "[[event]]\nid = \"{id}\"\nname = \"{name}\"\ndate = \"{date}\"\n\
             summary = \"An event.\"\nsources = [\"doc\"]\n\n"
        )
    };
    let text = "[[source]]\nid = \"doc\"\ntitle = \"Doc\"\nkind = \"article\"\n\
                language = \"en\"\nlocator = \"doc.txt\"\n\n"
        .to_string()
        + &event("backwards", "Shared name", "1939-10-06..1939-09-17")
        + &event("first", "Twice", "1939-09-17")
        + &event("second", "Twice", "1939-09-18");
    let report = super::load_texts(&[("a.toml", &text)]);
    let problems: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
    assert!(
        problems.iter().any(|p| p.contains("ends before it starts")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the name `twice` is shared by `first` and `second`")),
        "{problems:?}"
    );
}
