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
    if s.chars().count() <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let trimmed = match cut.rfind(char::is_whitespace) {
        Some(pos) if cut[..pos].chars().count() > max * 3 / 4 => cut[..pos].trim_end().to_string(),
        _ => cut,
    };
    format!("{trimmed}…")
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
