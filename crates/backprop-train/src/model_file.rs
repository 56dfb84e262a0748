//! Model files: the weights as safetensors tensors `layers.{i}.weight` (out × in) and
//! `layers.{i}.bias` (out), f32, loadable by the Python `safetensors` package as NumPy
//! or PyTorch arrays; everything else (architecture, loss, standardization, class
//! names, training settings, final metrics) as JSON under the metadata key `backprop`,
//! with a format version. A checkpoint is a model file with extra f64 tensors (the
//! optimizer's state, the best weights so far) and the training position under
//! `backprop.checkpoint`.

use std::collections::HashMap;
use std::path::Path;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde::{Deserialize, Serialize};

use crate::data::prep::Standardizer;
use crate::data::Task;
use backprop::activation::Activation;
use backprop::error::{Error, Result};
use backprop::layer::{Bias, Dense};
use backprop::loss::Loss;
use backprop::matrix::Matrix;
use backprop::network::Network;
use backprop::{check_design, DesignError};
use backprop_io::input::{read_bounded, MODEL_LIMIT};

/// The version of the file format this program writes and reads.
pub const FORMAT_VERSION: u32 = 1;
/// The metadata key holding [`ModelInfo`] as JSON.
pub const INFO_KEY: &str = "backprop";
/// The metadata key holding a checkpoint's training position as JSON.
pub const CHECKPOINT_KEY: &str = "backprop.checkpoint";

/// One layer's shape and activation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerInfo {
    /// Inputs to each neuron.
    pub inputs: usize,
    /// Neurons.
    pub size: usize,
    /// Activation.
    pub activation: Activation,
}

/// Everything about a model except its weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// [`FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// The layers, input side first.
    pub layers: Vec<LayerInfo>,
    /// The loss trained on.
    pub loss: Loss,
    /// Classification or regression.
    pub task: Task,
    /// Class names, in output order (classification).
    pub class_names: Vec<String>,
    /// Names of the input features, in order.
    pub feature_names: Vec<String>,
    /// Names of the regression targets, in output order.
    pub target_names: Vec<String>,
    /// Input standardization fitted on the training split, applied before the network.
    pub standardization: Option<Standardizer>,
    /// The training settings (free-form JSON).
    pub training: serde_json::Value,
    /// The final metrics (free-form JSON).
    pub metrics: serde_json::Value,
}

/// A trained network and what it needs to be used.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// The network.
    pub network: Network<f32>,
    /// Its description.
    pub info: ModelInfo,
}

/// What a file holds beyond the model: a checkpoint's optimizer state and position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// Extra f64 tensors by full name, e.g. `optimizer.layers.0.weight.m` (any name not
    /// starting with `layers.`), sorted by name.
    pub tensors: Vec<(String, Vec<f64>)>,
    /// The training position (JSON), present in checkpoints.
    pub checkpoint: Option<serde_json::Value>,
}

/// The layer shapes of `network`.
pub fn layer_info(network: &Network<f32>) -> Vec<LayerInfo> {
    network
        .layers
        .iter()
        .map(|l| LayerInfo {
            inputs: l.fan_in(),
            size: l.size(),
            activation: l.activation,
        })
        .collect()
}

fn le_bytes_f32(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn le_bytes_f64(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

impl Model {
    /// `network` with a description of its shape alone (no names, standardization,
    /// settings or metrics), for runs that never save a model.
    pub fn untitled(network: &Network<f32>, task: Task) -> Model {
        Model {
            info: ModelInfo {
                format_version: FORMAT_VERSION,
                layers: layer_info(network),
                loss: network.loss,
                task,
                class_names: Vec::new(),
                feature_names: Vec::new(),
                target_names: Vec::new(),
                standardization: None,
                training: serde_json::Value::Null,
                metrics: serde_json::Value::Null,
            },
            network: network.clone(),
        }
    }

    /// The file's bytes: weights, metadata and, for a checkpoint, `extra`.
    pub fn to_bytes(&self, extra: &Extra) -> Result<Vec<u8>> {
        let mut buffers: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = Vec::new();
        for (i, l) in self.network.layers.iter().enumerate() {
            buffers.push((
                format!("layers.{i}.weight"),
                Dtype::F32,
                vec![l.size(), l.fan_in()],
                le_bytes_f32(l.weights.as_slice()),
            ));
            // A bias shared by the layer is written out per neuron: the file format has one.
            let bias: Vec<f32> = (0..l.size()).map(|j| l.bias.get(j)).collect();
            buffers.push((
                format!("layers.{i}.bias"),
                Dtype::F32,
                vec![l.size()],
                le_bytes_f32(&bias),
            ));
        }
        for (name, values) in &extra.tensors {
            buffers.push((
                name.clone(),
                Dtype::F64,
                vec![values.len()],
                le_bytes_f64(values),
            ));
        }
        let internal = |message: String| Error::Model {
            path: "<model>".into(),
            message,
        };
        let mut views = Vec::with_capacity(buffers.len());
        for (name, dtype, shape, bytes) in &buffers {
            let view = TensorView::new(*dtype, shape.clone(), bytes)
                .map_err(|e| internal(e.to_string()))?;
            views.push((name.clone(), view));
        }
        let mut info = self.info.clone();
        info.format_version = FORMAT_VERSION;
        info.layers = layer_info(&self.network);
        let mut metadata = HashMap::new();
        metadata.insert(
            INFO_KEY.to_string(),
            serde_json::to_string(&info).map_err(|e| internal(e.to_string()))?,
        );
        if let Some(c) = &extra.checkpoint {
            metadata.insert(CHECKPOINT_KEY.to_string(), c.to_string());
        }
        safetensors::tensor::serialize(views, Some(metadata)).map_err(|e| internal(e.to_string()))
    }

    /// Writes the model to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        self.save_with(path, &Extra::default())
    }

    /// Writes the model and `extra` (a checkpoint) to `path` atomically.
    pub fn save_with(&self, path: &Path, extra: &Extra) -> Result<()> {
        backprop_io::atomic::write(path, &self.to_bytes(extra)?)
    }

    /// Reads a model file (a checkpoint is one too).
    pub fn load(path: &Path) -> Result<Model> {
        Ok(Model::load_with(path)?.0)
    }

    /// Reads a model file with what a checkpoint adds: a regular file of at most
    /// [`MODEL_LIMIT`] bytes.
    pub fn load_with(path: &Path) -> Result<(Model, Extra)> {
        let bytes = read_bounded(path, MODEL_LIMIT, "a model file")?;
        Model::from_bytes(&bytes, path)
    }

    /// Parses a model file's bytes; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<(Model, Extra)> {
        let bad = |message: String| Error::Model {
            path: path.to_path_buf(),
            message,
        };
        let (_, metadata) = SafeTensors::read_metadata(bytes).map_err(|e| {
            bad(format!(
                "not a readable model file: it is truncated or corrupted ({e})"
            ))
        })?;
        let tensors = SafeTensors::deserialize(bytes).map_err(|e| {
            bad(format!(
                "not a readable model file: it is truncated or corrupted ({e})"
            ))
        })?;
        let meta = metadata.metadata().clone().unwrap_or_default();
        let info_json = meta.get(INFO_KEY).ok_or_else(|| {
            bad(format!(
                "not a backprop model: its metadata has no \"{INFO_KEY}\" entry"
            ))
        })?;
        let version: serde_json::Value = serde_json::from_str(info_json)
            .map_err(|e| bad(format!("corrupted model description: {e}")))?;
        match version
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(FORMAT_VERSION) => {}
            Some(v) => {
                return Err(bad(format!(
                    "model format version {v}; this program reads version {FORMAT_VERSION}"
                )))
            }
            None => return Err(bad("corrupted model description: no format_version".into())),
        }
        let info: ModelInfo = serde_json::from_value(version)
            .map_err(|e| bad(format!("corrupted model description: {e}")))?;
        if info.layers.is_empty() {
            return Err(bad("the model has no layers".into()));
        }
        let mut layers = Vec::with_capacity(info.layers.len());
        let mut fan_in = info.layers[0].inputs;
        for (i, l) in info.layers.iter().enumerate() {
            if l.inputs != fan_in {
                return Err(bad(format!(
                    "layer {i} takes {} inputs but the layer below has {fan_in} neurons",
                    l.inputs
                )));
            }
            let weights = read_f32(
                &tensors,
                &format!("layers.{i}.weight"),
                &[l.size, l.inputs],
                &bad,
            )?;
            let bias = read_f32(&tensors, &format!("layers.{i}.bias"), &[l.size], &bad)?;
            if weights.iter().chain(&bias).any(|v| !v.is_finite()) {
                return Err(bad(format!("layer {i} holds a number that is not finite")));
            }
            layers.push(Dense {
                weights: Matrix::from_vec(l.size, l.inputs, weights)
                    .ok_or_else(|| bad(format!("layer {i}: weight shape")))?,
                bias: Bias::PerNeuron(bias),
                activation: l.activation,
                train_bias: true,
            });
            fan_in = l.size;
        }
        let network = Network {
            inputs: info.layers[0].inputs,
            layers,
            loss: info.loss,
        };
        check_description(&info, &network).map_err(bad)?;
        let mut extra = Extra::default();
        for (name, view) in tensors.iter() {
            if !name.starts_with("layers.") {
                if view.dtype() != Dtype::F64 {
                    return Err(bad(format!(
                        "tensor {name} is {} where F64 was expected",
                        view.dtype()
                    )));
                }
                let values = view
                    .data()
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect();
                extra.tensors.push((name.to_string(), values));
            }
        }
        extra.tensors.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(c) = meta.get(CHECKPOINT_KEY) {
            extra.checkpoint = Some(
                serde_json::from_str(c)
                    .map_err(|e| bad(format!("corrupted checkpoint state: {e}")))?,
            );
        }
        Ok((Model { network, info }, extra))
    }

    /// The network's outputs for raw features (`samples × inputs`): standardized as in
    /// training, then the forward pass. Class probabilities, or regression values.
    pub fn predict(&self, features: &Matrix<f32>) -> Result<Matrix<f32>> {
        let mut x = features.clone();
        if let Some(s) = &self.info.standardization {
            s.apply(&mut x);
        }
        let mut ws = self.network.workspace(x.rows());
        Ok(self.network.forward(&mut ws, &x)?.clone())
    }
}

/// Checks that the description agrees with the tensors and with itself: softmax only
/// on the output layer, a loss the output layer can feed, one class or target name per
/// output, one feature name (when named) and one finite mean and positive deviation
/// per input. The message says what disagrees.
fn check_description(info: &ModelInfo, network: &Network<f32>) -> std::result::Result<(), String> {
    let (inputs, outputs) = (network.inputs, network.outputs());
    let design: Vec<(usize, Activation)> = network
        .layers
        .iter()
        .zip(&info.layers)
        .map(|(tensors, described)| (tensors.size(), described.activation))
        .collect();
    check_design(inputs, &design, info.loss).map_err(|e| match e {
        DesignError::HiddenSoftmax { layer } => format!("layer {layer}: {e}"),
        _ => e.to_string(),
    })?;
    let names = |field: &str, count: usize, what: &str| {
        format!("{field} has {count} entries but the output layer has {outputs} neurons, one per {what}")
    };
    match info.task {
        Task::Classification if info.class_names.len() != outputs => {
            return Err(names("class_names", info.class_names.len(), "class"))
        }
        Task::Regression if info.target_names.len() != outputs => {
            return Err(names("target_names", info.target_names.len(), "target"))
        }
        _ => {}
    }
    if !info.feature_names.is_empty() && info.feature_names.len() != inputs {
        return Err(format!(
            "feature_names has {} entries but the network takes {inputs} inputs",
            info.feature_names.len()
        ));
    }
    if let Some(s) = &info.standardization {
        for (field, values) in [("mean", &s.mean), ("std", &s.std)] {
            if values.len() != inputs {
                return Err(format!(
                    "standardization.{field} has {} entries but the network takes {inputs} inputs",
                    values.len()
                ));
            }
        }
        if let Some(j) = s.mean.iter().position(|m| !m.is_finite()) {
            return Err(format!(
                "standardization.mean[{j}] is {}; expected a finite number",
                s.mean[j]
            ));
        }
        if let Some(j) = s.std.iter().position(|d| !(d.is_finite() && *d > 0.0)) {
            return Err(format!(
                "standardization.std[{j}] is {}; expected a finite number above 0 (inputs are divided by it)",
                s.std[j]
            ));
        }
    }
    Ok(())
}

fn read_f32(
    tensors: &SafeTensors<'_>,
    name: &str,
    shape: &[usize],
    bad: &dyn Fn(String) -> Error,
) -> Result<Vec<f32>> {
    let view = tensors
        .tensor(name)
        .map_err(|_| bad(format!("tensor {name} is missing")))?;
    if view.dtype() != Dtype::F32 {
        return Err(bad(format!(
            "tensor {name} is {} where F32 was expected",
            view.dtype()
        )));
    }
    if view.shape() != shape {
        return Err(bad(format!(
            "tensor {name} has shape {:?} where {:?} was expected",
            view.shape(),
            shape
        )));
    }
    Ok(view
        .data()
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
        .collect())
}
