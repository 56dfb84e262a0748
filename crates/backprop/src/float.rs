//! The scalar types the engine runs on: `f32` for speed, `f64` for exact explanations.

use std::fmt::{Debug, Display};
use std::iter::Sum;

/// A floating-point scalar the engine can compute with.
///
/// Implemented for `f32` and `f64`. Besides ordinary arithmetic it knows its own
/// matrix-multiply kernel, so the engine stays generic while each type calls the
/// kernel made for it.
pub trait Float:
    num_traits::Float + Debug + Display + Default + Sum + Send + Sync + 'static
{
    /// Converts from `f64`, rounding to the nearest value of this type.
    fn of(x: f64) -> Self;

    /// Widens to `f64` (exact for both implementations).
    fn widen(self) -> f64;

    /// General matrix multiply `C ← α·A·B + β·C` with arbitrary strides.
    ///
    /// # Safety
    /// `a`, `b` and `c` must point to matrices of `m×k`, `k×n` and `m×n` elements laid
    /// out with the given row and column strides, and `c` must not alias `a` or `b`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    );
}

impl Float for f64 {
    fn of(x: f64) -> Self {
        x
    }

    fn widen(self) -> f64 {
        self
    }

    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    ) {
        // SAFETY: forwarded unchanged; the caller upholds the contract above.
        unsafe {
            matrixmultiply::dgemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc)
        }
    }
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }

    fn widen(self) -> f64 {
        f64::from(self)
    }

    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    ) {
        // SAFETY: forwarded unchanged; the caller upholds the contract above.
        unsafe {
            matrixmultiply::sgemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc)
        }
    }
}
