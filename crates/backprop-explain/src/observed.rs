//! The spec's optimizer as the engine's [`Update`], observed: before and after each
//! layer's update it reads the state the optimizer keeps, so that the explanation shows
//! the optimizer's own numbers. The rules themselves are the engine's, the ones training
//! runs; nothing here computes an update.

use backprop::layer::{Bias, Dense};
use backprop::matrix::Matrix;
use backprop::network::Workspace;
use backprop::optim::{Optimizer, OptimizerKind, Sgd, Update};

use crate::trace::{OptimizerState, Recorder, StateTensor};

/// An optimizer that keeps what it read of its state during the last step, when asked to.
pub struct Observed {
    optimizer: Optimizer<f64>,
    /// Plain gradient descent, which keeps no state, runs as the engine's [`Sgd`]: the
    /// same arithmetic without the optimizer's bookkeeping, so that long explanations
    /// run at the engine's pace.
    plain: Option<Sgd<f64>>,
    /// Whether this step's states are kept.
    pub watching: bool,
    /// Per layer, the state before and after its update in the last watched step.
    states: Vec<Option<(OptimizerState, OptimizerState)>>,
}

impl Observed {
    /// Observes `optimizer`.
    pub fn new(optimizer: Optimizer<f64>) -> Observed {
        let config = optimizer.config();
        let plain = (config.kind == OptimizerKind::Sgd).then_some(Sgd {
            learning_rate: config.learning_rate,
        });
        Observed {
            optimizer,
            plain,
            watching: false,
            states: Vec::new(),
        }
    }

    /// Hands the states of the last watched step to `recorder` (none for an optimizer
    /// that keeps no state).
    pub fn record(&mut self, recorder: &mut Recorder) {
        for (l, state) in self.states.iter_mut().enumerate() {
            if let Some((before, after)) = state.take() {
                recorder.optimizer_state(l, before, after);
            }
        }
    }

    /// The state of layer `index` now, shaped like `layer`'s parameters; `None` when the
    /// optimizer keeps none.
    fn state(&self, index: usize, layer: &Dense<f64>) -> Option<OptimizerState> {
        let names = self.optimizer.config().kind.state_slots();
        let values = self.optimizer.layer_state(index)?;
        let (weights, bias) = (values.weights, values.bias);
        if names.is_empty() {
            return None;
        }
        let cols = layer.weights.cols().max(1);
        let tensors = names.iter().zip(weights).zip(bias).map(|((name, w), b)| {
            let tensor = StateTensor {
                weights: w.chunks(cols).map(<[f64]>::to_vec).collect(),
                bias: match &layer.bias {
                    Bias::Shared(_) => Bias::Shared(b.first().copied().unwrap_or(0.0)),
                    Bias::PerNeuron(_) => Bias::PerNeuron(b.clone()),
                },
            };
            (name.to_string(), tensor)
        });
        Some(tensors.collect())
    }
}

impl Update<f64> for Observed {
    fn begin_step(&mut self) {
        if self.plain.is_none() {
            self.optimizer.begin_step();
        }
    }

    fn before_updates(&mut self, ws: &Workspace<f64>) {
        if self.plain.is_none() {
            self.optimizer.before_updates(ws);
        }
    }

    fn update_layer(
        &mut self,
        index: usize,
        layer: &mut Dense<f64>,
        grad_w: &Matrix<f64>,
        grad_b: &Bias<f64>,
    ) {
        if let Some(sgd) = &mut self.plain {
            return sgd.update_layer(index, layer, grad_w, grad_b);
        }
        let before = self.watching.then(|| self.state(index, layer)).flatten();
        self.optimizer.update_layer(index, layer, grad_w, grad_b);
        if let Some(before) = before {
            if self.states.len() <= index {
                self.states.resize(index + 1, None);
            }
            let after = self.state(index, layer).unwrap_or_default();
            self.states[index] = Some((before, after));
        }
    }
}
