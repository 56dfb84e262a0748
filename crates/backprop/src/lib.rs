//! Feedforward neural networks trained by backpropagation, with every step shown.
//!
//! One engine does all the work: [`Network::train_step`] runs a batched forward pass,
//! the loss, a layer-wise backward pass and the update, and reports every value it
//! computes to an [`Observer`]. Training passes `()`; [`explain`] records the values
//! and renders them, so an explanation is exactly what training computed.
//!
//! The tutorial's network, one round:
//!
//! ```
//! use backprop::{Network, Order, Sgd, Spec};
//!
//! let spec = Spec::tutorial();
//! let mut net: Network<f64> = spec.network();
//! let (x, t) = spec.batch::<f64>();
//! let mut ws = net.workspace(x.rows());
//! let mut sgd = Sgd { learning_rate: spec.learning_rate };
//! let e = net.train_step(&mut ws, &x, &t, Order::Textbook, &mut sgd, &mut ()).unwrap();
//! assert!((e - 0.298371109).abs() < 1e-9); // E_total of the first forward pass
//! assert!((net.layers[1].weights.get(0, 0) - 0.358916480).abs() < 1e-9); // w5⁺
//! ```
#![warn(missing_docs)]

pub mod activation;
pub mod atomic;
pub mod data;
pub mod error;
pub mod explain;
pub mod float;
pub mod gradcheck;
pub mod init;
pub mod kernel;
pub mod layer;
pub mod loss;
pub mod matrix;
pub mod metrics;
pub mod model_file;
pub mod network;
pub mod observe;
pub mod optim;
pub mod plot;
pub mod serve;
pub mod spec;
pub mod train;

pub use activation::Activation;
pub use error::{Error, Result};
pub use float::Float;
pub use init::Init;
pub use layer::{Bias, Dense};
pub use loss::Loss;
pub use matrix::Matrix;
pub use network::{Network, Order, Workspace};
pub use observe::{Backward, DeltaRule, Observer};
pub use optim::{Sgd, Update};
pub use spec::Spec;
