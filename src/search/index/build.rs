//! Building the search index: names and their tokens, the words said about each entry, the
//! deletion index and the sorted vocabulary, then packed into a few large arrays.

use super::*;

/// Many short lists in two allocations: where each list starts, and the items one list after
/// another. A `Vec` per list (per token, per entry) cost a header and an allocation each, scattered
/// over the heap, for lists of a few items (issue #14).
pub(super) struct Lists<T> {
    starts: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Self {
            starts: Vec::new(),
            items: Vec::new(),
        }
    }
}

impl<T: Copy> Lists<T> {
    fn from_vecs(lists: Vec<Vec<T>>) -> Self {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        starts.push(0);
        for list in lists {
            items.extend_from_slice(&list);
            starts.push(items.len() as u32);
        }
        Self { starts, items }
    }

    /// The `i`th list; empty past the end.
    pub(super) fn get(&self, i: usize) -> &[T] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(a), Some(b)) => &self.items[*a as usize..*b as usize],
            _ => &[],
        }
    }
}

/// Many short strings in one allocation: the texts one after another, and where each starts (a
/// `String` each cost a header and an allocation, for words of a few letters).
pub(super) struct Words {
    text: String,
    /// Where each string starts, then where the last one ends.
    bounds: Vec<u32>,
}

impl Default for Words {
    fn default() -> Self {
        Self {
            text: String::new(),
            bounds: vec![0],
        }
    }
}

/// `v` in an allocation of its own length: a list that grew by doubling may be almost half
/// empty, and the allocator keeps a block that is at least half used when asked to shrink it
/// (mimalloc's `realloc`), so `shrink_to_fit` would not give that back.
fn exact<T: Copy>(v: Vec<T>) -> Vec<T> {
    if v.capacity() == v.len() {
        return v;
    }
    let mut exact = Vec::with_capacity(v.len());
    exact.extend_from_slice(&v);
    exact
}

impl Words {
    /// The same words, held in allocations of their own lengths (see [`exact`]).
    fn exact(self) -> Self {
        let mut text = String::with_capacity(self.text.len());
        text.push_str(&self.text);
        Self {
            text,
            bounds: exact(self.bounds),
        }
    }

    fn push(&mut self, word: &str) {
        self.text.push_str(word);
        // Offsets are u32, as in `Lists`: the words and names are a small part of a pack, which
        // is at most 4,096 MB (`knowledge.max_pack_mb`); past 4 GiB this stops, not corrupts.
        let end = u32::try_from(self.text.len()).expect("the index's texts fit in 4 GiB");
        self.bounds.push(end);
    }

    /// The `i`th string (searches compare many of them, hence inline).
    #[inline]
    pub(super) fn get(&self, i: usize) -> &str {
        &self.text[self.bounds[i] as usize..self.bounds[i + 1] as usize]
    }

    fn len(&self) -> usize {
        self.bounds.len() - 1
    }
}

/// An index being built: lists that grow one item at a time, packed into [`Lists`] at the end.
#[derive(Default)]
struct Building {
    names: Vec<Name>,
    name_tokens: Vec<u32>,
    name_texts: Words,
    vocab: Words,
    vocab_ids: foldhash::HashMap<String, u32>,
    filler: Vec<bool>,
    postings: Vec<Vec<u32>>,
    entry_names: Vec<Vec<u32>>,
    context: Vec<Vec<(u32, f32)>>,
    context_postings: Vec<Vec<u32>>,
}

impl Building {
    fn intern(&mut self, tok: &str) -> u32 {
        if let Some(id) = self.vocab_ids.get(tok) {
            return *id;
        }
        let id = self.vocab.len() as u32;
        self.vocab.push(tok);
        self.filler.push(is_filler(tok));
        self.vocab_ids.insert(tok.to_string(), id);
        self.postings.push(Vec::new());
        self.context_postings.push(Vec::new());
        id
    }

    /// Add words said about `entry` (taken from `words`, which is left empty), keeping each
    /// token's highest weight; an entry's context may come in more than one run.
    fn add_context(&mut self, entry: usize, words: &mut Vec<(u32, f32)>) {
        if self.context.len() <= entry {
            self.context.resize(entry + 1, Vec::new());
        }
        let mut all = std::mem::take(&mut self.context[entry]);
        all.append(words);
        // By token, the highest weight first; then one per token.
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        all.dedup_by_key(|(t, _)| *t);
        for (t, _) in &all {
            self.context_postings[*t as usize].push(entry as u32);
        }
        self.context[entry] = all;
    }
}

impl SearchIndex {
    /// Build from `(entry index, name)` pairs; an entry may have many names.
    pub fn build<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        Self::build_with_context(
            names.into_iter().map(|(e, n)| (e, normalize(n), false)),
            std::iter::empty::<(usize, &str, f32)>(),
        )
    }

    /// Build from names and from `(entry, text, weight)` context: what is said about an entry, which
    /// finds it too, weaker than its names (a weight in 0..=1), an entry's texts one after another.
    /// Names come as `(entry, name, weak)`: a weak name is a role or office ("Soviet ambassador in
    /// London"), which finds the entry like a name does, but less surely.
    /// Names and texts come normalized ([`normalize`]: the caller may do that on another core).
    pub fn build_with_context<N: AsRef<str>, T: AsRef<str>>(
        names: impl IntoIterator<Item = (usize, N, bool)>,
        context: impl IntoIterator<Item = (usize, T, f32)>,
    ) -> Self {
        let mut idx = Building::default();
        for (entry, normalized, weak) in names {
            let normalized = normalized.as_ref();
            debug_assert_eq!(normalize(normalized), normalized);
            if normalized.is_empty() {
                continue;
            }
            // A name the entry already has (most names are the same in English and Polish) would
            // only be scored twice, to the same score.
            let known = idx.entry_names.get(entry).is_some_and(|own| {
                own.iter().any(|n| {
                    idx.names[*n as usize].weak == weak
                        && idx.name_texts.get(*n as usize) == normalized
                })
            });
            if known {
                continue;
            }
            let name_id = idx.names.len() as u32;
            let first_token = idx.name_tokens.len();
            let mut content = 0u8;
            for tok in normalized.split(' ') {
                let id = idx.intern(tok);
                if !idx.name_tokens[first_token..].contains(&id) {
                    idx.name_tokens.push(id);
                    idx.postings[id as usize].push(name_id);
                    if !is_filler(tok) {
                        content = content.saturating_add(1);
                    }
                }
            }
            if idx.entry_names.len() <= entry {
                idx.entry_names.resize(entry + 1, Vec::new());
            }
            idx.entry_names[entry].push(name_id);
            // (A name of over 255 different words is matched by its first 255.)
            idx.name_tokens.truncate(first_token + usize::from(u8::MAX));
            let token_count = idx.name_tokens.len() - first_token;
            idx.name_texts.push(normalized);
            idx.names.push(Name {
                entry: entry as u32,
                first_token: first_token as u32,
                token_count: token_count as u8,
                content_tokens: content.max(1),
                weak,
            });
        }
        // Each entry's words with the highest weight each was said with, sorted by token. The
        // context comes entry by entry, so one entry's words are gathered at a time.
        let mut words: Vec<(u32, f32)> = Vec::new();
        let mut current: Option<usize> = None;
        for (entry, text, weight) in context {
            if current != Some(entry) {
                if let Some(done) = current {
                    idx.add_context(done, &mut words);
                }
                current = Some(entry);
            }
            debug_assert_eq!(normalize(text.as_ref()), text.as_ref());
            for tok in text.as_ref().split(' ').filter(|t| !t.is_empty()) {
                if is_filler(tok) {
                    continue;
                }
                words.push((idx.intern(tok), weight));
            }
        }
        if let Some(done) = current {
            idx.add_context(done, &mut words);
        }
        for list in &mut idx.context_postings {
            list.sort_unstable();
            list.dedup();
        }
        let mut deletes = Vec::new();
        let mut stems: Vec<(u32, u32)> = Vec::new();
        let mut variants = Vec::new();
        for id in 0..idx.vocab.len() {
            let tok = idx.vocab.get(id);
            deletion_variants(tok, &mut variants);
            deletes.extend(variants.iter().map(|h| (*h, id as u32)));
            let st = words::stem(tok);
            if st.len() >= 4 {
                stems.push((id as u32, st.len() as u32));
            }
        }
        deletes.sort_unstable();
        deletes.dedup();
        let stem = |(id, len): &(u32, u32)| &idx.vocab.get(*id as usize)[..*len as usize];
        stems.sort_unstable_by(|a, b| stem(a).cmp(stem(b)).then(a.0.cmp(&b.0)));
        let mut sorted_vocab: Vec<u32> = (0..idx.vocab.len() as u32).collect();
        sorted_vocab
            .sort_unstable_by(|a, b| idx.vocab.get(*a as usize).cmp(idx.vocab.get(*b as usize)));
        let mut by_normalized: Vec<u32> = (0..idx.names.len() as u32).collect();
        by_normalized.sort_by(|a, b| {
            idx.name_texts
                .get(*a as usize)
                .cmp(idx.name_texts.get(*b as usize))
        });
        let Building {
            names,
            name_tokens,
            name_texts,
            vocab,
            vocab_ids: _,
            filler,
            postings,
            entry_names,
            context,
            context_postings,
        } = idx;
        let deletes = exact(deletes);
        let stems = exact(stems);
        let vocab = vocab.exact();
        let name_texts = name_texts.exact();
        // What grew one item at a time is copied to allocations of its length: at 100,000
        // entries the slack was a quarter of the index.
        SearchIndex {
            delete_buckets: Buckets::of(deletes.iter().map(|(h, _)| *h)),
            vocab_ids: IdTable::of(vocab.len(), |id| vocab.get(id)),
            vocab_heads: Heads::of(sorted_vocab.len(), |p| vocab.get(sorted_vocab[p] as usize)),
            name_heads: Heads::of(by_normalized.len(), |p| {
                name_texts.get(by_normalized[p] as usize)
            }),
            stem_heads: Heads::of(stems.len(), |p| {
                let (id, len) = stems[p];
                &vocab.get(id as usize)[..len as usize]
            }),
            names: exact(names),
            name_tokens: exact(name_tokens),
            name_texts,
            vocab,
            filler: exact(filler),
            postings: Lists::from_vecs(postings),
            deletes,
            sorted_vocab,
            by_normalized,
            entry_names: Lists::from_vecs(entry_names),
            context: Lists::from_vecs(context),
            context_postings: Lists::from_vecs(context_postings),
            stems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_each_list_and_are_empty_past_the_end() {
        let lists = Lists::from_vecs(vec![vec![1u32, 2], vec![], vec![3]]);
        assert_eq!(lists.get(0), &[1, 2]);
        assert_eq!(lists.get(1), &[] as &[u32]);
        assert_eq!(lists.get(2), &[3]);
        assert_eq!(lists.get(3), &[] as &[u32]);
        assert_eq!(Lists::<u32>::default().get(0), &[] as &[u32]);
    }

    #[test]
    fn what_grew_while_building_is_held_at_its_length() {
        let names: Vec<(usize, String)> = (0..300)
            .map(|i| (i, format!("Person number{i} of Wilno")))
            .collect();
        let index = SearchIndex::build(names.iter().map(|(i, n)| (*i, n.as_str())));
        assert_eq!(index.len(), 300);
        assert_eq!(index.names.capacity(), index.names.len());
        assert_eq!(index.name_tokens.capacity(), index.name_tokens.len());
        assert_eq!(index.deletes.capacity(), index.deletes.len());
        assert_eq!(index.stems.capacity(), index.stems.len());
        assert_eq!(index.filler.capacity(), index.filler.len());
        for words in [&index.name_texts, &index.vocab] {
            assert_eq!(words.text.capacity(), words.text.len());
            assert_eq!(words.bounds.capacity(), words.bounds.len());
        }
        // And a typo still finds the name through the deletion index.
        let hits = index.search("persn number17 wilno", false, 1, |_| true);
        assert_eq!(hits.first().map(|h| h.entry), Some(17), "{hits:?}");
    }

    #[test]
    fn packed_words_come_back_one_by_one() {
        let mut words = Words::default();
        for w in ["", "warszawa", "", "łódź", "a"] {
            words.push(w);
        }
        assert_eq!(words.len(), 5);
        let back: Vec<&str> = (0..words.len()).map(|i| words.get(i)).collect();
        assert_eq!(back, ["", "warszawa", "", "łódź", "a"]);
    }

    #[test]
    fn every_word_of_a_stem_is_found_by_another_form() {
        // "signed" is none of these words, nor one letter away from any: only the stem "sign"
        // ("signing", "signs") finds them; "signal" has a stem of its own.
        let index = SearchIndex::build([
            (0, "Signing of the pact"),
            (1, "Signs of war"),
            (2, "Signal corps"),
            (3, "Signatories"),
        ]);
        let mut entries: Vec<usize> = index
            .search("signed", false, 10, |_| true)
            .iter()
            .map(|h| h.entry)
            .collect();
        entries.sort_unstable();
        assert_eq!(entries, [0, 1]);
        let stemmed: Vec<&str> = index
            .stem_tokens("sign")
            .iter()
            .map(|(id, _)| index.vocab.get(*id as usize))
            .collect();
        assert_eq!(stemmed, ["signing", "signs"]);
    }

    #[test]
    fn a_name_an_entry_already_has_is_indexed_once() {
        // English and Polish names alike, an alias that normalises to the same text, and a role
        // (a weak name) with the same words: the role stays, the repeats go.
        let index = SearchIndex::build_with_context(
            [
                (0, "Józef Beck", false),
                (0, "Józef Beck", false),
                (0, "JOZEF BECK", false),
                (0, "Jozef Beck", true),
                (1, "Józef Beck", false),
            ]
            .map(|(entry, name, weak)| (entry, normalize(name), weak)),
            std::iter::empty::<(usize, &str, f32)>(),
        );
        assert_eq!(index.len(), 3);
        let hits = index.search("jozef beck", false, 5, |_| true);
        let entries: Vec<usize> = hits.iter().map(|h| h.entry).collect();
        assert_eq!(entries, [0, 1]);
        assert!(hits.iter().all(|h| h.score == 1.0), "{hits:?}");
    }
}
