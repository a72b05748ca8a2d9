//! The memo as Markdown (CommonMark with GitHub's tables and footnotes).

use super::{position_answer, position_table, Element, Memo, QuestionMemo};
use std::fmt::Write as _;

/// The memo as a Markdown document.
pub fn markdown(m: &Memo) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", inline(&m.title));
    o.push_str("## Questions presented\n\n");
    for (i, q) in m.questions.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. {}, under the position {}? (`{}`)",
            i + 1,
            inline(&q.question),
            inline(&q.position),
            q.goal
        );
    }
    o.push_str("\n## Short answers\n\n");
    for (i, q) in m.questions.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. {}{}",
            i + 1,
            inline(&q.short_answer),
            refs(&q.short_answer_notes)
        );
    }
    o.push_str("\n## The facts as stated\n\n");
    if m.facts.is_empty() {
        o.push_str("The scenario states no fact.\n");
    }
    for f in &m.facts {
        let _ = writeln!(o, "- {}", inline(f));
    }
    o.push_str("\n## Analysis\n");
    for (i, q) in m.questions.iter().enumerate() {
        question(&mut o, i + 1, q);
    }
    positions(&mut o, m);
    if !m.pictures.is_empty() {
        o.push_str("\nThe HTML version of this memo draws the rules each question rests on.\n");
    }
    o.push_str("\n## Provenance\n\n");
    let p = &m.provenance;
    let c = &p.computed;
    let _ = writeln!(o, "- Computed with Opinio {}.", c.opinio_version);
    let _ = writeln!(
        o,
        "- Knowledge base: {}, {} files, SHA-256 `{}`.",
        inline(&p.knowledge_base),
        p.kb_files,
        c.knowledge_base_hash
    );
    for (name, hash) in &p.scenario_files {
        let _ = writeln!(o, "- Scenario: `{}`, SHA-256 `{hash}`.", name);
    }
    let _ = writeln!(o, "- Analysed under: {}.", c.positions.join(", "));
    match &c.as_of {
        Some(d) => {
            let _ = writeln!(o, "- As of {d}: positions published later are left out.");
        }
        None => o.push_str("- As of: not restricted (every position, whenever published).\n"),
    }
    let _ = writeln!(o, "- Limits of each evaluation: {}.", p.limits_in_words());
    if let Some(search) = p.search_in_words() {
        let _ = writeln!(
            o,
            "- Search for the facts that would change an answer: {search}."
        );
    }
    o.push_str(LIMITS);
    o.push('\n');
    if !m.footnotes.is_empty() {
        o.push_str("\n## Authorities\n\n");
        for (i, f) in m.footnotes.iter().enumerate() {
            let _ = writeln!(o, "[^{}]: {}", i + 1, inline(f));
        }
    }
    o
}

/// What the values rest on, said once at the end of every memo.
pub(super) const LIMITS: &str =
    "- The answers follow from the facts stated and the rules of the knowledge base, nothing \
else. Facts about what happened (effects, intrusions, who conducted an operation, consent) are \
taken to be complete: what is not stated there did not happen. Facts about who was behind an \
operation, who knew and what was intended are never assumed: what nobody stated is unknown. The \
facts that would change an open answer are those the search found within its limits.";

fn question(o: &mut String, n: usize, q: &QuestionMemo) {
    let _ = writeln!(o, "\n### {n}. {}", inline(&q.question));
    let _ = writeln!(
        o,
        "\nUnder the position {}: **{}**.",
        inline(&q.position),
        super::word(q.value)
    );
    if !q.elements.is_empty() {
        o.push('\n');
        for e in &q.elements {
            element(o, e);
        }
    }
    if !q.would_change.is_empty() {
        o.push_str("\nWhat would change the answer:\n\n");
        for w in &q.would_change {
            let _ = writeln!(o, "- {}", inline(w));
        }
    }
}

/// One table: a row per position, with its documents, its date and its answer to each
/// question.
fn positions(o: &mut String, m: &Memo) {
    let rows = position_table(m);
    if rows.is_empty() {
        return;
    }
    o.push_str("\n## The positions side by side\n\n");
    o.push_str("| Position | Published |");
    for i in 1..=m.questions.len() {
        let _ = write!(o, " Question {i} |");
    }
    o.push_str("\n|---|---|");
    o.push_str(&"---|".repeat(m.questions.len()));
    o.push('\n');
    for (p, cells) in rows {
        let _ = write!(
            o,
            "| {}{} | {} |",
            cell(&p.position),
            refs(&p.documents),
            p.published.as_deref().unwrap_or("")
        );
        for c in cells {
            let _ = write!(o, " {} |", c.map(position_answer).unwrap_or_default());
        }
        o.push('\n');
    }
}

fn element(o: &mut String, e: &Element) {
    let basis = if e.basis.is_empty() {
        String::new()
    } else {
        format!(" ({})", inline(&e.basis))
    };
    let _ = writeln!(
        o,
        "{}- {}: **{}**{basis}{}",
        "  ".repeat(e.depth),
        inline(&e.text),
        e.status,
        refs(&e.notes)
    );
}

fn refs(notes: &[usize]) -> String {
    notes.iter().map(|n| format!("[^{n}]")).collect()
}

/// Text as Markdown reads it literally: the characters that would start emphasis, code,
/// links or HTML are escaped, and line breaks become spaces.
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn cell(s: &str) -> String {
    inline(s)
}
