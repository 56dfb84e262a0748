//! The answers file: `NAME = VALUE` lines, `#` comments, blank lines, and `[round N]`
//! lines that make the names below them refer to round N (round 1 before any). A
//! `NAME =` line without a value is a question not answered yet, and is skipped.

use thiserror::Error;

/// The most rounds an answers file may refer to: each is recorded in full to check it.
pub const MAX_ROUND: usize = 100;

/// One answer of the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// Its line, 1-based.
    pub line: usize,
    /// The round it refers to, 1-based.
    pub round: usize,
    /// The name as written, trimmed.
    pub name: String,
    /// The value.
    pub given: f64,
    /// The value as written.
    pub written: String,
    /// Decimal places the value was given to (`0.359` has 3, `1.5e-3` has 4).
    pub places: i32,
}

/// Why an answers file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AnswersError {
    /// A line that is neither `NAME = VALUE`, a comment, blank nor `[round N]`.
    #[error("line {line}: expected NAME = VALUE, got {text:?}")]
    NotAnAnswer {
        /// The line, 1-based.
        line: usize,
        /// Its text.
        text: String,
    },
    /// A line `NAME = ` without a name.
    #[error("line {line}: no name before '='")]
    NoName {
        /// The line, 1-based.
        line: usize,
    },
    /// A value that is not a finite decimal number.
    #[error("line {line}: {name}: {value:?} is not a number")]
    NotANumber {
        /// The line, 1-based.
        line: usize,
        /// The name on the line.
        name: String,
        /// The value as written.
        value: String,
    },
    /// A `[round N]` line whose N is not a round from 1 to [`MAX_ROUND`].
    #[error("line {line}: {text:?} is not a round from 1 to {MAX_ROUND}")]
    BadRound {
        /// The line, 1-based.
        line: usize,
        /// Its text.
        text: String,
    },
    /// A file with no answers in it.
    #[error("no answers: no NAME = VALUE line has a value")]
    Empty,
}

/// Reads an answers file.
pub fn parse(text: &str) -> Result<Vec<Answer>, AnswersError> {
    let mut round = 1;
    let mut answers = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        if let Some(inner) = content.strip_prefix('[') {
            round = parse_round(inner).ok_or_else(|| AnswersError::BadRound {
                line,
                text: content.to_string(),
            })?;
            continue;
        }
        let Some((name, value)) = content.split_once('=') else {
            return Err(AnswersError::NotAnAnswer {
                line,
                text: content.to_string(),
            });
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() {
            return Err(AnswersError::NoName { line });
        }
        if value.is_empty() {
            continue;
        }
        let not_a_number = || AnswersError::NotANumber {
            line,
            name: name.to_string(),
            value: value.to_string(),
        };
        let (given, places) = number(value).ok_or_else(not_a_number)?;
        answers.push(Answer {
            line,
            round,
            name: name.to_string(),
            given,
            written: value.to_string(),
            places,
        });
    }
    if answers.is_empty() {
        return Err(AnswersError::Empty);
    }
    Ok(answers)
}

/// `round N]` (after the `[`): N when it is from 1 to [`MAX_ROUND`].
fn parse_round(inner: &str) -> Option<usize> {
    let inner = inner.strip_suffix(']')?.trim();
    let n = inner.strip_prefix("round")?.trim();
    let n: usize = n.parse().ok()?;
    (1..=MAX_ROUND).contains(&n).then_some(n)
}

/// A finite decimal number (optionally with an exponent) and its decimal places.
/// Only ASCII digits, a sign, one point and `e`/`E` are accepted: `inf` and `NaN` are
/// not numbers here.
fn number(value: &str) -> Option<(f64, i32)> {
    let (mantissa, exponent) = match value.find(['e', 'E']) {
        Some(at) => (&value[..at], Some(&value[at + 1..])),
        None => (value, None),
    };
    let digits = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let exponent: i32 = match exponent {
        Some(e) => {
            let unsigned = e.strip_prefix(['-', '+']).unwrap_or(e);
            if unsigned.is_empty() || unsigned.len() > 4 || !all_digits(unsigned) {
                return None;
            }
            e.parse().ok()?
        }
        None => 0,
    };
    let given: f64 = value.parse().ok()?;
    if !given.is_finite() {
        return None;
    }
    let places = i32::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
    Some((given, places))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_and_rounds() {
        let text = "# my work\nw5+ = 0.3589 # round 1\n\n[round 2]\nE_total=0.29\n";
        let a = parse(text).unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!((a[0].line, a[0].round, a[0].name.as_str()), (2, 1, "w5+"));
        assert_eq!((a[0].given, a[0].places), (0.3589, 4));
        assert_eq!((a[1].line, a[1].round, a[1].places), (5, 2, 2));
    }

    #[test]
    fn places_follow_the_exponent() {
        assert_eq!(number("1.5e-3"), Some((0.0015, 4)));
        assert_eq!(number("-2"), Some((-2.0, 0)));
        assert_eq!(number(".5"), Some((0.5, 1)));
        for bad in ["", "inf", "NaN", "1e", "0x1", "1.2.3", "1e99999", "e5", "."] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }

    #[test]
    fn bad_lines_say_where() {
        let err = |t: &str| parse(t).unwrap_err().to_string();
        assert_eq!(
            err("w5 0.3"),
            "line 1: expected NAME = VALUE, got \"w5 0.3\""
        );
        assert_eq!(err("\n = 1"), "line 2: no name before '='");
        assert_eq!(err("w5 = abc"), "line 1: w5: \"abc\" is not a number");
        assert_eq!(
            err("[round 0]"),
            "line 1: \"[round 0]\" is not a round from 1 to 100"
        );
        assert_eq!(
            err("# nothing\n"),
            "no answers: no NAME = VALUE line has a value"
        );
    }
}
