//! Every equation the explanation prints is true from its own printed numbers: each
//! chain `name = formula = numbers = result` is read back from the terminal text, the
//! Markdown and the page's data, in every registered language, and every `=` between numbers
//! is evaluated over the intervals the rounded numbers stand for (see `check/`).
//! Random networks cover every hidden activation, every loss with each output it
//! accepts, 1–4 layers, batches of 1–4, shared, per-neuron and default biases, trained
//! and frozen, in both update orders, with three rounds shown in full.

mod check;

use backprop::Order;
use backprop_explain::Spec;
use backprop_explain::{explain, markdown, page, text, Lang, Options};
use proptest::prelude::*;
use serde_json::{json, Value};

/// The failures of every printed chain of `spec`'s explanation, in every format and
/// language.
fn failures(spec: &Spec, order: Order, rounds: usize) -> Vec<String> {
    let options = Options {
        rounds,
        show: rounds,
        order: Some(order),
    };
    let ex = explain(spec, options).unwrap();
    let mut out = Vec::new();
    let mut counted = 0;
    let doc = backprop_explain::document(&ex);
    for &lang in Lang::ALL {
        let t = check::chains::text(&text::render(&doc, lang, false));
        let m = check::chains::markdown(&markdown::render(&doc, lang));
        assert!(
            !t.is_empty() && t.len() == m.len(),
            "{} text chains, {} Markdown",
            t.len(),
            m.len()
        );
        counted += t.len();
        out.extend(check::failures(&format!("text ({lang:?})"), &t));
        out.extend(check::failures(&format!("Markdown ({lang:?})"), &m));
    }
    let data = page::page_data(&ex).unwrap();
    let mut page_chains = Vec::new();
    for (key, q) in &data.quantities {
        let Some(eq) = &q.equation else { continue };
        for lang in Lang::ALL {
            // The page's scripts fill the words in by the same rule.
            let latex = eq.fill(*lang);
            for c in check::chains::aligned(&format!("{latex}\\\\\n")) {
                page_chains.push((format!("page {key} ({})", lang.code()), c));
            }
        }
    }
    assert!(!page_chains.is_empty() && counted > 0);
    // Every number an equation substitutes can be opened on the page.
    for (key, q) in &data.quantities {
        for used in &q.uses {
            if !data.quantities.contains_key(used) {
                out.push(format!("page: {key} uses {used}, which is missing"));
            }
        }
    }
    for (what, c) in &page_chains {
        out.extend(check::failures(what, std::slice::from_ref(c)));
    }
    out
}

fn assert_all_true(spec: &Spec, order: Order, rounds: usize) {
    let f = failures(spec, order, rounds);
    assert!(
        f.is_empty(),
        "{} false equations, the first:\n{}",
        f.len(),
        f.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}

fn example(name: &str) -> Spec {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    Spec::load(std::path::Path::new(&path)).unwrap()
}

#[test]
fn the_tutorial_in_both_orders() {
    for order in [Order::Textbook, Order::Published] {
        assert_all_true(&Spec::tutorial(), order, 3);
    }
}

#[test]
fn the_examples() {
    for name in ["softmax.toml", "xor.json"] {
        for order in [Order::Textbook, Order::Published] {
            assert_all_true(&example(name), order, 3);
        }
    }
}

/// The optimizers, each with settings away from the defaults.
fn optimizers() -> Vec<Value> {
    vec![
        json!({"kind": "sgd"}),
        json!({"kind": "momentum", "momentum": 0.8}),
        json!({"kind": "nesterov", "momentum": 0.9}),
        json!({"kind": "adam", "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}),
        json!({"kind": "adamw", "weight_decay": 0.05}),
        json!({"kind": "rprop", "eta_minus": 0.4, "eta_plus": 1.3, "initial_step": 0.05}),
    ]
}

#[test]
fn the_tutorial_with_every_optimizer_in_both_orders() {
    for optimizer in optimizers() {
        let mut json: Value = serde_json::from_str(backprop_explain::spec::TUTORIAL_JSON).unwrap();
        json["optimizer"] = optimizer;
        // Trained biases, so that shared biases keep a state too.
        json["train_bias"] = json!(true);
        for order in [Order::Textbook, Order::Published] {
            assert_all_true(&parse(json.clone()), order, 3);
        }
        // Every placeholder of the optimizer's sentence is filled, in every language.
        let ex = explain(
            &parse(json),
            Options {
                rounds: 1,
                show: 1,
                order: None,
            },
        )
        .unwrap();
        let doc = backprop_explain::document(&ex);
        for &lang in Lang::ALL {
            let shown = text::render(&doc, lang, false);
            let open = shown
                .match_indices('{')
                .any(|(i, _)| shown[i + 1..].starts_with(|c: char| c.is_ascii_lowercase()));
            assert!(!open, "an unfilled placeholder in {lang:?}:\n{shown}");
        }
    }
}

fn parse(json: Value) -> Spec {
    Spec::parse(&json.to_string(), std::path::Path::new("case.json")).unwrap()
}

/// Round 2 substitutes the bias that round 1 updated (a shared bias, as in the tutorial,
/// but trained).
#[test]
fn trained_biases_are_substituted_after_round_one() {
    let spec = parse(json!({
        "inputs": 1,
        "layers": [
            {"size": 2, "activation": "relu", "weights": [[-0.2], [0.4]], "bias": -0.3},
            {"size": 2, "activation": "softmax", "weights": [[0.3, -0.1], [0.2, 0.5]], "bias": [0.1, -0.1]}
        ],
        "loss": "cross_entropy", "learning_rate": 0.5, "train_bias": true,
        "samples": [{"input": [1.45], "target": [0, 1]}]
    }));
    assert_all_true(&spec, Order::Textbook, 2);
}

/// With several samples the averaging factor multiplies the whole difference:
/// 1/B × (out − target), for ½·SSE and for softmax with cross-entropy.
#[test]
fn batch_formulas_have_their_brackets() {
    let samples = json!([
        {"input": [0.05, 0.1], "target": [0.01, 0.99]},
        {"input": [0.3, -0.2], "target": [0.5, 0.5]},
        {"input": [1.0, 0.0], "target": [0.2, 0.8]}
    ]);
    let mut spec = parse(json!({
        "inputs": 2,
        "layers": [
            {"size": 2, "activation": "sigmoid", "weights": [[0.15, 0.2], [0.25, 0.3]], "bias": 0.35},
            {"size": 2, "activation": "sigmoid", "weights": [[0.4, 0.45], [0.5, 0.55]], "bias": 0.6}
        ],
        "loss": "half_sse", "learning_rate": 0.5, "train_bias": false, "samples": samples
    }));
    assert_all_true(&spec, Order::Textbook, 1);
    spec.layers[1].activation = backprop::Activation::Softmax;
    spec.loss = backprop::Loss::CrossEntropy;
    spec.samples[0].target = vec![0.0, 1.0];
    spec.samples[1].target = vec![1.0, 0.0];
    spec.samples[2].target = vec![0.0, 1.0];
    assert_all_true(&spec, Order::Textbook, 1);
}

const HIDDEN: [&str; 5] = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"];
/// Each loss with the output activations it accepts.
const LOSS_OUTPUT: [(&str, &[&str]); 4] = [
    (
        "half_sse",
        &[
            "sigmoid",
            "tanh",
            "relu",
            "leaky_relu",
            "identity",
            "softmax",
        ],
    ),
    (
        "mse",
        &[
            "sigmoid",
            "tanh",
            "relu",
            "leaky_relu",
            "identity",
            "softmax",
        ],
    ),
    ("cross_entropy", &["sigmoid", "softmax"]),
    ("binary_cross_entropy", &["sigmoid", "softmax"]),
];

/// A random spec as JSON.
fn spec_strategy() -> impl Strategy<Value = (Value, Order)> {
    let layers = prop::collection::vec(
        (
            1usize..=3,
            0usize..HIDDEN.len(),
            0u8..3,
            any::<Option<bool>>(),
        ),
        1..=4,
    );
    (
        1usize..=3,
        layers,
        0usize..LOSS_OUTPUT.len(),
        0usize..6,
        1usize..=4,
        any::<bool>(),
        any::<bool>(),
        any::<u64>(),
    )
        .prop_map(
            |(inputs, layers, loss, out_act, batch, train_bias, published, seed)| {
                let mut rng = Lcg(seed | 1);
                let (loss_name, outputs) = LOSS_OUTPUT[loss];
                let last = layers.len() - 1;
                let mut fan_in = inputs;
                let layer_json: Vec<Value> = layers
                    .iter()
                    .enumerate()
                    .map(|(l, &(size, act, bias, train))| {
                        let activation = if l == last {
                            outputs[out_act % outputs.len()]
                        } else {
                            HIDDEN[act]
                        };
                        let weights: Vec<Vec<f64>> = (0..size)
                            .map(|_| (0..fan_in).map(|_| rng.uniform(-1.0, 1.0)).collect())
                            .collect();
                        fan_in = size;
                        let mut layer =
                            json!({"size": size, "activation": activation, "weights": weights});
                        match bias {
                            0 => {}
                            1 => layer["bias"] = json!(rng.uniform(-0.5, 0.5)),
                            _ => {
                                layer["bias"] = json!((0..size)
                                    .map(|_| rng.uniform(-0.5, 0.5))
                                    .collect::<Vec<_>>())
                            }
                        }
                        if let Some(t) = train {
                            layer["train_bias"] = json!(t);
                        }
                        layer
                    })
                    .collect();
                let outputs_n = layers[last].0;
                let samples: Vec<Value> = (0..batch)
                    .map(|_| {
                        let input: Vec<f64> = (0..inputs).map(|_| rng.uniform(-2.0, 2.0)).collect();
                        let target: Vec<f64> = match loss_name {
                            "cross_entropy" => {
                                let hot = (rng.uniform(0.0, 1.0) * outputs_n as f64) as usize;
                                (0..outputs_n)
                                    .map(|j| {
                                        if j == hot.min(outputs_n - 1) {
                                            1.0
                                        } else {
                                            0.0
                                        }
                                    })
                                    .collect()
                            }
                            "binary_cross_entropy" => {
                                (0..outputs_n).map(|_| rng.uniform(0.0, 1.0)).collect()
                            }
                            _ => (0..outputs_n).map(|_| rng.uniform(-1.0, 1.0)).collect(),
                        };
                        json!({"input": input, "target": target})
                    })
                    .collect();
                let spec = json!({
                    "inputs": inputs,
                    "layers": layer_json,
                    "loss": loss_name,
                    "learning_rate": rng.uniform(0.05, 1.0),
                    "train_bias": train_bias,
                    "samples": samples,
                });
                let order = if published {
                    Order::Published
                } else {
                    Order::Textbook
                };
                (spec, order)
            },
        )
}

/// A small generator for the values inside a case, so that proptest shrinks the shape
/// while the numbers follow from one seed.
struct Lcg(u64);

impl Lcg {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let unit = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        // Round to 3 decimals, as a learner would write a spec.
        ((lo + unit * (hi - lo)) * 1000.0).round() / 1000.0
    }
}

/// A random optimizer with random settings in the ranges PyTorch accepts.
fn optimizer_strategy() -> impl Strategy<Value = Value> {
    (0usize..6, any::<u64>()).prop_map(|(kind, seed)| {
        let mut rng = Lcg(seed | 1);
        match kind {
            0 => json!({"kind": "sgd"}),
            1 => json!({"kind": "momentum", "momentum": rng.uniform(0.0, 0.99)}),
            2 => json!({"kind": "nesterov", "momentum": rng.uniform(0.01, 0.99)}),
            3 => json!({"kind": "adam", "beta1": rng.uniform(0.0, 0.99),
                        "beta2": rng.uniform(0.5, 0.999), "epsilon": 1e-8}),
            4 => json!({"kind": "adamw", "beta1": rng.uniform(0.0, 0.99),
                        "weight_decay": rng.uniform(0.0, 0.2)}),
            _ => json!({"kind": "rprop", "eta_minus": rng.uniform(0.1, 0.9),
                        "eta_plus": rng.uniform(1.05, 2.0), "step_max": rng.uniform(1.0, 50.0),
                        "initial_step": rng.uniform(0.001, 0.5)}),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_printed_optimizer_equation_is_true(
        (mut json, order) in spec_strategy(),
        optimizer in optimizer_strategy(),
    ) {
        json["optimizer"] = optimizer;
        let text = json.to_string();
        let spec = Spec::parse(&text, std::path::Path::new("random.json"))
            .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let f = failures(&spec, order, 3);
        prop_assert!(f.is_empty(), "{} false equations in {text}, the first:\n{}", f.len(),
            f.iter().take(5).cloned().collect::<Vec<_>>().join("\n"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_printed_equation_is_true((json, order) in spec_strategy()) {
        let text = json.to_string();
        let spec = Spec::parse(&text, std::path::Path::new("random.json"))
            .map_err(|e| TestCaseError::fail(format!("{e}: {text}")))?;
        let f = failures(&spec, order, 3);
        prop_assert!(
            f.is_empty(),
            "{} false equations in {text} ({order:?}), the first:\n{}",
            f.len(),
            f.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
        );
    }
}
