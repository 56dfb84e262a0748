//! Plain loops for products too small for a blocked kernel: the tutorial's 2×2 layers,
//! Iris's 4-16-3 at batch 1. Each element of C is summed in order of the inner index,
//! starting from zero, whichever loop computes it; the loops differ only in which
//! sums run side by side, so that the compiler can put them in one vector register.

use super::Operand;
use crate::float::Float;
use crate::matrix::Matrix;

/// How many dot products [`rows_times_rows`] runs side by side.
const SIDE: usize = 4;

/// `c ← a · b`; shapes were checked by the caller.
pub(super) fn product<T: Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut Matrix<T>) {
    let ((m, k), (_, n)) = (a.shape(), b.shape());
    let (ad, bd) = (a.matrix.as_slice(), b.matrix.as_slice());
    let c = c.as_mut_slice();
    if m == 0 || n == 0 {
        return;
    }
    match (a.transposed, b.transposed) {
        (false, true) => rows_times_rows(ad, bd, c, k, n),
        // δ·W: row i of C is Σ_p a_ip · (row p of B), accumulated across the row.
        (false, false) => {
            for (c_row, a_row) in c.chunks_exact_mut(n).zip(ad.chunks_exact(k)) {
                let mut terms = a_row.iter().zip(bd.chunks_exact(n));
                if let Some((&x, b_row)) = terms.next() {
                    start(x, b_row, c_row);
                }
                for (&x, b_row) in terms {
                    axpy(x, b_row, c_row);
                }
            }
        }
        // δᵀ·X: for each sample p, C += (column p of Aᵀ) ⊗ (row p of B).
        (true, false) => {
            let mut samples = ad.chunks_exact(m).zip(bd.chunks_exact(n));
            if let Some((a_row, b_row)) = samples.next() {
                for (c_row, &x) in c.chunks_exact_mut(n).zip(a_row) {
                    start(x, b_row, c_row);
                }
            }
            for (a_row, b_row) in samples {
                for (c_row, &x) in c.chunks_exact_mut(n).zip(a_row) {
                    axpy(x, b_row, c_row);
                }
            }
        }
        // Both transposed (no step of the engine asks for it): general strides.
        (true, true) => {
            for (i, c_row) in c.chunks_exact_mut(n).enumerate() {
                for (j, cij) in c_row.iter_mut().enumerate() {
                    let mut sum = T::zero();
                    for p in 0..k {
                        sum = sum + ad[p * m + i] * bd[j * k + p];
                    }
                    *cij = sum;
                }
            }
        }
    }
}

/// `y ← 0 + x·b`, element by element: the first term of each sum.
#[inline(always)]
fn start<T: Float>(x: T, b: &[T], y: &mut [T]) {
    for (y, &b) in y.iter_mut().zip(b) {
        *y = T::zero() + x * b;
    }
}

/// `y ← y + x·b`, element by element.
#[inline(always)]
fn axpy<T: Float>(x: T, b: &[T], y: &mut [T]) {
    for (y, &b) in y.iter_mut().zip(b) {
        *y = *y + x * b;
    }
}

/// C = A·Bᵀ (net = X·Wᵀ): each element is the dot product of a row of A and a row of B
/// as stored; [`SIDE`] rows of B at a time, their sums kept side by side.
#[inline(always)]
fn rows_times_rows<T: Float>(ad: &[T], bd: &[T], c: &mut [T], k: usize, n: usize) {
    let grouped = n / SIDE * SIDE;
    let (b_grouped, b_rest) = bd.split_at(grouped * k);
    for (c_row, a_row) in c.chunks_exact_mut(n).zip(ad.chunks_exact(k)) {
        let (c_grouped, c_rest) = c_row.split_at_mut(grouped);
        for (c4, b4) in c_grouped
            .chunks_exact_mut(SIDE)
            .zip(b_grouped.chunks_exact(SIDE * k))
        {
            let (b0, b_) = b4.split_at(k);
            let (b1, b_) = b_.split_at(k);
            let (b2, b3) = b_.split_at(k);
            let mut s = [T::zero(); SIDE];
            for ((((&x, &y0), &y1), &y2), &y3) in a_row.iter().zip(b0).zip(b1).zip(b2).zip(b3) {
                s[0] = s[0] + x * y0;
                s[1] = s[1] + x * y1;
                s[2] = s[2] + x * y2;
                s[3] = s[3] + x * y3;
            }
            c4.copy_from_slice(&s);
        }
        for (cij, b_row) in c_rest.iter_mut().zip(b_rest.chunks_exact(k)) {
            let mut sum = T::zero();
            for (&x, &y) in a_row.iter().zip(b_row) {
                sum = sum + x * y;
            }
            *cij = sum;
        }
    }
}
