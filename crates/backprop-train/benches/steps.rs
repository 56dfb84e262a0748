//! One `Network::train_step` of each workload of bench/compare, on seeded data: the
//! tutorial's network in f64, and f32 networks with the training loop's optimizer.
//!
//! `cargo bench -p backprop --bench steps`. Throughput is in samples.

use std::hint::black_box;

use backprop::optim::{Optimizer, OptimizerKind};
use backprop::{Activation, Float, Matrix, Network, Order, Sgd, Update};
use backprop_explain::Spec;
use backprop_train::data::generate::uniform_classes;
use backprop_train::data::prep::batch_into;
use backprop_train::data::Task;
use backprop_train::{self as train, TrainConfig};
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};

fn tutorial(c: &mut Criterion) {
    let spec = Spec::tutorial();
    let (x, t) = spec.batch::<f64>();
    let mut net: Network<f64> = spec.network();
    let mut sgd = Sgd { learning_rate: 0.5 };
    let mut group = c.benchmark_group("train_step");
    step(&mut group, "tutorial 2-2-2 f64", &mut net, &x, &t, &mut sgd);
    group.finish();
}

/// One `train_step` of `net` on the batch `x`, `t`, in samples per second.
fn step<T: Float, U: Update<T>>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    net: &mut Network<T>,
    x: &Matrix<T>,
    t: &Matrix<T>,
    update: &mut U,
) {
    let mut ws = net.workspace(x.rows());
    group.throughput(Throughput::Elements(x.rows() as u64));
    group.bench_function(name, |b| {
        b.iter(|| {
            net.train_step(&mut ws, black_box(x), t, Order::Textbook, update, &mut ())
                .expect("shapes fit")
        })
    });
}

/// Uniform inputs and one-hot targets, the data of `bench/compare`.
fn batch(samples: usize, width: usize, classes: usize) -> (Matrix<f32>, Matrix<f32>) {
    let data = uniform_classes(samples, width, classes, 1);
    let (mut x, mut t) = (Matrix::zeros(0, width), Matrix::zeros(0, classes));
    batch_into(&data, &(0..samples).collect::<Vec<_>>(), &mut x, &mut t);
    (x, t)
}

fn networks(c: &mut Criterion) {
    let workloads: [(&str, &[usize], Activation, usize); 4] = [
        ("4-16-3 tanh, batch 1", &[4, 16, 3], Activation::Tanh, 1),
        (
            "784-128-10, batch 64",
            &[784, 128, 10],
            Activation::Relu,
            64,
        ),
        (
            "784-512-512-10, batch 64",
            &[784, 512, 512, 10],
            Activation::Relu,
            64,
        ),
        (
            "784-512-512-10, batch 128",
            &[784, 512, 512, 10],
            Activation::Relu,
            128,
        ),
    ];
    let mut group = c.benchmark_group("train_step");
    for (name, layers, activation, size) in workloads {
        let mut config = TrainConfig::default();
        config.model.layers = layers.to_vec();
        config.model.activation = activation;
        config.training.optimizer.kind = OptimizerKind::Sgd;
        config.training.optimizer.learning_rate = 0.1;
        let (width, classes) = (layers[0], layers[layers.len() - 1]);
        let mut net = train::build_network(&config, Task::Classification, width, classes)
            .expect("a valid network");
        let mut sgd = Optimizer::new(config.training.optimizer.clone(), &net);
        let (x, t) = batch(size, width, classes);
        step(&mut group, name, &mut net, &x, &t, &mut sgd);
    }
    group.finish();
}

criterion_group!(benches, tutorial, networks);
criterion_main!(benches);
