//! Activation functions, each with its derivative beside it.

use serde::{Deserialize, Serialize};

use crate::float::Float;
use crate::kernel::widest;
use crate::layer::Bias;
use crate::matrix::Matrix;

/// Slope of `leaky_relu` for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

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
        let slope = T::of(LEAKY_SLOPE);
        let zero = T::zero();
        let apply = |out: &mut Matrix<T>, f: &dyn Fn(T) -> T| map(net.as_slice(), out, f);
        match self {
            Activation::Sigmoid => apply(out, &sigmoid),
            Activation::Tanh => apply(out, &|x| x.tanh_activation()),
            Activation::Relu => apply(out, &|x| if x > zero { x } else { zero }),
            Activation::LeakyRelu => apply(out, &|x| if x > zero { x } else { slope * x }),
            Activation::Identity => out.copy_from(net),
            Activation::Softmax => {
                for i in 0..net.rows() {
                    softmax_row(net.row(i), out.row_mut(i));
                }
            }
        }
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
        let slope = T::of(LEAKY_SLOPE);
        let zero = T::zero();
        match self {
            // e^x and tanh are long enough per element to vectorize even a few.
            Activation::Sigmoid => widest(
                #[inline(always)]
                || biased(bias, net, out, sigmoid),
            ),
            Activation::Tanh => widest(
                #[inline(always)]
                || biased(bias, net, out, tanh),
            ),
            Activation::Relu => biased(bias, net, out, |x| if x > zero { x } else { zero }),
            Activation::LeakyRelu => {
                biased(bias, net, out, |x| if x > zero { x } else { slope * x })
            }
            Activation::Identity => biased(bias, net, out, |x| x),
            Activation::Softmax => widest(
                #[inline(always)]
                || {
                    biased(bias, net, out, |x| x);
                    for i in 0..net.rows() {
                        softmax_row(net.row(i), out.row_mut(i));
                    }
                },
            ),
        }
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
        let slope = T::of(LEAKY_SLOPE);
        let (zero, one) = (T::zero(), T::one());
        match self {
            Activation::Sigmoid => map(out.as_slice(), d_act, |o| o * (one - o)),
            Activation::Tanh => map(out.as_slice(), d_act, |o| one - o * o),
            Activation::Relu => map(net.as_slice(), d_act, |x| if x > zero { one } else { zero }),
            Activation::LeakyRelu => map(
                net.as_slice(),
                d_act,
                |x| if x > zero { one } else { slope },
            ),
            Activation::Identity => d_act.as_mut_slice().fill(one),
            Activation::Softmax => return false,
        }
        true
    }
}

/// tanh x, as [`Float::tanh_activation`] computes it.
#[inline(always)]
fn tanh<T: Float>(x: T) -> T {
    x.tanh_activation()
}

/// σ(x) = 1 / (1 + e^(−x)).
#[inline(always)]
fn sigmoid<T: Float>(x: T) -> T {
    T::one() / (T::one() + (-x).exp_activation())
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

/// One row of softmax, shifted by the row's maximum so that e^x cannot overflow.
fn softmax_row<T: Float>(net: &[T], out: &mut [T]) {
    let max = net.iter().copied().fold(T::neg_infinity(), T::max);
    let mut sum = T::zero();
    for (o, &n) in out.iter_mut().zip(net) {
        *o = (n - max).exp_activation();
        sum = sum + *o;
    }
    for o in out.iter_mut() {
        *o = *o / sum;
    }
}

/// `d_net ← J_softmaxᵀ · d_out` for each sample, without forming the Jacobian.
///
/// ∂out_j/∂net_i = out_j (1[i = j] − out_i), hence
/// ∂E/∂net_i = out_i (∂E/∂out_i − Σ_j out_j ∂E/∂out_j).
pub fn softmax_backward<T: Float>(out: &Matrix<T>, d_out: &Matrix<T>, d_net: &mut Matrix<T>) {
    for s in 0..out.rows() {
        let (o, g) = (out.row(s), d_out.row(s));
        let dot: T = o.iter().zip(g).map(|(&o, &g)| o * g).sum();
        for ((d, &o), &g) in d_net.row_mut(s).iter_mut().zip(o).zip(g) {
            *d = o * (g - dot);
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
