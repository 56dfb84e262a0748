//! Checks a learner's own numbers: each answer of an answers file (see [`answers`]) is
//! matched to a quantity by name (see [`names`]) and judged against the value the
//! engine recorded for it (see [`verdict`]); a wrong one is compared with what the
//! catalogue's mistakes give (see [`mistakes`]). Nothing is computed by a second
//! backpropagation: every number comes from the recorded rounds, run once in the
//! spec's order and once in the other.

pub mod answers;
pub mod mistakes;
pub mod names;
pub mod report;
pub mod values;
pub mod verdict;

pub use answers::{parse, Answer, AnswersError};
pub use mistakes::Mistake;
pub use report::{Checked, Report};
pub use verdict::Verdict;

use std::collections::HashMap;

use crate::build::keyed_document;
use crate::doc::Block;
use crate::expr::Expr;
use crate::run::{check_memory, explain, Options};
use crate::spec::Spec;
use mistakes::Context;
use values::Bounds;

/// How many unknown names get the nearest known ones suggested; the rest are only
/// reported unknown, so that a file of many unknown names costs no more than a pass
/// over the names each.
pub const MAX_SUGGESTED: usize = 20;

/// Why answers cannot be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The answers file is malformed.
    #[error(transparent)]
    Answers(#[from] AnswersError),
    /// The network cannot be run.
    #[error(transparent)]
    Run(#[from] backprop::Error),
}

impl CheckError {
    /// Whether the error is the user's input (every one is, unless the engine failed
    /// for another reason).
    pub fn is_bad_input(&self) -> bool {
        match self {
            CheckError::Answers(_) => true,
            CheckError::Run(e) => e.is_bad_input(),
        }
    }
}

/// Checks the answers file `text` against `spec`'s network.
pub fn check_text(spec: &Spec, text: &str) -> Result<Report, CheckError> {
    let answers = parse(text)?;
    Ok(check(spec, &answers)?)
}

/// Checks `answers` against `spec`'s network: the rounds they refer to are run in the
/// spec's order and in the other order, and recorded in full.
pub fn check(spec: &Spec, answers: &[Answer]) -> Result<Report, backprop::Error> {
    let rounds = answers.iter().map(|a| a.round).max().unwrap_or(1).max(1);
    let options = Options {
        rounds,
        show: rounds,
        order: None,
    };
    check_memory(spec, &options, false)?;
    let ex = explain(spec, options)?;
    let other = explain(
        spec,
        Options {
            order: Some(ex.order.other()),
            ..options
        },
    )?;
    let equations = equations(&ex);
    let names = names::all(spec);
    let index = names::Index::new(&names);
    // Suggestions cost a pass over every name; only so many unknown names get them.
    let mut suggestions_left = MAX_SUGGESTED;
    let eta = spec.learning_rate;
    let shared = |l: usize| matches!(spec.layers[l].bias, Some(backprop::layer::Bias::Shared(_)));
    let mut checked = Vec::with_capacity(answers.len());
    // The rounding bounds of each round, for each number of places answers are given to.
    let mut bounds: HashMap<(usize, i32), Bounds> = HashMap::new();
    for a in answers {
        let Some(named) = index.resolve(&a.name) else {
            let nearest = if suggestions_left > 0 {
                suggestions_left -= 1;
                index.nearest(&a.name)
            } else {
                Vec::new()
            };
            checked.push(Checked::unknown(a, nearest));
            continue;
        };
        let q = named.quantity;
        let r = a.round - 1;
        let (Some(round), Some(other_round)) = (ex.rounds.get(r), other.rounds.get(r)) else {
            checked.push(Checked::unknown(a, Vec::new()));
            continue;
        };
        let Some(expected) = values::value(round, ex.order, q) else {
            checked.push(Checked::unknown(a, Vec::new()));
            continue;
        };
        let ctx = Context::new(spec, ex.order, round, Some(other_round));
        let bounds = bounds
            .entry((r, a.places))
            .or_insert_with(|| Bounds::new(round, eta, verdict::half_unit(a.places)));
        let bound = bounds.of(q, eta);
        let (v, found) = verdict::judge(a.given, a.places, expected, bound, &ctx.alternatives(q));
        let equation = values::key(q, shared).and_then(|k| equations.get(&(r, k)).cloned());
        checked.push(Checked {
            line: a.line,
            round: a.round,
            name: a.name.clone(),
            quantity: Some(named.clone()),
            given: a.given,
            written: a.written.clone(),
            expected: Some(expected),
            verdict: v,
            mistakes: found,
            equation,
            nearest: Vec::new(),
        });
    }
    Ok(Report { answers: checked })
}

/// Every equation of the explanation by round (0-based) and trace key.
fn equations(ex: &crate::run::Explanation) -> HashMap<(usize, String), Vec<Expr>> {
    let mut map = HashMap::new();
    for entry in keyed_document(ex).entries {
        if let (Block::Eq(parts), Some(round), Some(source)) =
            (entry.block, entry.round, entry.source)
        {
            map.insert((round, source.key), parts);
        }
    }
    map
}
