//! The examples of `docs/language.md` are tested, so that the guide cannot drift from the code.
//!
//! Fenced code blocks tagged `opinio` must parse. Extra tags, separated by commas, ask for more:
//! - `opinio,program`: the block loads as a knowledge base of its own, without warnings, and
//!   every `expect` in it holds;
//! - `opinio,scenario`: the block loads as a scenario on the bundled knowledge base, without
//!   warnings, and every `expect` in it holds;
//! - `rejected` (with `program` or `scenario`): the block parses but must *not* load; it shows
//!   a mistake the checker catches.
//!
//! Every `opinio` block is also laid out as `opinio fmt` would lay it out.
//!
//! The guide's grammar summary (the block tagged `grammar`) must define every rule of
//! `grammar/opinio.pest`, and its list of reserved words must name every keyword.

use opinio::syntax::{parse_file, span::FileId, KEYWORDS};
use opinio::{KnowledgeBase, Scenario};
use std::path::Path;

struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    tags: Vec<String>,
    text: String,
}

fn guide() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/language.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every fenced block: its info string split at commas, and its text.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        let fence = line.trim_start().starts_with("```");
        match (&mut open, fence) {
            (None, true) => {
                let info = line.trim_start().trim_start_matches('`').trim();
                open = Some(Block {
                    line: i + 1,
                    tags: info
                        .split(',')
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect(),
                    text: String::new(),
                });
            }
            (Some(_), true) => out.extend(open.take()),
            (Some(b), false) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, false) => {}
        }
    }
    assert!(
        open.is_none(),
        "docs/language.md: a code block is never closed"
    );
    out
}

fn failed_expectations(s: &Scenario) -> Vec<String> {
    match s.run_expectations() {
        Ok(outcomes) => outcomes
            .into_iter()
            .filter(|o| !o.passed)
            .map(|o| {
                format!(
                    "{}: under {}: {} expected {}, got {}",
                    o.location,
                    o.position,
                    o.goal,
                    o.expected.as_str(),
                    o.got.as_str()
                )
            })
            .collect(),
        Err(e) => vec![e.render()],
    }
}

#[test]
fn every_opinio_example_of_the_guide_is_right() {
    let text = guide();
    let bundled = KnowledgeBase::bundled().expect("the bundled knowledge base loads");
    let mut failures: Vec<String> = Vec::new();
    let (mut parsed, mut programs, mut scenarios, mut rejected) = (0, 0, 0, 0);
    for b in blocks(&text) {
        if b.tags.first().map(String::as_str) != Some("opinio") {
            continue;
        }
        let at = format!("docs/language.md:{}", b.line);
        let extra: Vec<&str> = b.tags.iter().skip(1).map(String::as_str).collect();
        if let Some(t) = extra
            .iter()
            .find(|t| !matches!(**t, "program" | "scenario" | "rejected"))
        {
            failures.push(format!("{at}: unknown tag `{t}`"));
            continue;
        }
        let is_rejected = extra.contains(&"rejected");
        if let Err(e) = parse_file(FileId(0), &b.text) {
            failures.push(format!("{at}: does not parse: {}", e.diagnostic.message));
            continue;
        }
        parsed += 1;
        // The guide shows the standard layout.
        match opinio::fmt::format_source(&b.text) {
            Ok(laid_out) if laid_out == b.text => {}
            Ok(laid_out) => failures.push(format!(
                "{at}: not in the layout of `opinio fmt`; it would be:\n{laid_out}"
            )),
            Err(e) => failures.push(format!("{at}: fmt fails: {}", e.diagnostic.message)),
        }
        if extra.contains(&"program") {
            programs += 1;
            match KnowledgeBase::from_strings([(at.clone(), b.text.clone())]) {
                Ok(_) if is_rejected => {
                    failures.push(format!("{at}: should be rejected, but loads"));
                }
                Ok(kb) => {
                    for w in kb.warnings() {
                        failures.push(format!("{at}: warning: {}", w.message));
                    }
                    let s = Scenario::new(&kb);
                    failures.extend(failed_expectations(&s));
                }
                Err(_) if is_rejected => rejected += 1,
                Err(e) => failures.push(format!("{at}: does not load:\n{}", e.render())),
            }
        } else if extra.contains(&"scenario") {
            scenarios += 1;
            let mut s = Scenario::new(&bundled);
            match s.add_text(&at, &b.text) {
                Ok(_) if is_rejected => {
                    failures.push(format!("{at}: should be rejected, but loads"));
                }
                Ok(warnings) => {
                    for w in warnings {
                        failures.push(format!("{at}: warning: {}", w.message));
                    }
                    failures.extend(failed_expectations(&s));
                }
                Err(_) if is_rejected => rejected += 1,
                Err(e) => failures.push(format!("{at}: does not load:\n{}", e.render())),
            }
        } else if is_rejected {
            failures.push(format!("{at}: `rejected` needs `program` or `scenario`"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(parsed >= 20, "only {parsed} opinio examples found");
    assert!(programs >= 3, "only {programs} program examples found");
    assert!(scenarios >= 2, "only {scenarios} scenario examples found");
    assert!(rejected >= 3, "only {rejected} rejected examples found");
}

#[test]
fn the_grammar_summary_defines_every_rule_of_the_grammar() {
    let pest_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/opinio.pest");
    let pest = std::fs::read_to_string(&pest_path).expect("grammar/opinio.pest");
    let text = guide();
    let summary: Vec<Block> = blocks(&text)
        .into_iter()
        .filter(|b| b.tags.first().map(String::as_str) == Some("grammar"))
        .collect();
    assert_eq!(summary.len(), 1, "one `grammar` block expected");
    let defined: Vec<&str> = summary[0]
        .text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(name, _)| name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    // Rules that exist for the machine only: white space, keywords, punctuation, helpers.
    let internal = [
        "WHITESPACE",
        "COMMENT",
        "ident_char",
        "text_inner",
        "keyword",
        "dot",
        "comma",
        "colon",
        "equals",
        "less",
        "bar",
        "lparen",
        "rparen",
        "lbrace",
        "rbrace",
        "qmark",
    ];
    let mut missing = Vec::new();
    for line in pest.lines() {
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        let name = name.trim();
        let is_rule = !name.is_empty()
            && !line.starts_with(' ')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_rule || internal.contains(&name) || name.starts_with("k_") {
            continue;
        }
        if !defined.contains(&name) {
            missing.push(name.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "docs/language.md's grammar summary lacks: {}",
        missing.join(", ")
    );
    // And nothing the grammar does not have (besides `comment`, which pest calls COMMENT).
    for d in defined {
        let in_pest = pest
            .lines()
            .any(|l| l.split_once('=').is_some_and(|(n, _)| n.trim() == d));
        assert!(
            in_pest || d == "comment",
            "the grammar summary defines `{d}`, which grammar/opinio.pest does not"
        );
    }
}

#[test]
fn the_guide_lists_every_reserved_word() {
    let text = guide();
    let section = text
        .split("## 14. Reserved words")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a section `14. Reserved words`");
    for k in KEYWORDS {
        assert!(
            section.contains(&format!("`{k}`")),
            "the reserved word `{k}` is not listed in docs/language.md"
        );
    }
}
