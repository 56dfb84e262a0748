//! The tutorial's round written out by hand as straight-line scalar code: the same
//! arithmetic as the engine's step (the C library's exp, textbook order) and nothing
//! else. It is not part of the engine; it measures what the round costs on this
//! machine when only its arithmetic and the chain of dependencies from one round to
//! the next remain, the floor for `train_step` on the tutorial's network.
//!
//! `cargo bench -p backprop --bench floor`. Before timing, 10,000 rounds are checked
//! against the engine's weights.

use std::hint::black_box;

use backprop::{Network, Order, Sgd};
use backprop_explain::Spec;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The 2-2-2 network's numbers: weights w1…w8, the two shared biases.
#[derive(Clone, Copy)]
struct Tutorial {
    w: [f64; 8],
    b: [f64; 2],
    x: [f64; 2],
    t: [f64; 2],
    lr: f64,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Tutorial {
    fn from_spec(spec: &Spec) -> Tutorial {
        let net: Network<f64> = spec.network();
        let (x, t) = spec.batch::<f64>();
        let w = |l: usize, j: usize, i: usize| net.layers[l].weights.get(j, i);
        Tutorial {
            w: [
                w(0, 0, 0),
                w(0, 0, 1),
                w(0, 1, 0),
                w(0, 1, 1),
                w(1, 0, 0),
                w(1, 0, 1),
                w(1, 1, 0),
                w(1, 1, 1),
            ],
            b: [net.layers[0].bias.get(0), net.layers[1].bias.get(0)],
            x: [x.get(0, 0), x.get(0, 1)],
            t: [t.get(0, 0), t.get(0, 1)],
            lr: spec.learning_rate,
        }
    }

    /// `rounds` rounds of forward pass, half squared error, backward pass and update of
    /// the weights (the biases stay, as in the tutorial); returns the last error.
    fn rounds(&mut self, rounds: usize) -> f64 {
        let Tutorial { b, x, t, lr, .. } = *self;
        let w = &mut self.w;
        let mut e = 0.0;
        for _ in 0..rounds {
            let h1 = sigmoid(w[0] * x[0] + w[1] * x[1] + b[0]);
            let h2 = sigmoid(w[2] * x[0] + w[3] * x[1] + b[0]);
            let o1 = sigmoid(w[4] * h1 + w[5] * h2 + b[1]);
            let o2 = sigmoid(w[6] * h1 + w[7] * h2 + b[1]);
            e = 0.5 * (t[0] - o1) * (t[0] - o1) + 0.5 * (t[1] - o2) * (t[1] - o2);
            let d1 = (o1 - t[0]) * o1 * (1.0 - o1);
            let d2 = (o2 - t[1]) * o2 * (1.0 - o2);
            let dh1 = (d1 * w[4] + d2 * w[6]) * h1 * (1.0 - h1);
            let dh2 = (d1 * w[5] + d2 * w[7]) * h2 * (1.0 - h2);
            w[4] -= lr * d1 * h1;
            w[5] -= lr * d1 * h2;
            w[6] -= lr * d2 * h1;
            w[7] -= lr * d2 * h2;
            w[0] -= lr * dh1 * x[0];
            w[1] -= lr * dh1 * x[1];
            w[2] -= lr * dh2 * x[0];
            w[3] -= lr * dh2 * x[1];
        }
        e
    }
}

/// 10,000 rounds by hand and by the engine agree to 1e-12 relative.
fn check(spec: &Spec) {
    let mut by_hand = Tutorial::from_spec(spec);
    by_hand.rounds(10_000);
    let mut net: Network<f64> = spec.network();
    let (x, t) = spec.batch::<f64>();
    let mut ws = net.workspace(1);
    let mut sgd = Sgd {
        learning_rate: spec.learning_rate,
    };
    for _ in 0..10_000 {
        net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ())
            .expect("the tutorial's shapes fit");
    }
    for (l, layer) in net.layers.iter().enumerate() {
        for (k, &w) in layer.weights.as_slice().iter().enumerate() {
            let hand = by_hand.w[4 * l + k];
            assert!(
                (w - hand).abs() <= 1e-12 * hand.abs(),
                "w{} by hand {hand}, by the engine {w}",
                4 * l + k + 1
            );
        }
    }
}

fn floor(c: &mut Criterion) {
    let spec = Spec::tutorial();
    check(&spec);
    let start = Tutorial::from_spec(&spec);
    let mut group = c.benchmark_group("tutorial floor");
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("10,000 rounds by hand, f64", |b| {
        b.iter(|| black_box(start).rounds(10_000))
    });
    group.finish();
}

criterion_group!(benches, floor);
criterion_main!(benches);
