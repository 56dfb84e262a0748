//! Activation functions: one file each, with its value and its derivative side by side
//! (`sigmoid.rs`, `tanh.rs`, …), registered here in [`Activation`] and in
//! `elementwise!`, which every method dispatches through.

mod identity;
mod leaky_relu;
mod relu;
mod sigmoid;
mod softmax;
mod tanh;

use serde::{Deserialize, Serialize};

use crate::float::Float;
use crate::formula::Formula;
use crate::kernel::widest;

use crate::layer::Bias;
use crate::matrix::Matrix;
pub use softmax::softmax_backward;
use softmax::softmax_row;

/// Slope of `leaky_relu` for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

/// What an element-wise activation's derivative is computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DerivativeFrom {
    /// From out = f(net) (sigmoid, tanh).
    Out,
    /// From net (the piecewise ReLUs).
    Net,
    /// A constant (the identity).
    Nothing,
}

/// An element-wise activation: its value and derivative, one neuron at a time.
trait Elementwise {
    /// Long enough per element (e^x, tanh) that even a few elements are worth
    /// compiling for the widest vector instructions.
    const COSTLY: bool;
    /// What [`derivative`](Self::derivative) takes.
    const DERIVATIVE_FROM: DerivativeFrom;
    /// f(x).
    fn value<T: Float>(x: T) -> T;
    /// f′, from out or net as [`DERIVATIVE_FROM`](Self::DERIVATIVE_FROM) says.
    fn derivative<T: Float>(v: T) -> T;
    /// f(x), printed.
    fn formula<F: Formula>(x: F) -> F;
    /// f′ in terms of out, printed, when it is one formula; `None` when it is piecewise
    /// or constant and its value says it all.
    fn derivative_formula<F: Formula>(out: F) -> Option<F>;
}

/// Runs `$elementwise` with `$f` the type of an element-wise activation, or
/// `$softmax`: the one place that maps each [`Activation`] to its file.
macro_rules! elementwise {
    ($a:expr, $f:ident => $elementwise:expr, softmax => $softmax:expr) => {
        match $a {
            Activation::Sigmoid => {
                type $f = sigmoid::Sigmoid;
                $elementwise
            }
            Activation::Tanh => {
                type $f = tanh::Tanh;
                $elementwise
            }
            Activation::Relu => {
                type $f = relu::Relu;
                $elementwise
            }
            Activation::LeakyRelu => {
                type $f = leaky_relu::LeakyRelu;
                $elementwise
            }
            Activation::Identity => {
                type $f = identity::Identity;
                $elementwise
            }
            Activation::Softmax => $softmax,
        }
    };
}

/// The function a layer applies to each neuron's `net` to get its `out`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// σ(x) = 1 / (1 + e^(−x)); σ′ = σ(1 − σ).
    Sigmoid,
    /// tanh(x); tanh′ = 1 − tanh².
    Tanh,
    /// max(0, x); derivative 1 for x > 0, else 0 (0 at 0).
    Relu,
    /// x for x > 0, else 0.01·x; derivative 1 or 0.01.
    LeakyRelu,
    /// x; derivative 1.
    Identity,
    /// e^(x_j) / Σ_k e^(x_k) over a layer's neurons; output layer only.
    Softmax,
}

impl Activation {
    /// Every activation, in the order the documentation lists them.
    pub const ALL: [Activation; 6] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu,
        Activation::Identity,
        Activation::Softmax,
    ];

    /// The name used in spec files.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Identity => "identity",
            Activation::Softmax => "softmax",
        }
    }

    /// Whether `out_j` depends on `net_j` alone, so that ∂out/∂net is a diagonal.
    pub fn is_elementwise(self) -> bool {
        self != Activation::Softmax
    }

    /// `out ← f(net)`, row by row.
    ///
    /// # Shapes
    /// `net` and `out` are both `batch × neurons`.
    pub fn forward<T: Float>(self, net: &Matrix<T>, out: &mut Matrix<T>) {
        elementwise!(self, F => map(net.as_slice(), out, F::value), softmax => {
            for i in 0..net.rows() {
                softmax_row(net.row(i), out.row_mut(i));
            }
        })
    }

    /// `net ← net + b`, then `out ← f(net)`, in one pass over each row: the last step
    /// of a layer's forward pass, after `net = input · Wᵀ`.
    ///
    /// # Shapes
    /// `net` and `out` are both `batch × neurons`; `bias` is shared or per neuron.
    pub fn forward_with_bias<T: Float>(
        self,
        bias: &Bias<T>,
        net: &mut Matrix<T>,
        out: &mut Matrix<T>,
    ) {
        elementwise!(self, F => {
            if F::COSTLY {
                widest(
                    #[inline(always)]
                    || biased(bias, net, out, F::value),
                )
            } else {
                biased(bias, net, out, F::value)
            }
        }, softmax => widest(
            #[inline(always)]
            || {
                biased(bias, net, out, |x| x);
                for i in 0..net.rows() {
                    softmax_row(net.row(i), out.row_mut(i));
                }
            },
        ))
    }

    /// `d_act ← ∂out/∂net` element by element, for the element-wise activations.
    ///
    /// Returns `false` (leaving `d_act` untouched) for softmax, whose derivative is a
    /// full Jacobian per sample; see [`softmax_backward`].
    pub fn derivative<T: Float>(
        self,
        net: &Matrix<T>,
        out: &Matrix<T>,
        d_act: &mut Matrix<T>,
    ) -> bool {
        elementwise!(self, F => {
            let from = match F::DERIVATIVE_FROM {
                DerivativeFrom::Out => out,
                DerivativeFrom::Net | DerivativeFrom::Nothing => net,
            };
            map(from.as_slice(), d_act, F::derivative);
            true
        }, softmax => false)
    }

    /// What ∂out/∂net is computed from; `None` for softmax, whose derivative is a
    /// Jacobian (see [`softmax_backward`]).
    pub fn derivative_from(self) -> Option<DerivativeFrom> {
        elementwise!(self, F => Some(F::DERIVATIVE_FROM), softmax => None)
    }

    /// out = f(net), printed: `net` is this neuron's, and `layer_nets` gives every
    /// neuron's of the layer, which softmax sums over (the others do not call it).
    pub fn formula<E: Formula>(self, net: E, layer_nets: impl FnOnce() -> Vec<E>) -> E {
        elementwise!(self, F => F::formula(net), softmax => softmax::formula(net, layer_nets()))
    }

    /// ∂out/∂net in terms of `out`, printed, for sigmoid and tanh; `None` for the
    /// activations whose derivative is piecewise, constant or a Jacobian.
    pub fn derivative_formula<E: Formula>(self, out: E) -> Option<E> {
        elementwise!(self, F => F::derivative_formula(out), softmax => None)
    }
}

/// `out ← f(x)` element by element.
#[inline(always)]
fn map<T: Float>(x: &[T], out: &mut Matrix<T>, f: impl Fn(T) -> T) {
    for (o, &x) in out.as_mut_slice().iter_mut().zip(x) {
        *o = f(x);
    }
}

/// `net ← net + b; out ← f(net)` element by element.
#[inline(always)]
fn biased<T: Float>(bias: &Bias<T>, net: &mut Matrix<T>, out: &mut Matrix<T>, f: impl Fn(T) -> T) {
    let cols = net.cols().max(1);
    let rows = net
        .as_mut_slice()
        .chunks_exact_mut(cols)
        .zip(out.as_mut_slice().chunks_exact_mut(cols));
    match bias {
        Bias::Shared(b) => {
            for (net, out) in rows {
                for (n, o) in net.iter_mut().zip(out) {
                    *n = *n + *b;
                    *o = f(*n);
                }
            }
        }
        Bias::PerNeuron(b) => {
            for (net, out) in rows {
                for ((n, o), &b) in net.iter_mut().zip(out).zip(b) {
                    *n = *n + b;
                    *o = f(*n);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(x: f64) -> Matrix<f64> {
        Matrix::from_vec(1, 1, vec![x]).unwrap()
    }

    #[test]
    fn sigmoid_of_the_tutorials_net_h1() {
        // Tutorial: net_h1 = 0.3775 gives out_h1 = 0.593269992.
        let mut out = one(0.0);
        Activation::Sigmoid.forward(&one(0.3775), &mut out);
        assert!((out.get(0, 0) - 0.593269992).abs() < 5e-10);
    }

    #[test]
    fn relu_derivative_is_zero_at_zero_and_leaky_slope_is_one_percent() {
        let mut d = one(9.0);
        Activation::Relu.derivative(&one(0.0), &one(0.0), &mut d);
        assert_eq!(d.get(0, 0), 0.0);
        Activation::LeakyRelu.derivative(&one(-2.0), &one(-0.02), &mut d);
        assert_eq!(d.get(0, 0), 0.01);
    }

    #[test]
    fn softmax_rows_sum_to_one_even_for_huge_inputs() {
        let net = Matrix::from_rows(&[vec![1000.0, 1001.0, 999.0]]).unwrap();
        let mut out = Matrix::zeros(1, 3);
        Activation::Softmax.forward(&net, &mut out);
        let sum: f64 = out.row(0).iter().sum();
        assert!((sum - 1.0).abs() < 1e-15);
        // e^1 / (e^0 + e^1 + e^−1), by hand.
        let e = std::f64::consts::E;
        assert!((out.get(0, 1) - e / (1.0 + e + 1.0 / e)).abs() < 1e-15);
    }

    #[test]
    fn softmax_backward_equals_the_explicit_jacobian() {
        let out = Matrix::from_rows(&[vec![0.2, 0.3, 0.5]]).unwrap();
        let g = [0.7, -1.1, 0.4];
        let d_out = Matrix::from_rows(&[g.to_vec()]).unwrap();
        let mut d_net = Matrix::zeros(1, 3);
        softmax_backward(&out, &d_out, &mut d_net);
        let o = out.row(0);
        for i in 0..3 {
            // Σ_j ∂out_j/∂net_i · g_j with the Jacobian written out.
            let expected: f64 = (0..3)
                .map(|j| o[j] * (if i == j { 1.0 } else { 0.0 } - o[i]) * g[j])
                .sum();
            assert!((d_net.get(0, i) - expected).abs() < 1e-15);
        }
    }
}
