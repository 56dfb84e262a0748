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
    // Element (i, p) of A is ad[i·ars + p·acs]; element (p, j) of B is bd[p·brs + j·bcs].
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
