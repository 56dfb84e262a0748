//! The three products of a training step on the shapes of bench/compare's workloads,
//! and the square product the machine's peak is measured with.
//!
//! `cargo bench -p backprop --bench kernels`; `BACKPROP_THREADS=1` for one thread.

use std::hint::black_box;

use backprop::matrix::{matmul, matmul_a_bt, matmul_at_b};
use backprop::Matrix;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn filled(rows: usize, cols: usize, seed: f32) -> Matrix<f32> {
    let data = (0..rows * cols).map(|i| (i as f32 * seed).sin()).collect();
    Matrix::from_vec(rows, cols, data).expect("rows × cols values")
}

/// (name, batch, inputs, neurons) of one layer.
const LAYERS: [(&str, usize, usize, usize); 5] = [
    ("tutorial 1×2→2", 1, 2, 2),
    ("iris 1×4→16", 1, 4, 16),
    ("mnist 64×784→128", 64, 784, 128),
    ("mnist 128×784→512", 128, 784, 512),
    ("mnist 128×512→512", 128, 512, 512),
];

fn layer_products(c: &mut Criterion) {
    for (name, batch, inputs, neurons) in LAYERS {
        let x = filled(batch, inputs, 0.37);
        let w = filled(neurons, inputs, 0.11);
        let delta = filled(batch, neurons, 0.23);
        let mut net = Matrix::zeros(batch, neurons);
        let mut grad_w = Matrix::zeros(neurons, inputs);
        let mut d_out = Matrix::zeros(batch, inputs);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Elements((2 * batch * inputs * neurons) as u64));
        group.bench_function("net = X·Wᵀ", |b| {
            b.iter(|| matmul_a_bt(black_box(&x), black_box(&w), &mut net))
        });
        group.bench_function("∂E/∂W = δᵀ·X", |b| {
            b.iter(|| matmul_at_b(black_box(&delta), black_box(&x), &mut grad_w))
        });
        group.bench_function("∂E/∂out below = δ·W", |b| {
            b.iter(|| matmul(black_box(&delta), black_box(&w), &mut d_out))
        });
        group.finish();
    }
}

fn square(c: &mut Criterion) {
    let n = 2048;
    let (a, b) = (filled(n, n, 0.37), filled(n, n, 0.11));
    let mut out = Matrix::zeros(n, n);
    let mut group = c.benchmark_group("square");
    group.sample_size(10);
    group.throughput(Throughput::Elements(2 * (n as u64).pow(3)));
    group.bench_function("2048³ A·B", |bench| {
        bench.iter(|| matmul(black_box(&a), black_box(&b), &mut out))
    });
    group.finish();
}

criterion_group!(benches, layer_products, square);
criterion_main!(benches);
