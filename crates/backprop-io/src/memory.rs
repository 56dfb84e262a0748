//! The memory a network or a dataset needs, checked against what the machine has
//! before anything is allocated, so that a typo such as `--layers 4,99999999999,3`
//! is one clear line instead of an abort. The arithmetic saturates: a size too large to
//! count is too large to allocate.

use std::path::Path;

use crate::input::human_bytes;
use backprop::error::{Error, Result};

/// Assumed when the system does not say how much memory is available (no
/// `/proc/meminfo`).
pub const FALLBACK_AVAILABLE: u64 = 16 << 30;

/// Below this, every machine that runs the program has the memory; the system is not
/// asked.
const ALWAYS_FITS: u64 = 64 << 20;

/// Memory available to the program now: `MemAvailable` from `/proc/meminfo`, else
/// [`FALLBACK_AVAILABLE`].
pub fn available() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| mem_available(&text))
        .unwrap_or(FALLBACK_AVAILABLE)
}

/// The `MemAvailable:  N kB` line of a `/proc/meminfo` text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// The parameters of a dense network with these layer sizes (input first): weights
/// and one bias per neuron.
pub fn parameter_count(sizes: &[usize]) -> u64 {
    sizes.windows(2).fold(0u64, |total, pair| {
        let (inputs, outputs) = (pair[0] as u64, pair[1] as u64);
        total.saturating_add(inputs.saturating_add(1).saturating_mul(outputs))
    })
}

/// Refuses `needed` bytes for `what` when they exceed the memory available; `at` names
/// the setting responsible.
pub fn check(needed: u64, what: &str, at: &str) -> Result<()> {
    check_for(Path::new("<training>"), needed, what, at)
}

/// A lower bound on the bytes running a spec's network of `sizes` (input first) on a
/// batch of `samples` takes, in f64: the weights three times (the network, its
/// starting copy, the gradients) and five per-layer buffers per sample.
pub fn spec_bytes(sizes: &[usize], samples: usize) -> u64 {
    let neurons = sizes
        .iter()
        .skip(1)
        .fold(0u64, |n, &s| n.saturating_add(s as u64));
    parameter_count(sizes)
        .saturating_mul(3)
        .saturating_add(neurons.saturating_mul(5).saturating_mul(samples as u64))
        .saturating_mul(8)
}

/// [`check`] for an input file `path`, whose errors name it.
pub fn check_for(path: &Path, needed: u64, what: &str, at: &str) -> Result<()> {
    if needed <= ALWAYS_FITS {
        return Ok(());
    }
    let available = available();
    if needed <= available {
        return Ok(());
    }
    let needed = if needed == u64::MAX {
        "more than 16 EiB".to_string()
    } else {
        format!("at least {}", human_bytes(needed))
    };
    Err(Error::Invalid {
        path: path.to_path_buf(),
        at: at.into(),
        message: format!(
            "{what} needs {needed} of memory, more than the {} available",
            human_bytes(available)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meminfo_is_read_in_kibibytes() {
        let text = "MemTotal:       16318708 kB\nMemFree:          515840 kB\nMemAvailable:   10485760 kB\n";
        // 10485760 KiB = 10 GiB.
        assert_eq!(mem_available(text), Some(10 << 30));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn counts_saturate_instead_of_overflowing() {
        // 4·16 + 16 + 16·3 + 3 = 131, Iris's 4-16-3 network.
        assert_eq!(parameter_count(&[4, 16, 3]), 131);
        assert_eq!(parameter_count(&[4, usize::MAX, 3]), u64::MAX);
        let e = check(u64::MAX, "the network", "layers")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "<training>: layers: the network needs more than 16 EiB of memory, more than the "
            ),
            "{e}"
        );
    }
}
