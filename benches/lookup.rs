//! Lookup cost over the shipped pack and over generated bases of 10,000 and 100,000 entries.
//! Goal: under 0.5 ms a lookup at 100,000 entries, and under 5x the cost at 10,000.
//! Run: `cargo bench --bench lookup`.

use std::path::Path;

use clio::knowledge::{load_texts, Kind, KnowledgeBase};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

mod generate;

/// Queries of every shape a user types: exact, surname only, typo, Cyrillic, prefix, nonsense.
fn queries(sample: &[String]) -> Vec<String> {
    let mut q: Vec<String> = vec![
        "Anders".into(),
        "Sikorsky".into(),
        "Ribentrop".into(),
        "Сталин".into(),
        "Qwerty Asdfgh".into(),
        "Battle of Kock".into(),
    ];
    q.extend(sample.iter().take(4).cloned());
    q.extend(sample.iter().take(2).map(|s| {
        // A typo: swap two letters in the middle of the surname.
        let mut c: Vec<char> = s.chars().collect();
        let n = c.len();
        c.swap(n - 3, n - 2);
        c.into_iter().collect()
    }));
    q
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("lookup");
    match KnowledgeBase::load(Path::new("knowledge")) {
        Ok(pack) => {
            let sample: Vec<String> = pack
                .entries()
                .iter()
                .take(8)
                .map(|e| e.name(clio::i18n::Locale::En).to_string())
                .collect();
            let qs = queries(&sample);
            group.bench_function(
                BenchmarkId::new("find", format!("pack-{}", pack.entries().len())),
                |b| {
                    let mut i = 0;
                    b.iter(|| {
                        i = (i + 1) % qs.len();
                        black_box(
                            pack.find(black_box(&qs[i]), &[Kind::Person, Kind::Event, Kind::Topic]),
                        )
                    })
                },
            );
        }
        Err(_) => eprintln!(
            "skipping the shipped pack: run from the repository root, and `clio check` must pass"
        ),
    }
    for n in [10_000usize, 100_000] {
        let (text, names) = generate::synthetic_base(n, 42);
        let kb = load_texts(&[("synthetic.toml", &text)])
            .base
            .expect("the generated base loads");
        let qs = queries(&names);
        group.bench_function(BenchmarkId::new("find", n), |b| {
            // One lookup per iteration, cycling through the query shapes.
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % qs.len();
                black_box(kb.find(black_box(&qs[i]), &[]))
            })
        });
        group.bench_function(BenchmarkId::new("autocomplete", n), |b| {
            b.iter(|| black_box(kb.suggest(black_box("Kowal"), &[], 25)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
