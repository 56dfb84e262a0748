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

    /// tanh as the `tanh` activation computes it: the C library's in `f64`, so that
    /// explanations match other tools to the last digit; in `f32` a faster one, within
    /// 2 ulp of the exact value.
    fn tanh_activation(self) -> Self;
}

impl Float for f64 {
    fn of(x: f64) -> Self {
        x
    }

    fn widen(self) -> f64 {
        self
    }

    fn tanh_activation(self) -> Self {
        self.tanh()
    }
}

impl Float for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }

    fn widen(self) -> f64 {
        f64::from(self)
    }

    fn tanh_activation(self) -> Self {
        tanh_f32(self)
    }
}

/// tanh in `f32` from one `expf`, where the C library's `tanhf` calls `expm1f` and more.
///
/// For |x| < 0.625, tanh x = x + x³·p(x²) with p a least-squares fit of degree 4
/// (within 0.9 ulp); above, tanh |x| = 1 − 2/(e^(2|x|) + 1), whose subtraction loses
/// little because 2/(e^(2|x|) + 1) < 0.45 there (within 1.6 ulp). e^(2|x|) = ∞ gives 1.
#[inline]
fn tanh_f32(x: f32) -> f32 {
    let a = x.abs();
    if a < 0.625 {
        let u = x * x;
        let p = -0.005_691_985_6_f32;
        let p = p * u + 0.020_626_292;
        let p = p * u - 0.053_735_32;
        let p = p * u + 0.133_313_82;
        let p = p * u - 0.333_332_8;
        x + x * u * p
    } else {
        let e = (2.0 * a).exp();
        (1.0 - 2.0 / (e + 1.0)).copysign(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f32_tanh_is_within_2_ulp_everywhere() {
        // Every 97th f32 from 0 to 12, and the far tail, against f64's tanh.
        let mut bits = 0u32;
        while f32::from_bits(bits) < 12.0 {
            let x = f32::from_bits(bits);
            for x in [x, -x] {
                let exact = f64::from(x).tanh();
                let r = (exact as f32).abs();
                let ulp = f64::from(f32::from_bits(r.to_bits() + 1) - r);
                let err = (f64::from(tanh_f32(x)) - exact).abs() / ulp;
                assert!(err <= 2.0, "tanh({x}) = {} is {err} ulp off", tanh_f32(x));
            }
            bits += 97;
        }
        assert_eq!(tanh_f32(50.0), 1.0);
        assert_eq!(tanh_f32(-1e30), -1.0);
        assert_eq!(tanh_f32(f32::INFINITY), 1.0);
        assert!(tanh_f32(f32::NAN).is_nan());
    }
}
