//! The engine's errors as Python exceptions: a missing file is `FileNotFoundError`,
//! other bad input `ValueError`, anything else `RuntimeError`; the message is the
//! program's one line, with the causes after colons.

use pyo3::exceptions::{PyFileNotFoundError, PyRuntimeError, PyValueError};
use pyo3::PyErr;

/// The message with its cause chain, as the program prints it.
fn one_line(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// `e` as the Python exception that fits it.
pub fn raised(e: backprop::Error) -> PyErr {
    let missing = matches!(&e, backprop::Error::Read { source, .. }
        if source.kind() == std::io::ErrorKind::NotFound);
    let text = one_line(&e);
    if missing {
        PyFileNotFoundError::new_err(text)
    } else if e.is_bad_input() {
        PyValueError::new_err(text)
    } else {
        PyRuntimeError::new_err(text)
    }
}

/// A bad value, named.
pub fn value(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}
