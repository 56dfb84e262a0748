//! Which vector instructions the kernels use: the widest the CPU has, or a set pinned by
//! [`set_simd`] or the `BACKPROP_SIMD` environment variable.
//!
//! Element-wise loops give the same bits whatever the set (no fast-math: wider vectors
//! do the same operations per element). Matrix products do not: the AVX-512 and AVX2
//! kernels add up a dot product in different orders, and the plain loop in another.
//! Pinning a set therefore makes training give bit-identical weights on any two
//! machines that support it, and lets the AVX2 path be measured on an AVX-512 machine.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{Error, Result};
use crate::names::Named;

/// A set of vector instructions the kernels can be compiled for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Simd {
    /// Plain x86-64 (SSE2) code: no wide kernels.
    Scalar,
    /// AVX2 with FMA.
    Avx2,
    /// AVX-512 (F), with AVX2 and FMA.
    Avx512,
}

impl Simd {
    /// Every set, narrowest first.
    pub const ALL: [Simd; 3] = [Simd::Scalar, Simd::Avx2, Simd::Avx512];

    /// Whether this CPU can run code compiled for the set.
    pub fn supported(self) -> bool {
        match self {
            Simd::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Simd::Avx2 => {
                std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
            }
            #[cfg(target_arch = "x86_64")]
            Simd::Avx512 => {
                std::arch::is_x86_feature_detected!("avx512f") && Simd::Avx2.supported()
            }
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The widest set this CPU supports: what the kernels use unless one is pinned.
    pub fn widest() -> Simd {
        *Simd::ALL
            .iter()
            .rev()
            .find(|s| s.supported())
            .unwrap_or(&Simd::Scalar)
    }
}

impl Named for Simd {
    const WHAT: &'static str = "instruction set";
    const ALL: &'static [Self] = &Simd::ALL;

    fn name(self) -> &'static str {
        match self {
            Simd::Scalar => "scalar",
            Simd::Avx2 => "avx2",
            Simd::Avx512 => "avx512",
        }
    }
}

/// The set in use: 0 before the first use, then 1 + its place in [`Simd::ALL`].
static IN_USE: AtomicU8 = AtomicU8::new(0);

fn store(simd: Simd) {
    let code = Simd::ALL.iter().position(|&s| s == simd).unwrap_or(0) + 1;
    IN_USE.store(code as u8, Ordering::Relaxed);
}

/// Why `simd` cannot be pinned here.
fn unsupported(simd: Simd) -> String {
    let supported: Vec<&str> = Simd::ALL
        .iter()
        .filter(|s| s.supported())
        .map(|s| s.name())
        .collect();
    format!(
        "this CPU cannot run {} code; it supports {}",
        simd.name(),
        supported.join(", ")
    )
}

/// Pins the set every kernel uses from now on (`None`: the widest the CPU has). A set
/// the CPU lacks is refused, and the one in use stays.
pub fn set_simd(simd: Option<Simd>) -> Result<()> {
    let chosen = match simd {
        Some(s) if !s.supported() => {
            return Err(Error::Invalid {
                path: "<settings>".into(),
                at: "simd".into(),
                message: unsupported(s),
            })
        }
        Some(s) => s,
        None => Simd::widest(),
    };
    store(chosen);
    Ok(())
}

/// The set named by the `BACKPROP_SIMD` environment variable (`scalar`, `avx2`,
/// `avx512`; unset or `auto`: `None`). A name that is not a set, or a set this CPU
/// lacks, is an error that says so; programs check it before their work starts.
pub fn simd_from_env() -> Result<Option<Simd>> {
    let Ok(value) = std::env::var("BACKPROP_SIMD") else {
        return Ok(None);
    };
    let value = value.trim();
    if value.is_empty() || value == "auto" {
        return Ok(None);
    }
    let invalid = |message: String| Error::Invalid {
        path: "BACKPROP_SIMD".into(),
        at: "value".into(),
        message,
    };
    let simd: Simd = crate::names::parse(value).map_err(|e| invalid(e.to_string()))?;
    if !simd.supported() {
        return Err(invalid(unsupported(simd)));
    }
    Ok(Some(simd))
}

/// The set the kernels use now: the pinned one, else `BACKPROP_SIMD`'s when it names a
/// set this CPU supports, else the widest the CPU has.
pub fn simd() -> Simd {
    match IN_USE.load(Ordering::Relaxed) {
        0 => {
            let chosen = simd_from_env().ok().flatten().unwrap_or_else(Simd::widest);
            store(chosen);
            chosen
        }
        code => Simd::ALL[usize::from(code) - 1],
    }
}
