//! The quiz's buttons and text box, by custom_id: `q:` then a letter, then `:`-separated numbers.
//!
//! Like the other buttons they carry their whole meaning, so a press reaching a restarted bot is
//! still understood: which quiz, which question, which option. A press for a question that is no
//! longer open is refused by the engine, not by the id.

/// What a quiz button, or the text box it opens, asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizAction {
    /// `q:a:<quiz>:<question>:<option>`: answer with an option.
    Answer {
        quiz: u64,
        question: usize,
        option: usize,
    },
    /// `q:t:<quiz>:<question>`: open the text box for a typed answer.
    OpenTextBox { quiz: u64, question: usize },
    /// `q:m:<quiz>:<question>`: the text box's submission (a modal's custom_id).
    TypedAnswer { quiz: u64, question: usize },
    /// `q:n:<quiz>`: the host reveals now, or opens the next question.
    Next { quiz: u64 },
    /// `q:j:<quiz>:<team>`: join a team of a quiz night (or move to it).
    Join { quiz: u64, team: usize },
    /// `q:h:<quiz>:<question>`: a hint for the presser alone, at half the question's points.
    Hint { quiz: u64, question: usize },
    /// `q:o:<entry-id>`: the card of the entry a question came from, shown to the presser alone
    /// (the plain `o:` button would replace the reveal for everyone).
    Entry { id: String },
}

impl QuizAction {
    pub fn custom_id(&self) -> String {
        match self {
            QuizAction::Answer {
                quiz,
                question,
                option,
            } => format!("q:a:{quiz}:{question}:{option}"),
            QuizAction::OpenTextBox { quiz, question } => format!("q:t:{quiz}:{question}"),
            QuizAction::TypedAnswer { quiz, question } => format!("q:m:{quiz}:{question}"),
            QuizAction::Next { quiz } => format!("q:n:{quiz}"),
            QuizAction::Entry { id } => format!("q:o:{id}"),
            QuizAction::Join { quiz, team } => format!("q:j:{quiz}:{team}"),
            QuizAction::Hint { quiz, question } => format!("q:h:{quiz}:{question}"),
        }
    }

    /// Read a custom_id; `None` for anything that is not a quiz id.
    pub fn parse(custom_id: &str) -> Option<QuizAction> {
        if custom_id.len() > 100 {
            return None;
        }
        let rest = custom_id.strip_prefix("q:")?;
        let (tag, args) = rest.split_once(':')?;
        let nums: Option<Vec<u64>> = args.split(':').map(|a| a.parse::<u64>().ok()).collect();
        match (tag, nums.as_deref()) {
            ("a", Some([quiz, question, option])) if *option < 25 => Some(QuizAction::Answer {
                quiz: *quiz,
                question: usize::try_from(*question).ok()?,
                option: *option as usize,
            }),
            ("t", Some([quiz, question])) => Some(QuizAction::OpenTextBox {
                quiz: *quiz,
                question: usize::try_from(*question).ok()?,
            }),
            ("m", Some([quiz, question])) => Some(QuizAction::TypedAnswer {
                quiz: *quiz,
                question: usize::try_from(*question).ok()?,
            }),
            ("n", Some([quiz])) => Some(QuizAction::Next { quiz: *quiz }),
            ("j", Some([quiz, team])) if *team < 6 => Some(QuizAction::Join {
                quiz: *quiz,
                team: *team as usize,
            }),
            ("h", Some([quiz, question])) => Some(QuizAction::Hint {
                quiz: *quiz,
                question: usize::try_from(*question).ok()?,
            }),
            ("o", _) if valid_entry_id(args) => Some(QuizAction::Entry {
                id: args.to_string(),
            }),
            _ => None,
        }
    }
}

fn valid_entry_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_custom_id() {
        let actions = [
            QuizAction::Answer {
                quiz: 9_007_199_254_740_993,
                question: 49,
                option: 3,
            },
            QuizAction::OpenTextBox {
                quiz: 1,
                question: 0,
            },
            QuizAction::TypedAnswer {
                quiz: 1,
                question: 7,
            },
            QuizAction::Next { quiz: 12 },
            QuizAction::Join { quiz: 12, team: 5 },
            QuizAction::Hint {
                quiz: 12,
                question: 49,
            },
            QuizAction::Entry {
                id: "battle-of-kock".into(),
            },
        ];
        for a in actions {
            let id = a.custom_id();
            assert!(id.len() <= 100, "{id}");
            assert_eq!(QuizAction::parse(&id), Some(a), "{id}");
        }
    }

    #[test]
    fn foreign_and_broken_ids_are_refused() {
        for id in [
            "o:kock",
            "q:a:1:2",
            "q:a:x:1:2",
            "q:o:Bad Id",
            "q:z:1",
            "q:a:1:2:99",
            "q:j:1:6",
            "q:h:1",
            "",
        ] {
            assert_eq!(QuizAction::parse(id), None, "{id}");
        }
    }
}
