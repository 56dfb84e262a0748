//! The hyperbolic tangent: tanh′ = 1 − tanh².

use super::{DerivativeFrom, Elementwise};
use crate::float::Float;
use crate::formula::Formula;

/// tanh.
pub(super) struct Tanh;

impl Elementwise for Tanh {
    const COSTLY: bool = true;
    const DERIVATIVE_FROM: DerivativeFrom = DerivativeFrom::Out;

    /// As [`Float::tanh_activation`] computes it.
    #[inline(always)]
    fn value<T: Float>(x: T) -> T {
        x.tanh_activation()
    }

    /// tanh′ from out = tanh(net).
    #[inline(always)]
    fn derivative<T: Float>(out: T) -> T {
        T::one() - out * out
    }

    /// tanh(x).
    fn formula<F: Formula>(x: F) -> F {
        F::call("tanh", x)
    }

    /// 1 − out².
    fn derivative_formula<F: Formula>(out: F) -> Option<F> {
        Some(F::minus(F::lit("1"), F::square(out)))
    }
}
