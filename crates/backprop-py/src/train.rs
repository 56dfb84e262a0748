//! Training from arrays, model files, and the shipped datasets. Arrays cross as bytes
//! of little-endian `f32`, row by row.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pyo3::exceptions::PyKeyboardInterrupt;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use backprop::matrix::Matrix;
use backprop_train::data::prep::split;
use backprop_train::data::{builtin::builtin, Dataset, Targets};
use backprop_train::metrics::EpochRecord;
use backprop_train::model_file;
use backprop_train::{self as train, Monitor, Outcome, Prepared, Report, TrainConfig, Trainer};

use crate::errors::{raised, value};

/// How often a running fit looks for Ctrl-C (Python's signal handlers run only when
/// asked while the GIL is released).
const SIGNALS_EVERY: Duration = Duration::from_millis(50);

/// `rows × cols` little-endian `f32` values from `bytes`.
fn matrix(bytes: &[u8], rows: usize, cols: usize, what: &str) -> PyResult<Matrix<f32>> {
    let want = rows.checked_mul(cols).and_then(|n| n.checked_mul(4));
    if want != Some(bytes.len()) {
        return Err(value(format!(
            "{what}: expected {rows} × {cols} float32 values, got {} bytes",
            bytes.len()
        )));
    }
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        return Err(value(format!(
            "{what}: row {}, column {} is {}, not a finite number",
            i / cols.max(1),
            i % cols.max(1),
            values[i]
        )));
    }
    Matrix::from_vec(rows, cols, values)
        .ok_or_else(|| value(format!("{what}: {rows} × {cols} is too large")))
}

/// `m` as bytes of little-endian `f32`.
fn bytes<'py>(py: Python<'py>, m: &Matrix<f32>) -> Bound<'py, PyBytes> {
    let out: Vec<u8> = m.as_slice().iter().flat_map(|v| v.to_le_bytes()).collect();
    PyBytes::new(py, &out)
}

/// A trained network with what it needs to be used: a model file's content.
#[pyclass(module = "backprop._native")]
pub struct Model {
    model: model_file::Model,
    history: Vec<EpochRecord>,
}

#[pymethods]
impl Model {
    /// The outputs for `rows × cols` raw features: class probabilities or values, as
    /// bytes of `rows × outputs` little-endian `f32`.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        features: &[u8],
        rows: usize,
        cols: usize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        if cols != self.model.network.inputs {
            return Err(value(format!(
                "X has {cols} features, but the model was trained on {}",
                self.model.network.inputs
            )));
        }
        let x = matrix(features, rows, cols, "X")?;
        let out = py.detach(|| self.model.predict(&x)).map_err(raised)?;
        Ok(bytes(py, &out))
    }

    /// Its outputs per sample.
    #[getter]
    fn outputs(&self) -> usize {
        self.model.network.outputs()
    }

    /// Its description (layers, task, class and feature names, standardization,
    /// training settings, final metrics) as JSON.
    fn info_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.model.info).map_err(|e| value(e.to_string()))
    }

    /// The epochs of the fit that made it, as the `--metrics` file's records (JSON).
    fn history_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.history).map_err(|e| value(e.to_string()))
    }

    /// Writes it as a model file (safetensors), atomically: the file `train --out`
    /// writes and `predict --model` reads.
    fn save(&self, path: PathBuf) -> PyResult<()> {
        self.model.save(&path).map_err(raised)
    }
}

/// Reads a model file.
#[pyfunction]
pub fn load(path: PathBuf) -> PyResult<Model> {
    let model = model_file::Model::load(&path).map_err(raised)?;
    Ok(Model {
        model,
        history: Vec::new(),
    })
}

/// What a fit reports: each epoch to the callback, and Ctrl-C as a stop.
struct Watch {
    callback: Option<Py<PyAny>>,
    history: Vec<EpochRecord>,
    /// The exception that stopped the fit: Ctrl-C, or one the callback raised.
    stopped: RefCell<Option<PyErr>>,
    checked: RefCell<Instant>,
}

impl Monitor for Watch {
    fn epoch(&mut self, record: &EpochRecord) -> backprop::Result<()> {
        self.history.push(record.clone());
        if let Some(callback) = &self.callback {
            let json = serde_json::to_string(record).unwrap_or_default();
            let called = Python::attach(|py| callback.call1(py, (json,)).map(|_| ()));
            if let Err(e) = called {
                *self.stopped.borrow_mut() = Some(e);
            }
        }
        Ok(())
    }

    fn should_stop(&self) -> bool {
        if self.stopped.borrow().is_some() {
            return true;
        }
        if self.checked.borrow().elapsed() < SIGNALS_EVERY {
            return false;
        }
        *self.checked.borrow_mut() = Instant::now();
        if let Err(e) = Python::attach(|py| py.check_signals()) {
            *self.stopped.borrow_mut() = Some(e);
            return true;
        }
        false
    }
}

/// Trains a network on `rows × cols` features with class `labels` (indices into
/// `class_names`) or `targets` values (`rows × target_names.len()`), as the TOML
/// training configuration `config` says (its `[data]` table: `standardize` and the
/// `validation` fraction). The GIL is released while it trains; `progress` is called
/// after each epoch with the epoch's record as JSON; Ctrl-C stops it with
/// `KeyboardInterrupt`.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the arrays and their names, one by one
#[pyo3(signature = (features, rows, cols, feature_names, labels, class_names, targets, target_names, config, learning_rate=None, progress=None))]
pub fn fit(
    py: Python<'_>,
    features: &[u8],
    rows: usize,
    cols: usize,
    feature_names: Vec<String>,
    labels: Option<Vec<usize>>,
    class_names: Vec<String>,
    targets: Option<&[u8]>,
    target_names: Vec<String>,
    config: &str,
    learning_rate: Option<f64>,
    progress: Option<Py<PyAny>>,
) -> PyResult<Model> {
    let mut config = TrainConfig::parse(config, Path::new("<estimator>")).map_err(raised)?;
    let optimizer = &mut config.training.optimizer;
    optimizer.learning_rate = learning_rate.unwrap_or(optimizer.kind.default_learning_rate());
    let x = matrix(features, rows, cols, "X")?;
    let targets = match (labels, targets) {
        (Some(labels), None) => {
            if let Some(&bad) = labels.iter().find(|&&l| l >= class_names.len()) {
                return Err(value(format!("label index {bad} has no class name")));
            }
            if labels.len() != rows {
                return Err(value(format!(
                    "X has {rows} samples but y has {}",
                    labels.len()
                )));
            }
            Targets::Classes {
                labels,
                names: class_names,
            }
        }
        (None, Some(t)) => Targets::Values {
            values: matrix(t, rows, target_names.len(), "y")?,
            names: target_names,
        },
        _ => return Err(value("give class labels or target values, not both")),
    };
    let names = if feature_names.len() == cols {
        feature_names
    } else {
        (0..cols).map(|k| format!("x{k}")).collect()
    };
    let all = Dataset {
        source: "the arrays given".into(),
        features: x,
        feature_names: names,
        targets,
    };
    let seed = config.training.seed;
    let parts = split(&all, config.data.validation, 0.0, seed).map_err(raised)?;
    let mut data = Prepared {
        train: all.subset(&parts.train),
        validation: all.subset(&parts.validation),
        test: all.subset(&[]),
        standardizer: None,
    };
    if config.data.standardize {
        data.standardize();
    }
    let network = train::build_network(
        &config,
        data.train.task(),
        data.train.width(),
        data.train.outputs(),
    )
    .map_err(raised)?;
    let template = model_file::Model {
        info: train::describe(&config, &network, &data),
        network: network.clone(),
    };
    let mut trainer = Trainer::new(network, config).map_err(raised)?;
    let mut watch = Watch {
        callback: progress,
        history: Vec::new(),
        stopped: RefCell::new(None),
        checked: RefCell::new(Instant::now()),
    };
    let outcome =
        py.detach(|| trainer.run(&data.train, &data.validation, &mut watch, None, &template));
    if let Some(e) = watch.stopped.take() {
        return Err(e);
    }
    let outcome = outcome.map_err(raised)?;
    if outcome == Outcome::Interrupted {
        return Err(PyKeyboardInterrupt::new_err("training was interrupted"));
    }
    let report =
        Report::new(&trainer.network, &data, &trainer.position, outcome).map_err(raised)?;
    let mut model = model_file::Model {
        network: trainer.network.clone(),
        info: template.info,
    };
    model.info.metrics = report.metrics();
    Ok(Model {
        model,
        history: watch.history,
    })
}

/// A dataset shipped with the program (`digits`, `iris`, …): its features as bytes of
/// `f32` with their shape and names, and its class labels with their names (or its
/// values with theirs).
#[pyfunction]
#[allow(clippy::type_complexity)] // the parts of a dataset, as Python receives them
pub fn dataset<'py>(
    py: Python<'py>,
    name: &str,
) -> PyResult<(
    Bound<'py, PyBytes>,
    usize,
    usize,
    Vec<String>,
    Option<Vec<usize>>,
    Vec<String>,
    Option<Bound<'py, PyBytes>>,
)> {
    let Some(d) = builtin(name) else {
        return Err(value(format!(
            "unknown dataset `{name}`; expected one of {}",
            backprop_train::data::builtin::BUILTIN.join(", ")
        )));
    };
    let (labels, names, values) = match &d.targets {
        Targets::Classes { labels, names } => (Some(labels.clone()), names.clone(), None),
        Targets::Values { values, names } => (None, names.clone(), Some(bytes(py, values))),
    };
    Ok((
        bytes(py, &d.features),
        d.len(),
        d.width(),
        d.feature_names.clone(),
        labels,
        names,
        values,
    ))
}
