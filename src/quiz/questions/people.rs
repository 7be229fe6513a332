//! "Who" questions: a person by a role they held, with wrong options that never held a like role.

use std::collections::BTreeSet;

use super::shared::{
    distinct_names, entry_options, name_words, per_locale, short_summary, source_for,
};
use super::{Facts, Rng, LOCALES};
use crate::i18n::Locale;
use crate::knowledge::question::{Answer, Question, QuestionKind};
use crate::knowledge::{Person, Text};
use crate::search::normalize;

/// Words that say what someone was: two people sharing one held a like role.
const TITLE_WORDS: &[&str] = &[
    "general",
    "marshal",
    "colonel",
    "ambassador",
    "minister",
    "president",
    "commander",
    "komandarm",
    "brigadier",
    "kombrig",
    "commissar",
    "leader",
    "prime",
    "premier",
    "author",
    "corporal",
    "private",
    "officer",
    "dean",
    "chief",
    "head",
    "king",
    "envoy",
    "marszalek",
    "pulkownik",
    "ambasador",
    "prezydent",
    "dowodca",
    "kombryg",
    "komisarz",
    "przywodca",
    "autor",
    "kapral",
    "szeregowy",
    "oficer",
    "dziekan",
    "szef",
];

const ROLE_FILLER: &[&str] = &[
    "of", "the", "a", "an", "in", "on", "to", "and", "for", "from", "with", "at", "by", "as", "w",
    "we", "z", "ze", "i", "na", "do", "od", "o", "dla", "przy", "pod",
];

fn role_words(role: &str) -> BTreeSet<String> {
    normalize(role)
        .split(' ')
        .filter(|w| {
            !w.is_empty() && !ROLE_FILLER.contains(w) && !w.bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

/// Whether two roles could describe the same thing: they share a title word, or most of their
/// words. Generous on purpose: a plausible wrong option is lost, never a right one offered as wrong.
pub fn roles_match(a: &Text, b: &Text) -> bool {
    LOCALES.iter().any(|l| {
        let (wa, wb) = (role_words(a.get(*l)), role_words(b.get(*l)));
        if wa.is_empty() || wb.is_empty() {
            return false;
        }
        let shared = wa.intersection(&wb).count();
        let title = wa
            .intersection(&wb)
            .any(|w| TITLE_WORDS.contains(&w.as_str()));
        title || shared * 2 > wa.len().min(wb.len())
    })
}

pub(super) fn who_role(facts: &Facts, p: &Person, role: usize, rng: &mut Rng) -> Option<Question> {
    let role_text = p.roles.get(role)?;
    // A role that names its holder gives the answer away.
    let own_names: Vec<String> = p
        .name
        .values()
        .chain(p.aliases.iter().map(String::as_str))
        .flat_map(|n| {
            normalize(n)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 4)
        .collect();
    let role_norm: Vec<String> = LOCALES
        .iter()
        .map(|l| format!(" {} ", normalize(role_text.get(*l))))
        .collect();
    if own_names
        .iter()
        .any(|n| role_norm.iter().any(|r| r.contains(&format!(" {n} "))))
    {
        return None;
    }
    let eligible = |o: &&Person| o.id != p.id && !o.roles.iter().any(|r| roles_match(r, role_text));
    let mut same_side: Vec<&Person> = facts
        .people
        .iter()
        .copied()
        .filter(eligible)
        .filter(|o| o.side.is_some() && o.side == p.side)
        .collect();
    let mut rest: Vec<&Person> = facts
        .people
        .iter()
        .copied()
        .filter(eligible)
        .filter(|o| !(o.side.is_some() && o.side == p.side))
        .collect();
    rng.shuffle(&mut same_side);
    rng.shuffle(&mut rest);
    same_side.extend(rest);
    let wrong = distinct_names(
        &p.name,
        same_side.iter().map(|o| (o.id.as_str(), &o.name)),
        3,
    );
    if wrong.len() < 2 {
        return None;
    }
    let prompt = per_locale(|l| match l {
        Locale::En => format!("Who is described here: “{}”?", role_text.get(l)),
        Locale::Pl => format!("Kogo dotyczy ten opis: „{}”?", role_text.get(l)),
    });
    let (options, correct) = entry_options(rng, (p.id.as_str(), &p.name), wrong);
    Some(Question {
        key: format!("who:{}:{role}", p.id),
        kind: QuestionKind::WhoRole,
        prompt,
        answer: Answer::Choice { options, correct },
        explanation: per_locale(|l| {
            format!(
                "{}: {}. {}",
                p.name.get(l),
                role_text.get(l),
                short_summary(&p.summary, l)
            )
        }),
        source: source_for(&p.sources, &name_words(&p.name)),
        entry: Some(p.id.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_roles_match_and_unlike_ones_do_not() {
        let t = |en: &str| Text::en(en);
        let cases: &[(&str, &str, bool)] = &[
            (
                "Polish ambassador to the USSR",
                "Polish Ambassador to the Soviet Union",
                true,
            ),
            (
                "Prime Minister of Poland",
                "Polish Prime Minister-in-Exile",
                true,
            ),
            (
                "General of the Polish Army",
                "General; commander of the Independent Operational Group \"Polesie\"",
                true,
            ),
            ("Marshal of Poland", "British Prime Minister", false),
            (
                "Soviet ambassador in London",
                "Leader of Nazi Germany",
                false,
            ),
        ];
        for (a, b, expected) in cases {
            assert_eq!(roles_match(&t(a), &t(b)), *expected, "{a} / {b}");
        }
    }
}
