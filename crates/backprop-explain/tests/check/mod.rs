//! Checks printed equations against their own printed numbers: every step of a chain
//! made of numbers is evaluated over the intervals its rounded numbers stand for, and
//! must meet the next numeric step and the printed result.

pub mod chains;
pub mod interval;
pub mod parse;

use chains::Chain;
use interval::Interval;
use parse::Step;

/// What is wrong with one chain, or `None` when every `=` in it holds.
pub fn verify(chain: &Chain) -> Option<String> {
    let Some(result) = chain.steps.last() else {
        return Some(format!("no steps in `{}`", chain.printed));
    };
    let steps: Vec<Step> = match chain.steps.iter().map(|s| parse::step(s)).collect() {
        Ok(steps) => steps,
        Err(e) => return Some(format!("{e}\n  in: {}", chain.printed)),
    };
    let Some(Step::Value(_)) = steps.last() else {
        return Some(format!("the result is not a number: `{}`", chain.printed));
    };
    let result_interval = Interval::printed(result.trim());
    let numeric: Vec<(usize, Interval)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Step::Value(v) => Some((i, *v)),
            Step::Symbolic => None,
        })
        .collect();
    // Only the result is a number: the previous step must be a single name (a
    // definition such as ∂net/∂w = out_h1), or there is nothing before the result.
    if numeric.len() == 1 && steps.len() > 1 {
        let single_name = !outside_braces(&chain.steps[steps.len() - 2]).contains(' ');
        if !single_name {
            return Some(format!(
                "the result is not computed from numbers shown: `{}`",
                chain.printed
            ));
        }
    }
    for pair in numeric.windows(2) {
        let ((i, a), (j, b)) = (pair[0], pair[1]);
        if !a.meets(b) {
            return Some(format!(
                "`{}` = [{:e}, {:e}] but `{}` = [{:e}, {:e}]\n  in: {}",
                chain.steps[i], a.lo, a.hi, chain.steps[j], b.lo, b.hi, chain.printed
            ));
        }
    }
    if let (Some(r), Some(&(i, a))) = (result_interval, numeric.first()) {
        if !a.meets(r) {
            return Some(format!(
                "`{}` = [{:e}, {:e}], not {result}\n  in: {}",
                chain.steps[i], a.lo, a.hi, chain.printed
            ));
        }
    }
    None
}

/// The failures among `chains`, with `what` naming where they were printed.
pub fn failures(what: &str, chains: &[Chain]) -> Vec<String> {
    chains
        .iter()
        .filter_map(|c| verify(c).map(|f| format!("{what}: {}: {f}", c.lhs)))
        .collect()
}

/// `s` without the contents of its brace groups: a LaTeX name such as
/// `\delta^{(1)}_{1}` keeps no space, a formula does.
fn outside_braces(s: &str) -> String {
    let mut depth = 0;
    s.chars()
        .filter(|&c| {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => return depth == 0,
            }
            false
        })
        .collect()
}
