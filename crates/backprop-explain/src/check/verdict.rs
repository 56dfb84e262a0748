//! The verdict on one answer: right, off by rounding, wrong (with the mistakes that give
//! the learner's number), or a name the network does not have.

use serde::Serialize;

use super::mistakes::Mistake;

/// What an answer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Equal to the true value to the digits given.
    Right,
    /// Off only as far as rounding the values before it to that many digits explains.
    Rounding,
    /// Further off.
    Wrong,
    /// No quantity of the network has that name.
    UnknownName,
}

impl Verdict {
    /// Its id in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Right => "right",
            Verdict::Rounding => "rounding",
            Verdict::Wrong => "wrong",
            Verdict::UnknownName => "unknown_name",
        }
    }
}

/// Half a unit in the last of `places` decimal places: how far a correctly rounded value
/// is from the true one at most.
pub fn half_unit(places: i32) -> f64 {
    0.5 * 10f64.powi(-places.clamp(-30, 30))
}

/// Judges `given`, written to `places` decimals, against the true value `expected`:
/// `bound` is how far rounding the values before it can move it, `alternatives` what
/// the catalogue's mistakes give.
pub fn judge(
    given: f64,
    places: i32,
    expected: f64,
    bound: f64,
    alternatives: &[(Mistake, f64)],
) -> (Verdict, Vec<Mistake>) {
    let h = half_unit(places);
    // A last-bit allowance, so that a value exactly half a unit off is still right.
    let slack = h + 1e-12 * expected.abs().max(1.0);
    let off = (given - expected).abs();
    if off <= slack {
        return (Verdict::Right, Vec::new());
    }
    if off <= slack + bound {
        return (Verdict::Rounding, vec![Mistake::EarlyRounding]);
    }
    let mut found: Vec<Mistake> = Vec::new();
    for &(m, v) in alternatives {
        let near = (given - v).abs() <= slack + bound;
        // A mistake that changes nothing cannot be what made an answer wrong.
        let changes = (v - expected).abs() > slack;
        if near && changes && !found.contains(&m) {
            found.push(m);
        }
    }
    (Verdict::Wrong, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_rounding_and_wrong() {
        // 0.358916 to 3 places is 0.359.
        assert_eq!(judge(0.359, 3, 0.358916, 0.0, &[]).0, Verdict::Right);
        assert_eq!(judge(0.3588, 4, 0.358916, 0.0002, &[]).0, Verdict::Rounding);
        let alt = [(Mistake::AddedUpdate, 0.441), (Mistake::SignError, 0.441)];
        let (v, m) = judge(0.441, 3, 0.358916, 0.0, &alt);
        assert_eq!(v, Verdict::Wrong);
        assert_eq!(m, vec![Mistake::AddedUpdate, Mistake::SignError]);
    }
}
