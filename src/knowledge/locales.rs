//! A text's translations, packed in one allocation (see [`Locales`]).

use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A text's translations by locale code, in code order, in one allocation: a short header, then
/// the texts. A text has one to three translations, often the very same words (a name), and a
/// large pack has hundreds of thousands of texts: a list of separately allocated strings cost
/// three allocations and about 110 bytes more per text (issue #14).
///
/// The header lists each translation as `code:start:length,` in code order and ends at the first
/// `;`; the texts follow it, and a translation equal to an earlier one points at the same bytes.
/// Every `Locales` is built by [`Locales::from_sorted`], so equal translations make equal values.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Locales(pub(super) Box<str>);

impl Locales {
    /// Lay out `(code, text)` pairs that are sorted by code, without repeated codes.
    pub(super) fn from_sorted(pairs: &[(&str, &str)]) -> Self {
        // Where each text goes among the texts: a text the same as an earlier one is shared.
        let mut placed: Vec<(usize, usize)> = Vec::with_capacity(pairs.len());
        // The texts to write, in order: each one once.
        let mut texts: Vec<&str> = Vec::with_capacity(pairs.len());
        let mut texts_len = 0;
        for (i, (_, text)) in pairs.iter().enumerate() {
            let at = match pairs[..i].iter().position(|(_, earlier)| earlier == text) {
                Some(same) => placed[same],
                None => {
                    texts.push(text);
                    texts_len += text.len();
                    (texts_len - text.len(), text.len())
                }
            };
            placed.push(at);
        }
        // One allocation of the exact size (a pack holds hundreds of thousands of these).
        let header: usize = pairs
            .iter()
            .zip(&placed)
            .map(|((code, _), (start, len))| code.len() + digits(*start) + digits(*len) + 3)
            .sum();
        let mut all = String::with_capacity(header + 1 + texts_len);
        for ((code, _), (start, len)) in pairs.iter().zip(&placed) {
            all.push_str(code);
            all.push(':');
            push_number(&mut all, *start);
            all.push(':');
            push_number(&mut all, *len);
            all.push(',');
        }
        all.push(';');
        for text in texts {
            all.push_str(text);
        }
        debug_assert_eq!(all.len(), header + 1 + texts_len);
        Locales(all.into_boxed_str())
    }

    /// Set the text for `code`, replacing any it had.
    pub fn insert(&mut self, code: String, text: String) {
        debug_assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        let mut pairs: Vec<(&str, &str)> = self.iter().filter(|(c, _)| *c != code).collect();
        let at = pairs.partition_point(|(c, _)| *c < code.as_str());
        pairs.insert(at, (&code, &text));
        *self = Self::from_sorted(&pairs);
    }

    pub fn get(&self, code: &str) -> Option<&str> {
        self.iter().find(|(c, _)| *c == code).map(|(_, t)| t)
    }

    pub fn contains_key(&self, code: &str) -> bool {
        self.get(code).is_some()
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// `(code, text)` in code order.
    pub fn iter(&self) -> LocalesIter<'_> {
        let (header, texts) = self.0.split_once(';').unwrap_or(("", ""));
        LocalesIter { header, texts }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(c, _)| c)
    }

    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(_, t)| t)
    }
}

impl fmt::Debug for Locales {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `(code, text)` pairs of a [`Locales`], in code order.
pub struct LocalesIter<'a> {
    /// The header not yet read: `code:start:length,` for each translation left.
    header: &'a str,
    texts: &'a str,
}

/// The decimal number at `at` in `b`, and where it ends.
fn read_number(b: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let from = at;
    let mut n = 0usize;
    while let Some(d) = b.get(at).filter(|d| d.is_ascii_digit()) {
        n = n.checked_mul(10)?.checked_add((d - b'0') as usize)?;
        at += 1;
    }
    (at > from).then_some((n, at))
}

impl<'a> Iterator for LocalesIter<'a> {
    type Item = (&'a str, &'a str);
    // Read byte by byte: every name shown reads its translation here, and splitting the header
    // and parsing its numbers as `str`s was most of a card's cost of finding its texts.
    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let h = self.header;
        let b = h.as_bytes();
        let colon = b.iter().position(|&c| c == b':')?;
        let (start, at) = read_number(b, colon + 1)?;
        if b.get(at) != Some(&b':') {
            return None;
        }
        let (len, at) = read_number(b, at + 1)?;
        self.header = match b.get(at) {
            Some(b',') => &h[at + 1..],
            None => "",
            Some(_) => return None,
        };
        Some((&h[..colon], self.texts.get(start..start.checked_add(len)?)?))
    }
}

impl<'a> IntoIterator for &'a Locales {
    type Item = (&'a str, &'a str);
    type IntoIter = LocalesIter<'a>;
    fn into_iter(self) -> LocalesIter<'a> {
        self.iter()
    }
}

impl std::ops::Index<&str> for Locales {
    type Output = str;
    fn index(&self, code: &str) -> &str {
        self.get(code)
            .unwrap_or_else(|| panic!("no text in locale `{code}`"))
    }
}

impl Serialize for Locales {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (c, t) in self {
            map.serialize_entry(c, t)?;
        }
        map.end()
    }
}

/// How many decimal digits `n` takes.
fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// Append `n` in decimal (`write!` would go through the formatting machinery, per number).
fn push_number(to: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = n;
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // (ASCII digits.)
    to.extend(buf[at..].iter().map(|&b| b as char));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let mut n = 1usize;
        let mut samples = vec![0, 9, 10, 99, 100, usize::MAX];
        while let Some(next) = n.checked_mul(7) {
            samples.extend([n - 1, n, n + 1]);
            n = next;
        }
        for n in samples {
            let mut written = String::from("x");
            push_number(&mut written, n);
            assert_eq!(written, format!("x{n}"));
            assert_eq!(digits(n), n.to_string().len(), "{n}");
        }
    }
}
