//! The flags that say where the data comes from, shared by `train` and `evaluate`
//! (whose help says what they mean there).

use std::path::PathBuf;

use backprop_train::config::DataConfig;
use backprop_train::prepare::dataset_names;

/// Where the data comes from: a CSV file or a named dataset.
#[derive(clap::Args)]
pub struct DataArgs {
    /// A CSV file to train on.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    // The help lists the library's names.
    #[arg(long, value_name = "NAME", help = dataset_help())]
    pub dataset: Option<String>,
    /// Target column(s) of the CSV, by name or 0-based index, comma-separated (default: the last).
    #[arg(long, value_delimiter = ',', value_name = "COLUMN")]
    pub target: Vec<String>,
    /// Folder of IDX files for fashion-mnist or mnist.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// The help of --dataset, with the names the library knows.
fn dataset_help() -> String {
    format!(
        "A built-in dataset or generator: {}",
        dataset_names().join(", ")
    )
}

impl DataArgs {
    /// Puts the flags given into a training configuration: a file or a dataset
    /// replaces both.
    pub fn apply(&self, config: &mut DataConfig) {
        if self.data.is_some() || self.dataset.is_some() {
            config.file = self.data.clone();
            config.dataset = self.dataset.clone();
        }
        if !self.target.is_empty() {
            config.target = self.target.clone();
        }
        if self.data_dir.is_some() {
            config.data_dir = self.data_dir.clone();
        }
    }
}
