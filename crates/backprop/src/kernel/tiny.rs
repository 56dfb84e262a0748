//! Plain loops for products too small for a blocked kernel: the tutorial's 2×2 layers,
//! Iris's 4-16-3 at batch 1. The loops are chosen so that the compiler can put several
//! running sums in one vector register: across a row of C where B is read along its
//! rows, across the inner index (see [`dot`]) where both operands are.

use super::Operand;
use crate::float::Float;
use crate::matrix::Matrix;

/// The running sums of a [`dot`] product.
const LANES: usize = 4;

/// `c ← a · b`; shapes were checked by the caller.
pub(super) fn product<T: Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut Matrix<T>) {
    let ((m, k), (_, n)) = (a.shape(), b.shape());
    let (ad, bd) = (a.matrix.as_slice(), b.matrix.as_slice());
    let c = c.as_mut_slice();
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // Empty sums; the loops below start each sum from its first term.
        c.fill(T::zero());
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
/// as stored.
#[inline(always)]
fn rows_times_rows<T: Float>(ad: &[T], bd: &[T], c: &mut [T], k: usize, n: usize) {
    for (c_row, a_row) in c.chunks_exact_mut(n).zip(ad.chunks_exact(k)) {
        for (cij, b_row) in c_row.iter_mut().zip(bd.chunks_exact(k)) {
            *cij = dot(a_row, b_row);
        }
    }
}

/// Σ a_p·b_p in [`LANES`] running sums, lane p mod [`LANES`] taking term p, added
/// pairwise at the end; the terms past the last whole group of [`LANES`] are added
/// after that, in order. Four sums break the chain of additions that one sum would
/// wait on, and they fit one vector register. With fewer than [`LANES`] terms (the
/// tutorial's two inputs) this is the plain sum in order.
#[inline(always)]
fn dot<T: Float>(a: &[T], b: &[T]) -> T {
    let (a4, b4) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (a_rest, b_rest) = (a4.remainder(), b4.remainder());
    let mut s = [T::zero(); LANES];
    for (x, y) in a4.zip(b4) {
        for l in 0..LANES {
            s[l] = s[l] + x[l] * y[l];
        }
    }
    let mut sum = (s[0] + s[1]) + (s[2] + s[3]);
    for (&x, &y) in a_rest.iter().zip(b_rest) {
        sum = sum + x * y;
    }
    sum
}
