//! Figure questions: a number a source gives, with wrong values scaled clearly apart and written
//! as the source writes it.

use super::shared::per_locale;
use super::Rng;
use crate::i18n::Locale;
use crate::knowledge::question::{
    Answer, AnswerOption, Meaning, Question, QuestionKind, QuestionSource,
};
use crate::knowledge::{Event, KnowledgeBase, Text};
use crate::search::normalize;

/// One number in a figure's text, where it sits and how it is written.
#[derive(Debug, Clone, PartialEq)]
struct NumberToken {
    start: usize,
    end: usize,
    /// The whole value (13.5 million is 13_500_000).
    value: f64,
    /// What the written digits are multiplied by (`million`, `tys.`).
    scale: f64,
    decimals: usize,
    significant: usize,
    /// The thousands separator the text uses, if any.
    separator: Option<char>,
}

const MONTH_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "stycz",
    "lut",
    "marz",
    "kwie",
    "maj",
    "czerw",
    "lip",
    "sierp",
    "wrzes",
    "pazdzier",
    "listopad",
    "grud",
];

/// The numbers of a figure's text in one locale, or `None` when it holds anything a scaled copy
/// would get wrong: a year, a date, a time of day.
fn numbers(text: &str, locale: Locale) -> Option<Vec<NumberToken>> {
    let norm = normalize(text);
    if MONTH_WORDS
        .iter()
        .any(|m| norm.split(' ').any(|w| w.starts_with(m)))
    {
        return None;
    }
    let (group_sep, decimal_sep): (&[char], char) = match locale {
        Locale::En => (&[','], '.'),
        Locale::Pl => (&[' ', '\u{a0}', '\u{202f}'], ','),
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !c.is_ascii_digit() || (i > 0 && chars[i - 1].1.is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut digits = String::new();
        let mut j = i;
        let mut separator = None;
        while j < chars.len() && chars[j].1.is_ascii_digit() {
            digits.push(chars[j].1);
            j += 1;
        }
        // Thousands groups: a separator followed by exactly three digits.
        let digit_at = |k: usize| chars.get(k).is_some_and(|(_, d)| d.is_ascii_digit());
        while j < chars.len()
            && group_sep.contains(&chars[j].1)
            && (1..=3).all(|k| digit_at(j + k))
            && !digit_at(j + 4)
        {
            digits.extend((1..=3).map(|k| chars[j + k].1));
            separator = Some(chars[j].1);
            j += 4;
        }
        let mut decimals = String::new();
        if j + 1 < chars.len() && chars[j].1 == decimal_sep && chars[j + 1].1.is_ascii_digit() {
            j += 1;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                decimals.push(chars[j].1);
                j += 1;
            }
        }
        if j < chars.len() && (chars[j].1 == ':' || chars[j].1.is_ascii_alphabetic()) {
            return None; // 4:00, 5th, 1939r
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let mantissa: f64 = format!(
            "{digits}.{}",
            if decimals.is_empty() { "0" } else { &decimals }
        )
        .parse()
        .ok()?;
        if separator.is_none()
            && decimals.is_empty()
            && (1000..=2100).contains(&(mantissa as i64))
            && digits.len() == 4
            && locale == Locale::En
        {
            return None; // looks like a year
        }
        let rest = normalize(&text[end..]);
        let scale = match rest.split(' ').next().unwrap_or("") {
            "million" | "millions" | "mln" | "miliona" | "milionow" | "milion" | "miliony" => 1e6,
            "thousand" | "tys" | "tysiecy" | "tysiace" => 1e3,
            _ => 1.0,
        };
        let trimmed = digits.trim_start_matches('0');
        let significant = if decimals.is_empty() {
            trimmed.trim_end_matches('0').len().max(1)
        } else {
            trimmed.len() + decimals.len()
        };
        out.push(NumberToken {
            start,
            end,
            value: mantissa * scale,
            scale,
            decimals: decimals.len(),
            significant,
            separator,
        });
        i = j;
    }
    Some(out)
}

fn round_significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let magnitude = x.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits as i32 - 1 - magnitude);
    (x * factor).round() / factor
}

fn format_number(value: f64, decimals: usize, locale: Locale, separator: Option<char>) -> String {
    let rounded = format!("{value:.decimals$}");
    let (int, frac) = match rounded.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (rounded, None),
    };
    let (default_sep, dec) = match locale {
        Locale::En => (',', "."),
        Locale::Pl => ('\u{a0}', ","),
    };
    let sep = separator.unwrap_or(default_sep);
    // Polish writes four-digit numbers without a separator, English groups from 1,000.
    let group = match locale {
        Locale::En => int.len() > 3,
        Locale::Pl => int.len() > 4 || (separator.is_some() && int.len() > 3),
    };
    let mut grouped = String::new();
    if group {
        for (k, c) in int.chars().enumerate() {
            if k > 0 && (int.len() - k) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
    } else {
        grouped = int;
    }
    match frac {
        Some(f) => format!("{grouped}{dec}{f}"),
        None => grouped,
    }
}

/// The text with each of its numbers multiplied by `factor`, written as the original was.
fn scaled_text(text: &str, tokens: &[NumberToken], factor: f64, locale: Locale) -> String {
    let mut out = String::new();
    let mut at = 0;
    for t in tokens {
        out.push_str(&text[at..t.start]);
        let digits = t.significant.max(2);
        let mantissa = round_significant(t.value * factor / t.scale, digits);
        // No more decimals than the precision needs: 13.5 × 16 is 216, not 216.0.
        let whole = (mantissa.abs().max(1.0).log10().floor() as usize) + 1;
        let decimals = t.decimals.min(digits.saturating_sub(whole));
        out.push_str(&format_number(mantissa, decimals, locale, t.separator));
        at = t.end;
    }
    out.push_str(&text[at..]);
    out
}

fn scaled_amount(tokens: &[NumberToken], factor: f64) -> (f64, f64) {
    let values = tokens
        .iter()
        .map(|t| round_significant(t.value * factor / t.scale, t.significant.max(2)) * t.scale);
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

pub(super) fn figure(
    kb: &KnowledgeBase,
    e: &Event,
    index: usize,
    rng: &mut Rng,
) -> Option<Question> {
    let fig = e.figures.get(index)?;
    let [value] = fig.values.as_slice() else {
        return None;
    };
    let en = numbers(value.value.get(Locale::En), Locale::En)?;
    if en.is_empty() {
        return None;
    }
    let has_pl = value.value.has(Locale::Pl);
    let pl = if has_pl {
        numbers(value.value.get(Locale::Pl), Locale::Pl)?
    } else {
        Vec::new()
    };
    // The Polish text must carry the same numbers, or its scaled copy would say something else.
    if has_pl
        && (pl.len() != en.len()
            || en
                .iter()
                .zip(&pl)
                .any(|(a, b)| (a.value - b.value).abs() > a.value.abs() * 1e-9))
    {
        return None;
    }
    let lo = en.iter().map(|t| t.value).fold(f64::INFINITY, f64::min);
    let hi = en.iter().map(|t| t.value).fold(f64::NEG_INFINITY, f64::max);
    if lo < 10.0 || hi / lo > 3.0 {
        return None;
    }
    // Each option a clear step from the next: more than the spread of the value itself.
    let step = (1.6 * hi / lo).max(2.5);
    let below = rng.below(4) as i32;
    let exponents: Vec<i32> = (-below..=(3 - below)).collect();
    let mut options = Vec::new();
    let mut correct = 0;
    for (k, exp) in exponents.iter().enumerate() {
        let factor = step.powi(*exp);
        let text = if *exp == 0 {
            value.value.clone()
        } else {
            let mut t = Text::default();
            t.0.insert(
                "en".into(),
                scaled_text(value.value.get(Locale::En), &en, factor, Locale::En),
            );
            if has_pl {
                t.0.insert(
                    "pl".into(),
                    scaled_text(value.value.get(Locale::Pl), &pl, factor, Locale::Pl),
                );
            }
            t
        };
        let (a, b) = if *exp == 0 {
            (lo, hi)
        } else {
            scaled_amount(&en, factor)
        };
        if a < 1.0 {
            return None;
        }
        if *exp == 0 {
            correct = k;
        }
        options.push(AnswerOption {
            text,
            meaning: Meaning::Amount { lo: a, hi: b },
        });
    }
    let source = kb.source(&value.source);
    let prompt = per_locale(|l| match l {
        Locale::En => format!(
            "**{}**: {}. What figure does the source give?",
            e.name.get(l),
            fig.label.get(l)
        ),
        Locale::Pl => format!(
            "**{}**: {}. Jaką liczbę podaje źródło?",
            e.name.get(l),
            fig.label.get(l)
        ),
    });
    let explanation = per_locale(|l| {
        let title = source.map(|s| s.title.as_str()).unwrap_or(&value.source);
        match l {
            Locale::En => format!(
                "{}: {}, according to “{title}”.",
                fig.label.get(l),
                value.value.get(l)
            ),
            Locale::Pl => format!(
                "{}: {}, według źródła „{title}”.",
                fig.label.get(l),
                value.value.get(l)
            ),
        }
    });
    Some(Question {
        key: format!("figure:{}:{index}", e.id),
        kind: QuestionKind::Figure,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation,
        source: Some(QuestionSource {
            id: value.source.clone(),
            quote: value.quote.clone(),
        }),
        entry: Some(e.id.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_in_each_locale_and_dates_refused() {
        let cases: &[(&str, Locale, Option<Vec<f64>>)] = &[
            ("over 70,000", Locale::En, Some(vec![70_000.0])),
            ("ponad 70 000", Locale::Pl, Some(vec![70_000.0])),
            ("3,000–7,000", Locale::En, Some(vec![3000.0, 7000.0])),
            ("3000–7000", Locale::Pl, Some(vec![3000.0, 7000.0])),
            ("some 13.5 million", Locale::En, Some(vec![13_500_000.0])),
            ("około 13,5 miliona", Locale::Pl, Some(vec![13_500_000.0])),
            (
                "ok. 15 tys., wywiezionych",
                Locale::Pl,
                Some(vec![15_000.0]),
            ),
            (
                "about 15,000, taken to the camps",
                Locale::En,
                Some(vec![15_000.0]),
            ),
            ("4:00 pm on 17 September", Locale::En, None),
            ("hundreds of thousands (1939–1941)", Locale::En, None),
            ("one week", Locale::En, Some(vec![])),
        ];
        for (text, locale, expected) in cases {
            let got =
                numbers(text, *locale).map(|ts| ts.iter().map(|t| t.value).collect::<Vec<_>>());
            assert_eq!(&got, expected, "{text}");
        }
    }

    #[test]
    fn scaled_figures_keep_their_wording_and_precision() {
        let cases: &[(&str, Locale, f64, &str)] = &[
            ("over 70,000", Locale::En, 2.5, "over 180,000"),
            ("ponad 70 000", Locale::Pl, 2.5, "ponad 180 000"),
            ("only 310", Locale::En, 2.5, "only 780"),
            ("1,475–3,000", Locale::En, 4.0, "5,900–12,000"),
            ("some 13.5 million", Locale::En, 2.5, "some 33.8 million"),
            ("some 13.5 million", Locale::En, 16.0, "some 216 million"),
            ("około 13,5 miliona", Locale::Pl, 2.5, "około 33,8 miliona"),
            ("3000–7000", Locale::Pl, 0.4, "1200–2800"),
        ];
        for (text, locale, factor, expected) in cases {
            let tokens = numbers(text, *locale).unwrap();
            assert_eq!(
                scaled_text(text, &tokens, *factor, *locale),
                *expected,
                "{text} × {factor}"
            );
        }
    }
}
