//! Helpers for the optimizers' unit tests: tiny layers and a step with given gradients.

use super::{Optimizer, OptimizerConfig, OptimizerKind, Update};
use crate::activation::Activation;
use crate::layer::{Bias, Dense};
use crate::loss::Loss;
use crate::matrix::Matrix;
use crate::network::Network;

/// A config of `kind` changed by `f`.
pub fn config(kind: OptimizerKind, f: impl FnOnce(&mut OptimizerConfig)) -> OptimizerConfig {
    let mut c = OptimizerConfig {
        kind,
        ..OptimizerConfig::default()
    };
    f(&mut c);
    c
}

/// A layer of `w.len()` neurons with one input each.
pub fn layer(w: &[f64], bias: Bias<f64>, train_bias: bool) -> Dense<f64> {
    Dense {
        weights: Matrix::from_vec(w.len(), 1, w.to_vec()).unwrap(),
        bias,
        activation: Activation::Identity,
        train_bias,
    }
}

/// A network of the given layers (only their parameters matter here).
pub fn net(layers: Vec<Dense<f64>>) -> Network<f64> {
    Network {
        inputs: 1,
        layers,
        loss: Loss::HalfSse,
    }
}

/// Two one-weight layers, the second with a frozen bias.
pub fn two_layers() -> Network<f64> {
    net(vec![
        layer(&[1.0], Bias::Shared(0.0), true),
        layer(&[1.0], Bias::Shared(0.0), false),
    ])
}

/// One step as [`Network::train_step`] runs it in textbook order, with the gradients
/// (weights, bias) of each layer given.
pub fn run(opt: &mut Optimizer<f64>, net: &mut Network<f64>, grads: &[(&[f64], &[f64])]) {
    let mut ws = net.workspace(1);
    for (buf, (gw, gb)) in ws.layers.iter_mut().zip(grads) {
        buf.grad_w.as_mut_slice().copy_from_slice(gw);
        buf.grad_b.as_mut_slice().copy_from_slice(gb);
    }
    opt.begin_step();
    opt.before_updates(&ws);
    for l in (0..net.layers.len()).rev() {
        let buf = &ws.layers[l];
        opt.update_layer(l, &mut net.layers[l], &buf.grad_w, &buf.grad_b);
    }
}

/// Equal up to rounding: 1e-12, relative above 1.
#[track_caller]
pub fn assert_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() <= 1e-12 * e.abs().max(1.0),
            "expected {expected:?}, got {actual:?}"
        );
    }
}
