//! The steady-state training loop does not allocate: every buffer is made before the
//! first step. A counting global allocator sees every allocation of every thread
//! (the helper thread of the products included).
//!
//! One test function only, so that no other test allocates while it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use backprop::optim::{Optimizer, OptimizerKind};
use backprop::{Activation, Matrix, Network, Order, Sgd};
use backprop_explain::Spec;
use backprop_train::data::generate::uniform_classes;
use backprop_train::data::Dataset;
use backprop_train::model_file::Model;
use backprop_train::trainer::BatchProgress;
use backprop_train::{self as train, BatchSize, Monitor, TrainConfig, Trainer};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Seeded features in [0, 1) and labels.
fn dataset(samples: usize, width: usize, classes: usize) -> Dataset {
    uniform_classes(samples, width, classes, 7)
}

/// Records the allocation count after every batch, into memory reserved beforehand.
struct Counts(Vec<(usize, usize, usize)>);

impl Monitor for Counts {
    fn batch(&mut self, p: &BatchProgress) -> backprop::Result<()> {
        self.0.push((p.epoch, p.batch, allocations()));
        Ok(())
    }
}

/// Trains with `Trainer::run` and returns the allocations between consecutive batches
/// of one epoch (the first batch of an epoch follows validation and the epoch's record,
/// which may allocate).
fn trainer_steady_state(kind: OptimizerKind, layers: Vec<usize>, batch: usize) -> Vec<usize> {
    let data = dataset(300, layers[0], *layers.last().unwrap());
    let mut config = TrainConfig::default();
    config.model.layers = layers;
    config.model.activation = Activation::Relu;
    config.training.optimizer.kind = kind;
    config.training.optimizer.learning_rate = 0.01;
    config.training.optimizer.clip_norm = Some(5.0);
    config.training.optimizer.weight_decay = 1e-4;
    config.training.batch_size = BatchSize::Samples(batch);
    config.training.epochs = 3;
    let net = train::build_network(&config, data.task(), data.width(), data.outputs()).unwrap();
    let template = Model::untitled(&net, data.task());
    let mut trainer = Trainer::new(net, config).unwrap();
    let mut counts = Counts(Vec::with_capacity(1000));
    let validation = data.subset(&[0, 1, 2]);
    trainer
        .run(&data, &validation, &mut counts, None, &template)
        .unwrap();
    counts
        .0
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].2 - w[0].2)
        .collect()
}

/// Allocations during `steps` calls of `step` after two warm-up calls.
fn steady(steps: usize, mut step: impl FnMut()) -> usize {
    step();
    step();
    let before = allocations();
    for _ in 0..steps {
        step();
    }
    allocations() - before
}

#[test]
fn training_steps_do_not_allocate() {
    let before = allocations();
    drop(std::hint::black_box(Vec::<u8>::with_capacity(8)));
    assert!(allocations() > before, "the counter counts");
    // Products large enough that the helper surely wakes before the caller has
    // claimed every part: the two-thread path must not allocate either. This also
    // starts the helper thread, whose own start-up allocates.
    let (a, b) = (
        Matrix::<f32>::zeros(512, 512),
        Matrix::<f32>::zeros(512, 512),
    );
    let mut c = Matrix::zeros(512, 512);
    if backprop::threads() > 1 {
        // Until the helper has computed a part of a product, its start-up and the
        // kernel's buffers on its thread may still be allocating.
        for _ in 0..1000 {
            backprop::matrix::matmul(&a, &b, &mut c);
            if backprop::internal::helper_parts() > 0 {
                break;
            }
        }
        assert!(
            backprop::internal::helper_parts() > 0,
            "the helper thread took part"
        );
    }
    let allocated = steady(5, || backprop::matrix::matmul(&a, &b, &mut c));
    assert_eq!(allocated, 0, "512³ products");
    // Large enough that the first layer's products are cut in halves for two threads.
    for kind in OptimizerKind::ALL {
        if kind == OptimizerKind::Rprop {
            continue; // full batch only; below
        }
        let per_batch = trainer_steady_state(kind, vec![64, 256, 10], 32);
        assert!(per_batch.len() > 10);
        assert!(
            per_batch.iter().all(|&n| n == 0),
            "{kind:?}: allocations between batches {per_batch:?}"
        );
    }
    // A layer of 256 neurons on 300 inputs: its weight gradients (256 × 300) take the
    // AVX2 kernel's path where that is the set in use, with its own buffers.
    let per_batch = trainer_steady_state(OptimizerKind::Adam, vec![300, 256, 10], 32);
    assert!(per_batch.len() > 10);
    assert!(per_batch.iter().all(|&n| n == 0), "{per_batch:?}");
    // The tiny path, one sample at a time, and RPROP on the full batch.
    let per_batch = trainer_steady_state(OptimizerKind::Sgd, vec![4, 16, 3], 1);
    assert!(per_batch.iter().all(|&n| n == 0), "{per_batch:?}");
    let net: Network<f32> = train::build_network(
        &{
            let mut c = TrainConfig::default();
            c.model.layers = vec![8, 16, 3];
            c
        },
        backprop_train::data::Task::Classification,
        8,
        3,
    )
    .unwrap();
    let data = dataset(50, 8, 3);
    let (mut x, mut t) = (Matrix::zeros(0, 0), Matrix::zeros(0, 0));
    backprop_train::data::batch_into(&data, &(0..50).collect::<Vec<_>>(), &mut x, &mut t);
    let mut config = TrainConfig::default().training.optimizer;
    config.kind = OptimizerKind::Rprop;
    let mut rprop = Optimizer::new(config, &net);
    let mut n = net.clone();
    let mut ws = n.workspace(50);
    let allocated = steady(20, || {
        n.train_step(&mut ws, &x, &t, Order::Textbook, &mut rprop, &mut ())
            .unwrap();
    });
    assert_eq!(allocated, 0, "rprop");

    // The explainer's network and update, in both orders, in f64.
    let spec = Spec::tutorial();
    let (x, t) = spec.batch::<f64>();
    for order in [Order::Textbook, Order::Published] {
        let mut net: Network<f64> = spec.network();
        let mut ws = net.workspace(x.rows());
        let mut sgd = Sgd { learning_rate: 0.5 };
        let allocated = steady(100, || {
            net.train_step(&mut ws, &x, &t, order, &mut sgd, &mut ())
                .unwrap();
        });
        assert_eq!(allocated, 0, "{order:?}");
    }
}
