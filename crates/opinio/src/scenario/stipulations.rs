//! Analyses that evaluate the scenario under changed facts: what-if evaluations, the
//! stipulation analysis (cached per position until the facts change) and the lint, which
//! reuses the cached evaluations instead of running its own.

use super::Scenario;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::{self, EvalError, FactSet, Model};
use crate::explain::{self, StipulationNote};
use crate::program::*;
use crate::syntax::ast::Truth;
use std::sync::Arc;

impl Scenario {
    /// Evaluates the scenario with some base facts overridden (for "what would settle it").
    /// Nothing is cached. Errors: the limits or the cancellation token stopped it.
    pub fn what_if(
        &self,
        position: PosId,
        changes: &[(PredId, Tuple, Truth)],
    ) -> Result<Model, EvalError> {
        let mut fs = (*self.fact_set()).clone();
        for (p, t, v) in changes {
            fs.set(*p, t.clone(), *v);
        }
        let compiled = self
            .kb
            .compiled(position)
            .ok_or(EvalError::TooManyAtoms { limit: 0 })?;
        let bounds = self.bounds();
        let base = eval::prepare_base(self.kb.program(), &fs, self.kb.masks(), &bounds)?;
        eval::evaluate_with_base(self.kb.program(), compiled, Arc::new(base), bounds)
    }

    /// Doubtful but legal facts: an operation whose author could be no State but those it
    /// affects, a use of force stated to be a countermeasure, tactics stated without the
    /// effects they imply, dated treaty participation
    /// without `party_to`, and stipulations that contradict the rules (under the default
    /// position).
    /// Reuses the default position's cached evaluation and the cached stipulation analysis.
    pub fn lint(&self) -> Vec<Diagnostic> {
        let Ok(pos) = self.position_id(None) else {
            return Vec::new();
        };
        let mut out = crate::lint::author_warnings(
            self.kb.program(),
            &self.interner,
            &self.facts.facts,
            &self.fact_set(),
            |affected| self.goal_model(pos, &[affected]).ok(),
        );
        out.extend(self.forcible_countermeasure_warnings());
        out.extend(crate::lint::description_warnings(
            self.kb.program(),
            &self.interner,
            &self.facts.facts,
        ));
        out.extend(self.stipulation_diagnostics(pos));
        out
    }

    /// Warnings for operations stated to be countermeasures (`precluded_by(Op,
    /// countermeasure)`) that are a use of force under some position: no countermeasure may
    /// involve force (ARSIWA Art. 50(1)(a)). Part of [`Scenario::lint`]; costs an evaluation
    /// per position only when such a statement exists, so a batch may ask it of every line.
    pub fn forcible_countermeasure_warnings(&self) -> Vec<Diagnostic> {
        crate::lint::forcible_countermeasure_warnings(
            self.kb.program(),
            &self.interner,
            &self.facts.facts,
            // Under every position: they differ on what is force. Asked for only when an
            // operation is stated to be a countermeasure.
            |force| {
                (0..self.kb.program().positions.len())
                    .map(PosId::from_index)
                    .filter_map(|p| {
                        let name = self.kb.program().position(p).name.clone();
                        self.goal_model(p, &[force]).ok().map(|m| (name, m))
                    })
                    .collect()
            },
        )
    }

    /// The stipulations that contradict what the rules would derive without them, under a
    /// position. Analysed once per position until the facts change (it costs an
    /// evaluation when there are stipulations); empty if that evaluation fails.
    pub fn stipulation_notes(&self, position: PosId) -> Vec<StipulationNote> {
        let Some(cell) = self.stipulations.get(position.index()) else {
            return Vec::new();
        };
        if let Some(done) = cell.get() {
            return done.clone();
        }
        match self.analyse_stipulations(position) {
            Ok(notes) => {
                let _ = cell.set(notes.clone());
                notes
            }
            // A cancelled analysis is not an answer: the next question analyses again.
            Err(EvalError::Cancelled) => Vec::new(),
            Err(_) => {
                let _ = cell.set(Vec::new());
                Vec::new()
            }
        }
    }

    /// The same notes as diagnostics pointing at the stipulations (advice, not errors).
    pub(crate) fn stipulation_diagnostics(&self, position: PosId) -> Vec<Diagnostic> {
        let position_name = &self.kb.program().position(position).name;
        self.stipulation_notes(position)
            .into_iter()
            .map(|n| {
                Diagnostic::advice(Code::StipulationContradictsRules, n.to_string())
                    .with_label(n.span, explain::words::STIPULATED_HERE)
                    .with_help(explain::stipulation_help(position_name))
            })
            .collect()
    }

    /// Evaluates the position on the stated facts without the stipulations, and compares.
    fn analyse_stipulations(&self, position: PosId) -> Result<Vec<StipulationNote>, EvalError> {
        let program = self.kb.program();
        let is_stipulation = |f: &&GroundFact| program.predicate(f.pred).derived;
        let stipulations: Vec<&GroundFact> =
            self.facts.facts.iter().filter(is_stipulation).collect();
        if stipulations.is_empty() {
            return Ok(Vec::new());
        }
        let without = FactSet::new(
            program,
            &self.interner,
            program
                .facts
                .iter()
                .chain(self.facts.facts.iter().filter(|f| !is_stipulation(f))),
            self.facts.constant_types.iter().map(|(s, (t, _))| (*s, *t)),
        );
        let compiled = self
            .kb
            .compiled(position)
            .ok_or(EvalError::TooManyAtoms { limit: 0 })?;
        let model = eval::evaluate(program, compiled, &without, self.bounds())?;
        Ok(stipulations
            .into_iter()
            .filter_map(|s| {
                let derived = model.value(s.pred, &s.args);
                (derived != s.value && derived != Truth::Unknown).then(|| StipulationNote {
                    atom: explain::ground_atom(program, &self.interner, s.pred, &s.args),
                    stipulated: s.value,
                    derived,
                    span: s.span,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::{KnowledgeBase, Scenario, Truth};

    const LAW: &str = r#"
        source s "A statute".
        type Person.
        predicate adult(p: Person) means "the person is an adult".
        predicate may_vote(p: Person) means "the person may vote".
        rule adults_vote: may_vote(P) if adult(P) cites s "s. 1".
    "#;

    #[test]
    fn stipulation_analysis_runs_once_per_state() {
        let kb = KnowledgeBase::from_strings([("law.opinio", LAW)]).unwrap();
        let mut s = Scenario::new(&kb);
        s.add_text("case.opinio", "adult(ann). not may_vote(ann).")
            .unwrap();
        let pos = s.position_id(None).unwrap();
        assert!(s.stipulations[pos.index()].get().is_none());
        let notes = s.stipulation_notes(pos);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].derived, Truth::True);
        // Cached: explanations and lints read it without evaluating again.
        assert!(s.stipulations[pos.index()].get().is_some());
        assert_eq!(s.lint().len(), 1);
        let r = s.query("may_vote(ann)", None).unwrap();
        let e = s.explain(&r.answers[0]).unwrap();
        assert_eq!(e.stipulation_notes, notes);
        // New facts forget it.
        s.add_text("more.opinio", "adult(bob).").unwrap();
        assert!(s.stipulations[pos.index()].get().is_none());
    }
}
