//! A dense layer: weights, bias and activation.

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::activation::Activation;
use crate::float::Float;
use crate::matrix::Matrix;

/// A layer's bias: one value for the whole layer (as in the tutorial) or one per neuron.
///
/// Gradients of biases use the same type: a shared bias's gradient is the sum over the
/// layer's neurons, because the one value feeds every neuron's `net`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Bias<T> {
    /// One bias added to every neuron of the layer.
    Shared(T),
    /// One bias per neuron.
    PerNeuron(Vec<T>),
}

/// A spec's bias: a number (shared by the layer) or a list (one per neuron).
impl<'de> Deserialize<'de> for Bias<f64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct BiasVisitor;
        impl<'de> Visitor<'de> for BiasVisitor {
            type Value = Bias<f64>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number (one bias shared by the layer) or a list with one number per neuron",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
                Ok(Bias::Shared(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(Bias::Shared(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(Bias::Shared(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(v) = seq.next_element::<f64>()? {
                    values.push(v);
                }
                Ok(Bias::PerNeuron(values))
            }
        }
        d.deserialize_any(BiasVisitor)
    }
}

impl<T: Float> Bias<T> {
    /// The bias added to neuron `j`.
    pub fn get(&self, j: usize) -> T {
        match self {
            Bias::Shared(b) => *b,
            Bias::PerNeuron(b) => b[j],
        }
    }

    /// A zero bias of the same kind and length.
    pub fn zeros_like(&self) -> Self {
        match self {
            Bias::Shared(_) => Bias::Shared(T::zero()),
            Bias::PerNeuron(b) => Bias::PerNeuron(vec![T::zero(); b.len()]),
        }
    }

    /// The values as a slice: one element when shared.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Bias::Shared(b) => std::slice::from_ref(b),
            Bias::PerNeuron(b) => b,
        }
    }

    /// The values as a mutable slice: one element when shared.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Bias::Shared(b) => std::slice::from_mut(b),
            Bias::PerNeuron(b) => b,
        }
    }

    /// Widened to `f64`, for traces and files.
    pub fn to_f64(&self) -> Bias<f64> {
        match self {
            Bias::Shared(b) => Bias::Shared(b.widen()),
            Bias::PerNeuron(b) => Bias::PerNeuron(b.iter().map(|x| x.widen()).collect()),
        }
    }

    /// `self ← ∂E/∂b` from the layer's deltas `d_net` (`batch × neurons`): each
    /// neuron's deltas summed over the batch, and over the neurons when shared.
    pub fn gradient_from(&mut self, d_net: &Matrix<T>) {
        match self {
            Bias::Shared(g) => *g = d_net.as_slice().iter().copied().sum(),
            Bias::PerNeuron(g) => {
                // Summed from zero in order of the samples; the first sample starts the
                // sums, so that a batch of one is a single pass.
                let mut rows = d_net.as_slice().chunks_exact(g.len().max(1));
                match rows.next() {
                    Some(first) => {
                        for (g, &d) in g.iter_mut().zip(first) {
                            *g = T::zero() + d;
                        }
                    }
                    None => g.fill(T::zero()),
                }
                for row in rows {
                    for (g, &d) in g.iter_mut().zip(row) {
                        *g = *g + d;
                    }
                }
            }
        }
    }
}

/// A fully connected layer: `net = input · Wᵀ + b`, `out = f(net)`.
///
/// # Shapes
/// `weights` is `neurons × inputs` (row j holds the weights into neuron j, as in PyTorch).
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<T> {
    /// Weights into each neuron, one row per neuron.
    pub weights: Matrix<T>,
    /// The layer's bias.
    pub bias: Bias<T>,
    /// The activation applied to `net`.
    pub activation: Activation,
    /// Whether gradient descent changes the bias (the tutorial keeps it fixed).
    pub train_bias: bool,
}

impl<T: Float> Dense<T> {
    /// Number of neurons.
    pub fn size(&self) -> usize {
        self.weights.rows()
    }

    /// Number of inputs each neuron takes.
    pub fn fan_in(&self) -> usize {
        self.weights.cols()
    }

    /// Number of parameters (weights and bias values).
    pub fn parameter_count(&self) -> usize {
        self.weights.as_slice().len() + self.bias.as_slice().len()
    }
}
