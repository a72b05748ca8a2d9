//! Positions: their names and `extends`, the rules in force under each (added, replaced,
//! withdrawn, inherited), and the points they settle or affirm.

use super::{Checker, IMPLICIT_DEFAULT};
use crate::diagnostic::suggest::help_with;
use crate::diagnostic::Diagnostic;
use crate::program::{
    Affirmation, PointId, PointInfo, PosId, PositionInfo, RuleId, Settlement, Unverified,
    Withdrawal,
};
use crate::source::Span;
use crate::syntax::ast;
use rustc_hash::{FxHashMap, FxHashSet};

impl Checker {
    /// Declares the positions (and the implicit default one), links each to the one it
    /// extends, and lowers the rules in force under each, parents first.
    pub(super) fn build_positions(
        &mut self,
        decls: &[&ast::PositionDecl],
        top_rules: &[&ast::RuleDecl],
    ) {
        // Declare every position (names first, so `extends` can point forward).
        let mut default: Option<PosId> = None;
        for p in decls {
            let d = *p;
            if let Some(&prev) = self.program.position_index.get(&d.name.text) {
                let prev_span = self.program.position(prev).span;
                self.err(
                    Diagnostic::error(
                        crate::diagnostic::Code::DuplicatePosition,
                        format!("the position `{}` is declared twice", d.name.text),
                    )
                    .with_label(d.name.span, "declared again here")
                    .with_label(prev_span, "first declared here")
                    .with_help("put everything the position says in one block"),
                );
                continue;
            }
            let id = PosId::from_index(self.program.positions.len());
            let citations = self.resolve_citations(&d.citations);
            if let Some(span) = d.is_default {
                if let Some(prev) = default {
                    let prev_span = self.program.position(prev).span;
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::TwoDefaults,
                            "two positions are marked `default`",
                        )
                        .with_label(span, "a second default")
                        .with_label(prev_span, "the first default")
                        .with_help("one position is the starting point of all the others; mark only it `default`"),
                    );
                } else {
                    default = Some(id);
                }
                if let Some(ext) = &d.extends {
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::DefaultExtends,
                            "the default position cannot extend another position",
                        )
                        .with_label(ext.span, "remove this")
                        .with_help(
                            "the default position is the one every other position starts from",
                        ),
                    );
                }
            }
            let date = self.optional_date(d.date.as_ref());
            self.program.positions.push(PositionInfo {
                is_default: d.is_default.is_some(),
                date,
                meaning: d.meaning.as_ref().map(|m| m.value.clone()),
                citations,
                ..PositionInfo::named(d.name.text.clone(), d.span)
            });
            self.program.position_index.insert(d.name.text.clone(), id);
        }
        let default = match default {
            Some(d) => d,
            None => {
                let id = PosId::from_index(self.program.positions.len());
                self.program.positions.push(PositionInfo {
                    is_default: true,
                    meaning: Some("the rules stated outside any position".to_string()),
                    ..PositionInfo::named(IMPLICIT_DEFAULT.to_string(), Span::default())
                });
                self.program
                    .position_index
                    .insert(IMPLICIT_DEFAULT.to_string(), id);
                id
            }
        };
        self.program.default_position = Some(default);

        // Parents.
        let mut decl_of: FxHashMap<PosId, &ast::PositionDecl> = FxHashMap::default();
        for p in decls {
            let Some(id) = self.program.position_id(&p.name.text) else {
                continue;
            };
            if self.program.position(id).span != p.span {
                continue; // duplicate
            }
            decl_of.insert(id, *p);
            if id == default {
                continue;
            }
            let parent = match &p.extends {
                Some(ext) => match self.program.position_id(&ext.text) {
                    Some(par) => Some(par),
                    None => {
                        let help = help_with(
                            &ext.text,
                            self.program.positions.iter().map(|p| p.name.as_str()),
                            "declare that position, or remove `extends`",
                        );
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownPosition,
                                format!("no position is named `{}`", ext.text),
                            )
                            .with_label(ext.span, "unknown position")
                            .with_help(help),
                        );
                        Some(default)
                    }
                },
                None => Some(default),
            };
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.parent = parent;
            }
        }
        // Cycles in `extends`.
        let n = self.program.positions.len();
        for start in 0..n {
            let mut seen = FxHashSet::default();
            let mut cur = PosId::from_index(start);
            while let Some(par) = self.program.position(cur).parent {
                if !seen.insert(cur) {
                    break;
                }
                if par == PosId::from_index(start) {
                    let span = self.program.position(par).span;
                    let name = self.program.position(par).name.clone();
                    self.err(
                        Diagnostic::error(
                            crate::diagnostic::Code::PositionCycle,
                            format!(
                                "the position `{name}` extends itself through a chain of `extends`"
                            ),
                        )
                        .with_label(span, "part of the chain")
                        .with_help("a position must build on a position that does not build on it"),
                    );
                    if let Some(p) = self.program.positions.get_mut(start) {
                        p.parent = Some(default);
                    }
                    break;
                }
                cur = par;
            }
        }

        // The points rules raise, wherever they are written: `unverified` may name them, as
        // `settle` may, whatever the order in which positions are built.
        let bodies = top_rules.iter().map(|r| &r.body).chain(
            decls
                .iter()
                .flat_map(|d| &d.items)
                .filter_map(|it| match it {
                    ast::PositionItem::Add(r) | ast::PositionItem::Replace(r) => Some(&r.body),
                    _ => None,
                }),
        );
        for b in bodies {
            for f in b.condition.iter().chain(&b.exceptions) {
                f.walk(&mut |g, _| {
                    if let ast::Formula::Unsettled { point, .. } = g {
                        self.raised_points.insert(point.text.clone());
                    }
                });
            }
        }
        // The default position's rules: top-level rules and any in its block.
        let mut default_rules: Vec<RuleId> = Vec::new();
        let mut names: FxHashMap<String, RuleId> = FxHashMap::default();
        for r in top_rules {
            self.add_rule(r, default, &mut default_rules, &mut names);
        }
        if let Some(d) = decl_of.get(&default).copied() {
            self.apply_items(d, default, &mut default_rules, &mut names);
        }
        if let Some(p) = self.program.positions.get_mut(default.index()) {
            p.rules = default_rules;
        }

        // Other positions, parents first.
        let mut done: FxHashSet<PosId> = FxHashSet::default();
        done.insert(default);
        let order = self.position_order(default);
        for id in order {
            if done.contains(&id) {
                continue;
            }
            done.insert(id);
            let parent = self.program.position(id).parent.unwrap_or(default);
            let mut rules = self.program.position(parent).rules.clone();
            let settlements = self.program.position(parent).settlements.clone();
            let withdrawals = self.program.position(parent).withdrawals.clone();
            let affirmations = self.program.position(parent).affirmations.clone();
            let unverified = self.program.position(parent).unverified.clone();
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.settlements = settlements;
                p.withdrawals = withdrawals;
                p.affirmations = affirmations;
                p.unverified = unverified;
            }
            let mut names: FxHashMap<String, RuleId> = rules
                .iter()
                .map(|r| (self.program.rule(*r).name.clone(), *r))
                .collect();
            if let Some(d) = decl_of.get(&id).copied() {
                self.apply_items(d, id, &mut rules, &mut names);
            }
            if let Some(p) = self.program.positions.get_mut(id.index()) {
                p.rules = rules;
            }
        }
        // Settlements must name a point some rule raises.
        self.check_settled_points(&decl_of);
    }

    /// Positions in an order where each comes after the one it extends.
    fn position_order(&self, default: PosId) -> Vec<PosId> {
        let n = self.program.positions.len();
        let mut order = Vec::with_capacity(n);
        let mut placed = vec![false; n];
        if let Some(p) = placed.get_mut(default.index()) {
            *p = true;
        }
        order.push(default);
        for _ in 0..n {
            for i in 0..n {
                if placed.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let parent = self
                    .program
                    .positions
                    .get(i)
                    .and_then(|p| p.parent)
                    .unwrap_or(default);
                if placed.get(parent.index()).copied().unwrap_or(false) {
                    if let Some(x) = placed.get_mut(i) {
                        *x = true;
                    }
                    order.push(PosId::from_index(i));
                }
            }
        }
        order
    }

    /// Whether the name an `affirm` (or, with `points`, an `unverified`) item gives is a rule
    /// in force, a predicate or (for `unverified`) a point some rule raises; reports it if not.
    fn known_target(
        &mut self,
        target: &ast::Name,
        names: &FxHashMap<String, RuleId>,
        points: bool,
    ) -> bool {
        let text = &target.text;
        if names.contains_key(text)
            || self.program.predicate_id(text).is_some()
            || (points && self.raised_points.contains(text))
        {
            return true;
        }
        let raised = points.then_some(&self.raised_points).into_iter().flatten();
        let help = help_with(
            text,
            names
                .keys()
                .chain(raised)
                .map(|s| s.as_str())
                .chain(self.program.predicates.iter().map(|p| p.name.as_str())),
            if points {
                "`unverified` names a rule in force, a predicate or an unsettled point"
            } else {
                "`affirm` names a rule in force or a predicate"
            },
        );
        let message = if points {
            format!("there is no rule, predicate or unsettled point `{text}`")
        } else {
            format!("there is no rule or predicate `{text}` to affirm")
        };
        self.err(
            Diagnostic::error(crate::diagnostic::Code::UnknownRule, message)
                .with_label(target.span, "unknown name")
                .with_help(help),
        );
        false
    }

    /// Applies a position's block (`rule`, `replace`, `withdraw`, `affirm`, `settle`) to the
    /// rules it inherits.
    fn apply_items(
        &mut self,
        d: &ast::PositionDecl,
        pos: PosId,
        rules: &mut Vec<RuleId>,
        names: &mut FxHashMap<String, RuleId>,
    ) {
        for item in &d.items {
            match item {
                ast::PositionItem::Add(r) => self.add_rule(r, pos, rules, names),
                ast::PositionItem::Replace(r) => {
                    let Some(old) = names.get(&r.name.text).copied() else {
                        let help = help_with(
                            &r.name.text,
                            names.keys().map(|s| s.as_str()),
                            "to add a new rule, write `rule NAME: ...` instead of `replace`",
                        );
                        self.err(
                            Diagnostic::error(
                                crate::diagnostic::Code::UnknownRule,
                                format!(
                                    "there is no rule `{}` for the position `{}` to replace",
                                    r.name.text, d.name.text
                                ),
                            )
                            .with_label(r.name.span, "no rule by this name is in force")
                            .with_help(help),
                        );
                        continue;
                    };
                    if let Some(id) = self.lower_rule(r, pos) {
                        if let Some(slot) = rules.iter_mut().find(|x| **x == old) {
                            *slot = id;
                        }
                        names.insert(r.name.text.clone(), id);
                    }
                }
                ast::PositionItem::Withdraw {
                    rule,
                    citations,
                    span,
                } => {
                    let cites = self.resolve_citations(citations);
                    match names.remove(&rule.text) {
                        Some(old) => {
                            rules.retain(|x| *x != old);
                            if let Some(p) = self.position_mut(pos) {
                                p.withdrawals.insert(
                                    rule.text.clone(),
                                    Withdrawal {
                                        rule: old,
                                        by: pos,
                                        citations: cites,
                                        span: *span,
                                    },
                                );
                            }
                        }
                        None => {
                            let help = help_with(
                                &rule.text,
                                names.keys().map(|s| s.as_str()),
                                "withdraw names a rule the position would otherwise take over",
                            );
                            self.err(
                                Diagnostic::error(
                                    crate::diagnostic::Code::UnknownRule,
                                    format!(
                                        "there is no rule `{}` for the position `{}` to withdraw",
                                        rule.text, d.name.text
                                    ),
                                )
                                .with_label(rule.span, "no rule by this name is in force")
                                .with_help(help),
                            );
                        }
                    }
                }
                ast::PositionItem::Affirm {
                    target, citations, ..
                } => {
                    let cites = self.resolve_citations(citations);
                    if self.known_target(target, names, false) {
                        if let Some(p) = self.position_mut(pos) {
                            p.affirmations.insert(
                                target.text.clone(),
                                Affirmation {
                                    by: pos,
                                    citations: cites,
                                },
                            );
                        }
                    }
                }
                ast::PositionItem::Unverified {
                    names: targets,
                    citations,
                    notes,
                    ..
                } => {
                    let cites = self.resolve_citations(citations);
                    for target in targets {
                        if !self.known_target(target, names, true) {
                            continue;
                        }
                        if let Some(p) = self.position_mut(pos) {
                            p.unverified.insert(
                                target.text.clone(),
                                Unverified {
                                    by: pos,
                                    citations: cites.clone(),
                                    notes: notes.iter().map(|n| n.value.clone()).collect(),
                                },
                            );
                        }
                    }
                }
                ast::PositionItem::Settle {
                    point,
                    value,
                    citations,
                    span,
                } => {
                    let cites = self.resolve_citations(citations);
                    let id = self.point(&point.text, "", point.span);
                    if let Some(p) = self.position_mut(pos) {
                        p.settlements.insert(
                            id,
                            Settlement {
                                value: *value,
                                by: pos,
                                citations: cites,
                                span: *span,
                            },
                        );
                    }
                }
            }
        }
    }

    /// Reports settlements of points no rule leaves open.
    fn check_settled_points(&mut self, decl_of: &FxHashMap<PosId, &ast::PositionDecl>) {
        let mut raised: FxHashSet<PointId> = FxHashSet::default();
        for r in &self.program.rules {
            let mut pts = Vec::new();
            r.body.unsettled_points(&mut pts);
            raised.extend(pts);
        }
        let raised_names: Vec<String> = raised
            .iter()
            .map(|p| self.program.point(*p).name.clone())
            .collect();
        // Per position: the points its rules in force raise.
        let raised_under: Vec<FxHashSet<PointId>> = self
            .program
            .positions
            .iter()
            .map(|p| {
                let mut pts = Vec::new();
                for r in &p.rules {
                    self.program.rule(*r).body.unsettled_points(&mut pts);
                }
                pts.into_iter().collect()
            })
            .collect();
        let mut diags = Vec::new();
        let mut ids: Vec<&PosId> = decl_of.keys().collect();
        ids.sort();
        for id in ids {
            let Some(d) = decl_of.get(id) else { continue };
            let mut settled: FxHashMap<&str, (bool, Span)> = FxHashMap::default();
            for item in &d.items {
                if let ast::PositionItem::Settle { point, value, .. } = item {
                    if let Some((first, at)) = settled.insert(&point.text, (*value, point.span)) {
                        diags.push(settled_twice(
                            &d.name.text,
                            &point.text,
                            first,
                            *value,
                            at,
                            point.span,
                        ));
                        continue;
                    }
                    let pid = self.program.point_id(&point.text);
                    if let Some(p) = pid.filter(|p| raised.contains(p)) {
                        // Raised somewhere, but perhaps not where this settlement holds:
                        // under the position and those extending it.
                        let in_force = (0..self.program.positions.len())
                            .map(PosId::from_index)
                            .filter(|q| self.extends(*q, *id))
                            .any(|q| raised_under.get(q.index()).is_some_and(|s| s.contains(&p)));
                        if !in_force {
                            diags.push(self.settlement_without_effect(
                                *id,
                                &point.text,
                                point.span,
                            ));
                        }
                        continue;
                    }
                    // No rule anywhere raises it.
                    let help = help_with(
                        &point.text,
                        raised_names.iter().map(|s| s.as_str()),
                        "a position settles a point that some rule leaves open with `unsettled(point, \"why\")`",
                    );
                    diags.push(
                        Diagnostic::error(
                            crate::diagnostic::Code::UnknownPoint,
                            format!("no rule leaves the point `{}` unsettled", point.text),
                        )
                        .with_label(point.span, "nothing to settle")
                        .with_help(help),
                    );
                }
            }
        }
        self.diags.extend(diags);
    }

    /// Whether position `q` is `p` or extends it, directly or not.
    fn extends(&self, q: PosId, p: PosId) -> bool {
        let mut at = Some(q);
        let mut steps = 0;
        while let Some(x) = at {
            if x == p {
                return true;
            }
            steps += 1;
            if steps > self.program.positions.len() {
                return false; // a cycle, reported elsewhere
            }
            at = self.program.position(x).parent;
        }
        false
    }

    /// A settlement that no rule in force where it holds gives anything to settle.
    fn settlement_without_effect(&self, pos: PosId, point: &str, span: Span) -> Diagnostic {
        let name = &self.program.position(pos).name;
        let withdrawn: Vec<String> = {
            let mut v: Vec<String> = self
                .program
                .position(pos)
                .withdrawals
                .values()
                .filter(|w| {
                    let mut pts = Vec::new();
                    self.program.rule(w.rule).body.unsettled_points(&mut pts);
                    pts.iter().any(|p| self.program.point(*p).name == point)
                })
                .map(|w| format!("`{}`", self.program.rule(w.rule).name))
                .collect();
            v.sort();
            v
        };
        let why = if withdrawn.is_empty() {
            String::new()
        } else {
            let verb = if withdrawn.len() == 1 { "does" } else { "do" };
            format!(
                " (the position withdraws {}, which {verb})",
                withdrawn.join(", ")
            )
        };
        Diagnostic::warning(
            crate::diagnostic::Code::SettlementWithoutEffect,
            format!(
                "position `{name}` settles `{point}`, but no rule in force under it, or under a position extending it, leaves that point open{why}"
            ),
        )
        .with_label(span, "settles nothing here")
        .with_help("the settlement changes no answer: remove it, or keep in force a rule that raises the point")
    }

    /// The position being built (`None` only for an id the checker did not make).
    fn position_mut(&mut self, pos: PosId) -> Option<&mut PositionInfo> {
        self.program.positions.get_mut(pos.index())
    }

    /// The point named, registered on first use; the first non-empty reason is kept.
    pub(super) fn point(&mut self, name: &str, reason: &str, span: Span) -> PointId {
        if let Some(id) = self.program.point_id(name) {
            if let Some(p) = self.program.points.get_mut(id.index()) {
                if p.reason.is_empty() && !reason.is_empty() {
                    p.reason = reason.to_string();
                    p.span = span;
                }
            }
            return id;
        }
        let id = PointId::from_index(self.program.points.len());
        self.program.points.push(PointInfo {
            name: name.to_string(),
            reason: reason.to_string(),
            title: None,
            span,
        });
        self.program.point_index.insert(name.to_string(), id);
        id
    }

    /// Lowers a rule into the position, unless a rule in force already has its name.
    fn add_rule(
        &mut self,
        r: &ast::RuleDecl,
        pos: PosId,
        rules: &mut Vec<RuleId>,
        names: &mut FxHashMap<String, RuleId>,
    ) {
        if let Some(prev) = names.get(&r.name.text).copied() {
            let prev_rule = self.program.rule(prev);
            let prev_span = prev_rule.name_span;
            let inherited = prev_rule.origin != pos;
            let help = if inherited {
                format!(
                    "the position already takes over `{}`; write `replace {}: ...` to change it",
                    r.name.text, r.name.text
                )
            } else {
                "give each rule a name of its own that says what it does".to_string()
            };
            self.err(
                Diagnostic::error(
                    crate::diagnostic::Code::DuplicateRule,
                    format!("two rules are named `{}`", r.name.text),
                )
                .with_label(r.name.span, "named again here")
                .with_label(prev_span, "first named here")
                .with_help(help),
            );
            return;
        }
        if let Some(id) = self.lower_rule(r, pos) {
            rules.push(id);
            names.insert(r.name.text.clone(), id);
        }
    }
}

/// A position that settles one point twice: an error when the two answers differ (the last
/// one would silently win), a warning when they agree.
fn settled_twice(
    pos: &str,
    point: &str,
    first: bool,
    second: bool,
    first_at: Span,
    second_at: Span,
) -> Diagnostic {
    let d = if first == second {
        Diagnostic::warning(
            crate::diagnostic::Code::SettledTwice,
            format!("position `{pos}` settles `{point}` twice, the same way"),
        )
        .with_help("remove one of the two")
    } else {
        Diagnostic::error(
            crate::diagnostic::Code::SettledTwice,
            format!("position `{pos}` settles `{point}` both `= {first}` and `= {second}`"),
        )
        .with_help("a position gives one answer to a point: keep the one its document gives; where the document itself hesitates, leave the point open (do not settle it)")
    };
    d.with_label(first_at, "settled here")
        .with_label(second_at, "and again here")
}
