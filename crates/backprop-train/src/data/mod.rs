//! Datasets: samples as rows of an `f32` matrix, with class labels or real targets.
//!
//! Loaders for CSV and IDX files, the built-in `iris`, `digits` and `xor`, seeded 2-D
//! generators, and the preparation training needs: splits and standardization.

use std::path::Path;

use serde::{Deserialize, Serialize};

use backprop::error::Error;
use backprop::matrix::Matrix;

pub mod builtin;
pub mod csv;
pub mod generate;
mod gzip;
pub mod idx;
mod labels;
pub mod prep;
mod standardize;

pub use self::builtin::{builtin, BUILTIN};
pub use self::csv::{load_csv, CsvOptions, TargetColumn};
pub use self::generate::{generate, GeneratorOptions, GENERATORS};
pub use self::idx::{fashion_mnist, load_idx, load_mnist_dir};
pub use self::prep::{
    align_classes, batch_into, check_classes, epoch_order, split, Split, Standardizer,
};

/// A [`Error::Data`] about a whole file or dataset (no line or column).
pub(crate) fn bad(path: &Path, message: impl Into<String>) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message: message.into(),
    }
}

/// What a dataset's targets are.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// One class per sample, as an index into `names`.
    Classes {
        /// Class index of each sample.
        labels: Vec<usize>,
        /// The class names, in index order (sorted as the loader documents).
        names: Vec<String>,
    },
    /// One or more real values per sample (regression).
    Values {
        /// `samples × targets`.
        values: Matrix<f32>,
        /// The target columns' names.
        names: Vec<String>,
    },
}

/// Whether a task is classification or regression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Predict a class.
    Classification,
    /// Predict real values.
    Regression,
}

impl Task {
    /// Both tasks, classification first.
    pub const ALL: [Task; 2] = [Task::Classification, Task::Regression];

    /// The name used in configuration files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Task::Classification => "classification",
            Task::Regression => "regression",
        }
    }
}

impl backprop::names::Named for Task {
    const WHAT: &'static str = "task";
    const ALL: &'static [Self] = &Task::ALL;

    fn name(self) -> &'static str {
        Task::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            Task::Classification => "Targets are classes",
            Task::Regression => "Targets are real values",
        }
    }
}

backprop::display_and_from_str!(Task);

/// Samples and their targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// Where it came from (a path or a built-in name), for messages.
    pub source: String,
    /// `samples × features`.
    pub features: Matrix<f32>,
    /// One name per feature column.
    pub feature_names: Vec<String>,
    /// The targets.
    pub targets: Targets,
}

impl Dataset {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.features.rows()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of features.
    pub fn width(&self) -> usize {
        self.features.cols()
    }

    /// Classification or regression.
    pub fn task(&self) -> Task {
        match self.targets {
            Targets::Classes { .. } => Task::Classification,
            Targets::Values { .. } => Task::Regression,
        }
    }

    /// The number of network outputs the targets need: classes, or target columns.
    pub fn outputs(&self) -> usize {
        match &self.targets {
            Targets::Classes { names, .. } => names.len(),
            Targets::Values { values, .. } => values.cols(),
        }
    }

    /// The samples at `indices`, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let pick = |m: &Matrix<f32>| {
            let mut data = Vec::with_capacity(indices.len() * m.cols());
            for &i in indices {
                data.extend_from_slice(m.row(i));
            }
            Matrix::from_vec(indices.len(), m.cols(), data)
                .unwrap_or_else(|| Matrix::zeros(0, m.cols()))
        };
        let targets = match &self.targets {
            Targets::Classes { labels, names } => Targets::Classes {
                labels: indices.iter().map(|&i| labels[i]).collect(),
                names: names.clone(),
            },
            Targets::Values { values, names } => Targets::Values {
                values: pick(values),
                names: names.clone(),
            },
        };
        Dataset {
            source: self.source.clone(),
            features: pick(&self.features),
            feature_names: self.feature_names.clone(),
            targets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_names_are_the_serde_names() {
        for task in Task::ALL {
            assert_eq!(serde_json::to_value(task).unwrap(), task.name());
            assert_eq!(task.name().parse::<Task>(), Ok(task));
            assert_eq!(task.to_string(), task.name());
        }
        assert_eq!(
            "ranking".parse::<Task>().unwrap_err().to_string(),
            "unknown task `ranking`; expected one of classification, regression"
        );
    }
}
