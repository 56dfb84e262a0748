//! A model or checkpoint whose description contradicts its tensors, or itself, is
//! refused on load with one line saying what disagrees; training that produces weights
//! that are not numbers stops instead of saving them.

use std::path::{Path, PathBuf};

use backprop::{Activation, Error};
use backprop_train::model_file::{Extra, Model};
use backprop_train::{self as train, CheckpointPlan, Outcome, Trainer};

mod common;
use common::{iris_config, start};

fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("model-checks");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The message of loading `model` (with `extra`) from its bytes.
fn load_error(model: &Model, extra: &Extra) -> String {
    let bytes = model.to_bytes(extra).unwrap();
    match Model::from_bytes(&bytes, Path::new("m.safetensors")) {
        Ok(_) => panic!("the model was accepted"),
        Err(e) => {
            assert!(matches!(e, Error::Model { .. }), "{e:?}");
            e.to_string()
        }
    }
}

#[test]
fn a_description_that_contradicts_the_tensors_is_refused() {
    let (_, template, _) = start(&iris_config(2));
    let none = Extra::default();
    for count in [0, 1, 50] {
        let mut m = template.clone();
        m.info.class_names = (0..count).map(|c| format!("c{c}")).collect();
        assert_eq!(
            load_error(&m, &none),
            format!("m.safetensors: class_names has {count} entries but the output layer has 3 neurons, one per class")
        );
    }
    let mut m = template.clone();
    m.info.standardization.as_mut().unwrap().mean.pop();
    assert_eq!(
        load_error(&m, &none),
        "m.safetensors: standardization.mean has 3 entries but the network takes 4 inputs"
    );
    let mut m = template.clone();
    m.info.standardization.as_mut().unwrap().std[2] = 0.0;
    assert_eq!(
        load_error(&m, &none),
        "m.safetensors: standardization.std[2] is 0; expected a finite number above 0 (inputs are divided by it)"
    );
    let mut m = template.clone();
    m.network.layers[0].activation = Activation::Softmax;
    assert_eq!(
        load_error(&m, &none),
        "m.safetensors: layer 0: softmax is for the output layer only (it normalises across the whole layer); \
         use sigmoid, tanh, relu, leaky_relu or identity for hidden layers"
    );
    let mut m = template.clone();
    m.network.layers[1].activation = Activation::Identity;
    assert_eq!(
        load_error(&m, &none),
        "m.safetensors: cross_entropy needs outputs between 0 and 1: use softmax or sigmoid on the output layer, not identity"
    );
    let mut m = template.clone();
    m.info.feature_names.push("extra".into());
    assert_eq!(
        load_error(&m, &none),
        "m.safetensors: feature_names has 5 entries but the network takes 4 inputs"
    );
    // The untouched description loads.
    let bytes = template.to_bytes(&none).unwrap();
    assert!(Model::from_bytes(&bytes, Path::new("m.safetensors")).is_ok());
}

#[test]
fn a_checkpoint_position_that_does_not_fit_its_run_is_refused() {
    let config = iris_config(2);
    let (mut t, template, data) = start(&config);
    t.run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap();
    let (model, extra) = t.checkpoint(&template);
    let resume_error = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut e = extra.clone();
        edit(&mut e.checkpoint.as_mut().unwrap()["position"]);
        match Trainer::resume(model.clone(), &e) {
            Ok(_) => panic!("the checkpoint was accepted"),
            Err(err) => err.to_string(),
        }
    };
    assert_eq!(
        resume_error(&|p| p["epoch"] = serde_json::json!(1u64 << 63)),
        "<checkpoint>: position.epoch is 9223372036854775808 but the history records 2 finished epochs"
    );
    assert_eq!(
        resume_error(&|p| {
            p["epoch"] = serde_json::json!(3);
            let first = p["history"][0].clone();
            p["history"].as_array_mut().unwrap().push(first);
        }),
        "<checkpoint>: position.epoch is 3 but the run has only 2 epochs"
    );
    // A batch beyond the epoch is found once the data is known.
    let mut e = extra.clone();
    let p = &mut e.checkpoint.as_mut().unwrap()["position"];
    p["epoch"] = serde_json::json!(1);
    p["history"].as_array_mut().unwrap().pop();
    p["batch"] = serde_json::json!(1000);
    let mut resumed = Trainer::resume(model.clone(), &e).unwrap();
    let err = resumed
        .run(&data.train, &data.validation, &mut (), None, &template)
        .unwrap_err()
        .to_string();
    // 105 training samples in batches of 7: 15 batches.
    assert_eq!(
        err,
        "<checkpoint>: position.batch is 1000 but an epoch of this data has 15 batches"
    );
}

#[test]
fn resuming_a_run_that_stopped_early_says_it_is_finished() {
    let mut config = iris_config(2);
    config.training.epochs = 500;
    config.training.patience = Some(1);
    let (mut t, template, data) = start(&config);
    let path = temp("early.ckpt");
    let plan = CheckpointPlan {
        path: path.clone(),
        every: 1,
    };
    let outcome = t
        .run(
            &data.train,
            &data.validation,
            &mut (),
            Some(&plan),
            &template,
        )
        .unwrap();
    assert_eq!(outcome, Outcome::EarlyStopped);
    let (model, extra) = Model::load_with(&path).unwrap();
    let err = match Trainer::resume(model, &extra) {
        Ok(_) => panic!("resumed a finished run"),
        Err(e) => e.to_string(),
    };
    let epochs = t.position.history.len();
    assert_eq!(
        err,
        format!("<checkpoint>: training already finished: it stopped early after epoch {epochs}, when the validation loss had not improved for 1 epochs; its best weights are the checkpoint's weights")
    );
}

#[test]
fn weights_that_stop_being_numbers_stop_training_and_are_not_saved() {
    let mut config = iris_config(2);
    // `train --dataset iris --lr 1e30`: Adam's steps of about η reach every weight.
    config.model.activation = Activation::Relu;
    config.training.optimizer.learning_rate = 1e30;
    let (mut t, template, data) = start(&config);
    let path = temp("diverged.ckpt");
    let _ = std::fs::remove_file(&path);
    let plan = CheckpointPlan {
        path: path.clone(),
        every: 1,
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
    assert!(matches!(err, Error::Diverged(_)));
    let err = err.to_string();
    // With softmax outputs the loss can stay finite while the weights are NaN; the
    // parameters are what gives it away.
    assert!(
        err.starts_with("training diverged: ")
            && err.contains(" of layer ")
            && err.contains("in epoch 1"),
        "{err}"
    );
    assert!(err.contains("try a lower learning rate than 1e30"), "{err}");
    assert!(!path.exists(), "no checkpoint of NaN weights was written");
    assert!(train::trainer::first_non_finite(&t.network).is_some());
}
