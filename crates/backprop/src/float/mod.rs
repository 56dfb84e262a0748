//! The scalar types the engine runs on: `f32` for speed, `f64` for exact explanations.

use std::fmt::{Debug, Display};
use std::iter::Sum;

mod fast_f32;

use crate::kernel::Gemm;

/// A floating-point scalar the engine can compute with.
///
/// Implemented for `f32` and `f64`. Besides ordinary arithmetic it knows its own
/// matrix-multiply kernel ([`Gemm`]), so the engine stays generic while each type calls
/// the kernel made for it.
pub trait Float:
    num_traits::Float + Debug + Display + Default + Sum + Send + Sync + 'static + Gemm
{
    /// Converts from `f64`, rounding to the nearest value of this type.
    fn of(x: f64) -> Self;

    /// Widens to `f64` (exact for both implementations).
    fn widen(self) -> f64;

    /// tanh as the `tanh` activation computes it: the C library's in `f64`, so that
    /// explanations match other tools to the last digit; in `f32` one within 2 ulp of the
    /// exact value that vectorizes (see `fast_f32`).
    fn tanh_activation(self) -> Self;

    /// e^x as the sigmoid and softmax activations compute it: the C library's in
    /// `f64`; in `f32` one within 1.1 ulp that vectorizes (see `fast_f32`).
    fn exp_activation(self) -> Self;
}

impl Float for f64 {
    fn of(x: f64) -> Self {
        x
    }

    fn widen(self) -> f64 {
        self
    }

    #[inline(always)]
    fn tanh_activation(self) -> Self {
        self.tanh()
    }

    #[inline(always)]
    fn exp_activation(self) -> Self {
        self.exp()
    }
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }

    fn widen(self) -> f64 {
        f64::from(self)
    }

    #[inline(always)]
    fn tanh_activation(self) -> Self {
        fast_f32::tanh(self)
    }

    #[inline(always)]
    fn exp_activation(self) -> Self {
        fast_f32::exp(self)
    }
}
