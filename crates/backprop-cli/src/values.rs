//! Parsers of flag values, so that a value out of range is refused by the flag's name
//! with what it must be, before anything runs.

/// A finite number above 0 (a learning rate, a step).
pub fn positive(s: &str) -> Result<f64, String> {
    number(s, |x| x > 0.0, "a finite number above 0")
}

/// A finite number of at least 0 (a decay, a tolerance, noise).
pub fn non_negative(s: &str) -> Result<f64, String> {
    number(s, |x| x >= 0.0, "a finite number ≥ 0")
}

/// A fraction of the samples: from 0 up to but not including 1.
pub fn fraction(s: &str) -> Result<f64, String> {
    number(
        s,
        |x| (0.0..1.0).contains(&x),
        "a number from 0 up to but not including 1",
    )
}

/// A count of at least 1 (epochs, an interval).
pub fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("must be at least 1".into()),
        Err(_) => Err("must be a whole number of at least 1".into()),
    }
}

fn number(s: &str, ok: impl Fn(f64) -> bool, want: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && ok(x) => Ok(x),
        _ => Err(format!("must be {want}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_out_of_range_say_what_they_must_be() {
        assert_eq!(positive("0.5"), Ok(0.5));
        for bad in ["0", "-0.1", "nan", "inf", "x"] {
            assert_eq!(positive(bad), Err("must be a finite number above 0".into()));
        }
        assert_eq!(non_negative("0"), Ok(0.0));
        assert!(non_negative("-1").is_err());
        assert_eq!(
            fraction("1"),
            Err("must be a number from 0 up to but not including 1".into())
        );
        assert_eq!(at_least_one("0"), Err("must be at least 1".into()));
        assert_eq!(at_least_one("3"), Ok(3));
    }
}
