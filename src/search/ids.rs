//! Items by a text of theirs (an entry by its id, a word of the vocabulary by its letters): a
//! table of open addressing, so that a lookup reads one line of the table and then the item it
//! finds.
//!
//! A card looks up every entry it names (its places, people, related entries, sources, the
//! buttons to them) by id, and a query each of its words. By binary search over the items sorted
//! by text, each step read another item and its text from wherever they lie in memory: about
//! sixteen lines a lookup, one after the other, and with the caches cold (interactions come
//! seconds apart, other processes run between) a card's twenty lookups were most of its time
//! (issue #14).

/// Item indices by the hash of their text; the texts stay with the items.
pub struct IdTable {
    /// A power of two long, at most half full: `entry` is the index + 1, 0 for an empty slot.
    slots: Box<[Slot]>,
    /// log2 of the length: a hash's top `bits` bits are its first slot.
    bits: u32,
    /// How many items it was made of.
    count: usize,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// The hash's low half: most slots that are not the one are passed over without reading
    /// the entry.
    tag: u32,
    entry: u32,
}

impl Default for IdTable {
    /// The table of no items.
    fn default() -> Self {
        IdTable::of(0, |_| "")
    }
}

impl IdTable {
    /// The table of `count` items whose texts `id_of` gives; of two items with one text (entries
    /// of a base built without the loader's checks), the later.
    pub fn of<'a>(count: usize, id_of: impl Fn(usize) -> &'a str) -> IdTable {
        let bits = (count.max(4) * 2).next_power_of_two().trailing_zeros();
        let mut slots = vec![Slot::default(); 1 << bits].into_boxed_slice();
        let mask = slots.len() - 1;
        for i in 0..count {
            let id = id_of(i);
            let h = hash(id);
            let mut at = (h >> (64 - bits)) as usize;
            loop {
                let slot = &mut slots[at];
                if slot.entry == 0 {
                    *slot = Slot {
                        tag: h as u32,
                        entry: i as u32 + 1,
                    };
                    break;
                }
                if slot.tag == h as u32 && id_of(slot.entry as usize - 1) == id {
                    slot.entry = i as u32 + 1;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        IdTable { slots, bits, count }
    }

    /// How many items it was made of.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The index of the item with this text.
    pub fn find<'a>(&self, id: &str, id_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        let h = hash(id);
        let mask = self.slots.len() - 1;
        let mut at = (h >> (64 - self.bits)) as usize;
        loop {
            let slot = self.slots[at];
            if slot.entry == 0 {
                return None;
            }
            let i = slot.entry as usize - 1;
            if slot.tag == h as u32 && id_of(i) == id {
                return Some(i);
            }
            at = (at + 1) & mask;
        }
    }
}

/// foldhash with a fixed seed, as the search index hashes its words (the texts come from the
/// pack, not from strangers: no need for a random seed), so a text hashes alike in every process.
fn hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x636c_696f).hash_one(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(ids: &[&'static str]) -> IdTable {
        IdTable::of(ids.len(), |i| ids[i])
    }

    #[test]
    fn every_id_is_found_and_no_other() {
        let ids: Vec<&'static str> = (0..5000)
            .map(|i| &*Box::leak(format!("entry-{i}").into_boxed_str()))
            .collect();
        let t = table(&ids);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(t.find(id, |j| ids[j]), Some(i), "{id}");
        }
        for absent in [
            "",
            "entry-",
            "entry-5000",
            "entry-00",
            "ENTRY-1",
            "entry-1 ",
        ] {
            assert_eq!(t.find(absent, |j| ids[j]), None, "{absent:?}");
        }
    }

    #[test]
    fn of_two_entries_with_one_id_the_later_is_found() {
        let ids = ["katyn", "anders", "katyn", "pact"];
        let t = table(&ids);
        assert_eq!(t.find("katyn", |j| ids[j]), Some(2));
        assert_eq!(t.find("anders", |j| ids[j]), Some(1));
        assert_eq!(t.find("pact", |j| ids[j]), Some(3));
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let t = table(&[]);
        assert_eq!(
            t.find("katyn", |_| -> &'static str {
                unreachable!("an empty table reads no entry")
            }),
            None
        );
    }

    #[test]
    fn ids_that_differ_in_a_last_letter_or_length_hash_apart() {
        // The same beginning, the last letter different; and the length counts.
        let ids = [
            "soviet-invasion-of-poland",
            "soviet-invasion-of-polanc",
            "soviet-invasion-of-polan",
            "soviet-invasion-of-poland\0",
        ];
        let hashes: std::collections::BTreeSet<u64> = ids.iter().map(|id| hash(id)).collect();
        assert_eq!(hashes.len(), ids.len());
        let t = table(&ids);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(t.find(id, |j| ids[j]), Some(i));
        }
    }
}
