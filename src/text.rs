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
