//! A quantity's value as the engine recorded it in a round, the trace key of the
//! equation that derives it, and how far rounding every value before it can move it.

use super::names::Quantity;
use crate::keys;
use crate::trace::Round;
use backprop::network::Order;

/// The recorded value of `q` in round `r`, run in `order` (`None` where the round has
/// no such value). In the published order the error went down through the updated
/// weights, so a part of a hidden ∂E/∂out is δ times the updated weight.
pub fn value(r: &Round, order: Order, q: Quantity) -> Option<f64> {
    let cell = |rows: &[Vec<f64>], a: usize, b: usize| rows.get(a)?.get(b).copied();
    let layer = |l: usize| r.layers.get(l);
    match q {
        Quantity::Input { k, s } => cell(&layer(0)?.input, s, k),
        Quantity::Target { j, s } => cell(&r.targets, s, j),
        Quantity::Net { l, j, s } => cell(&layer(l)?.net, s, j),
        Quantity::Out { l, j, s } => cell(&layer(l)?.out, s, j),
        Quantity::ErrorTerm { j, s } => cell(&r.loss_terms, s, j),
        Quantity::Total => Some(r.loss),
        Quantity::DOut { l, j, s } => cell(&layer(l)?.d_out, s, j),
        Quantity::DAct { l, j, s } => cell(layer(l)?.d_act.as_ref()?, s, j),
        Quantity::Delta { l, j, s } => cell(&layer(l)?.d_net, s, j),
        Quantity::DOutPart { l, s, k, j } => {
            let above = layer(l + 1)?;
            let weights = match order {
                Order::Textbook => &above.weights_before,
                Order::Published => &above.weights_after,
            };
            Some(cell(&above.d_net, s, j)? * cell(weights, j, k)?)
        }
        Quantity::DnetDw { l, j: _, k } => input(r, l, 0, k),
        Quantity::Weight { l, j, k } => cell(&layer(l)?.weights_before, j, k),
        Quantity::GradWeight { l, j, k } => cell(&layer(l)?.grad_weights, j, k),
        Quantity::WeightAfter { l, j, k } => cell(&layer(l)?.weights_after, j, k),
        Quantity::Bias { l, j } => layer(l)?.bias_before.as_slice().get(j).copied(),
        Quantity::GradBias { l, j } => layer(l)?.grad_bias.as_slice().get(j).copied(),
        Quantity::BiasAfter { l, j } => layer(l)?.bias_after.as_slice().get(j).copied(),
        Quantity::WeightState { slot, l, j, k } => cell(
            &layer(l)?.optimizer_state_after.as_ref()?.get(slot)?.weights,
            j,
            k,
        ),
        Quantity::BiasState { slot, l, j } => {
            let state = layer(l)?.optimizer_state_after.as_ref()?.get(slot)?;
            state.bias.as_slice().get(j).copied()
        }
    }
}

/// Input `k` of layer `l` for sample `s`: the network's input or the out below.
pub fn input(r: &Round, l: usize, s: usize, k: usize) -> Option<f64> {
    r.layers.get(l)?.input.get(s)?.get(k).copied()
}

/// The trace key of the equation that derives `q` in the explanation, if one does.
pub fn key(q: Quantity, shared: impl Fn(usize) -> bool) -> Option<String> {
    Some(match q {
        Quantity::Input { .. } | Quantity::Target { .. } => return None,
        Quantity::Weight { .. } | Quantity::Bias { .. } => return None,
        Quantity::Net { l, j, s } => keys::neuron("net", l, s, j),
        Quantity::Out { l, j, s } => keys::neuron("out", l, s, j),
        Quantity::ErrorTerm { j, s } => keys::loss_term(s, j),
        Quantity::Total => keys::loss(),
        Quantity::DOut { l, j, s } => keys::neuron("d_out", l, s, j),
        Quantity::DAct { l, j, s } => keys::neuron("d_act", l, s, j),
        Quantity::Delta { l, j, s } => keys::neuron("d_net", l, s, j),
        Quantity::DOutPart { l, s, k, j } => keys::d_out_part(l, s, k, j),
        Quantity::DnetDw { l, j, k } => keys::weight("dnet_dw", l, j, k),
        Quantity::GradWeight { l, j, k } => keys::weight("grad_weights", l, j, k),
        Quantity::WeightAfter { l, j, k } => keys::weight("weights_after", l, j, k),
        Quantity::GradBias { l, j } => keys::bias("grad_bias", l, j, shared(l)),
        Quantity::BiasAfter { l, j } => keys::bias("bias_after", l, j, shared(l)),
        Quantity::WeightState { slot, l, j, k } => keys::weight_state("after", l, slot, j, k),
        Quantity::BiasState { slot, l, j } => keys::bias_state("after", l, slot, j, shared(l)),
    })
}

/// How far each value of a round can move when a learner rounds every value before it
/// to a step of `h` (half a unit in the last place kept): a first-order bound, the sum
/// of each input's own bound times the size of the recorded factor it is multiplied by
/// in the quantity's equation. Values the learner is given (inputs, targets, starting
/// weights) are exact.
#[derive(Clone, Debug, Default)]
pub struct Bounds {
    net: Vec<Vec<Vec<f64>>>,
    out: Vec<Vec<Vec<f64>>>,
    terms: Vec<Vec<f64>>,
    total: f64,
    d_out: Vec<Vec<Vec<f64>>>,
    d_act: Vec<Vec<Vec<f64>>>,
    delta: Vec<Vec<Vec<f64>>>,
    grad: Vec<Vec<Vec<f64>>>,
    grad_bias: Vec<Vec<f64>>,
}

impl Bounds {
    /// The bounds of round `r` for rounding steps of `h`.
    pub fn new(r: &Round, eta: f64, h: f64) -> Bounds {
        let layers = r.layers.len();
        let samples = r.targets.len();
        let mut b = Bounds::default();
        let mut below: Vec<Vec<f64>> = r
            .layers
            .first()
            .map(|l| l.input.iter().map(|row| vec![0.0; row.len()]).collect())
            .unwrap_or_default();
        for layer in &r.layers {
            let mut net = Vec::with_capacity(samples);
            let mut out = Vec::with_capacity(samples);
            for s in 0..layer.net.len() {
                let mut net_s = Vec::new();
                let mut out_s = Vec::new();
                for j in 0..layer.net[s].len() {
                    let e: f64 = h + weighted(&layer.weights_before, j, &below, s);
                    let slope = layer.d_act.as_ref().map_or(1.0, |d| d[s][j].abs());
                    net_s.push(e);
                    out_s.push(h + slope * e);
                }
                net.push(net_s);
                out.push(out_s);
            }
            below.clone_from(&out);
            b.net.push(net);
            b.out.push(out);
        }
        let last = layers.saturating_sub(1);
        let out_last = b.out.get(last).cloned().unwrap_or_default();
        let top = r.layers.get(last);
        b.terms = out_last
            .iter()
            .enumerate()
            .map(|(s, row)| {
                row.iter()
                    .enumerate()
                    .map(|(j, e)| {
                        let slope = top.map_or(1.0, |t| t.d_out[s][j].abs()).max(1.0);
                        h + slope * e
                    })
                    .collect()
            })
            .collect();
        b.total = h + b.terms.iter().flatten().sum::<f64>();
        b.d_out = vec![Vec::new(); layers];
        b.d_act = vec![Vec::new(); layers];
        b.delta = vec![Vec::new(); layers];
        b.grad = vec![Vec::new(); layers];
        b.grad_bias = vec![Vec::new(); layers];
        for l in (0..layers).rev() {
            let layer = &r.layers[l];
            let (mut d_out, mut d_act, mut delta) = (Vec::new(), Vec::new(), Vec::new());
            for s in 0..layer.out.len() {
                let (mut d_out_s, mut d_act_s, mut delta_s) = (Vec::new(), Vec::new(), Vec::new());
                for j in 0..layer.out[s].len() {
                    let eo = b.out[l][s][j];
                    let e_d_out = if l == last {
                        h + eo
                    } else {
                        let above = &r.layers[l + 1];
                        let parts: f64 = (0..above.d_net[s].len())
                            .map(|i| h + above.weights_before[i][j].abs() * b.delta[l + 1][s][i])
                            .sum();
                        h + parts
                    };
                    let e_d_act = h + eo;
                    let (g, a) = (
                        layer.d_out[s][j].abs(),
                        layer.d_act.as_ref().map_or(1.0, |d| d[s][j].abs()),
                    );
                    d_out_s.push(e_d_out);
                    d_act_s.push(e_d_act);
                    delta_s.push(h + a * e_d_out + g * e_d_act);
                }
                d_out.push(d_out_s);
                d_act.push(d_act_s);
                delta.push(delta_s);
            }
            b.d_out[l] = d_out;
            b.d_act[l] = d_act;
            b.delta[l] = delta;
            let input_bound = |s: usize, k: usize| if l == 0 { 0.0 } else { b.out[l - 1][s][k] };
            b.grad[l] = layer
                .grad_weights
                .iter()
                .enumerate()
                .map(|(j, row)| {
                    (0..row.len())
                        .map(|k| {
                            let sum: f64 = (0..layer.d_net.len())
                                .map(|s| {
                                    layer.input[s][k].abs() * b.delta[l][s][j]
                                        + layer.d_net[s][j].abs() * input_bound(s, k)
                                })
                                .sum();
                            h + sum
                        })
                        .collect()
                })
                .collect();
            let per_neuron: Vec<f64> = (0..layer.d_net.first().map_or(0, Vec::len))
                .map(|j| {
                    h + (0..layer.d_net.len())
                        .map(|s| b.delta[l][s][j])
                        .sum::<f64>()
                })
                .collect();
            b.grad_bias[l] = match layer.grad_bias {
                backprop::layer::Bias::Shared(_) => vec![h + per_neuron.iter().sum::<f64>()],
                backprop::layer::Bias::PerNeuron(_) => per_neuron,
            };
        }
        let _ = (eta, samples);
        b
    }

    /// The bound of `q`, for a learning rate `eta`.
    pub fn of(&self, q: Quantity, eta: f64) -> f64 {
        let at3 = |v: &Vec<Vec<Vec<f64>>>, a: usize, b: usize, c: usize| {
            v.get(a)
                .and_then(|x| x.get(b))
                .and_then(|x| x.get(c))
                .copied()
        };
        let at2 = |v: &Vec<Vec<f64>>, a: usize, b: usize| v.get(a).and_then(|x| x.get(b)).copied();
        let found = match q {
            Quantity::Input { .. }
            | Quantity::Target { .. }
            | Quantity::Weight { .. }
            | Quantity::Bias { .. } => Some(0.0),
            Quantity::Net { l, j, s } => at3(&self.net, l, s, j),
            Quantity::Out { l, j, s } => at3(&self.out, l, s, j),
            Quantity::ErrorTerm { j, s } => at2(&self.terms, s, j),
            Quantity::Total => Some(self.total),
            Quantity::DOut { l, j, s } => at3(&self.d_out, l, s, j),
            Quantity::DAct { l, j, s } => at3(&self.d_act, l, s, j),
            Quantity::Delta { l, j, s } => at3(&self.delta, l, s, j),
            Quantity::DOutPart { l, s, k: _, j } => at3(&self.delta, l + 1, s, j),
            Quantity::DnetDw { l, j: _, k } => Some(if l == 0 {
                0.0
            } else {
                at3(&self.out, l - 1, 0, k).unwrap_or(0.0)
            }),
            Quantity::GradWeight { l, j, k } => at3(&self.grad, l, j, k),
            Quantity::WeightAfter { l, j, k } => at3(&self.grad, l, j, k).map(|g| eta.abs() * g),
            Quantity::GradBias { l, j } => at2(&self.grad_bias, l, j),
            Quantity::BiasAfter { l, j } => at2(&self.grad_bias, l, j).map(|g| eta.abs() * g),
            // RPROP's step sizes follow from signs alone; every other state is taken to
            // move as far as the gradient does (its factors μ, 1 − β₁ and 2(1 − β₂)·g are
            // at most 1 for gradients below 1/(2(1 − β₂))).
            Quantity::WeightState { slot: "delta", .. }
            | Quantity::BiasState { slot: "delta", .. } => Some(0.0),
            Quantity::WeightState { l, j, k, .. } => at3(&self.grad, l, j, k),
            Quantity::BiasState { l, j, .. } => at2(&self.grad_bias, l, j),
        };
        found.unwrap_or(0.0)
    }
}

/// Σ_k |w_jk| × bound(in_k) for neuron `j` and sample `s`.
fn weighted(weights: &[Vec<f64>], j: usize, below: &[Vec<f64>], s: usize) -> f64 {
    let Some(row) = weights.get(j) else {
        return 0.0;
    };
    let Some(bounds) = below.get(s) else {
        return 0.0;
    };
    row.iter().zip(bounds).map(|(w, e)| w.abs() * e).sum()
}
