//! What the explanation says around its equations: the trained biases among the final
//! parameters, the moment of the update in the published order, and what a gradient is
//! when a batch has several samples.

use backprop::Order;
use backprop_explain::Spec;
use backprop_explain::{explain, text, Lang, Options};

fn rendered(spec: &Spec, order: Order, rounds: usize, show: usize, lang: Lang) -> String {
    let options = Options {
        rounds,
        show,
        order: Some(order),
    };
    let ex = explain(spec, options).unwrap();
    text::render(&backprop_explain::document(&ex), lang, false)
}

fn trained_tutorial() -> Spec {
    let mut spec = Spec::tutorial();
    spec.train_bias = true;
    spec
}

#[test]
fn final_parameters_include_trained_biases() {
    let out = rendered(&trained_tutorial(), Order::Textbook, 3, 1, Lang::En);
    let line = out
        .lines()
        .find(|l| l.starts_with("Weights and biases after 3 rounds: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("w8 = ") && line.contains("b1 = ") && line.contains("b2 = "));
    // The tutorial keeps its biases fixed: they are not listed as results.
    let frozen = rendered(&Spec::tutorial(), Order::Textbook, 3, 1, Lang::En);
    assert!(frozen.contains("Weights after 3 rounds: "));
    assert!(!frozen.contains("Weights and biases"));
    let zh = rendered(&trained_tutorial(), Order::Textbook, 3, 1, Lang::Zh);
    assert!(zh.contains("3 轮后的权重和偏置："));
    let es = rendered(&trained_tutorial(), Order::Textbook, 3, 1, Lang::Es);
    assert!(es.contains("Pesos y sesgos tras 3 épocas: "), "{es}");
}

#[test]
fn final_biases_are_the_engines() {
    // b2 after 3 rounds, from the JSON trace's milestone (the same engine run).
    let spec = trained_tutorial();
    let options = Options {
        rounds: 3,
        show: 1,
        order: Some(Order::Textbook),
    };
    let ex = explain(&spec, options).unwrap();
    let b2 = ex.milestones.last().unwrap().params[1].bias.get(0);
    let out = rendered(&spec, Order::Textbook, 3, 1, Lang::En);
    let shown = backprop_explain::expr::format_number(b2);
    assert!(out.contains(&format!("b2 = {shown}")), "{shown} in {out}");
}

#[test]
fn the_published_order_says_when_each_layer_is_updated() {
    let out = rendered(&Spec::tutorial(), Order::Published, 1, 1, Lang::En);
    let heading = out
        .find("Updating now: Hidden layer → output layer")
        .expect("a heading at the output layer's update");
    let hidden_backward = out
        .find("∂E_o1/∂out_h1 = δ_o1 × w5⁺")
        .expect("the hidden layer's error goes through w5⁺");
    let w5 = out.find("w5⁺ = w5 - η").unwrap();
    assert!(heading < w5 && w5 < hidden_backward);
    assert!(out.contains("before the layers below are back-propagated"));
    let zh = rendered(&Spec::tutorial(), Order::Published, 1, 1, Lang::Zh);
    assert!(zh.contains("立即更新：隐含层 → 输出层"));
    let es = rendered(&Spec::tutorial(), Order::Published, 1, 1, Lang::Es);
    assert!(es.contains("Actualización inmediata: Capa oculta → capa de salida"));
    // The textbook order has one update section after the whole backward pass.
    let textbook = rendered(&Spec::tutorial(), Order::Textbook, 1, 1, Lang::En);
    assert!(!textbook.contains("Updating now"));
    assert!(textbook.contains("Updating the weights"));
}

#[test]
fn with_several_samples_a_gradient_is_an_average() {
    let mut spec = Spec::tutorial();
    spec.samples.push(spec.samples[0].clone());
    spec.samples[1].input = vec![0.3, -0.2];
    let out = rendered(&spec, Order::Textbook, 1, 1, Lang::En);
    assert!(
        !out.contains("is a product of three chain-rule factors"),
        "{out}"
    );
    assert!(out.contains("the average over the 2 samples of the three-factor product"));
    assert!(out.contains("the loss's averaging factor 1/2 is already inside ∂E/∂out"));
    let single = rendered(&Spec::tutorial(), Order::Textbook, 1, 1, Lang::En);
    assert!(single.contains("is a product of three chain-rule factors"));
}

#[test]
fn relu_derivatives_state_their_condition_beside_the_value() {
    let json = r#"{"inputs": 1, "layers": [
      {"size": 3, "activation": "relu", "weights": [[1.0], [-1.0], [1.0]], "bias": [0.3, 0.2, -1.0]},
      {"size": 1, "activation": "identity", "weights": [[0.5, 0.5, 0.5]]}],
      "loss": "half_sse", "learning_rate": 0.1, "samples": [{"input": [1.0], "target": [0.5]}]}"#;
    let spec = Spec::parse(json, std::path::Path::new("relu.json")).unwrap();
    let out = rendered(&spec, Order::Textbook, 1, 1, Lang::En);
    // net = 1 × 1 + 0.3 = 1.3, −1 + 0.2 = −0.8, 1 − 1 = 0 (hand derivation).
    assert!(
        out.contains("∂out⁽¹⁾₁/∂net⁽¹⁾₁ = 1   (net⁽¹⁾₁ = 1.3 > 0)"),
        "{out}"
    );
    assert!(
        out.contains("∂out⁽¹⁾₂/∂net⁽¹⁾₂ = 0   (net⁽¹⁾₂ = -0.8 < 0)"),
        "{out}"
    );
    assert!(
        out.contains(
            "∂out⁽¹⁾₃/∂net⁽¹⁾₃ = 0   (net⁽¹⁾₃ = 0: no derivative at the kink; the engine takes 0)"
        ),
        "{out}"
    );
    let zh = rendered(&spec, Order::Textbook, 1, 1, Lang::Zh);
    assert!(
        zh.contains("∂out⁽¹⁾₁/∂net⁽¹⁾₁ = 1（此处 net⁽¹⁾₁ = 1.3 > 0）"),
        "{zh}"
    );
    let es = rendered(&spec, Order::Textbook, 1, 1, Lang::Es);
    assert!(
        es.contains(
            "∂out⁽¹⁾₃/∂net⁽¹⁾₃ = 0   (net⁽¹⁾₃ = 0: no es derivable en el punto de quiebre; el motor toma 0)"
        ),
        "{es}"
    );
}

#[test]
fn too_many_final_parameters_say_where_they_are() {
    // softmax.toml (3-2-3, biases trained) has 3·2 + 2 + 2·3 + 3 = 17 parameters, more
    // than a sentence lists.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/softmax.toml");
    let spec = Spec::load(std::path::Path::new(path)).unwrap();
    let out = rendered(&spec, Order::Textbook, 5, 1, Lang::En);
    assert!(
        out.contains("The 17 parameters after 5 rounds are too many to list here; the JSON trace holds them all"),
        "{out}"
    );
}
