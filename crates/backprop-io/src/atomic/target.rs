//! Where an output really goes: symlinks followed, the kind of file checked, and the
//! temporaries of killed writers found.

use std::fs::{self, FileType};
use std::io;
use std::path::{Path, PathBuf};

use backprop::error::{Error, Result};

/// Symlinks followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// The file an output at `path` replaces: `path` itself, or the end of its chain of
/// symlinks (which need not exist yet). Refuses, with [`Error::Output`], a target that
/// exists and is not a regular file, and one whose directory does not exist.
pub fn check_output(path: &Path) -> Result<PathBuf> {
    let refuse = |message: String| Error::Output {
        path: path.to_path_buf(),
        message,
    };
    let target = resolve(path).map_err(|e| refuse(e.to_string()))?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(refuse(format!(
                "it is {}, not a regular file; outputs are only written to regular files",
                kind_of(&meta.file_type())
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(e.to_string())),
    }
    if target.file_name().is_none() {
        return Err(refuse("the path does not name a file".into()));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(format!(
            "the directory {} does not exist",
            dir.display()
        )));
    }
    Ok(target)
}

/// Follows `path` through symlinks to the name that is not one.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a chain"
    )))
}

/// What kind of file this is, with its article: "a directory", "a FIFO", …
pub fn kind_of(kind: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

/// Whether `a` and `b` name the same existing file (same device and inode, so hard
/// links and symlinks count), after following symlinks.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(a), Ok(b)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Removes `.NAME.PID.N.tmp` files in `dir` that a writer of `name` left behind when
/// it was killed: those of processes that no longer run. Best effort.
pub(super) fn remove_stale_temporaries(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|f| f.strip_suffix(".tmp"))
        else {
            continue;
        };
        let Some((pid, n)) = rest.split_once('.') else {
            continue;
        };
        let (Ok(pid), true) = (pid.parse::<u32>(), n.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        if !n.is_empty() && pid != std::process::id() && !process_runs(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id runs (or may: when unsure, yes).
fn process_runs(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        if pid <= 0 {
            return true;
        }
        // Signal 0 checks existence only; EPERM means it runs as another user.
        // SAFETY: kill with signal 0 sends nothing and has no memory effects.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_of_a_directory_is_named() {
        let meta = fs::metadata(std::env::temp_dir()).unwrap();
        assert_eq!(kind_of(&meta.file_type()), "a directory");
        let err = check_output(&std::env::temp_dir()).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "it is a directory, not a regular file; outputs are only written to regular files"
            ),
            "{err}"
        );
    }

    #[test]
    fn only_dead_writers_temporaries_are_removed() {
        let dir = std::env::temp_dir().join(format!("backprop-stale-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // Process ids are below 2²² on Linux (pid_max), so 4194305 never runs;
        // this process and its parent do.
        let dead = dir.join(".m.bin.4194305.0.tmp");
        let ours = dir.join(format!(".m.bin.{}.7.tmp", std::process::id()));
        let other = dir.join(".other.bin.4194305.0.tmp");
        let unrelated = dir.join(".m.bin.notes.tmp");
        for f in [&dead, &ours, &other, &unrelated] {
            fs::write(f, b"x").unwrap();
        }
        remove_stale_temporaries(&dir, "m.bin");
        assert!(!dead.exists());
        assert!(ours.exists() && other.exists() && unrelated.exists());
        fs::remove_dir_all(&dir).unwrap();
    }
}
