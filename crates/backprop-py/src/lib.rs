//! The engine for Python: the module `backprop._native`, which the package `backprop`
//! (`python/backprop`) wraps in Python's and scikit-learn's conventions. It takes and
//! gives plain values (text, bytes of little-endian `f32`, numbers), so that the
//! package needs nothing but NumPy to turn them into arrays. Long work releases the
//! GIL; errors are Python exceptions with the program's one-line messages.

use pyo3::prelude::*;

mod errors;
mod explain;
mod train;

/// The module `backprop._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
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
