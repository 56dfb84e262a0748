//! The leaky rectifier: x for x > 0, else 0.01·x; derivative 1 or 0.01.

use super::{DerivativeFrom, Elementwise, LEAKY_SLOPE};
use crate::float::Float;
use crate::formula::Formula;

/// Leaky ReLU.
pub(super) struct LeakyRelu;

impl Elementwise for LeakyRelu {
    const COSTLY: bool = false;
    const DERIVATIVE_FROM: DerivativeFrom = DerivativeFrom::Net;

    #[inline(always)]
    fn value<T: Float>(x: T) -> T {
        if x > T::zero() {
            x
        } else {
            T::of(LEAKY_SLOPE) * x
        }
    }

    /// From net; at net = 0, the slope (as PyTorch).
    #[inline(always)]
    fn derivative<T: Float>(net: T) -> T {
        if net > T::zero() {
            T::one()
        } else {
            T::of(LEAKY_SLOPE)
        }
    }

    /// max(0.01·x, x).
    fn formula<F: Formula>(x: F) -> F {
        F::call("max", F::comma(F::times(F::lit("0.01"), x.clone()), x))
    }

    /// Piecewise: the value, with the condition on net that picks it.
    fn derivative_formula<F: Formula>(_: F) -> Option<F> {
        None
    }
}
