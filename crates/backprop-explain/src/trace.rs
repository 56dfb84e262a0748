//! A recording [`Observer`]: every value of a round, widened to `f64`, ready to render
//! or to write as JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use backprop::float::Float;
use backprop::layer::{Bias, Dense};
use backprop::matrix::Matrix;
use backprop::observe::{Backward, DeltaRule, Observer};

/// Rows of a matrix: per-sample values are one row per sample; weights one row per neuron.
pub type Rows = Vec<Vec<f64>>;

/// Everything one layer computed in one round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayerRound {
    /// The layer's input, per sample.
    pub input: Rows,
    /// net = input · Wᵀ + b, per sample.
    pub net: Rows,
    /// out = f(net), per sample.
    pub out: Rows,
    /// ∂E/∂out, per sample.
    pub d_out: Rows,
    /// ∂out/∂net, per sample; `null` for softmax, whose derivative is a Jacobian.
    pub d_act: Option<Rows>,
    /// δ = ∂E/∂net, per sample.
    pub d_net: Rows,
    /// How δ was formed.
    pub rule: DeltaRule,
    /// ∂E/∂W, one row per neuron.
    pub grad_weights: Rows,
    /// ∂E/∂b: a number for a shared bias, a list for per-neuron biases.
    pub grad_bias: Bias<f64>,
    /// Weights before this round's update.
    pub weights_before: Rows,
    /// Weights after it.
    pub weights_after: Rows,
    /// Bias before the update.
    pub bias_before: Bias<f64>,
    /// Bias after it.
    pub bias_after: Bias<f64>,
    /// The optimizer's state of this layer before the update; absent for plain
    /// gradient descent, which keeps none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer_state_before: Option<OptimizerState>,
    /// Its state after the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer_state_after: Option<OptimizerState>,
}

/// One tensor of an optimizer's state for a layer: its value for each weight and for
/// the bias, shaped like them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StateTensor {
    /// One row per neuron, as the weights.
    pub weights: Rows,
    /// As the bias: a number for a shared bias, a list for per-neuron biases.
    pub bias: Bias<f64>,
}

/// An optimizer's state of one layer, by the names `torch.optim` gives it: `m` and `v`
/// (Adam, AdamW), `momentum_buffer` (momentum, Nesterov), `delta` (the step sizes) and
/// `prev_grad` (RPROP).
pub type OptimizerState = BTreeMap<String, StateTensor>;

/// Everything one round computed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Round {
    /// 1 for the first round.
    pub round: usize,
    /// The batch loss of this round's forward pass, before its update.
    pub loss: f64,
    /// The targets, per sample.
    pub targets: Rows,
    /// Each output's share of the loss, per sample; they sum to `loss`.
    pub loss_terms: Rows,
    /// The layers, input side first.
    pub layers: Vec<LayerRound>,
}

/// Records one round as the engine runs it.
#[derive(Debug, Default)]
pub struct Recorder {
    round: usize,
    loss: f64,
    targets: Rows,
    loss_terms: Rows,
    layers: Vec<Option<LayerRound>>,
}

fn rows<T: Float>(m: &Matrix<T>) -> Rows {
    m.to_rows_f64()
}

fn empty_layer(input: Rows, net: Rows, out: Rows) -> LayerRound {
    LayerRound {
        input,
        net,
        out,
        d_out: Vec::new(),
        d_act: None,
        d_net: Vec::new(),
        rule: DeltaRule::Chain,
        grad_weights: Vec::new(),
        grad_bias: Bias::Shared(0.0),
        weights_before: Vec::new(),
        weights_after: Vec::new(),
        bias_before: Bias::Shared(0.0),
        bias_after: Bias::Shared(0.0),
        optimizer_state_before: None,
        optimizer_state_after: None,
    }
}

impl Recorder {
    /// A recorder for round number `round` (1-based).
    pub fn new(round: usize) -> Self {
        Recorder {
            round,
            ..Recorder::default()
        }
    }

    /// Sets layer `l`'s optimizer state before and after its update, which the
    /// optimizer, not the engine, keeps.
    pub fn optimizer_state(&mut self, l: usize, before: OptimizerState, after: OptimizerState) {
        let layer = self.layer(l);
        layer.optimizer_state_before = Some(before);
        layer.optimizer_state_after = Some(after);
    }

    /// The recorded round.
    pub fn finish(self) -> Round {
        Round {
            round: self.round,
            loss: self.loss,
            targets: self.targets,
            loss_terms: self.loss_terms,
            layers: self.layers.into_iter().flatten().collect(),
        }
    }

    fn layer(&mut self, l: usize) -> &mut LayerRound {
        if self.layers.len() <= l {
            self.layers.resize(l + 1, None);
        }
        self.layers[l].get_or_insert_with(|| empty_layer(Vec::new(), Vec::new(), Vec::new()))
    }
}

impl<T: Float> Observer<T> for Recorder {
    fn forward(&mut self, l: usize, input: &Matrix<T>, net: &Matrix<T>, out: &Matrix<T>) {
        *self.layer(l) = empty_layer(rows(input), rows(net), rows(out));
    }

    fn loss(&mut self, target: &Matrix<T>, terms: &Matrix<T>, total: T) {
        self.targets = rows(target);
        self.loss_terms = rows(terms);
        self.loss = total.widen();
    }

    fn backward(&mut self, l: usize, v: &Backward<'_, T>) {
        let layer = self.layer(l);
        layer.d_out = rows(v.d_out);
        layer.d_act = v.d_act.map(rows);
        layer.d_net = rows(v.d_net);
        layer.rule = v.rule;
        layer.grad_weights = rows(v.grad_w);
        layer.grad_bias = v.grad_b.to_f64();
    }

    fn before_update(&mut self, l: usize, p: &Dense<T>) {
        let layer = self.layer(l);
        layer.weights_before = rows(&p.weights);
        layer.bias_before = p.bias.to_f64();
    }

    fn after_update(&mut self, l: usize, p: &Dense<T>) {
        let layer = self.layer(l);
        layer.weights_after = rows(&p.weights);
        layer.bias_after = p.bias.to_f64();
    }
}
