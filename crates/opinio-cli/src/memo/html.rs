//! The memo as one self-contained HTML page: no external asset, the explanation trees in
//! collapsible `<details>` (printed when opened, left out of print when closed), the pictures
//! of what each question rests on as inline SVG, a style sheet for print, every text escaped
//! (`html-escape`).

use super::markdown::LIMITS;
use super::{position_answer, position_table, Memo, QuestionMemo};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write as _;

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48em; margin: 2em auto; padding: 0 1em; line-height: 1.45; color: #111; }
h1 { font-size: 1.6em; border-bottom: 2px solid #333; padding-bottom: .2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #999; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: .85em; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .6em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #bbb; padding: .2em .4em; text-align: left; vertical-align: top; }
.yes { color: #0a6b2c; font-weight: bold; } .no { color: #9b1c1c; font-weight: bold; } .open { color: #8a5a00; font-weight: bold; }
ul.elements li.depth1 { margin-left: 1.5em; }
sup { line-height: 0; } sup a { text-decoration: none; }
td.date { white-space: nowrap; }
ul.facts { columns: 2; column-gap: 2.5em; } ul.facts li { break-inside: avoid; }
.graph svg { display: block; max-width: 100%; height: auto; margin: .5em 0; }
.provenance { font-size: .9em; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  details { display: block; } details > summary { list-style: none; font-weight: bold; }
  details.steps:not([open]) { display: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; } tr, li, .picture { break-inside: avoid; }
}
";

/// The largest picture drawn (conclusions and facts): past it, a drawing the width of a
/// page is a tangle.
const MAX_DRAWN: usize = 40;

/// The memo as an HTML page.
pub fn html(m: &Memo) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        text(&m.title),
        text(&m.title)
    );
    o.push_str("<h2>Questions presented</h2>\n<ol>\n");
    for q in &m.questions {
        let _ = writeln!(
            o,
            "<li>{}, under the position {}? (<code>{}</code>)</li>",
            text(&q.question),
            text(&q.position),
            text(&q.goal)
        );
    }
    o.push_str("</ol>\n<h2>Short answers</h2>\n<ol>\n");
    for q in &m.questions {
        // The verdict that opens the short answer ("Yes:", "No:", "Open:") in its colour.
        let (verdict, rest) = q
            .short_answer
            .split_once(": ")
            .filter(|(v, _)| !v.contains(' '))
            .map_or(("", q.short_answer.as_str()), |(v, r)| (v, r));
        let lead = if verdict.is_empty() {
            String::new()
        } else {
            format!(
                "<span class=\"{}\">{}</span>: ",
                super::word(q.value),
                text(verdict)
            )
        };
        let _ = writeln!(
            o,
            "<li>{lead}{}{}</li>",
            text(rest),
            refs(&q.short_answer_notes)
        );
    }
    o.push_str("</ol>\n<h2>The facts as stated</h2>\n");
    if m.facts.is_empty() {
        o.push_str("<p>The scenario states no fact.</p>\n");
    } else {
        o.push_str("<ul class=\"facts\">\n");
        for f in &m.facts {
            let _ = writeln!(o, "<li>{}</li>", text(f));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h2>Analysis</h2>\n");
    for (i, q) in m.questions.iter().enumerate() {
        question(&mut o, i + 1, q);
    }
    positions(&mut o, m);
    if !m.pictures.is_empty() {
        o.push_str("<h2>The rules involved</h2>\n<p>What each question rests on, rule by rule. Boxes are conclusions the rules draw, rounded boxes facts a scenario states; an arrow runs from what a rule reads to what it concludes, dashed when the rule reads it under <em>not</em> or <em>unless</em>.</p>\n");
        for (i, g) in m.pictures.iter().enumerate() {
            let name = g.around.as_deref().unwrap_or("every conclusion");
            let title = format!("What {name} rests on, under the position {}", g.position);
            if g.nodes.len() > MAX_DRAWN {
                let _ = writeln!(
                    o,
                    "<p>{}: {} conclusions and facts, too many to draw legibly in a memo.</p>",
                    text(&title),
                    g.nodes.len()
                );
                continue;
            }
            let _ = writeln!(
                o,
                "<details class=\"picture\" open>\n<summary>{}</summary>\n<div class=\"graph\">\n{}</div>\n</details>",
                text(&title),
                g.to_svg_with_id_prefix(&format!("g{}-", i + 1))
            );
        }
    }
    let p = &m.provenance;
    o.push_str("<h2>Provenance</h2>\n<ul class=\"provenance\">\n");
    let c = &p.computed;
    let _ = writeln!(
        o,
        "<li>Computed with Opinio {}.</li>",
        text(&c.opinio_version)
    );
    let _ = writeln!(
        o,
        "<li>Knowledge base: {}, {}, SHA-256 <code>{}</code>.</li>",
        text(&p.knowledge_base),
        super::count(p.kb_files, "file", "files"),
        text(&c.knowledge_base_hash)
    );
    for (name, hash) in &p.scenario_files {
        let _ = writeln!(
            o,
            "<li>Scenario: <code>{}</code>, SHA-256 <code>{}</code>.</li>",
            text(name),
            text(hash)
        );
    }
    let _ = writeln!(
        o,
        "<li>Analysed under: {}.</li>",
        text(&c.positions.join(", "))
    );
    match &c.as_of {
        Some(d) => {
            let _ = writeln!(
                o,
                "<li>As of {}: positions published later are left out.</li>",
                text(&d.to_string())
            );
        }
        None => {
            o.push_str("<li>As of: not restricted (every position, whenever published).</li>\n")
        }
    }
    let _ = writeln!(
        o,
        "<li>Limits of each evaluation: {}.</li>",
        text(&p.limits_in_words())
    );
    if let Some(search) = p.search_in_words() {
        let _ = writeln!(
            o,
            "<li>Search for the facts that would change an answer: {}.</li>",
            text(&search)
        );
    }
    let _ = writeln!(o, "<li>{}</li>", text(LIMITS.trim_start_matches("- ")));
    o.push_str("</ul>\n");
    if !m.footnotes.is_empty() {
        o.push_str("<h2>Authorities</h2>\n<ol class=\"footnotes\">\n");
        for (i, f) in m.footnotes.iter().enumerate() {
            let _ = writeln!(o, "<li id=\"fn{}\">{}</li>", i + 1, text(f));
        }
        o.push_str("</ol>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

fn question(o: &mut String, n: usize, q: &QuestionMemo) {
    let _ = writeln!(
        o,
        "<h3 id=\"q{n}\">{n}. {}</h3>\n<p>Under the position {}: <span class=\"{}\">{}</span>.</p>",
        text(&q.question),
        text(&q.position),
        super::word(q.value),
        super::word(q.value)
    );
    if !q.elements.is_empty() {
        o.push_str("<ul class=\"elements\">\n");
        for e in &q.elements {
            let basis = if e.basis.is_empty() {
                String::new()
            } else {
                format!(" ({})", text(&e.basis))
            };
            let _ = writeln!(
                o,
                "<li class=\"depth{}\">{}: <strong>{}</strong>{basis}{}</li>",
                e.depth.min(1),
                text(&e.text),
                text(&e.status),
                refs(&e.notes)
            );
        }
        o.push_str("</ul>\n");
    }
    if !q.would_change.is_empty() {
        o.push_str("<p>What would change the answer:</p>\n<ul>\n");
        for w in &q.would_change {
            let _ = writeln!(o, "<li>{}</li>", text(w));
        }
        o.push_str("</ul>\n");
    }
    if !q.tree.is_empty() {
        let _ = writeln!(
            o,
            "<details class=\"steps\">\n<summary>Every step of the reasoning</summary>\n<pre>{}</pre>\n</details>",
            text(q.tree.trim_end())
        );
    }
}

/// One table: a row per position, with its documents, whose view it is, its date and its
/// answer to each question.
fn positions(o: &mut String, m: &Memo) {
    let rows = position_table(m);
    if rows.is_empty() {
        return;
    }
    o.push_str("<h2>The positions side by side</h2>\n<table class=\"positions\">\n<thead><tr><th>Position</th><th>Whose view</th><th>Published</th>");
    for i in 1..=m.questions.len() {
        let _ = write!(o, "<th><a href=\"#q{i}\">Question {i}</a></th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (p, cells) in rows {
        let _ = write!(
            o,
            "<tr><td>{}{}</td><td>{}</td><td class=\"date\">{}</td>",
            text(&p.position),
            refs(&p.documents),
            text(&p.view),
            text(p.published.as_deref().unwrap_or(""))
        );
        for c in cells {
            match c {
                Some(c) => {
                    let _ = write!(
                        o,
                        "<td class=\"{}\" title=\"{}\">{}</td>",
                        super::word(c.value),
                        attr(&c.decided_by),
                        text(&position_answer(c))
                    );
                }
                None => o.push_str("<td></td>"),
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

/// Footnote marks: one superscript, the numbers separated by commas (`¹,²`, never `¹²`).
fn refs(notes: &[usize]) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let links: Vec<String> = notes
        .iter()
        .map(|n| format!("<a href=\"{}\">{n}</a>", attr(&format!("#fn{n}"))))
        .collect();
    format!("<sup>{}</sup>", links.join(","))
}
