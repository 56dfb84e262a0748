//! The identity: x; derivative 1.

use super::{DerivativeFrom, Elementwise};
use crate::float::Float;

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
}
