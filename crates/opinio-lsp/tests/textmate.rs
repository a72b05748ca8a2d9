//! The TextMate grammar (`editors/textmate/opinio.tmLanguage.json`) cannot drift from the
//! language: every `.opinio` file of the repository outside an `invalid/` folder is tokenised
//! with it and compared, token by token, with Opinio's own lexer (`opinio::fmt::lex`, which
//! agrees with `grammar/opinio.pest`) and, for the words that are keywords only in some places
//! (`dated`, `reads`, `titled`, `unverified`), with the parser's syntax tree.
//!
//! The grammar is run by a small TextMate engine below (line by line, `match` and
//! `begin`/`end` rules, captures, `include` of the repository), with `fancy-regex` for the
//! Oniguruma patterns editors use. It refuses any key of the grammar it does not implement, so
//! the grammar cannot use a feature this check would silently ignore.

use fancy_regex::Regex;
use opinio::fmt::lex::{tokens, TokenKind};
use opinio::syntax::ast::{PositionItem, Statement};
use opinio::syntax::span::FileId;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One rule of the grammar.
#[derive(Debug)]
enum Rule {
    Match {
        re: Regex,
        name: Option<String>,
        captures: BTreeMap<usize, String>,
    },
    Region {
        begin: Regex,
        end: Regex,
        name: Option<String>,
        begin_captures: BTreeMap<usize, String>,
        end_captures: BTreeMap<usize, String>,
        patterns: Vec<usize>,
    },
    /// `patterns` alone: a group of rules.
    Group(Vec<usize>),
}

struct Grammar {
    rules: Vec<Rule>,
    top: Vec<usize>,
}

const KNOWN_KEYS: &[&str] = &[
    "match",
    "name",
    "captures",
    "begin",
    "end",
    "beginCaptures",
    "endCaptures",
    "patterns",
    "include",
    "comment",
];

fn regex(pattern: &str) -> Regex {
    // Oniguruma's `$` matches before a line break; each line is matched with its `\n`.
    Regex::new(&format!("(?m){pattern}"))
        .unwrap_or_else(|e| panic!("the pattern `{pattern}` does not compile: {e}"))
}

fn captures(v: &Value) -> BTreeMap<usize, String> {
    let mut out = BTreeMap::new();
    if let Some(map) = v.as_object() {
        for (k, c) in map {
            let i: usize = k.parse().expect("a capture is numbered");
            let name = c["name"].as_str().expect("a capture has a name");
            out.insert(i, name.to_string());
        }
    }
    out
}

impl Grammar {
    fn load(json: &Value) -> Grammar {
        let mut g = Grammar {
            rules: Vec::new(),
            top: Vec::new(),
        };
        let repository = json["repository"].as_object().cloned().unwrap_or_default();
        let mut named: BTreeMap<String, usize> = BTreeMap::new();
        // Repository entries first (placeholders, filled below) so includes can refer to them.
        for key in repository.keys() {
            named.insert(key.clone(), g.rules.len());
            g.rules.push(Rule::Group(Vec::new()));
        }
        for (key, v) in &repository {
            let rule = g.rule(v, &named);
            g.rules[named[key]] = rule;
        }
        g.top = g.list(&json["patterns"], &named);
        g
    }

    fn list(&mut self, v: &Value, named: &BTreeMap<String, usize>) -> Vec<usize> {
        v.as_array()
            .map(|a| a.iter().map(|p| self.add(p, named)).collect())
            .unwrap_or_default()
    }

    fn add(&mut self, v: &Value, named: &BTreeMap<String, usize>) -> usize {
        if let Some(inc) = v.get("include").and_then(Value::as_str) {
            let key = inc
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only repository includes are supported: {inc}"));
            return *named
                .get(key)
                .unwrap_or_else(|| panic!("no repository entry `{key}`"));
        }
        let rule = self.rule(v, named);
        self.rules.push(rule);
        self.rules.len() - 1
    }

    fn rule(&mut self, v: &Value, named: &BTreeMap<String, usize>) -> Rule {
        let map = v.as_object().expect("a rule is an object");
        for k in map.keys() {
            assert!(
                KNOWN_KEYS.contains(&k.as_str()),
                "the grammar uses `{k}`, which this check does not implement: extend it"
            );
        }
        let name = v["name"].as_str().map(str::to_string);
        if let Some(m) = v["match"].as_str() {
            return Rule::Match {
                re: regex(m),
                name,
                captures: captures(&v["captures"]),
            };
        }
        if let Some(b) = v["begin"].as_str() {
            let end = v["end"].as_str().expect("a begin rule has an end");
            return Rule::Region {
                begin: regex(b),
                end: regex(end),
                name,
                begin_captures: captures(&v["beginCaptures"]),
                end_captures: captures(&v["endCaptures"]),
                patterns: self.list(&v["patterns"], named),
            };
        }
        Rule::Group(self.list(&v["patterns"], named))
    }

    /// The match rules and region starts a list of rules stands for, groups flattened.
    fn flatten(&self, list: &[usize], out: &mut Vec<usize>) {
        for &i in list {
            match &self.rules[i] {
                Rule::Group(inner) => self.flatten(inner, out),
                _ => out.push(i),
            }
        }
    }

    /// The scopes of every byte of `text`: one list of scope names per byte.
    fn scopes(&self, text: &str) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = vec![Vec::new(); text.len()];
        // The open regions: (rule, scope).
        let mut stack: Vec<(usize, Option<String>)> = Vec::new();
        let mut line_start = 0;
        for raw in text.split_inclusive('\n') {
            let line = if raw.ends_with('\n') {
                raw.to_string()
            } else {
                format!("{raw}\n")
            };
            let mut pos = 0;
            let mut assign = |from: usize, to: usize, scopes: &[String]| {
                for b in from..to {
                    if let Some(slot) = out.get_mut(line_start + b) {
                        if b < raw.len() {
                            *slot = scopes.to_vec();
                        }
                    }
                }
            };
            let current = |stack: &[(usize, Option<String>)]| -> Vec<String> {
                stack.iter().filter_map(|(_, s)| s.clone()).collect()
            };
            while pos < line.len() {
                let mut candidates = Vec::new();
                match stack.last() {
                    Some(&(r, _)) => {
                        if let Rule::Region { patterns, .. } = &self.rules[r] {
                            self.flatten(patterns, &mut candidates);
                        }
                    }
                    None => self.flatten(&self.top, &mut candidates),
                }
                // The earliest match wins; on a tie the region's end, then the first rule.
                let mut best: Option<(usize, usize, Option<usize>, fancy_regex::Captures<str>)> =
                    None;
                if let Some(&(r, _)) = stack.last() {
                    if let Rule::Region { end, .. } = &self.rules[r] {
                        if let Ok(Some(c)) = end.captures_from_pos(line.as_str(), pos) {
                            let m = c.get(0).expect("a whole match");
                            best = Some((m.start(), m.end(), None, c));
                        }
                    }
                }
                for &i in &candidates {
                    let re = match &self.rules[i] {
                        Rule::Match { re, .. } => re,
                        Rule::Region { begin, .. } => begin,
                        Rule::Group(_) => continue,
                    };
                    if let Ok(Some(c)) = re.captures_from_pos(line.as_str(), pos) {
                        let m = c.get(0).expect("a whole match");
                        if best.as_ref().is_none_or(|b| m.start() < b.0) {
                            best = Some((m.start(), m.end(), Some(i), c));
                        }
                    }
                }
                let base = current(&stack);
                let Some((start, end, rule, caps)) = best else {
                    assign(pos, line.len(), &base);
                    break;
                };
                assign(pos, start, &base);
                let with = |extra: &Option<String>| {
                    let mut s = base.clone();
                    s.extend(extra.clone());
                    s
                };
                let mut paint = |scopes: Vec<String>, caps_names: &BTreeMap<usize, String>| {
                    assign(start, end, &scopes);
                    for (n, cname) in caps_names {
                        if let Some(g) = caps.get(*n) {
                            let mut s = scopes.clone();
                            s.push(cname.clone());
                            assign(g.start(), g.end(), &s);
                        }
                    }
                };
                match rule {
                    None => {
                        // The region ends.
                        let (r, _) = stack.pop().expect("a region is open");
                        if let Rule::Region { end_captures, .. } = &self.rules[r] {
                            paint(base.clone(), end_captures);
                        }
                    }
                    Some(i) => match &self.rules[i] {
                        Rule::Match { name, captures, .. } => paint(with(name), captures),
                        Rule::Region {
                            name,
                            begin_captures,
                            ..
                        } => {
                            paint(with(name), begin_captures);
                            stack.push((i, name.clone()));
                        }
                        Rule::Group(_) => unreachable!("groups are flattened"),
                    },
                }
                // A rule that matches nothing must not stop the scan.
                pos = if end > pos { end } else { pos + 1 };
                while !line.is_char_boundary(pos) {
                    pos += 1;
                }
            }
            line_start += raw.len();
        }
        out
    }
}

fn opinio_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !matches!(name.as_str(), "invalid" | "target" | "node_modules")
                && !name.starts_with('.')
            {
                opinio_files(&path, out);
            }
        } else if name.ends_with(".opinio") {
            out.push(path);
        }
    }
}

/// The byte offsets where a word that is a keyword only in some places is one here, per the
/// parser: `dated` before a date, `reads` before a reading, `titled` before a point's title,
/// `unverified` at the start of its item.
fn contextual_keywords(text: &str) -> Option<BTreeSet<usize>> {
    let file = opinio::syntax::parse_file(FileId(0), text).ok()?;
    let mut out = BTreeSet::new();
    let word_before = |offset: u32, word: &str, out: &mut BTreeSet<usize>| {
        let head = text.get(..offset as usize).unwrap_or("").trim_end();
        if head.ends_with(word) {
            out.insert(head.len() - word.len());
        }
    };
    for s in &file.statements {
        match s {
            Statement::Source(d) => {
                if let Some(date) = &d.date {
                    word_before(date.span.start, "dated", &mut out);
                }
            }
            Statement::Predicate(p) => {
                if let Some(r) = &p.reading {
                    word_before(r.text.span.start, "reads", &mut out);
                }
            }
            Statement::PointTitle(t) => word_before(t.title.span.start, "titled", &mut out),
            Statement::Position(p) => {
                if let Some(date) = &p.date {
                    word_before(date.span.start, "dated", &mut out);
                }
                for item in &p.items {
                    if let PositionItem::Unverified { span, .. } = item {
                        out.insert(span.start as usize);
                    }
                }
            }
            _ => {}
        }
    }
    Some(out)
}

fn has(scopes: &[String], prefix: &str) -> bool {
    scopes.iter().any(|s| s.starts_with(prefix))
}

#[test]
fn the_textmate_grammar_agrees_with_the_language_on_every_file_of_the_repository() {
    let path = root().join("editors/textmate/opinio.tmLanguage.json");
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("the grammar is in editors/textmate"),
    )
    .expect("the grammar is JSON");
    assert_eq!(json["scopeName"], "source.opinio");
    let grammar = Grammar::load(&json);
    let mut files = Vec::new();
    opinio_files(&root(), &mut files);
    files.sort();
    assert!(files.len() >= 40, "only {} files found", files.len());
    let contextual = ["dated", "reads", "titled", "unverified"];
    let mut problems = Vec::new();
    let mut words = 0usize;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable");
        let scopes = grammar.scopes(&text);
        let keywords_here = contextual_keywords(&text);
        let toks: Vec<_> = tokens(&text).collect();
        let mut date_until = 0;
        for (n, t) in toks.iter().enumerate() {
            let (start, end) = (t.range.start, t.range.end);
            let word = &text[start..end];
            let at = |b: usize| scopes.get(b).cloned().unwrap_or_default();
            let all = |test: &dyn Fn(&[String]) -> bool| (start..end).all(|b| test(&at(b)));
            let is_keyword =
                |s: &[String]| has(s, "keyword.control") || has(s, "constant.language");
            let is_lexical =
                |s: &[String]| has(s, "string") || has(s, "comment") || has(s, "constant.numeric");
            let ok = match t.kind {
                TokenKind::Space => true,
                TokenKind::Comment => all(&|s| has(s, "comment.line")),
                TokenKind::Text => all(&|s| has(s, "string.quoted")),
                TokenKind::Keyword => all(&|s| is_keyword(s) && !is_lexical(s)),
                _ if start < date_until => all(&|s| has(s, "constant.numeric.date")),
                TokenKind::Name if word.starts_with(|c: char| c.is_ascii_digit()) => {
                    // A date: this word and the dashes and digits that follow it.
                    date_until = end
                        + text[end..]
                            .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                            .unwrap_or(text.len() - end);
                    all(&|s| has(s, "constant.numeric.date"))
                }
                TokenKind::Name | TokenKind::Variable => {
                    words += 1;
                    let keyword_here = contextual.contains(&word)
                        && keywords_here.as_ref().is_some_and(|k| k.contains(&start));
                    let unsure = contextual.contains(&word) && keywords_here.is_none();
                    if keyword_here {
                        all(&|s| has(s, "keyword.control"))
                    } else if unsure {
                        true
                    } else {
                        all(&|s| {
                            !is_keyword(s)
                                && !is_lexical(s)
                                && (has(s, "entity.name") || has(s, "variable.other"))
                        })
                    }
                }
                TokenKind::Punct => all(&|s| !has(s, "string") && !has(s, "comment")),
            };
            if !ok {
                let (line, col) = opinio::syntax::span::line_col_at(&text, start);
                let context = toks
                    .get(n.saturating_sub(3)..(n + 3).min(toks.len()))
                    .map(|w| {
                        w.iter()
                            .map(|t| &text[t.range.start..t.range.end])
                            .collect::<String>()
                    })
                    .unwrap_or_default();
                problems.push(format!(
                    "{}:{line}:{col}: {:?} `{word}` has scopes {:?} (in `{}`)",
                    file.strip_prefix(root()).unwrap_or(file).display(),
                    t.kind,
                    at(start),
                    context.trim()
                ));
            }
        }
    }
    assert!(words > 10_000, "only {words} words checked");
    assert!(
        problems.is_empty(),
        "{} tokens disagree, e.g.:\n{}",
        problems.len(),
        problems
            .iter()
            .take(25)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_engine_tells_keywords_names_texts_comments_and_dates_apart() {
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("editors/textmate/opinio.tmLanguage.json"))
            .expect("readable"),
    )
    .expect("JSON");
    let g = Grammar::load(&json);
    let text =
        "source dated \"a # b\" dated 2017-06-27. # note\nrule r: p(X) if not q(X, \"x\\\"y\").\n";
    let scopes = g.scopes(text);
    let scope_of = |needle: &str, nth: usize| {
        let at = text.match_indices(needle).nth(nth).expect("present").0;
        scopes[at].last().cloned().unwrap_or_default()
    };
    assert_eq!(scope_of("source", 0), "keyword.control.opinio");
    assert_eq!(scope_of("dated", 0), "entity.name.constant.source.opinio");
    assert_eq!(scope_of("#", 0), "string.quoted.double.opinio");
    assert_eq!(scope_of("dated", 1), "keyword.control.opinio");
    assert_eq!(scope_of("06", 0), "constant.numeric.date.opinio");
    assert_eq!(scope_of("note", 0), "comment.line.number-sign.opinio");
    assert_eq!(scope_of("r:", 0), "entity.name.function.rule.opinio");
    assert_eq!(scope_of("p(", 0), "entity.name.function.opinio");
    assert_eq!(scope_of("X)", 0), "variable.other.opinio");
    assert_eq!(scope_of("not q", 0), "keyword.control.opinio");
    assert_eq!(scope_of("\\\"", 0), "constant.character.escape.opinio");
    assert_eq!(scope_of("y\"", 0), "string.quoted.double.opinio");
}
