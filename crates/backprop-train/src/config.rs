//! The training configuration: what `train --config` reads and `train --print-config`
//! writes (TOML), and what the command-line flags override.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::Task;
use backprop::activation::Activation;
use backprop::init::Init;
use backprop::loss::Loss;
use backprop::optim::{OptimizerConfig, OptimizerKind, Schedule};

/// Everything a training run needs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Where the data comes from and how it is split.
    pub data: DataConfig,
    /// The architecture.
    pub model: ModelConfig,
    /// The optimization.
    pub training: TrainingConfig,
}

/// Where the data comes from and how it is prepared.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// A built-in dataset (`iris`, `digits`, `xor`), a generator (`moons`, `circles`,
    /// `spiral`, `blobs`, `xor`), or `fashion-mnist`/`mnist` (IDX files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// A CSV file (instead of `dataset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    /// Target columns of a CSV, by name or 0-based index (default: the last column).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target: Vec<String>,
    /// Force classification or regression (default: inferred from the targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// Folder of IDX files for `fashion-mnist` / `mnist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// Fraction of the data held out for validation (from the training files for IDX).
    pub validation: f64,
    /// Fraction held out for the final test (IDX datasets bring their own test set).
    pub test: f64,
    /// Standardize inputs with the training split's mean and deviation.
    pub standardize: bool,
    /// Samples drawn by a generator (default 400). With `xor`, asking for samples or
    /// noise picks the generator over the built-in four points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Noise of a generator (default 0.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
}

impl Default for DataConfig {
    fn default() -> Self {
        DataConfig {
            dataset: None,
            file: None,
            target: Vec::new(),
            task: None,
            data_dir: None,
            validation: 0.1,
            test: 0.2,
            standardize: true,
            samples: None,
            noise: None,
        }
    }
}

/// The architecture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelConfig {
    /// Layer sizes from input to output, e.g. `[4, 16, 3]`; empty = one hidden layer of
    /// 32 between the data's width and its outputs.
    pub layers: Vec<usize>,
    /// Activation of the hidden layers.
    pub activation: Activation,
    /// Activation of the output layer (default: softmax for classification, identity
    /// for regression).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_activation: Option<Activation>,
    /// Loss (default: cross_entropy for classification, mse for regression).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<Loss>,
    /// Weight initializer (default: He for ReLU-like hidden layers, else Xavier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<Init>,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig {
            layers: Vec::new(),
            activation: Activation::Relu,
            output_activation: None,
            loss: None,
            init: None,
        }
    }
}

/// Mini-batch size: a number of samples, or the whole training set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchSize {
    /// This many samples per step (1 = online, the tutorial's way).
    Samples(usize),
    /// The whole training set per step.
    Full,
}

impl BatchSize {
    /// The batch size for `n` training samples.
    pub fn resolve(self, n: usize) -> usize {
        match self {
            BatchSize::Samples(b) => b.clamp(1, n.max(1)),
            BatchSize::Full => n.max(1),
        }
    }
}

impl std::str::FromStr for BatchSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(BatchSize::Full),
            n => match n.parse::<usize>() {
                Ok(b) if b > 0 => Ok(BatchSize::Samples(b)),
                _ => Err(format!(
                    "`{n}` is not a batch size: give a positive number or `full`"
                )),
            },
        }
    }
}

impl Serialize for BatchSize {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            BatchSize::Samples(b) => s.serialize_u64(*b as u64),
            BatchSize::Full => s.serialize_str("full"),
        }
    }
}

impl<'de> Deserialize<'de> for BatchSize {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(0) => Err(serde::de::Error::custom("batch_size must be at least 1")),
            Raw::Number(n) => Ok(BatchSize::Samples(n as usize)),
            Raw::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// How to optimize.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainingConfig {
    /// Optimizer and its settings.
    pub optimizer: OptimizerConfig,
    /// Learning-rate schedule over epochs.
    pub schedule: Schedule,
    /// Epochs to train.
    pub epochs: usize,
    /// Samples per step.
    pub batch_size: BatchSize,
    /// Seed of initialization, split and shuffling.
    pub seed: u64,
    /// Stop when the validation loss has not improved for this many epochs, and keep
    /// the best weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patience: Option<usize>,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            optimizer: OptimizerConfig {
                kind: OptimizerKind::Adam,
                learning_rate: 0.001,
                ..OptimizerConfig::default()
            },
            schedule: Schedule::Constant,
            epochs: 10,
            batch_size: BatchSize::Samples(32),
            seed: 0,
            patience: None,
        }
    }
}

impl TrainConfig {
    /// Parses a TOML configuration; `path` names it in errors.
    pub fn parse(text: &str, path: &std::path::Path) -> backprop::Result<TrainConfig> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |s| backprop_io::input::line_column(text, s.start));
            backprop::Error::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: e
                    .message()
                    .trim()
                    .lines()
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
    }

    /// Reads a TOML configuration file.
    pub fn load(path: &std::path::Path) -> backprop::Result<TrainConfig> {
        use backprop_io::input::{read_text, SPEC_LIMIT};
        let text = read_text(path, SPEC_LIMIT, "a training configuration")?;
        TrainConfig::parse(&text, path)
    }

    /// The configuration as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_configuration_reads_back_the_same() {
        let mut c = TrainConfig::default();
        c.data.dataset = Some("iris".into());
        c.model.layers = vec![4, 16, 3];
        c.model.activation = Activation::Tanh;
        c.training.batch_size = BatchSize::Full;
        let text = c.to_toml();
        assert_eq!(
            TrainConfig::parse(&text, std::path::Path::new("c.toml")).unwrap(),
            c
        );
    }

    #[test]
    fn batch_sizes_are_numbers_or_full() {
        assert_eq!("full".parse::<BatchSize>(), Ok(BatchSize::Full));
        assert_eq!("64".parse::<BatchSize>(), Ok(BatchSize::Samples(64)));
        assert!("0".parse::<BatchSize>().is_err());
        assert_eq!(BatchSize::Samples(500).resolve(150), 150);
    }
}
