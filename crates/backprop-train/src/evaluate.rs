//! Evaluating a network on a dataset: loss and the task's metrics.

use serde::Serialize;

use crate::data::prep::batch_into;
use crate::data::{Dataset, Targets};
use crate::metrics::{mean, Confusion, Regression};
use backprop::error::{Error, Result};
use backprop::matrix::{argmax, Matrix};
use backprop::network::Network;

/// Samples per forward pass when evaluating: large enough for fast matrix products,
/// small enough to keep memory flat on big sets.
const CHUNK: usize = 1024;

/// One class's precision and recall.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassScore {
    /// The class.
    pub class: String,
    /// Of the samples predicted as the class, the fraction that are it.
    pub precision: f64,
    /// Of the samples of the class, the fraction predicted as it.
    pub recall: f64,
    /// Samples of the class.
    pub support: u64,
}

/// The metrics of a network on a dataset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    /// Samples evaluated.
    pub samples: usize,
    /// Mean loss.
    pub loss: f64,
    /// Fraction classified correctly (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    /// Macro-averaged precision (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<f64>,
    /// Macro-averaged recall (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
    /// Per-class scores (classification).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<ClassScore>,
    /// `confusion[t][p]`: samples of class t predicted as p (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confusion: Option<Vec<Vec<u64>>>,
    /// MSE, MAE and R² (regression).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub regression: Option<Regression>,
}

/// Evaluates `network` on `data` (already standardized as the network expects).
pub fn evaluate(network: &Network<f32>, data: &Dataset) -> Result<Evaluation> {
    run(network, data, false)
}

/// Like [`evaluate`], but an output that is not a finite number is an error naming
/// the sample (1-based, in the order of the data), instead of a class picked from NaN.
pub fn evaluate_finite(network: &Network<f32>, data: &Dataset) -> Result<Evaluation> {
    run(network, data, true)
}

fn run(network: &Network<f32>, data: &Dataset, finite: bool) -> Result<Evaluation> {
    if data.width() != network.inputs {
        return Err(Error::Data {
            path: data.source.clone().into(),
            line: None,
            column: None,
            message: format!(
                "the data has {} features but the model takes {}",
                data.width(),
                network.inputs
            ),
        });
    }
    if data.is_empty() {
        return Err(Error::Data {
            path: data.source.clone().into(),
            line: None,
            column: None,
            message: "no samples to evaluate".into(),
        });
    }
    let outputs = network.outputs();
    let mut ws = network.workspace(CHUNK.min(data.len()));
    let (mut x, mut t) = (Matrix::zeros(0, data.width()), Matrix::zeros(0, outputs));
    let mut loss_sum = 0.0;
    let classes = match &data.targets {
        Targets::Classes { names, .. } => names.len(),
        Targets::Values { .. } => 0,
    };
    let mut confusion = Confusion::new(classes);
    let (mut predicted, mut target) = (Vec::new(), Vec::new());
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        batch_into(data, chunk, &mut x, &mut t);
        loss_sum += f64::from(network.evaluate(&mut ws, &x, &t)?) * chunk.len() as f64;
        let out = &ws.layers[network.layers.len() - 1].out;
        if finite {
            let bad = (0..chunk.len()).find(|&s| out.row(s).iter().any(|v| !v.is_finite()));
            if let Some(s) = bad {
                return Err(Error::Data {
                    path: data.source.clone().into(),
                    line: None,
                    column: None,
                    message: format!(
                        "the model's output for sample {} is not a finite number; its inputs are far outside what the model was trained on",
                        chunk[s] + 1
                    ),
                });
            }
        }
        match &data.targets {
            Targets::Classes { labels, .. } => {
                for (s, &i) in chunk.iter().enumerate() {
                    confusion.add(labels[i], argmax(out.row(s)).0);
                }
            }
            Targets::Values { .. } => {
                predicted.extend_from_slice(out.as_slice());
                target.extend_from_slice(t.as_slice());
            }
        }
    }
    let loss = loss_sum / data.len().max(1) as f64;
    Ok(match &data.targets {
        Targets::Classes { names, .. } => {
            let (precision, recall) = (confusion.precision(), confusion.recall());
            Evaluation {
                samples: data.len(),
                loss,
                accuracy: Some(confusion.accuracy()),
                precision: Some(mean(&precision)),
                recall: Some(mean(&recall)),
                classes: names
                    .iter()
                    .enumerate()
                    .map(|(c, name)| ClassScore {
                        class: name.clone(),
                        precision: precision[c],
                        recall: recall[c],
                        support: confusion.counts[c].iter().sum(),
                    })
                    .collect(),
                confusion: Some(confusion.counts),
                regression: None,
            }
        }
        Targets::Values { .. } => Evaluation {
            samples: data.len(),
            loss,
            accuracy: None,
            precision: None,
            recall: None,
            classes: Vec::new(),
            confusion: None,
            regression: Some(Regression::compute(&predicted, &target, outputs)),
        },
    })
}

/// Re-labels `data` with the model's class order, by name. A class the model never
/// saw is an error, since no output of the network stands for it.
pub fn align_classes(data: &Dataset, model_classes: &[String]) -> Result<Dataset> {
    let Targets::Classes { labels, names } = &data.targets else {
        return Ok(data.clone());
    };
    let map: Vec<usize> = names
        .iter()
        .map(|n| {
            model_classes
                .iter()
                .position(|m| m == n)
                .ok_or_else(|| Error::Data {
                    path: data.source.clone().into(),
                    line: None,
                    column: None,
                    message: format!(
                        "class '{n}' is not one the model was trained on (it knows: {})",
                        model_classes.join(", ")
                    ),
                })
        })
        .collect::<Result<_>>()?;
    let mut out = data.clone();
    out.targets = Targets::Classes {
        labels: labels.iter().map(|&l| map[l]).collect(),
        names: model_classes.to_vec(),
    };
    Ok(out)
}

/// `data` with its feature columns in the order of the model's feature `names`, when
/// the file named its columns: every one of the model's names must be among them
/// (others are dropped), else the message names what is missing. Data whose columns
/// were not named (`x1`, `x2`, … from a file without a header) and models without
/// names are taken in order.
pub fn align_features(data: &Dataset, names: &[String]) -> Result<Dataset> {
    let generic = data
        .feature_names
        .iter()
        .enumerate()
        .all(|(k, n)| *n == format!("x{}", k + 1));
    if generic || names.is_empty() || data.feature_names == names {
        return Ok(data.clone());
    }
    let header: Vec<&str> = data.feature_names.iter().map(String::as_str).collect();
    let columns =
        crate::predict::columns_by_name(&header, names).map_err(|message| Error::Data {
            path: data.source.clone().into(),
            line: Some(1),
            column: None,
            message,
        })?;
    let mut values = Vec::with_capacity(data.len() * columns.len());
    for s in 0..data.len() {
        let row = data.features.row(s);
        values.extend(columns.iter().map(|&c| row[c]));
    }
    let mut out = data.clone();
    out.features = Matrix::from_vec(data.len(), columns.len(), values)
        .unwrap_or_else(|| Matrix::zeros(0, columns.len()));
    out.feature_names = names.to_vec();
    Ok(out)
}
