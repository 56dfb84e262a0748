//! The training loop: determinism, bit-identical resumption after an interruption at an
//! arbitrary batch, early stopping, divergence, and the model file round trip.

use std::path::PathBuf;

use backprop::optim::OptimizerKind;
use backprop::Activation;
use backprop_train::model_file::Model;
use backprop_train::trainer::BatchProgress;
use backprop_train::{self as train, CheckpointPlan, Monitor, Outcome, TrainConfig, Trainer};

mod common;
use common::{iris_config, start};

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("train");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Asks to stop after a given number of batches, as a signal handler would.
struct StopAfter {
    batches: usize,
    seen: usize,
}

impl Monitor for StopAfter {
    fn batch(&mut self, _: &BatchProgress) -> backprop::Result<()> {
        self.seen += 1;
        Ok(())
    }
    fn should_stop(&self) -> bool {
        self.seen >= self.batches
    }
}

fn weights(model: &Model) -> Vec<u32> {
    model
        .network
        .layers
        .iter()
        .flat_map(|l| l.weights.as_slice().iter().chain(l.bias.as_slice()))
        .map(|w| w.to_bits())
        .collect()
}

#[test]
fn the_same_seed_gives_bit_identical_weights() {
    let config = iris_config(6);
    let run = || {
        let (mut t, template, data) = start(&config);
        t.run(&data.train, &data.validation, &mut (), None, &template)
            .unwrap();
        Model {
            network: t.network,
            info: template.info,
        }
    };
    assert_eq!(weights(&run()), weights(&run()));
    let mut other = config.clone();
    other.training.seed = 4;
    let (mut t, template, data) = start(&other);
    t.run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap();
    assert_ne!(
        weights(&run()),
        weights(&Model {
            network: t.network,
            info: template.info
        })
    );
}

#[test]
fn an_interrupted_run_resumes_to_bit_identical_weights() {
    for (optimizer, stop_after) in [
        (OptimizerKind::Adam, 23),
        (OptimizerKind::Nesterov, 17),
        (OptimizerKind::Sgd, 40),
    ] {
        let mut config = iris_config(6);
        config.training.optimizer.kind = optimizer;
        config.training.patience = Some(100);
        let (mut whole, template, data) = start(&config);
        assert_eq!(
            whole
                .run(&data.train, &data.validation, &mut (), None, &template)
                .unwrap(),
            Outcome::Finished
        );

        let path = temp(&format!("resume-{optimizer:?}.safetensors"));
        let plan = CheckpointPlan {
            path: path.clone(),
            every: 1,
        };
        let (mut first, template, data) = start(&config);
        let mut stop = StopAfter {
            batches: stop_after,
            seen: 0,
        };
        let outcome = first
            .run(
                &data.train,
                &data.validation,
                &mut stop,
                Some(&plan),
                &template,
            )
            .unwrap();
        assert_eq!(outcome, Outcome::Interrupted);
        assert!(first.position.batch > 0, "stopped inside an epoch");

        let (model, extra) = Model::load_with(&path).unwrap();
        let mut resumed = Trainer::resume(model, &extra).unwrap();
        assert_eq!(
            resumed
                .run(
                    &data.train,
                    &data.validation,
                    &mut (),
                    Some(&plan),
                    &template
                )
                .unwrap(),
            Outcome::Finished
        );
        let a = Model {
            network: whole.network,
            info: template.info.clone(),
        };
        let b = Model {
            network: resumed.network,
            info: template.info.clone(),
        };
        assert_eq!(weights(&a), weights(&b), "{optimizer:?}");
        assert_eq!(whole.position.history.len(), resumed.position.history.len());
        for (x, y) in whole.position.history.iter().zip(&resumed.position.history) {
            assert_eq!(x.train_loss.to_bits(), y.train_loss.to_bits());
            assert_eq!(x.validation_loss, y.validation_loss);
        }
    }
}

#[test]
fn a_model_file_round_trips_and_predicts_the_same() {
    let config = iris_config(6);
    let (mut t, template, data) = start(&config);
    t.run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap();
    let model = Model {
        network: t.network.clone(),
        info: template.info.clone(),
    };
    let path = temp("round-trip.safetensors");
    model.save(&path).unwrap();
    let loaded = Model::load(&path).unwrap();
    assert_eq!(loaded, model);
    // Raw (unstandardized) iris features go through the saved standardization.
    let raw = backprop_train::data::builtin::builtin("iris").unwrap();
    assert_eq!(
        loaded.predict(&raw.features).unwrap(),
        model.predict(&raw.features).unwrap()
    );
}

#[test]
fn iris_learns_and_early_stopping_keeps_the_best_weights() {
    let mut config = iris_config(6);
    config.training.epochs = 200;
    config.training.patience = Some(5);
    let (mut t, template, data) = start(&config);
    let outcome = t
        .run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap();
    let best = t.position.best_loss.unwrap();
    let e = train::evaluate(&t.network, &data.validation).unwrap();
    // The restored weights are those of the best epoch, whose validation loss it recorded.
    assert!((e.loss - best).abs() < 1e-12, "{} vs {best}", e.loss);
    if outcome == Outcome::EarlyStopped {
        assert!(t.position.history.len() < 200);
    }
    let test = train::evaluate(&t.network, &data.test).unwrap();
    assert!(test.accuracy.unwrap() >= 0.9, "{test:?}");
}

#[test]
fn divergence_names_the_epoch_and_batch() {
    let mut config = iris_config(6);
    config.training.optimizer.kind = OptimizerKind::Sgd;
    config.training.optimizer.learning_rate = 1e30;
    config.model.output_activation = Some(Activation::Identity);
    config.model.loss = Some(backprop::Loss::Mse);
    let (mut t, template, data) = start(&config);
    let err = t
        .run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("diverged")
            && err.contains("epoch 1, batch")
            && err.contains("lower learning rate"),
        "{err}"
    );
}

#[test]
fn settings_that_would_never_act_are_refused_from_a_configuration_too() {
    let (_, template, data) = start(&iris_config(6));
    let mut config = iris_config(6);
    config.training.optimizer.learning_rate = 0.0;
    let Err(err) = Trainer::new(template.network.clone(), config) else {
        panic!("a learning rate of 0 was accepted");
    };
    assert_eq!(
        err.to_string(),
        "<training>: learning_rate: must be a finite number above 0, got 0"
    );
    let (mut t, _, _) = start(&iris_config(6));
    let plan = CheckpointPlan {
        path: temp("never.ckpt"),
        every: 0,
    };
    let err = t
        .run(
            &data.train,
            &data.validation,
            &mut (),
            Some(&plan),
            &template,
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "<training>: checkpoint_every: must be at least 1, or no checkpoint would ever be written"
    );
    let mut moons = TrainConfig::default();
    moons.data.dataset = Some("moons".into());
    moons.data.noise = Some(f64::NAN);
    let err = train::prepare(&moons.data, 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "<training>: noise: must be a finite number ≥ 0, got NaN"
    );
}

/// Fails to record epoch `at`, as a metrics file that cannot be written would.
struct FailAt {
    at: usize,
    epochs: Vec<usize>,
    batches_after: usize,
}

impl Monitor for FailAt {
    fn batch(&mut self, p: &BatchProgress) -> backprop::Result<()> {
        if p.epoch > self.at {
            self.batches_after += 1;
        }
        Ok(())
    }
    fn epoch(&mut self, r: &backprop_train::metrics::EpochRecord) -> backprop::Result<()> {
        self.epochs.push(r.epoch);
        if r.epoch == self.at {
            return Err(backprop::Error::Write {
                path: "metrics.jsonl".into(),
                source: std::io::Error::other("disk full"),
            });
        }
        Ok(())
    }
}

#[test]
fn a_monitor_that_fails_stops_the_run_at_that_epoch_with_its_error() {
    let (mut t, template, data) = start(&iris_config(6));
    let mut monitor = FailAt {
        at: 2,
        epochs: Vec::new(),
        batches_after: 0,
    };
    let plan = CheckpointPlan {
        path: temp("failed-monitor.ckpt"),
        every: 1,
    };
    let _ = std::fs::remove_file(&plan.path);
    let err = t
        .run(
            &data.train,
            &data.validation,
            &mut monitor,
            Some(&plan),
            &template,
        )
        .unwrap_err();
    assert!(
        matches!(&err, backprop::Error::Write { path, .. } if path.ends_with("metrics.jsonl")),
        "{err}"
    );
    // Epoch 2 finished, its record was refused, and nothing ran after it.
    assert_eq!(monitor.epochs, [1, 2]);
    assert_eq!(monitor.batches_after, 0);
    assert_eq!(t.position.epoch, 2);
    assert_eq!(t.position.history.len(), 2);
    // The checkpoint is the one after epoch 1: the failed epoch wrote none.
    let (_, extra) = Model::load_with(&plan.path).unwrap();
    assert_eq!(extra.checkpoint.unwrap()["position"]["epoch"], 1);
}

#[test]
fn the_split_is_saved_as_read_and_the_report_measures_the_test_part() {
    let config = iris_config(2);
    let mut data = train::prepare::split_parts(&config.data, config.training.seed).unwrap();
    let dir = temp("split");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(train::prepare::split_paths(&dir).unwrap().is_empty());
    train::prepare::save_split(&dir, &data).unwrap();
    let paths = train::prepare::split_paths(&dir).unwrap();
    for (path, part) in paths
        .iter()
        .zip([&data.train, &data.validation, &data.test])
    {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(text, train::prepare::to_csv(part));
        assert_eq!(text.lines().count(), part.len() + 1);
    }
    // A file where the folder should be is refused, naming the setting.
    let file = temp("split-file");
    std::fs::write(&file, "x").unwrap();
    let err = train::prepare::save_split(&file, &data).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("`save_split`: it exists and is not a directory"),
        "{err}"
    );

    data.standardize();
    let net = train::build_network(&config, data.train.task(), 4, 3).unwrap();
    let mut t = Trainer::new(net, config.clone()).unwrap();
    let template = Model::untitled(&t.network, data.train.task());
    let outcome = t
        .run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap();
    let report = train::Report::new(&t.network, &data, &t.position, outcome).unwrap();
    assert_eq!((report.part, report.epochs), ("test", 2));
    assert_eq!(report.evaluation.samples, data.test.len());
    assert_eq!(report.metrics()["final_epoch"]["epoch"], 2);
    assert!(report.summary().starts_with("test: 30 samples, loss "));
}
