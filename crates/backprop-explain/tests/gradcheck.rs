//! Property tests: on random networks, for every hidden activation × loss × valid output
//! activation, with several layers, batches larger than one, and shared and per-neuron
//! biases, backpropagation's gradients equal a fourth-order finite difference of the
//! loss (the definition of the derivative, independent of any chain rule).

use std::path::Path;

use backprop::gradcheck;
use backprop::{Activation, Bias, Loss, Network, Order, Sgd};
use backprop_explain::Spec;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};

const HIDDEN: [Activation; 5] = [
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Relu,
    Activation::LeakyRelu,
    Activation::Identity,
];

/// The structure of a random network; the numbers come from `seed`.
#[derive(Debug, Clone)]
struct Shape {
    inputs: usize,
    hidden: Vec<(usize, Activation, bool)>,
    outputs: usize,
    output: Activation,
    output_shared: bool,
    loss: Loss,
    batch: usize,
    seed: u64,
}

fn shape() -> impl Strategy<Value = Shape> {
    let loss = prop::sample::select(Loss::ALL.to_vec());
    (
        1usize..5,
        prop::collection::vec(
            (
                1usize..5,
                prop::sample::select(HIDDEN.to_vec()),
                any::<bool>(),
            ),
            0..3,
        ),
        2usize..5,
        loss,
        any::<prop::sample::Index>(),
        any::<bool>(),
        1usize..5,
        any::<u64>(),
    )
        .prop_map(
            |(inputs, hidden, outputs, loss, pick, output_shared, batch, seed)| {
                let valid: Vec<Activation> = Activation::ALL
                    .into_iter()
                    .filter(|&a| loss.accepts_output(a))
                    .collect();
                Shape {
                    inputs,
                    hidden,
                    outputs,
                    output: *pick.get(&valid),
                    output_shared,
                    loss,
                    batch,
                    seed,
                }
            },
        )
}

/// A spec with the shape's structure and seeded random numbers, targets fit for the loss.
fn spec(s: &Shape) -> Spec {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(s.seed);
    let mut layers = Vec::new();
    let mut fan_in = s.inputs;
    let all: Vec<(usize, Activation, bool)> = s
        .hidden
        .iter()
        .copied()
        .chain([(s.outputs, s.output, s.output_shared)])
        .collect();
    for (size, activation, shared) in all {
        let weights: Vec<Vec<f64>> = (0..size)
            .map(|_| (0..fan_in).map(|_| rng.gen_range(-1.0..1.0)).collect())
            .collect();
        let bias = if shared {
            Bias::Shared(rng.gen_range(-0.5..0.5))
        } else {
            Bias::PerNeuron((0..size).map(|_| rng.gen_range(-0.5..0.5)).collect())
        };
        layers.push(serde_json::json!({"size": size, "activation": activation, "weights": weights, "bias": bias}));
        fan_in = size;
    }
    let samples: Vec<serde_json::Value> = (0..s.batch)
        .map(|_| {
            let input: Vec<f64> = (0..s.inputs).map(|_| rng.gen_range(-1.0..1.0)).collect();
            let target: Vec<f64> = match s.loss {
                Loss::CrossEntropy => {
                    let mut t = vec![0.0; s.outputs];
                    t[rng.gen_range(0..s.outputs)] = 1.0;
                    t
                }
                Loss::BinaryCrossEntropy => {
                    (0..s.outputs).map(|_| rng.gen_range(0.0..1.0)).collect()
                }
                Loss::HalfSse | Loss::Mse => {
                    (0..s.outputs).map(|_| rng.gen_range(-1.0..1.0)).collect()
                }
            };
            serde_json::json!({"input": input, "target": target})
        })
        .collect();
    let json = serde_json::json!({
        "inputs": s.inputs, "layers": layers, "loss": s.loss, "learning_rate": 0.1,
        "train_bias": true, "samples": samples,
    });
    Spec::parse(&json.to_string(), Path::new("random.json")).expect("generated specs are valid")
}

/// Whether some ReLU-like neuron sits within `margin` of its kink, where the finite
/// difference straddles two slopes and cannot be compared.
fn near_kink(net: &Network<f64>, spec: &Spec, margin: f64) -> bool {
    let (x, _) = spec.batch::<f64>();
    let mut ws = net.workspace(x.rows());
    net.forward(&mut ws, &x).unwrap();
    net.layers.iter().zip(&ws.layers).any(|(layer, buf)| {
        matches!(layer.activation, Activation::Relu | Activation::LeakyRelu)
            && buf.net.as_slice().iter().any(|n| n.abs() < margin)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn backpropagation_equals_the_finite_difference(s in shape()) {
        let spec = spec(&s);
        let net: Network<f64> = spec.network();
        prop_assume!(!near_kink(&net, &spec, 1e-3));
        let (x, t) = spec.batch::<f64>();
        let report = gradcheck::check(&net, &x, &t, gradcheck::DEFAULT_EPSILON).unwrap();
        let worst = report.worst().unwrap();
        // Rounding in the difference quotient is about 1e-12 absolute; below FLOOR that
        // reads as up to a few 1e-6 relative, while a wrong factor shows as 1e-2 or more.
        prop_assert!(report.passes(gradcheck::DEFAULT_TOLERANCE), "worst {:?}", worst);
    }

    #[test]
    fn f32_training_follows_f64_training(s in shape()) {
        // The engine is generic; one f32 step must land where the f64 step lands, up to
        // f32 rounding (about 1e-7 relative per operation).
        let spec = spec(&s);
        let (x64, t64) = spec.batch::<f64>();
        let (x32, t32) = spec.batch::<f32>();
        let mut n64: Network<f64> = spec.network();
        let mut n32: Network<f32> = spec.network();
        prop_assume!(!near_kink(&n64, &spec, 1e-2));
        let mut w64 = n64.workspace(x64.rows());
        let mut w32 = n32.workspace(x32.rows());
        let e64 = n64.train_step(&mut w64, &x64, &t64, Order::Textbook, &mut Sgd { learning_rate: 0.1 }, &mut ()).unwrap();
        let e32 = n32.train_step(&mut w32, &x32, &t32, Order::Textbook, &mut Sgd { learning_rate: 0.1 }, &mut ()).unwrap();
        prop_assert!((f64::from(e32) - e64).abs() <= 1e-4 * e64.abs().max(1.0));
        for (a, b) in n32.layers.iter().zip(&n64.layers) {
            for (&w32, &w64) in a.weights.as_slice().iter().zip(b.weights.as_slice()) {
                prop_assert!((f64::from(w32) - w64).abs() <= 1e-4 * w64.abs().max(1.0));
            }
        }
    }

    #[test]
    fn the_two_orders_agree_when_there_is_no_layer_below(s in shape()) {
        // With a single layer no error is sent down, so updating early changes nothing.
        let mut s = s;
        s.hidden.clear();
        let spec = spec(&s);
        let (x, t) = spec.batch::<f64>();
        let mut a: Network<f64> = spec.network();
        let mut b = a.clone();
        let mut ws = a.workspace(x.rows());
        a.train_step(&mut ws, &x, &t, Order::Textbook, &mut Sgd { learning_rate: 0.3 }, &mut ()).unwrap();
        b.train_step(&mut ws, &x, &t, Order::Published, &mut Sgd { learning_rate: 0.3 }, &mut ()).unwrap();
        prop_assert_eq!(a, b);
    }
}
