//! What one fuzz input does, per target: each function feeds the bytes to one of the
//! program's parsers and goes as far as the program would with what comes back. Errors
//! are the expected answer to most inputs; a panic or an abort is the bug being hunted.
//!
//! The fuzz targets are thin wrappers around these functions, and the short run in the
//! test suite (`crates/backprop-serve/tests/fuzz_short.rs`) includes this file, so both drive
//! the parsers the same way.

use std::net::SocketAddr;
use std::path::Path;

use backprop::matrix::Matrix;
use backprop_explain::spec::Spec;
use backprop_serve::{answer, Limits, Site};
use backprop_train::data::csv::{parse_csv, CsvOptions};
use backprop_train::data::idx::parse_idx;
use backprop_train::model_file::Model;

/// Networks larger than this many weights are parsed and checked but not built, so
/// that each input runs in milliseconds (the spec's checks refuse only networks larger
/// than the memory). Models get a prediction only within the same bound, as the
/// all-zero row is built here from the declared number of inputs.
pub const MAX_BUILT_WEIGHTS: usize = 1 << 16;

/// The spec parser (JSON, or TOML when `toml`), then the network and batch it describes
/// and one forward pass, as `explain` and `gradcheck` do. Returns whether it parsed.
pub fn spec(data: &[u8], toml: bool) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        // `Spec::load` refuses non-UTF-8 before parsing; nothing more to reach.
        return false;
    };
    let path = Path::new(if toml { "fuzz.toml" } else { "fuzz.json" });
    let Ok(spec) = Spec::parse(text, path) else {
        return false;
    };
    let mut fan_in = spec.inputs;
    let mut weights = 0usize;
    for layer in &spec.layers {
        weights = weights.saturating_add(layer.size.saturating_mul(fan_in));
        fan_in = layer.size;
    }
    if weights <= MAX_BUILT_WEIGHTS {
        let network = spec.network::<f64>();
        let (x, _targets) = spec.batch::<f64>();
        let mut ws = network.workspace(x.rows());
        let _ = network.forward(&mut ws, &x);
    }
    true
}

/// The CSV loader with its default options (header detected, last column the target,
/// task inferred), as `train --data` reads a file. Returns whether it loaded.
pub fn csv(data: &[u8]) -> bool {
    parse_csv(data.to_vec(), Path::new("fuzz.csv"), &CsvOptions::default()).is_ok()
}

/// Splits an IDX input into its image and label files: a 2-byte little-endian length of
/// the image file, the image file, then the label file.
pub fn idx_parts(data: &[u8]) -> (&[u8], &[u8]) {
    let (len, rest) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    rest.split_at(len.min(rest.len()))
}

/// The IDX loader on an image file and a label file, split as [`idx_parts`] says.
/// Returns whether it loaded.
pub fn idx(data: &[u8]) -> bool {
    let (images, labels) = idx_parts(data);
    let (image_path, label_path) = (
        Path::new("images-idx3-ubyte"),
        Path::new("labels-idx1-ubyte"),
    );
    parse_idx(
        images.to_vec(),
        image_path,
        labels.to_vec(),
        label_path,
        None,
    )
    .is_ok()
}

/// The model loader (safetensors with the model description and checkpoint state in its
/// metadata), then a prediction for one all-zero row when the network is small, as
/// `predict` and `inspect` do. Returns whether it loaded.
pub fn model(data: &[u8]) -> bool {
    let Ok((model, _extra)) = Model::from_bytes(data, Path::new("fuzz.safetensors")) else {
        return false;
    };
    let weights = model.network.layers.iter().fold(0usize, |sum, l| {
        sum.saturating_add(l.weights.rows().saturating_mul(l.weights.cols()))
    });
    if model.network.inputs <= MAX_BUILT_WEIGHTS && weights <= MAX_BUILT_WEIGHTS {
        let _ = model.predict(&Matrix::zeros(1, model.network.inputs));
    }
    true
}

/// Limits small enough that one request costs milliseconds, so the fuzzer explores
/// instead of training; every route and check is still reached.
pub fn serve_limits() -> Limits {
    Limits {
        rounds: 20,
        show: 2,
        samples: 8,
        points: 64,
        grid: 8,
        work: 200_000,
        terms: 2_000,
        ..Limits::default()
    }
}

/// The HTTP request handler, from the bytes after the socket on. An input whose first
/// line ends in `HTTP/1.x` is a raw request (head, blank line, body); any other is
/// `METHOD URL`, a newline, then the body, sent as a well-formed request to this
/// server's host, so that the seeds reach the routes. Returns the answer's status.
pub fn serve(data: &[u8], limits: &Limits) -> u16 {
    let site = Site::new(SocketAddr::from(([127, 0, 0, 1], 8000)));
    let (line, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let line = String::from_utf8_lossy(line);
    let line = line.trim_end_matches('\r');
    if line.ends_with("HTTP/1.1") || line.ends_with("HTTP/1.0") {
        return answer(data, &site, limits).status;
    }
    let (method, url) = line.split_once(' ').unwrap_or((line, "/"));
    let mut raw = format!(
        "{method} {url} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    raw.extend_from_slice(body);
    answer(&raw, &site, limits).status
}

/// The answers-file parser of `backprop check`, then the check of what it read against
/// the network on its `# spec:` line when there is one (within [`MAX_CHECKED_WEIGHTS`]
/// and [`MAX_CHECKED_SAMPLES`]), else the tutorial's, as `check` without `--spec` does.
/// Returns whether it parsed.
pub fn answers(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        // `check` refuses a file that is not UTF-8 before parsing.
        return false;
    };
    let spec = match backprop_explain::exercise::embedded_spec(text) {
        Some(json) => match Spec::parse(json, Path::new("fuzz.json")) {
            Ok(spec) if small(&spec) => spec,
            _ => Spec::tutorial(),
        },
        None => Spec::tutorial(),
    };
    let Ok(parsed) = backprop_explain::check::parse(text) else {
        return false;
    };
    if let Ok(report) = backprop_explain::check::check(&spec, &parsed) {
        let _ = report.text(backprop_explain::Lang::Zh);
        let _ = report.json(backprop_explain::Lang::En);
    }
    true
}

/// Networks checked from an answers file's spec line have at most this many weights.
pub const MAX_CHECKED_WEIGHTS: usize = 256;

/// … and at most this many samples, so that each input runs in milliseconds.
pub const MAX_CHECKED_SAMPLES: usize = 8;

/// Whether `spec` is within the bounds of networks the `answers` target checks.
fn small(spec: &Spec) -> bool {
    let mut fan_in = spec.inputs;
    let mut weights = 0usize;
    for layer in &spec.layers {
        weights = weights.saturating_add(layer.size.saturating_mul(fan_in));
        fan_in = layer.size;
    }
    weights <= MAX_CHECKED_WEIGHTS && spec.samples.len() <= MAX_CHECKED_SAMPLES
}
