//! The plots of a training run: its loss and accuracy curves, and the decision
//! regions of a trained 2-D classifier.
//!
//! These read `backprop-train`'s records and models, so this crate depends on it and
//! not the other way round: a program that trains without plotting does not compile
//! the plotting library, and one that plots a run has the training crate anyway.

use std::path::Path;

use backprop::error::{Error, Result};
use backprop::matrix::Matrix;
use backprop_train::data::{Dataset, Targets, Task};

use backprop_train::metrics::EpochRecord;
use backprop_train::model_file::Model;
use backprop_train::settings;

use crate::{Curve, Panel};

/// Loss over the epochs, train and validation, and accuracy the same way when the task
/// is classification; a curve with no points (no validation part) is left out.
pub fn panels(history: &[EpochRecord]) -> Vec<Panel> {
    let curve = |label: &str, f: &dyn Fn(&EpochRecord) -> Option<f64>| Curve {
        label: label.into(),
        points: history
            .iter()
            .filter_map(|r| f(r).map(|v| (r.epoch as f64, v)))
            .collect(),
    };
    let mut panels = vec![Panel {
        title: "loss".into(),
        y_label: "loss".into(),
        curves: vec![
            curve("train", &|r| Some(r.train_loss)),
            curve("validation", &|r| r.validation_loss),
        ],
    }];
    if history.iter().any(|r| r.train_accuracy.is_some()) {
        panels.push(Panel {
            title: "accuracy".into(),
            y_label: "accuracy".into(),
            curves: vec![
                curve("train", &|r| r.train_accuracy),
                curve("validation", &|r| r.validation_accuracy),
            ],
        });
    }
    for p in &mut panels {
        p.curves.retain(|c| !c.points.is_empty());
    }
    panels
}

/// Checks that decision regions can be drawn for `data`: two features and classes.
///
/// # Errors
/// [`Error::Invalid`] at [`settings::PLOT_BOUNDARY`] saying which is missing.
pub fn check_decision_regions(data: &Dataset) -> Result<()> {
    let refuse = |message: String| {
        Err(Error::Invalid {
            path: "<training>".into(),
            at: settings::PLOT_BOUNDARY.into(),
            message,
        })
    };
    if data.width() != 2 {
        return refuse(format!(
            "decision regions need 2-D inputs; the data has {} features",
            data.width()
        ));
    }
    if data.task() != Task::Classification {
        return refuse("decision regions need a classification task".into());
    }
    Ok(())
}

/// Draws the decision regions of `model` over the points of `data` (its training
/// part, standardized as the model expects), in the data's own units: the points are
/// un-standardized with the model's statistics, and the model standardizes the grid
/// itself.
///
/// # Errors
/// As [`check_decision_regions`] and [`boundary`](crate::boundary).
pub fn decision_regions(path: &Path, model: &Model, data: &Dataset) -> Result<()> {
    check_decision_regions(data)?;
    let Targets::Classes { labels, names } = &data.targets else {
        return Ok(());
    };
    let mut raw = data.features.clone();
    if let Some(s) = &model.info.standardization {
        s.invert(&mut raw);
    }
    let mut classify = |grid: &Matrix<f32>| -> Vec<usize> {
        match model.predict(grid) {
            Ok(out) => (0..out.rows())
                .map(|s| backprop::matrix::argmax(out.row(s)).0)
                .collect(),
            Err(_) => vec![0; grid.rows()],
        }
    };
    crate::boundary(path, &raw, labels, names, &mut classify)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, validation: bool, accuracy: bool) -> EpochRecord {
        EpochRecord {
            epoch,
            train_loss: 1.0 / epoch as f64,
            train_accuracy: accuracy.then_some(0.5),
            validation_loss: validation.then_some(2.0),
            validation_accuracy: (validation && accuracy).then_some(0.4),
            learning_rate: 0.1,
            seconds: 1.0,
            samples_per_second: 10.0,
        }
    }

    #[test]
    fn classification_has_loss_and_accuracy_panels() {
        let history: Vec<_> = (1..=3).map(|e| record(e, true, true)).collect();
        let p = panels(&history);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].title.as_str(), p[1].title.as_str()),
            ("loss", "accuracy")
        );
        assert_eq!(
            p[0].curves[0].points,
            [(1.0, 1.0), (2.0, 0.5), (3.0, 1.0 / 3.0)]
        );
        assert_eq!(p[1].curves[1].label, "validation");
    }

    #[test]
    fn regression_without_validation_has_one_curve() {
        let history: Vec<_> = (1..=2).map(|e| record(e, false, false)).collect();
        let p = panels(&history);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].curves.len(), 1);
        assert_eq!(p[0].curves[0].label, "train");
    }

    #[test]
    fn decision_regions_need_two_features_and_classes() {
        let data = |width: usize, targets: Targets| Dataset {
            source: "t".into(),
            features: Matrix::zeros(2, width),
            feature_names: (0..width).map(|i| format!("x{i}")).collect(),
            targets,
        };
        let classes = || Targets::Classes {
            labels: vec![0, 1],
            names: vec!["a".into(), "b".into()],
        };
        assert!(check_decision_regions(&data(2, classes())).is_ok());
        let err = check_decision_regions(&data(4, classes())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "<training>: plot_boundary: decision regions need 2-D inputs; the data has 4 features"
        );
        let values = Targets::Values {
            values: Matrix::zeros(2, 1),
            names: vec!["y".into()],
        };
        let err = check_decision_regions(&data(2, values)).unwrap_err();
        assert!(
            err.to_string().ends_with("need a classification task"),
            "{err}"
        );
    }
}
