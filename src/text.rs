//! Text helpers every layer uses: cleaning what a user typed, and shortening to a limit.

/// Options as the user typed them: trimmed, control characters removed, length bounded.
pub fn clean_input(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    trimmed.chars().take(200).collect()
}

/// Shorten `s` to at most `max` characters, at a word boundary when one is near, with an ellipsis.
pub fn shorten(s: &str, max: usize) -> String {
    // No more bytes than `max` is no more characters either: most texts fit, and are not counted.
    if s.len() <= max || s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // The first `max - 1` characters, as a slice of `s`.
    let end = s.char_indices().nth(max - 1).map_or(s.len(), |(at, _)| at);
    let cut = &s[..end];
    let kept = match cut.rfind(char::is_whitespace) {
        Some(pos) if cut[..pos].chars().count() > max * 3 / 4 => cut[..pos].trim_end(),
        _ => cut,
    };
    let mut out = String::with_capacity(kept.len() + '…'.len_utf8());
    out.push_str(kept);
    out.push('…');
    out
}

/// `s` within `max` characters: `s` itself when it fits (most texts do: no copy), else
/// [`shorten`]ed.
pub fn fit_within(s: String, max: usize) -> String {
    if s.len() <= max || s.chars().count() <= max {
        s
    } else {
        shorten(&s, max)
    }
}

/// Keep the first of the items with the same key, in their order: a scan of the ones kept for
/// a few items (no hashing; the usual case, a card's buttons or an entry's sources), a set for
/// more.
pub fn keep_first<T, K: Eq + std::hash::Hash + ?Sized>(items: &mut Vec<T>, key: impl Fn(&T) -> &K) {
    if items.len() <= 32 {
        let mut kept = 0;
        for i in 0..items.len() {
            let seen = {
                let k = key(&items[i]);
                items[..kept].iter().any(|x| key(x) == k)
            };
            if !seen {
                // Only items left out lie between `kept` and `i`: the order of the kept holds.
                items.swap(kept, i);
                kept += 1;
            }
        }
        items.truncate(kept);
    } else {
        let first: Vec<bool> = {
            let mut seen = std::collections::HashSet::new();
            items.iter().map(|x| seen.insert(key(x))).collect()
        };
        let mut at = 0;
        items.retain(|_| {
            at += 1;
            first[at - 1]
        });
    }
}

/// Discord markdown (and mentions) in what a user typed is shown, not obeyed.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '[' | ']' | '<' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// User text shown back inside one of Clio's code spans (`` `like this` ``): the one escaping
/// function for user text in every message. A backtick of the user's becomes `'`, so it cannot
/// close Clio's span and turn the rest into markdown, mentions or links; control characters and
/// line breaks become spaces; the length is bounded.
pub fn quote_input(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    shorten(s.trim(), 100)
}

/// How many columns `s` takes on a terminal: its characters, less colour escapes (`ESC [ … m`).
pub fn visible_width(s: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match c {
            '\x1b' => in_escape = true,
            'm' if in_escape => in_escape = false,
            _ if in_escape => {}
            _ => width += 1,
        }
    }
    width
}

/// Wrap each line of `s` at word boundaries to `width` columns, never inside a word: a word longer
/// than the width gets a line of its own. A wrapped line's continuation keeps its indentation, so
/// a list item or an indented quote stays one block.
pub fn wrap(s: &str, width: usize) -> String {
    let width = width.max(1);
    let mut out = String::with_capacity(s.len() + s.len() / width.max(8));
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if visible_width(line) <= width {
            out.push_str(line);
            continue;
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        // A hanging indent only while it leaves room for words.
        let indent = if visible_width(indent) * 2 < width {
            indent
        } else {
            ""
        };
        let mut column = 0;
        out.push_str(indent);
        column += visible_width(indent);
        let mut first = true;
        for word in body.split(' ').filter(|w| !w.is_empty()) {
            let w = visible_width(word);
            if !first && column + 1 + w > width {
                out.push('\n');
                out.push_str(indent);
                column = visible_width(indent);
                first = true;
            }
            if !first {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += w;
            first = false;
        }
    }
    out
}

#[cfg(test)]
mod wrap_tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_never_inside_a_word() {
        let text =
            "The Soviet invasion of Poland was a military operation without a declaration of war.";
        let wrapped = wrap(text, 20);
        for line in wrapped.lines() {
            assert!(visible_width(line) <= 20, "{line:?} in {wrapped:?}");
        }
        assert_eq!(wrapped.replace('\n', " "), text);
        assert_eq!(
            wrap("unbreakable-identifier-longer-than-ten x", 10),
            "unbreakable-identifier-longer-than-ten\nx"
        );
    }

    #[test]
    fn wrapping_ignores_colour_codes_and_keeps_indentation() {
        let coloured = "\x1b[1mbold\x1b[0m word";
        assert_eq!(wrap(coloured, 9), coloured);
        assert_eq!(wrap("  one two three", 9), "  one two\n  three");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_first_keeps_the_first_of_each_in_order_few_or_many() {
        for n in [0usize, 1, 5, 32, 33, 200] {
            let mut items: Vec<(usize, usize)> = (0..n).map(|i| (i % 7, i)).collect();
            keep_first(&mut items, |(k, _)| k);
            let expected: Vec<(usize, usize)> = (0..n.min(7)).map(|i| (i, i)).collect();
            assert_eq!(items, expected, "{n} items");
        }
        let mut words = vec!["b", "a", "b", "c", "a", "d"];
        keep_first(&mut words, |w| *w);
        assert_eq!(words, ["b", "a", "c", "d"]);
    }

    #[test]
    fn fit_within_keeps_a_text_that_fits_and_shortens_one_that_does_not() {
        let fits = "Mościcki".to_string();
        let at = fits.as_ptr();
        let kept = fit_within(fits, 8);
        assert_eq!((kept.as_str(), kept.as_ptr()), ("Mościcki", at));
        assert_eq!(
            fit_within("one two three four five six".into(), 15),
            shorten("one two three four five six", 15)
        );
    }

    #[test]
    fn shorten_counts_characters_not_bytes() {
        assert_eq!(shorten("zażółć", 6), "zażółć");
        assert_eq!(shorten("zażółć gęślą", 6), "zażół…");
        assert_eq!(
            shorten("one two three four five", 20),
            "one two three four…"
        );
        assert_eq!(shorten("abcdef", 0), "");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
    }
}
