//! The library's error type.

use std::path::PathBuf;

/// Everything that can go wrong in the library. Messages name the file, the place and
/// what was expected, so that the command-line program can print them as they are.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec or data file could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A spec file is not valid JSON or TOML, or does not have the expected structure.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A spec parsed but describes an impossible network.
    #[error("{path}: {at}: {message}")]
    Invalid {
        /// The file (or `<spec>` when it came from memory).
        path: PathBuf,
        /// Where in the spec, as a path such as `layers[1].weights`.
        at: String,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A data file (CSV, IDX) or a dataset could not be used.
    #[error("{}: {message}", place(.path, *.line, *.column))]
    Data {
        /// The file, or the dataset's name.
        path: PathBuf,
        /// 1-based line (CSV) when known.
        line: Option<u64>,
        /// 1-based column (CSV field) when known.
        column: Option<u64>,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A model or checkpoint file is truncated, corrupted, of another version, or does
    /// not fit the data.
    #[error("{path}: {message}")]
    Model {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output that must not be written: not a regular file, in a missing directory,
    /// or the same file as an input or another output. Nothing was written.
    #[error("{path}: {message}")]
    Output {
        /// The output as given.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Training stopped because the loss stopped being a finite number.
    #[error("{0}")]
    Diverged(String),
    /// The server could not listen on an address.
    #[error("cannot listen on {address}: {message}")]
    Serve {
        /// The address, `host:port`.
        address: String,
        /// Why.
        message: String,
    },
    /// Matrices handed to the engine do not fit the network.
    #[error("shape mismatch: {0}")]
    Shape(String),
}

/// `path`, `path:line` or `path:line:column`.
fn place(path: &std::path::Path, line: Option<u64>, column: Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", path.display()),
        (Some(l), None) => format!("{}:{l}", path.display()),
        _ => path.display().to_string(),
    }
}

impl Error {
    /// Whether the error comes from the user's input (the program exits with 2 for those).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::Read { .. }
                | Error::Syntax { .. }
                | Error::Invalid { .. }
                | Error::Data { .. }
                | Error::Model { .. }
                | Error::Output { .. }
                | Error::Shape(_)
        )
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
