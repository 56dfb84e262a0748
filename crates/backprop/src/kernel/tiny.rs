//! Plain loops for products too small for a blocked kernel: the tutorial's 2×2 layers,
//! Iris's 4-16-3 at batch 1. Each element is summed in order of the inner index.

use super::Operand;
use crate::float::Float;
use crate::matrix::Matrix;

/// `c ← a · b`; shapes were checked by the caller.
pub(super) fn product<T: Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut Matrix<T>) {
    let ((m, k), (_, n)) = (a.shape(), b.shape());
    let (ad, bd) = (a.matrix.as_slice(), b.matrix.as_slice());
    // Element (i, p) of A as read is ad[i·ars + p·acs].
    let (ars, acs) = if a.transposed { (1, m) } else { (k, 1) };
    let c = c.as_mut_slice();
    if b.transposed {
        // Column j of B is row j as stored: one dot product per element.
        for i in 0..m {
            for (j, cij) in c[i * n..(i + 1) * n].iter_mut().enumerate() {
                let column = &bd[j * k..(j + 1) * k];
                let mut sum = T::zero();
                for (p, &bpj) in column.iter().enumerate() {
                    sum = sum + ad[i * ars + p * acs] * bpj;
                }
                *cij = sum;
            }
        }
    } else {
        // Row p of B is contiguous: add a_ip times it to row i of C, p in order.
        for i in 0..m {
            let row = &mut c[i * n..(i + 1) * n];
            row.fill(T::zero());
            for p in 0..k {
                let aip = ad[i * ars + p * acs];
                for (cij, &bpj) in row.iter_mut().zip(&bd[p * n..(p + 1) * n]) {
                    *cij = *cij + aip * bpj;
                }
            }
        }
    }
}
