//! Questions asked of a scenario: queries, explanations, comparisons across positions and
//! `expect` statements. Each evaluates a position once (cached) and hands the model on.

use super::{Answer, Error, ExpectationOutcome, PositionRow, QueryResult, Scenario};
use crate::diagnostic::Diagnostic;
use crate::eval::{Cancel, EvalError};
use crate::explain::{
    self, Decision, ExplainOptions, Explanation, GroundAtom, PositionSplit, UnknownClass,
    UnknownReason,
};
use crate::kb::LoadError;
use crate::program::*;
use crate::syntax::ast::Truth;

impl Scenario {
    /// Asks a question under a position (`None`: the default). A ground question gets exactly
    /// one answer; a question with variables gets every binding that is true or unknown.
    pub fn query(&self, goal: &str, position: Option<&str>) -> Result<QueryResult, Error> {
        let pos = self.position_id(position)?;
        let goal = self.parse_goal(goal)?;
        self.query_goal(&goal, pos)
    }

    /// Several checked goals under one position, answered as [`Scenario::query_goal`] answers
    /// each, in order, with one evaluation for all of them: what they depend on together (the
    /// position's whole model when that is everything). Asking the goals one by one evaluates
    /// each one's dependencies apart.
    ///
    /// # Errors
    /// As [`Scenario::query_goal`], for the first goal that fails.
    pub fn query_goals(&self, goals: &[Goal], pos: PosId) -> Result<Vec<QueryResult>, Error> {
        self.known_position(pos)?;
        self.check_position_as_of(pos)?;
        let mut preds: Vec<PredId> = goals.iter().map(|g| g.atom().pred).collect();
        preds.sort();
        preds.dedup();
        self.goal_model(pos, &preds)?;
        goals.iter().map(|g| self.query_goal(g, pos)).collect()
    }

    /// What decides the answers to questions about `preds` under a position: the rules they
    /// depend on and how the position settles the open points those rules raise. Positions
    /// with equal signatures for the same predicates give the same answers, and the same
    /// [`Scenario::classify_unknowns`] reasons, in every scenario; a program comparing many
    /// positions can evaluate one of each.
    ///
    /// # Errors
    /// A position of another knowledge base.
    pub fn law_signature(
        &self,
        pos: PosId,
        preds: &[PredId],
    ) -> Result<crate::eval::LawSignature, Error> {
        self.known_position(pos)?;
        Ok(crate::eval::law_signature(self.kb.program(), pos, preds))
    }

    /// [`Scenario::query`] on a checked goal.
    pub fn query_goal(&self, goal: &Goal, pos: PosId) -> Result<QueryResult, Error> {
        self.known_position(pos)?;
        self.check_position_as_of(pos)?;
        let (atom, vars) = (goal.atom(), goal.variables());
        let pattern: Vec<Option<Sym>> = atom
            .args
            .iter()
            .map(|t| match t {
                Term::Const(c) => Some(*c),
                Term::Var(_) => None,
            })
            .collect();
        // `read`: the predicate holding the answers in `model` (the question's own, or its
        // adorned copy when the magic-set rewriting answers it).
        let (model, read) = match self.demand_model(pos, atom.pred, &pattern) {
            Some(found) => found?,
            None => (self.goal_model(pos, &[atom.pred])?, atom.pred),
        };
        let program = self.kb.program();
        let mut answers = Vec::new();
        let ground: Option<Tuple> = atom.ground_args();
        match ground {
            Some(args) => answers.push(Answer {
                atom: program.atom_text(atom.pred, &args, &self.interner),
                value: model.value(read, &args),
                bindings: Vec::new(),
                pred: atom.pred,
                args,
                position: pos,
                kb: self.kb.id(),
            }),
            None => {
                let mut seen = rustc_hash::FxHashSet::default();
                let rel = model.possible(read);
                // Whether each variable holds dates: a binding is written as in the slot
                // where the variable first stands (a name like `"2019-01-02"` keeps its
                // quotes unless the slot takes dates).
                let info = program.predicate(atom.pred);
                let var_is_date: Vec<bool> = (0..vars.len())
                    .map(|v| {
                        atom.args
                            .iter()
                            .position(|t| matches!(t, Term::Var(x) if x.index() == v))
                            .is_some_and(|i| program.slot_is_date(info, i))
                    })
                    .collect();
                for row in rel.iter() {
                    let mut env: Vec<Option<Sym>> = vec![None; vars.len()];
                    let ok = atom.args.iter().zip(row.iter()).all(|(t, v)| match t {
                        Term::Const(c) => c == v,
                        Term::Var(x) => match env.get_mut(x.index()) {
                            Some(slot @ None) => {
                                *slot = Some(*v);
                                true
                            }
                            Some(Some(b)) => b == v,
                            None => false,
                        },
                    });
                    if !ok || !seen.insert(row) {
                        continue;
                    }
                    let bindings = vars
                        .iter()
                        .zip(&env)
                        .zip(&var_is_date)
                        .filter(|((n, _), _)| n.as_str() != "_")
                        .map(|((n, v), &date)| {
                            let mut text = String::new();
                            if let Some(s) = v {
                                crate::syntax::push_slot_value(
                                    &mut text,
                                    self.interner.name(*s),
                                    date,
                                );
                            }
                            (n.clone(), text)
                        })
                        .collect();
                    answers.push(Answer {
                        atom: program.atom_text(atom.pred, row, &self.interner),
                        value: model.value(read, row),
                        bindings,
                        pred: atom.pred,
                        args: Tuple::from_slice(row),
                        position: pos,
                        kb: self.kb.id(),
                    });
                }
                answers.sort_by(|a, b| a.atom.cmp(&b.atom));
            }
        }
        Ok(QueryResult {
            position: program.position(pos).name.clone(),
            goal: goal_text(program, atom, &self.interner, vars),
            answers,
        })
    }

    /// Explains one answer under a position: evaluates the position (cached) and, for an
    /// unknown answer, again with facts overridden to find the facts that would settle it.
    /// Fails with [`EvalError::Cancelled`] if the cancellation token stopped any of these.
    ///
    /// The search for settling sets stops at the default [`ExplainOptions`] (5 sets each way,
    /// 14 facts tried): [`Explanation::settling_limits`] says what was cut, and
    /// [`Scenario::explain_with`] lifts the caps.
    pub fn explain(&self, answer: &Answer) -> Result<Explanation, Error> {
        self.explain_with(answer, &ExplainOptions::default())
    }

    /// [`Scenario::explain`] with the bounds of the search for settling sets given.
    pub fn explain_with(
        &self,
        answer: &Answer,
        options: &ExplainOptions,
    ) -> Result<Explanation, Error> {
        self.own_answer(answer)?;
        self.explain_atom_with(answer.position, answer.pred, &answer.args, options)
    }

    /// [`Scenario::explain`] for the ground atom `pred(args)`.
    pub fn explain_atom(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Sym],
    ) -> Result<Explanation, Error> {
        self.explain_atom_with(position, pred, args, &ExplainOptions::default())
    }

    /// [`Scenario::explain_with`] for the ground atom `pred(args)`.
    pub fn explain_atom_with(
        &self,
        position: PosId,
        pred: PredId,
        args: &[Sym],
        options: &ExplainOptions,
    ) -> Result<Explanation, Error> {
        self.known_atom(position, pred, args)?;
        self.check_position_as_of(position)?;
        let (mut why, analysis, stated_unknown) =
            self.with_explain_context(position, &[pred], args, |cx| {
                // Every what-if of one explanation reads the one atom explained: in a large
                // scenario, the magic-set rewriting of that question evaluates only what it needs.
                let hyp =
                    |changes: &[(PredId, Tuple, Truth)], settled: &[(PointId, bool)]| match self
                        .demand_hypothesis(position, pred, args, changes, settled)
                    {
                        Some(found) => found,
                        None => self.hypothesis(position, &[pred], changes, settled),
                    };
                let notes = self.stipulation_notes(position);
                explain::explain(cx, &hyp, pred, args, notes, options).map(|(why, analysis)| {
                    // The facts stated `unknown` on purpose are not missing in the sense of
                    // "nobody stated them": the reason says which they are.
                    let stated_unknown: Vec<GroundAtom> = why
                        .missing_facts
                        .iter()
                        .filter(|a| cx.facts.stated_value(a.pred, &a.args) == Some(Truth::Unknown))
                        .cloned()
                        .collect();
                    (why, analysis, stated_unknown)
                })
            })??;
        if let Some(analysis) = analysis {
            why.unknown = Some(UnknownReason {
                atom: why.atom.clone(),
                position: why.position.clone(),
                kind: analysis.kind(),
                missing_facts: why.missing_facts.clone(),
                stated_unknown,
                more_missing_facts_possible: !why.settling_limits.is_complete(),
                points: why.unsettled_points.clone(),
                positions: self.position_split(pred, args)?,
            });
        }
        why.time = self.time_context(position, args)?;
        // An explanation tries facts that would settle the answer by evaluating again: when
        // those were cancelled, it is incomplete.
        if self.cancel.as_ref().is_some_and(Cancel::is_cancelled) {
            return Err(Error::Limit(EvalError::Cancelled));
        }
        Ok(why)
    }

    /// Why an answer is unknown (`None` for a true or false answer): whether it rests on
    /// missing facts (and which: only those whose value can change the answer), on divided
    /// law (which open points, and how every position answers the question), or on both.
    /// Each fact and point listed was tried by evaluating again; the positions' answers come
    /// from evaluating the question under each of them. Costs as much as
    /// [`Scenario::explain`], which it runs; for thousands of answers use
    /// [`Scenario::classify_unknowns`].
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario};
    /// use opinio::explain::UnknownKind;
    /// let kb = KnowledgeBase::bundled().unwrap();
    /// let mut s = Scenario::new(&kb);
    /// s.add_text("espionage.opinio", "
    ///     state(astoria). state(borduria). operation(read).
    ///     conducted_by(read, signals_agency). organ_of(signals_agency, borduria).
    ///     intruded_into(read, astoria). effect_in(read, astoria, data_exfiltration).
    /// ").unwrap();
    /// let r = s.query("violates_sovereignty(read, astoria)", None).unwrap();
    /// let why = s.why_unknown(&r.answers[0]).unwrap().unwrap();
    /// assert_eq!(why.kind, UnknownKind::DividedLaw);
    /// assert!(why.missing_facts.is_empty());
    /// assert!(why.positions.true_under.contains(&"france".to_string()));
    /// assert!(why.positions.false_under.contains(&"uk".to_string()));
    /// ```
    ///
    /// # Errors
    /// An answer of another scenario's knowledge base; an evaluation stopped by a limit or
    /// cancelled.
    pub fn why_unknown(&self, answer: &Answer) -> Result<Option<UnknownReason>, Error> {
        self.own_answer(answer)?;
        if answer.value != Truth::Unknown {
            return Ok(None);
        }
        Ok(self.explain(answer)?.unknown)
    }

    /// The cheap form of [`Scenario::why_unknown`] for many answers at once (a batch of
    /// scenarios): for each answer, `None` unless it is unknown, else whether it rests on
    /// missing facts, divided law or both, naming the open points when the law matters. The
    /// answers under one position are classified together: their ground rule instances,
    /// simplified against the model (the residual program), are built once and evaluated
    /// a few ways (every missing fact set true and false; the open points under an answer
    /// settled for, against and in mixed combinations, as a position may settle them),
    /// however many answers there are; no fact is named (that needs the detailed search).
    /// `answers` is a slice of answers or any iterator over references to them (the answers
    /// of several questions need not be copied into one list); the result has one entry per
    /// answer, in their order.
    ///
    /// # Errors
    /// An answer of another scenario's knowledge base; an evaluation stopped by a limit or
    /// cancelled.
    pub fn classify_unknowns<'a>(
        &self,
        answers: impl IntoIterator<Item = &'a Answer>,
    ) -> Result<Vec<Option<UnknownClass>>, Error> {
        let answers: Vec<&Answer> = answers.into_iter().collect();
        let mut out: Vec<Option<UnknownClass>> = vec![None; answers.len()];
        // One group per position: its unknown answers, whatever their questions, are
        // classified at once (see `reasons::classify` for why settling every fact and point
        // any of them rests on does not change the others' classification).
        let mut groups: Vec<(PosId, Vec<usize>)> = Vec::new();
        for (i, a) in answers.iter().enumerate() {
            self.own_answer(a)?;
            self.known_atom(a.position, a.pred, &a.args)?;
            if a.value != Truth::Unknown {
                continue;
            }
            match groups.iter_mut().find(|(k, _)| *k == a.position) {
                Some((_, v)) => v.push(i),
                None => groups.push((a.position, vec![i])),
            }
        }
        for (position, indices) in groups {
            self.check_position_as_of(position)?;
            let atoms: Vec<(PredId, Tuple)> = indices
                .iter()
                .filter_map(|i| answers.get(*i).map(|a| (a.pred, a.args.clone())))
                .collect();
            let mut preds: Vec<PredId> = atoms.iter().map(|(p, _)| *p).collect();
            preds.sort();
            preds.dedup();
            let classes = self.with_explain_context(position, &preds, &[], |cx| {
                let hyp = |preds: &[PredId],
                           changes: &[(PredId, Tuple, Truth)],
                           settled: &[(PointId, bool)]| {
                    self.hypothesis(position, preds, changes, settled)
                };
                explain::classify(cx, &hyp, &atoms)
            })??;
            for (i, c) in indices.into_iter().zip(classes) {
                if let Some(slot) = out.get_mut(i) {
                    *slot = c;
                }
            }
        }
        Ok(out)
    }

    /// What results computed now are computed with: Opinio's version, the knowledge base's
    /// content hash, the positions named, the date asked as of (if any) and the limits.
    /// `search` is the bound of the search for settling sets, when explanations were made.
    pub fn provenance(
        &self,
        positions: &[String],
        search: Option<ExplainOptions>,
    ) -> Result<Provenance, Error> {
        let limits = self.limits();
        Ok(Provenance {
            opinio_version: crate::kb::KnowledgeBase::version().to_string(),
            knowledge_base_hash: self.kb.content_hash(),
            positions: positions.to_vec(),
            as_of: self.as_of_date()?,
            limits: LimitsRecord {
                max_atoms: limits.max_atoms,
                time_limit_seconds: limits.time_budget.map(|d| d.as_secs_f64()),
                max_memory_bytes: limits.max_memory,
            },
            search,
        })
    }

    /// How every position (published by the date asked as of) answers `pred(args)`.
    fn position_split(&self, pred: PredId, args: &[Sym]) -> Result<PositionSplit, Error> {
        let mut split = PositionSplit::default();
        // Positions with the same law for `pred` answer alike: each such law is evaluated once.
        let mut by_law: Vec<(crate::eval::LawSignature, Truth)> = Vec::new();
        for name in self.kb.position_names() {
            let pos = self.position_id(Some(name))?;
            if !self.position_existed(pos)? {
                continue;
            }
            let law = self.law_signature(pos, &[pred])?;
            let value = match by_law.iter().find(|(l, _)| *l == law) {
                Some((_, v)) => *v,
                None => {
                    let v = self.ground_value(pos, pred, args)?;
                    by_law.push((law, v));
                    v
                }
            };
            let list = match value {
                Truth::True => &mut split.true_under,
                Truth::False => &mut split.false_under,
                Truth::Unknown => &mut split.unknown_under,
            };
            list.push(name.to_string());
        }
        Ok(split)
    }

    /// Evaluates a position again with base facts overridden and open points settled for
    /// argument's sake (nothing cached is changed), as far as `preds` need: only the strata of
    /// their cones are evaluated, over the base predicates they read, so the model gives the
    /// atoms of `preds` their values and leaves every predicate outside the cones empty.
    /// (Every caller reads `preds` alone: an explanation's or a reason's what-ifs.) Strata
    /// that neither read a changed predicate nor raise a point settled here are copied from
    /// the position's model of `preds`, not evaluated again.
    pub(crate) fn hypothesis(
        &self,
        position: PosId,
        preds: &[PredId],
        changes: &[(PredId, Tuple, Truth)],
        settled: &[(PointId, bool)],
    ) -> Result<crate::eval::Model, EvalError> {
        let compiled = self
            .kb
            .compiled_for(position, preds)
            .ok_or(EvalError::TooManyAtoms { limit: 0 })?;
        let cone = compiled.cone_of(preds);
        let bounds = self.bounds();
        // The base the cones of `preds` were evaluated over (the whole one once built): what
        // the what-if changes is in those cones.
        // The model the what-if varies (cached): strata the what-if cannot change are copied
        // from it.
        let reference = self.goal_model(position, preds)?;
        let shared = match self.base_if_built() {
            Some(b) => b,
            None => reference.base_relations().clone(),
        };
        // Only the predicates whose atoms change are built again.
        let changed = self.restated(changes);
        let base = if changes.is_empty() {
            shared
        } else {
            let fs = self.fact_set();
            let base = crate::eval::rebase(
                self.kb.program(),
                &shared,
                &fs,
                &changed,
                self.kb.masks(),
                &bounds,
            )?;
            std::sync::Arc::new(base)
        };
        let changed_preds: Vec<PredId> = changed.iter().map(|(p, _)| *p).collect();
        crate::eval::evaluate_cone_reusing(
            self.kb.program(),
            &compiled,
            base,
            settled,
            bounds,
            Some(&cone.strata),
            Some(crate::eval::Reuse::WhatIf {
                model: &reference,
                changed: &changed_preds,
            }),
        )
    }

    /// Evaluates a ground goal under every position, default first.
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario, Truth};
    /// let kb = KnowledgeBase::bundled().unwrap();
    /// let mut s = Scenario::new(&kb);
    /// s.add_text("espionage.opinio", "
    ///     state(astoria). state(borduria). operation(read).
    ///     conducted_by(read, signals_agency). organ_of(signals_agency, borduria).
    ///     intruded_into(read, astoria). effect_in(read, astoria, data_exfiltration).
    /// ").unwrap();
    /// let rows = s.compare("violates_sovereignty(read, astoria)").unwrap();
    /// let value = |p: &str| rows.iter().find(|r| r.position == p).map(|r| r.value);
    /// assert_eq!(value("tallinn2"), Some(Truth::Unknown)); // the experts are divided
    /// assert_eq!(value("france"), Some(Truth::True));
    /// assert_eq!(value("uk"), Some(Truth::False));
    /// ```
    pub fn compare(&self, goal: &str) -> Result<Vec<PositionRow>, Error> {
        let text = goal;
        let goal = self.parse_goal(text)?;
        if !goal.is_ground() {
            return Err(Error::Input(
                self.goal_error(
                    super::QUESTION,
                    text,
                    Diagnostic::error(
                        crate::diagnostic::Code::CompareNeedsGroundGoal,
                        "a comparison needs a question without variables",
                    )
                    .with_label(goal.atom().span, "has variables")
                    .with_help(
                        "ask the question with variables first, then compare one of its answers",
                    ),
                ),
            ));
        }
        let program = self.kb.program();
        // A position whose answer differs from the default's is not silent, even when the rule
        // at the top is inherited: its own edits below decide (e.g. a withdrawn rule).
        let args: Tuple = goal.atom().ground_args().unwrap_or_default();
        let default_value = match program.default_position {
            Some(d) => Some(
                self.goal_model(d, &[goal.atom().pred])?
                    .value(goal.atom().pred, &args),
            ),
            None => None,
        };
        // A position whose law for the question differs from the default's (its own rules or
        // settlements of open points lie somewhere below) has spoken, even where its answer
        // is the default's and the rule at the top is inherited: calling it silent would put
        // the default view in its mouth.
        let pred = goal.atom().pred;
        let default_law = match program.default_position {
            Some(d) => Some(self.law_signature(d, &[pred])?),
            None => None,
        };
        // The operation the question is about, if it is dated: the same for every row.
        let operation = self.operation_date_among(&args);
        let mut rows = Vec::new();
        for name in self.kb.position_names() {
            let pos = self.position_id(Some(name))?;
            if !self.position_existed(pos)? {
                continue;
            }
            let r = self.query_goal(&goal, pos)?;
            let whys = self.classify_unknowns(&r.answers)?;
            for (a, why) in r.answers.into_iter().zip(whys) {
                let decision = self.decided_by(&a)?;
                let published = self.position_published(pos);
                let differs = default_value.is_some_and(|v| v != a.value);
                let own_law_below = decision.inherited
                    && !differs
                    && match &default_law {
                        Some(d) => *d != self.law_signature(pos, &[pred])?,
                        None => false,
                    };
                let mut decided_by = decision.to_string();
                if decision.inherited && differs {
                    decided_by.push_str(" (the position's own rules decide further down)");
                } else if own_law_below {
                    decided_by.push_str(
                        " (inherited at the top; the position's own rules or settlements lie further down)",
                    );
                }
                rows.push(PositionRow {
                    position: program.position(pos).name.clone(),
                    value: a.value,
                    decided_by,
                    // Not verified is not silent: a program reading `inherited` as "silent"
                    // must not see it set on an unverified row.
                    inherited: decision.inherited
                        && !differs
                        && !own_law_below
                        && !decision.unverified,
                    unverified: decision.unverified,
                    published,
                    published_after_operation: operation.zip(published).map(|(op, p)| p > op),
                    later_statement: decision.later_statement.as_ref().map(|l| l.to_string()),
                    why,
                });
            }
        }
        Ok(rows)
    }

    /// What decided one answer under a position (the rule, fact or absence at the top of its
    /// explanation), and whether the position merely inherits it. Evaluates the position
    /// (cached), nothing more.
    pub fn decided_by(&self, answer: &Answer) -> Result<Decision, Error> {
        self.own_answer(answer)?;
        self.known_atom(answer.position, answer.pred, &answer.args)?;
        self.with_explain_context(answer.position, &[answer.pred], &answer.args, |cx| {
            explain::decided_by(cx, answer.pred, &answer.args)
        })
    }

    /// Runs `f` on what an explanation of atoms of `preds` reads: the program, the names, the
    /// facts and a model giving those atoms their values (the position's, or the cones of
    /// `preds`: an explanation walks only what its atoms depend on; evaluated, or cached).
    fn with_explain_context<R>(
        &self,
        position: PosId,
        preds: &[PredId],
        args: &[Sym],
        f: impl FnOnce(&explain::Context<'_>) -> R,
    ) -> Result<R, Error> {
        let model = self.goal_model(position, preds)?;
        let facts = self.fact_set();
        let cx = explain::Context {
            program: self.kb.program(),
            interner: &self.interner,
            facts: &facts,
            model: &model,
            as_of: self.as_of_date()?,
            operation_date: self.operation_date_among(args),
            plans: self.kb.rule_plans(),
        };
        Ok(f(&cx))
    }

    /// The dates an explanation is set in (`None` when neither a date asked as of nor the
    /// operation's date is known: undated questions read as before).
    fn time_context(
        &self,
        position: PosId,
        args: &[Sym],
    ) -> Result<Option<explain::TimeContext>, Error> {
        let as_of = self.as_of_date()?;
        let operation_date = self.operation_date_among(args);
        let Some(reference) = as_of.or(operation_date) else {
            return Ok(None);
        };
        Ok(Some(explain::TimeContext {
            as_of,
            operation_date,
            position_published: self.position_published(position),
            not_yet_published: self.positions_published_after(reference),
        }))
    }

    /// Runs the `expect` statements stated so far (and those of the knowledge base).
    ///
    /// ```
    /// use opinio::{KnowledgeBase, Scenario};
    /// let kb = KnowledgeBase::from_strings([("law.opinio", r#"
    ///     source s "A statute".
    ///     type Person.
    ///     predicate adult(p: Person) means "the person is an adult".
    ///     predicate may_vote(p: Person) means "the person may vote".
    ///     rule adults_vote: may_vote(P) if adult(P) cites s "s. 1".
    /// "#)]).unwrap();
    /// let mut s = Scenario::new(&kb);
    /// s.add_text("case.opinio", "adult(ann). unknown adult(bob).
    ///     expect may_vote(ann) = true.
    ///     expect may_vote(bob) = unknown.").unwrap();
    /// assert!(s.run_expectations().unwrap().iter().all(|o| o.passed));
    /// ```
    pub fn run_expectations(&self) -> Result<Vec<ExpectationOutcome>, Error> {
        let program = self.kb.program();
        let mut out = Vec::new();
        for e in program.expectations.iter().chain(&self.facts.expectations) {
            let pos = match e.position {
                Some(p) => p,
                None => self.position_id(None)?,
            };
            self.check_position_as_of(pos)?;
            let model = self.model(pos)?;
            let args: Tuple = e.goal.ground_args().unwrap_or_default();
            let got = model.value(e.goal.pred, &args);
            let (line, _) = self.sources.line_col(e.span);
            out.push(ExpectationOutcome {
                goal: program.atom_text(e.goal.pred, &args, &self.interner),
                position: program.position(pos).name.clone(),
                expected: e.value,
                got,
                passed: got == e.value,
                location: format!("{}:{line}", self.sources.name(e.span.file)),
            });
        }
        Ok(out)
    }
}

fn goal_text(program: &Program, atom: &Atom, interner: &Interner, vars: &[String]) -> String {
    let info = program.predicate(atom.pred);
    let mut out = info.name.clone();
    out.push('(');
    for (i, t) in atom.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match t {
            Term::Const(c) => crate::syntax::push_slot_value(
                &mut out,
                interner.name(*c),
                program.slot_is_date(info, i),
            ),
            Term::Var(v) => out.push_str(vars.get(v.index()).map_or("_", String::as_str)),
        }
    }
    out.push(')');
    out
}

impl Scenario {
    /// `Ok` if `pred(args)` can be an atom of this knowledge base under `position`: a known
    /// position, a known predicate and as many arguments as it has slots. An [`Answer`] of
    /// another scenario's knowledge base fails here instead of being explained as nonsense.
    /// Refuses an answer given by a scenario on another knowledge base.
    fn own_answer(&self, answer: &Answer) -> Result<(), Error> {
        if answer.kb == self.kb.id() {
            return Ok(());
        }
        Err(foreign_answer())
    }

    fn known_atom(&self, position: PosId, pred: PredId, args: &[Sym]) -> Result<(), Error> {
        self.known_position(position)?;
        let program = self.kb.program();
        let fits = program
            .predicates
            .get(pred.index())
            .is_some_and(|p| p.arity() == args.len())
            && args.iter().all(|a| (*a as usize) < self.interner.len());
        if fits {
            return Ok(());
        }
        Err(foreign_answer())
    }
}

/// The error for an answer (or atom) that another knowledge base gave.
fn foreign_answer() -> Error {
    Error::Input(LoadError::new(
        vec![Diagnostic::error(
            crate::diagnostic::Code::UnknownPredicate,
            "this answer does not come from this scenario's knowledge base",
        )
        .with_help("explain an answer with the scenario that gave it")],
        crate::source::SourceMap::new(),
    ))
}

/// What a result was computed with, recorded beside it so that a reader can tell which law,
/// which positions, which date and which bounds gave it ([`Scenario::provenance`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Provenance {
    /// Opinio's version (the bundled knowledge base is versioned with it).
    pub opinio_version: String,
    /// [`KnowledgeBase::content_hash`](crate::KnowledgeBase::content_hash): SHA-256 of the
    /// knowledge base's files.
    pub knowledge_base_hash: String,
    /// The positions the result is under.
    pub positions: Vec<String>,
    /// The date asked as of, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<crate::date::Date>,
    /// The evaluation's limits.
    pub limits: LimitsRecord,
    /// The bounds of the search for settling sets, when explanations were made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<ExplainOptions>,
}

/// An evaluation's limits, as recorded in [`Provenance`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct LimitsRecord {
    /// Most atoms one evaluation may derive.
    pub max_atoms: usize,
    /// Longest one evaluation may take, in seconds (`None`: no limit).
    pub time_limit_seconds: Option<f64>,
    /// Most memory one evaluation's relations may take, in bytes.
    pub max_memory_bytes: usize,
}
