//! What the engine reports while it runs, and to whom.
//!
//! The engine pushes each value it computes to an [`Observer`]. Training passes `()`,
//! whose empty methods compile away; the explainer passes a recorder. Because both
//! watch the same computation, an explanation cannot disagree with training.

use crate::float::Float;
use crate::layer::{Bias, Dense};
use crate::matrix::Matrix;

/// How a layer's δ = ∂E/∂net was formed from ∂E/∂out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeltaRule {
    /// δ = ∂E/∂out ⊙ ∂out/∂net, the chain rule for an element-wise activation.
    Chain,
    /// δ = J_softmaxᵀ · ∂E/∂out, through the full softmax Jacobian.
    SoftmaxJacobian,
    /// δ = o − t (per sample, over B): softmax and cross-entropy taken together.
    SoftmaxCrossEntropy,
}

/// One layer's backward values.
///
/// # Shapes
/// `d_out`, `d_act` and `d_net` are `batch × neurons`; `grad_w` is `neurons × inputs`.
#[derive(Debug)]
pub struct Backward<'a, T> {
    /// ∂E/∂out for each sample and neuron.
    pub d_out: &'a Matrix<T>,
    /// ∂out/∂net, when the activation is element-wise.
    pub d_act: Option<&'a Matrix<T>>,
    /// δ = ∂E/∂net for each sample and neuron.
    pub d_net: &'a Matrix<T>,
    /// How `d_net` was formed.
    pub rule: DeltaRule,
    /// ∂E/∂W = δᵀ · input, summed over the batch.
    pub grad_w: &'a Matrix<T>,
    /// ∂E/∂b.
    pub grad_b: &'a Bias<T>,
}

/// Receives every value the engine computes. All methods default to doing nothing.
pub trait Observer<T: Float> {
    /// Layer `layer` (0 = nearest the input) computed `net` and `out` from `input`.
    #[inline]
    fn forward(&mut self, _layer: usize, _input: &Matrix<T>, _net: &Matrix<T>, _out: &Matrix<T>) {}

    /// The loss: each output's share `terms` (summing to `total`) against `target`.
    #[inline]
    fn loss(&mut self, _target: &Matrix<T>, _terms: &Matrix<T>, _total: T) {}

    /// Layer `layer` computed its backward values.
    #[inline]
    fn backward(&mut self, _layer: usize, _values: &Backward<'_, T>) {}

    /// Layer `layer` is about to be updated; these are its parameters before.
    #[inline]
    fn before_update(&mut self, _layer: usize, _params: &Dense<T>) {}

    /// Layer `layer` was updated; these are its parameters after.
    #[inline]
    fn after_update(&mut self, _layer: usize, _params: &Dense<T>) {}
}

/// The observer that watches nothing: training's.
impl<T: Float> Observer<T> for () {}
