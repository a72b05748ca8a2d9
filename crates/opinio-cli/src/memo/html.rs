//! The memo as one self-contained HTML page: no external asset, the explanation trees in
//! collapsible `<details>`, a style sheet for print, every text escaped (`html-escape`).

use super::markdown::LIMITS;
use super::{Memo, QuestionMemo};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use opinio::syntax::ast::Truth;
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
sup a { text-decoration: none; }
.provenance { font-size: .9em; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  details { display: block; } details > summary { list-style: none; font-weight: bold; }
  details:not([open]) > pre { display: block; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; } table, li { break-inside: avoid; }
}
";

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
        let _ = writeln!(
            o,
            "<li>{}{}</li>",
            text(&q.short_answer),
            refs(&q.short_answer_notes)
        );
    }
    o.push_str("</ol>\n<h2>The facts as stated</h2>\n");
    if m.facts.is_empty() {
        o.push_str("<p>The scenario states no fact.</p>\n");
    } else {
        o.push_str("<ul>\n");
        for f in &m.facts {
            let _ = writeln!(o, "<li>{}</li>", text(f));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h2>Analysis</h2>\n");
    for (i, q) in m.questions.iter().enumerate() {
        question(&mut o, i + 1, q);
    }
    let p = &m.provenance;
    o.push_str("<h2>Provenance</h2>\n<ul class=\"provenance\">\n");
    let _ = writeln!(
        o,
        "<li>Computed with Opinio {}.</li>",
        text(&p.opinio_version)
    );
    let _ = writeln!(
        o,
        "<li>Knowledge base: {}, {} files, SHA-256 <code>{}</code>.</li>",
        text(&p.knowledge_base),
        p.kb_files,
        text(&p.kb_hash)
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
        text(&p.positions.join(", "))
    );
    match &p.as_of {
        Some(d) => {
            let _ = writeln!(
                o,
                "<li>As of {}: positions published later are left out.</li>",
                text(d)
            );
        }
        None => {
            o.push_str("<li>As of: not restricted (every position, whenever published).</li>\n")
        }
    }
    let _ = writeln!(
        o,
        "<li>Limits of each evaluation: {}.</li>",
        text(&p.limits)
    );
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
        word(q.value),
        word(q.value)
    );
    if !q.elements.is_empty() {
        o.push_str("<ul class=\"elements\">\n");
        for e in &q.elements {
            let _ = writeln!(
                o,
                "<li class=\"depth{}\">{}: <strong>{}</strong> ({}){}</li>",
                e.depth.min(1),
                text(&e.text),
                text(&e.status),
                text(&e.basis),
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
    if !q.positions.is_empty() {
        o.push_str("<table>\n<thead><tr><th>Position</th><th>View</th><th>Answer</th><th>Decided by</th><th>Published</th></tr></thead>\n<tbody>\n");
        for p in &q.positions {
            let _ = writeln!(
                o,
                "<tr><td>{}{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
                text(&p.position),
                refs(&p.documents),
                text(&p.view),
                word(p.value),
                word(p.value),
                text(&p.decided_by),
                text(p.published.as_deref().unwrap_or(""))
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    if !q.tree.is_empty() {
        let _ = writeln!(
            o,
            "<details>\n<summary>Every step of the reasoning</summary>\n<pre>{}</pre>\n</details>",
            text(q.tree.trim_end())
        );
    }
}

fn word(v: Truth) -> &'static str {
    match v {
        Truth::True => "yes",
        Truth::False => "no",
        Truth::Unknown => "open",
    }
}

fn refs(notes: &[usize]) -> String {
    notes
        .iter()
        .map(|n| {
            format!(
                "<sup><a href=\"{}\">{n}</a></sup>",
                attr(&format!("#fn{n}"))
            )
        })
        .collect()
}
