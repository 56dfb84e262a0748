//! The rectifier: max(0, x); derivative 1 for x > 0, else 0 (0 at the kink).

use super::{DerivativeFrom, Elementwise};
use crate::float::Float;
use crate::formula::Formula;

/// ReLU.
pub(super) struct Relu;

impl Elementwise for Relu {
    const COSTLY: bool = false;
    const DERIVATIVE_FROM: DerivativeFrom = DerivativeFrom::Net;

    #[inline(always)]
    fn value<T: Float>(x: T) -> T {
        if x > T::zero() {
            x
        } else {
            T::zero()
        }
    }

    /// From net; at net = 0, where there is no derivative, 0 (as PyTorch).
    #[inline(always)]
    fn derivative<T: Float>(net: T) -> T {
        if net > T::zero() {
            T::one()
        } else {
            T::zero()
        }
    }

    /// max(0, x).
    fn formula<F: Formula>(x: F) -> F {
        F::call("max", F::comma(F::lit("0"), x))
    }

    /// Piecewise: the value, with the condition on net that picks it.
    fn derivative_formula<F: Formula>(_: F) -> Option<F> {
        None
    }
}
