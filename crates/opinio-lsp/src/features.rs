//! The answers to the editor's questions, in Opinio's terms: what a name is (hover), where it
//! is declared and used, what may be written here (completion), the outline of a file, and
//! the current answer to an `expect` line. Each works on byte offsets; the server converts
//! them to and from the protocol's positions.

use crate::analysis::Analysis;
use opinio::fmt::lex::{tokens, TokenKind};
use opinio::syntax::ast::{
    self, Citation, Formula, PositionDecl, PositionItem, PredicateDecl, RuleDecl, Statement,
    TypeBody,
};
use opinio::syntax::symbols::{Symbol, SymbolKind};
use opinio::syntax::{dump_atom, dump_formula};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A declaration found in one of the files.
#[derive(Debug, Clone, Copy)]
pub enum Decl<'a> {
    /// `source …`
    Source(&'a ast::SourceDecl),
    /// `type …`
    Type(&'a ast::TypeDecl),
    /// `predicate …`
    Predicate(&'a PredicateDecl),
    /// `rule …`, `replace …` (`true`), at the top level or in a position.
    Rule(&'a RuleDecl, Option<&'a PositionDecl>, bool),
    /// `position …`
    Position(&'a PositionDecl),
}

/// Every declaration of every file that parses, with the index of its file.
pub fn declarations(a: &Analysis) -> Vec<(usize, Decl<'_>)> {
    let mut out = Vec::new();
    for (i, f) in a.files.iter().enumerate() {
        let Some(file) = &f.ast else { continue };
        for s in &file.statements {
            match s {
                Statement::Source(d) => out.push((i, Decl::Source(d))),
                Statement::Type(d) => out.push((i, Decl::Type(d))),
                Statement::Predicate(d) => out.push((i, Decl::Predicate(d))),
                Statement::Rule(d) => out.push((i, Decl::Rule(d, None, false))),
                Statement::Position(p) => {
                    out.push((i, Decl::Position(p)));
                    for item in &p.items {
                        match item {
                            PositionItem::Add(r) => out.push((i, Decl::Rule(r, Some(p), false))),
                            PositionItem::Replace(r) => out.push((i, Decl::Rule(r, Some(p), true))),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn predicate<'a>(decls: &[(usize, Decl<'a>)], name: &str) -> Option<&'a PredicateDecl> {
    decls.iter().find_map(|(_, d)| match d {
        Decl::Predicate(p) if p.name.text == name => Some(*p),
        _ => None,
    })
}

fn source_title<'a>(decls: &[(usize, Decl<'a>)], name: &str) -> Option<&'a ast::SourceDecl> {
    decls.iter().find_map(|(_, d)| match d {
        Decl::Source(s) if s.name.text == name => Some(*s),
        _ => None,
    })
}

/// `predicate name(slot: Type, …) closed functional`
pub fn signature(p: &PredicateDecl) -> String {
    let slots: Vec<String> = p
        .slots
        .iter()
        .map(|s| format!("{}: {}", s.name.text, s.ty.text))
        .collect();
    let mut out = format!("predicate {}({})", p.name.text, slots.join(", "));
    if p.closed.is_some() {
        out.push_str(" closed");
    }
    if p.functional.is_some() {
        out.push_str(" functional");
    }
    out
}

fn citations_md(out: &mut String, decls: &[(usize, Decl<'_>)], heading: &str, cs: &[Citation]) {
    if cs.is_empty() {
        return;
    }
    let _ = write!(out, "\n\n**{heading}**\n");
    for c in cs {
        let _ = write!(out, "\n- `{}`", c.source.text);
        if let Some(p) = &c.pinpoint {
            let _ = write!(out, " {}", p.value);
        }
        match source_title(decls, &c.source.text) {
            Some(s) => {
                let _ = write!(out, " — {}", s.title.value);
            }
            None => out.push_str(" — (no such source is declared)"),
        }
    }
}

fn notes_md(out: &mut String, notes: &[ast::Text]) {
    for n in notes {
        let _ = write!(out, "\n\n*Note:* {}", n.value);
    }
}

fn code(out: &mut String, text: &str) {
    let _ = write!(out, "```opinio\n{text}\n```");
}

/// What to show on hovering over `symbol`, in Markdown; `None` for a name that is declared
/// nowhere.
pub fn hover(a: &Analysis, symbol: &Symbol) -> Option<String> {
    let decls = declarations(a);
    let mut out = String::new();
    match symbol.kind {
        SymbolKind::Predicate => {
            let p = predicate(&decls, &symbol.name)?;
            code(&mut out, &signature(p));
            if let Some(m) = &p.meaning {
                let _ = write!(out, "\n\n{}", m.value);
            }
            if let Some(r) = &p.reading {
                let _ = write!(out, "\n\n*Reads:* “{}”", r.text.value);
            }
            citations_md(&mut out, &decls, "Sources", &p.citations);
            notes_md(&mut out, &p.notes);
        }
        SymbolKind::Rule => {
            // The rule the name denotes where it is written: the declaration itself, or for
            // a use (`withdraw`, `replace`, `affirm`) the rule as first declared.
            let is_definition = a.symbols.definitions.iter().any(|d| d == symbol);
            let rules: Vec<_> = decls
                .iter()
                .filter_map(|(_, d)| match d {
                    Decl::Rule(r, pos, replace) if r.name.text == symbol.name => {
                        Some((*r, *pos, *replace))
                    }
                    _ => None,
                })
                .collect();
            let (r, pos, replace) = if is_definition {
                rules.iter().find(|(r, ..)| r.name.span == symbol.span)
            } else {
                rules.iter().find(|(_, _, replace)| !replace)
            }
            .or(rules.first())
            .copied()?;
            let mut text = format!("rule {}: {}", r.name.text, dump_atom(&r.body.head));
            if let Some(c) = &r.body.condition {
                let _ = write!(text, "\n  if {}", dump_formula(c));
            }
            for e in &r.body.exceptions {
                let _ = write!(text, "\n  unless {}", dump_formula(e));
            }
            code(&mut out, &text);
            if let Some(p) = pos {
                let verb = if replace { "replaced" } else { "added" };
                let _ = write!(out, "\n\n{verb} by position `{}`", p.name.text);
            }
            let others: Vec<String> = rules
                .iter()
                .filter(|(x, ..)| x.name.span != r.name.span)
                .filter_map(|(_, p, _)| p.map(|p| format!("`{}`", p.name.text)))
                .collect();
            if !others.is_empty() {
                let _ = write!(out, "\n\nalso stated by position {}", others.join(", "));
            }
            citations_md(&mut out, &decls, "Citations", &r.body.citations);
            notes_md(&mut out, &r.body.notes);
        }
        SymbolKind::Source => {
            let s = source_title(&decls, &symbol.name)?;
            let _ = write!(out, "**{}** (source `{}`)", s.title.value, s.name.text);
            if let Some(d) = &s.date {
                let _ = write!(out, "\n\ndated {}", d.text);
            }
        }
        SymbolKind::Position => {
            let p = decls.iter().find_map(|(_, d)| match d {
                Decl::Position(p) if p.name.text == symbol.name => Some(*p),
                _ => None,
            })?;
            let mut head = format!("position {}", p.name.text);
            if p.is_default.is_some() {
                head.push_str(" default");
            }
            if let Some(e) = &p.extends {
                let _ = write!(head, " extends {}", e.text);
            }
            code(&mut out, &head);
            if let Some(m) = &p.meaning {
                let _ = write!(out, "\n\n{}", m.value);
            }
            match &p.date {
                Some(d) => {
                    let _ = write!(out, "\n\n**Published:** {}", d.text);
                }
                None => out.push_str("\n\n**Published:** no date given"),
            }
            let dates: Vec<String> = p
                .citations
                .iter()
                .filter_map(|c| source_title(&decls, &c.source.text))
                .filter_map(|s| {
                    s.date
                        .as_ref()
                        .map(|d| format!("`{}` {}", s.name.text, d.text))
                })
                .collect();
            if !dates.is_empty() {
                let _ = write!(out, " (documents dated: {})", dates.join(", "));
            }
            citations_md(&mut out, &decls, "Documents", &p.citations);
            let _ = write!(
                out,
                "\n\n{} changes to the position it extends",
                p.items.len()
            );
        }
        SymbolKind::Type => {
            let t = decls.iter().find_map(|(_, d)| match d {
                Decl::Type(t) if t.name.text == symbol.name => Some(*t),
                _ => None,
            })?;
            let body = match &t.body {
                TypeBody::Open => String::new(),
                TypeBody::Ordered(v) => format!(
                    " = {}",
                    v.iter()
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" < ")
                ),
                TypeBody::Enumerated(v) => format!(
                    " = {}",
                    v.iter()
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
                TypeBody::From(p) => format!(" from {}", p.text),
            };
            code(&mut out, &format!("type {}{body}", t.name.text));
            let what = match &t.body {
                TypeBody::Open => "its values are the constants stated in its slots",
                TypeBody::Ordered(_) => "its values are ordered, the least first",
                TypeBody::Enumerated(_) => "its values are these and no others",
                TypeBody::From(_) => "its values are what that closed predicate lists",
            };
            let _ = write!(out, "\n\n{what}");
        }
        SymbolKind::Value => {
            let t = decls.iter().find_map(|(_, d)| match d {
                Decl::Type(t) => match &t.body {
                    TypeBody::Ordered(v) | TypeBody::Enumerated(v)
                        if v.iter().any(|n| n.text == symbol.name) =>
                    {
                        Some(*t)
                    }
                    _ => None,
                },
                _ => None,
            })?;
            let _ = write!(out, "`{}`: a value of type `{}`", symbol.name, t.name.text);
            if let TypeBody::Ordered(v) = &t.body {
                let _ = write!(
                    out,
                    " ({})",
                    v.iter()
                        .map(|n| n.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" < ")
                );
            }
        }
        SymbolKind::Point => {
            let mut title = None;
            let mut reason = None;
            let mut settled = Vec::new();
            for f in a.files.iter().filter_map(|f| f.ast.as_ref()) {
                for s in &f.statements {
                    match s {
                        Statement::PointTitle(t) if t.point.text == symbol.name => {
                            title.get_or_insert(t.title.value.clone());
                        }
                        Statement::Rule(r) => unsettled_reason(r, &symbol.name, &mut reason),
                        Statement::Position(p) => {
                            for item in &p.items {
                                match item {
                                    PositionItem::Settle { point, value, .. }
                                        if point.text == symbol.name =>
                                    {
                                        settled.push(format!("`{}`: {value}", p.name.text));
                                    }
                                    PositionItem::Add(r) | PositionItem::Replace(r) => {
                                        unsettled_reason(r, &symbol.name, &mut reason)
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            let _ = write!(
                out,
                "**{}** (open point of law `{}`)",
                title.as_deref().unwrap_or("untitled"),
                symbol.name
            );
            if let Some(r) = reason {
                let _ = write!(out, "\n\n{r}");
            }
            if settled.is_empty() {
                out.push_str("\n\nNo position settles it.");
            } else {
                let _ = write!(out, "\n\n**Settled by** {}", settled.join(", "));
            }
        }
    }
    Some(out)
}

fn unsettled_reason(r: &RuleDecl, point: &str, reason: &mut Option<String>) {
    if reason.is_some() {
        return;
    }
    let formulas = r.body.condition.iter().chain(&r.body.exceptions);
    for f in formulas {
        f.walk(&mut |g, _| {
            if let Formula::Unsettled {
                point: p,
                reason: why,
                ..
            } = g
            {
                if p.text == point && reason.is_none() {
                    *reason = Some(why.value.clone());
                }
            }
        });
    }
}

/// One entry of the outline of a file.
#[derive(Debug, Clone)]
pub struct Outline {
    /// The name shown.
    pub name: String,
    /// A short description (the signature, "replaces", the expected value).
    pub detail: Option<String>,
    /// What it is, in the protocol's terms.
    pub kind: lsp_types::SymbolKind,
    /// The whole declaration (byte offsets).
    pub range: (u32, u32),
    /// Its name (byte offsets).
    pub selection: (u32, u32),
    /// What it holds (a position's rules, a type's values).
    pub children: Vec<Outline>,
}

fn outline_entry(
    name: &ast::Name,
    detail: Option<String>,
    kind: lsp_types::SymbolKind,
    whole: opinio::syntax::span::Span,
) -> Outline {
    Outline {
        name: name.text.clone(),
        detail,
        kind,
        range: (whole.start, whole.end),
        selection: (name.span.start, name.span.end),
        children: Vec::new(),
    }
}

/// The outline of a parsed file: its declarations and expectations.
pub fn outline(file: &ast::File) -> Vec<Outline> {
    use lsp_types::SymbolKind as K;
    let mut out = Vec::new();
    for s in &file.statements {
        match s {
            Statement::Source(d) => out.push(outline_entry(
                &d.name,
                Some(d.title.value.clone()),
                K::CONSTANT,
                d.span,
            )),
            Statement::Type(t) => {
                let mut e = outline_entry(&t.name, None, K::ENUM, t.span);
                if let TypeBody::Ordered(v) | TypeBody::Enumerated(v) = &t.body {
                    for n in v {
                        e.children
                            .push(outline_entry(n, None, K::ENUM_MEMBER, n.span));
                    }
                }
                out.push(e);
            }
            Statement::Predicate(p) => out.push(outline_entry(
                &p.name,
                Some(signature(p)),
                K::FUNCTION,
                p.span,
            )),
            Statement::PointTitle(t) => out.push(outline_entry(
                &t.point,
                Some(t.title.value.clone()),
                K::KEY,
                t.span,
            )),
            Statement::Rule(r) => out.push(outline_entry(
                &r.name,
                Some(dump_atom(&r.body.head)),
                K::METHOD,
                r.span,
            )),
            Statement::Position(p) => {
                let mut e = outline_entry(
                    &p.name,
                    p.meaning.as_ref().map(|m| m.value.clone()),
                    K::NAMESPACE,
                    p.span,
                );
                for item in &p.items {
                    match item {
                        PositionItem::Add(r) => e.children.push(outline_entry(
                            &r.name,
                            Some(dump_atom(&r.body.head)),
                            K::METHOD,
                            r.span,
                        )),
                        PositionItem::Replace(r) => e.children.push(outline_entry(
                            &r.name,
                            Some("replaces the inherited rule".into()),
                            K::METHOD,
                            r.span,
                        )),
                        PositionItem::Withdraw { rule, span, .. } => e.children.push(
                            outline_entry(rule, Some("withdrawn".into()), K::NULL, *span),
                        ),
                        PositionItem::Settle {
                            point, value, span, ..
                        } => e.children.push(outline_entry(
                            point,
                            Some(format!("settled: {value}")),
                            K::KEY,
                            *span,
                        )),
                        PositionItem::Affirm { .. } | PositionItem::Unverified { .. } => {}
                    }
                }
                out.push(e);
            }
            Statement::Expect(x) => {
                let name = ast::Name {
                    text: dump_atom(&x.goal),
                    span: x.goal.span,
                };
                let under = x
                    .position
                    .as_ref()
                    .map(|p| format!(" under {}", p.text))
                    .unwrap_or_default();
                out.push(outline_entry(
                    &name,
                    Some(format!("expected {}{under}", x.value.as_str())),
                    K::EVENT,
                    x.span,
                ));
            }
            Statement::Import(_) | Statement::Fact(_) => {}
        }
    }
    out
}

/// One proposal of a completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// What is shown and filtered on.
    pub label: String,
    /// What it is (a signature, a type, a title).
    pub detail: Option<String>,
    /// Its kind in the protocol's terms.
    pub kind: lsp_types::CompletionItemKind,
    /// The snippet to insert (`$1` placeholders), if not the label.
    pub snippet: Option<String>,
    /// The text to insert when the editor takes no snippets, if not the label.
    pub plain: Option<String>,
}

/// What may be written at byte `offset` of file `file`.
pub fn complete(a: &Analysis, file: usize, offset: usize) -> Vec<Proposal> {
    use lsp_types::CompletionItemKind as K;
    let Some(f) = a.files.get(file) else {
        return Vec::new();
    };
    let Some(before) = f.text.get(..offset) else {
        return Vec::new();
    };
    let toks: Vec<(TokenKind, &str)> = tokens(before)
        .map(|t| (t.kind, before.get(t.range.start..t.range.end).unwrap_or("")))
        .collect();
    // Inside a quoted text or a comment: nothing to propose.
    if let Some((TokenKind::Text | TokenKind::Comment, t)) = toks.last() {
        let open_text = t.len() < 2 || !t.ends_with('"') || t.ends_with("\\\"");
        if matches!(toks.last(), Some((TokenKind::Comment, _))) || open_text {
            return Vec::new();
        }
    }
    let mut sig: Vec<(TokenKind, &str)> = toks
        .into_iter()
        .filter(|(k, _)| !matches!(k, TokenKind::Space | TokenKind::Comment))
        .collect();
    // The word being typed is not part of the context.
    let typing = before
        .chars()
        .next_back()
        .is_some_and(opinio::fmt::lex::is_word_char);
    if typing {
        sig.pop();
    }
    // The statement so far: back to the last `.`, `{` or `}`.
    let start = sig
        .iter()
        .rposition(|(k, t)| *k == TokenKind::Punct && matches!(*t, "." | "{" | "}"))
        .map(|i| i + 1)
        .unwrap_or(0);
    let stmt = sig.get(start..).unwrap_or(&[]);
    let prev = stmt.last().map(|(_, t)| *t);
    let first = stmt.first().map(|(_, t)| *t);
    let depth: i32 = stmt
        .iter()
        .map(|(_, t)| match *t {
            "(" => 1,
            ")" => -1,
            _ => 0,
        })
        .sum();
    let in_citations = stmt
        .iter()
        .rposition(|(_, t)| *t == "cites")
        .is_some_and(|c| {
            stmt.get(c + 1..)
                .unwrap_or(&[])
                .iter()
                .all(|(k, t)| matches!(k, TokenKind::Name | TokenKind::Text) || *t == ",")
        });
    let defs = |kind: SymbolKind| -> BTreeSet<&str> {
        a.symbols
            .definitions
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.name.as_str())
            .collect()
    };
    let decls = declarations(a);
    let mut out = Vec::new();
    let names = |out: &mut Vec<Proposal>, kind: SymbolKind, k: K| {
        for n in defs(kind) {
            let detail = match kind {
                SymbolKind::Source => source_title(&decls, n).map(|s| s.title.value.clone()),
                _ => None,
            };
            out.push(Proposal {
                label: n.to_string(),
                detail,
                kind: k,
                snippet: None,
                plain: None,
            });
        }
    };
    match prev {
        _ if in_citations && matches!(prev, Some("cites" | ",")) => {
            names(&mut out, SymbolKind::Source, K::REFERENCE)
        }
        Some("withdraw" | "replace") => names(&mut out, SymbolKind::Rule, K::METHOD),
        Some("affirm") => {
            names(&mut out, SymbolKind::Rule, K::METHOD);
            names(&mut out, SymbolKind::Point, K::VALUE);
        }
        Some("settle") => names(&mut out, SymbolKind::Point, K::VALUE),
        Some("extends" | "under") => names(&mut out, SymbolKind::Position, K::MODULE),
        Some("unverified") | Some(",") if first == Some("unverified") => {
            names(&mut out, SymbolKind::Rule, K::METHOD);
            names(&mut out, SymbolKind::Predicate, K::FUNCTION);
            names(&mut out, SymbolKind::Point, K::VALUE);
        }
        Some("from") if first == Some("type") => {
            names(&mut out, SymbolKind::Predicate, K::FUNCTION)
        }
        Some(":") if first == Some("predicate") && depth > 0 => {
            names(&mut out, SymbolKind::Type, K::CLASS)
        }
        Some("(" | "," | "=" | "!=" | "<" | ">" | "<=" | ">=")
            if depth > 0 || prev != Some(",") =>
        {
            // An argument: the values of the enumerated types and the scenario's constants;
            // in a slot of a known predicate, only those of the slot's type.
            let slot_type = slot_type(stmt, &decls);
            for d in decls.iter() {
                if let (_, Decl::Type(t)) = d {
                    if slot_type.is_some_and(|ty| ty != t.name.text) {
                        continue;
                    }
                    if let TypeBody::Ordered(v) | TypeBody::Enumerated(v) = &t.body {
                        for n in v {
                            out.push(Proposal {
                                label: n.text.clone(),
                                detail: Some(format!("a value of type {}", t.name.text)),
                                kind: K::ENUM_MEMBER,
                                snippet: None,
                                plain: None,
                            });
                        }
                    }
                }
            }
            for (c, ty) in constants(a, file) {
                if out.iter().any(|p| p.label == c) {
                    continue;
                }
                // A constant of another type does not fit the slot; one of no known type might.
                if let (Some(want), Some(have)) = (slot_type, ty.as_deref()) {
                    if want != have {
                        continue;
                    }
                }
                out.push(Proposal {
                    label: c,
                    detail: ty.map(|t| format!("a constant of the scenario ({t})")),
                    kind: K::CONSTANT,
                    snippet: None,
                    plain: None,
                });
            }
        }
        _ => {
            for (_, d) in &decls {
                let Decl::Predicate(p) = d else { continue };
                if out.iter().any(|x: &Proposal| x.label == p.name.text) {
                    continue;
                }
                let slots: Vec<String> = p
                    .slots
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("${{{}:{}}}", i + 1, s.name.text))
                    .collect();
                out.push(Proposal {
                    label: p.name.text.clone(),
                    detail: Some(signature(p)),
                    kind: K::FUNCTION,
                    snippet: Some(format!("{}({})", p.name.text, slots.join(", "))),
                    plain: Some(format!("{}(", p.name.text)),
                });
            }
        }
    }
    out
}

/// The constants of the scenario in file `file`: those its last check found (with their
/// types), and the bare names written in its text that are not predicates or reserved words.
/// The type of the slot an argument is being written in, when the statement so far ends
/// inside `pred(…` (after `(` or a `,` at that depth) and `pred` is a declared predicate: the
/// type named for its slot at that place. `None` elsewhere (a comparison, an unknown
/// predicate, more arguments than slots).
fn slot_type<'d>(stmt: &[(TokenKind, &str)], decls: &'d [(usize, Decl<'d>)]) -> Option<&'d str> {
    let mut depth = 0i32;
    let mut commas = 0usize;
    for (i, (_, t)) in stmt.iter().enumerate().rev() {
        match *t {
            ")" => depth += 1,
            "(" if depth > 0 => depth -= 1,
            "(" => {
                let (kind, name) = stmt.get(i.checked_sub(1)?)?;
                if *kind != TokenKind::Name {
                    return None;
                }
                return decls.iter().find_map(|(_, d)| match d {
                    Decl::Predicate(p) if p.name.text == *name => {
                        p.slots.get(commas).map(|s| s.ty.text.as_str())
                    }
                    _ => None,
                });
            }
            "," if depth == 0 => commas += 1,
            "=" | "!=" | "<" | ">" | "<=" | ">=" if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn constants(a: &Analysis, file: usize) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    if let Some(s) = a.scenarios.get(&file) {
        for (ty, cs) in s.constants_by_type() {
            for c in cs {
                if !out.iter().any(|(x, _)| *x == c) {
                    out.push((c, Some(ty.clone())));
                }
            }
        }
    }
    let Some(f) = a.files.get(file) else {
        return out;
    };
    // A file that does not check (being typed) still names things: each is typed by the
    // slot it is written in, where that is a declared predicate's.
    let toks: Vec<(TokenKind, &str)> = tokens(&f.text)
        .filter(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Comment))
        .map(|t| (t.kind, f.text.get(t.range.start..t.range.end).unwrap_or("")))
        .collect();
    let decls = declarations(a);
    let mut start = 0;
    for (i, (kind, word)) in toks.iter().enumerate() {
        if *kind == TokenKind::Punct && *word == "." {
            start = i + 1;
            continue;
        }
        if *kind != TokenKind::Name {
            continue;
        }
        let before_paren = toks.get(i + 1).map(|(_, t)| *t) == Some("(");
        let starts_with_letter = word.starts_with(|c: char| c.is_ascii_lowercase());
        if !before_paren && starts_with_letter && !out.iter().any(|(x, _)| x == word) {
            let ty = slot_type(toks.get(start..i).unwrap_or(&[]), &decls);
            out.push((word.to_string(), ty.map(str::to_string)));
        }
    }
    out
}

/// The current answer to each `expect` line of scenario file `file`: the byte range of the
/// statement and a one-line title such as `now: true — as expected`.
pub fn expect_answers(a: &Analysis, file: usize) -> Vec<((u32, u32), String)> {
    let Some(f) = a.files.get(file) else {
        return Vec::new();
    };
    let Some(ast) = &f.ast else {
        return Vec::new();
    };
    let expects: Vec<&ast::Expect> = ast
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Expect(e) => Some(e),
            _ => None,
        })
        .collect();
    let Some(s) = a.scenarios.get(&file) else {
        return Vec::new();
    };
    let outcomes = match s.run_expectations() {
        Ok(o) => o,
        Err(e) => {
            let why = format!("not evaluated: {}", first_line(&e.to_string()));
            return expects
                .iter()
                .map(|x| ((x.span.start, x.span.end), why.clone()))
                .collect();
        }
    };
    let prefix = format!("{}:", f.name);
    let mine: Vec<_> = outcomes
        .iter()
        .filter(|o| o.location.starts_with(&prefix))
        .filter_map(|o| {
            let line: usize = o.location.get(prefix.len()..)?.parse().ok()?;
            Some((line, o))
        })
        .collect();
    let mut out = Vec::new();
    let mut used = vec![false; mine.len()];
    for x in expects {
        let line = f
            .lines
            .position(&f.text, x.span.start as usize, crate::text::Encoding::Utf8)
            .line as usize
            + 1;
        let found = mine
            .iter()
            .enumerate()
            .find(|(i, (l, _))| *l == line && !used.get(*i).copied().unwrap_or(true));
        let Some((i, (_, o))) = found else { continue };
        if let Some(u) = used.get_mut(i) {
            *u = true;
        }
        let title = if o.passed {
            format!("now: {} under {} — as expected", o.got.as_str(), o.position)
        } else {
            format!(
                "now: {} under {} — expected {}",
                o.got.as_str(),
                o.position,
                o.expected.as_str()
            )
        };
        out.push(((x.span.start, x.span.end), title));
    }
    out
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Every citation of a file: of its predicates, rules, positions and their items.
fn citations_of(file: &ast::File) -> Vec<&Citation> {
    let mut out = Vec::new();
    for s in &file.statements {
        match s {
            Statement::Predicate(p) => out.extend(&p.citations),
            Statement::Rule(r) => out.extend(&r.body.citations),
            Statement::Position(p) => {
                out.extend(&p.citations);
                for item in &p.items {
                    match item {
                        PositionItem::Add(r) | PositionItem::Replace(r) => {
                            out.extend(&r.body.citations)
                        }
                        PositionItem::Withdraw { citations, .. }
                        | PositionItem::Affirm { citations, .. }
                        | PositionItem::Unverified { citations, .. }
                        | PositionItem::Settle { citations, .. } => out.extend(citations),
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Hovering over a citation's pinpoint (`tm2 "Rule 4, para. 10"`): the source's full title
/// and the pinpoint, with the citation's byte range.
pub fn citation_hover(a: &Analysis, file: usize, offset: u32) -> Option<((u32, u32), String)> {
    let ast = a.files.get(file)?.ast.as_ref()?;
    let c = citations_of(ast)
        .into_iter()
        .find(|c| c.span.start <= offset && offset <= c.span.end)?;
    let decls = declarations(a);
    let mut out = String::new();
    match source_title(&decls, &c.source.text) {
        Some(s) => {
            let _ = write!(out, "**{}**", s.title.value);
            if let Some(d) = &s.date {
                let _ = write!(out, " ({})", d.text);
            }
        }
        None => {
            let _ = write!(out, "no source `{}` is declared", c.source.text);
        }
    }
    if let Some(p) = &c.pinpoint {
        let _ = write!(out, "\n\n{}", p.value);
    }
    Some(((c.span.start, c.span.end), out))
}
