//! Softmax over a layer's neurons, e^(x_j) / Σ_k e^(x_k): not element-wise, so its
//! backward step is a Jacobian-vector product, done here without forming the Jacobian.

use crate::float::Float;
use crate::formula::Formula;
use crate::matrix::Matrix;

/// One row of softmax, shifted by the row's maximum so that e^x cannot overflow.
pub(super) fn softmax_row<T: Float>(net: &[T], out: &mut [T]) {
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

/// e^(net) / Σ_k e^(net_k), printed, for a neuron's `net` among its layer's `every`.
pub(super) fn formula<F: Formula>(net: F, every: Vec<F>) -> F {
    F::frac(F::exp(net), F::sum(every.into_iter().map(F::exp).collect()))
}
