//! Properties of `opinio fmt` (issue 7): formatting is idempotent, the formatted text parses to
//! the same program, and every comment survives. Checked on generated programs and on every
//! `.opinio` file of the repository (and of `../shared/scenarios` when it is there).

use opinio::fmt::format_source;
use opinio::syntax::{dump, parse_file, span::FileId};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------ the three properties

/// The comments of a text, found independently of the formatter: `#` outside quoted texts, to
/// the end of the line, trailing white space removed.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '#' => {
                let mut s = String::from("#");
                while let Some(&d) = chars.peek() {
                    if d == '\n' {
                        break;
                    }
                    s.push(d);
                    chars.next();
                }
                out.push(s.trim_end().to_string());
            }
            _ => {}
        }
    }
    out
}

/// The text with the inside of every quoted text and comment blanked out (to `""` and `#`).
fn without_strings(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' {
                        out.push('"');
                        break;
                    }
                }
            }
            '#' => {
                while chars.peek().is_some_and(|&d| d != '\n') {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

fn tree(text: &str) -> Result<String, String> {
    parse_file(FileId(0), text)
        .map(|f| dump(&f))
        .map_err(|e| e.diagnostic.message)
}

/// Checks the three properties on one text that parses; the message names what failed.
fn check_properties(name: &str, input: &str) -> Result<(), String> {
    let before = tree(input).map_err(|e| format!("{name}: the input does not parse: {e}"))?;
    let once = format_source(input)
        .map_err(|e| format!("{name}: fmt failed: {}", e.diagnostic.message))?;
    let twice = format_source(&once).map_err(|e| {
        format!(
            "{name}: fmt of the output failed: {}\n{once}",
            e.diagnostic.message
        )
    })?;
    if once != twice {
        return Err(format!(
            "{name}: not idempotent\n--- input\n{input}\n--- once\n{once}\n--- twice\n{twice}"
        ));
    }
    let after = tree(&once).map_err(|e| format!("{name}: the output does not parse: {e}"))?;
    if before != after {
        return Err(format!(
            "{name}: a different program\n--- input\n{input}\n--- output\n{once}\n--- before\n{before}--- after\n{after}"
        ));
    }
    // Every comment, in the order written.
    let mut rest = once.as_str();
    for c in comments(input) {
        match rest.find(&c) {
            Some(at) => rest = &rest[at + c.len()..],
            None => {
                return Err(format!(
                    "{name}: the comment `{c}` was lost or moved\n--- output\n{once}"
                ))
            }
        }
    }
    let shape = without_strings(&once);
    if !once.is_empty() && !once.ends_with('\n') {
        return Err(format!("{name}: no final line break"));
    }
    if shape.lines().any(|l| l.ends_with([' ', '\t'])) {
        return Err(format!("{name}: white space at the end of a line\n{once}"));
    }
    if shape.contains("\n\n\n") {
        return Err(format!("{name}: two blank lines in a row\n{once}"));
    }
    Ok(())
}

// ------------------------------------------------------------------ the files of the repository

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            collect(&e, out);
        } else if e.extension().is_some_and(|x| x == "opinio") {
            out.push(e);
        }
    }
}

fn repository_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["knowledge", "tests", "examples"] {
        collect(&root.join(dir), &mut files);
    }
    files
}

#[test]
fn every_file_of_the_repository_keeps_its_program_and_comments() {
    let files = repository_files();
    assert!(
        files.len() >= 20,
        "expected the knowledge base and test files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for f in &files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        if tree(&text).is_err() {
            continue; // a fixture that is broken on purpose
        }
        checked += 1;
        if let Err(e) = check_properties(&f.display().to_string(), &text) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked >= 20, "only {checked} files parse");
}

#[test]
fn a_file_that_does_not_parse_is_an_error() {
    let e = format_source("state(russia)\nstate(ukraine).").unwrap_err();
    assert!(
        e.diagnostic.message.contains("expected"),
        "{}",
        e.diagnostic.message
    );
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(format_source("").unwrap(), "");
    assert_eq!(format_source("\n\n  \n").unwrap(), "");
    assert_eq!(
        format_source("\n\n# only a comment   \n\n\n# another\n\n").unwrap(),
        "# only a comment\n\n# another\n"
    );
}

#[test]
fn a_comment_inside_a_statement_keeps_the_statement_as_written() {
    let input = "rule r:\n      p(X) if q(X) # because\n        and s(X)\n  cites law.\n";
    assert_eq!(format_source(input).unwrap(), input);
    check_properties("inline comment", input).unwrap();
    // Inside a position the statement moves to the block's indentation, its lines with it,
    // except the lines of a quoted text that runs over several lines.
    let input = "position p {\n      withdraw r   # why\n        cites tm2 \"a\n      b\".\n}\n";
    assert_eq!(
        format_source(input).unwrap(),
        "position p {\n  withdraw r   # why\n    cites tm2 \"a\n      b\".\n}\n"
    );
    check_properties("inline comment in a position", input).unwrap();
}

#[test]
fn position_blocks_are_indented_and_their_comments_kept() {
    let input = r#"position uk extends tallinn2 means "the UK" cites uk_ag_2018 "speech" { # the UK's view
# no remote violation
withdraw sovereignty_remote_intrusion cites uk_ag_2018 "the rule does not exist".
settle p = false. # settled


rule r: a(X) if b(X) or c(X) and d(X) cites uk_ag_2018.
# last words
}"#;
    let out = format_source(input).unwrap();
    assert_eq!(
        out,
        r#"position uk extends tallinn2
  means "the UK"
  cites uk_ag_2018 "speech" {  # the UK's view
  # no remote violation
  withdraw sovereignty_remote_intrusion
    cites uk_ag_2018 "the rule does not exist".
  settle p = false.  # settled

  rule r:
    a(X) if b(X)
      or (c(X) and d(X))
    cites uk_ag_2018.
  # last words
}
"#
    );
    check_properties("position", input).unwrap();
}

#[test]
fn long_citations_and_value_lists_are_wrapped_and_aligned() {
    let input = r#"rule r: p(X) if q(X) cites tm2 "Rule 4 and commentary; Rule 19, commentary, paragraphs 1 to 12", arsiwa "Art. 20", un_charter.
type Effect = death_or_injury | physical_damage | loss_of_functionality | reinstallation_required | temporary_loss_of_functionality | data_alteration.
"#;
    let out = format_source(input).unwrap();
    assert_eq!(
        out,
        r#"rule r:
  p(X) if q(X)
  cites tm2    "Rule 4 and commentary; Rule 19, commentary, paragraphs 1 to 12",
        arsiwa "Art. 20",
        un_charter.
type Effect = death_or_injury | physical_damage | loss_of_functionality | reinstallation_required
            | temporary_loss_of_functionality | data_alteration.
"#
    );
    check_properties("wrapping", input).unwrap();
}

#[test]
fn nested_formulas_keep_their_shape() {
    for input in [
        "rule r: h(X) if a(X) and (b(X) and c(X)).",
        "rule r: h(X) if (a(X) or b(X)) or c(X).",
        "rule r: h(X) if not (a(X) and b(X)) and not not c(X).",
        "rule r: h(X) if a(X) unless b(X) or c(X) and d(X) unless not e(X, Y).",
        "rule r: h(X) if ((a(X))) and X != \"Fancy Bear\" and X <= grave.",
        "rule r: h(X) if a(X) and unsettled(pt, \"the experts \\\"split\\\" \\\\ here\").",
    ] {
        check_properties(input, input).unwrap();
    }
}

// ------------------------------------------------------------------ generated programs

/// Choices of layout, drawn from generated bytes (zero when they run out).
struct Style {
    bytes: Vec<u8>,
    at: usize,
}

impl Style {
    fn pick(&mut self, n: usize) -> usize {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b as usize % n
    }

    /// White space between two tokens that need it; sometimes a comment.
    fn ws(&mut self) -> String {
        match self.pick(12) {
            0 => "\n    ".into(),
            1 => "\n".into(),
            2 => "  \t ".into(),
            3 => format!(" # inner {}\n  ", self.at),
            _ => " ".into(),
        }
    }

    /// White space where none is needed.
    fn opt(&mut self) -> String {
        if self.pick(3) == 0 {
            self.ws()
        } else {
            String::new()
        }
    }

    /// Between two statements.
    fn between(&mut self) -> String {
        match self.pick(10) {
            0 => " ".into(),
            1 => "\n\n\n".into(),
            2 => format!("\n# between {} \"quoted\" # still\n", self.at),
            3 => format!("  # after {}\n", self.at),
            4 => format!("\n\n  # after a blank {}\n\n", self.at),
            _ => "\n".into(),
        }
    }
}

#[derive(Debug, Clone)]
enum T {
    Var(&'static str),
    Name(&'static str),
    Quoted(String),
}

#[derive(Debug, Clone)]
enum F {
    Atom(&'static str, Vec<T>),
    Cmp(T, &'static str, T),
    Unsettled(&'static str, String),
    Not(Box<F>),
    And(Vec<F>),
    Or(Vec<F>),
}

#[derive(Debug, Clone)]
struct Rule {
    name: &'static str,
    head: (&'static str, Vec<T>),
    condition: Option<F>,
    exceptions: Vec<F>,
    cites: Vec<(&'static str, Option<String>)>,
    notes: Vec<String>,
}

#[derive(Debug, Clone)]
enum Item {
    Add(Rule),
    Replace(Rule),
    Withdraw(&'static str, Vec<(&'static str, Option<String>)>),
    Affirm(&'static str, Vec<(&'static str, Option<String>)>),
    Settle(&'static str, bool, Vec<(&'static str, Option<String>)>),
}

#[derive(Debug, Clone)]
enum St {
    Source(&'static str, String),
    Import(String),
    TypeOpen(&'static str),
    TypeFrom(&'static str, &'static str),
    TypeEnum(&'static str, Vec<&'static str>, bool),
    Predicate {
        name: &'static str,
        slots: Vec<(&'static str, &'static str)>,
        markers: Vec<&'static str>,
        means: Option<String>,
        reads: Option<String>,
        cites: Vec<(&'static str, Option<String>)>,
        notes: Vec<String>,
    },
    PointTitle(&'static str, String),
    Rule(Rule),
    Position {
        name: &'static str,
        headers: Vec<(u8, String)>,
        items: Option<Vec<Item>>,
    },
    Fact(u8, &'static str, Vec<T>),
    Expect(Option<&'static str>, &'static str, Vec<T>, u8),
}

const NAMES: &[&str] = &[
    "a",
    "russia",
    "gru_unit_74455",
    "x9",
    "notes",
    "ifs",
    "data_exfiltration",
    "temporary_loss_of_functionality",
];
const PREDS: &[&str] = &["p", "organ_of", "effect_in", "state", "sovereignty_basis"];
const VARS: &[&str] = &["X", "Op", "V", "_", "_tmp", "S2"];
const TYPES: &[&str] = &["State", "Actor", "Scale", "T_1"];
const SOURCES: &[&str] = &["tm2", "arsiwa", "us_koh_2012", "un_charter"];

/// A `reads` template: texts and `{slot}` placeholders, now and then a stray brace.
fn reading() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => text(),
            2 => prop::sample::select(NAMES).prop_map(|n| format!("{{{n}}}")),
            1 => Just("{".to_string()),
            1 => Just("}".to_string()),
        ],
        0..5,
    )
    .prop_map(|parts| parts.concat())
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => Just("a"),
            2 => Just(" "),
            1 => Just("\""),
            1 => Just("\\"),
            1 => Just("#"),
            1 => Just("\n"),
            1 => Just("\t"),
            1 => Just("é§"),
            1 => Just("Rule 4, commentary paras 13-14; "),
        ],
        0..12,
    )
    .prop_map(|v| v.concat())
}

fn term() -> impl Strategy<Value = T> {
    prop_oneof![
        3 => prop::sample::select(VARS).prop_map(T::Var),
        3 => prop::sample::select(NAMES).prop_map(T::Name),
        1 => prop_oneof![
            Just("abc".to_string()),
            Just("true".to_string()),
            Just("Fancy Bear".to_string()),
            Just(String::new()),
            text(),
        ]
        .prop_map(T::Quoted),
    ]
}

fn args() -> impl Strategy<Value = Vec<T>> {
    prop::collection::vec(term(), 0..4)
}

fn formula() -> impl Strategy<Value = F> {
    let leaf = prop_oneof![
        4 => (prop::sample::select(PREDS), args()).prop_map(|(p, a)| F::Atom(p, a)),
        2 => (term(), prop::sample::select(&["=", "!=", "<", "<=", ">", ">="][..]), term())
            .prop_map(|(l, o, r)| F::Cmp(l, o, r)),
        1 => (prop::sample::select(NAMES), text()).prop_map(|(p, t)| F::Unsettled(p, t)),
    ];
    leaf.prop_recursive(3, 20, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|f| F::Not(Box::new(f))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(F::And),
            prop::collection::vec(inner, 2..4).prop_map(F::Or),
        ]
    })
}

fn cites() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    prop::collection::vec(
        (prop::sample::select(SOURCES), prop::option::of(text())),
        0..4,
    )
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        prop::sample::select(NAMES),
        (prop::sample::select(PREDS), args()),
        prop::option::of(formula()),
        prop::collection::vec(formula(), 0..3),
        cites(),
        prop::collection::vec(text(), 0..2),
    )
        .prop_map(|(name, head, condition, exceptions, cites, notes)| Rule {
            name,
            head,
            condition,
            exceptions,
            cites,
            notes,
        })
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        2 => rule().prop_map(Item::Add),
        1 => rule().prop_map(Item::Replace),
        1 => (prop::sample::select(NAMES), cites()).prop_map(|(n, c)| Item::Withdraw(n, c)),
        1 => (prop::sample::select(NAMES), cites()).prop_map(|(n, c)| Item::Affirm(n, c)),
        1 => (prop::sample::select(NAMES), any::<bool>(), cites())
            .prop_map(|(n, v, c)| Item::Settle(n, v, c)),
    ]
}

fn statement() -> impl Strategy<Value = St> {
    prop_oneof![
        1 => (prop::sample::select(SOURCES), text()).prop_map(|(n, t)| St::Source(n, t)),
        1 => text().prop_map(St::Import),
        1 => prop::sample::select(TYPES).prop_map(St::TypeOpen),
        1 => (prop::sample::select(TYPES), prop::sample::select(PREDS))
            .prop_map(|(t, p)| St::TypeFrom(t, p)),
        1 => (
            prop::sample::select(TYPES),
            prop::collection::vec(prop::sample::select(NAMES), 2..16),
            any::<bool>()
        )
            .prop_map(|(t, v, o)| St::TypeEnum(t, v, o)),
        2 => (
            prop::sample::select(PREDS),
            prop::collection::vec((prop::sample::select(NAMES), prop::sample::select(TYPES)), 0..4),
            prop::collection::vec(prop::sample::select(&["closed", "functional"][..]), 0..3),
            prop::option::of(text()),
            prop::option::of(reading()),
            cites(),
            prop::collection::vec(text(), 0..3),
        )
            .prop_map(|(name, slots, markers, means, reads, cites, notes)| St::Predicate {
                name,
                slots,
                markers,
                means,
                reads,
                cites,
                notes,
            }),
        1 => (prop::sample::select(NAMES), text()).prop_map(|(n, t)| St::PointTitle(n, t)),
        3 => rule().prop_map(St::Rule),
        2 => (
            prop::sample::select(NAMES),
            prop::collection::vec((0u8..4, text()), 0..4),
            prop::option::of(prop::collection::vec(item(), 0..4)),
        )
            .prop_map(|(name, headers, items)| St::Position { name, headers, items }),
        4 => (0u8..3, prop::sample::select(PREDS), args()).prop_map(|(v, p, a)| St::Fact(v, p, a)),
        2 => (
            prop::option::of(prop::sample::select(NAMES)),
            prop::sample::select(PREDS),
            args(),
            0u8..3
        )
            .prop_map(|(u, p, a, v)| St::Expect(u, p, a, v)),
    ]
}

// Rendering: any spacing the grammar allows, never the canonical one on purpose.

fn q(s: &str, st: &mut Style) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if st.pick(2) == 0 => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn r_term(t: &T, st: &mut Style) -> String {
    match t {
        T::Var(v) => v.to_string(),
        T::Name(n) if st.pick(4) == 0 => format!("\"{n}\""),
        T::Name(n) => n.to_string(),
        T::Quoted(s) => q(s, st),
    }
}

fn r_atom(p: &str, args: &[T], st: &mut Style) -> String {
    let mut s = format!("{p}{}({}", st.opt(), st.opt());
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push_str(&format!("{},{}", st.opt(), st.opt()));
        }
        s.push_str(&r_term(a, st));
    }
    s.push_str(&format!("{})", st.opt()));
    s
}

fn r_formula(f: &F, st: &mut Style) -> String {
    let part = |g: &F, st: &mut Style| -> String {
        let s = r_formula(g, st);
        match g {
            F::And(_) | F::Or(_) => format!("({}{s}{})", st.opt(), st.opt()),
            _ if st.pick(5) == 0 => format!("({s})"),
            _ => s,
        }
    };
    match f {
        F::Atom(p, a) => r_atom(p, a, st),
        F::Cmp(l, o, r) => format!(
            "{}{}{o}{}{}",
            r_term(l, st),
            st.opt(),
            st.opt(),
            r_term(r, st)
        ),
        F::Unsettled(p, t) => format!("unsettled({}{p},{}{})", st.opt(), st.opt(), q(t, st)),
        F::Not(g) => {
            let inner = part(g, st);
            format!(
                "not{}{inner}",
                if inner.starts_with('(') {
                    st.opt()
                } else {
                    st.ws()
                }
            )
        }
        F::And(parts) | F::Or(parts) => {
            let kw = if matches!(f, F::And(_)) { "and" } else { "or" };
            let mut s = String::new();
            for (i, g) in parts.iter().enumerate() {
                if i > 0 {
                    s.push_str(&format!("{}{kw}{}", st.ws(), st.ws()));
                }
                s.push_str(&part(g, st));
            }
            s
        }
    }
}

fn r_cites(c: &[(&str, Option<String>)], st: &mut Style) -> String {
    if c.is_empty() {
        return String::new();
    }
    let mut s = format!("{}cites{}", st.ws(), st.ws());
    for (i, (src, pin)) in c.iter().enumerate() {
        if i > 0 {
            s.push_str(&format!("{},{}", st.opt(), st.opt()));
        }
        s.push_str(src);
        if let Some(p) = pin {
            s.push_str(&st.opt());
            s.push_str(&q(p, st));
        }
    }
    s
}

fn r_rule(kw: &str, r: &Rule, st: &mut Style) -> String {
    let mut s = format!("{kw}{}{}{}:{}", st.ws(), r.name, st.opt(), st.opt());
    s.push_str(&r_atom(r.head.0, &r.head.1, st));
    if let Some(c) = &r.condition {
        s.push_str(&format!("{}if{}{}", st.ws(), st.ws(), r_formula(c, st)));
    }
    for e in &r.exceptions {
        s.push_str(&format!("{}unless{}{}", st.ws(), st.ws(), r_formula(e, st)));
    }
    s.push_str(&r_cites(&r.cites, st));
    for n in &r.notes {
        s.push_str(&format!("{}note{}{}", st.ws(), st.opt(), q(n, st)));
    }
    s.push_str(&format!("{}.", st.opt()));
    s
}

fn r_item(i: &Item, st: &mut Style) -> String {
    match i {
        Item::Add(r) => r_rule("rule", r, st),
        Item::Replace(r) => r_rule("replace", r, st),
        Item::Withdraw(n, c) | Item::Affirm(n, c) => {
            let kw = if matches!(i, Item::Withdraw(..)) {
                "withdraw"
            } else {
                "affirm"
            };
            format!("{kw}{}{n}{}{}.", st.ws(), r_cites(c, st), st.opt())
        }
        Item::Settle(n, v, c) => format!(
            "settle{}{n}{}={}{v}{}{}.",
            st.ws(),
            st.opt(),
            st.opt(),
            r_cites(c, st),
            st.opt()
        ),
    }
}

fn r_statement(s: &St, st: &mut Style) -> String {
    match s {
        St::Source(n, t) => format!("source{}{n}{}{}{}.", st.ws(), st.opt(), q(t, st), st.opt()),
        St::Import(t) => format!("import{}{}.", st.opt(), q(t, st)),
        St::TypeOpen(t) => format!("type{}{t}{}.", st.ws(), st.opt()),
        St::TypeFrom(t, p) => format!("type{}{t}{}from{}{p}.", st.ws(), st.ws(), st.ws()),
        St::TypeEnum(t, values, ordered) => {
            let sep = if *ordered { "<" } else { "|" };
            let mut s = format!("type{}{t}{}={}", st.ws(), st.opt(), st.opt());
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    s.push_str(&format!("{}{sep}{}", st.opt(), st.opt()));
                }
                s.push_str(v);
            }
            s.push('.');
            s
        }
        St::Predicate {
            name,
            slots,
            markers,
            means,
            reads,
            cites,
            notes,
        } => {
            let mut s = format!("predicate{}{name}{}(", st.ws(), st.opt());
            for (i, (n, t)) in slots.iter().enumerate() {
                if i > 0 {
                    s.push_str(&format!(",{}", st.opt()));
                }
                s.push_str(&format!("{n}{}:{}{t}", st.opt(), st.opt()));
            }
            s.push(')');
            for m in markers {
                s.push_str(&format!("{}{m}", st.ws()));
            }
            if let Some(m) = means {
                s.push_str(&format!("{}means{}{}", st.ws(), st.opt(), q(m, st)));
            }
            if let Some(r) = reads {
                s.push_str(&format!("{}reads{}{}", st.ws(), st.opt(), q(r, st)));
            }
            s.push_str(&r_cites(cites, st));
            for n in notes {
                s.push_str(&format!("{}note{}{}", st.ws(), st.opt(), q(n, st)));
            }
            s.push('.');
            s
        }
        St::PointTitle(n, t) => format!(
            "unsettled{}{n}{}titled{}{}{}.",
            st.ws(),
            st.ws(),
            st.opt(),
            q(t, st),
            st.opt()
        ),
        St::Rule(r) => r_rule("rule", r, st),
        St::Position {
            name,
            headers,
            items,
        } => {
            let mut s = format!("position{}{name}", st.ws());
            for (kind, t) in headers {
                match kind {
                    0 => s.push_str(&format!("{}default", st.ws())),
                    1 => s.push_str(&format!(
                        "{}extends{}{}",
                        st.ws(),
                        st.ws(),
                        NAMES[t.len() % NAMES.len()]
                    )),
                    2 => s.push_str(&format!("{}means{}{}", st.ws(), st.opt(), q(t, st))),
                    _ => {
                        let c = [("tm2", Some(t.clone())), ("arsiwa", None)];
                        s.push_str(&r_cites(&c[..1 + t.len() % 2], st));
                    }
                }
            }
            match items {
                None => s.push_str(&format!("{}.", st.opt())),
                Some(items) => {
                    s.push_str(&format!("{}{{", st.opt()));
                    for i in items {
                        s.push_str(&st.between());
                        s.push_str(&r_item(i, st));
                    }
                    s.push_str(&st.between());
                    s.push('}');
                }
            }
            s
        }
        St::Fact(v, p, a) => {
            let prefix = match v {
                0 => String::new(),
                1 => format!("not{}", st.ws()),
                _ => format!("unknown{}", st.ws()),
            };
            format!("{prefix}{}{}.", r_atom(p, a, st), st.opt())
        }
        St::Expect(under, p, a, v) => {
            let u = under
                .map(|u| format!("{}under{}{u}", st.ws(), st.ws()))
                .unwrap_or_default();
            let value = ["true", "false", "unknown"][*v as usize % 3];
            format!(
                "expect{u}{}{}{}={}{value}{}.",
                st.ws(),
                r_atom(p, a, st),
                st.opt(),
                st.opt(),
                st.opt()
            )
        }
    }
}

fn program() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(statement(), 0..8),
        prop::collection::vec(any::<u8>(), 0..400),
    )
        .prop_map(|(statements, bytes)| {
            let mut st = Style { bytes, at: 0 };
            let mut s = String::new();
            if st.pick(3) == 0 {
                s.push_str("# a file comment\n\n");
            }
            for x in &statements {
                s.push_str(&r_statement(x, &mut st));
                s.push_str(&st.between());
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 384,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_programs_keep_their_program_and_comments(input in program()) {
        // The generator writes only what the grammar accepts.
        prop_assert!(tree(&input).is_ok(), "generated text does not parse: {:?}\n{input}", tree(&input));
        if let Err(e) = check_properties("generated", &input) {
            prop_assert!(false, "{}", e);
        }
    }
}
