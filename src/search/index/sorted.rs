//! Finding a text in the index's sorted lists without reading most of the texts on the way.
//!
//! A binary search over ids sorted by text reads, at each step, an id, where its text starts and
//! the text: three reads from three places, each waiting on the one before. When the caches are
//! cold (interactions come seconds apart, other processes run between), a query's dozen searches
//! were a good part of its time (issue #14). Beside each sorted list lies each text's first eight
//! bytes as a number ([`Heads`]): a search steps through those, one array, and reads a text only
//! among the few that begin alike. The deletion pairs, sorted by hash, get the start of each range
//! of hashes ([`Buckets`]): one read finds where to look.

use std::ops::Range;

/// A text's first eight bytes as a number that sorts as the texts do: big-endian, and a shorter
/// text padded with zeros (so, if `a < b`, then `head(a) <= head(b)`).
fn head(s: &str) -> u64 {
    let b = s.as_bytes();
    let mut h = [0u8; 8];
    let n = b.len().min(8);
    h[..n].copy_from_slice(&b[..n]);
    u64::from_be_bytes(h)
}

/// The first eight bytes of each text of a list sorted by text, in the list's order.
#[derive(Default)]
pub(super) struct Heads(Vec<u64>);

impl Heads {
    /// The heads of a sorted list of `len` texts, the `p`th being `text_at(p)`.
    pub(super) fn of<'a>(len: usize, text_at: impl Fn(usize) -> &'a str) -> Heads {
        Heads((0..len).map(|p| head(text_at(p))).collect())
    }

    /// The first place in `within` whose text is not below `key`.
    pub(super) fn lower_bound<'a>(
        &self,
        within: Range<usize>,
        key: &str,
        text_at: impl Fn(usize) -> &'a str,
    ) -> usize {
        let heads = &self.0[within.clone()];
        let hk = head(key);
        let from = heads.partition_point(|h| *h < hk);
        // The texts that begin as `key` does: only among these is a text read.
        let alike = heads[from..].partition_point(|h| *h == hk);
        let start = within.start + from;
        let (mut lo, mut hi) = (0, alike);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if text_at(start + mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        start + lo
    }

    /// The places in `within` whose text starts with `prefix` (the first `most` of them).
    pub(super) fn starting_with<'a>(
        &self,
        within: Range<usize>,
        prefix: &str,
        most: usize,
        text_at: impl Fn(usize) -> &'a str,
    ) -> Range<usize> {
        let end = within.end;
        let from = self.lower_bound(within, prefix, &text_at);
        let len = if prefix.len() <= 8 {
            // A text starts with `prefix` when its head does: from `prefix`'s own head up to
            // the head of `prefix` followed by 0xff bytes.
            let top = head(prefix) | u64::MAX.checked_shr(8 * prefix.len() as u32).unwrap_or(0);
            self.0[from..end].partition_point(|h| *h <= top)
        } else {
            (from..end)
                .take_while(|p| text_at(*p).starts_with(prefix))
                .take(most)
                .count()
        };
        from..from + len.min(most)
    }

    /// The places whose text is `key`.
    pub(super) fn equal<'a>(&self, key: &str, text_at: impl Fn(usize) -> &'a str) -> Range<usize> {
        let from = self.lower_bound(0..self.0.len(), key, &text_at);
        let hk = head(key);
        let len = self.0[from..]
            .iter()
            .enumerate()
            .take_while(|(j, h)| **h == hk && text_at(from + j) == key)
            .count();
        from..from + len
    }
}

/// Where the pairs of each range of hashes start, in a list of pairs sorted by a 32-bit hash:
/// the top `bits` bits of a hash name its range. About four pairs a range.
pub(super) struct Buckets {
    starts: Vec<u32>,
    bits: u32,
}

impl Default for Buckets {
    /// Those of no pairs.
    fn default() -> Self {
        Buckets::of([].into_iter())
    }
}

impl Buckets {
    /// The ranges of `hashes`, sorted.
    pub(super) fn of(hashes: impl ExactSizeIterator<Item = u32>) -> Buckets {
        let bits = (hashes.len() / 4)
            .max(1)
            .next_power_of_two()
            .trailing_zeros();
        let mut starts = vec![0u32; (1 << bits) + 1];
        for h in hashes {
            starts[bucket(h, bits) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        Buckets { starts, bits }
    }

    /// The places of the pairs whose hash has the top bits of `h` (the pairs with `h` are among
    /// them).
    pub(super) fn range(&self, h: u32) -> Range<usize> {
        let k = bucket(h, self.bits);
        self.starts[k] as usize..self.starts[k + 1] as usize
    }
}

fn bucket(h: u32, bits: u32) -> usize {
    (u64::from(h) >> (32 - bits)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every way of finding, against the plain scan of the sorted list.
    fn check(texts: &[&str], keys: &[&str]) {
        let mut sorted = texts.to_vec();
        sorted.sort_unstable();
        let heads = Heads::of(sorted.len(), |p| sorted[p]);
        let at = |p: usize| sorted[p];
        for key in keys {
            let below = sorted.iter().filter(|t| *t < key).count();
            let whole = 0..sorted.len();
            assert_eq!(heads.lower_bound(whole.clone(), key, at), below, "{key:?}");
            let equal = sorted.iter().filter(|t| *t == key).count();
            assert_eq!(heads.equal(key, at), below..below + equal, "{key:?}");
            for most in [1, 3, usize::MAX] {
                let starting = sorted.iter().filter(|t| t.starts_with(key)).count();
                assert_eq!(
                    heads.starting_with(whole.clone(), key, most, at),
                    below..below + starting.min(most),
                    "{key:?} {most}"
                );
            }
            // Within a part of the list.
            let part = sorted.len() / 3..sorted.len() - sorted.len() / 3;
            let below = part.start + sorted[part.clone()].iter().filter(|t| *t < key).count();
            assert_eq!(heads.lower_bound(part.clone(), key, at), below, "{key:?}");
            let starting = sorted[part.clone()]
                .iter()
                .filter(|t| t.starts_with(key))
                .count();
            assert_eq!(
                heads.starting_with(part, key, usize::MAX, at),
                below..below + starting,
                "{key:?}"
            );
        }
    }

    #[test]
    fn texts_are_found_as_a_scan_finds_them() {
        let texts = [
            "a",
            "ab",
            "abc",
            "anders",
            "anders",
            "andersa",
            "andersarmy",
            "andersarmz",
            "battle of wilno",
            "battle of wizna",
            "battle of",
            "battle",
            "battles",
            "b",
            "",
            "zzzzzzzzzzzz",
            "zzzzzzzz",
            "zzzzzzzzz",
            "\u{17c}o\u{142}nierz",
            "\u{17c}",
        ];
        let keys = [
            "",
            "a",
            "an",
            "anders",
            "andersa",
            "andersarm",
            "andersarmy",
            "andersarmyy",
            "battle of w",
            "battle of wi",
            "battle o",
            "battle of",
            "battle",
            "c",
            "zzzzzzzz",
            "zzzzzzzzz",
            "zzzzzzzzzzzzz",
            "\u{17c}",
            "\u{17c}o",
            "~",
        ];
        check(&texts, &keys);
        check(&[], &keys);
        check(&["anders"], &keys);
    }

    #[test]
    fn each_hash_is_in_its_bucket() {
        let mut hashes: Vec<u32> = (0..10_000u32)
            .map(|i| i.wrapping_mul(0x9e37_79b9) ^ (i >> 3))
            .collect();
        hashes.extend([0, u32::MAX, u32::MAX, 1 << 31]);
        hashes.sort_unstable();
        let buckets = Buckets::of(hashes.iter().copied());
        for h in hashes.iter().copied().chain([7, 1 << 30, u32::MAX - 1]) {
            let range = buckets.range(h);
            let first = hashes.partition_point(|x| *x < h);
            let last = hashes.partition_point(|x| *x <= h);
            assert!(range.start <= first && last <= range.end, "{h}");
            assert!(range.len() < 64, "{h}: {range:?}");
        }
        // None, or one.
        assert_eq!(Buckets::of([].into_iter()).range(5), 0..0);
        assert_eq!(Buckets::of([5u32].into_iter()).range(5), 0..1);
    }
}
