//! The engine against an independent autograd: `tests/data/reference_vectors.json` holds
//! random networks with their loss, gradients and parameters after one gradient-descent
//! step, computed by JAX in float64 (`scripts/reference/generate.py`; regenerate with
//! `scripts/reference/regenerate`). Every value must agree to 1e-12 relative.

use std::path::Path;

use backprop::{Bias, Network, Order, Sgd};
use backprop_explain::Spec;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    spec: serde_json::Value,
    loss: f64,
    grads: Vec<Params>,
    after: Vec<Params>,
}

#[derive(Deserialize)]
struct Params {
    weights: Vec<Vec<f64>>,
    bias: serde_json::Value,
}

const RELATIVE: f64 = 1e-12;

#[track_caller]
fn agree(what: &str, actual: f64, expected: f64) {
    let scale = actual.abs().max(expected.abs());
    assert!(
        (actual - expected).abs() <= RELATIVE * scale,
        "{what}: engine {actual:e}, JAX {expected:e}"
    );
}

fn bias_values(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => {
            items.iter().filter_map(serde_json::Value::as_f64).collect()
        }
        other => other.as_f64().into_iter().collect(),
    }
}

fn compare(name: &str, kind: &str, weights: &[Vec<f64>], bias: &Bias<f64>, expected: &Params) {
    assert_eq!(weights.len(), expected.weights.len(), "{name} {kind} rows");
    for (j, (row, exp)) in weights.iter().zip(&expected.weights).enumerate() {
        assert_eq!(row.len(), exp.len());
        for (k, (&a, &e)) in row.iter().zip(exp).enumerate() {
            agree(&format!("{name} {kind} weights[{j}][{k}]"), a, e);
        }
    }
    let expected_bias = bias_values(&expected.bias);
    assert_eq!(
        bias.as_slice().len(),
        expected_bias.len(),
        "{name} {kind} bias kind"
    );
    for (j, (&a, &e)) in bias.as_slice().iter().zip(&expected_bias).enumerate() {
        agree(&format!("{name} {kind} bias[{j}]"), a, e);
    }
}

#[test]
fn loss_gradients_and_update_agree_with_jax() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/reference_vectors.json"
    ))
    .expect("reference vectors are committed");
    let vectors: Vectors = serde_json::from_str(&text).expect("valid vectors");
    assert!(vectors.cases.len() >= 40);
    for case in &vectors.cases {
        let spec = Spec::parse(
            &case.spec.to_string(),
            Path::new(&format!("{}.json", case.name)),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut net: Network<f64> = spec.network();
        let (x, t) = spec.batch::<f64>();
        let mut ws = net.workspace(x.rows());
        let mut sgd = Sgd {
            learning_rate: spec.learning_rate,
        };
        let loss = net
            .train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ())
            .unwrap();
        agree(&format!("{} loss", case.name), loss, case.loss);
        for (l, layer) in net.layers.iter().enumerate() {
            let buf = &ws.layers[l];
            compare(
                &case.name,
                &format!("grad layers[{l}]"),
                &buf.grad_w.to_rows_f64(),
                &buf.grad_b,
                &case.grads[l],
            );
            compare(
                &case.name,
                &format!("after layers[{l}]"),
                &layer.weights.to_rows_f64(),
                &layer.bias,
                &case.after[l],
            );
        }
    }
}
