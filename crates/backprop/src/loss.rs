//! Loss functions, each averaged over the samples of a batch, with ∂E/∂out beside each.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::float::Float;
use crate::matrix::Matrix;

/// How far the outputs `o` are from the targets `t`, for a batch of `B` samples with
/// `K` outputs each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// The tutorial's E = (1/B) Σ_s Σ_k ½ (t − o)².
    HalfSse,
    /// E = (1/(B·K)) Σ_s Σ_k (t − o)².
    Mse,
    /// E = (1/B) Σ_s −Σ_k t·ln o; with softmax, δ = o − t.
    CrossEntropy,
    /// E = (1/B) Σ_s (1/K) Σ_k −[t·ln o + (1 − t)·ln(1 − o)].
    BinaryCrossEntropy,
}

impl Loss {
    /// Every loss.
    pub const ALL: [Loss; 4] = [
        Loss::HalfSse,
        Loss::Mse,
        Loss::CrossEntropy,
        Loss::BinaryCrossEntropy,
    ];

    /// The name used in spec files.
    pub fn name(self) -> &'static str {
        match self {
            Loss::HalfSse => "half_sse",
            Loss::Mse => "mse",
            Loss::CrossEntropy => "cross_entropy",
            Loss::BinaryCrossEntropy => "binary_cross_entropy",
        }
    }

    /// Whether `activation` on the output layer gives values this loss is defined for.
    /// The log-losses need outputs in (0, 1).
    pub fn accepts_output(self, activation: Activation) -> bool {
        match self {
            Loss::HalfSse | Loss::Mse => true,
            Loss::CrossEntropy | Loss::BinaryCrossEntropy => {
                matches!(activation, Activation::Sigmoid | Activation::Softmax)
            }
        }
    }

    /// Whether this loss and `activation` together have the short gradient δ = o − t,
    /// which the engine then uses instead of going through ∂E/∂out.
    pub fn fuses_with(self, activation: Activation) -> bool {
        self == Loss::CrossEntropy && activation == Activation::Softmax
    }

    /// Fills `terms` with each output's share of the loss (they sum to E) and returns E.
    ///
    /// # Shapes
    /// `out`, `target` and `terms` are `batch × outputs`.
    pub fn value<T: Float>(self, out: &Matrix<T>, target: &Matrix<T>, terms: &mut Matrix<T>) -> T {
        let scale = self.scale::<T>(out);
        let half = T::of(0.5);
        // An output that rounds to exactly 0 (or 1) would give ln 0 = −∞; it is read as
        // the smallest positive number instead, which changes no other value.
        let tiny = T::min_positive_value();
        let term = |o: T, t: T| -> T {
            match self {
                Loss::HalfSse => half * (t - o) * (t - o),
                Loss::Mse => (t - o) * (t - o),
                // 0·ln 0 is taken as 0, so a zero target never yields NaN.
                Loss::CrossEntropy => xlogy(t, o.max(tiny)).neg(),
                Loss::BinaryCrossEntropy => {
                    (xlogy(t, o.max(tiny)) + xlogy(T::one() - t, (T::one() - o).max(tiny))).neg()
                }
            }
        };
        let mut sum = T::zero();
        for ((e, &o), &t) in terms
            .as_mut_slice()
            .iter_mut()
            .zip(out.as_slice())
            .zip(target.as_slice())
        {
            *e = scale * term(o, t);
            sum = sum + *e;
        }
        sum
    }

    /// `d_out ← ∂E/∂out`.
    pub fn gradient<T: Float>(self, out: &Matrix<T>, target: &Matrix<T>, d_out: &mut Matrix<T>) {
        let scale = self.scale::<T>(out);
        let two = T::of(2.0);
        // The same guard as in `value`: no division by an output that rounded to 0 or 1.
        let tiny = T::min_positive_value();
        let grad = |o: T, t: T| -> T {
            match self {
                Loss::HalfSse => o - t,
                Loss::Mse => two * (o - t),
                Loss::CrossEntropy => (t / o.max(tiny)).neg(),
                Loss::BinaryCrossEntropy => (o - t) / (o * (T::one() - o)).max(tiny),
            }
        };
        for ((d, &o), &t) in d_out
            .as_mut_slice()
            .iter_mut()
            .zip(out.as_slice())
            .zip(target.as_slice())
        {
            *d = scale * grad(o, t);
        }
    }

    /// `d_net ← ∂E/∂net` for softmax with cross-entropy, skipping the Jacobian:
    /// δ_j = (o_j Σ_k t_k − t_j) / B, which is (o − t)/B when each target sums to 1.
    pub fn fused_softmax_delta<T: Float>(
        out: &Matrix<T>,
        target: &Matrix<T>,
        d_net: &mut Matrix<T>,
    ) {
        let scale = T::one() / T::of(out.rows() as f64);
        for s in 0..out.rows() {
            let t_sum: T = target.row(s).iter().copied().sum();
            for ((d, &o), &t) in d_net
                .row_mut(s)
                .iter_mut()
                .zip(out.row(s))
                .zip(target.row(s))
            {
                *d = scale * (o * t_sum - t);
            }
        }
    }

    /// How many values the loss of a batch averages over: the `samples`, and for mse
    /// and binary cross-entropy each sample's `outputs` too.
    pub fn averaged_over(self, samples: usize, outputs: usize) -> usize {
        match self {
            Loss::HalfSse | Loss::CrossEntropy => samples,
            Loss::Mse | Loss::BinaryCrossEntropy => samples * outputs,
        }
    }

    /// The averaging factor of `out`'s batch: 1 / [`averaged_over`](Self::averaged_over).
    fn scale<T: Float>(self, out: &Matrix<T>) -> T {
        T::one() / T::of(self.averaged_over(out.rows(), out.cols()) as f64)
    }
}

/// x·ln y, defined as 0 when x = 0.
fn xlogy<T: Float>(x: T, y: T) -> T {
    if x == T::zero() {
        T::zero()
    } else {
        x * y.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(rows: &[Vec<f64>]) -> Matrix<f64> {
        Matrix::from_rows(rows).unwrap()
    }

    #[test]
    fn half_sse_of_the_tutorials_first_forward_pass() {
        // Tutorial: out = (0.751365070, 0.772928465), t = (0.01, 0.99):
        // E_o1 = 0.274811083, E_o2 = 0.023560026, E_total = 0.298371109.
        let out = m(&[vec![0.75136507, 0.772928465]]);
        let t = m(&[vec![0.01, 0.99]]);
        let mut terms = Matrix::zeros(1, 2);
        let e = Loss::HalfSse.value(&out, &t, &mut terms);
        assert!((terms.get(0, 0) - 0.274811083).abs() < 1e-9);
        assert!((terms.get(0, 1) - 0.023560026).abs() < 1e-9);
        assert!((e - 0.298371109).abs() < 1e-9);
    }

    #[test]
    fn mse_and_bce_average_over_outputs_and_samples() {
        // Hand derivation: o − t = (0.5, −0.5, 1, 0) over B = 2, K = 2:
        // mse = (0.25 + 0.25 + 1 + 0) / 4 = 0.375.
        let out = m(&[vec![0.5, 0.5], vec![1.0, 0.0]]);
        let t = m(&[vec![0.0, 1.0], vec![0.0, 0.0]]);
        let mut terms = Matrix::zeros(2, 2);
        assert_eq!(Loss::Mse.value(&out, &t, &mut terms), 0.375);
        // BCE of o = 0.5 against t ∈ {0, 1} is ln 2 per output, whatever the batch.
        let out = m(&[vec![0.5, 0.5], vec![0.5, 0.5]]);
        let bce = Loss::BinaryCrossEntropy.value(&out, &t, &mut terms);
        assert!((bce - std::f64::consts::LN_2).abs() < 1e-15);
    }

    #[test]
    fn cross_entropy_ignores_zero_targets_and_its_softmax_delta_is_o_minus_t() {
        // −ln 0.7 for a one-hot target on the first class; 0·ln 0 counts as 0.
        let out = m(&[vec![0.7, 0.3, 0.0]]);
        let t = m(&[vec![1.0, 0.0, 0.0]]);
        let mut terms = Matrix::zeros(1, 3);
        let e = Loss::CrossEntropy.value(&out, &t, &mut terms);
        assert!((e + 0.7f64.ln()).abs() < 1e-15);
        let mut d = Matrix::zeros(1, 3);
        Loss::fused_softmax_delta(&out, &t, &mut d);
        assert_eq!(d.row(0), &[0.7 - 1.0, 0.3, 0.0]);
    }

    #[test]
    fn an_output_that_rounded_to_zero_gives_a_large_finite_loss() {
        // f32 softmax can return exactly 0; −ln(f32::MIN_POSITIVE) ≈ 87.34.
        let out = Matrix::<f32>::from_rows(&[vec![1.0, 0.0]]).unwrap();
        let t = Matrix::from_rows(&[vec![0.0, 1.0]]).unwrap();
        let mut terms = Matrix::zeros(1, 2);
        let e = Loss::CrossEntropy.value(&out, &t, &mut terms);
        assert!(e.is_finite() && (e - 87.336_54).abs() < 1e-3, "{e}");
        let mut d = Matrix::zeros(1, 2);
        Loss::BinaryCrossEntropy.gradient(&out, &t, &mut d);
        assert!(d.as_slice().iter().all(|g| g.is_finite()));
    }

    #[test]
    fn gradient_of_half_sse_is_out_minus_target() {
        // Tutorial: ∂E_total/∂out_o1 = 0.751365070 − 0.01 = 0.741365070.
        let out = m(&[vec![0.75136507, 0.772928465]]);
        let t = m(&[vec![0.01, 0.99]]);
        let mut d = Matrix::zeros(1, 2);
        Loss::HalfSse.gradient(&out, &t, &mut d);
        assert!((d.get(0, 0) - 0.74136507).abs() < 1e-15);
        assert!((d.get(0, 1) + 0.217071535).abs() < 1e-15);
    }
}
