//! Parameter updates from gradients: the [`Update`] hook the engine calls, the
//! explainer's plain [`Sgd`], and [`Optimizer`], which runs every [`OptimizerKind`]
//! with weight decay, gradient clipping and state for checkpoints.

mod adam;
mod config;
mod momentum;
mod optimizer;
mod rprop;
mod rule;
mod schedule;
mod sgd;
mod state;
#[cfg(test)]
mod testing;

pub use config::{OptimizerConfig, OptimizerKind, RpropConfig};
pub use optimizer::{Optimizer, SlotValues};
pub use schedule::{Schedule, ScheduleKind};
pub use state::OptimizerState;

use crate::float::Float;
use crate::layer::{Bias, Dense};
use crate::matrix::Matrix;
use crate::network::Workspace;

/// Changes one layer's parameters given their gradients. The engine calls it once per
/// layer per step, in the order the update order prescribes.
pub trait Update<T: Float> {
    /// Called once at the start of every step (optimizers with a step count use it).
    fn begin_step(&mut self) {}

    /// Called in textbook order once every gradient of the step is in `ws` and before
    /// any update; gradient clipping by global norm measures them here. Not called in
    /// published order, where updates interleave with the backward pass.
    fn before_updates(&mut self, _ws: &Workspace<T>) {}

    /// Updates layer `index` from `grad_w` (the shape of its weights) and `grad_b`.
    fn update_layer(
        &mut self,
        index: usize,
        layer: &mut Dense<T>,
        grad_w: &Matrix<T>,
        grad_b: &Bias<T>,
    );
}

/// Plain gradient descent: p ← p − η · ∂E/∂p.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd<T> {
    /// The learning rate η.
    pub learning_rate: T,
}

impl<T: Float> Update<T> for Sgd<T> {
    fn update_layer(
        &mut self,
        _index: usize,
        layer: &mut Dense<T>,
        grad_w: &Matrix<T>,
        grad_b: &Bias<T>,
    ) {
        let lr = self.learning_rate;
        for (w, &g) in layer
            .weights
            .as_mut_slice()
            .iter_mut()
            .zip(grad_w.as_slice())
        {
            *w = *w - lr * g;
        }
        if layer.train_bias {
            for (b, &g) in layer.bias.as_mut_slice().iter_mut().zip(grad_b.as_slice()) {
                *b = *b - lr * g;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;

    #[test]
    fn sgd_moves_against_the_gradient_and_leaves_a_frozen_bias() {
        // Tutorial: w5⁺ = 0.40 − 0.5 × 0.082167041 = 0.358916480 (rounded gradient here).
        let mut layer: Dense<f64> = Dense {
            weights: Matrix::from_vec(1, 1, vec![0.40]).unwrap(),
            bias: Bias::Shared(0.60),
            activation: Activation::Sigmoid,
            train_bias: false,
        };
        let grad_w = Matrix::from_vec(1, 1, vec![0.082167041]).unwrap();
        Sgd { learning_rate: 0.5 }.update_layer(0, &mut layer, &grad_w, &Bias::Shared(1.0));
        assert!((layer.weights.get(0, 0) - 0.3589164795).abs() < 1e-15);
        assert_eq!(layer.bias, Bias::Shared(0.60));
        layer.train_bias = true;
        Sgd { learning_rate: 0.5 }.update_layer(0, &mut layer, &grad_w, &Bias::Shared(1.0));
        // b⁺ = 0.60 − 0.5 × 1.0.
        assert!((layer.bias.get(0) - 0.10).abs() < 1e-15);
    }
}
