//! The identity: x; derivative 1.

use super::{DerivativeFrom, Elementwise};
use crate::float::Float;
use crate::formula::Formula;

/// The identity.
pub(super) struct Identity;

impl Elementwise for Identity {
    const COSTLY: bool = false;
    const DERIVATIVE_FROM: DerivativeFrom = DerivativeFrom::Nothing;

    #[inline(always)]
    fn value<T: Float>(x: T) -> T {
        x
    }

    #[inline(always)]
    fn derivative<T: Float>(_: T) -> T {
        T::one()
    }

    /// x.
    fn formula<F: Formula>(x: F) -> F {
        x
    }

    /// The constant 1: the value says it.
    fn derivative_formula<F: Formula>(_: F) -> Option<F> {
        None
    }
}
