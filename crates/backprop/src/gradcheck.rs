//! Gradient checking: every analytic gradient the engine computes, against a finite
//! difference of the loss.

use serde::Serialize;

use crate::activation::DerivativeFrom;
use crate::error::{Error, Result};
use crate::layer::Bias;
use crate::matrix::Matrix;
use crate::network::{Network, Workspace};

/// Default step of the finite difference.
pub const DEFAULT_EPSILON: f64 = 1e-4;

/// Default largest acceptable relative error.
pub const DEFAULT_TOLERANCE: f64 = 1e-5;

/// Gradients smaller than this are compared absolutely: the relative error of a
/// gradient that is zero up to rounding means nothing.
pub const FLOOR: f64 = 1e-6;

/// Which parameter of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// The weight into neuron `j` from input `k`.
    Weight {
        /// Neuron.
        j: usize,
        /// Input.
        k: usize,
    },
    /// The bias of neuron `j` (0 for a shared bias).
    Bias {
        /// Neuron.
        j: usize,
    },
}

/// One parameter's two gradients.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// Layer, 0 nearest the input.
    pub layer: usize,
    /// The parameter.
    pub param: Param,
    /// ∂E/∂p from backpropagation.
    pub analytic: f64,
    /// ∂E/∂p from the finite difference.
    pub numeric: f64,
    /// |analytic − numeric| / max(|analytic|, |numeric|, [`FLOOR`]).
    pub error: f64,
    /// Whether `error` is relative; false when both gradients are below [`FLOOR`] and
    /// the difference is compared as it is.
    pub relative: bool,
}

/// A neuron whose net sits on the kink of ReLU or leaky ReLU (0), or within the finite
/// difference's reach of it: the activation has no derivative there, so backpropagation
/// takes one side's slope while the difference sees both.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kink {
    /// Layer, 0 nearest the input.
    pub layer: usize,
    /// The neuron in the layer.
    pub neuron: usize,
    /// The sample.
    pub sample: usize,
    /// Its net.
    pub net: f64,
}

/// The result of a check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The loss at the unperturbed parameters.
    pub loss: f64,
    /// Every parameter, layer by layer.
    pub entries: Vec<Entry>,
    /// The finite-difference step used.
    pub epsilon: f64,
    /// Neurons on or near a kink of their activation.
    pub kinks: Vec<Kink>,
}

impl Report {
    /// The entry with the largest error.
    pub fn worst(&self) -> Option<&Entry> {
        self.entries
            .iter()
            .max_by(|a, b| a.error.total_cmp(&b.error))
    }

    /// Whether every error is at most `tolerance`.
    pub fn passes(&self, tolerance: f64) -> bool {
        self.entries.iter().all(|e| e.error <= tolerance)
    }
}

/// The relative error of `a` against `b`, compared absolutely below [`FLOOR`].
pub fn relative_error(a: f64, b: f64) -> f64 {
    // Below FLOOR, max(.., FLOOR) makes this the absolute difference over FLOOR; see
    // `is_relative`.
    (a - b).abs() / a.abs().max(b.abs()).max(FLOOR)
}

/// Checks that a finite-difference step is a positive, finite number.
pub fn check_epsilon(epsilon: f64) -> Result<()> {
    if epsilon.is_finite() && epsilon > 0.0 {
        Ok(())
    } else {
        Err(Error::Invalid {
            path: "<options>".into(),
            at: "epsilon".into(),
            message: format!(
                "the finite difference's step must be a positive number, got {epsilon}"
            ),
        })
    }
}

/// Checks every weight and bias of `net` on the batch `x`, `t`.
///
/// The numeric gradient is the fourth-order central difference
/// (−E(p+2ε) + 8E(p+ε) − 8E(p−ε) + E(p−2ε)) / 12ε, whose error is O(ε⁴), so rounding,
/// not truncation, limits it.
pub fn check(net: &Network<f64>, x: &Matrix<f64>, t: &Matrix<f64>, epsilon: f64) -> Result<Report> {
    check_epsilon(epsilon)?;
    let mut probe = net.clone();
    let mut ws = probe.workspace(x.rows());
    let loss = probe.gradients(&mut ws, x, t, &mut ())?;
    let mut entries = Vec::new();
    for l in 0..net.layers.len() {
        let grad_w = ws.layers[l].grad_w.clone();
        let grad_b: Bias<f64> = ws.layers[l].grad_b.clone();
        let (rows, cols) = (grad_w.rows(), grad_w.cols());
        for j in 0..rows {
            for k in 0..cols {
                let numeric = difference(&mut probe, x, t, epsilon, |n, d| {
                    let w = n.layers[l].weights.get(j, k);
                    n.layers[l].weights.set(j, k, w + d);
                })?;
                let analytic = grad_w.get(j, k);
                entries.push(Entry {
                    layer: l,
                    param: Param::Weight { j, k },
                    analytic,
                    numeric,
                    error: relative_error(analytic, numeric),
                    relative: is_relative(analytic, numeric),
                });
            }
        }
        for (j, &analytic) in grad_b.as_slice().iter().enumerate() {
            let numeric = difference(&mut probe, x, t, epsilon, |n, d| {
                let b = &mut n.layers[l].bias.as_mut_slice()[j];
                *b += d;
            })?;
            entries.push(Entry {
                layer: l,
                param: Param::Bias { j },
                analytic,
                numeric,
                error: relative_error(analytic, numeric),
                relative: is_relative(analytic, numeric),
            });
        }
    }
    let kinks = kinks(net, &ws, x, epsilon);
    Ok(Report {
        loss,
        entries,
        epsilon,
        kinks,
    })
}

/// The five-point derivative of the loss along the parameter that `nudge` moves.
/// Whether two gradients are compared relatively (one of them is at least [`FLOOR`]).
pub fn is_relative(a: f64, b: f64) -> bool {
    a.abs().max(b.abs()) >= FLOOR
}

/// The neurons of piecewise activations (ReLU, leaky ReLU: those whose derivative is
/// read off net) whose net is 0, or close enough to 0 that a step of 2ε in one of
/// their own parameters could cross it.
fn kinks(net: &Network<f64>, ws: &Workspace<f64>, x: &Matrix<f64>, epsilon: f64) -> Vec<Kink> {
    let mut found = Vec::new();
    for (l, layer) in net.layers.iter().enumerate() {
        if layer.activation.derivative_from() != Some(DerivativeFrom::Net) {
            continue;
        }
        let input = if l == 0 { x } else { &ws.layers[l - 1].out };
        let values = &ws.layers[l].net;
        for sample in 0..values.rows() {
            let largest_input = (0..input.cols())
                .map(|k| input.get(sample, k).abs())
                .fold(1.0, f64::max);
            for neuron in 0..values.cols() {
                let v = values.get(sample, neuron);
                if v.abs() <= 2.0 * epsilon * largest_input {
                    found.push(Kink {
                        layer: l,
                        neuron,
                        sample,
                        net: v,
                    });
                }
            }
        }
    }
    found
}

fn difference(
    net: &mut Network<f64>,
    x: &Matrix<f64>,
    t: &Matrix<f64>,
    eps: f64,
    nudge: impl Fn(&mut Network<f64>, f64),
) -> Result<f64> {
    let mut ws = net.workspace(x.rows());
    let mut at = |offset: f64| -> Result<f64> {
        nudge(net, offset);
        let e = net.evaluate(&mut ws, x, t);
        nudge(net, -offset);
        e
    };
    let (p2, p1, m1, m2) = (at(2.0 * eps)?, at(eps)?, at(-eps)?, at(-2.0 * eps)?);
    Ok((-p2 + 8.0 * p1 - 8.0 * m1 + m2) / (12.0 * eps))
}
