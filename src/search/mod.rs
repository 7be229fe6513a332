//! Finding entries by what people type.
//!
//! Names are normalized (case, punctuation, diacritics, `ł`, Cyrillic transliterated by deunicode)
//! and split into tokens. An inverted index maps tokens to names; typos are found through a
//! deletion index (every token and its one-letter deletions, the SymSpell idea), and partial words
//! through a sorted vocabulary. A lookup therefore touches only the names that share a (nearly)
//! matching token with the query, whatever the size of the base; strsim scores those few.

mod index;
mod words;

pub use index::{Hit, SearchIndex};

/// Lowercase, strip diacritics (and transliterate other scripts), turn punctuation into spaces.
pub fn normalize(s: &str) -> String {
    let mut pre = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // Apostrophes join a word rather than split it: "O'Brien" is "obrien".
            '\'' | '’' | 'ʼ' | '`' => {}
            c if c.is_control() => pre.push(' '),
            c => pre.push(c),
        }
    }
    let ascii = deunicode::deunicode_with_tofu(&pre, " ");
    let mut out = String::with_capacity(ascii.len());
    let mut space = true;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The outcome of a search, by confidence.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// One entry is clearly meant: answer it.
    Found(Hit),
    /// Several entries are close: offer them (at most 5).
    Ambiguous(Vec<Hit>),
    /// Nothing matches; `nearest` is a plausible guess worth suggesting, if any.
    NotFound { nearest: Option<Hit> },
}

/// Scores at or above this answer directly when no rival is close.
pub const CONFIDENT: f32 = 0.80;
/// Scores at or above this are worth offering as "did you mean".
pub const PLAUSIBLE: f32 = 0.60;
/// Scores at or above this may be suggested after a no-match.
pub const SUGGESTIBLE: f32 = 0.50;

/// Turn ranked hits into an answer with a confidence level.
pub fn classify(hits: &[Hit]) -> Outcome {
    let Some(top) = hits.first() else {
        return Outcome::NotFound { nearest: None };
    };
    let second = hits.get(1).map(|h| h.score).unwrap_or(0.0);
    if top.score >= 0.97 && second < top.score - 0.015 {
        return Outcome::Found(top.clone());
    }
    if top.score >= CONFIDENT && (second < CONFIDENT - 0.1 || top.score - second >= 0.1) {
        return Outcome::Found(top.clone());
    }
    // A clear lead at a high score is no tie: "Rommania" is Romania, not the Romanian Bridgehead;
    // nor is a good match far ahead of any other (an office only one person held).
    if (top.score >= 0.85 && top.score - second >= 0.025)
        || (top.score >= 0.62 && top.score - second >= 0.2)
        || (top.score >= 0.75 && top.score - second >= 0.12)
    {
        return Outcome::Found(top.clone());
    }
    if top.score >= PLAUSIBLE {
        let floor = (top.score - 0.2).max(PLAUSIBLE);
        let close: Vec<Hit> = hits
            .iter()
            .filter(|h| h.score >= floor)
            .take(5)
            .cloned()
            .collect();
        if close.len() > 1 {
            return Outcome::Ambiguous(close);
        }
        // The one plausible match, well ahead of anything else: what was meant.
        if top.score >= 0.62 && top.score - second >= 0.1 {
            return Outcome::Found(top.clone());
        }
        return Outcome::NotFound {
            nearest: Some(top.clone()),
        };
    }
    Outcome::NotFound {
        nearest: (top.score >= SUGGESTIBLE).then(|| top.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_scripts_and_punctuation() {
        assert_eq!(normalize("Rydz-Śmigły"), "rydz smigly");
        assert_eq!(normalize("Сталин"), "stalin");
        assert_eq!(normalize("  Łuck!! "), "luck");
        assert_eq!(normalize("O'Brien"), "obrien");
        assert_eq!(normalize(""), "");
    }
}
