//! Standardization: each feature shifted and scaled to mean 0 and standard deviation 1.

use serde::{Deserialize, Serialize};

use backprop::matrix::Matrix;

/// Per-feature mean and standard deviation, to map each feature to mean 0 and
/// standard deviation 1 with statistics of the training data only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Mean of each feature column.
    pub mean: Vec<f32>,
    /// Population standard deviation of each feature column (1 for a constant column).
    pub std: Vec<f32>,
}

impl Standardizer {
    /// The statistics of `features` (`samples × features`). A constant column gets
    /// standard deviation 1, so it maps to 0 instead of dividing by zero.
    pub fn fit(features: &Matrix<f32>) -> Self {
        let (rows, cols) = (features.rows(), features.cols());
        // Sums in f64: f32 would lose digits over tens of thousands of samples.
        let mut mean = vec![0.0f64; cols];
        for i in 0..rows {
            for (m, &v) in mean.iter_mut().zip(features.row(i)) {
                *m += f64::from(v);
            }
        }
        mean.iter_mut().for_each(|m| *m /= rows.max(1) as f64);
        let mut variance = vec![0.0f64; cols];
        for i in 0..rows {
            for ((s, &v), m) in variance.iter_mut().zip(features.row(i)).zip(&mean) {
                *s += (f64::from(v) - m).powi(2);
            }
        }
        let std = variance
            .iter()
            .map(|s| (s / rows.max(1) as f64).sqrt() as f32)
            .map(|s| if s > 0.0 && s.is_finite() { s } else { 1.0 })
            .collect();
        Self {
            mean: mean.iter().map(|&m| m as f32).collect(),
            std,
        }
    }

    /// Replaces each value `v` of column `j` by `(v − mean[j]) / std[j]`. Columns beyond
    /// the fitted width are left as they are; callers check widths against the model.
    pub fn apply(&self, features: &mut Matrix<f32>) {
        for i in 0..features.rows() {
            let row = features.row_mut(i);
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = (*v - m) / s;
            }
        }
    }

    /// Undoes [`apply`](Self::apply): replaces each value `v` of column `j` by
    /// `v · std[j] + mean[j]`, giving back the features in their own units (to plot
    /// them, say). Columns beyond the fitted width are left as they are.
    pub fn invert(&self, features: &mut Matrix<f32>) {
        for i in 0..features.rows() {
            let row = features.row_mut(i);
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = *v * s + m;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_population_std_by_hand() {
        // Column 1: 1, 2, 3, 6 → mean 3, deviations −2 −1 0 3, variance 14/4 = 3.5.
        // Column 2: constant 5 → std 1, maps to 0.
        let x = Matrix::from_vec(4, 2, vec![1.0, 5.0, 2.0, 5.0, 3.0, 5.0, 6.0, 5.0]).unwrap();
        let s = Standardizer::fit(&x);
        assert_eq!(s.mean, [3.0, 5.0]);
        assert_eq!(s.std, [3.5f32.sqrt(), 1.0]);
        let mut y = x.clone();
        s.apply(&mut y);
        let sd = 3.5f32.sqrt();
        let expected = [-2.0 / sd, 0.0, -1.0 / sd, 0.0, 0.0, 0.0, 3.0 / sd, 0.0];
        for (a, b) in y.as_slice().iter().zip(expected) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }

    #[test]
    fn applying_to_other_data_uses_the_fitted_statistics() {
        let s = Standardizer {
            mean: vec![10.0],
            std: vec![2.0],
        };
        let mut x = Matrix::from_vec(2, 1, vec![14.0, 9.0]).unwrap();
        s.apply(&mut x);
        assert_eq!(x.as_slice(), [2.0, -0.5]);
        s.invert(&mut x);
        assert_eq!(x.as_slice(), [14.0, 9.0]);
    }

    #[test]
    fn inverting_gives_back_the_features_as_read() {
        let x = Matrix::from_vec(3, 2, vec![1.0, -4.0, 2.5, 8.0, 7.0, 0.5]).unwrap();
        let s = Standardizer::fit(&x);
        let mut y = x.clone();
        s.apply(&mut y);
        s.invert(&mut y);
        for (a, b) in y.as_slice().iter().zip(x.as_slice()) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
    }

    #[test]
    fn no_samples_give_mean_0_and_std_1() {
        let s = Standardizer::fit(&Matrix::zeros(0, 3));
        assert_eq!((s.mean, s.std), (vec![0.0; 3], vec![1.0; 3]));
    }

    #[test]
    fn it_round_trips_through_json() {
        let s = Standardizer {
            mean: vec![1.5, -2.0],
            std: vec![0.25, 3.0],
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Standardizer>(&json).unwrap(), s);
    }
}
