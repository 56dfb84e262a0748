//! The timing program: what it prints, and data it refuses before timing anything.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bench(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backprop-bench"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A small product prints one JSON object with its figures.
#[test]
fn a_workload_prints_one_json_object() {
    let out = bench(&["matmul", "--size", "64", "--repeat", "1", "--threads", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["workload"], "matmul");
    assert_eq!(report["size"], 64);
    assert_eq!(report["impl"], "backprop");
    assert!(report["gflops"].as_f64().unwrap() > 0.0, "{report}");
}

/// Data files must be regular files: a FIFO named as its data is refused at once
/// instead of blocking (the FIFO is made in the scratch directory).
#[test]
fn bench_data_must_be_regular_files() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench_fifo");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("d.y.u8"), [0u8, 1]).unwrap();
    let fifo = dir.join("d.x.f32");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available here; skipped");
        return;
    }
    let prefix = dir.join("d");
    let out = bench(&[
        "train",
        "--layers",
        "2,2",
        "--data",
        prefix.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("d.x.f32: expected a regular file of f32 values"),
        "{}",
        stderr(&out)
    );
}

/// An unknown activation is refused with the names there are.
#[test]
fn an_unknown_activation_lists_the_names() {
    let out = bench(&["train", "--activation", "softplus"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("unknown activation `softplus`; expected one of sigmoid, tanh"),
        "{}",
        stderr(&out)
    );
}

/// `--shape` and `--form` time a product of a training step's shape and storage; the
/// report names the shape and counts its multiply-adds, not `--size`'s.
#[test]
fn a_shaped_product_reports_its_shape() {
    for form in ["ab", "abt", "atb"] {
        let out = bench(&[
            "matmul", "--shape", "40,30,20", "--form", form, "--repeat", "1",
        ]);
        assert!(out.status.success(), "{form}: {}", stderr(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["shape"], serde_json::json!([40, 30, 20]), "{form}");
        let (seconds, gflops) = (
            report["seconds"].as_f64().unwrap(),
            report["gflops"].as_f64().unwrap(),
        );
        // 2·m·k·n floating-point operations in the median time.
        let want = 2.0 * 40.0 * 30.0 * 20.0 / seconds / 1e9;
        assert!((gflops - want).abs() <= 1e-9 * want, "{form}: {report}");
    }
}

/// A shape of other than three sizes is refused with a message that says so.
#[test]
fn a_shape_needs_three_sizes() {
    let out = bench(&["matmul", "--shape", "5,6"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--shape takes three sizes, M,K,N; got 2"),
        "{}",
        stderr(&out)
    );
}
