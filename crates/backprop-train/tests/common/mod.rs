//! Helpers shared by the integration tests: scratch directories, gzip, and a small
//! Iris training set-up.
#![allow(dead_code)] // not every test file uses every helper

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use backprop::optim::OptimizerKind;
use backprop::Activation;
use backprop_train::model_file::Model;
use backprop_train::{self as train, BatchSize, TrainConfig, Trainer};

/// A fresh, empty directory `group/test` in the target's scratch space; the files stay
/// there for inspection after the test.
pub fn scratch(group: &str, test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(group)
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `bytes`, gzip-compressed.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Iris with a small tanh network trained by Adam for `epochs` epochs, batches of 7.
pub fn iris_config(epochs: usize) -> TrainConfig {
    let mut c = TrainConfig::default();
    c.data.dataset = Some("iris".into());
    c.model.layers = vec![4, 8, 3];
    c.model.activation = Activation::Tanh;
    c.training.optimizer.kind = OptimizerKind::Adam;
    c.training.optimizer.learning_rate = 0.01;
    c.training.epochs = epochs;
    c.training.batch_size = BatchSize::Samples(7);
    c.training.seed = 3;
    c
}

/// The trainer for `config`, the model file it would save, and its prepared data.
pub fn start(config: &TrainConfig) -> (Trainer, Model, train::Prepared) {
    let data = train::prepare(&config.data, config.training.seed).unwrap();
    let net = train::build_network(
        config,
        data.train.task(),
        data.train.width(),
        data.train.outputs(),
    )
    .unwrap();
    let info = train::describe(config, &net, &data);
    let template = Model {
        network: net.clone(),
        info,
    };
    (Trainer::new(net, config.clone()).unwrap(), template, data)
}
