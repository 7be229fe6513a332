//! Word knowledge for matching what people type to what the pack says: stems (so "handed" meets
//! "handover" and "surrendered" meets "surrender"), synonyms across English and Polish ("agreement"
//! for "pact", "killings" for "massacre", "led" for "commander"), and titles that may stand before a
//! name without being part of it ("General", "Herr", "Comrade").

/// Groups of words that mean the same for finding an entry (normalized: lowercase, no diacritics).
const SYNONYMS: &[&[&str]] = &[
    &[
        "pact",
        "agreement",
        "treaty",
        "pakt",
        "uklad",
        "umowa",
        "porozumienie",
        "accord",
    ],
    &[
        "massacre",
        "shot",
        "shooting",
        "executed",
        "execution",
        "rozstrzelani",
        "rozstrzelanie",
        "killings",
        "killing",
        "murder",
        "murders",
        "zbrodnia",
        "mord",
        "masakra",
        "executions",
    ],
    &[
        "invasion", "invade", "invaded", "invades", "invading", "attack", "attacks", "attacked",
        "agresja", "napasc", "inwazja",
    ],
    &[
        "handover",
        "handed",
        "hand",
        "hands",
        "given",
        "transfer",
        "transferred",
        "przekazanie",
        "przekazal",
    ],
    &[
        "surrender",
        "capitulates",
        "capitulate",
        "skapitulowal",
        "fell",
        "falls",
        "surrendered",
        "surrenders",
        "capitulation",
        "kapitulacja",
        "capitulated",
    ],
    &[
        "uprising",
        "rising",
        "rebellion",
        "revolt",
        "powstanie",
        "bunt",
        "rebelled",
    ],
    &[
        "commander",
        "commanded",
        "led",
        "dowodca",
        "dowodzil",
        "commanding",
        "command",
        "chief",
        "head",
    ],
    &["ambassador", "ambasador", "envoy", "ambassadors"],
    &["deputy", "zastepca", "vice"],
    &[
        "commissar",
        "komisarz",
        "minister",
        "ministry",
        "komisarza",
        "commissariat",
    ],
    &[
        "ussr",
        "moskwa",
        "moskwie",
        "moskwy",
        "soviet",
        "soviets",
        "moscow",
        "zsrr",
        "sowiecki",
        "sowiecka",
        "sowieckie",
        "russia",
        "russian",
    ],
    &["meets", "met", "meeting", "spotkanie", "meet", "talks"],
    &[
        "appointed",
        "named",
        "nominated",
        "mianowany",
        "appointment",
        "nomination",
    ],
    &[
        "flees", "fled", "crosses", "crossed", "escape", "escapes", "escaped", "flight",
    ],
    &[
        "signing",
        "signed",
        "sign",
        "signs",
        "podpisanie",
        "podpisal",
        "concluded",
    ],
    &["president", "prezydent"],
    &["first", "1st", "pierwszy", "pierwsza"],
    &["second", "2nd", "drugi", "druga", "ii"],
    &["fifth", "5th", "piata", "piaty"],
    &["premier", "pm", "premiera", "prime"],
    &["marshal", "marszalek"],
    &[
        "germany",
        "german",
        "germans",
        "niemcy",
        "niemiecki",
        "reich",
        "nazi",
    ],
    &[
        "poland", "polish", "poles", "polska", "polski", "polskiej", "rp",
    ],
    &[
        "britain", "london", "londyn", "londynie", "british", "uk", "england", "english",
    ],
    &["army", "armia", "armii", "wojsko", "troops", "forces"],
    &["corps", "korpus"],
    &["elections", "election", "wybory"],
    &["deportations", "deportation", "deported", "deportacje"],
    &["battle", "bitwa", "bitwy", "fight", "fighting", "fought"],
    &[
        "defence",
        "siege",
        "oblezenie",
        "besieged",
        "defense",
        "obrona",
        "defended",
        "held",
        "holds",
    ],
    &[
        "leaves",
        "evacuated",
        "evacuate",
        "ewakuacja",
        "left",
        "leave",
        "exodus",
        "departure",
        "departs",
        "evacuation",
    ],
    &[
        "demobilisation",
        "demobilised",
        "demobilized",
        "demobilization",
        "disbanded",
    ],
    &["land", "landing", "landed", "lands"],
    &["decree", "dekret", "order"],
    &["author", "wrote", "autor", "written", "memoir"],
    &["officers", "oficerow", "oficerowie"],
    &["aircraft", "planes", "samolotow"],
    &["broadcast", "speech", "address", "przemowienie"],
];

/// Words that may stand before a name as a rank, title or form of address.
const TITLES: &[&str] = &[
    "general",
    "gen",
    "genera",
    "marshal",
    "marszalek",
    "colonel",
    "col",
    "pulkownik",
    "plk",
    "corporal",
    "kpr",
    "por",
    "mjr",
    "kpt",
    "sgt",
    "lt",
    "capt",
    "maj",
    "kapral",
    "private",
    "brigadier",
    "komandarm",
    "count",
    "graf",
    "herr",
    "comrade",
    "towarzysz",
    "mr",
    "mrs",
    "sir",
    "prof",
    "professor",
    "dr",
    "minister",
    "president",
    "prezydent",
    "premier",
    "fuhrer",
    "ambassador",
    "ambasador",
    "pan",
    "marszal",
    "lord",
];

/// The synonyms of a (normalized) word, without the word itself.
pub fn synonyms(word: &str) -> impl Iterator<Item = &'static str> + '_ {
    SYNONYMS
        .iter()
        .filter(move |g| g.contains(&word))
        .flat_map(|g| g.iter().copied())
        .filter(move |w| *w != word)
}

/// A rank, title or form of address: optional before a name.
pub fn is_title(word: &str) -> bool {
    TITLES.contains(&word)
}

/// A crude stem: common English and Polish endings cut off, never below four letters.
pub fn stem(word: &str) -> &str {
    const ENDINGS: &[&str] = &[
        "ations", "ation", "ings", "ing", "ed", "es", "s", "ers", "er", "owie", "ami", "ach",
        "iego", "ego", "ich", "ych", "im", "ym", "emu", "iej", "ej", "ow", "om", "ie", "a", "u",
        "y", "i", "e", "o",
    ];
    if !word.is_ascii() || word.len() < 5 || word.bytes().any(|b| b.is_ascii_digit()) {
        return word;
    }
    for end in ENDINGS {
        if word.len() >= end.len() + 4 && word.ends_with(end) {
            return &word[..word.len() - end.len()];
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_meet_across_forms() {
        assert_eq!(stem("signed"), stem("sign"));
        assert_eq!(stem("deportations"), stem("deportation"));
        assert_eq!(stem("frontu"), "front");
        assert_eq!(stem("kock"), "kock");
        assert_eq!(stem("1939"), "1939");
    }

    #[test]
    fn synonyms_go_both_ways() {
        assert!(synonyms("agreement").any(|w| w == "pact"));
        assert!(synonyms("pact").any(|w| w == "agreement"));
        assert!(synonyms("zzz").next().is_none());
        assert!(is_title("general") && !is_title("anders"));
    }
}
