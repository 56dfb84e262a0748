//! What the program reads and writes: only regular files, within size bounds; outputs
//! through symlinks, with their permissions kept, never over an input or a device, all
//! checked before anything is written, and no temporaries of killed runs left behind.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs the program; a run that would block forever (reading a FIFO) is killed after
/// a minute and fails the test instead of hanging it.
fn backprop(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_backprop"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("backprop {args:?} did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A fresh directory for one test.
fn dir(test: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("cli-files")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Fails cleanly: exit code 2 and one line holding every piece of `expected`.
#[track_caller]
fn rejects(out: &Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    for e in expected {
        assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
    }
}

/// Makes a character device `major:minor` at `path` with mknod, or says why not.
fn mknod(path: &Path, major: u32, minor: u32) -> bool {
    let out = Command::new("mknod")
        .args([s(path), "c", &major.to_string(), &minor.to_string()])
        .output();
    match out {
        Ok(o) if o.status.success() => true,
        Ok(o) => {
            eprintln!(
                "note: skipping the device case, mknod failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            false
        }
        Err(e) => {
            eprintln!("note: skipping the device case, no mknod: {e}");
            false
        }
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(s(path)).status().unwrap();
    assert!(status.success());
}

/// A small model to predict with and inspect.
fn model(dir: &Path) -> PathBuf {
    let model = dir.join("model.safetensors");
    let out = backprop(&[
        "train",
        "--dataset",
        "iris",
        "--epochs",
        "1",
        "--quiet",
        "--out",
        s(&model),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    model
}

#[test]
fn devices_and_fifos_are_refused_as_inputs_at_once() {
    let d = dir("inputs");
    let model = model(&d);
    let csv = d.join("rows.csv");
    std::fs::write(&csv, "5.1,3.5,1.4,0.2\n").unwrap();
    let fifo = d.join("fifo.json");
    mkfifo(&fifo);
    // Nobody writes to the FIFO: opening it for reading would block forever.
    rejects(
        &backprop(&["explain", "--spec", s(&fifo)]),
        &[
            "cannot read",
            "fifo.json",
            "it is a FIFO, not a regular file",
        ],
    );
    rejects(
        &backprop(&["train", "--data", s(&fifo)]),
        &["it is a FIFO, not a regular file; expected a data file"],
    );
    rejects(
        &backprop(&["predict", "--model", s(&fifo), "--data", s(&csv)]),
        &["it is a FIFO, not a regular file; expected a model file"],
    );
    rejects(
        &backprop(&["train", "--config", s(&fifo)]),
        &["it is a FIFO, not a regular file; expected a training configuration"],
    );
    rejects(
        &backprop(&["check", s(&fifo)]),
        &["it is a FIFO, not a regular file; expected an answers file"],
    );
    rejects(
        &backprop(&["explain", "--spec", s(&d)]),
        &["it is a directory, not a regular file"],
    );
    // 1:5 is /dev/zero, which reads zeros forever.
    let zero = d.join("zero");
    if mknod(&zero, 1, 5) {
        rejects(
            &backprop(&["explain", "--spec", s(&zero)]),
            &["it is a character device, not a regular file; expected a spec"],
        );
        rejects(
            &backprop(&["train", "--data", s(&zero)]),
            &["it is a character device"],
        );
        rejects(
            &backprop(&["predict", "--model", s(&model), "--data", s(&zero)]),
            &["it is a character device, not a regular file; expected a CSV file"],
        );
        rejects(
            &backprop(&["inspect", "--model", s(&zero)]),
            &["it is a character device, not a regular file; expected a model file"],
        );
    }
}

#[test]
fn inputs_over_their_size_bound_are_refused_unread() {
    let d = dir("bounds");
    // Sparse files: their size is what is checked, and they take no disk space.
    let spec = d.join("huge.json");
    std::fs::File::create(&spec)
        .unwrap()
        .set_len((16 << 20) + 1)
        .unwrap();
    rejects(
        &backprop(&["explain", "--spec", s(&spec)]),
        &[
            "huge.json",
            "it holds 16777217 bytes, more than the 16 MiB allowed for a spec",
        ],
    );
    let csv = d.join("huge.csv");
    std::fs::File::create(&csv)
        .unwrap()
        .set_len(600 << 20)
        .unwrap();
    rejects(
        &backprop(&["train", "--data", s(&csv)]),
        &["it holds 629145600 bytes, more than the 512 MiB allowed for a data file"],
    );
}

/// Trains one quick epoch on iris with `extra` flags.
fn train(extra: &[&str]) -> Output {
    let mut args = vec!["train", "--dataset", "iris", "--epochs", "1", "--quiet"];
    args.extend_from_slice(extra);
    backprop(&args)
}

#[cfg(unix)]
#[test]
fn an_output_is_written_through_its_symlink_and_keeps_its_permissions() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let d = dir("symlink");
    let real = d.join("real.safetensors");
    std::fs::write(&real, b"old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = d.join("link.safetensors");
    symlink("real.safetensors", &link).unwrap();
    let out = train(&["--out", s(&link)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_ne!(std::fs::read(&real).unwrap(), b"old");
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_device_fifo_or_directory_is_never_replaced_by_an_output() {
    let d = dir("device-out");
    let fifo = d.join("fifo");
    mkfifo(&fifo);
    rejects(
        &train(&["--out", s(&fifo)]),
        &["--out: it is a FIFO, not a regular file; outputs are only written to regular files"],
    );
    rejects(
        &train(&["--metrics", s(&d)]),
        &["--metrics: it is a directory, not a regular file"],
    );
    // 1:7 is /dev/full, on which every write fails.
    let full = d.join("full");
    if mknod(&full, 1, 7) {
        rejects(
            &train(&["--out", s(&full)]),
            &["full: --out: it is a character device, not a regular file"],
        );
        let model = model(&d);
        let rows = d.join("rows.csv");
        std::fs::write(&rows, "5.1,3.5,1.4,0.2\n").unwrap();
        rejects(
            &backprop(&[
                "predict",
                "--model",
                s(&model),
                "--data",
                s(&rows),
                "--out",
                s(&full),
            ]),
            &["--out: it is a character device"],
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let kind = std::fs::symlink_metadata(&full).unwrap().file_type();
            assert!(kind.is_char_device(), "the device is still a device");
        }
    }
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let d = dir("same-file");
    let data = d.join("d.csv");
    let text = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";
    std::fs::write(&data, text).unwrap();
    rejects(
        &backprop(&["train", "--data", s(&data), "--out", s(&data)]),
        &["d.csv: --out names the same file as the input --data, which writing it would destroy"],
    );
    // A hard link is the same file under another name.
    let linked = d.join("linked.csv");
    std::fs::hard_link(&data, &linked).unwrap();
    rejects(
        &backprop(&["train", "--data", s(&data), "--metrics", s(&linked)]),
        &["--metrics names the same file as the input --data"],
    );
    // The data file named by a configuration is an input too.
    let config = d.join("c.toml");
    std::fs::write(&config, format!("[data]\nfile = {:?}\n", s(&data))).unwrap();
    rejects(
        &backprop(&["train", "--config", s(&config), "--out", s(&data)]),
        &["--out names the same file as the input --data"],
    );
    rejects(
        &backprop(&["train", "--config", s(&config), "--out", s(&config)]),
        &["--out names the same file as the input --config"],
    );
    assert_eq!(std::fs::read_to_string(&data).unwrap(), text);

    let model = model(&d);
    let rows = d.join("p.csv");
    std::fs::write(&rows, "5.1,3.5,1.4,0.2\n").unwrap();
    rejects(
        &backprop(&[
            "predict",
            "--model",
            s(&model),
            "--data",
            s(&rows),
            "--out",
            s(&rows),
        ]),
        &["--out names the same file as the input --data"],
    );
    assert_eq!(std::fs::read_to_string(&rows).unwrap(), "5.1,3.5,1.4,0.2\n");
    rejects(
        &train(&["--out", s(&rows), "--metrics", s(&rows)]),
        &["--metrics and --out name the same file"],
    );
}

#[test]
fn every_output_is_checked_before_any_is_written() {
    let d = dir("before");
    let (out, metrics) = (d.join("OUT"), d.join("MET"));
    std::fs::write(&out, "old model").unwrap();
    std::fs::write(&metrics, "old metrics").unwrap();
    let gif = d.join("x.gif");
    rejects(
        &train(&[
            "--out",
            s(&out),
            "--metrics",
            s(&metrics),
            "--plot",
            s(&gif),
        ]),
        &["x.gif", "unknown image format: name the file .svg or .png"],
    );
    let missing = d.join("no-such-dir").join("plot.svg");
    rejects(
        &train(&[
            "--out",
            s(&out),
            "--metrics",
            s(&metrics),
            "--plot",
            s(&missing),
        ]),
        &["--plot: the directory", "no-such-dir does not exist"],
    );
    // iris has four features: its decision regions cannot be drawn.
    rejects(
        &train(&[
            "--out",
            s(&out),
            "--metrics",
            s(&metrics),
            "--plot-boundary",
            s(&d.join("b.svg")),
        ]),
        &["decision regions need 2-D inputs"],
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old model");
    assert_eq!(std::fs::read_to_string(&metrics).unwrap(), "old metrics");
}

#[test]
fn temporaries_of_a_killed_write_are_removed_on_the_next_write() {
    let d = dir("stale");
    let out = d.join("m.safetensors");
    // Process ids stay below 2²² on Linux (pid_max), so 4194305 belongs to no process.
    let stale = d.join(".m.safetensors.4194305.0.tmp");
    std::fs::write(&stale, b"half a model").unwrap();
    let other = d.join(".other.safetensors.4194305.0.tmp");
    std::fs::write(&other, b"not ours to judge").unwrap();
    let run = train(&["--out", s(&out)]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!stale.exists(), "the stale temporary is gone");
    assert!(other.exists(), "another output's temporary is left alone");
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}
