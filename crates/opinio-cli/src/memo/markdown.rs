//! The memo as Markdown (CommonMark with GitHub's tables and footnotes).

use super::{position_answer, position_table, Element, Memo, QuestionMemo};
use std::fmt::Write as _;

/// The memo as a Markdown document.
pub fn markdown(m: &Memo) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", text(&m.title));
    o.push_str("## Questions presented\n\n");
    for (i, q) in m.questions.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. {}, under the position {}? ({})",
            i + 1,
            text(&q.question),
            text(&q.position),
            code(&q.goal)
        );
    }
    o.push_str("\n## Short answers\n\n");
    for (i, q) in m.questions.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. {}{}",
            i + 1,
            text(&q.short_answer),
            refs(&q.short_answer_notes)
        );
    }
    o.push_str("\n## The facts as stated\n\n");
    if m.facts.is_empty() {
        o.push_str("The scenario states no fact.\n");
    }
    for f in &m.facts {
        let _ = writeln!(o, "- {}", text(f));
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
        "- Knowledge base: {}, {}, SHA-256 {}.",
        text(&p.knowledge_base),
        super::count(p.kb_files, "file", "files"),
        code(&c.knowledge_base_hash)
    );
    for (name, hash) in &p.scenario_files {
        let _ = writeln!(o, "- Scenario: {}, SHA-256 {}.", code(name), code(hash));
    }
    let under: Vec<String> = c.positions.iter().map(|p| text(p)).collect();
    let _ = writeln!(o, "- Analysed under: {}.", under.join(", "));
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
            let _ = writeln!(o, "[^{}]: {}", i + 1, text(f));
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
    let _ = writeln!(o, "\n### {n}. {}", text(&q.question));
    let _ = writeln!(
        o,
        "\nUnder the position {}: **{}**.",
        text(&q.position),
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
            let _ = writeln!(o, "- {}", text(w));
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
            text(&p.position),
            refs(&p.documents),
            text(p.published.as_deref().unwrap_or(""))
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
        format!(" ({})", text(&e.basis))
    };
    let _ = writeln!(
        o,
        "{}- {}: **{}**{basis}{}",
        "  ".repeat(e.depth),
        text(&e.text),
        e.status,
        refs(&e.notes)
    );
}

fn refs(notes: &[usize]) -> String {
    notes.iter().map(|n| format!("[^{n}]")).collect()
}

/// Text as Markdown reads it literally, wherever it stands on a line (at its start, after a
/// list marker, in a heading or a table cell): every character that could start emphasis,
/// code, a link, an image, raw HTML, an entity, a strikethrough or a table cell is escaped
/// with a backslash, and so is what would start a block at the start of a line (`#`, `>`,
/// `-`, `+`, `=`, the `.` or `)` of `1.` / `1)`). Line breaks and tabs become spaces (a memo
/// entry is one line), and spaces at either end are dropped (Markdown drops them there
/// anyway, and four of them after a list marker would start a code block).
///
/// Only what could be read as markup is escaped, so that the Markdown file stays readable
/// as text: an underscore between two letters or digits (`gru_unit_74455`) can neither
/// open nor close emphasis, and an `&` not followed by a letter, a digit or `#` cannot start
/// an entity.
fn text(s: &str) -> String {
    let flat: Vec<char> = s
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let start = flat.iter().position(|c| *c != ' ').unwrap_or(flat.len());
    let end = flat
        .iter()
        .rposition(|c| *c != ' ')
        .map_or(start, |i| i + 1);
    let flat = flat.get(start..end).unwrap_or_default();
    // `1.` or `1)` at the start would make the text an ordered list: the index of its `.`.
    let digits = flat.iter().take_while(|c| c.is_ascii_digit()).count();
    let list_number_end = (digits > 0).then_some(digits);
    let mut out = String::with_capacity(flat.len() + 8);
    for (i, &c) in flat.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| flat.get(j)).copied();
        let next = flat.get(i + 1).copied();
        let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => true,
            '_' => !(alphanumeric(prev) && alphanumeric(next)),
            '&' => next.is_some_and(|n| n == '#' || n.is_ascii_alphanumeric()),
            // `![` is an image; at the end, the text may be followed by a footnote mark.
            '!' => next.is_none() || next == Some('['),
            // A heading at the start; at the end of a heading, `#`s after a space are dropped.
            '#' => i == 0 || prev == Some(' '),
            '-' | '+' | '=' => i == 0,
            '.' | ')' => Some(i) == list_number_end,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text as a code span that shows it exactly: fenced with one backtick more than its longest
/// run of backticks (a run as long as the fence would close it), and padded with a space on
/// each side when it starts or ends with a backtick (which would lengthen the fence) or
/// starts and ends with a space (CommonMark drops one on each side). Line breaks become
/// spaces, as CommonMark reads them in a code span anyway.
fn code(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = s.starts_with('`')
        || s.ends_with('`')
        || (s.starts_with(' ') && s.ends_with(' ') && s.chars().any(|c| c != ' '));
    let pad = if pad { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::{code, text};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    fn options() -> Options {
        Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
    }

    /// What a CommonMark reader shows of a document: its text and code, with the markup
    /// each stands in (anything but a paragraph, a list, an item or a table's parts is
    /// named, so that a test sees it).
    fn reading(markdown: &str) -> String {
        let mut out = String::new();
        for event in Parser::new_ext(markdown, options()) {
            match event {
                Event::Text(t) => out.push_str(&t),
                Event::Code(t) => {
                    out.push_str("<code>");
                    out.push_str(&t);
                    out.push_str("</code>");
                }
                Event::Start(
                    Tag::Paragraph
                    | Tag::List(_)
                    | Tag::Item
                    | Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::TableCell,
                )
                | Event::End(
                    TagEnd::Paragraph
                    | TagEnd::List(_)
                    | TagEnd::Item
                    | TagEnd::Table
                    | TagEnd::TableHead
                    | TagEnd::TableRow
                    | TagEnd::TableCell,
                ) => {}
                Event::Start(Tag::Heading { level, .. }) => out.push_str(&format!("<{level}>")),
                Event::End(TagEnd::Heading(level)) => out.push_str(&format!("</{level}>")),
                other => out.push_str(&format!("<{other:?}>")),
            }
        }
        out
    }

    /// The text as the memo shows it: on one line, without spaces at its ends.
    fn flat(s: &str) -> String {
        s.replace(['\n', '\r', '\t'], " ")
            .trim_matches(' ')
            .to_string()
    }

    const TRICKY: &[&str] = &[
        "*Arcadia* _the_ `great`",
        "__strong__ and **strong**",
        "- Borduria",
        "+ Borduria",
        "* Borduria",
        "1. Syldavia",
        "2) Syldavia",
        "# Ruritania",
        "Ruritania #",
        "> quoted",
        "---",
        "===",
        "[link](http://example.org) and ![image](x.png)",
        "[^1] and [^1]: a footnote",
        "<b>&\"x\"</b> &amp; &#42; AT&T",
        "a | b | c",
        "~~struck~~ ~also~",
        "back\\slash\\",
        "trailing!",
        "    four spaces",
        "tab\tand\nline\r\nbreaks",
        "[ ] not a task",
        "gru_unit_74455 and _x and y_ and é_é",
    ];

    #[test]
    fn text_reads_back_as_written_after_a_list_marker_in_a_heading_and_in_a_cell() {
        for s in TRICKY {
            let t = text(s);
            assert_eq!(reading(&format!("- {t}\n")), flat(s), "list item: {t}");
            assert_eq!(reading(&format!("1. {t}\n")), flat(s), "ordered item: {t}");
            assert_eq!(reading(&format!("{t}\n")), flat(s), "paragraph: {t}");
            assert_eq!(
                reading(&format!("### {t}\n")),
                format!("<h3>{}</h3>", flat(s)),
                "heading: {t}"
            );
            assert_eq!(
                reading(&format!("| A | B |\n|---|---|\n| {t} | x |\n")),
                format!("AB{}x", flat(s)),
                "table cell: {t}"
            );
        }
    }

    #[test]
    fn names_stay_readable_in_the_markdown_text() {
        assert_eq!(text("gru_unit_74455"), "gru_unit_74455");
        assert_eq!(text("us_dod_2020"), "us_dod_2020");
        assert_eq!(text("Art. 2 & 3, p. 1-2"), "Art. 2 & 3, p. 1-2");
        assert_eq!(text("1. Syldavia"), "1\\. Syldavia");
        assert_eq!(text("a | b"), "a \\| b");
    }

    #[test]
    fn code_spans_take_a_fence_longer_than_any_backtick_run() {
        assert_eq!(code("p(a, b)"), "`p(a, b)`");
        assert_eq!(code("p(\"a`b\")"), "``p(\"a`b\")``");
        assert_eq!(code("op```tick"), "````op```tick````");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code(" x "), "`  x  `");
        for s in [
            "p(\"a`b\")",
            "op```tick",
            "`x",
            "x`",
            "`",
            " x ",
            "  ",
            "<b>*x*</b>",
        ] {
            assert_eq!(
                reading(&format!("- {}\n", code(s))),
                format!("<code>{s}</code>"),
                "{s}"
            );
        }
    }

    proptest! {
        /// Any text of printable ASCII, a few letters beyond it and line breaks reads back as
        /// written (on one line, without spaces at its ends), in a list item or a table cell.
        #[test]
        fn any_text_reads_back(s in "[ -~\t\né_ä]{0,40}") {
            let t = text(&s);
            prop_assert_eq!(reading(&format!("- {t}\n")), flat(&s));
            prop_assert_eq!(
                reading(&format!("| A |\n|---|\n| {t} |\n")),
                format!("A{}", flat(&s))
            );
        }

        /// Any text shows exactly as a code span (line breaks as spaces).
        #[test]
        fn any_code_reads_back(s in "[ -~é]{1,30}") {
            prop_assert_eq!(
                reading(&format!("- {}\n", code(&s))),
                format!("<code>{s}</code>")
            );
        }
    }
}
