//! Reading data files that may or may not be gzipped.
//!
//! Compression is recognised by the gzip magic bytes `1f 8b`, not by the file name, so a
//! renamed or decompressed-in-place file still loads.

use std::io::Read;
use std::path::Path;

use flate2::read::MultiGzDecoder;

use super::bad;
use backprop::error::Result;
use backprop_io::input::{human_bytes, read_bounded, DATA_LIMIT};

/// The first two bytes of every gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether `bytes` start like a gzip stream.
pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// Reads the whole file at `path` as it is: a regular file of at most
/// [`DATA_LIMIT`] bytes.
pub(crate) fn read_raw(path: &Path) -> Result<Vec<u8>> {
    read_bounded(path, DATA_LIMIT, "a data file")
}

/// `bytes` as they are, or decompressed when they start with the gzip magic bytes.
/// `path` only names the data in messages.
pub(crate) fn unpack(bytes: Vec<u8>, path: &Path) -> Result<Vec<u8>> {
    unpack_within(bytes, path, DATA_LIMIT)
}

/// [`unpack`] with the bound on the decompressed size as a parameter.
fn unpack_within(bytes: Vec<u8>, path: &Path, limit: u64) -> Result<Vec<u8>> {
    if !is_gzip(&bytes) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    // Several gzip members in one file are allowed by the format, hence MultiGz. A
    // small file can expand enormously, so the output is bounded too.
    MultiGzDecoder::new(bytes.as_slice())
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            bad(
                path,
                format!("starts like a gzip file but cannot be decompressed ({e}); expected a complete gzip file or an uncompressed one"),
            )
        })?;
    if out.len() as u64 > limit {
        return Err(bad(
            path,
            format!(
                "decompresses to more than {}, the most a data file may hold",
                human_bytes(limit)
            ),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn plain_bytes_pass_through_and_gzip_is_undone() {
        let p = Path::new("x");
        assert_eq!(unpack(b"a,b\n".to_vec(), p).unwrap(), b"a,b\n");
        assert_eq!(unpack(gzip(b"a,b\n"), p).unwrap(), b"a,b\n");
    }

    #[test]
    fn decompression_stops_at_the_bound() {
        // 4097 zeros compress to a few dozen bytes but exceed a 4 KiB bound.
        let z = gzip(&[0u8; 4097]);
        let e = unpack_within(z.clone(), Path::new("bomb.gz"), 4096)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "bomb.gz: decompresses to more than 4 KiB, the most a data file may hold"
        );
        assert_eq!(
            unpack_within(z, Path::new("ok.gz"), 4097).unwrap().len(),
            4097
        );
    }

    #[test]
    fn a_cut_gzip_stream_is_reported() {
        let mut z = gzip(&[7u8; 1000]);
        z.truncate(z.len() / 2);
        let e = unpack(z, Path::new("f.gz")).unwrap_err().to_string();
        assert!(
            e.starts_with("f.gz: starts like a gzip file but cannot be decompressed"),
            "{e}"
        );
    }
}
