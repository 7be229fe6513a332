//! A live reload keeps the entries it reads unchanged: the new base shares them with the one it
//! replaces instead of holding a second copy while both live (issue #14: a reload's peak at most
//! 1.5× steady), and everything the edit changed is read afresh.

use std::path::PathBuf;

use clio::knowledge::{Entry, KnowledgeBase, LiveKnowledge, ReloadOutcome};

/// A fresh folder holding a pack of three files: a source, people, and events naming them.
fn pack(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clio-reload-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sources.toml"),
        "[[source]]\nid = \"doc\"\ntitle = \"A document\"\nkind = \"article\"\n\
         language = \"en\"\nlocator = \"doc.txt\"\n",
    )
    .unwrap();
    let people: String = (0..5)
        .map(|i| {
            format!(
                "[[person]]\nid = \"person-{i}\"\nname = {{ en = \"Person {i}\", pl = \"Osoba {i}\" }}\n\
                 summary = {{ en = \"Person number {i}.\", pl = \"Osoba numer {i}.\" }}\n\
                 sources = [\"doc\"]\n\n"
            )
        })
        .collect();
    std::fs::write(dir.join("people.toml"), people).unwrap();
    let events: String = (0..5)
        .map(|i| {
            format!(
                "[[event]]\nid = \"event-{i}\"\nname = {{ en = \"Event {i}\", pl = \"Zdarzenie {i}\" }}\n\
                 date = \"1939-09-{:02}\"\npeople = [\"person-{i}\"]\n\
                 summary = {{ en = \"Event number {i}.\", pl = \"Zdarzenie numer {i}.\" }}\n\
                 sources = [\"doc\"]\n\n",
                i + 1
            )
        })
        .collect();
    std::fs::write(dir.join("events.toml"), events).unwrap();
    dir
}

/// The pack in `dir` served live, and the base it serves first.
fn serving(dir: &std::path::Path) -> (LiveKnowledge, std::sync::Arc<KnowledgeBase>) {
    let kb = KnowledgeBase::load(dir).unwrap_or_else(|r| panic!("{:?}", r.problems));
    let live = LiveKnowledge::new(dir, kb);
    let first = live.get();
    (live, first)
}

/// Edit a file of the pack: `edit` of its text, which must change it.
fn edit(dir: &std::path::Path, file: &str, edit: impl FnOnce(&str) -> String) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit of {file} changes nothing");
    std::fs::write(dir.join(file), edited).unwrap();
}

fn reload(live: &LiveKnowledge) {
    match live.reload() {
        ReloadOutcome::Swapped { .. } => {}
        ReloadOutcome::Rejected { errors } => panic!("the reload was rejected: {errors:?}"),
    }
}

fn summary(kb: &KnowledgeBase, id: &str) -> String {
    let text = match kb.get(id) {
        Some(Entry::Person(p)) => &p.summary,
        Some(Entry::Event(e)) => &e.summary,
        other => panic!("no person or event {id}: {other:?}"),
    };
    text.get(clio::i18n::Locale::En).to_string()
}

/// Whether `id` is the very same entry (one allocation) in both bases.
fn shared(old: &KnowledgeBase, new: &KnowledgeBase, id: &str) -> bool {
    match (old.get(id), new.get(id)) {
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        _ => panic!("{id} is missing from a base"),
    }
}

#[test]
fn a_reload_shares_the_unchanged_entries_and_reads_the_changed_one_afresh() {
    let dir = pack("one-edit");
    let (live, before) = serving(&dir);

    edit(&dir, "people.toml", |t| {
        t.replace("Person number 2.", "Person number 2, edited.")
    });
    reload(&live);
    let after = live.get();

    assert_eq!(summary(&after, "person-2"), "Person number 2, edited.");
    assert_eq!(
        summary(&before, "person-2"),
        "Person number 2.",
        "the old base is untouched"
    );
    assert!(!shared(&before, &after, "person-2"));
    // The other entries of the edited file, and every entry of the others, are shared.
    for id in ["doc", "person-0", "person-1", "person-3", "person-4"]
        .into_iter()
        .map(String::from)
        .chain((0..5).map(|i| format!("event-{i}")))
    {
        assert!(shared(&before, &after, &id), "{id} was copied");
    }
    assert_eq!(after.entries().len(), before.entries().len());
    // The new base searches the edited pack: the index was built afresh.
    match after.find("Person 2", &[]) {
        clio::search::Outcome::Found(hit) => {
            assert_eq!(Some(hit.entry), after.index_of("person-2"))
        }
        other => panic!("`Person 2` is not found alone: {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_entry_whose_only_change_is_a_date_or_a_link_is_read_afresh() {
    let dir = pack("subtle-edits");
    let (live, before) = serving(&dir);

    edit(&dir, "events.toml", |t| {
        t.replace("date = \"1939-09-02\"", "date = \"1939-09-12\"")
            .replace("people = [\"person-3\"]", "people = [\"person-4\"]")
    });
    reload(&live);
    let after = live.get();

    let event = |kb: &KnowledgeBase, id: &str| match kb.get(id) {
        Some(Entry::Event(e)) => e.clone(),
        other => panic!("no event {id}: {other:?}"),
    };
    assert_eq!(event(&after, "event-1").date.start.day, Some(12));
    assert_eq!(event(&after, "event-3").people, ["person-4"]);
    assert_eq!(event(&before, "event-3").people, ["person-3"]);
    assert!(!shared(&before, &after, "event-1"));
    assert!(!shared(&before, &after, "event-3"));
    assert!(shared(&before, &after, "event-2"));
    // The timeline is the edited one: event-1 now comes after event-4 (5 September).
    let order: Vec<&str> = after.timeline().map(|e| e.id.as_str()).collect();
    assert_eq!(
        order,
        ["event-0", "event-2", "event-3", "event-4", "event-1"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_rejected_reload_keeps_the_base_serving() {
    let dir = pack("rejected");
    let (live, before) = serving(&dir);
    edit(&dir, "events.toml", |t| {
        t.replace("people = [\"person-3\"]", "people = [\"nobody\"]")
    });
    match live.reload() {
        ReloadOutcome::Rejected { errors } => assert!(
            errors.iter().any(|e| e
                .message
                .contains("`nobody` in `people` refers to no entry")),
            "{errors:?}"
        ),
        ReloadOutcome::Swapped { .. } => panic!("a pack with a dangling link was swapped in"),
    }
    assert!(std::sync::Arc::ptr_eq(&before, &live.get()));
    let _ = std::fs::remove_dir_all(&dir);
}
