//! Training real networks with the [`backprop`] engine: datasets ([`data`]), the
//! configuration, data preparation, the loop ([`Trainer`]), evaluation, metrics files
//! and model files ([`model_file`]).
#![warn(missing_docs)]

pub mod data;
pub mod metrics;
pub mod model_file;

pub mod config;
pub mod evaluate;
pub mod memory;
pub mod predict;
pub mod prepare;
pub mod report;
pub mod settings;
pub mod trainer;

use rand::SeedableRng;

use crate::data::Task;
use crate::model_file::{layer_info, ModelInfo, FORMAT_VERSION};
use backprop::activation::Activation;
use backprop::error::{Error, Result};
use backprop::init::Init;
use backprop::layer::{Bias, Dense};
use backprop::loss::Loss;
use backprop::network::Network;
use backprop::{check_design, DesignError};

pub use config::{BatchSize, TrainConfig};
pub use evaluate::{evaluate, Evaluation};
pub use prepare::{prepare, Prepared};
pub use report::Report;
pub use trainer::{CheckpointPlan, Monitor, Outcome, Trainer};

fn invalid(at: &str, message: String) -> Error {
    Error::Invalid {
        path: "<training>".into(),
        at: at.into(),
        message,
    }
}

/// The network the configuration describes for data of `width` features and
/// `outputs` outputs, with seeded initial weights and zero biases.
pub fn build_network(
    config: &TrainConfig,
    task: Task,
    width: usize,
    outputs: usize,
) -> Result<Network<f32>> {
    let m = &config.model;
    let sizes = if m.layers.is_empty() {
        vec![width, 32, outputs]
    } else {
        m.layers.clone()
    };
    if sizes.len() < 2 || sizes.contains(&0) {
        return Err(invalid(
            "layers",
            "give at least an input and an output size, all above 0, e.g. 4,16,3".into(),
        ));
    }
    let last = sizes.len() - 1;
    if sizes[0] != width {
        return Err(invalid(
            "layers",
            format!(
                "starts with {} inputs but the data has {width} features",
                sizes[0]
            ),
        ));
    }
    if sizes[last] != outputs {
        let what = match task {
            Task::Classification => "classes",
            Task::Regression => "target columns",
        };
        return Err(invalid(
            "layers",
            format!(
                "ends with {} outputs but the data has {outputs} {what}",
                sizes[last]
            ),
        ));
    }
    let needed = memory::training_bytes(&sizes, config);
    let shape: Vec<String> = sizes.iter().map(usize::to_string).collect();
    let what = match memory::parameter_count(&sizes) {
        u64::MAX => format!(
            "training the network {} (over 2^64 parameters)",
            shape.join("-")
        ),
        p => format!("training the network {} ({p} parameters)", shape.join("-")),
    };
    memory::check(needed, &what, "layers")?;
    let (output, loss) = output_and_loss(config, task);
    let design: Vec<(usize, Activation)> = (1..=last)
        .map(|l| (sizes[l], if l == last { output } else { m.activation }))
        .collect();
    check_design(width, &design, loss).map_err(|e| {
        let at = match e {
            DesignError::HiddenSoftmax { .. } => "activation",
            DesignError::LossNeedsProbabilities { .. } => "loss",
            _ => "layers",
        };
        invalid(at, e.to_string())
    })?;
    let init = m.init.unwrap_or(match m.activation {
        Activation::Relu | Activation::LeakyRelu => Init::He,
        _ => Init::Xavier,
    });
    let mut rng = rand_pcg::Pcg64::seed_from_u64(config.training.seed);
    let layers = sizes
        .windows(2)
        .enumerate()
        .map(|(l, pair)| Dense {
            weights: init.weights(pair[1], pair[0], &mut rng),
            bias: Bias::PerNeuron(vec![0.0; pair[1]]),
            activation: if l + 1 == last { output } else { m.activation },
            train_bias: true,
        })
        .collect();
    Ok(Network {
        inputs: width,
        layers,
        loss,
    })
}

/// The output activation and loss: as configured, else softmax with cross-entropy for
/// classification and identity with MSE for regression.
pub fn output_and_loss(config: &TrainConfig, task: Task) -> (Activation, Loss) {
    let m = &config.model;
    let output = m.output_activation.unwrap_or(match task {
        Task::Classification => Activation::Softmax,
        Task::Regression => Activation::Identity,
    });
    let loss = m.loss.unwrap_or(match task {
        Task::Classification => Loss::CrossEntropy,
        Task::Regression => Loss::Mse,
    });
    (output, loss)
}

/// The model description for a network trained on `data` under `config`.
pub fn describe(config: &TrainConfig, network: &Network<f32>, data: &Prepared) -> ModelInfo {
    let (class_names, target_names) = match &data.train.targets {
        crate::data::Targets::Classes { names, .. } => (names.clone(), Vec::new()),
        crate::data::Targets::Values { names, .. } => (Vec::new(), names.clone()),
    };
    ModelInfo {
        format_version: FORMAT_VERSION,
        layers: layer_info(network),
        loss: network.loss,
        task: data.train.task(),
        class_names,
        feature_names: data.train.feature_names.clone(),
        target_names,
        standardization: data.standardizer.clone(),
        training: serde_json::to_value(config).unwrap_or_default(),
        metrics: serde_json::Value::Null,
    }
}
