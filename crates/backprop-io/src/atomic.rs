//! Writing output files safely: a crash never leaves a half-written file, a symlink is
//! written through to its target, an existing file keeps its permissions, and only
//! regular files are ever replaced.

mod plan;
mod target;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use backprop::error::{Error, Result};

pub use plan::Outputs;
pub use target::{check_output, kind_of, same_file};

/// Writes `bytes` to `path` atomically: to a fresh temporary file beside the target,
/// flushed to disk, then renamed over it. Readers see the old file or the new one,
/// never a part of it; on failure the temporary file is removed and the target is
/// untouched.
///
/// When `path` is a symlink, its target is written and the link stays. An existing
/// file keeps its permissions (and, where allowed, its owner). Anything that is not a
/// regular file (a device, a FIFO, a directory) is refused with [`Error::Output`].
/// Temporaries that an earlier, killed writer left for the same target
/// (`.NAME.PID.N.tmp` of a process that no longer runs) are removed first.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = check_output(path)?;
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            failed(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path does not name a file",
            ))
        })?;
    target::remove_stale_temporaries(&dir, &name);
    let existing = fs::metadata(&target).ok();
    let tmp = temporary_name(&dir, &name);
    let written = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Some(meta) = &existing {
            keep_owner_and_mode(&file, meta)?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(failed(e));
    }
    // Make the rename itself durable; some systems cannot open directories, and the
    // file is already complete, so this is best effort.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Gives the new file the old one's permissions, and its owner where the process may.
fn keep_owner_and_mode(file: &File, old: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; anyone else keeps their own ownership.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    file.set_permissions(old.permissions())
}

/// A hidden name in `dir` that no other writer (process or thread) will pick:
/// `.NAME.PID.N.tmp`.
fn temporary_name(dir: &Path, name: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("backprop-atomic-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = scratch("replace");
        let path = dir.join("out.txt");
        write(&path, b"first").unwrap();
        write(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_directory_is_refused_before_writing() {
        let err = write(Path::new("/nonexistent-dir-backprop/x.bin"), b"x").unwrap_err();
        assert!(matches!(err, Error::Output { .. }));
        assert_eq!(
            err.to_string(),
            "/nonexistent-dir-backprop/x.bin: the directory /nonexistent-dir-backprop does not exist"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_written_through_and_permissions_are_kept() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = scratch("symlink");
        let real = dir.join("real.bin");
        fs::write(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.join("link.bin");
        symlink("real.bin", &link).unwrap();
        write(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read(&real).unwrap(), b"new");
        let mode = fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        fs::remove_dir_all(&dir).unwrap();
    }
}
