//! The engine of backprop: feedforward networks trained by backpropagation, every
//! value observable.
//!
//! One engine does all the work: [`Network::train_step`] runs a batched forward pass,
//! the loss, a layer-wise backward pass and the update, and reports every value it
//! computes to an [`Observer`]. Training passes `()`; the `backprop-explain` crate
//! records the values and renders them, so an explanation is exactly what training
//! computed. Datasets, the training loop and model files are in `backprop-train`.
//!
//! The tutorial's 2-2-2 network, one round:
//!
//! ```
//! use backprop::{Activation, Bias, Dense, Loss, Matrix, Network, Order, Sgd};
//!
//! let layer = |w: Vec<f64>, b: f64| Dense {
//!     weights: Matrix::from_vec(2, 2, w).unwrap(),
//!     bias: Bias::Shared(b),
//!     activation: Activation::Sigmoid,
//!     train_bias: false,
//! };
//! let mut net = Network {
//!     inputs: 2,
//!     layers: vec![
//!         layer(vec![0.15, 0.20, 0.25, 0.30], 0.35),
//!         layer(vec![0.40, 0.45, 0.50, 0.55], 0.60),
//!     ],
//!     loss: Loss::HalfSse,
//! };
//! let x = Matrix::from_vec(1, 2, vec![0.05, 0.10]).unwrap();
//! let t = Matrix::from_vec(1, 2, vec![0.01, 0.99]).unwrap();
//! let mut ws = net.workspace(x.rows());
//! let mut sgd = Sgd { learning_rate: 0.5 };
//! let e = net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ()).unwrap();
//! assert!((e - 0.298371109).abs() < 1e-9); // E_total of the first forward pass
//! assert!((net.layers[1].weights.get(0, 0) - 0.358916480).abs() < 1e-9); // w5⁺
//! ```
#![warn(missing_docs)]

pub mod activation;
pub mod design;
pub mod error;
pub mod float;
pub mod formula;
pub mod gradcheck;
pub mod init;
mod kernel;
pub mod layer;
pub mod loss;
pub mod matrix;
pub mod names;
pub mod network;
pub mod observe;
pub mod optim;

pub use activation::Activation;
pub use design::{check_design, DesignError};
pub use error::{Error, Result};
pub use float::Float;
pub use init::Init;
pub use kernel::{set_simd, set_threads, simd, simd_from_env, threads, Simd};
pub use layer::{Bias, Dense};
pub use loss::Loss;
pub use matrix::Matrix;
pub use names::{Named, UnknownName};
pub use network::{Network, Order, Workspace};
pub use observe::{Backward, DeltaRule, Observer};
pub use optim::{Sgd, Update};

/// Helpers the other backprop crates share with the engine; not a stable API.
#[doc(hidden)]
pub mod internal {
    pub use crate::kernel::{both, halfway, helper_parts};
}
