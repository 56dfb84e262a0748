//! The limits at their edges. What a request costs is counted before any work, in
//! units its CPU time and memory follow (see `serve::limits`); these tests check the
//! counts, refuse one unit over, and measure the largest accepted answer by its size,
//! never by the clock. `bench/serve-load` times the same requests.

use std::path::Path;

use backprop_explain::spec::Spec;
use backprop_serve::limits::Size;
use backprop_serve::{answer, Limits, Site};
use serde_json::{json, Value};

fn site() -> Site {
    Site::new("127.0.0.1:8000".parse().unwrap())
}

/// A spec of `inputs` inputs, layers of `sizes` neurons with drawn weights, and
/// `samples` samples.
fn spec(inputs: usize, sizes: &[usize], samples: usize) -> Value {
    let outputs = sizes[sizes.len() - 1];
    json!({
        "inputs": inputs,
        "layers": sizes.iter().map(|n| json!({"size": n, "activation": "sigmoid", "init": "xavier"})).collect::<Vec<_>>(),
        "loss": "half_sse",
        "learning_rate": 0.1,
        "seed": 1,
        "samples": (0..samples).map(|s| json!({
            "input": (0..inputs).map(|i| ((s * 7 + i * 3) % 11) as f64 / 11.0).collect::<Vec<_>>(),
            "target": (0..outputs).map(|j| if (s + j) % 2 == 0 { 0.9 } else { 0.1 }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn explain(query: &str, spec: &Value) -> (u16, Vec<u8>) {
    let body = spec.to_string();
    let raw = format!(
        "POST /api/explain?{query} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let reply = answer(raw.as_bytes(), &site(), &Limits::default());
    (reply.status, reply.body)
}

fn error(body: &[u8]) -> String {
    let v: Value = serde_json::from_slice(body).unwrap();
    v["error"].as_str().unwrap().to_string()
}

#[test]
fn the_request_that_took_15_seconds_and_550_mb_is_refused_before_any_work() {
    // 64 inputs, layers [64, 64, 2], 21 samples: 8320 weights, 130 neurons.
    // 2 × (5723 + 1) × 21 × (8320 + 4 × 130) = 2125206720: both orders, and the shown
    // round once more in both for the Practice mode's data.
    let (status, body) = explain("rounds=5723&show=1", &spec(64, &[64, 64, 2], 21));
    assert_eq!(status, 400);
    assert_eq!(
        error(&body),
        "2 × (5723 rounds + 1 shown again for practice) × 21 samples × (8320 weights + 4 × 130 \
         neurons) is 2125206720 units of work; the limit is 100000000 per request: ask for fewer rounds, samples or neurons"
    );
    // Even one round of it shows too much: 1 × (21 × (8320 + 32 × 130 + 4 × 64) + 16 × 8320)
    // = 400576 terms.
    let (status, body) = explain("rounds=1&show=1", &spec(64, &[64, 64, 2], 21));
    assert_eq!(status, 400);
    assert_eq!(
        error(&body),
        "showing 1 rounds of 21 samples in full is 1 × (21 × (8320 weights + 32 × 130 neurons \
         + 4 × 64 inputs) + 16 × 8320 weights) = 400576 terms; the limit is 30000: show fewer \
         rounds, or use fewer samples or neurons"
    );
}

#[test]
fn the_largest_shown_explanation_is_answered_within_its_size_bound() {
    // 32 inputs, layers [32, 2]: 1088 weights, 34 neurons. 5 samples:
    // 5 × (1088 + 32 × 34 + 4 × 32) + 16 × 1088 = 28928 terms; 6 samples: 31232.
    let size = Size::of(32, &[32, 2]);
    assert_eq!(size.terms(1, 5), 28_928);
    assert_eq!(size.terms(1, 6), 31_232);
    let (status, body) = explain("rounds=1&show=1", &spec(32, &[32, 2], 5));
    assert_eq!(status, 200);
    // The bound README states: at most 200 bytes of answer per term (180 measured).
    assert!(
        body.len() <= 200 * 28_928,
        "{} bytes for 28928 terms",
        body.len()
    );
    let data: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(data["explanation"]["rounds"].as_array().unwrap().len(), 1);
    let (status, body) = explain("rounds=1&show=1", &spec(32, &[32, 2], 6));
    assert_eq!(status, 400);
    assert!(error(&body).ends_with(
        "= 31232 terms; the limit is 30000: show fewer rounds, or use fewer samples or neurons"
    ));
}

#[test]
fn training_work_is_counted_for_both_orders_up_to_the_limit() {
    // 4 inputs, layers [8, 2]: 48 weights, 10 neurons; 64 samples.
    // 2 orders × (rounds + 1 shown again) × 64 × (48 + 40) = 11264 per round: 8876
    // rounds is 99990528, 8877 is 100001792.
    let value = spec(4, &[8, 2], 64);
    let parsed = Spec::parse(&value.to_string(), Path::new("request")).unwrap();
    let limits = Limits::default();
    assert_eq!(2 * Size::of(4, &[8, 2]).work(8877, 64), 99_990_528);
    assert!(limits.check_explain(&parsed, 8876, 1).is_ok());
    let (status, body) = explain("rounds=8877&show=1", &value);
    assert_eq!(status, 400);
    assert!(error(&body).starts_with(
        "2 × (8877 rounds + 1 shown again for practice) × 64 samples × (48 weights + 4 × 10 \
         neurons) is 100001792 units of work"
    ));
}

#[test]
fn the_playground_counts_its_steps_and_its_grid() {
    let train = |body: Value| {
        let body = body.to_string();
        let raw = format!(
            "POST /api/train HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let reply = answer(raw.as_bytes(), &site(), &Limits::default());
        (reply.status, error(&reply.body))
    };
    // 2 inputs, layers [64, 64, 2]: 4352 weights, 130 neurons; 2000 points:
    // 2000 × (4352 + 520) = 9744000 per step, so 10 steps is 97440000 and 11 too many.
    assert_eq!(Size::of(2, &[64, 64, 2]).work(10, 2000), 97_440_000);
    let (status, message) =
        train(json!({"dataset": "moons", "samples": 2000, "hidden": [64, 64], "steps": 11}));
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "11 rounds × 2000 samples × (4352 weights + 4 × 130 neurons) is 107184000 units of \
         work; the limit is 100000000 per request: ask for fewer rounds, samples or neurons"
    );
    // Seven hidden layers of 64 over a 100 × 100 grid: 2 × 64 + 6 × 64 × 64 + 64 × 2
    // = 24832 weights, 450 neurons; 10000 × (24832 + 4 × 450) = 266320000.
    let deep = vec![64; 7];
    let (status, message) = train(json!({"dataset": "moons", "hidden": deep, "grid": 100}));
    assert_eq!(status, 400);
    assert_eq!(
        message,
        "drawing a grid of 100 × 100 cells with this network is 266320000 units of work; \
         the limit is 100000000: ask for a smaller grid or fewer neurons"
    );
}
