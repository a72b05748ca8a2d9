//! Questions put to a finished [`Model`] from outside the evaluator: the open question that
//! asks for every instance of a predicate, and whether a rule made its conclusion true (for
//! test coverage). They spare callers the evaluator's internals (plans, the solver,
//! variable bindings).

use super::model::{Mode, Model};
use super::plan::plan_formula;
use super::solve::{Env, Solver};
use crate::program::{Formula, Program, RuleId};
use rustc_hash::FxHashSet;

/// Whether `rule` made its conclusion true in `model`: some instance of its body is
/// definitely true under the model's position.
///
/// A rule that leaves a point of law open (`unsettled`) can be definitely true only where the
/// position settles the point; where the position leaves it open, an instance that holds
/// with the open point granted (so is at least possibly true) counts as made true. `false`
/// for a rule not in force under the position, since no instance of it is evaluated there.
pub fn rule_made_true(program: &Program, model: &Model, rule: RuleId) -> bool {
    let position = program.position(model.position);
    if !position.rules.contains(&rule) {
        return false;
    }
    let info = program.rule(rule);
    if holds_definitely(program, model, &info.body, info.vars.len()) {
        return true;
    }
    let mut points = Vec::new();
    info.body.unsettled_points(&mut points);
    let leaves_open = points.iter().any(|p| !position.settlements.contains_key(p));
    leaves_open
        && holds_definitely(
            program,
            model,
            &granting_open_points(&info.body),
            info.vars.len(),
        )
}

/// Whether some binding of `nvars` variables makes `body` definitely true.
fn holds_definitely(program: &Program, model: &Model, body: &Formula, nvars: usize) -> bool {
    let plan = plan_formula(body, &FxHashSet::default());
    let solver = Solver {
        program,
        model,
        focus: None,
        deadline: None,
    };
    let mut env: Env = vec![None; nvars];
    let mut any = false;
    solver.solve(&plan, Mode::Definite, &mut env, &mut |_| {
        any = true;
        false
    });
    any
}

/// The formula with every open point of law taken as granted (its positive occurrences: one
/// under `not` stays as it is).
fn granting_open_points(f: &Formula) -> Formula {
    match f {
        Formula::And(v) => Formula::And(v.iter().map(granting_open_points).collect()),
        Formula::Or(v) => Formula::Or(v.iter().map(granting_open_points).collect()),
        Formula::Unsettled { .. } => Formula::truth(),
        other => other.clone(),
    }
}
