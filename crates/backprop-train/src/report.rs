//! What a finished run reports: the final metrics, measured on the part of the data
//! training held out, as saved in the model file and as summed up for a person.

use std::fmt::Write as _;

use crate::data::Dataset;
use crate::evaluate::{evaluate, Evaluation};
use crate::metrics::EpochRecord;
use crate::prepare::Prepared;
use crate::trainer::{Outcome, Position};
use backprop::error::Result;
use backprop::network::Network;

/// The part the final metrics are measured on, and its name: the test part, else the
/// validation part, else (nothing held out) the training data.
pub fn held_out(data: &Prepared) -> (&'static str, &Dataset) {
    [("test", &data.test), ("validation", &data.validation)]
        .into_iter()
        .find(|(_, d)| !d.is_empty())
        .unwrap_or(("train", &data.train))
}

/// The final metrics of a run that was not interrupted.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The part measured: `test`, `validation` or `train` ([`held_out`]).
    pub part: &'static str,
    /// The metrics on it.
    pub evaluation: Evaluation,
    /// Epochs run in all.
    pub epochs: usize,
    /// Whether early stopping ended the run (the best weights were kept).
    pub stopped_early: bool,
    /// The last epoch's record.
    pub final_epoch: Option<EpochRecord>,
}

impl Report {
    /// Measures the trained `network` on the held-out part of `data` (standardized as
    /// the network expects), after a run that ended at `position` with `outcome`.
    ///
    /// # Errors
    /// As [`evaluate`].
    pub fn new(
        network: &Network<f32>,
        data: &Prepared,
        position: &Position,
        outcome: Outcome,
    ) -> Result<Report> {
        let (part, held_out) = held_out(data);
        Ok(Report {
            part,
            evaluation: evaluate(network, held_out)?,
            epochs: position.history.len(),
            stopped_early: outcome == Outcome::EarlyStopped,
            final_epoch: position.history.last().cloned(),
        })
    }

    /// The metrics a model file keeps (`metrics` of its description): the evaluation
    /// under the part's name, `epochs`, `stopped_early` and `final_epoch`.
    pub fn metrics(&self) -> serde_json::Value {
        serde_json::json!({
            self.part: self.evaluation,
            "epochs": self.epochs,
            "stopped_early": self.stopped_early,
            "final_epoch": self.final_epoch,
        })
    }

    /// The summary for a person, a line each: that the run stopped early, if it did;
    /// then the part's samples, loss and the task's figures.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        if self.stopped_early {
            let _ = writeln!(
                s,
                "stopped early after epoch {}; kept the weights with the best validation loss",
                self.epochs
            );
        }
        let e = &self.evaluation;
        let _ = write!(
            s,
            "{}: {} samples, loss {:.4}",
            self.part, e.samples, e.loss
        );
        if let Some(a) = e.accuracy {
            let _ = write!(s, ", accuracy {:.2}%", 100.0 * a);
        }
        if let Some(r) = &e.regression {
            let _ = write!(s, ", MSE {:.4}, MAE {:.4}, R² {:.4}", r.mse, r.mae, r.r2);
        }
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Targets;
    use crate::metrics::Regression;
    use backprop::matrix::Matrix;

    fn part(samples: usize) -> Dataset {
        Dataset {
            source: "t".into(),
            features: Matrix::zeros(samples, 1),
            feature_names: vec!["x".into()],
            targets: Targets::Classes {
                labels: vec![0; samples],
                names: vec!["a".into()],
            },
        }
    }

    fn prepared(train: usize, validation: usize, test: usize) -> Prepared {
        Prepared {
            train: part(train),
            validation: part(validation),
            test: part(test),
            standardizer: None,
        }
    }

    #[test]
    fn the_held_out_part_is_test_else_validation_else_train() {
        let name = |p: &Prepared| held_out(p).0;
        assert_eq!(name(&prepared(5, 2, 3)), "test");
        assert_eq!(name(&prepared(5, 2, 0)), "validation");
        assert_eq!(name(&prepared(5, 0, 0)), "train");
        assert_eq!(held_out(&prepared(5, 2, 3)).1.len(), 3);
    }

    fn evaluation() -> Evaluation {
        Evaluation {
            samples: 30,
            loss: 0.123456,
            accuracy: Some(0.9),
            precision: Some(0.9),
            recall: Some(0.9),
            classes: Vec::new(),
            confusion: None,
            regression: None,
        }
    }

    #[test]
    fn the_summary_names_the_part_and_the_tasks_figures() {
        let mut r = Report {
            part: "test",
            evaluation: evaluation(),
            epochs: 7,
            stopped_early: false,
            final_epoch: None,
        };
        assert_eq!(
            r.summary(),
            "test: 30 samples, loss 0.1235, accuracy 90.00%\n"
        );
        r.stopped_early = true;
        r.evaluation.accuracy = None;
        r.evaluation.regression = Some(Regression {
            mse: 0.5,
            mae: 0.25,
            r2: 0.75,
        });
        assert_eq!(
            r.summary(),
            "stopped early after epoch 7; kept the weights with the best validation loss\n\
             test: 30 samples, loss 0.1235, MSE 0.5000, MAE 0.2500, R² 0.7500\n"
        );
    }

    #[test]
    fn the_metrics_keep_the_evaluation_under_the_parts_name() {
        let r = Report {
            part: "validation",
            evaluation: evaluation(),
            epochs: 3,
            stopped_early: true,
            final_epoch: None,
        };
        let m = r.metrics();
        assert_eq!(m["validation"]["samples"], 30);
        assert_eq!(m["epochs"], 3);
        assert_eq!(m["stopped_early"], true);
        assert!(m["final_epoch"].is_null());
        assert!(m.get("test").is_none());
    }
}
