//! Metrics: accuracy, precision, recall and the confusion matrix for classification;
//! MSE, MAE and R² for regression; and the per-epoch training record.

use serde::{Deserialize, Serialize};

/// Counts of (true class, predicted class) pairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// `counts[t][p]`: samples of true class t predicted as p.
    pub counts: Vec<Vec<u64>>,
}

impl Confusion {
    /// An empty matrix for `classes` classes.
    pub fn new(classes: usize) -> Self {
        Confusion {
            counts: vec![vec![0; classes]; classes],
        }
    }

    /// Counts one prediction.
    pub fn add(&mut self, truth: usize, predicted: usize) {
        if let Some(c) = self
            .counts
            .get_mut(truth)
            .and_then(|row| row.get_mut(predicted))
        {
            *c += 1;
        }
    }

    /// Samples counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Fraction predicted correctly.
    pub fn accuracy(&self) -> f64 {
        let correct: u64 = (0..self.counts.len()).map(|i| self.counts[i][i]).sum();
        ratio(correct, self.total())
    }

    /// Per class: of the samples predicted as the class, the fraction that are it.
    pub fn precision(&self) -> Vec<f64> {
        (0..self.counts.len())
            .map(|c| {
                ratio(
                    self.counts[c][c],
                    self.counts.iter().map(|row| row[c]).sum(),
                )
            })
            .collect()
    }

    /// Per class: of the samples of the class, the fraction predicted as it.
    pub fn recall(&self) -> Vec<f64> {
        self.counts
            .iter()
            .enumerate()
            .map(|(c, row)| ratio(row[c], row.iter().sum()))
            .collect()
    }
}

/// a / b, or 0 when b is 0 (a class never predicted has precision 0, as scikit-learn's
/// `zero_division=0`).
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The mean of a slice, 0 when empty.
pub fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Regression metrics over `samples × outputs` predictions and targets (row-major).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Regression {
    /// Mean squared error over every value.
    pub mse: f64,
    /// Mean absolute error over every value.
    pub mae: f64,
    /// Coefficient of determination, averaged over the outputs (scikit-learn's
    /// `uniform_average`); an output with constant targets scores 1 if predicted exactly,
    /// else 0.
    pub r2: f64,
}

impl Regression {
    /// Computes the metrics; `outputs` is the number of columns.
    pub fn compute(predicted: &[f32], target: &[f32], outputs: usize) -> Self {
        let n = predicted.len().max(1) as f64;
        let (mut se, mut ae) = (0.0, 0.0);
        for (&p, &t) in predicted.iter().zip(target) {
            let d = f64::from(p) - f64::from(t);
            se += d * d;
            ae += d.abs();
        }
        let rows = target.len() / outputs.max(1);
        let r2s: Vec<f64> = (0..outputs)
            .map(|k| {
                let t: Vec<f64> = (0..rows)
                    .map(|i| f64::from(target[i * outputs + k]))
                    .collect();
                let p: Vec<f64> = (0..rows)
                    .map(|i| f64::from(predicted[i * outputs + k]))
                    .collect();
                let mean_t = mean(&t);
                let ss_tot: f64 = t.iter().map(|t| (t - mean_t).powi(2)).sum();
                let ss_res: f64 = t.iter().zip(&p).map(|(t, p)| (t - p).powi(2)).sum();
                match (ss_tot == 0.0, ss_res == 0.0) {
                    (true, true) => 1.0,
                    (true, false) => 0.0,
                    _ => 1.0 - ss_res / ss_tot,
                }
            })
            .collect();
        Regression {
            mse: se / n,
            mae: ae / n,
            r2: mean(&r2s),
        }
    }
}

/// One line of `--metrics`: what an epoch did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1 for the first epoch.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches, weighted by batch size.
    pub train_loss: f64,
    /// Training accuracy from the same forward passes (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_accuracy: Option<f64>,
    /// Validation loss after the epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_loss: Option<f64>,
    /// Validation accuracy after the epoch (classification).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_accuracy: Option<f64>,
    /// The learning rate used.
    pub learning_rate: f64,
    /// Seconds spent in the training loop (validation excluded).
    pub seconds: f64,
    /// Training samples per second of the training loop alone.
    pub samples_per_second: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_metrics_by_hand() {
        // truth → predicted: 0→0, 0→0, 0→1, 1→1, 2→1.
        let mut c = Confusion::new(3);
        for (t, p) in [(0, 0), (0, 0), (0, 1), (1, 1), (2, 1)] {
            c.add(t, p);
        }
        assert_eq!(c.accuracy(), 3.0 / 5.0);
        // Predicted 1 three times, once correctly; class 2 is never predicted.
        assert_eq!(c.precision(), vec![1.0, 1.0 / 3.0, 0.0]);
        assert_eq!(c.recall(), vec![2.0 / 3.0, 1.0, 0.0]);
    }

    #[test]
    fn regression_metrics_by_hand() {
        // Errors 1, −1, 0, 2 over targets 1, 2, 3, 4 (mean 2.5, SS_tot = 5, SS_res = 6).
        let r = Regression::compute(&[2.0, 1.0, 3.0, 6.0], &[1.0, 2.0, 3.0, 4.0], 1);
        assert_eq!(r.mse, 6.0 / 4.0);
        assert_eq!(r.mae, 4.0 / 4.0);
        assert!((r.r2 - (1.0 - 6.0 / 5.0)).abs() < 1e-12);
    }
}
