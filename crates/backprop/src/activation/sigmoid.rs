//! The logistic sigmoid: σ(x) = 1 / (1 + e^(−x)), σ′ = σ(1 − σ).

use super::{DerivativeFrom, Elementwise};
use crate::float::Float;
use crate::formula::Formula;

/// σ.
pub(super) struct Sigmoid;

impl Elementwise for Sigmoid {
    const COSTLY: bool = true;
    const DERIVATIVE_FROM: DerivativeFrom = DerivativeFrom::Out;

    #[inline(always)]
    fn value<T: Float>(x: T) -> T {
        T::one() / (T::one() + (-x).exp_activation())
    }

    /// σ′ from out = σ(net).
    #[inline(always)]
    fn derivative<T: Float>(out: T) -> T {
        out * (T::one() - out)
    }

    /// 1 / (1 + e^(−x)).
    fn formula<F: Formula>(x: F) -> F {
        F::frac(F::lit("1"), F::plus(F::lit("1"), F::exp(F::neg(x))))
    }

    /// out·(1 − out).
    fn derivative_formula<F: Formula>(out: F) -> Option<F> {
        Some(F::times(out.clone(), F::paren(F::minus(F::lit("1"), out))))
    }
}
