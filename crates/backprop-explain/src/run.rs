//! Runs the engine for an explanation: the shown rounds recorded in full, the rest
//! unobserved, with the loss and outputs measured at milestones.

use std::path::PathBuf;

use serde::Serialize;

use crate::spec::Spec;
use crate::trace::{Recorder, Round, Rows};
use backprop::error::{Error, Result};
use backprop::layer::Bias;
use backprop::network::{Network, Order};
use backprop::optim::Optimizer;

use crate::observed::Observed;

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
    /// The loss of the rounds' forward passes, before their updates, at a bounded
    /// number of evenly spaced rounds: what a loss curve draws. Not part of the JSON
    /// trace, which keeps the milestones only.
    #[serde(skip)]
    pub curve: LossCurve,
}

/// The most rounds an explanation runs: at the engine's pace on the tutorial, about a
/// minute and a half for both orders.
pub const MAX_ROUNDS: usize = 1_000_000_000;

/// Points a [`LossCurve`] keeps at most.
pub const CURVE_POINTS: usize = 2048;

/// The loss at evenly spaced rounds, in memory that does not grow with the rounds: every
/// round while there is room, then every second one, every fourth, … The first rounds
/// shown in full are always kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LossCurve {
    /// The rounds (1-based) of the points, increasing.
    pub rounds: Vec<usize>,
    /// The loss before each of those rounds' update.
    pub losses: Vec<f64>,
    /// Rounds between kept points.
    #[serde(skip)]
    stride: usize,
    /// Rounds kept whatever the stride.
    #[serde(skip)]
    keep: usize,
}

impl LossCurve {
    fn new(keep: usize) -> LossCurve {
        LossCurve {
            rounds: Vec::with_capacity(CURVE_POINTS + 1),
            losses: Vec::with_capacity(CURVE_POINTS + 1),
            stride: 1,
            keep,
        }
    }

    /// Records the loss of `round`, if the curve keeps it. `last` says it is the run's
    /// last round, which is always kept.
    fn record(&mut self, round: usize, loss: f64, last: bool) {
        loop {
            let kept = round <= self.keep || (round - 1).is_multiple_of(self.stride) || last;
            if !kept {
                return;
            }
            if self.rounds.len() < CURVE_POINTS || !self.thin() {
                self.rounds.push(round);
                self.losses.push(loss);
                return;
            }
        }
    }

    /// Doubles the stride and drops the points it no longer keeps; false when none
    /// could go (every point is one of the rounds kept in full).
    fn thin(&mut self) -> bool {
        let before = self.rounds.len();
        let (keep, stride) = (self.keep, self.stride * 2);
        let kept = |r: usize| r <= keep || (r - 1).is_multiple_of(stride);
        let mut rounds = self.rounds.iter();
        self.losses
            .retain(|_| rounds.next().is_some_and(|&r| kept(r)));
        self.rounds.retain(|&r| kept(r));
        self.stride = stride;
        self.rounds.len() < before
    }
}

/// Terms of the rounds shown in full: per sample, every weight's product and a few per
/// neuron and input; per round, a few per weight for the gradients and updates. The
/// document, the page and the trace all grow with this count.
pub fn shown_terms(spec: &Spec, show: usize) -> u64 {
    let mut fan_in = spec.inputs as u64;
    let (mut weights, mut neurons) = (0u64, 0u64);
    for layer in &spec.layers {
        weights = weights.saturating_add(fan_in.saturating_mul(layer.size as u64));
        neurons = neurons.saturating_add(layer.size as u64);
        fan_in = layer.size as u64;
    }
    terms(
        spec.inputs as u64,
        weights,
        neurons,
        spec.samples.len(),
        show,
    )
}

/// [`shown_terms`] of a network of `inputs` inputs, `weights` weights and `neurons`
/// neurons, on `samples` samples.
pub fn terms(inputs: u64, weights: u64, neurons: u64, samples: usize, show: usize) -> u64 {
    let per_sample = weights
        .saturating_add(neurons.saturating_mul(32))
        .saturating_add(inputs.saturating_mul(4));
    let per_round = (samples as u64)
        .saturating_mul(per_sample)
        .saturating_add(weights.saturating_mul(16));
    (show as u64).saturating_mul(per_round)
}

/// Bytes a term of the shown rounds takes at least while the interactive page is made
/// (its data, then the page): measured at 0.9–1.5 kB.
pub const PAGE_BYTES_PER_TERM: u64 = 900;

/// Bytes a term takes at least in the recorded rounds, which text, Markdown and JSON
/// render from.
pub const TRACE_BYTES_PER_TERM: u64 = 8;

/// Refuses an explanation whose shown rounds cannot fit in the memory available, before
/// anything runs: `page` when the interactive page is to be made of them.
pub fn check_memory(spec: &Spec, options: &Options, page: bool) -> Result<()> {
    let show = options.show.min(options.rounds);
    let terms = shown_terms(spec, show);
    let per_term = if page {
        PAGE_BYTES_PER_TERM
    } else {
        TRACE_BYTES_PER_TERM
    };
    let what = format!(
        "showing {show} round{} of this network in full{} ({terms} terms)",
        if show == 1 { "" } else { "s" },
        if page { " as a page" } else { "" }
    );
    backprop_io::memory::check_for(
        std::path::Path::new("<options>"),
        terms.saturating_mul(per_term),
        &what,
        "show",
    )
}

/// Checks what an explanation is asked to run.
fn check_options(options: &Options) -> Result<()> {
    let invalid = |at: &str, message: String| Error::Invalid {
        path: PathBuf::from("<options>"),
        at: at.into(),
        message,
    };
    if options.rounds == 0 {
        return Err(invalid("rounds", "must be at least 1".into()));
    }
    if options.rounds > MAX_ROUNDS {
        return Err(invalid(
            "rounds",
            format!("must be at most {MAX_ROUNDS}, got {}", options.rounds),
        ));
    }
    Ok(())
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
    explain_with_progress(spec, options, |_, _| {})
}

/// [`explain`], telling `progress(done, total)` how many of the rounds of both orders
/// are done, every few thousand rounds.
pub fn explain_with_progress(
    spec: &Spec,
    options: Options,
    mut progress: impl FnMut(usize, usize),
) -> Result<Explanation> {
    check_options(&options)?;
    let order = options.order.unwrap_or(spec.order);
    let mut spec = spec.clone();
    spec.order = order;
    let initial: Network<f64> = spec.network();
    let network = spec.with_network(&initial);
    let total = 2 * options.rounds;
    let (rounds, milestones, curve) = train(
        &spec,
        initial.clone(),
        order,
        options.rounds,
        options.show,
        &mut |done| progress(done, total),
    )?;
    let other = order.other();
    let (_, other_milestones, _) = train(&spec, initial, other, options.rounds, 0, &mut |done| {
        progress(options.rounds + done, total)
    })?;
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
        curve,
    })
}

/// Rounds between two calls of the progress callback.
const PROGRESS_EVERY: usize = 1 << 14;

fn train(
    spec: &Spec,
    mut net: Network<f64>,
    order: Order,
    rounds: usize,
    show: usize,
    progress: &mut dyn FnMut(usize),
) -> Result<(Vec<Round>, Vec<Milestone>, LossCurve)> {
    let (x, t) = spec.batch::<f64>();
    let mut ws = net.workspace(x.rows());
    let config = spec.optimizer_config();
    let mut optimizer = Observed::new(Optimizer::new(config, &net));
    let at = milestone_rounds(rounds);
    let mut shown = Vec::with_capacity(show.min(rounds));
    let mut milestones = Vec::with_capacity(at.len());
    let mut curve = LossCurve::new(show);
    for r in 1..=rounds {
        let loss = if r <= show {
            let mut rec = Recorder::new(r);
            optimizer.watching = true;
            let loss = net.train_step(&mut ws, &x, &t, order, &mut optimizer, &mut rec)?;
            optimizer.record(&mut rec);
            shown.push(rec.finish());
            loss
        } else {
            optimizer.watching = false;
            net.train_step(&mut ws, &x, &t, order, &mut optimizer, &mut ())?
        };
        curve.record(r, loss, r == rounds);
        if r.is_multiple_of(PROGRESS_EVERY) {
            progress(r);
        }
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
    progress(rounds);
    Ok((shown, milestones, curve))
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

    #[test]
    fn the_curve_stays_bounded_and_evenly_spaced() {
        let mut curve = LossCurve::new(3);
        let rounds = 10 * CURVE_POINTS + 7;
        for r in 1..=rounds {
            curve.record(r, r as f64, r == rounds);
        }
        assert!(curve.rounds.len() <= CURVE_POINTS + 1);
        assert!(curve.rounds.len() > CURVE_POINTS / 4);
        assert_eq!(curve.rounds[..3], [1, 2, 3]);
        assert_eq!(curve.rounds.last(), Some(&rounds));
        // Past the rounds kept in full, the points are `stride` rounds apart.
        let gaps: Vec<usize> = curve.rounds[3..curve.rounds.len() - 1]
            .windows(2)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(gaps.windows(2).all(|g| g[0] == g[1]), "{gaps:?}");
        for (r, l) in curve.rounds.iter().zip(&curve.losses) {
            assert_eq!(*r as f64, *l);
        }
    }

    #[test]
    fn zero_rounds_and_too_many_are_refused() {
        let at_least = |rounds| {
            let options = Options {
                rounds,
                ..Options::default()
            };
            explain(&Spec::tutorial(), options).unwrap_err().to_string()
        };
        assert_eq!(at_least(0), "<options>: rounds: must be at least 1");
        assert!(at_least(usize::MAX).contains("must be at most 1000000000"));
    }
}
