//! Symbols and their definitions: where each name of a set of files is declared and where it
//! is used, from the syntax tree alone (no checking needed, so it works on files with errors).
//!
//! This is what an editor needs for "go to definition", "find references" and hover, and what
//! `opinio` uses to name the declaration a diagnostic is about. Names live in one namespace per
//! [`SymbolKind`]: a rule and a predicate may share a name.

use super::ast::{self, Formula, PositionItem, Statement, Term, TypeBody};
use crate::source::{FileId, Span};

/// What a name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    /// A legal source (`source tm2 "…"`), named by citations.
    Source,
    /// A type (`type State from state.`), named by slots.
    Type,
    /// A predicate, named by atoms, `from` clauses and `expect`.
    Predicate,
    /// A rule, named by a position's `replace`, `withdraw` or `affirm`.
    Rule,
    /// A position, named by `extends` and `expect under`.
    Position,
    /// An open point of law (`unsettled(point, "…")`), named by `settle` and `affirm`.
    Point,
    /// A value of an enumerated or ordered type (`physical_damage`), named as a constant.
    Value,
}

/// One occurrence of a name: a definition or a use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    /// What the name denotes.
    pub kind: SymbolKind,
    /// The name as written, unquoted.
    pub name: String,
    /// Where this occurrence is.
    pub span: Span,
}

/// Every definition and every use of a name in a set of parsed files.
#[derive(Debug, Clone, Default)]
pub struct SymbolTable {
    /// Declarations, in file order. A name declared twice has two entries (the checker reports
    /// it); the first is the one [`SymbolTable::definition_of`] returns.
    pub definitions: Vec<Symbol>,
    /// Uses, in file order.
    pub references: Vec<Symbol>,
}

impl SymbolTable {
    /// The symbols of `files`, each given with the id its spans use.
    pub fn of<'a>(files: impl IntoIterator<Item = &'a ast::File>) -> SymbolTable {
        let mut table = SymbolTable::default();
        for file in files {
            for statement in &file.statements {
                table.statement(statement);
            }
        }
        table
    }

    /// The occurrence (definition or use) whose span contains byte `offset` of `file`; the
    /// innermost if several do.
    pub fn at(&self, file: FileId, offset: u32) -> Option<&Symbol> {
        self.definitions
            .iter()
            .chain(&self.references)
            .filter(|s| s.span.file == file && s.span.start <= offset && offset <= s.span.end)
            .min_by_key(|s| s.span.len())
    }

    /// The first definition of the name an occurrence denotes.
    pub fn definition_of(&self, symbol: &Symbol) -> Option<&Symbol> {
        self.definitions
            .iter()
            .find(|d| d.kind == symbol.kind && d.name == symbol.name)
    }

    /// Every use of the name an occurrence denotes.
    pub fn references_to<'a>(&'a self, symbol: &'a Symbol) -> impl Iterator<Item = &'a Symbol> {
        self.references
            .iter()
            .filter(move |r| r.kind == symbol.kind && r.name == symbol.name)
    }

    fn define(&mut self, kind: SymbolKind, name: &ast::Name) {
        self.definitions.push(symbol(kind, name));
    }

    fn refer(&mut self, kind: SymbolKind, name: &ast::Name) {
        self.references.push(symbol(kind, name));
    }

    fn citations(&mut self, citations: &[ast::Citation]) {
        for c in citations {
            self.refer(SymbolKind::Source, &c.source);
        }
    }

    fn statement(&mut self, statement: &Statement) {
        match statement {
            Statement::Source(s) => self.define(SymbolKind::Source, &s.name),
            Statement::Type(t) => {
                self.define(SymbolKind::Type, &t.name);
                match &t.body {
                    TypeBody::Open => {}
                    TypeBody::Ordered(values) | TypeBody::Enumerated(values) => {
                        for v in values {
                            self.define(SymbolKind::Value, v);
                        }
                    }
                    TypeBody::From(p) => self.refer(SymbolKind::Predicate, p),
                }
            }
            Statement::Predicate(p) => {
                self.define(SymbolKind::Predicate, &p.name);
                for slot in &p.slots {
                    self.refer(SymbolKind::Type, &slot.ty);
                }
                self.citations(&p.citations);
            }
            Statement::PointTitle(t) => self.refer(SymbolKind::Point, &t.point),
            Statement::Rule(r) => self.rule(r),
            Statement::Position(p) => {
                self.define(SymbolKind::Position, &p.name);
                if let Some(parent) = &p.extends {
                    self.refer(SymbolKind::Position, parent);
                }
                self.citations(&p.citations);
                for item in &p.items {
                    self.position_item(item);
                }
            }
            Statement::Import(_) => {}
            Statement::Fact(f) => self.atom(&f.atom),
            Statement::Expect(e) => {
                if let Some(p) = &e.position {
                    self.refer(SymbolKind::Position, p);
                }
                self.atom(&e.goal);
            }
        }
    }

    fn position_item(&mut self, item: &PositionItem) {
        match item {
            PositionItem::Add(r) => self.rule(r),
            PositionItem::Replace(r) => {
                // A replacement names the rule it replaces; it defines no new name.
                self.refer(SymbolKind::Rule, &r.name);
                self.rule_body(&r.body);
            }
            PositionItem::Withdraw {
                rule, citations, ..
            } => {
                self.refer(SymbolKind::Rule, rule);
                self.citations(citations);
            }
            PositionItem::Affirm {
                target, citations, ..
            } => {
                // `affirm` names a rule or an open point; which one is the checker's question.
                self.refer(SymbolKind::Rule, target);
                self.citations(citations);
            }
            PositionItem::Unverified {
                names, citations, ..
            } => {
                // Like `affirm`: a rule, a predicate or a point; the checker tells which.
                for n in names {
                    self.refer(SymbolKind::Rule, n);
                }
                self.citations(citations);
            }
            PositionItem::Settle {
                point, citations, ..
            } => {
                self.refer(SymbolKind::Point, point);
                self.citations(citations);
            }
        }
    }

    fn rule(&mut self, r: &ast::RuleDecl) {
        self.define(SymbolKind::Rule, &r.name);
        self.rule_body(&r.body);
    }

    fn rule_body(&mut self, body: &ast::RuleBody) {
        self.atom(&body.head);
        if let Some(c) = &body.condition {
            self.formula(c);
        }
        for e in &body.exceptions {
            self.formula(e);
        }
        self.citations(&body.citations);
    }

    fn formula(&mut self, f: &Formula) {
        f.walk(&mut |g, _| match g {
            Formula::And(..) | Formula::Or(..) | Formula::Not(..) => {}
            Formula::Atom(a) => self.atom(a),
            Formula::Compare { left, right, .. } => {
                self.term(left);
                self.term(right);
            }
            Formula::Unsettled { point, .. } => {
                // The first mention of a point defines it; a later one in another rule is the
                // same point, raised again.
                let known = self
                    .definitions
                    .iter()
                    .any(|d| d.kind == SymbolKind::Point && d.name == point.text);
                if known {
                    self.refer(SymbolKind::Point, point);
                } else {
                    self.define(SymbolKind::Point, point);
                }
            }
        });
    }

    fn atom(&mut self, a: &ast::Atom) {
        self.refer(SymbolKind::Predicate, &a.predicate);
        for t in &a.args {
            self.term(t);
        }
    }

    fn term(&mut self, t: &Term) {
        if let Term::Constant(name) = t {
            // Only constants that are values of enumerated or ordered types have a definition;
            // the others (`norland`) are introduced by the facts that state them.
            self.refer(SymbolKind::Value, name);
        }
    }
}

fn symbol(kind: SymbolKind, name: &ast::Name) -> Symbol {
    Symbol {
        kind,
        name: name.text.clone(),
        span: name.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_file;

    const TEXT: &str = r#"
source tm2 "Tallinn Manual 2.0".
type State from state.
type Effect = damage | loss.
predicate state(s: State) closed means "a State".
predicate effect(s: State, e: Effect) means "an effect".
predicate harmed(s: State) means "harmed".
rule harm: harmed(S) if effect(S, damage) and unsettled(threshold, "divided") cites tm2 "Rule 4".
position uk extends tallinn2 cites tm2 { withdraw harm. settle threshold = true. }
position tallinn2 default.
expect under uk harmed(norland) = false.
"#;

    fn table() -> (SymbolTable, &'static str) {
        let file = parse_file(FileId(0), TEXT).expect("the text parses");
        (SymbolTable::of([&file]), TEXT)
    }

    fn offset_of(text: &str, needle: &str, nth: usize) -> u32 {
        let at = text
            .match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .expect("the needle occurs");
        u32::try_from(at + 1).expect("small text")
    }

    #[test]
    fn a_use_leads_to_its_definition() {
        let (t, text) = table();
        // `effect` in the rule's condition (its second occurrence) is a use of the predicate.
        let at = t
            .at(FileId(0), offset_of(text, "effect(S", 0))
            .expect("a symbol there");
        assert_eq!(
            (at.kind, at.name.as_str()),
            (SymbolKind::Predicate, "effect")
        );
        let def = t.definition_of(at).expect("declared");
        assert_eq!(
            &text[def.span.start as usize..def.span.end as usize],
            "effect"
        );
        assert!(def.span.start < at.span.start);
    }

    #[test]
    fn each_kind_of_name_is_found() {
        let (t, text) = table();
        let kind_at = |needle: &str, nth: usize| {
            t.at(FileId(0), offset_of(text, needle, nth))
                .map(|s| (s.kind, s.name.clone()))
        };
        assert_eq!(
            kind_at("tm2 \"Rule", 0),
            Some((SymbolKind::Source, "tm2".into()))
        );
        assert_eq!(
            kind_at("State)", 0),
            Some((SymbolKind::Type, "State".into()))
        );
        assert_eq!(
            kind_at("damage)", 0),
            Some((SymbolKind::Value, "damage".into()))
        );
        assert_eq!(kind_at("harm.", 0), Some((SymbolKind::Rule, "harm".into())));
        assert_eq!(
            kind_at("threshold =", 0),
            Some((SymbolKind::Point, "threshold".into()))
        );
        assert_eq!(
            kind_at("tallinn2 cites", 0),
            Some((SymbolKind::Position, "tallinn2".into()))
        );
    }

    #[test]
    fn references_are_listed_per_name_and_kind() {
        let (t, _) = table();
        let tm2 = t
            .definitions
            .iter()
            .find(|d| d.kind == SymbolKind::Source)
            .expect("tm2 is declared");
        assert_eq!(
            t.references_to(tm2).count(),
            2,
            "the rule and the position cite it"
        );
        let threshold = t
            .definitions
            .iter()
            .find(|d| d.kind == SymbolKind::Point)
            .expect("the open point is defined where it is raised");
        assert_eq!(t.references_to(threshold).count(), 1, "settled once");
    }
}
