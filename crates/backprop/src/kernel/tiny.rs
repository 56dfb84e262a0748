//! Plain loops for products too small for a blocked kernel: the tutorial's 2×2 layers,
//! Iris's 4-16-3 at batch 1. Each element is one dot product summed in a register in
//! order of the inner index, from zero: at these sizes, adding into C in memory would
//! wait on each store.

use super::Operand;
use crate::float::Float;
use crate::matrix::Matrix;

/// `c ← a · b`; shapes were checked by the caller.
pub(super) fn product<T: Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut Matrix<T>) {
    let ((m, k), (_, n)) = (a.shape(), b.shape());
    let (ad, bd) = (a.matrix.as_slice(), b.matrix.as_slice());
    let c = c.as_mut_slice();
    if m == 0 || n == 0 {
        return;
    }
    match (a.transposed, b.transposed) {
        // net = X·Wᵀ: a row of A against a row of B as stored.
        (false, true) => {
            for (c_row, a_row) in c.chunks_exact_mut(n).zip(ad.chunks_exact(k)) {
                for (cij, b_row) in c_row.iter_mut().zip(bd.chunks_exact(k)) {
                    let mut sum = T::zero();
                    for (&x, &y) in a_row.iter().zip(b_row) {
                        sum = sum + x * y;
                    }
                    *cij = sum;
                }
            }
        }
        // One sample (δᵀ·X of a batch of 1): the outer product, 0 + a·b per element.
        (true, false) if k == 1 => {
            for (c_row, &ai) in c.chunks_exact_mut(n).zip(ad) {
                for (cij, &bj) in c_row.iter_mut().zip(bd) {
                    *cij = T::zero() + ai * bj;
                }
            }
        }
        // General strides.
        _ => {
            let (ars, acs) = if a.transposed { (1, m) } else { (k, 1) };
            let (brs, bcs) = if b.transposed { (1, k) } else { (n, 1) };
            for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
                for (j, cij) in c_row.iter_mut().enumerate() {
                    let mut sum = T::zero();
                    for p in 0..k {
                        sum = sum + ad[i * ars + p * acs] * bd[p * brs + j * bcs];
                    }
                    *cij = sum;
                }
            }
        }
    }
}
