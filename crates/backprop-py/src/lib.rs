//! The engine for Python: the module `backprop._native`, which the package `backprop`
//! (`python/backprop`) wraps in Python's and scikit-learn's conventions. It takes and
//! gives plain values (text, bytes of little-endian `f32`, numbers), so that the
//! package needs nothing but NumPy to turn them into arrays. Long work releases the
//! GIL; errors are Python exceptions with the program's one-line messages.

use pyo3::prelude::*;

mod errors;
mod explain;
mod train;

/// The kernels' instruction set: pins `name` (`scalar`, `avx2`, `avx512`; `auto` for the
/// widest the CPU has) when given, and names the set in use.
#[pyfunction]
#[pyo3(signature = (name=None))]
fn simd(name: Option<&str>) -> PyResult<&'static str> {
    use backprop::names::Named;
    if let Some(name) = name {
        let pinned = match name {
            "auto" => None,
            other => Some(
                other
                    .parse::<backprop::Simd>()
                    .map_err(|e| errors::value(e.to_string()))?,
            ),
        };
        backprop::set_simd(pinned).map_err(errors::raised)?;
    }
    Ok(backprop::simd().name())
}

/// The module `backprop._native`. `BACKPROP_SIMD` is applied on import, as the program
/// applies it on start; a wrong value fails the import with its message.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let from_env = backprop::simd_from_env().map_err(errors::raised)?;
    backprop::set_simd(from_env).map_err(errors::raised)?;
    m.add_function(wrap_pyfunction!(simd, m)?)?;
    m.add_class::<explain::Explanation>()?;
    m.add_function(wrap_pyfunction!(explain::explain, m)?)?;
    m.add_function(wrap_pyfunction!(explain::check, m)?)?;
    m.add_function(wrap_pyfunction!(explain::exercise, m)?)?;
    m.add_function(wrap_pyfunction!(explain::read_text, m)?)?;
    m.add_class::<train::Model>()?;
    m.add_function(wrap_pyfunction!(train::fit, m)?)?;
    m.add_function(wrap_pyfunction!(train::load, m)?)?;
    m.add_function(wrap_pyfunction!(train::dataset, m)?)?;
    Ok(())
}
