//! `check` on networks other than the tutorial: every quantity's name resolves in both
//! spellings, right values are right, and the catalogue's mistakes are found on a
//! random network, each wrong number computed here from the recorded trace's fields.

use std::path::Path;

use backprop_explain::check::{check_text, names, Mistake, Verdict};
use backprop_explain::{explain, Explanation, Options, Spec};

fn spec(name: &str) -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    Spec::load(&path).unwrap()
}

/// A 3-3-3 sigmoid network with random weights, per-neuron trained biases and two
/// samples, so that the hidden layer is square (for swapped indices) and the names
/// carry a sample index.
fn random() -> Spec {
    let text = r#"{
      "inputs": 3,
      "layers": [
        {"size": 3, "activation": "sigmoid", "init": "xavier", "bias": [0.1, -0.2, 0.3]},
        {"size": 3, "activation": "sigmoid", "init": "xavier", "bias": [0.05, 0.0, -0.1]}
      ],
      "loss": "half_sse",
      "learning_rate": 0.7,
      "seed": 11,
      "samples": [
        {"input": [0.3, -0.8, 0.5], "target": [0.1, 0.9, 0.4]},
        {"input": [-0.2, 0.6, 0.9], "target": [0.7, 0.2, 0.5]}
      ]
    }"#;
    Spec::parse(text, Path::new("random.json")).unwrap()
}

/// `spec` trained by the optimizer `json`.
fn with_optimizer(mut spec: Spec, json: &str) -> Spec {
    spec.optimizer = Some(serde_json::from_str(json).unwrap());
    spec
}

#[test]
fn every_name_resolves_and_its_value_is_right() {
    for spec in [
        spec("softmax.toml"),
        spec("xor.json"),
        random(),
        Spec::tutorial(),
        spec("adam.json"),
        with_optimizer(random(), r#"{"kind": "rprop"}"#),
        with_optimizer(random(), r#"{"kind": "nesterov"}"#),
    ] {
        let all = names::all(&spec);
        // First the values themselves, from a check of arbitrary numbers.
        let probe: String = all.iter().map(|n| format!("{} = 0\n", n.ascii)).collect();
        let report = check_text(&spec, &probe).unwrap();
        let mut right = String::new();
        for (n, a) in all.iter().zip(&report.answers) {
            let expected = a
                .expected
                .unwrap_or_else(|| panic!("{} has no value", n.unicode));
            right.push_str(&format!("{} = {expected:.9}\n", n.unicode));
            right.push_str(&format!("{} = {expected:.12}\n", n.ascii));
        }
        let report = check_text(&spec, &right).unwrap();
        for a in &report.answers {
            assert_eq!(a.verdict, Verdict::Right, "{a:?}");
        }
    }
}

/// `spec`'s first round, recorded, in the spec's order.
fn first_round(spec: &Spec) -> Explanation {
    let options = Options {
        rounds: 1,
        show: 1,
        order: None,
    };
    explain(spec, options).unwrap()
}

/// The mistakes of `answer` in `spec`'s round 1, which must be wrong.
fn mistakes(spec: &Spec, name: &str, value: f64) -> Vec<Mistake> {
    let report = check_text(spec, &format!("{name} = {value:.12}")).unwrap();
    let a = &report.answers[0];
    assert_eq!(a.verdict, Verdict::Wrong, "{name} = {value}: {a:?}");
    a.mistakes.clone()
}

#[test]
fn the_mistakes_on_a_random_network() {
    let spec = random();
    let ex = first_round(&spec);
    let r = &ex.rounds[0];
    let (hidden, top) = (&r.layers[0], &r.layers[1]);
    let eta = 0.7;
    // Layer 2 (output), neuron 2, input 1; names are 1-based: w⁽²⁾₂,₁.
    let (j, k) = (1, 0);
    let w = top.weights_before[j][k];
    let g = top.grad_weights[j][k];
    let has = |m: &[Mistake], x: Mistake| assert!(m.contains(&x), "{x:?} not in {m:?}");

    // w + η·g and w − g.
    has(
        &mistakes(&spec, "w(2)_2,1+", w + eta * g),
        Mistake::AddedUpdate,
    );
    has(
        &mistakes(&spec, "w(2)_2,1+", w - g),
        Mistake::MissingLearningRate,
    );
    // −g: (target − out) for ∂E/∂out.
    has(
        &mistakes(&spec, "dE_total/dw(2)_2,1", -g),
        Mistake::SignError,
    );
    // δ taken as ∂E/∂out: the gradient Σ_s ∂E/∂out[s] × out⁽¹⁾₁[s].
    let no_act: f64 = (0..2).map(|s| top.d_out[s][j] * top.input[s][k]).sum();
    has(
        &mistakes(&spec, "dE_total/dw(2)_2,1", no_act),
        Mistake::MissingActivationDerivative,
    );
    // net⁽¹⁾₁ for out⁽¹⁾₁ as the weight's input: Σ_s δ[s] × net⁽¹⁾₁[s].
    let with_net: f64 = (0..2).map(|s| top.d_net[s][j] * hidden.net[s][k]).sum();
    has(
        &mistakes(&spec, "dE_total/dw(2)_2,1", with_net),
        Mistake::NetForOut,
    );
    // The loss without the ½: twice it; ∂E/∂out with the 2: twice it.
    has(
        &mistakes(&spec, "E_total", 2.0 * r.loss),
        Mistake::MissingHalf,
    );
    has(
        &mistakes(&spec, "dE_total/dout(2)_3[2]", 2.0 * top.d_out[1][2]),
        Mistake::MissingHalf,
    );
    // Hidden neuron 2, sample 1: one path only (through output 3), and the swapped
    // indices (w⁽²⁾₂,ᵢ for w⁽²⁾ᵢ,₂).
    let (h, s) = (1, 0);
    let one_path = top.d_net[s][2] * top.weights_before[2][h];
    has(
        &mistakes(&spec, "dE_total/dout(1)_2[1]", one_path),
        Mistake::SinglePath,
    );
    let swapped: f64 = (0..3)
        .map(|i| top.d_net[s][i] * top.weights_before[h][i])
        .sum();
    has(
        &mistakes(&spec, "dE_total/dout(1)_2[1]", swapped),
        Mistake::WrongWeight,
    );
    // Through the updated weights above: Σ_i δ[s][i] × w⁺ᵢ,₂.
    let updated: f64 = (0..3)
        .map(|i| top.d_net[s][i] * top.weights_after[i][h])
        .sum();
    has(
        &mistakes(&spec, "dE_total/dout(1)_2[1]", updated),
        Mistake::UpdatedWeightsInHiddenDelta,
    );
}

/// `random()` with tanh hidden units, run in the published order.
fn tanh_published() -> Spec {
    let mut spec = random();
    spec.layers[0].activation = backprop::Activation::Tanh;
    spec.order = backprop::network::Order::Published;
    spec
}

#[test]
fn net_for_out_in_a_tanh_derivative() {
    let spec = tanh_published();
    let ex = first_round(&spec);
    let hidden = &ex.rounds[0].layers[0];
    let has = |m: &[Mistake], x: Mistake| assert!(m.contains(&x), "{x:?} not in {m:?}");
    // tanh′ = 1 − out²; with net for out, 1 − net² (hidden neuron 3, sample 2).
    let (j, s) = (2, 1);
    let net = hidden.net[s][j];
    has(
        &mistakes(&spec, "dout(1)_3[2]/dnet(1)_3[2]", 1.0 - net * net),
        Mistake::NetForOut,
    );
    // And δ from it: ∂E/∂out × (1 − net²).
    has(
        &mistakes(
            &spec,
            "delta(1)_3[2]",
            hidden.d_out[s][j] * (1.0 - net * net),
        ),
        Mistake::NetForOut,
    );
}

#[test]
fn original_weights_in_a_published_order_network() {
    let spec = tanh_published();
    let ex = first_round(&spec);
    let top = &ex.rounds[0].layers[1];
    // The published order sends the error down through w⁺; a learner who used the
    // original weights writes Σ_i δ[s][i] × wᵢ,₂ (hidden neuron 2, sample 1).
    let (h, s) = (1, 0);
    let original: f64 = (0..3)
        .map(|i| top.d_net[s][i] * top.weights_before[i][h])
        .sum();
    let found = mistakes(&spec, "dE_total/dout(1)_2[1]", original);
    assert!(
        found.contains(&Mistake::OriginalWeightsInHiddenDelta),
        "{found:?}"
    );
    assert!(!found.contains(&Mistake::UpdatedWeightsInHiddenDelta));
}

#[test]
fn an_optimizer_s_state_and_update_are_checked() {
    // The tutorial with Adam (examples/adam.json), round 1, by hand from the tutorial's
    // ∂E/∂w5 = 0.0821670406: m(w5)⁺ = 0.1 × g = 0.008216704, v(w5)⁺ = 0.001 × g² =
    // 6.7514e-6, and w5⁺ = 0.4 − 0.5 × g / (g + 1e-8) = −0.09999994.
    let spec = spec("adam.json");
    let report = check_text(
        &spec,
        "m(w5)+ = 0.008217\nv(w5)+ = 6.7514e-6\nw5+ = -0.1000\nw5+ = 0.9000\n",
    )
    .unwrap();
    let verdicts: Vec<Verdict> = report.answers.iter().map(|a| a.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Right,
            Verdict::Right,
            Verdict::Right,
            Verdict::Wrong
        ]
    );
    // The step added instead of subtracted: 2 × 0.4 − (−0.09999994) = 0.89999994.
    assert!(report.answers[3].mistakes.contains(&Mistake::AddedUpdate));
    // RPROP's names spell Δ as Delta: the first step is the initial one, 0.01.
    let rprop = with_optimizer(Spec::tutorial(), r#"{"kind": "rprop"}"#);
    let report = check_text(&rprop, "Delta(w5)+ = 0.01\ng_prev(w5)+ = 0.0822").unwrap();
    assert!(
        report.answers.iter().all(|a| a.verdict == Verdict::Right),
        "{report:?}"
    );
}
