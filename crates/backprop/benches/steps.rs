//! One `Network::train_step` of each workload of bench/compare, on seeded data: the
//! tutorial's network in f64, and f32 networks with the training loop's optimizer.
//!
//! `cargo bench -p backprop --bench steps`. Throughput is in samples.

use std::hint::black_box;

use backprop::data::generate::uniform_classes;
use backprop::data::prep::batch_into;
use backprop::data::Task;
use backprop::optim::{Optimizer, OptimizerKind};
use backprop::train::{self, TrainConfig};
use backprop::{Activation, Matrix, Network, Order, Sgd, Spec};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn tutorial(c: &mut Criterion) {
    let spec = Spec::tutorial();
    let (x, t) = spec.batch::<f64>();
    let mut net: Network<f64> = spec.network();
    let mut ws = net.workspace(1);
    let mut sgd = Sgd { learning_rate: 0.5 };
    let mut group = c.benchmark_group("train_step");
    group.throughput(Throughput::Elements(1));
    group.bench_function("tutorial 2-2-2 f64", |b| {
        b.iter(|| {
            net.train_step(
                &mut ws,
                black_box(&x),
                &t,
                Order::Textbook,
                &mut sgd,
                &mut (),
            )
            .expect("shapes fit")
        })
    });
    group.finish();
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
        let mut ws = net.workspace(size);
        group.throughput(Throughput::Elements(size as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                net.train_step(
                    &mut ws,
                    black_box(&x),
                    &t,
                    Order::Textbook,
                    &mut sgd,
                    &mut (),
                )
                .expect("shapes fit")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, tutorial, networks);
criterion_main!(benches);
