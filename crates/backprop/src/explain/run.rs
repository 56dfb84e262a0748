//! Runs the engine for an explanation: the shown rounds recorded in full, the rest
//! unobserved, with the loss and outputs measured at milestones.

use serde::Serialize;

use crate::error::Result;
use crate::explain::trace::{Recorder, Round, Rows};
use crate::layer::Bias;
use crate::network::{Network, Order};
use crate::optim::Sgd;
use crate::spec::Spec;

/// What to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Rounds of training to run.
    pub rounds: usize,
    /// How many of the first rounds to record in full.
    pub show: usize,
    /// The update order (`None`: the spec's).
    pub order: Option<Order>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rounds: 10_000,
            show: 1,
            order: None,
        }
    }
}

/// A layer's parameters at some point.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Weights, one row per neuron.
    pub weights: Rows,
    /// The bias.
    pub bias: Bias<f64>,
}

/// The state after a number of rounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Milestone {
    /// Rounds (updates) done.
    pub round: usize,
    /// The batch loss with the weights after `round` updates.
    pub loss: f64,
    /// The outputs, per sample, with those weights.
    pub outputs: Rows,
    /// The parameters after `round` updates, per layer.
    pub params: Vec<Params>,
}

/// The same rounds run in the other update order, for comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The other order.
    pub order: Order,
    /// Its milestones.
    pub milestones: Vec<Milestone>,
}

/// A whole explanation: what was run and everything it computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The network as it started, weights written out, with its samples and settings.
    pub network: Spec,
    /// The update order used.
    pub order: Order,
    /// Rounds run.
    pub rounds_run: usize,
    /// The first rounds, in full.
    pub rounds: Vec<Round>,
    /// Loss, outputs and parameters after 1, 10, 100, … rounds and after the last.
    pub milestones: Vec<Milestone>,
    /// The same milestones in the other order.
    pub comparison: Comparison,
    /// The loss of every round's forward pass, before its update: what a loss curve
    /// draws. Not part of the JSON trace, which keeps the milestones only.
    #[serde(skip)]
    pub losses: Vec<f64>,
}

/// The rounds after which a milestone is taken: powers of ten up to `rounds`, and `rounds`.
pub fn milestone_rounds(rounds: usize) -> Vec<usize> {
    let mut at: Vec<usize> = std::iter::successors(Some(1usize), |&r| r.checked_mul(10))
        .take_while(|&r| r <= rounds)
        .collect();
    if rounds > 0 && at.last() != Some(&rounds) {
        at.push(rounds);
    }
    at
}

/// Runs `spec` as the options say and records the explanation, in f64.
pub fn explain(spec: &Spec, options: Options) -> Result<Explanation> {
    let order = options.order.unwrap_or(spec.order);
    let mut spec = spec.clone();
    spec.order = order;
    let initial: Network<f64> = spec.network();
    let network = spec.with_network(&initial);
    let (rounds, milestones, losses) =
        train(&spec, initial.clone(), order, options.rounds, options.show)?;
    let other = match order {
        Order::Textbook => Order::Published,
        Order::Published => Order::Textbook,
    };
    let (_, other_milestones, _) = train(&spec, initial, other, options.rounds, 0)?;
    Ok(Explanation {
        network,
        order,
        rounds_run: options.rounds,
        rounds,
        milestones,
        comparison: Comparison {
            order: other,
            milestones: other_milestones,
        },
        losses,
    })
}

fn train(
    spec: &Spec,
    mut net: Network<f64>,
    order: Order,
    rounds: usize,
    show: usize,
) -> Result<(Vec<Round>, Vec<Milestone>, Vec<f64>)> {
    let (x, t) = spec.batch::<f64>();
    let mut ws = net.workspace(x.rows());
    let mut sgd = Sgd {
        learning_rate: spec.learning_rate,
    };
    let at = milestone_rounds(rounds);
    let mut shown = Vec::with_capacity(show.min(rounds));
    let mut milestones = Vec::with_capacity(at.len());
    let mut losses = Vec::with_capacity(rounds);
    for r in 1..=rounds {
        let loss = if r <= show {
            let mut rec = Recorder::new(r);
            let loss = net.train_step(&mut ws, &x, &t, order, &mut sgd, &mut rec)?;
            shown.push(rec.finish());
            loss
        } else {
            net.train_step(&mut ws, &x, &t, order, &mut sgd, &mut ())?
        };
        losses.push(loss);
        if at.contains(&r) {
            let loss = net.evaluate(&mut ws, &x, &t)?;
            milestones.push(Milestone {
                round: r,
                loss,
                outputs: ws.layers[net.layers.len() - 1].out.to_rows_f64(),
                params: net
                    .layers
                    .iter()
                    .map(|l| Params {
                        weights: l.weights.to_rows_f64(),
                        bias: l.bias.to_f64(),
                    })
                    .collect(),
            });
        }
    }
    Ok((shown, milestones, losses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_are_powers_of_ten_and_the_last_round() {
        assert_eq!(milestone_rounds(10_000), vec![1, 10, 100, 1000, 10_000]);
        assert_eq!(milestone_rounds(250), vec![1, 10, 100, 250]);
        assert_eq!(milestone_rounds(0), Vec::<usize>::new());
    }
}
