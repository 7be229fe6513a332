//! Hand-written quiz questions: read (and checked) by `knowledge::authored`; this places them and
//! reports duplicate ids.

use std::collections::HashMap;

use super::{At, Gathered, Problems, Reference, SourceFile};

pub(super) fn hand_question(
    fi: usize,
    file: &SourceFile,
    read: crate::knowledge::authored::AuthoredRead,
    g: &mut Gathered,
    problems: &mut Problems,
) {
    for (at, message) in read.problems {
        problems.error(At { file, offset: at }, message);
    }
    for r in read.refs {
        g.refs.push(Reference {
            file: fi,
            offset: r.offset,
            target: r.target,
            kinds: r.kinds,
            field: r.field,
        });
    }
    if let Some((id, offset)) = read.id {
        g.question_ids.push((id, fi, offset));
    }
    g.questions.extend(read.question);
}

pub(super) fn duplicate_questions(files: &[SourceFile], g: &Gathered, problems: &mut Problems) {
    let mut first_at: HashMap<&str, (usize, usize)> = HashMap::new();
    for (id, fi, offset) in &g.question_ids {
        if let Some((ofi, ooff)) = first_at.get(id.as_str()) {
            let (line, col) = files[*ofi].line_col(*ooff);
            problems.error(
                At {
                    file: &files[*fi],
                    offset: *offset,
                },
                format!(
                    "duplicate question id `{id}`: already used at {}:{line}:{col}",
                    files[*ofi].display
                ),
            );
        } else {
            first_at.insert(id, (*fi, *offset));
        }
    }
}
