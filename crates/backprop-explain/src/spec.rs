//! The spec file: a whole network, its training samples and settings, in JSON or TOML.
//!
//! ```json
//! {"inputs": 2,
//!  "layers": [{"size": 2, "activation": "sigmoid", "weights": [[0.15, 0.2], [0.25, 0.3]], "bias": 0.35}],
//!  "loss": "half_sse", "learning_rate": 0.5, "samples": [{"input": [0.05, 0.1], "target": [0.01, 0.99]}]}
//! ```
//! `weights[j]` holds the weights into neuron j. `bias` is a number (shared by the
//! layer) or a list (one per neuron). A layer may give `init` instead of `weights`.

use std::path::{Path, PathBuf};

use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use backprop::activation::Activation;
use backprop::error::{Error, Result};
use backprop::float::Float;
use backprop::init::Init;
use backprop::layer::{Bias, Dense};
use backprop::loss::Loss;
use backprop::matrix::Matrix;
use backprop::network::{Network, Order};
use backprop::{check_design, DesignError};
use backprop_io::input::line_column;
use backprop_io::memory;

use crate::optimizer::OptimizerSpec;

/// The tutorial's network, as shipped in `examples/tutorial.json`.
pub const TUTORIAL_JSON: &str = include_str!("../../../examples/tutorial.json");

/// A network, its samples and how to train it, as written in a spec file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Number of inputs.
    pub inputs: usize,
    /// The layers, input side first.
    pub layers: Vec<LayerSpec>,
    /// The loss.
    pub loss: Loss,
    /// The learning rate η.
    pub learning_rate: f64,
    /// The optimizer (default: plain gradient descent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<OptimizerSpec>,
    /// Whether biases are trained (default true; the tutorial sets false).
    #[serde(default = "yes")]
    pub train_bias: bool,
    /// The update order (default textbook).
    #[serde(default)]
    pub order: Order,
    /// Seed for layers that give `init` instead of weights (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The batch: every sample is used in every round.
    pub samples: Vec<Sample>,
}

fn yes() -> bool {
    true
}

/// One layer of a spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Number of neurons.
    pub size: usize,
    /// Activation.
    pub activation: Activation,
    /// Weights into each neuron: `size` rows of as many values as the layer below has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<Vec<f64>>>,
    /// The bias (default: zero for each neuron).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias: Option<Bias<f64>>,
    /// How to draw the weights when `weights` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub init: Option<Init>,
    /// Overrides the spec's `train_bias` for this layer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_bias: Option<bool>,
}

/// One training sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// The input values.
    pub input: Vec<f64>,
    /// The values the network should output.
    pub target: Vec<f64>,
}

impl Spec {
    /// The tutorial's 2-2-2 network.
    pub fn tutorial() -> Spec {
        // The shipped file is checked by a test, so this cannot fail at run time.
        Spec::parse(TUTORIAL_JSON, Path::new("examples/tutorial.json"))
            .expect("the tutorial spec is valid")
    }

    /// The engine's configuration of the spec's optimizer at its learning rate: plain
    /// gradient descent when it names none.
    pub fn optimizer_config(&self) -> backprop::optim::OptimizerConfig {
        match &self.optimizer {
            Some(o) => o.config(self.learning_rate),
            None => OptimizerSpec::Sgd {}.config(self.learning_rate),
        }
    }

    /// Reads and checks a spec file; TOML when the name ends in `.toml`, else JSON. Only
    /// a regular file of at most [`SPEC_LIMIT`](backprop_io::input::SPEC_LIMIT) bytes
    /// is read.
    pub fn load(path: &Path) -> Result<Spec> {
        let text = backprop_io::input::read_text(path, backprop_io::input::SPEC_LIMIT, "a spec")?;
        Spec::parse(&text, path)
    }

    /// Parses and checks spec text; `path` names it in errors and picks the format.
    pub fn parse(text: &str, path: &Path) -> Result<Spec> {
        // Editors on Windows start UTF-8 files with a byte-order mark; JSON forbids it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let spec: Spec = if is_toml {
            toml::from_str(text).map_err(|e| {
                let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
                syntax(path, line, column, e.message().to_string())
            })?
        } else {
            serde_json::from_str(text).map_err(|e| {
                let message = e.to_string();
                // serde_json appends " at line L column C"; the location goes in front instead.
                let message = match message.rfind(" at line ") {
                    Some(i) => message[..i].to_string(),
                    None => message,
                };
                syntax(path, e.line().max(1), e.column().max(1), message)
            })?
        };
        spec.validate(path)?;
        Ok(spec)
    }

    /// Checks everything serde cannot: shapes, finiteness, and combinations that make
    /// no sense. Each error names the place in the spec and what was expected.
    pub fn validate(&self, path: &Path) -> Result<()> {
        let invalid = |at: String, message: String| Error::Invalid {
            path: path.to_path_buf(),
            at,
            message,
        };
        let layers: Vec<(usize, Activation)> =
            self.layers.iter().map(|l| (l.size, l.activation)).collect();
        check_design(self.inputs, &layers, self.loss).map_err(|e| {
            let at = match e {
                DesignError::NoInputs => "inputs".to_string(),
                DesignError::NoLayers => "layers".to_string(),
                DesignError::EmptyLayer { layer } => format!("layers[{layer}].size"),
                DesignError::HiddenSoftmax { layer } => format!("layers[{layer}].activation"),
                DesignError::LossNeedsProbabilities { .. } => "loss".to_string(),
            };
            invalid(at, e.to_string())
        })?;
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return Err(invalid(
                "learning_rate".into(),
                format!(
                    "must be a finite number greater than 0, got {}",
                    self.learning_rate
                ),
            ));
        }
        if let Some(optimizer) = &self.optimizer {
            optimizer
                .validate()
                .map_err(|(field, message)| invalid(format!("optimizer.{field}"), message))?;
        }
        let last = self.layers.len() - 1;
        let mut fan_in = self.inputs;
        for (l, layer) in self.layers.iter().enumerate() {
            let at = |field: &str| format!("layers[{l}]{field}");
            match (&layer.weights, layer.init) {
                (Some(_), Some(_)) => {
                    return Err(invalid(
                        at(""),
                        "give either \"weights\" or \"init\", not both".into(),
                    ))
                }
                (None, None) => {
                    return Err(invalid(
                        at(""),
                        "no weights: give \"weights\" (one row per neuron) or \"init\" \
                         (xavier, xavier_normal, he, he_normal, uniform)"
                            .into(),
                    ))
                }
                (Some(w), None) => {
                    if w.len() != layer.size {
                        return Err(invalid(
                            at(".weights"),
                            format!(
                                "has {} rows but the layer has {} neurons (one row of weights per neuron)",
                                w.len(),
                                layer.size
                            ),
                        ));
                    }
                    for (j, row) in w.iter().enumerate() {
                        if row.len() != fan_in {
                            let below = if l == 0 {
                                "the network has".to_string()
                            } else {
                                "the layer below has".to_string()
                            };
                            return Err(invalid(
                                at(&format!(".weights[{j}]")),
                                format!(
                                    "has {} values but {below} {fan_in} (one weight per input)",
                                    row.len()
                                ),
                            ));
                        }
                        finite(row, &at(&format!(".weights[{j}]")), &invalid)?;
                    }
                }
                (None, Some(_)) => {}
            }
            match &layer.bias {
                Some(Bias::Shared(b)) => finite(std::slice::from_ref(b), &at(".bias"), &invalid)?,
                Some(Bias::PerNeuron(b)) => {
                    if b.len() != layer.size {
                        return Err(invalid(
                            at(".bias"),
                            format!(
                                "has {} values but the layer has {} neurons (give one number to share, or one per neuron)",
                                b.len(),
                                layer.size
                            ),
                        ));
                    }
                    finite(b, &at(".bias"), &invalid)?;
                }
                None => {}
            }
            fan_in = layer.size;
        }
        let sizes: Vec<usize> = std::iter::once(self.inputs)
            .chain(self.layers.iter().map(|l| l.size))
            .collect();
        let shape: Vec<String> = sizes.iter().map(usize::to_string).collect();
        memory::check_for(
            path,
            memory::spec_bytes(&sizes, self.samples.len()),
            &format!(
                "the network {} ({} parameters)",
                shape.join("-"),
                memory::parameter_count(&sizes)
            ),
            "layers",
        )?;
        if self.samples.is_empty() {
            return Err(invalid(
                "samples".into(),
                "no samples: give at least one {\"input\": [...], \"target\": [...]}".into(),
            ));
        }
        let outputs = self.layers[last].size;
        for (s, sample) in self.samples.iter().enumerate() {
            if sample.input.len() != self.inputs {
                return Err(invalid(
                    format!("samples[{s}].input"),
                    format!(
                        "has {} values but the network has {} inputs",
                        sample.input.len(),
                        self.inputs
                    ),
                ));
            }
            if sample.target.len() != outputs {
                return Err(invalid(
                    format!("samples[{s}].target"),
                    format!(
                        "has {} values but the network has {outputs} outputs",
                        sample.target.len()
                    ),
                ));
            }
            finite(&sample.input, &format!("samples[{s}].input"), &invalid)?;
            finite(&sample.target, &format!("samples[{s}].target"), &invalid)?;
            self.check_target(&sample.target, s, &invalid)?;
        }
        Ok(())
    }

    fn check_target(
        &self,
        target: &[f64],
        s: usize,
        invalid: &dyn Fn(String, String) -> Error,
    ) -> Result<()> {
        let at = format!("samples[{s}].target");
        match self.loss {
            Loss::BinaryCrossEntropy if target.iter().any(|t| !(0.0..=1.0).contains(t)) => {
                Err(invalid(
                    at,
                    "binary_cross_entropy targets are probabilities between 0 and 1".into(),
                ))
            }
            Loss::CrossEntropy => {
                let sum: f64 = target.iter().sum();
                if target.iter().any(|&t| t < 0.0) || (sum - 1.0).abs() > 1e-9 {
                    Err(invalid(
                        at,
                        format!(
                            "cross_entropy targets are a probability distribution (non-negative, summing to 1, \
                             e.g. one-hot); these sum to {sum}"
                        ),
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// The network the spec describes, with weights drawn from `seed` where asked.
    pub fn network<T: Float>(&self) -> Network<T> {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(self.seed.unwrap_or(0));
        let mut fan_in = self.inputs;
        let mut layers = Vec::with_capacity(self.layers.len());
        for l in &self.layers {
            let weights = match (&l.weights, l.init) {
                (Some(w), _) => {
                    let rows: Vec<Vec<T>> = w
                        .iter()
                        .map(|r| r.iter().map(|&x| T::of(x)).collect())
                        .collect();
                    Matrix::from_rows(&rows).unwrap_or_else(|| Matrix::zeros(l.size, fan_in))
                }
                (None, init) => init
                    .unwrap_or(Init::Xavier)
                    .weights(l.size, fan_in, &mut rng),
            };
            let bias = match &l.bias {
                Some(Bias::Shared(b)) => Bias::Shared(T::of(*b)),
                Some(Bias::PerNeuron(b)) => Bias::PerNeuron(b.iter().map(|&x| T::of(x)).collect()),
                None => Bias::PerNeuron(vec![T::zero(); l.size]),
            };
            layers.push(Dense {
                weights,
                bias,
                activation: l.activation,
                train_bias: l.train_bias.unwrap_or(self.train_bias),
            });
            fan_in = l.size;
        }
        Network {
            inputs: self.inputs,
            layers,
            loss: self.loss,
        }
    }

    /// The samples as a batch: inputs (`samples × inputs`) and targets.
    pub fn batch<T: Float>(&self) -> (Matrix<T>, Matrix<T>) {
        let to = |rows: Vec<&Vec<f64>>, cols: usize| {
            let data = rows
                .iter()
                .flat_map(|r| r.iter().map(|&x| T::of(x)))
                .collect();
            Matrix::from_vec(rows.len(), cols, data).unwrap_or_else(|| Matrix::zeros(0, cols))
        };
        let outputs = self.layers.last().map_or(0, |l| l.size);
        (
            to(self.samples.iter().map(|s| &s.input).collect(), self.inputs),
            to(self.samples.iter().map(|s| &s.target).collect(), outputs),
        )
    }

    /// The spec of `network` (weights written out) with this spec's samples and settings.
    pub fn with_network<T: Float>(&self, network: &Network<T>) -> Spec {
        let mut spec = self.clone();
        for (ls, layer) in spec.layers.iter_mut().zip(&network.layers) {
            ls.weights = Some(layer.weights.to_rows_f64());
            ls.bias = Some(layer.bias.to_f64());
            ls.init = None;
        }
        spec.seed = None;
        spec
    }
}

fn syntax(path: &Path, line: usize, column: usize, message: String) -> Error {
    // Parsers may explain over several lines; an error is printed as one.
    let message = message
        .trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(", ");
    Error::Syntax {
        path: PathBuf::from(path),
        line,
        column,
        message,
    }
}

fn finite(values: &[f64], at: &str, invalid: &dyn Fn(String, String) -> Error) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(invalid(
            format!("{at}[{i}]"),
            format!(
                "{} is not a finite number; every number must be finite",
                values[i]
            ),
        )),
        None => Ok(()),
    }
}
