//! The canonical text of each construct, printed from the syntax tree.
//!
//! Every function returns lines that already carry their indentation; the caller adds the
//! final `.` (or ` {`) to the last line, and any trailing comment.

use crate::syntax::ast::*;
use crate::syntax::is_plain_name;

/// Lines longer than this are broken where the layout allows (lists of values, citations).
pub const WIDTH: usize = 100;
/// One level of indentation.
pub const STEP: usize = 2;

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// A quoted text, escaped so that the parser reads back exactly `value`.
pub use crate::syntax::quote;

pub fn term(t: &Term) -> String {
    match t {
        Term::Variable(n) | Term::Date(n) => n.text.clone(),
        Term::Constant(n) if is_plain_name(&n.text) => n.text.clone(),
        Term::Constant(n) => quote(&n.text),
    }
}

pub fn atom(a: &Atom) -> String {
    let args: Vec<String> = a.args.iter().map(term).collect();
    format!("{}({})", a.predicate.text, args.join(", "))
}

/// A formula on one line. `and` binds tighter than `or`; parentheses are written where the
/// tree needs them and, for readability, around an `and` inside an `or`.
pub fn formula(f: &Formula) -> String {
    match f {
        Formula::And(parts, _) => parts.iter().map(conjunct).collect::<Vec<_>>().join(" and "),
        Formula::Or(parts, _) => parts.iter().map(disjunct).collect::<Vec<_>>().join(" or "),
        Formula::Not(inner, _) => format!("not {}", operand(inner)),
        Formula::Atom(a) => atom(a),
        Formula::Compare {
            left, op, right, ..
        } => format!("{} {} {}", term(left), op.symbol(), term(right)),
        Formula::Unsettled { point, reason, .. } => {
            format!("unsettled({}, {})", point.text, quote(&reason.value))
        }
    }
}

fn grouped(f: &Formula) -> String {
    format!("({})", formula(f))
}

/// A part of an `and`: a nested `and` or an `or` keeps its parentheses.
fn conjunct(f: &Formula) -> String {
    match f {
        Formula::And(..) | Formula::Or(..) => grouped(f),
        _ => formula(f),
    }
}

/// A part of an `or`: a nested `or` needs parentheses, an `and` gets them for readability.
fn disjunct(f: &Formula) -> String {
    conjunct(f)
}

/// What `not` applies to.
fn operand(f: &Formula) -> String {
    conjunct(f)
}

/// `cites a "x", b "y"`, broken one citation a line (pinpoints aligned) when too long.
pub fn citations(cites: &[Citation], indent: usize) -> Vec<String> {
    if cites.is_empty() {
        return Vec::new();
    }
    let one: Vec<String> = cites
        .iter()
        .map(|c| match &c.pinpoint {
            Some(p) => format!("{} {}", c.source.text, quote(&p.value)),
            None => c.source.text.clone(),
        })
        .collect();
    let line = format!("{}cites {}", pad(indent), one.join(", "));
    if cites.len() == 1 || width(&line) <= WIDTH {
        return vec![line];
    }
    let name_width = cites
        .iter()
        .filter(|c| c.pinpoint.is_some())
        .map(|c| width(&c.source.text))
        .max()
        .unwrap_or(0);
    let last = cites.len() - 1;
    cites
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let lead = if i == 0 {
                format!("{}cites ", pad(indent))
            } else {
                pad(indent + "cites ".len())
            };
            let body = match &c.pinpoint {
                Some(p) => format!("{:<name_width$} {}", c.source.text, quote(&p.value)),
                None => c.source.text.clone(),
            };
            let comma = if i < last { "," } else { "" };
            format!("{lead}{body}{comma}")
        })
        .collect()
}

fn notes(notes: &[Text], indent: usize) -> Vec<String> {
    notes
        .iter()
        .map(|n| format!("{}note {}", pad(indent), quote(&n.value)))
        .collect()
}

/// Adds `end` to the last line.
pub fn finish(mut lines: Vec<String>, end: &str) -> Vec<String> {
    match lines.last_mut() {
        Some(l) => l.push_str(end),
        None => lines.push(end.to_string()),
    }
    lines
}

pub fn source(d: &SourceDecl, indent: usize) -> Vec<String> {
    let dated = d
        .date
        .as_ref()
        .map(|n| format!(" dated {}", n.text))
        .unwrap_or_default();
    vec![format!(
        "{}source {} {}{dated}.",
        pad(indent),
        d.name.text,
        quote(&d.title.value)
    )]
}

/// `unsettled POINT titled "TITLE".` on one line (the title is short by purpose).
pub fn point_title(d: &PointTitleDecl, indent: usize) -> Vec<String> {
    vec![format!(
        "{}unsettled {} titled {}.",
        pad(indent),
        d.point.text,
        quote(&d.title.value)
    )]
}

pub fn import(d: &ImportDecl, indent: usize) -> Vec<String> {
    vec![format!("{}import {}.", pad(indent), quote(&d.path.value))]
}

pub fn type_decl(d: &TypeDecl, indent: usize) -> Vec<String> {
    let head = format!("{}type {}", pad(indent), d.name.text);
    let (values, sep) = match &d.body {
        TypeBody::Open => return vec![format!("{head}.")],
        TypeBody::From(p) => return vec![format!("{head} from {}.", p.text)],
        TypeBody::Ordered(v) => (v, "<"),
        TypeBody::Enumerated(v) => (v, "|"),
    };
    // `type Effect = a | b | c`, wrapped with each new line starting under the `=`.
    let continuation = pad(width(&head) + 1);
    let mut lines = Vec::new();
    let mut line = format!("{head} =");
    let last = values.len().saturating_sub(1);
    for (i, v) in values.iter().enumerate() {
        let joiner = if i == 0 {
            " ".to_string()
        } else {
            format!(" {sep} ")
        };
        let end = if i == last { "." } else { "" };
        let candidate = format!("{line}{joiner}{}{end}", v.text);
        if i > 0 && width(&candidate) > WIDTH {
            lines.push(line);
            line = format!("{continuation}{sep} {}", v.text);
        } else {
            line = format!("{line}{joiner}{}", v.text);
        }
    }
    line.push('.');
    lines.push(line);
    lines
}

pub fn predicate(d: &PredicateDecl, indent: usize) -> Vec<String> {
    let slots: Vec<String> = d
        .slots
        .iter()
        .map(|s| format!("{}: {}", s.name.text, s.ty.text))
        .collect();
    let mut first = format!(
        "{}predicate {}({})",
        pad(indent),
        d.name.text,
        slots.join(", ")
    );
    if d.closed.is_some() {
        first.push_str(" closed");
    }
    if d.functional.is_some() {
        first.push_str(" functional");
    }
    let inner = indent + STEP;
    let mut lines = vec![first];
    if let Some(m) = &d.meaning {
        lines.push(format!("{}means {}", pad(inner), quote(&m.value)));
    }
    if let Some(r) = &d.reading {
        lines.push(format!("{}reads {}", pad(inner), quote(&r.text.value)));
    }
    lines.extend(citations(&d.citations, inner));
    lines.extend(notes(&d.notes, inner));
    finish(lines, ".")
}

/// `rule NAME:` (or `replace NAME:`) and its body, one condition of the top level a line.
pub fn rule(keyword: &str, r: &RuleDecl, indent: usize) -> Vec<String> {
    let inner = indent + STEP;
    let deeper = inner + STEP;
    let mut lines = vec![format!("{}{keyword} {}:", pad(indent), r.name.text)];
    let head = format!("{}{}", pad(inner), atom(&r.body.head));
    match &r.body.condition {
        None => lines.push(head),
        Some(Formula::And(parts, _)) if parts.len() > 1 => {
            for (i, p) in parts.iter().enumerate() {
                if i == 0 {
                    lines.push(format!("{head} if {}", conjunct(p)));
                } else {
                    lines.push(format!("{}and {}", pad(deeper), conjunct(p)));
                }
            }
        }
        Some(Formula::Or(parts, _)) if parts.len() > 1 => {
            for (i, p) in parts.iter().enumerate() {
                if i == 0 {
                    lines.push(format!("{head} if {}", disjunct(p)));
                } else {
                    lines.push(format!("{}or {}", pad(deeper), disjunct(p)));
                }
            }
        }
        Some(f) => lines.push(format!("{head} if {}", formula(f))),
    }
    for e in &r.body.exceptions {
        lines.push(format!("{}unless {}", pad(inner), formula(e)));
    }
    lines.extend(citations(&r.body.citations, inner));
    lines.extend(notes(&r.body.notes, inner));
    finish(lines, ".")
}

/// The first lines of a position, up to (not including) its `{` or `.`.
pub fn position_header(p: &PositionDecl, indent: usize) -> Vec<String> {
    let mut first = format!("{}position {}", pad(indent), p.name.text);
    if p.is_default.is_some() {
        first.push_str(" default");
    }
    if let Some(e) = &p.extends {
        first.push_str(" extends ");
        first.push_str(&e.text);
    }
    if let Some(d) = &p.date {
        first.push_str(" dated ");
        first.push_str(&d.text);
    }
    let inner = indent + STEP;
    let mut lines = vec![first];
    if let Some(m) = &p.meaning {
        lines.push(format!("{}means {}", pad(inner), quote(&m.value)));
    }
    lines.extend(citations(&p.citations, inner));
    lines
}

pub fn position_item(item: &PositionItem, indent: usize) -> Vec<String> {
    let inner = indent + STEP;
    let (first, cites) = match item {
        PositionItem::Add(r) => return rule("rule", r, indent),
        PositionItem::Replace(r) => return rule("replace", r, indent),
        PositionItem::Withdraw {
            rule, citations, ..
        } => (format!("{}withdraw {}", pad(indent), rule.text), citations),
        PositionItem::Affirm {
            target, citations, ..
        } => (format!("{}affirm {}", pad(indent), target.text), citations),
        PositionItem::Settle {
            point,
            value,
            citations,
            ..
        } => (
            format!("{}settle {} = {value}", pad(indent), point.text),
            citations,
        ),
        PositionItem::Unverified {
            names,
            citations: cites,
            notes: texts,
            ..
        } => {
            let list: Vec<&str> = names.iter().map(|n| n.text.as_str()).collect();
            let mut lines = vec![format!("{}unverified {}", pad(indent), list.join(", "))];
            lines.extend(citations(cites, inner));
            lines.extend(notes(texts, inner));
            return finish(lines, ".");
        }
    };
    let mut lines = vec![first];
    lines.extend(citations(cites, inner));
    finish(lines, ".")
}

pub fn position_item_span(item: &PositionItem) -> crate::source::Span {
    match item {
        PositionItem::Add(r) | PositionItem::Replace(r) => r.span,
        PositionItem::Withdraw { span, .. }
        | PositionItem::Affirm { span, .. }
        | PositionItem::Unverified { span, .. }
        | PositionItem::Settle { span, .. } => *span,
    }
}

pub fn fact(f: &Fact, indent: usize) -> Vec<String> {
    let prefix = match f.value {
        Truth::True => "",
        Truth::False => "not ",
        Truth::Unknown => "unknown ",
    };
    vec![format!("{}{prefix}{}.", pad(indent), atom(&f.atom))]
}

pub fn expect(e: &Expect, indent: usize) -> Vec<String> {
    let under = e
        .position
        .as_ref()
        .map(|p| format!("under {} ", p.text))
        .unwrap_or_default();
    vec![format!(
        "{}expect {under}{} = {}.",
        pad(indent),
        atom(&e.goal),
        e.value.as_str()
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_escape_what_the_parser_unescapes() {
        assert_eq!(quote(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(quote("x\ny\tz"), r#""x\ny\tz""#);
    }
}
