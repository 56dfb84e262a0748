//! The optimizers on the engine's own training step: the tutorial network learns with
//! each, the plain kind is the explainer's `Sgd`, and checkpoints continue exactly.

use backprop::optim::{Optimizer, OptimizerConfig, OptimizerKind, OptimizerState, Schedule};
use backprop::{Bias, Float, Network, Order, Sgd, Update};
use backprop_explain::Spec;

/// The tutorial's network with a trainable bias per neuron in the output layer (the
/// hidden layer keeps its frozen shared bias).
fn spec() -> Spec {
    let mut spec = Spec::tutorial();
    spec.layers[1].bias = Some(Bias::PerNeuron(vec![0.6, 0.6]));
    spec.layers[1].train_bias = Some(true);
    spec
}

fn config(kind: OptimizerKind) -> OptimizerConfig {
    let learning_rate = match kind {
        OptimizerKind::Adam | OptimizerKind::AdamW => 0.05,
        _ => 0.5,
    };
    OptimizerConfig {
        kind,
        learning_rate,
        ..OptimizerConfig::default()
    }
}

/// Trains `net` for `steps` rounds on the spec's batch, the rate from `schedule` with
/// one step per epoch; returns the losses.
fn train<T: Float, U: Update<T>>(
    net: &mut Network<T>,
    update: &mut U,
    steps: std::ops::Range<usize>,
    order: Order,
    mut set_rate: impl FnMut(&mut U, usize),
) -> Vec<f64> {
    let (x, t) = spec().batch::<T>();
    let mut ws = net.workspace(x.rows());
    steps
        .map(|step| {
            set_rate(update, step);
            let e = net
                .train_step(&mut ws, &x, &t, order, update, &mut ())
                .unwrap();
            e.widen()
        })
        .collect()
}

fn keep<U>(_: &mut U, _: usize) {}

#[test]
fn every_optimizer_lowers_the_tutorials_loss() {
    for kind in OptimizerKind::ALL {
        let mut net: Network<f64> = spec().network();
        let mut opt = Optimizer::new(config(kind), &net);
        let losses = train(&mut net, &mut opt, 0..300, Order::Textbook, keep);
        let (first, last) = (losses[0], losses[299]);
        assert!(
            last < first / 10.0,
            "{kind}: the loss went from {first} to {last}"
        );
        assert_eq!(opt.steps(), 300);
        assert_eq!(
            net.layers[0].bias,
            Bias::Shared(0.35),
            "{kind} moved a frozen bias"
        );
    }
}

#[test]
fn plain_sgd_is_the_explainers_sgd() {
    for order in [Order::Textbook, Order::Published] {
        let mut a: Network<f64> = spec().network();
        let mut b = a.clone();
        train(&mut a, &mut Sgd { learning_rate: 0.5 }, 0..50, order, keep);
        let mut opt = Optimizer::new(config(OptimizerKind::Sgd), &b);
        train(&mut b, &mut opt, 0..50, order, keep);
        assert_eq!(a, b);
    }
}

#[test]
fn clipping_needs_the_textbook_order() {
    let clipped = OptimizerConfig {
        clip_norm: Some(1e-3),
        ..config(OptimizerKind::Sgd)
    };
    let run = |config: &OptimizerConfig, order| {
        let mut net: Network<f64> = spec().network();
        let mut opt = Optimizer::new(config.clone(), &net);
        train(&mut net, &mut opt, 0..5, order, keep);
        net
    };
    let plain = config(OptimizerKind::Sgd);
    // Published order never calls before_updates, so nothing is measured or clipped.
    assert_eq!(
        run(&clipped, Order::Published),
        run(&plain, Order::Published)
    );
    assert_ne!(run(&clipped, Order::Textbook), run(&plain, Order::Textbook));
}

/// Trains 40 steps straight and 20 + 20 with the state exported, sent through JSON
/// and imported into a fresh optimizer; the parameters must agree bit for bit.
fn resumes_exactly<T: Float>(kind: OptimizerKind, through_json: bool) {
    let config = OptimizerConfig {
        weight_decay: 0.01,
        clip_norm: Some(0.05),
        ..config(kind)
    };
    let schedule = Schedule::Cosine {
        epochs: 30,
        min_lr: 0.001,
    };
    let base = config.learning_rate;
    let set = |o: &mut Optimizer<T>, step| o.set_learning_rate(schedule.rate(base, step));

    let mut straight: Network<T> = spec().network();
    let mut opt = Optimizer::new(config.clone(), &straight);
    train(&mut straight, &mut opt, 0..40, Order::Textbook, set);

    let mut first: Network<T> = spec().network();
    let mut opt = Optimizer::new(config.clone(), &first);
    train(&mut first, &mut opt, 0..20, Order::Textbook, set);
    let mut state = opt.export();
    if through_json {
        state = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
    }
    let mut resumed = first.clone();
    let mut opt = Optimizer::new(config, &resumed);
    opt.import(&state).unwrap();
    assert_eq!(opt.steps(), 20);
    train(&mut resumed, &mut opt, 20..40, Order::Textbook, set);

    assert_eq!(straight, resumed, "{kind}");
    assert_ne!(straight, first, "{kind}");
}

#[test]
fn export_and_import_continue_bit_identically() {
    for kind in OptimizerKind::ALL {
        resumes_exactly::<f64>(kind, false);
        // f32 widened to f64 survives JSON exactly.
        resumes_exactly::<f32>(kind, true);
    }
}

#[test]
fn states_are_named_by_layer_parameter_and_buffer() {
    let net: Network<f32> = spec().network();
    let names = |kind| {
        let state: OptimizerState = Optimizer::new(config(kind), &net).export();
        let names: Vec<String> = state.tensors.into_iter().map(|(n, _)| n).collect();
        names.join(" ")
    };
    assert_eq!(names(OptimizerKind::Sgd), "");
    assert_eq!(
        names(OptimizerKind::Nesterov),
        "layers.0.weight.momentum_buffer layers.0.bias.momentum_buffer \
         layers.1.weight.momentum_buffer layers.1.bias.momentum_buffer"
    );
    assert_eq!(
        names(OptimizerKind::Rprop),
        "layers.0.weight.delta layers.0.weight.prev_grad layers.0.bias.delta \
         layers.0.bias.prev_grad layers.1.weight.delta layers.1.weight.prev_grad \
         layers.1.bias.delta layers.1.bias.prev_grad"
    );
}
