//! Interval arithmetic: every printed number stands for the interval of values that
//! round to it, and each operation returns an interval holding every possible result,
//! so a printed equation is true when its evaluated interval meets its printed result.

/// A closed interval `[lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Relative slack for the engine's own floating-point rounding, per operation, relative
/// to the operands' magnitude (so that a sum that cancels still gets its due).
const FLOAT_SLACK: f64 = 1e-13;

impl Interval {
    /// Every real number: what a division by an interval holding 0 gives.
    pub const ALL: Interval = Interval {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
    };

    /// `[lo, hi]`.
    pub fn new(lo: f64, hi: f64) -> Interval {
        Interval { lo, hi }
    }

    /// An exact value.
    pub fn exact(x: f64) -> Interval {
        Interval::new(x, x)
    }

    /// The number printed as `s`: the values that round to it at its printed precision.
    /// Fixed-point numbers are printed from 9 decimals (shorter ones had trailing zeros
    /// trimmed), so they stand within 5·10⁻¹⁰; scientific ones within half a unit of
    /// the mantissa's last digit.
    pub fn printed(s: &str) -> Option<Interval> {
        let x: f64 = s.parse().ok()?;
        let half_unit = match s.split_once(['e', 'E']) {
            Some((mantissa, exp)) => {
                let decimals = mantissa.split_once('.').map_or(0, |(_, d)| d.len());
                let exp: i32 = exp.parse().ok()?;
                0.5 * 10f64.powi(exp - decimals as i32)
            }
            None => {
                let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
                0.5 * 10f64.powi(-(decimals.max(9) as i32))
            }
        };
        Some(Interval::new(x - half_unit, x + half_unit))
    }

    fn magnitude(self) -> f64 {
        self.lo.abs().max(self.hi.abs())
    }

    fn widened(self, by: f64) -> Interval {
        let by = if by.is_finite() { by } else { 0.0 };
        Interval::new(self.lo - by, self.hi + by)
    }

    /// Whether the two intervals share a point.
    pub fn meets(self, other: Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// a + b.
    pub fn add(self, b: Interval) -> Interval {
        let slack = FLOAT_SLACK * (self.magnitude() + b.magnitude());
        Interval::new(self.lo + b.lo, self.hi + b.hi).widened(slack)
    }

    /// −a.
    pub fn neg(self) -> Interval {
        Interval::new(-self.hi, -self.lo)
    }

    /// a − b.
    pub fn sub(self, b: Interval) -> Interval {
        self.add(b.neg())
    }

    /// a × b.
    pub fn mul(self, b: Interval) -> Interval {
        let products = [
            self.lo * b.lo,
            self.lo * b.hi,
            self.hi * b.lo,
            self.hi * b.hi,
        ];
        let lo = products.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = products.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let r = Interval::new(lo, hi);
        r.widened(FLOAT_SLACK * r.magnitude())
    }

    /// a / b; every real number when b may be 0.
    pub fn div(self, b: Interval) -> Interval {
        if b.lo <= 0.0 && b.hi >= 0.0 {
            return Interval::ALL;
        }
        self.mul(Interval::new(1.0 / b.hi, 1.0 / b.lo))
    }

    /// f(a) for an increasing f.
    pub fn increasing(self, f: fn(f64) -> f64) -> Interval {
        let r = Interval::new(f(self.lo), f(self.hi));
        r.widened(FLOAT_SLACK * r.magnitude())
    }

    /// ln(a); every real number when a may be 0 or less.
    pub fn ln(self) -> Interval {
        if self.lo <= 0.0 {
            return Interval::ALL;
        }
        self.increasing(f64::ln)
    }

    /// a².
    pub fn square(self) -> Interval {
        let (a, b) = (self.lo * self.lo, self.hi * self.hi);
        let lo = if self.lo <= 0.0 && self.hi >= 0.0 {
            0.0
        } else {
            a.min(b)
        };
        let r = Interval::new(lo, a.max(b));
        r.widened(FLOAT_SLACK * r.magnitude())
    }

    /// max(a, b).
    pub fn max(self, b: Interval) -> Interval {
        Interval::new(self.lo.max(b.lo), self.hi.max(b.hi))
    }

    /// min(a, b).
    pub fn min(self, b: Interval) -> Interval {
        Interval::new(self.lo.min(b.lo), self.hi.min(b.hi))
    }

    /// √a; every real number when a may be below 0.
    pub fn sqrt(self) -> Interval {
        if self.lo < 0.0 {
            return Interval::ALL;
        }
        self.increasing(f64::sqrt)
    }

    /// aⁿ for a ≥ 0 (the powers printed are of settings in [0, 1)); every real number
    /// otherwise.
    pub fn powi(self, n: i32) -> Interval {
        if self.lo < 0.0 {
            return Interval::ALL;
        }
        let r = Interval::new(self.lo.powi(n), self.hi.powi(n));
        r.widened(FLOAT_SLACK * f64::from(n.max(1)) * r.magnitude())
    }

    /// sign(a): −1, 0 or 1, or all of them it may be.
    pub fn sign(self) -> Interval {
        let s = |x: f64| {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        };
        Interval::new(s(self.lo), s(self.hi))
    }
}
