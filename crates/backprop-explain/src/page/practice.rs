//! What the page's Practice mode needs to judge a learner's number with no server: for
//! every quantity of a shown round that an equation derives, how far rounding the values
//! before it can move it, and the number each of the catalogue's mistakes gives. The
//! page only compares a typed number with these, as `check` does.

use std::collections::BTreeMap;

use serde::Serialize;

use super::absolute;
use crate::check::mistakes::{Context, Mistake};
use crate::check::names;
use crate::check::values::{key, Bounds};
use crate::run::{explain, Explanation, Options};
use backprop::layer::Bias;

/// How a learner's number for one quantity is judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Practice {
    /// How far rounding every value before it can move the quantity, for a rounding
    /// step of 1. The bound is first order, so for an answer given to `p` decimals it is
    /// this times half a unit in the `p`-th decimal.
    pub bound: f64,
    /// What the catalogue's mistakes give, as `[id, value]`.
    pub mistakes: Vec<(Mistake, f64)>,
}

/// The Practice data of every derived quantity of `ex`'s shown rounds, by page key.
/// The mistakes that depend on the update order compare with the same rounds run in the
/// other order, so those rounds are run once more.
pub fn practice(ex: &Explanation) -> backprop::Result<BTreeMap<String, Practice>> {
    let mut out = BTreeMap::new();
    let shown = ex.rounds.len();
    if shown == 0 {
        return Ok(out);
    }
    let spec = &ex.network;
    let other = explain(
        spec,
        Options {
            rounds: shown,
            show: shown,
            order: Some(ex.order.other()),
        },
    )?;
    let shared = |l: usize| matches!(spec.layers[l].bias, Some(Bias::Shared(_)));
    let named = names::all(spec);
    let eta = spec.learning_rate;
    for (r, round) in ex.rounds.iter().enumerate() {
        let bounds = Bounds::new(round, eta, 1.0);
        let ctx = Context::new(spec, ex.order, round, other.rounds.get(r));
        for n in &named {
            let Some(k) = key(n.quantity, shared) else {
                continue;
            };
            out.insert(
                absolute(r, &k),
                Practice {
                    bound: bounds.of(n.quantity, eta),
                    mistakes: ctx.alternatives(n.quantity),
                },
            );
        }
    }
    Ok(out)
}
