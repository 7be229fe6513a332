//! A generator of large synthetic knowledge bases, for benchmarks and load tests.
//!
//! Names are built from Polish-, Russian- and German-like syllables so that the search index sees a
//! realistic vocabulary (many distinct surnames, shared first names, shared words like "Battle of").
//! Output is TOML text in the shipped schema, so the loader is exercised too.

use std::fmt::Write;

const FIRST: &[&str] = &[
    "Władysław",
    "Stanisław",
    "Józef",
    "Jan",
    "Franciszek",
    "Edward",
    "Ignacy",
    "Wilhelm",
    "Juliusz",
    "Klemens",
    "Wacław",
    "Semyon",
    "Mikhail",
    "Ivan",
    "Lev",
    "Vyacheslav",
    "Joachim",
    "Heinz",
    "Friedrich",
    "Norman",
    "Tadeusz",
    "Kazimierz",
    "Zygmunt",
    "Bolesław",
    "Henryk",
    "Antoni",
    "Marian",
    "Witold",
    "Leon",
    "Adam",
];
const SYL: &[&str] = &[
    "kow", "ski", "ber", "and", "rzy", "sik", "mol", "rib", "tro", "lin", "cki", "wicz", "now",
    "dal", "gor", "kle", "mar", "pot", "grz", "bow", "sch", "len", "tim", "sha", "kov", "dub",
    "zak", "rom", "mel", "war", "kos", "pia", "bia", "lub", "wro", "kra", "zel", "szy", "cha",
    "ost",
];
const EVENT_WORDS: &[&str] = &[
    "Battle of",
    "Siege of",
    "Treaty of",
    "Surrender of",
    "Defence of",
    "Raid on",
    "Conference of",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn word(rng: &mut Rng, syllables: usize) -> String {
    let mut w: String = (0..syllables).map(|_| rng.pick(SYL)).collect();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

/// A base of `n` entries (about 40% people, 40% events, 20% places), all citing one source.
/// Returns the TOML text and, for the benchmark, some names that exist in it.
pub fn synthetic_base(n: usize, seed: u64) -> (String, Vec<String>) {
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(n * 220);
    let mut names = Vec::new();
    out.push_str("[[source]]\nid = \"synthetic\"\ntitle = \"Synthetic source\"\nkind = \"document\"\nlanguage = \"en\"\nlocator = \"generated\"\n\n");
    for i in 0..n {
        let kind = i % 5;
        let syllables = 2 + (rng.next() % 2) as usize;
        let surname = word(&mut rng, syllables);
        match kind {
            0 | 1 => {
                let name = format!("{} {surname}", rng.pick(FIRST));
                let _ = write!(
                    out,
                    "[[person]]\nid = \"p{i}\"\nname = {{ en = \"{name}\", pl = \"{name}\" }}\naliases = [\"{surname} {i}\"]\nsummary = {{ en = \"A person.\", pl = \"Osoba.\" }}\nsources = [\"synthetic\"]\n\n"
                );
                if i % 997 == 0 {
                    names.push(name);
                }
            }
            2 | 3 => {
                let name = format!("{} {surname}", rng.pick(EVENT_WORDS));
                let year = 1900 + (rng.next() % 100);
                let month = 1 + rng.next() % 12;
                let day = 1 + rng.next() % 28;
                let _ = write!(
                    out,
                    "[[event]]\nid = \"e{i}\"\nname = {{ en = \"{name}\", pl = \"{name}\" }}\ndate = \"{year:04}-{month:02}-{day:02}\"\nsummary = {{ en = \"An event.\", pl = \"Wydarzenie.\" }}\nsources = [\"synthetic\"]\n\n"
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "[[topic]]\nid = \"t{i}\"\nname = {{ en = \"{surname}\", pl = \"{surname}\" }}\nkind = \"place\"\nsummary = {{ en = \"A place.\", pl = \"Miejsce.\" }}\nsources = [\"synthetic\"]\n\n"
                );
            }
        }
    }
    (out, names)
}
