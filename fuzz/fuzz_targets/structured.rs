//! Big programs, generated: from the fuzzer's bytes (through `arbitrary`) a grammar-aware
//! generator writes programs libFuzzer's byte mutations would never reach from short inputs:
//! lines tens of kilobytes long (labels past column 65,535, after spaces, no-break spaces or
//! byte-order marks), `not` and parentheses nested up to 100,000 deep, rules with thousands of
//! conditions and distinct variables (chains, stars, cross products), predicates of up to 400
//! slots (around the limit of 32), names and texts up to 100,000 characters, tens of
//! thousands of facts, positions, expectations, errors placed far into long lines, texts cut
//! anywhere. `opinio_fuzz::structured_text` then formats, loads, checks and evaluates the
//! program (1,000,000 atoms, 256 MiB, one second an evaluation), asks questions, explains an
//! answer and renders every diagnostic.
//!
//! `OPINIO_FUZZ_DUMP=FILE` writes the generated program to FILE (`PROGRAM \0 SCENARIO \0
//! GOALS`, the program's files separated by `\x01`), which `opinio_fuzz::structured_text`
//! replays; `cargo fuzz fmt structured INPUT` prints the generator's choices.
#![no_main]

use arbitrary::Arbitrary;
use std::fmt::Write as _;

/// Generation stops adding statements past this many bytes of text (the parser reads about
/// 2 MB a second, several times slower under the fuzzer's instrumentation: larger programs
/// would only time out).
const MAX_TEXT: usize = 2 << 20;

/// A count: mostly small, sometimes in the thousands, sometimes up to the use's maximum.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Size {
    Tiny(u8),
    Small(u8),
    Medium(u16),
    Large(u32),
}

impl Size {
    fn get(self, max: usize) -> usize {
        let n = match self {
            Size::Tiny(n) => usize::from(n % 9),
            Size::Small(n) => usize::from(n),
            Size::Medium(n) => usize::from(n) % 5_001,
            Size::Large(n) => return usize::try_from(n).unwrap_or(0) % (max + 1),
        };
        n.min(max)
    }
}

#[derive(Arbitrary, Debug)]
struct Program {
    layout: Layout,
    header: Header,
    types: Vec<TypeDecl>,
    preds: Vec<Pred>,
    items: Vec<Item>,
    /// The program in 1 to 3 files.
    files: u8,
    scenario: Vec<Item>,
    goals: Vec<Goal>,
    tail: Tail,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Layout {
    Lines,
    /// Every statement of a file on one line.
    OneLine,
    /// Each statement after this many spaces on its line.
    Padded(Size),
    /// ... after no-break spaces (two bytes each: columns in bytes and in characters differ).
    Nbsp(Size),
    /// ... after byte-order marks (three bytes each).
    Bom(Size),
    Crlf,
    /// One line, after a padding of this many spaces at its start.
    OneLinePadded(Size),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Header {
    Full,
    NoSource,
    NoType,
    Twice,
}

#[derive(Arbitrary, Debug)]
enum TypeDecl {
    Plain(Word),
    Enum(Word, Size),
    Ordered(Word, Size),
    From(Word, u8),
}

#[derive(Arbitrary, Debug)]
struct Pred {
    name: Word,
    arity: Arity,
    closed: bool,
    functional: bool,
    meaning: Option<Text>,
    /// Slot types: `T`, or one of the declared types by number.
    types: Vec<u8>,
    notes: u8,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Arity {
    Small(u8),
    UpTo40(u8),
    AroundLimit(u8),
    Many(u16),
}

impl Arity {
    fn get(self) -> usize {
        match self {
            Arity::Small(n) => usize::from(n % 4),
            Arity::UpTo40(n) => usize::from(n % 41),
            Arity::AroundLimit(n) => 30 + usize::from(n % 5),
            Arity::Many(n) => usize::from(n % 401),
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum Word {
    Plain,
    Long(Size),
    Raw(String),
    /// Close to a keyword: `note_x`, `iff`, `nota`, `unsettled1`, ...
    NearKeyword(u8),
}

#[derive(Arbitrary, Debug, Clone)]
enum Text {
    Plain,
    Long(Size),
    Raw(String),
    /// Backslashes left as they are (an escape, or the closing quote escaped).
    Escapes(String),
    /// Multi-byte characters.
    Wide(Size),
}

#[derive(Arbitrary, Debug)]
enum Item {
    Rule(Rule),
    Facts {
        pred: u8,
        count: Size,
        consts: Size,
        mode: u8,
    },
    Expect {
        pred: u8,
        args: Vec<Term>,
        value: u8,
        under: Option<u8>,
    },
    Position(Position),
    Long(LongLine),
    Raw(String),
    Undeclared(Word, u8),
    WrongArity(u8),
    Import(String),
    Source(Word, Text),
}

#[derive(Arbitrary, Debug)]
struct Rule {
    name: Word,
    head: u8,
    head_args: HeadArgs,
    body: Body,
    unless: Option<Body>,
    cites: Cites,
    notes: u8,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum HeadArgs {
    /// Variables of the body (safe).
    Bound,
    /// Variables nowhere else (unsafe).
    Fresh,
    Consts,
    /// One argument too many or too few.
    WrongCount,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Cites {
    Source,
    Many(Size),
    Undeclared,
    Nothing,
}

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    /// `p(V0, V1) and p(V1, V2) and ...`
    Chain(u8, Size),
    /// `p(V0, V1) and p(V0, V2) and ...`
    Star(u8, Size),
    /// `p(V0, V1) and p(V2, V3) and ...`: no shared variable (a cross product).
    Cross(u8, Size),
    /// Many different predicates, joined by `and` or by `or`.
    Wide(Vec<u8>, Size, bool),
    /// `not not not ... p(V0)`, `((((p(V0))))`, `not (not (...))`, unbalanced.
    Deep(Deep, Size, u8),
    Tree(Formula),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Deep {
    Not,
    Paren,
    NotParen,
    /// `(a and (a or (a and ...)))`
    Alternating,
    Unclosed,
    ExtraClose,
}

#[derive(Arbitrary, Debug)]
enum Formula {
    Atom(u8, Vec<Term>),
    Not(Box<Formula>),
    And(Box<Formula>, Box<Formula>),
    Or(Box<Formula>, Box<Formula>),
    Group(Box<Formula>),
    Cmp(Term, u8, Term),
    Unsettled(Word, Text),
}

#[derive(Arbitrary, Debug, Clone)]
enum Term {
    Var(u8),
    Const(u8),
    Anon,
    Text(Text),
    LongVar(Size),
    LongConst(Size),
}

#[derive(Arbitrary, Debug)]
struct Position {
    name: Word,
    default: bool,
    extends: Option<u8>,
    meaning: Option<Text>,
    items: Vec<PosItem>,
    /// `position p.` without braces.
    bare: bool,
}

#[derive(Arbitrary, Debug)]
enum PosItem {
    Settle(u8, bool),
    Withdraw(u8),
    Affirm(u8),
    Replace(u8, Body),
    Rule(Rule),
}

#[derive(Arbitrary, Debug)]
struct LongLine {
    len: Size,
    fill: Fill,
    then: Then,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Fill {
    Spaces,
    Nbsp,
    Bom,
    Tabs,
    /// Inside a fact's text argument.
    InText,
    /// A predicate name that long.
    Name,
    /// That many arguments.
    Args,
    /// A comment that long (then the statement on the next line).
    Comment,
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Then {
    Fact,
    SyntaxError,
    Undeclared,
    WrongArity,
    UnterminatedText,
    BadChar(char),
    DeepParen,
}

#[derive(Arbitrary, Debug)]
enum Goal {
    Derived(u8),
    Atom(u8, Vec<Term>),
    Raw(String),
    Long(Size),
}

#[derive(Arbitrary, Debug)]
enum Tail {
    Clean,
    /// The last file cut at this byte (on a character boundary).
    Cut(u32),
    Append(String),
}

struct PredInfo {
    name: String,
    arity: usize,
}

struct Gen {
    layout: Layout,
    /// Files of the program; statements go to `files[current]`.
    files: Vec<String>,
    current: usize,
    preds: Vec<PredInfo>,
    rules: Vec<String>,
    positions: Vec<String>,
    types: Vec<String>,
    serial: usize,
}

fn clean(s: &str) -> String {
    s.replace(['\0', '\u{1}'], " ")
}

fn word(w: &Word, prefix: &str, serial: usize) -> String {
    let base = match w {
        Word::Plain => String::new(),
        Word::Long(n) => "x".repeat(n.get(100_000)),
        Word::Raw(s) => s
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(200)
            .collect(),
        Word::NearKeyword(i) => [
            "note_",
            "iff",
            "nota",
            "unsettled1",
            "rule_",
            "or_",
            "ifx",
            "cites_",
            "true_",
        ]
        .get(usize::from(*i) % 9)
        .copied()
        .unwrap_or("x")
        .to_string(),
    };
    // A lower-case first letter and a unique suffix: a name, never a keyword.
    format!("{prefix}{}_{serial}", base.to_ascii_lowercase())
}

fn text(t: &Text) -> String {
    let inner = match t {
        Text::Plain => "a text".to_string(),
        Text::Long(n) => "t".repeat(n.get(100_000)),
        Text::Raw(s) => clean(s).replace('\\', "\\\\").replace('"', "\\\""),
        Text::Escapes(s) => clean(s).replace('"', "\\\""),
        Text::Wide(n) => "漢é😀\u{301}".repeat(n.get(25_000)),
    };
    format!("\"{inner}\"")
}

impl Gen {
    fn len(&self) -> usize {
        self.files.iter().map(String::len).sum()
    }

    fn full(&self) -> bool {
        self.len() > MAX_TEXT
    }

    fn pad(&self, n: Size, unit: &str) -> String {
        unit.repeat(n.get(140_000))
    }

    /// One statement, laid out as the layout says.
    fn stmt(&mut self, s: &str) {
        let before = match self.layout {
            Layout::Padded(n) => self.pad(n, " "),
            Layout::Nbsp(n) => self.pad(n, "\u{A0}"),
            Layout::Bom(n) => self.pad(n, "\u{FEFF}"),
            _ => String::new(),
        };
        let after = match self.layout {
            Layout::OneLine | Layout::OneLinePadded(_) => " ",
            Layout::Crlf => "\r\n",
            _ => "\n",
        };
        let Some(file) = self.files.get_mut(self.current) else {
            return;
        };
        file.push_str(&before);
        if s.contains(['\0', '\u{1}']) {
            file.push_str(&clean(s));
        } else {
            file.push_str(s);
        }
        file.push_str(after);
    }

    fn next(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    fn pred(&self, i: u8) -> Option<&PredInfo> {
        let n = self.preds.len();
        if n == 0 {
            return None;
        }
        self.preds.get(usize::from(i) % n)
    }

    fn pred_name(&self, i: u8) -> (String, usize) {
        match self.pred(i) {
            Some(p) => (p.name.clone(), p.arity),
            None => ("nothing_declared".to_string(), 1),
        }
    }

    fn rule_name(&self, i: u8) -> String {
        let n = self.rules.len();
        if n == 0 {
            return "no_rule".to_string();
        }
        self.rules
            .get(usize::from(i) % n)
            .cloned()
            .unwrap_or_default()
    }

    fn term(&self, t: &Term) -> String {
        match t {
            Term::Var(i) => format!("V{}", i % 16),
            Term::Const(i) => format!("c{}", i % 16),
            Term::Anon => "_".to_string(),
            Term::Text(t) => text(t),
            Term::LongVar(n) => format!("V{}", "v".repeat(n.get(100_000))),
            Term::LongConst(n) => format!("c{}", "c".repeat(n.get(100_000))),
        }
    }

    /// `p(args)` with the predicate's arity: the given terms first, then variables.
    fn atom(&self, pred: u8, args: &[Term]) -> String {
        let (name, arity) = self.pred_name(pred);
        let mut out = name;
        out.push('(');
        for i in 0..arity {
            if i > 0 {
                out.push_str(", ");
            }
            match args.get(i) {
                Some(t) => out.push_str(&self.term(t)),
                None => {
                    let _ = write!(out, "V{i}");
                }
            }
        }
        out.push(')');
        out
    }

    /// `p(first, second, _, _, ...)` for any arity.
    fn atom2(&self, pred: u8, first: &str, second: &str) -> String {
        let (name, arity) = self.pred_name(pred);
        let mut out = name;
        out.push('(');
        for i in 0..arity {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(match i {
                0 => first,
                1 => second,
                _ => "_",
            });
        }
        out.push(')');
        out
    }

    fn formula(&self, f: &Formula, depth: usize) -> String {
        if depth > 200 {
            return self.atom(0, &[]);
        }
        match f {
            Formula::Atom(p, args) => self.atom(*p, args),
            Formula::Not(g) => format!("not {}", self.formula(g, depth + 1)),
            Formula::And(a, b) => format!(
                "{} and {}",
                self.formula(a, depth + 1),
                self.formula(b, depth + 1)
            ),
            Formula::Or(a, b) => format!(
                "{} or {}",
                self.formula(a, depth + 1),
                self.formula(b, depth + 1)
            ),
            Formula::Group(g) => format!("({})", self.formula(g, depth + 1)),
            Formula::Cmp(a, op, b) => format!(
                "{} {} {}",
                self.term(a),
                ["=", "!=", "<", "<=", ">", ">="]
                    .get(usize::from(*op) % 6)
                    .copied()
                    .unwrap_or("="),
                self.term(b)
            ),
            Formula::Unsettled(w, t) => format!("unsettled({}, {})", word(w, "q", 0), text(t)),
        }
    }

    /// How many conditions of `pred` (each `p(Va, Vb, _, ...)`) fit in 2 MiB, at most `n`.
    fn fit(&self, pred: u8, n: usize) -> usize {
        let one = self.atom2(pred, "V00000", "V00000").len() + 5;
        n.min((2 << 20) / one).max(1)
    }

    /// The body's text and the variables it binds (for the head).
    fn body(&self, b: &Body) -> (String, Vec<String>) {
        let join = |parts: Vec<String>, sep: &str| parts.join(sep);
        match b {
            Body::None => (String::new(), Vec::new()),
            Body::Chain(p, n) => {
                let n = self.fit(*p, n.get(10_000).max(1));
                let parts = (0..n)
                    .map(|i| self.atom2(*p, &format!("V{i}"), &format!("V{}", i + 1)))
                    .collect();
                (join(parts, " and "), vec!["V0".into(), format!("V{n}")])
            }
            Body::Star(p, n) => {
                let n = self.fit(*p, n.get(10_000).max(1));
                let parts = (0..n)
                    .map(|i| self.atom2(*p, "V0", &format!("V{}", i + 1)))
                    .collect();
                (join(parts, " and "), vec!["V0".into(), format!("V{n}")])
            }
            Body::Cross(p, n) => {
                let n = self.fit(*p, n.get(10_000).max(1));
                let parts = (0..n)
                    .map(|i| self.atom2(*p, &format!("V{}", 2 * i), &format!("V{}", 2 * i + 1)))
                    .collect();
                (
                    join(parts, " and "),
                    vec!["V0".into(), format!("V{}", 2 * n - 1)],
                )
            }
            Body::Wide(ps, n, or) => {
                let widest = (0..=255u8).map(|p| self.fit(p, 10_000)).min().unwrap_or(1);
                let n = n.get(10_000).max(1).min(widest);
                let parts = (0..n)
                    .map(|i| {
                        let p = ps.get(i % ps.len().max(1)).copied().unwrap_or(0);
                        self.atom2(
                            p.wrapping_add(u8::try_from(i % 256).unwrap_or(0)),
                            "V0",
                            "V1",
                        )
                    })
                    .collect();
                let sep = if *or { " or " } else { " and " };
                (join(parts, sep), vec!["V0".into(), "V1".into()])
            }
            Body::Deep(kind, n, p) => {
                let n = n.get(100_000);
                let inner = self.atom2(*p, "V0", "V1");
                let s = match kind {
                    Deep::Not => format!("{}{inner}", "not ".repeat(n)),
                    Deep::Paren => format!("{}{inner}{}", "(".repeat(n), ")".repeat(n)),
                    Deep::NotParen => format!("{}{inner}{}", "not (".repeat(n), ")".repeat(n)),
                    Deep::Alternating => {
                        let mut s = String::new();
                        for i in 0..n {
                            s.push_str(&inner);
                            s.push_str(if i % 2 == 0 { " and (" } else { " or (" });
                        }
                        s.push_str(&inner);
                        s.push_str(&")".repeat(n));
                        s
                    }
                    Deep::Unclosed => format!("{}{inner}", "(".repeat(n)),
                    Deep::ExtraClose => format!("{inner}{}", ")".repeat(n)),
                };
                (s, vec!["V0".into(), "V1".into()])
            }
            Body::Tree(f) => (
                self.formula(f, 0),
                (0..16).map(|i| format!("V{i}")).collect(),
            ),
        }
    }

    fn rule_text(&self, keyword: &str, name: &str, r: &Rule) -> String {
        let (head, arity) = self.pred_name(r.head);
        let (body, vars) = self.body(&r.body);
        let arity = match r.head_args {
            HeadArgs::WrongCount => arity + 1,
            _ => arity,
        };
        let args: Vec<String> = (0..arity)
            .map(|i| match r.head_args {
                HeadArgs::Bound | HeadArgs::WrongCount => vars
                    .get(i % vars.len().max(1))
                    .cloned()
                    .unwrap_or_else(|| "c0".to_string()),
                HeadArgs::Fresh => format!("W{i}"),
                HeadArgs::Consts => format!("c{i}"),
            })
            .collect();
        let mut s = format!("{keyword} {name}: {head}({})", args.join(", "));
        if !body.is_empty() {
            s.push_str(" if ");
            s.push_str(&body);
        }
        if let Some(u) = &r.unless {
            let (u, _) = self.body(u);
            if !u.is_empty() {
                s.push_str(" unless ");
                s.push_str(&u);
            }
        }
        match r.cites {
            Cites::Source => s.push_str(" cites s \"1\""),
            Cites::Many(n) => {
                let n = n.get(5_000).max(1);
                let cites: Vec<String> = (0..n).map(|i| format!("s \"{i}\"")).collect();
                s.push_str(" cites ");
                s.push_str(&cites.join(", "));
            }
            Cites::Undeclared => s.push_str(" cites nowhere \"1\""),
            Cites::Nothing => {}
        }
        for i in 0..(r.notes % 4) {
            let _ = write!(s, " note \"n{i}\"");
        }
        s.push('.');
        s
    }

    fn rule(&mut self, r: &Rule) {
        let serial = self.next();
        let name = word(&r.name, "r", serial);
        let s = self.rule_text("rule", &name, r);
        self.rules.push(name);
        self.stmt(&s);
    }

    fn facts(&mut self, pred: u8, count: Size, consts: Size, mode: u8) {
        let (name, arity) = self.pred_name(pred);
        let count = count.get(30_000);
        let consts = consts.get(100_000).max(1);
        let mut s = String::new();
        for i in 0..count {
            if self.len() + s.len() > MAX_TEXT {
                break;
            }
            let prefix = match (mode % 4, i % 3) {
                (1, _) | (3, 0) => "not ",
                (2, _) | (3, 1) => "unknown ",
                _ => "",
            };
            s.push_str(prefix);
            s.push_str(&name);
            s.push('(');
            for a in 0..arity {
                if a > 0 {
                    s.push_str(", ");
                }
                // Different tuples: the fact number written in base `consts`, a digit a slot.
                let digit =
                    i / consts.saturating_pow(u32::try_from(a).unwrap_or(0)).max(1) % consts;
                let _ = write!(s, "c{digit}");
            }
            s.push_str("). ");
            if i % 64 == 63 {
                let line = std::mem::take(&mut s);
                self.stmt(line.trim_end());
            }
        }
        if !s.is_empty() {
            self.stmt(s.trim_end());
        }
    }

    fn long_line(&mut self, l: &LongLine) {
        let n = l.len.get(200_000);
        let then = match l.then {
            Then::Fact => format!("{}.", self.atom(0, &[Term::Const(0), Term::Const(1)])),
            Then::SyntaxError => "rule : if .".to_string(),
            Then::Undeclared => "undeclared_predicate(c0, c1).".to_string(),
            Then::WrongArity => {
                let (name, arity) = self.pred_name(0);
                let args = vec!["c0"; arity + 1].join(", ");
                format!("{name}({args}).")
            }
            Then::UnterminatedText => "source late \"never closed".to_string(),
            Then::BadChar(c) => format!("{}{}.", c, self.atom(0, &[])),
            Then::DeepParen => format!("rule deep: {} if {}", self.atom(0, &[]), "(".repeat(70)),
        };
        let s = match l.fill {
            Fill::Spaces => format!("{}{then}", " ".repeat(n)),
            Fill::Nbsp => format!("{}{then}", "\u{A0}".repeat(n)),
            Fill::Bom => format!("{}{then}", "\u{FEFF}".repeat(n)),
            Fill::Tabs => format!("{}{then}", "\t".repeat(n)),
            Fill::InText => {
                let (name, _) = self.pred_name(0);
                format!("{name}(\"{}\") {then}", "t".repeat(n))
            }
            Fill::Name => format!("p{}(c0). {then}", "x".repeat(n)),
            Fill::Args => {
                let (name, _) = self.pred_name(0);
                let args: Vec<String> = (0..n / 4).map(|i| format!("c{}", i % 100)).collect();
                format!("{name}({}). {then}", args.join(","))
            }
            Fill::Comment => format!("# {}\n{then}", "c".repeat(n)),
        };
        self.stmt(&s);
    }

    fn position(&mut self, p: &Position) {
        let serial = self.next();
        let name = word(&p.name, "pos", serial);
        let mut s = format!("position {name}");
        if p.default {
            s.push_str(" default");
        }
        if let Some(e) = p.extends {
            let n = self.positions.len();
            let parent = if n == 0 {
                "default".to_string()
            } else {
                self.positions
                    .get(usize::from(e) % (n + 1))
                    .cloned()
                    .unwrap_or_else(|| "default".to_string())
            };
            let _ = write!(s, " extends {parent}");
        }
        if let Some(m) = &p.meaning {
            let _ = write!(s, " means {}", text(m));
        }
        if p.bare {
            s.push('.');
        } else {
            s.push_str(" {");
            for item in p.items.iter().take(64) {
                s.push(' ');
                match item {
                    PosItem::Settle(r, v) => {
                        let _ = write!(s, "settle {} = {}.", self.rule_name(*r), v);
                    }
                    PosItem::Withdraw(r) => {
                        let _ = write!(s, "withdraw {} cites s \"w\".", self.rule_name(*r));
                    }
                    PosItem::Affirm(r) => {
                        let _ = write!(s, "affirm {}.", self.rule_name(*r));
                    }
                    PosItem::Replace(r, body) => {
                        let name = self.rule_name(*r);
                        let rule = Rule {
                            name: Word::Plain,
                            head: 0,
                            head_args: HeadArgs::Bound,
                            body: Body::None,
                            unless: None,
                            cites: Cites::Source,
                            notes: 0,
                        };
                        let (b, _) = self.body(body);
                        let text = self.rule_text("replace", &name, &rule);
                        // The head of rule 0, the body given: a replacement with another head
                        // is an error worth reaching too.
                        let text = match text.strip_suffix(" cites s \"1\".") {
                            Some(head) if !b.is_empty() => format!("{head} if {b} cites s \"1\"."),
                            _ => text,
                        };
                        s.push_str(&text);
                    }
                    PosItem::Rule(r) => {
                        let serial = self.next();
                        let name = word(&r.name, "pr", serial);
                        let text = self.rule_text("rule", &name, r);
                        s.push_str(&text);
                    }
                }
            }
            s.push_str(" }");
        }
        self.positions.push(name);
        self.stmt(&s);
    }

    fn item(&mut self, item: &Item) {
        if self.full() {
            return;
        }
        match item {
            Item::Rule(r) => self.rule(r),
            Item::Facts {
                pred,
                count,
                consts,
                mode,
            } => self.facts(*pred, *count, *consts, *mode),
            Item::Expect {
                pred,
                args,
                value,
                under,
            } => {
                let args: Vec<Term> = args
                    .iter()
                    .map(|t| match t {
                        Term::Var(i) => Term::Const(*i),
                        t => t.clone(),
                    })
                    .chain(std::iter::repeat(Term::Const(0)))
                    .take(self.pred_name(*pred).1)
                    .collect();
                let atom = self.atom(*pred, &args);
                let value = ["true", "false", "unknown"]
                    .get(usize::from(*value) % 3)
                    .copied()
                    .unwrap_or("true");
                let under = match under {
                    Some(i) if !self.positions.is_empty() => format!(
                        "under {} ",
                        self.positions
                            .get(usize::from(*i) % self.positions.len())
                            .cloned()
                            .unwrap_or_default()
                    ),
                    Some(_) => "under default ".to_string(),
                    None => String::new(),
                };
                self.stmt(&format!("expect {under}{atom} = {value}."));
            }
            Item::Position(p) => self.position(p),
            Item::Long(l) => self.long_line(l),
            Item::Raw(s) => self.stmt(&clean(s)),
            Item::Undeclared(w, arity) => {
                let serial = self.next();
                let args = vec!["c0"; usize::from(*arity % 40)].join(", ");
                self.stmt(&format!("{}({args}).", word(w, "u", serial)));
            }
            Item::WrongArity(p) => {
                let (name, arity) = self.pred_name(*p);
                let args = vec!["c0"; arity + 1 + usize::from(*p % 3)].join(", ");
                self.stmt(&format!("{name}({args})."));
            }
            Item::Import(s) => {
                self.stmt(&format!(
                    "import \"{}\".",
                    clean(s).replace(['"', '\\'], "")
                ));
            }
            Item::Source(w, t) => {
                let serial = self.next();
                self.stmt(&format!("source {} {}.", word(w, "s", serial), text(t)));
            }
        }
    }

    fn header(&mut self, p: &Program) {
        if !matches!(p.header, Header::NoSource) {
            self.stmt("source s \"The source\".");
        }
        if !matches!(p.header, Header::NoType) {
            self.stmt("type T.");
        }
        if matches!(p.header, Header::Twice) {
            self.stmt("source s \"Again\".");
            self.stmt("type T.");
        }
        for t in p.types.iter().take(16) {
            let serial = self.next();
            let name = |w: &Word| {
                let w = word(w, "t", serial);
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                    None => "T".to_string(),
                }
            };
            let s = match t {
                TypeDecl::Plain(w) => format!("type {}.", name(w)),
                TypeDecl::Enum(w, n) => {
                    let values: Vec<String> =
                        (0..n.get(10_000).max(1)).map(|i| format!("v{i}")).collect();
                    format!("type {} = {}.", name(w), values.join(" | "))
                }
                TypeDecl::Ordered(w, n) => {
                    let values: Vec<String> =
                        (0..n.get(5_000).max(2)).map(|i| format!("l{i}")).collect();
                    format!("type {} = {}.", name(w), values.join(" < "))
                }
                TypeDecl::From(w, i) => {
                    let (pred, _) = self.pred_name(*i);
                    format!("type {} from {pred}.", name(w))
                }
            };
            self.types.push(
                s.split_whitespace()
                    .nth(1)
                    .unwrap_or("T")
                    .trim_end_matches('.')
                    .to_string(),
            );
            self.stmt(&s);
        }
        // Names first, so that rules and facts can use them; then the declarations.
        for p in p.preds.iter().take(48) {
            let serial = self.next();
            let name = word(&p.name, "p", serial);
            self.preds.push(PredInfo {
                name,
                arity: p.arity.get(),
            });
        }
        for (i, p) in p.preds.iter().take(48).enumerate() {
            let Some(info) = self.preds.get(i) else { break };
            let (name, arity) = (info.name.clone(), info.arity);
            let slots: Vec<String> = (0..arity)
                .map(|k| {
                    let ty = match p.types.get(k) {
                        Some(t) if !self.types.is_empty() => self
                            .types
                            .get(usize::from(*t) % (self.types.len() + 1))
                            .cloned()
                            .unwrap_or_else(|| "T".to_string()),
                        _ => "T".to_string(),
                    };
                    format!("a{k}: {ty}")
                })
                .collect();
            let mut s = format!("predicate {name}({})", slots.join(", "));
            if p.closed {
                s.push_str(" closed");
            }
            if p.functional {
                s.push_str(" functional");
            }
            if let Some(m) = &p.meaning {
                let _ = write!(s, " means {}", text(m));
            }
            for k in 0..(p.notes % 3) {
                let _ = write!(s, " note \"n{k}\"");
            }
            s.push('.');
            self.stmt(&s);
        }
    }
}

fn generate(p: &Program) -> Vec<u8> {
    let nfiles = usize::from(p.files % 3) + 1;
    let mut g = Gen {
        layout: p.layout,
        files: vec![String::new(); nfiles],
        current: 0,
        preds: Vec::new(),
        rules: Vec::new(),
        positions: Vec::new(),
        types: Vec::new(),
        serial: 0,
    };
    if let Layout::OneLinePadded(n) = p.layout {
        let pad = g.pad(n, " ");
        if let Some(f) = g.files.first_mut() {
            f.push_str(&pad);
        }
    }
    g.header(p);
    for (i, item) in p.items.iter().take(256).enumerate() {
        g.current = i % nfiles;
        g.item(item);
    }
    match &p.tail {
        Tail::Clean => {}
        Tail::Cut(at) => {
            if let Some(f) = g.files.last_mut() {
                let mut at = usize::try_from(*at).unwrap_or(0) % (f.len() + 1);
                while !f.is_char_boundary(at) {
                    at -= 1;
                }
                f.truncate(at);
            }
        }
        Tail::Append(s) => {
            if let Some(f) = g.files.last_mut() {
                f.push_str(&clean(s));
            }
        }
    }
    let program = g.files.join("\u{1}");
    // The scenario: statements of the same kinds, in a file of its own.
    g.files = vec![String::new()];
    g.current = 0;
    for item in p.scenario.iter().take(64) {
        g.item(item);
    }
    let scenario = g.files.pop().unwrap_or_default();
    let goals: Vec<String> = p
        .goals
        .iter()
        .take(4)
        .map(|goal| {
            let s = match goal {
                Goal::Derived(i) => g.atom(*i, &[]),
                Goal::Atom(i, args) => g.atom(*i, args),
                Goal::Raw(s) => s.clone(),
                Goal::Long(n) => format!("q{}(X)", "x".repeat(n.get(100_000))),
            };
            s.replace(['\0', '\u{1}'], " ")
        })
        .collect();
    let mut out = program.into_bytes();
    out.push(0);
    out.extend_from_slice(scenario.as_bytes());
    out.push(0);
    out.extend_from_slice(goals.join("\u{1}").as_bytes());
    out
}

libfuzzer_sys::fuzz_target!(|p: Program| {
    let data = generate(&p);
    if let Some(path) = std::env::var_os("OPINIO_FUZZ_DUMP") {
        let _ = std::fs::write(path, &data);
    }
    opinio_fuzz::structured_text(&data);
});
