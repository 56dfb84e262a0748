//! The scalar types the engine runs on: `f32` for speed, `f64` for exact explanations.

use std::fmt::{Debug, Display};
use std::iter::Sum;

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
}

impl Float for f64 {
    fn of(x: f64) -> Self {
        x
    }

    fn widen(self) -> f64 {
        self
    }
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }

    fn widen(self) -> f64 {
        f64::from(self)
    }
}
