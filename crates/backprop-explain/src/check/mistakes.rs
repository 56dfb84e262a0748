//! The catalogue of mistakes: each a named alternative computation over the values the
//! engine recorded, giving the number a learner who made that mistake would write.

use super::names::Quantity;
use super::values::value;
use crate::trace::Round;
use backprop::activation::{Activation, DerivativeFrom};
use backprop::loss::Loss;
use backprop::matrix::Matrix;
use backprop::network::Order;
use backprop::optim::OptimizerKind;
use serde::Serialize;

/// A mistake of the catalogue. Its explanation is the message `mistake_<id>` of the
/// catalogues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mistake {
    /// δ = ∂E/∂out, without the factor ∂out/∂net.
    MissingActivationDerivative,
    /// (target − out) for ∂E/∂out: every gradient's sign flipped.
    SignError,
    /// w + η·∂E/∂w instead of w − η·∂E/∂w.
    AddedUpdate,
    /// w − ∂E/∂w: the learning rate left out.
    MissingLearningRate,
    /// The error sent down through the already-updated weights above (the published
    /// order), where the original weights were meant.
    UpdatedWeightsInHiddenDelta,
    /// The reverse, for a network run in the published order: the error sent down
    /// through the original weights above, which that order had already updated.
    OriginalWeightsInHiddenDelta,
    /// A hidden ∂E/∂out from one neuron above instead of the sum over all of them.
    SinglePath,
    /// Another connection's weight: the indices swapped (w6 for w7).
    WrongWeight,
    /// net where out was needed, or out where net was.
    NetForOut,
    /// The ½ of the squared error dropped (or the 2 of its derivative).
    MissingHalf,
    /// Every step right, intermediate values rounded too early.
    EarlyRounding,
}

impl Mistake {
    /// Every mistake of the catalogue.
    pub const ALL: [Mistake; 11] = [
        Mistake::MissingActivationDerivative,
        Mistake::SignError,
        Mistake::AddedUpdate,
        Mistake::MissingLearningRate,
        Mistake::UpdatedWeightsInHiddenDelta,
        Mistake::OriginalWeightsInHiddenDelta,
        Mistake::SinglePath,
        Mistake::WrongWeight,
        Mistake::NetForOut,
        Mistake::MissingHalf,
        Mistake::EarlyRounding,
    ];

    /// Its id: the name in JSON and the catalogues' message `mistake_<id>`.
    pub fn id(self) -> &'static str {
        match self {
            Mistake::MissingActivationDerivative => "missing_activation_derivative",
            Mistake::SignError => "sign_error",
            Mistake::AddedUpdate => "added_update",
            Mistake::MissingLearningRate => "missing_learning_rate",
            Mistake::UpdatedWeightsInHiddenDelta => "updated_weights_in_hidden_delta",
            Mistake::OriginalWeightsInHiddenDelta => "original_weights_in_hidden_delta",
            Mistake::SinglePath => "single_path",
            Mistake::WrongWeight => "wrong_weight",
            Mistake::NetForOut => "net_for_out",
            Mistake::MissingHalf => "missing_half",
            Mistake::EarlyRounding => "early_rounding",
        }
    }

    /// The message that explains it.
    pub fn message_id(self) -> &'static str {
        match self {
            Mistake::MissingActivationDerivative => "mistake_missing_activation_derivative",
            Mistake::SignError => "mistake_sign_error",
            Mistake::AddedUpdate => "mistake_added_update",
            Mistake::MissingLearningRate => "mistake_missing_learning_rate",
            Mistake::UpdatedWeightsInHiddenDelta => "mistake_updated_weights_in_hidden_delta",
            Mistake::OriginalWeightsInHiddenDelta => "mistake_original_weights_in_hidden_delta",
            Mistake::SinglePath => "mistake_single_path",
            Mistake::WrongWeight => "mistake_wrong_weight",
            Mistake::NetForOut => "mistake_net_for_out",
            Mistake::MissingHalf => "mistake_missing_half",
            Mistake::EarlyRounding => "mistake_early_rounding",
        }
    }
}

/// What the alternatives are computed from: one recorded round, and the same round
/// recorded in the other update order.
pub struct Context<'a> {
    /// The round as run.
    pub round: &'a Round,
    /// The same round run in the other order, if recorded.
    pub other: Option<&'a Round>,
    /// The order the round was run in.
    pub order: Order,
    /// The learning rate.
    pub eta: f64,
    /// The loss.
    pub loss: Loss,
    /// Each layer's activation.
    pub activations: Vec<Activation>,
    /// The optimizer that updates the parameters (`Sgd` without one). The mistakes that
    /// follow a wrong gradient into the update are those of plain gradient descent.
    pub optimizer: OptimizerKind,
}

/// Per sample, the δ a mistaken learner would have for one neuron.
type Deltas = Vec<f64>;

impl<'a> Context<'a> {
    /// The context of `round` of `spec`'s network run in `order`, with `other` the same
    /// round run in the other order.
    pub fn new(
        spec: &crate::spec::Spec,
        order: Order,
        round: &'a Round,
        other: Option<&'a Round>,
    ) -> Self {
        Context {
            round,
            other,
            order,
            eta: spec.learning_rate,
            loss: spec.loss,
            activations: spec.layers.iter().map(|l| l.activation).collect(),
            optimizer: spec.optimizer_config().kind,
        }
    }
}

impl Context<'_> {
    /// Whether the update is plain gradient descent, p⁺ = p − η·∂E/∂p.
    fn plain(&self) -> bool {
        self.optimizer == OptimizerKind::Sgd
    }

    fn last(&self) -> usize {
        self.round.layers.len().saturating_sub(1)
    }

    /// Every number the catalogue's mistakes give for `q`, with the mistake.
    pub fn alternatives(&self, q: Quantity) -> Vec<(Mistake, f64)> {
        let mut out = Vec::new();
        self.missing_activation_derivative(q, &mut out);
        self.updates(q, &mut out);
        self.sign_error(q, &mut out);
        self.updated_weights(q, &mut out);
        self.single_path(q, &mut out);
        self.wrong_weight(q, &mut out);
        self.net_for_out(q, &mut out);
        self.missing_half(q, &mut out);
        out.retain(|(_, v)| v.is_finite());
        out
    }

    /// The quantities of neuron `j` of layer `l` that follow from its δ: δ itself, its
    /// weights' gradients and updates, its bias's gradient and update (per-neuron
    /// biases), for the mistaken δs `deltas`.
    fn following_deltas(&self, q: Quantity, l: usize, j: usize, deltas: &Deltas) -> Option<f64> {
        let layer = self.round.layers.get(l)?;
        let grad = |k: usize| -> Option<f64> {
            let mut g = 0.0;
            for (s, d) in deltas.iter().enumerate() {
                g += d * layer.input.get(s)?.get(k)?;
            }
            Some(g)
        };
        let per_neuron = matches!(layer.grad_bias, backprop::layer::Bias::PerNeuron(_));
        match q {
            Quantity::Delta { l: ql, j: qj, s } if (ql, qj) == (l, j) => deltas.get(s).copied(),
            Quantity::GradWeight { l: ql, j: qj, k } if (ql, qj) == (l, j) => grad(k),
            Quantity::WeightAfter { l: ql, j: qj, k } if (ql, qj) == (l, j) && self.plain() => {
                Some(layer.weights_before.get(j)?.get(k)? - self.eta * grad(k)?)
            }
            Quantity::GradBias { l: ql, j: qj } if (ql, qj) == (l, j) && per_neuron => {
                Some(deltas.iter().sum())
            }
            Quantity::BiasAfter { l: ql, j: qj }
                if (ql, qj) == (l, j) && per_neuron && self.plain() =>
            {
                Some(layer.bias_before.get(j) - self.eta * deltas.iter().sum::<f64>())
            }
            _ => None,
        }
    }

    /// The layer and neuron whose δ `q` follows from, if any.
    fn neuron_of(q: Quantity) -> Option<(usize, usize)> {
        match q {
            Quantity::Delta { l, j, .. }
            | Quantity::GradWeight { l, j, .. }
            | Quantity::WeightAfter { l, j, .. }
            | Quantity::GradBias { l, j }
            | Quantity::BiasAfter { l, j } => Some((l, j)),
            _ => None,
        }
    }

    /// ∂out/∂net of neuron `j` in layer `l` for each sample, when the layer has one.
    fn d_act(&self, l: usize, j: usize) -> Option<Vec<f64>> {
        let layer = self.round.layers.get(l)?;
        layer
            .d_act
            .as_ref()?
            .iter()
            .map(|row| row.get(j).copied())
            .collect()
    }

    /// The weight the error went down through from neuron `i` of layer `l` to neuron `k`
    /// below, as the round's order used it.
    fn down_weight(&self, l: usize, i: usize, k: usize) -> Option<f64> {
        let layer = self.round.layers.get(l)?;
        let w = match self.order {
            Order::Textbook => &layer.weights_before,
            Order::Published => &layer.weights_after,
        };
        w.get(i)?.get(k).copied()
    }

    /// A hidden neuron's mistaken ∂E/∂out per sample turned into its δs.
    fn hidden_deltas(&self, l: usize, k: usize, d_out: &[f64]) -> Option<Deltas> {
        let d_act = self.d_act(l, k)?;
        Some(d_out.iter().zip(d_act).map(|(a, b)| a * b).collect())
    }

    fn push(out: &mut Vec<(Mistake, f64)>, m: Mistake, v: Option<f64>) {
        if let Some(v) = v {
            out.push((m, v));
        }
    }

    fn missing_activation_derivative(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let m = Mistake::MissingActivationDerivative;
        let r = self.round;
        // This neuron's own δ without its ∂out/∂net.
        if let Some((l, j)) = Self::neuron_of(q) {
            if let Some(layer) = r.layers.get(l).filter(|x| x.d_act.is_some()) {
                let deltas: Option<Deltas> =
                    layer.d_out.iter().map(|row| row.get(j).copied()).collect();
                if let Some(deltas) = deltas {
                    Self::push(out, m, self.following_deltas(q, l, j, &deltas));
                }
            }
        }
        // A hidden ∂E/∂out from the ∂E/∂out above instead of the δ above.
        let hidden = |k: usize, l: usize, s: usize| -> Option<f64> {
            let above = r.layers.get(l + 1)?;
            above.d_act.as_ref()?;
            let mut sum = 0.0;
            for (i, d) in above.d_out.get(s)?.iter().enumerate() {
                sum += d * self.down_weight(l + 1, i, k)?;
            }
            Some(sum)
        };
        match q {
            Quantity::DOut { l, j, s } if l < self.last() => Self::push(out, m, hidden(j, l, s)),
            _ => {}
        }
        if let Some((l, j)) = Self::neuron_of(q).filter(|&(l, _)| l < self.last()) {
            let samples = r.layers.get(l).map_or(0, |x| x.out.len());
            let d_out: Option<Vec<f64>> = (0..samples).map(|s| hidden(j, l, s)).collect();
            let deltas = d_out.and_then(|d| self.hidden_deltas(l, j, &d));
            if let Some(deltas) = deltas {
                Self::push(out, m, self.following_deltas(q, l, j, &deltas));
            }
        }
    }

    fn sign_error(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let m = Mistake::SignError;
        let v = |q| value(self.round, self.order, q);
        let flipped = match q {
            Quantity::DOut { .. }
            | Quantity::Delta { .. }
            | Quantity::DOutPart { .. }
            | Quantity::GradWeight { .. }
            | Quantity::GradBias { .. } => v(q).map(|x| -x),
            Quantity::WeightAfter { l, j, k } if self.plain() => Some(
                v(Quantity::Weight { l, j, k }).unwrap_or(f64::NAN)
                    + self.eta * v(Quantity::GradWeight { l, j, k }).unwrap_or(f64::NAN),
            ),
            Quantity::BiasAfter { l, j } if self.plain() => Some(
                v(Quantity::Bias { l, j }).unwrap_or(f64::NAN)
                    + self.eta * v(Quantity::GradBias { l, j }).unwrap_or(f64::NAN),
            ),
            _ => None,
        };
        Self::push(out, m, flipped);
    }

    /// The update's own mistakes: the step added instead of subtracted, and the step
    /// not multiplied by η. For plain gradient descent these are w + η·∂E/∂w and
    /// w − ∂E/∂w; for an optimizer the step is the recorded w − w⁺, so 2w − w⁺ and
    /// w − (w − w⁺)/η (RPROP's step has no η).
    fn updates(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let v = |q| value(self.round, self.order, q);
        let (before, grad, after) = match q {
            Quantity::WeightAfter { l, j, k } => (
                v(Quantity::Weight { l, j, k }),
                v(Quantity::GradWeight { l, j, k }),
                v(q),
            ),
            Quantity::BiasAfter { l, j } => (
                v(Quantity::Bias { l, j }),
                v(Quantity::GradBias { l, j }),
                v(q),
            ),
            _ => return,
        };
        let (Some(before), Some(grad), Some(after)) = (before, grad, after) else {
            return;
        };
        if self.plain() {
            out.push((Mistake::AddedUpdate, before + self.eta * grad));
            out.push((Mistake::MissingLearningRate, before - grad));
            return;
        }
        let step = before - after;
        out.push((Mistake::AddedUpdate, before + step));
        if self.optimizer != OptimizerKind::Rprop && self.eta != 0.0 {
            out.push((Mistake::MissingLearningRate, before - step / self.eta));
        }
    }

    /// The hidden quantities as the same round gives them in the other order: through
    /// the updated weights above for a textbook-order network, through the original ones
    /// for a published-order one.
    fn updated_weights(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let Some(other) = self.other else {
            return;
        };
        let hidden = match q {
            Quantity::DOut { l, .. } | Quantity::DOutPart { l, .. } => l < self.last(),
            _ => Self::neuron_of(q).is_some_and(|(l, _)| l < self.last()),
        };
        if hidden {
            let m = match self.order {
                Order::Textbook => Mistake::UpdatedWeightsInHiddenDelta,
                Order::Published => Mistake::OriginalWeightsInHiddenDelta,
            };
            Self::push(out, m, value(other, self.order.other(), q));
        }
    }

    fn single_path(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let m = Mistake::SinglePath;
        let r = self.round;
        let path = |l: usize, k: usize, s: usize, i: usize| -> Option<f64> {
            Some(r.layers.get(l + 1)?.d_net.get(s)?.get(i)? * self.down_weight(l + 1, i, k)?)
        };
        let width = |l: usize| {
            r.layers
                .get(l + 1)
                .map_or(0, |x| x.d_net.first().map_or(0, Vec::len))
        };
        match q {
            Quantity::DOut { l, j, s } if l < self.last() && width(l) > 1 => {
                for i in 0..width(l) {
                    Self::push(out, m, path(l, j, s, i));
                }
            }
            _ => {}
        }
        if let Some((l, j)) = Self::neuron_of(q).filter(|&(l, _)| l < self.last() && width(l) > 1) {
            let samples = r.layers.get(l).map_or(0, |x| x.out.len());
            for i in 0..width(l) {
                let d_out: Option<Vec<f64>> = (0..samples).map(|s| path(l, j, s, i)).collect();
                if let Some(deltas) = d_out.and_then(|d| self.hidden_deltas(l, j, &d)) {
                    Self::push(out, m, self.following_deltas(q, l, j, &deltas));
                }
            }
        }
    }

    fn wrong_weight(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let m = Mistake::WrongWeight;
        let r = self.round;
        // The error down to neuron k through the weights with their indices swapped.
        let swapped = |l: usize, k: usize, s: usize| -> Option<f64> {
            let above = r.layers.get(l + 1)?;
            let mut sum = 0.0;
            for (i, d) in above.d_net.get(s)?.iter().enumerate() {
                sum += d * self.down_weight(l + 1, k, i)?;
            }
            Some(sum)
        };
        match q {
            Quantity::DOut { l, j, s } if l < self.last() => Self::push(out, m, swapped(l, j, s)),
            Quantity::DOutPart { l, s, k, j } => {
                let d = r
                    .layers
                    .get(l + 1)
                    .and_then(|x| x.d_net.get(s)?.get(j).copied());
                Self::push(
                    out,
                    m,
                    d.zip(self.down_weight(l + 1, k, j)).map(|(a, b)| a * b),
                );
            }
            Quantity::Net { l, j, s } => {
                let layer = r.layers.get(l);
                let sum = layer.and_then(|x| {
                    let mut sum = x.bias_before.get(j);
                    for (k, input) in x.input.get(s)?.iter().enumerate() {
                        sum += x.weights_before.get(k)?.get(j)? * input;
                    }
                    Some(sum)
                });
                Self::push(out, m, sum);
            }
            _ => {}
        }
        if let Some((l, j)) = Self::neuron_of(q).filter(|&(l, _)| l < self.last()) {
            let samples = r.layers.get(l).map_or(0, |x| x.out.len());
            let d_out: Option<Vec<f64>> = (0..samples).map(|s| swapped(l, j, s)).collect();
            if let Some(deltas) = d_out.and_then(|d| self.hidden_deltas(l, j, &d)) {
                Self::push(out, m, self.following_deltas(q, l, j, &deltas));
            }
        }
    }

    fn net_for_out(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let m = Mistake::NetForOut;
        let r = self.round;
        let v = |q| value(r, self.order, q);
        match q {
            Quantity::Out { l, j, s } => Self::push(out, m, v(Quantity::Net { l, j, s })),
            Quantity::Net { l, j, s } => Self::push(out, m, v(Quantity::Out { l, j, s })),
            Quantity::DnetDw { l, j: _, k } if l > 0 => {
                Self::push(
                    out,
                    m,
                    v(Quantity::Net {
                        l: l - 1,
                        j: k,
                        s: 0,
                    }),
                );
            }
            Quantity::DAct { l, j, s } => {
                let d = v(Quantity::Net { l, j, s }).and_then(|x| self.derivative_at_net(l, x));
                Self::push(out, m, d);
            }
            _ => {}
        }
        // ∂E/∂w with the net below for the weight's input.
        if let Quantity::GradWeight { l, j, k } | Quantity::WeightAfter { l, j, k } = q {
            let layer = r.layers.get(l).filter(|_| l > 0);
            let below = r.layers.get(l.wrapping_sub(1));
            let grad = layer.zip(below).and_then(|(x, b)| {
                let mut g = 0.0;
                for (s, row) in x.d_net.iter().enumerate() {
                    g += row.get(j)? * b.net.get(s)?.get(k)?;
                }
                Some(g)
            });
            let alt = match q {
                Quantity::GradWeight { .. } => grad,
                _ if !self.plain() => None,
                _ => grad
                    .zip(v(Quantity::Weight { l, j, k }))
                    .map(|(g, w)| w - self.eta * g),
            };
            Self::push(out, m, alt);
        }
        // δ with ∂out/∂net computed from net where out was needed (σ′ = net × (1 − net)).
        if let Some((l, j)) = Self::neuron_of(q) {
            let layer = r.layers.get(l);
            let deltas: Option<Deltas> = layer.and_then(|x| {
                x.d_out
                    .iter()
                    .zip(&x.net)
                    .map(|(d, n)| Some(d.get(j)? * self.derivative_at_net(l, *n.get(j)?)?))
                    .collect()
            });
            if let Some(deltas) = deltas {
                Self::push(out, m, self.following_deltas(q, l, j, &deltas));
            }
        }
    }

    /// Layer `l`'s ∂out/∂net by the engine's own formula, fed `net` where the formula
    /// reads out: what a learner who wrote net for out gets. `None` for softmax, and for
    /// an activation whose derivative is read from net (the mistake changes nothing).
    fn derivative_at_net(&self, l: usize, net: f64) -> Option<f64> {
        let act = *self.activations.get(l)?;
        if act.derivative_from() != Some(DerivativeFrom::Out) {
            return None;
        }
        let x = Matrix::from_vec(1, 1, vec![net])?;
        let mut d = Matrix::zeros(1, 1);
        act.derivative(&x, &x, &mut d).then(|| d.as_slice()[0])
    }

    fn missing_half(&self, q: Quantity, out: &mut Vec<(Mistake, f64)>) {
        let factor = match self.loss {
            Loss::HalfSse => 2.0,
            Loss::Mse => 0.5,
            _ => return,
        };
        let v = |q| value(self.round, self.order, q);
        let alt = match q {
            Quantity::ErrorTerm { .. } | Quantity::Total if self.loss == Loss::HalfSse => {
                v(q).map(|x| factor * x)
            }
            Quantity::DOut { .. }
            | Quantity::DOutPart { .. }
            | Quantity::Delta { .. }
            | Quantity::GradWeight { .. }
            | Quantity::GradBias { .. } => v(q).map(|x| factor * x),
            Quantity::WeightAfter { l, j, k } if self.plain() => v(Quantity::Weight { l, j, k })
                .zip(v(Quantity::GradWeight { l, j, k }))
                .map(|(w, g)| w - self.eta * factor * g),
            Quantity::BiasAfter { l, j } if self.plain() => v(Quantity::Bias { l, j })
                .zip(v(Quantity::GradBias { l, j }))
                .map(|(b, g)| b - self.eta * factor * g),
            _ => None,
        };
        Self::push(out, Mistake::MissingHalf, alt);
    }
}
