//! The search index: tokens to names, one-deletion variants to tokens, and a sorted vocabulary.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// A hasher for small integer ids: the scoring loop does tens of thousands of id lookups per query,
/// where SipHash's resistance to crafted keys buys nothing (ids are ours, not the user's).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;

use super::{ids::IdTable, normalize, words};

mod build;
mod sorted;
use build::{Lists, Words};
use sorted::{Buckets, Heads};

/// A ranked match: which entry (by its index in the base), through which name, how well.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entry: usize,
    pub score: f32,
    /// The normalized name that matched (a name or an alias).
    pub matched: String,
}

#[derive(Clone, Copy)]
struct Name {
    entry: u32,
    /// Where its tokens start in [`SearchIndex::name_tokens`], and how many there are.
    first_token: u32,
    token_count: u8,
    /// Tokens that count toward "how much of the name was matched" (not `of`, `the`, ...).
    content_tokens: u8,
    /// A description that names the entry only by what it was (a role, an office): found like a
    /// name, but never as surely.
    weak: bool,
}

/// How sure a match by a role or office can be, next to a match by a name.
const WEAK_NAME: f32 = 0.93;

/// Words that name nothing on their own; a name is not less matched for missing them.
const FILLER: &[&str] = &[
    "of", "the", "and", "in", "on", "at", "to", "a", "w", "we", "na", "pod", "z", "i", "o", "do",
    "von", "der", "de", "who", "was", "is", "by", "for", "with", "from", "an", "into", "s", "za",
    "od", "przez", "po", "ze", "as", "his", "their", "its", "when", "where", "what", "which",
];

/// The longest word of [`FILLER`]: a longer word is none of them.
const FILLER_LONGEST: usize = {
    let (mut i, mut longest) = (0, 0);
    while i < FILLER.len() {
        if FILLER[i].len() > longest {
            longest = FILLER[i].len();
        }
        i += 1;
    }
    longest
};

/// Whether a word is one of [`FILLER`] (asked for every word of every text as the index is built).
fn is_filler(word: &str) -> bool {
    word.len() <= FILLER_LONGEST && FILLER.contains(&word)
}

/// Query tokens beyond this many are ignored (nobody types a 9-word name).
const MAX_QUERY_TOKENS: usize = 8;
/// After the rarest query word, further words are walked only while the candidates stay this few.
const CANDIDATE_BUDGET: usize = 400;
/// At most this many names are scored for one lookup (a query of only very common words, such as
/// "battle of", is ambiguous whatever the ranking among a thousand battles).
const MAX_CANDIDATES: usize = 1000;
/// Look-alike prefixes are searched only when the typed part itself starts fewer words than this.
const FUZZY_PREFIX_BELOW: usize = 8;
/// At most this many vocabulary words are taken for one prefix.
const MAX_PREFIX_TOKENS: usize = 64;

#[derive(Default)]
pub struct SearchIndex {
    names: Vec<Name>,
    /// Every name's tokens, one name after another.
    name_tokens: Vec<u32>,
    /// Every name's normalized text, by name id.
    name_texts: Words,
    vocab: Words,
    /// Per token: a filler word (`of`, `the`, `pod`) that names nothing on its own.
    filler: Vec<bool>,
    /// Per token: the names that have it.
    postings: Lists<u32>,
    /// (hash of a token or one of its one-letter deletions, token id), sorted by hash. The hash
    /// has 32 bits, as the id does: a pair takes 8 bytes, not 16 with a 64-bit hash and padding
    /// (this is the index's largest array). Among the 580,000 variants of a 100,000-entry pack,
    /// one of a query's variants meets another word's hash about once in 7,000: that word is then
    /// one candidate more, which the edit distance turns away.
    deletes: Vec<(u32, u32)>,
    /// Where the pairs of each range of hashes start in `deletes`.
    delete_buckets: Buckets,
    /// Token ids by their text.
    vocab_ids: IdTable,
    /// Token ids sorted by their text, for prefix lookups, and the texts' heads.
    sorted_vocab: Vec<u32>,
    vocab_heads: Heads,
    /// Name ids sorted by their normalized text, for exact matches (by binary search, without a
    /// second copy of every name as a map's key), and the texts' heads.
    by_normalized: Vec<u32>,
    name_heads: Heads,
    /// Per entry: the names it has.
    entry_names: Lists<u32>,
    /// Per entry: the words of what is said about it (roles, dates, places, figures, summary), each
    /// token with the weight of the text it comes from, sorted by token.
    context: Lists<(u32, f32)>,
    /// Per token: the entries whose context holds it.
    context_postings: Lists<u32>,
    /// (token id, length of its stem) for the tokens with a stem of 4 letters or more, sorted by
    /// stem, then id: the tokens of one stem are a run found by binary search (a map from each
    /// stem to its list cost two allocations per stem).
    stems: Vec<(u32, u32)>,
    stem_heads: Heads,
}

/// A word's hash for the deletion index: foldhash with a fixed seed, so a word hashes alike when
/// the index is built and when it is searched (a third of the time SipHash took to build the
/// index of the shipped pack went here). A collision only adds a candidate, which the edit
/// distance then turns away. Its high 32 bits (foldhash mixes every bit into them).
fn hash_str(s: &str) -> u32 {
    use std::hash::BuildHasher;
    (foldhash::fast::FixedState::with_seed(0x636c_696f).hash_one(s) >> 32) as u32
}

/// A token and its one-letter deletions (tokens of 4 letters or more only: shorter words must be
/// typed right, or "Kot" would match "Kock").
fn deletion_variants(token: &str, out: &mut Vec<u32>) {
    out.clear();
    out.push(hash_str(token));
    let chars: Vec<char> = token.chars().collect();
    if chars.len() < 4 {
        return;
    }
    let mut buf = String::with_capacity(token.len());
    for skip in 0..chars.len() {
        buf.clear();
        buf.extend(
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c),
        );
        out.push(hash_str(&buf));
    }
}

/// Two words of one length that differ in one letter that scripts and languages write either way
/// ("Кути" comes out as "kuti" for "Kuty"; "Wilno", "Vilno").
fn transliterated(a: &str, b: &str) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<(u8, u8)> = a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).collect();
    const PAIRS: &[(u8, u8)] = &[
        (b'i', b'y'),
        (b'j', b'y'),
        (b'i', b'j'),
        (b'v', b'w'),
        (b'c', b'k'),
    ];
    matches!(diff.as_slice(), [(x, y)] if PAIRS.iter().any(|(p, q)| (p, q) == (x, y) || (q, p) == (x, y)))
}

/// How many typos a token of this length may carry.
fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl SearchIndex {
    /// A name's tokens.
    fn tokens(&self, name: &Name) -> &[u32] {
        let start = name.first_token as usize;
        &self.name_tokens[start..start + usize::from(name.token_count)]
    }

    /// The id of a word of the vocabulary.
    fn token_id(&self, word: &str) -> Option<u32> {
        self.vocab_ids
            .find(word, |id| self.vocab.get(id))
            .map(|id| id as u32)
    }

    /// The stem of the `p`th of `stems`.
    fn stem_at(&self, p: usize) -> &str {
        let (id, len) = self.stems[p];
        &self.vocab.get(id as usize)[..len as usize]
    }

    /// The tokens whose stem is `stem`, in the order they were added.
    fn stem_tokens(&self, stem: &str) -> &[(u32, u32)] {
        &self.stems[self.stem_heads.equal(stem, |p| self.stem_at(p))]
    }

    /// The names whose normalized text is `normalized`, in the order they were added.
    fn exact(&self, normalized: &str) -> &[u32] {
        let text = |p: usize| self.name_texts.get(self.by_normalized[p] as usize);
        &self.by_normalized[self.name_heads.equal(normalized, text)]
    }

    /// The words of `sorted_vocab[within]` that start with `prefix` (at most `most` of them), as
    /// a range of `sorted_vocab`.
    fn starting_with(&self, within: Range<usize>, prefix: &str, most: usize) -> Range<usize> {
        let word = |p: usize| self.vocab.get(self.sorted_vocab[p] as usize);
        self.vocab_heads.starting_with(within, prefix, most, word)
    }

    /// Words that start with `q` changed by one letter (a typo in what is typed so far), each with a
    /// similarity below a clean prefix's.
    fn fuzzy_prefix(&self, q: &str, out: &mut IdMap<f32>) {
        let q = q.as_bytes();
        let n = q.len();
        let word = |id: &u32| self.vocab.get(*id as usize);
        // Every variant with its change at `i` keeps `q[..i]`: it is looked for among the words
        // that start with that (found once for each `i`, narrowing as `i` grows), and none is
        // looked for once no word does. One buffer holds each variant in turn.
        let mut words = 0..self.sorted_vocab.len();
        let mut v: Vec<u8> = Vec::with_capacity(n + 1);
        for i in 0..n {
            if i > 0 {
                let Ok(kept) = std::str::from_utf8(&q[..i]) else {
                    return;
                };
                words = self.starting_with(words, kept, usize::MAX);
                if words.is_empty() {
                    return;
                }
            }
            let look = |v: &[u8], out: &mut IdMap<f32>| {
                // A typo cannot be in a letter not yet typed: only the typed part's own variants.
                let Ok(v) = std::str::from_utf8(v) else {
                    return;
                };
                if v.len() < 3 {
                    return;
                }
                for id in
                    &self.sorted_vocab[self.starting_with(words.clone(), v, MAX_PREFIX_TOKENS)]
                {
                    let wlen = word(id).len();
                    let sim = 0.78 + 0.1 * (n as f32 / wlen.max(n) as f32);
                    let e = out.entry(*id).or_insert(0.0);
                    if sim > *e {
                        *e = sim;
                    }
                }
            };
            let (before, at, after) = (&q[..i], q[i], &q[i + 1..]);
            // One letter dropped.
            v.clear();
            v.extend_from_slice(before);
            v.extend_from_slice(after);
            look(&v, out);
            for c in b'a'..=b'z' {
                // One letter changed.
                if c != at {
                    v.clear();
                    v.extend_from_slice(before);
                    v.push(c);
                    v.extend_from_slice(after);
                    look(&v, out);
                }
                // One letter added.
                v.clear();
                v.extend_from_slice(before);
                v.push(c);
                v.extend_from_slice(&q[i..]);
                look(&v, out);
            }
            // Two letters swapped.
            if i + 1 < n && at != q[i + 1] {
                v.clear();
                v.extend_from_slice(before);
                v.push(q[i + 1]);
                v.push(at);
                v.extend_from_slice(&q[i + 2..]);
                look(&v, out);
            }
        }
    }

    /// How well an entry's context matches each query word (best token, times its weight).
    /// (In an array, one slot per query word, so the entries scored need no allocation each.)
    fn context_match(&self, entry: usize, per_token: &[IdMap<f32>]) -> [f32; MAX_QUERY_TOKENS] {
        let words = self.context.get(entry);
        let mut out = [0.0f32; MAX_QUERY_TOKENS];
        if words.is_empty() {
            return out;
        }
        for (slot, m) in out.iter_mut().zip(per_token) {
            let mut best = 0.0f32;
            for (tok, sim) in m {
                if let Ok(i) = words.binary_search_by_key(tok, |(t, _)| *t) {
                    best = best.max(sim * words[i].1);
                }
            }
            *slot = best;
        }
        out
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Vocabulary tokens close to `q`, each with a similarity in 0..=1.
    fn candidates(
        &self,
        q: &str,
        prefix_mode: bool,
        variants: &mut Vec<u32>,
        out: &mut IdMap<f32>,
    ) {
        out.clear();
        let qlen = q.chars().count();
        if let Some(id) = self.token_id(q) {
            out.insert(id, 1.0);
        }
        let budget = typo_budget(qlen);
        if budget > 0 {
            deletion_variants(q, variants);
            for h in variants.iter() {
                let bucket = &self.deletes[self.delete_buckets.range(*h)];
                let start = bucket.partition_point(|(k, _)| k < h);
                for (_, tok) in bucket[start..].iter().take_while(|(k, _)| k == h) {
                    if out.contains_key(tok) {
                        continue;
                    }
                    let word = self.vocab.get(*tok as usize);
                    let wlen = word.chars().count();
                    if wlen < 4 {
                        continue;
                    }
                    let d = strsim::damerau_levenshtein(q, word);
                    if d > 0 && d <= budget.min(typo_budget(wlen)) {
                        let rel = d as f32 / qlen.max(wlen) as f32;
                        // In a word of four letters one letter is a quarter of it: "home" is not
                        // "hope" with any confidence.
                        let sim = if qlen.max(wlen) <= 4 {
                            if transliterated(q, word) {
                                0.85
                            } else {
                                0.6
                            }
                        } else {
                            0.92 - 0.3 * rel
                        };
                        out.insert(*tok, sim);
                    }
                }
            }
        }
        // A word typed in part: "Mości" for "Mościcki". While typing (autocomplete) any prefix counts.
        let min_prefix = if prefix_mode { 1 } else { 4 };
        if qlen >= min_prefix {
            let all = 0..self.sorted_vocab.len();
            for id in &self.sorted_vocab[self.starting_with(all, q, MAX_PREFIX_TOKENS)] {
                let wlen = self.vocab.get(*id as usize).chars().count();
                let ratio = qlen as f32 / wlen as f32;
                let sim = if prefix_mode {
                    0.85 + 0.15 * ratio
                } else {
                    0.6 + 0.25 * ratio
                };
                let e = out.entry(*id).or_insert(0.0);
                if sim > *e {
                    *e = sim;
                }
            }
        }
        // A word being typed with a slip in it: "Sikp" for "Sikorski". The typed part, with one letter
        // dropped, added, changed or swapped, starts a word of the base.
        // Only when the typed part starts few words as it is: a slip is then the likelier reading,
        // and a prefix that already starts many words is not worth the search for look-alikes.
        if prefix_mode && qlen >= 4 && q.is_ascii() && out.len() < FUZZY_PREFIX_BELOW {
            self.fuzzy_prefix(q, out);
        }
        // The same word in another form ("surrendered", "surrender"), and words that mean the same
        // ("agreement" for "pact"), a little below the word itself.
        let mut upsert = |id: u32, sim: f32| {
            let e = out.entry(id).or_insert(0.0);
            if sim > *e {
                *e = sim;
            }
        };
        let st = words::stem(q);
        if st.len() >= 4 {
            for (id, _) in self.stem_tokens(st) {
                upsert(*id, 0.9);
            }
        }
        for syn in words::synonyms(q).chain(words::synonyms(st)) {
            if let Some(id) = self.token_id(syn) {
                upsert(id, 0.85);
            }
            for (id, _) in self.stem_tokens(words::stem(syn)) {
                upsert(*id, 0.83);
            }
        }
    }

    /// Ranked hits for `query`, best first, one per entry, among entries that `keep` accepts.
    /// `prefix_mode` treats the last word as still being typed (autocomplete).
    pub fn search(
        &self,
        query: &str,
        prefix_mode: bool,
        limit: usize,
        keep: impl Fn(usize) -> bool,
    ) -> Vec<Hit> {
        let qn = normalize(query);
        if qn.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut qtokens: Vec<&str> = Vec::new();
        for t in qn.split(' ') {
            if !qtokens.contains(&t) {
                qtokens.push(t);
            }
        }
        qtokens.truncate(MAX_QUERY_TOKENS);
        let last = qtokens.len() - 1;
        let mut variants = Vec::new();
        let mut per_token: Vec<IdMap<f32>> = Vec::with_capacity(qtokens.len());
        for (i, t) in qtokens.iter().enumerate() {
            // Sized for the usual few dozen words: a map grown from nothing is rebuilt at each
            // doubling, each time in memory not yet touched.
            let mut m = IdMap::with_capacity_and_hasher(32, Default::default());
            self.candidates(t, prefix_mode && i == last, &mut variants, &mut m);
            per_token.push(m);
        }
        // Candidate names come from the most selective query words: the rarest first, then the others
        // while the candidates stay few. A name that has none of the selective words could not score
        // well anyway, and this keeps a lookup's cost independent of the size of the base.
        let sizes: Vec<usize> = per_token
            .iter()
            .map(|m| {
                m.keys()
                    .map(|t| {
                        self.postings.get(*t as usize).len()
                            + self.context_postings.get(*t as usize).len()
                    })
                    .sum()
            })
            .collect();
        let mut order: Vec<usize> = (0..per_token.len()).filter(|i| sizes[*i] > 0).collect();
        order.sort_by_key(|i| sizes[*i]);
        let mut cand: Vec<u32> = Vec::with_capacity(CANDIDATE_BUDGET);
        let mut context_entries: Vec<u32> = Vec::with_capacity(CANDIDATE_BUDGET);
        for (k, i) in order.iter().enumerate() {
            if k > 0 && cand.len() + context_entries.len() + sizes[*i] > CANDIDATE_BUDGET {
                break;
            }
            // The best-matching words first (the exact word before its look-alikes).
            let mut words: Vec<(u32, f32)> = per_token[*i].iter().map(|(t, s)| (*t, *s)).collect();
            words.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for (tok, _) in words {
                let room = MAX_CANDIDATES.saturating_sub(cand.len() + context_entries.len());
                if room == 0 {
                    break;
                }
                cand.extend(self.postings.get(tok as usize).iter().take(room));
                let room = MAX_CANDIDATES.saturating_sub(cand.len() + context_entries.len());
                context_entries.extend(self.context_postings.get(tok as usize).iter().take(room));
            }
        }
        context_entries.sort_unstable();
        context_entries.dedup();
        for e in &context_entries {
            cand.extend(self.entry_names.get(*e as usize));
        }
        cand.extend(self.exact(&qn));
        cand.sort_unstable();
        cand.dedup();

        let weights: Vec<f32> = qtokens
            .iter()
            .map(|t| {
                if is_filler(t) {
                    0.3
                } else {
                    (t.chars().count() as f32).min(8.0)
                }
            })
            .collect();
        let total_weight: f32 = weights.iter().sum();
        let titles: Vec<bool> = qtokens.iter().map(|t| words::is_title(t)).collect();
        let mut best: IdMap<(f32, u32)> =
            IdMap::with_capacity_and_hasher(cand.len(), Default::default());
        let mut context_cache: IdMap<[f32; MAX_QUERY_TOKENS]> =
            IdMap::with_capacity_and_hasher(cand.len(), Default::default());
        for name_id in cand {
            let name = &self.names[name_id as usize];
            if !keep(name.entry as usize) {
                continue;
            }
            let ctx = context_cache
                .entry(name.entry)
                .or_insert_with(|| self.context_match(name.entry as usize, &per_token));
            // A role with the person's own name: "commander of the Anders Army" is Anders.
            if name.weak {
                let names = self.entry_names.get(name.entry as usize);
                for (i, m) in per_token.iter().enumerate() {
                    let own = names
                        .iter()
                        .map(|n| &self.names[*n as usize])
                        .filter(|n| !n.weak)
                        .flat_map(|n| self.tokens(n).iter().filter_map(|t| m.get(t)))
                        .fold(0.0f32, |a, b| a.max(*b));
                    ctx[i] = ctx[i].max(own * 0.9);
                }
            }
            let score = if self.name_texts.get(name_id as usize) == qn {
                if name.weak {
                    WEAK_NAME
                } else {
                    1.0
                }
            } else {
                let mut matched_name_tokens = 0u8;
                let mut covered = 0.0;
                let mut weight = total_weight;
                let mut agree = 0.0;
                let mut name_hit = false;
                for (i, m) in per_token.iter().enumerate() {
                    let s = self
                        .tokens(name)
                        .iter()
                        .filter_map(|t| m.get(t))
                        .fold(0.0f32, |a, b| a.max(*b));
                    if s >= 0.7 && !is_filler(qtokens[i]) {
                        name_hit = true;
                    }
                    let c = ctx[i];
                    if s < 0.7 && c < 0.7 && titles[i] {
                        // "General" before a name the entry holds: neither for nor against it.
                        weight -= weights[i];
                        continue;
                    }
                    if s >= 0.7 && c >= 0.85 {
                        agree += weights[i];
                    }
                    covered += weights[i] * s.max(c);
                }
                for t in self.tokens(name) {
                    if self.filler[*t as usize] {
                        continue;
                    }
                    if per_token
                        .iter()
                        .any(|m| m.get(t).is_some_and(|s| *s >= 0.7))
                    {
                        matched_name_tokens += 1;
                    }
                }
                if weight <= 0.0 {
                    0.0
                } else {
                    let q_cov = covered / weight;
                    let n_cov = f32::from(matched_name_tokens.min(name.content_tokens))
                        / f32::from(name.content_tokens);
                    if name_hit {
                        // The query's words matter most; a name only partly typed (a surname)
                        // still counts; what the entry says about itself settles near-ties.
                        // A role is a description: the more of it the query names, the surer.
                        let share = if name.weak { 0.2 } else { 0.15 };
                        let s = (q_cov * (1.0 - share + share * n_cov) + 0.04 * agree / weight)
                            .min(0.98);
                        if name.weak {
                            s * WEAK_NAME
                        } else {
                            s
                        }
                    } else {
                        // Found by what is said about it alone: never as sure as by a name.
                        q_cov * 0.86
                    }
                }
            };
            let e = best.entry(name.entry).or_insert((0.0, name_id));
            if score > e.0 {
                *e = (score, name_id);
            }
        }
        let mut ranked: Vec<(u32, f32, u32)> = best
            .into_iter()
            .filter(|(_, (s, _))| *s > 0.0)
            .map(|(e, (s, n))| (e, s, n))
            .collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(
                    self.name_texts
                        .get(a.2 as usize)
                        .len()
                        .cmp(&self.name_texts.get(b.2 as usize).len()),
                )
                .then(a.0.cmp(&b.0))
        });
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(entry, score, name_id)| Hit {
                entry: entry as usize,
                score,
                matched: self.name_texts.get(name_id as usize).to_string(),
            })
            .collect()
    }
}
