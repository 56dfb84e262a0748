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

    #[test]
    fn the_page_judges_as_check_does() {
        // The cases the page's judge.js is tested on (tests/page/verdicts.test.mjs).
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/page/verdicts.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let cases: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mistake = |id: &serde_json::Value| {
            let id = id.as_str().unwrap();
            *Mistake::ALL.iter().find(|m| m.id() == id).unwrap()
        };
        let cases = cases["cases"].as_array().unwrap();
        assert!(cases.len() >= 10);
        for c in cases {
            let typed = c["typed"].as_str().unwrap();
            let parsed = crate::check::parse(&format!("x = {typed}"));
            if c["verdict"].is_null() {
                assert!(parsed.is_err(), "{typed}");
                continue;
            }
            let answer = &parsed.unwrap()[0];
            let alternatives: Vec<(Mistake, f64)> = c["mistakes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| (mistake(&m[0]), m[1].as_f64().unwrap()))
                .collect();
            let h = half_unit(answer.places);
            let bound = c["bound"].as_f64().unwrap() * h;
            let expected = c["expected"].as_f64().unwrap();
            let (v, found) = judge(answer.given, answer.places, expected, bound, &alternatives);
            assert_eq!(v.id(), c["verdict"].as_str().unwrap(), "{typed}");
            let found: Vec<&str> = found.iter().map(|m| m.id()).collect();
            let want: Vec<&str> = c["found"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect();
            assert_eq!(found, want, "{typed}");
        }
    }
}
