//! Reading input files: regular files only, each kind within a size bound, so that a
//! device such as `/dev/zero` or a FIFO is refused at once instead of read forever or
//! waited on.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use crate::atomic::kind_of;
use backprop::error::{Error, Result};

/// The most a spec or a training configuration file may hold (16 MiB).
pub const SPEC_LIMIT: u64 = 16 << 20;
/// The most a CSV or IDX file may hold, after decompression when gzipped (512 MiB).
pub const DATA_LIMIT: u64 = 512 << 20;
/// The most a model or checkpoint file may hold (1 GiB).
pub const MODEL_LIMIT: u64 = 1 << 30;
/// The most a learner's answers file may hold: far more lines than any network has
/// quantities (1 MiB).
pub const ANSWERS_LIMIT: u64 = 1 << 20;

/// Reads the whole regular file at `path`, refusing anything else (a directory, a
/// device, a FIFO, a socket) and files over `limit` bytes; `what` names the kind of
/// file in the message ("a spec", "a CSV file").
pub fn read_bounded(path: &Path, limit: u64, what: &str) -> Result<Vec<u8>> {
    let failed = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // Refuse by the path's type first, so that a device is never even opened.
    let kind = std::fs::metadata(path).map_err(failed)?.file_type();
    if !kind.is_file() {
        return Err(failed(not_regular(kind_of(&kind), what)));
    }
    let file = open_nonblocking(path).map_err(failed)?;
    // The path may have been replaced in between: the open file decides.
    let meta = file.metadata().map_err(failed)?;
    if !meta.file_type().is_file() {
        return Err(failed(not_regular(kind_of(&meta.file_type()), what)));
    }
    if meta.len() > limit {
        return Err(failed(too_large(meta.len(), limit, what)));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: never read more than the bound allows.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > limit {
        return Err(failed(too_large(bytes.len() as u64, limit, what)));
    }
    Ok(bytes)
}

/// Like [`read_bounded`], as UTF-8 text with a leading byte-order mark removed.
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String> {
    let bytes = read_bounded(path, limit, what)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        source: io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "byte {} is not valid UTF-8; expected {what} in UTF-8 text",
                e.utf8_error().valid_up_to()
            ),
        ),
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Opens for reading without blocking: opening a FIFO that no one writes to would
/// otherwise wait forever. Reads from regular files ignore the flag.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

fn not_regular(kind: &str, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {kind}, not a regular file; expected {what} in a regular file"),
    )
}

fn too_large(len: u64, limit: u64, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it holds {len} bytes, more than the {} allowed for {what}",
            human_bytes(limit)
        ),
    )
}

/// A byte count for people: `512 MiB`, `3.2 GiB`, `900 bytes`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_as_people_write_them() {
        assert_eq!(human_bytes(900), "900 bytes");
        assert_eq!(human_bytes(DATA_LIMIT), "512 MiB");
        assert_eq!(human_bytes(MODEL_LIMIT), "1 GiB");
        // 3.5 × 2³⁰ bytes.
        assert_eq!(human_bytes(3_758_096_384), "3.5 GiB");
        // 2⁶⁴ − 1 rounds to 2⁶⁴ in f64: 16 EiB.
        assert_eq!(human_bytes(u64::MAX), "16 EiB");
    }
}
