//! Preparing data for training: splits, class checks, standardization, epoch orders
//! and batches.

use std::path::Path;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_pcg::Pcg64;

use super::{bad, Dataset, Targets};
use backprop::error::Result;
use backprop::matrix::Matrix;

pub use super::standardize::Standardizer;

/// Sample indices of the three parts of a dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// Samples to train on.
    pub train: Vec<usize>,
    /// Samples to watch during training (early stopping, model choice).
    pub validation: Vec<usize>,
    /// Samples held out for the final score.
    pub test: Vec<usize>,
}

/// Splits a dataset at random into training, validation and test parts; `validation`
/// and `test` are fractions of the samples.
///
/// Classification data is stratified: each class is split in the given fractions on its
/// own, so that every part has every class in about the dataset's proportions. Counts
/// are rounded per class, and a class always keeps at least one training sample. Each
/// part is shuffled; the same seed gives the same split.
pub fn split(dataset: &Dataset, validation: f64, test: f64, seed: u64) -> Result<Split> {
    let source = Path::new(&dataset.source);
    for (name, fraction) in [("validation", validation), ("test", test)] {
        if !(0.0..1.0).contains(&fraction) {
            let message = format!(
                "the {name} fraction is {fraction}; expected a number from 0 up to but not including 1"
            );
            return Err(bad(source, message));
        }
    }
    if validation + test >= 1.0 {
        let message = format!(
            "the validation and test fractions add up to {}; expected less than 1, so that samples are left for training",
            validation + test
        );
        return Err(bad(source, message));
    }
    let mut groups: Vec<Vec<usize>> = match &dataset.targets {
        Targets::Classes { labels, names } => {
            let mut groups = vec![Vec::new(); names.len()];
            for (i, &label) in labels.iter().enumerate() {
                if label >= groups.len() {
                    groups.resize(label + 1, Vec::new());
                }
                groups[label].push(i);
            }
            groups
        }
        Targets::Values { .. } => vec![(0..dataset.len()).collect()],
    };
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut parts = Split {
        train: Vec::new(),
        validation: Vec::new(),
        test: Vec::new(),
    };
    for group in &mut groups {
        group.shuffle(&mut rng);
        let n = group.len();
        let mut n_test = (n as f64 * test).round() as usize;
        let mut n_validation = (n as f64 * validation).round() as usize;
        // Rounding up in a small class could leave it without training samples.
        while n > 0 && n_test + n_validation >= n {
            if n_validation >= n_test {
                n_validation -= 1;
            } else {
                n_test -= 1;
            }
        }
        let (test_part, rest) = group.split_at(n_test);
        let (validation_part, train_part) = rest.split_at(n_validation);
        parts.test.extend_from_slice(test_part);
        parts.validation.extend_from_slice(validation_part);
        parts.train.extend_from_slice(train_part);
    }
    if parts.train.is_empty() {
        return Err(bad(
            source,
            "the dataset has no samples, so the training part would be empty; expected at least one sample",
        ));
    }
    parts.train.shuffle(&mut rng);
    parts.validation.shuffle(&mut rng);
    parts.test.shuffle(&mut rng);
    Ok(parts)
}

/// Checks that `other` (described as `what`, such as `"test"`) can be scored by a model
/// trained on `train`: the same task, the same number of regression targets, and no
/// class in `other` without training samples. Classes are compared by name; when the two
/// datasets list different class names, [`align_classes`] renumbers `other`.
pub fn check_classes(train: &Dataset, other: &Dataset, what: &str) -> Result<()> {
    let source = Path::new(&other.source);
    match (&train.targets, &other.targets) {
        (
            Targets::Classes { labels, names },
            Targets::Classes {
                labels: other_labels,
                names: other_names,
            },
        ) => {
            let trained: std::collections::HashSet<&str> = labels
                .iter()
                .filter_map(|&l| names.get(l))
                .map(String::as_str)
                .collect();
            let mut present = vec![false; other_names.len()];
            for &l in other_labels {
                if let Some(p) = present.get_mut(l) {
                    *p = true;
                }
            }
            let missing = other_names
                .iter()
                .zip(present)
                .find(|(name, present)| *present && !trained.contains(name.as_str()));
            match missing {
                Some((name, _)) => Err(bad(
                    source,
                    format!("class '{name}' appears in the {what} data but never in the training data; expected every class to have training samples"),
                )),
                None => Ok(()),
            }
        }
        (Targets::Values { values, .. }, Targets::Values { values: other, .. }) => {
            if values.cols() == other.cols() {
                Ok(())
            } else {
                let message = format!(
                    "the {what} data has {} target columns but the training data has {}; expected the same targets",
                    other.cols(),
                    values.cols()
                );
                Err(bad(source, message))
            }
        }
        (Targets::Classes { .. }, Targets::Values { .. }) => Err(bad(
            source,
            format!("the {what} data has real-valued targets but the training data has classes; expected class labels"),
        )),
        (Targets::Values { .. }, Targets::Classes { .. }) => Err(bad(
            source,
            format!("the {what} data has class labels but the training data has real-valued targets; expected numbers"),
        )),
    }
}

/// Runs [`check_classes`], then renumbers `other`'s labels so that they index `train`'s
/// class names (two CSV files, say, where one lacks a class, number their classes
/// differently).
pub fn align_classes(train: &Dataset, other: &mut Dataset, what: &str) -> Result<()> {
    check_classes(train, other, what)?;
    let (
        Targets::Classes { names, .. },
        Targets::Classes {
            labels: other_labels,
            names: other_names,
        },
    ) = (&train.targets, &mut other.targets)
    else {
        return Ok(());
    };
    let to_train: Vec<Option<usize>> = other_names
        .iter()
        .map(|n| names.iter().position(|t| t == n))
        .collect();
    for label in other_labels.iter_mut() {
        // check_classes found every used class among the training names.
        if let Some(&Some(l)) = to_train.get(*label) {
            *label = l;
        }
    }
    other_names.clone_from(names);
    Ok(())
}

/// Fills `order` with a permutation of `0..n` that depends only on `seed` and `epoch`.
/// Does not allocate when `order` already has capacity for `n` indices.
pub fn epoch_order(n: usize, seed: u64, epoch: u64, order: &mut Vec<usize>) {
    order.clear();
    order.extend(0..n);
    // Multiplying by an odd constant is a bijection, so each epoch of a seed gets its
    // own stream; seed_from_u64 then scrambles the bits.
    let stream = seed ^ epoch.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    order.shuffle(&mut Pcg64::seed_from_u64(stream));
}

/// Copies the samples at `indices` into the rows of `x`, and their targets into `t`:
/// one-hot rows (one column per class) for classification, the values for regression.
/// Reuses the matrices' memory when it suffices (they only allocate when their width is
/// wrong or they have never held this many rows).
///
/// # Panics
/// When an index is not below `dataset.len()`.
pub fn batch_into(dataset: &Dataset, indices: &[usize], x: &mut Matrix<f32>, t: &mut Matrix<f32>) {
    let (width, outputs) = (dataset.width(), dataset.outputs());
    reshape(x, indices.len(), width);
    reshape(t, indices.len(), outputs);
    // Gathering rows from a large dataset waits on memory; two threads wait in parallel.
    let share = indices.len() * width >= GATHER_SHARE;
    let rows = if share {
        indices.len() / 2
    } else {
        indices.len()
    };
    let (i0, i1) = indices.split_at(rows);
    let (x0, x1) = x.as_mut_slice().split_at_mut(rows * width);
    let (t0, t1) = t.as_mut_slice().split_at_mut(rows * outputs);
    backprop::internal::both(share, (i0, x0, t0), (i1, x1, t1), |(indices, x, t)| {
        gather(dataset, indices, x, t)
    });
}

/// Batches of at least this many features are gathered by two threads.
const GATHER_SHARE: usize = 1 << 14;

/// Copies the rows at `indices` into `x` and their targets into `t` (row-major).
fn gather(dataset: &Dataset, indices: &[usize], x: &mut [f32], t: &mut [f32]) {
    let (width, outputs) = (dataset.width(), dataset.outputs());
    for (r, &i) in indices.iter().enumerate() {
        x[r * width..(r + 1) * width].copy_from_slice(dataset.features.row(i));
        let target = &mut t[r * outputs..(r + 1) * outputs];
        match &dataset.targets {
            Targets::Classes { labels, .. } => {
                target.fill(0.0);
                if let Some(hot) = target.get_mut(labels[i]) {
                    *hot = 1.0;
                }
            }
            Targets::Values { values, .. } => target.copy_from_slice(values.row(i)),
        }
    }
}

/// Gives `m` the shape `rows × cols`, keeping its allocation when the width matches.
fn reshape(m: &mut Matrix<f32>, rows: usize, cols: usize) {
    if m.cols() == cols {
        m.set_rows(rows);
    } else {
        *m = Matrix::zeros(rows, cols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::builtin;

    fn classes(labels: Vec<usize>, names: &[&str]) -> Dataset {
        let n = labels.len();
        Dataset {
            source: "toy".to_string(),
            features: Matrix::from_vec(n, 1, (0..n).map(|i| i as f32).collect()).unwrap(),
            feature_names: vec!["x1".to_string()],
            targets: Targets::Classes {
                labels,
                names: names.iter().map(|s| s.to_string()).collect(),
            },
        }
    }

    fn regression(n: usize) -> Dataset {
        let values = Matrix::from_vec(n, 1, (0..n).map(|i| 2.0 * i as f32).collect()).unwrap();
        Dataset {
            source: "line".to_string(),
            features: Matrix::from_vec(n, 1, (0..n).map(|i| i as f32).collect()).unwrap(),
            feature_names: vec!["x1".to_string()],
            targets: Targets::Values {
                values,
                names: vec!["y".to_string()],
            },
        }
    }

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn iris_is_split_stratified_and_disjoint() {
        let iris = builtin::builtin("iris").unwrap();
        let s = split(&iris, 0.2, 0.2, 7).unwrap();
        assert_eq!(
            (s.train.len(), s.validation.len(), s.test.len()),
            (90, 30, 30)
        );
        let mut all: Vec<usize> = [&s.train[..], &s.validation, &s.test].concat();
        all.sort_unstable();
        assert_eq!(all, (0..150).collect::<Vec<_>>());
        let Targets::Classes { labels, .. } = &iris.targets else {
            unreachable!()
        };
        for (part, per_class) in [(&s.train, 30), (&s.validation, 10), (&s.test, 10)] {
            let mut counts = [0; 3];
            part.iter().for_each(|&i| counts[labels[i]] += 1);
            assert_eq!(counts, [per_class; 3]);
        }
        // The parts are shuffled, not in class order.
        assert!(s.train.windows(2).any(|w| labels[w[0]] > labels[w[1]]));
    }

    #[test]
    fn the_same_seed_gives_the_same_split() {
        let iris = builtin::builtin("iris").unwrap();
        assert_eq!(
            split(&iris, 0.1, 0.2, 3).unwrap(),
            split(&iris, 0.1, 0.2, 3).unwrap()
        );
        assert_ne!(
            split(&iris, 0.1, 0.2, 3).unwrap(),
            split(&iris, 0.1, 0.2, 4).unwrap()
        );
    }

    #[test]
    fn regression_data_is_split_by_the_fractions() {
        let s = split(&regression(10), 0.3, 0.2, 0).unwrap();
        assert_eq!((s.train.len(), s.validation.len(), s.test.len()), (5, 3, 2));
        let s = split(&regression(10), 0.0, 0.0, 0).unwrap();
        assert_eq!(s.train.len(), 10);
    }

    #[test]
    fn a_tiny_class_keeps_a_training_sample() {
        let s = split(&classes(vec![0, 0, 0, 0, 1], &["a", "b"]), 0.4, 0.4, 1).unwrap();
        assert!(s.train.contains(&4));
    }

    #[test]
    fn bad_fractions_are_refused() {
        let d = regression(10);
        assert_eq!(
            message(split(&d, 1.0, 0.0, 0)),
            "line: the validation fraction is 1; expected a number from 0 up to but not including 1"
        );
        assert_eq!(
            message(split(&d, 0.1, -0.2, 0)),
            "line: the test fraction is -0.2; expected a number from 0 up to but not including 1"
        );
        assert!(message(split(&d, 0.1, f64::NAN, 0)).contains("the test fraction is NaN"));
        assert_eq!(
            message(split(&d, 0.5, 0.5, 0)),
            "line: the validation and test fractions add up to 1; expected less than 1, so that samples are left for training"
        );
        assert_eq!(
            message(split(&regression(0), 0.1, 0.1, 0)),
            "line: the dataset has no samples, so the training part would be empty; expected at least one sample"
        );
    }

    #[test]
    fn a_class_without_training_samples_is_reported() {
        let train = classes(vec![0, 1, 0], &["setosa", "versicolor", "virginica"]);
        let test = classes(vec![2, 0], &["setosa", "versicolor", "virginica"]);
        assert_eq!(
            message(check_classes(&train, &test, "test")),
            "toy: class 'virginica' appears in the test data but never in the training data; expected every class to have training samples"
        );
        assert!(check_classes(&test, &classes(vec![0], &["setosa"]), "test").is_ok());
    }

    #[test]
    fn tasks_and_target_widths_must_agree() {
        let c = classes(vec![0], &["a"]);
        let r = regression(2);
        assert_eq!(
            message(check_classes(&c, &r, "validation")),
            "line: the validation data has real-valued targets but the training data has classes; expected class labels"
        );
        assert!(check_classes(&r, &c, "test").is_err());
        assert!(check_classes(&r, &regression(3), "test").is_ok());
    }

    #[test]
    fn aligning_renumbers_by_name() {
        let train = classes(vec![0, 1, 2], &["a", "b", "c"]);
        let mut test = classes(vec![1, 0], &["a", "c"]);
        align_classes(&train, &mut test, "test").unwrap();
        assert_eq!(test.targets, classes(vec![2, 0], &["a", "b", "c"]).targets);
    }

    #[test]
    fn epoch_orders_are_permutations_fixed_by_seed_and_epoch() {
        let mut a = Vec::with_capacity(100);
        let ptr = a.as_ptr();
        epoch_order(100, 5, 0, &mut a);
        assert_eq!(a.as_ptr(), ptr, "no allocation");
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        let mut b = Vec::new();
        epoch_order(100, 5, 0, &mut b);
        assert_eq!(a, b);
        epoch_order(100, 5, 1, &mut b);
        assert_ne!(a, b);
        epoch_order(100, 6, 0, &mut b);
        assert_ne!(a, b);
    }

    #[test]
    fn batches_are_one_hot_for_classes_and_values_for_regression() {
        let d = classes(vec![0, 2, 1], &["a", "b", "c"]);
        let (mut x, mut t) = (Matrix::zeros(0, 0), Matrix::zeros(0, 0));
        batch_into(&d, &[2, 0], &mut x, &mut t);
        assert_eq!((x.rows(), x.cols(), x.as_slice()), (2, 1, &[2.0, 0.0][..]));
        assert_eq!((t.rows(), t.cols()), (2, 3));
        assert_eq!(t.as_slice(), [0.0, 1.0, 0.0, 1.0, 0.0, 0.0]);

        let r = regression(4);
        let (mut x, mut t) = (Matrix::zeros(0, 1), Matrix::zeros(0, 1));
        batch_into(&r, &[3, 1], &mut x, &mut t);
        assert_eq!(x.as_slice(), [3.0, 1.0]);
        assert_eq!(t.as_slice(), [6.0, 2.0]);
    }

    #[test]
    fn batches_reuse_the_matrices_memory() {
        let d = classes(vec![0, 1, 1, 0], &["a", "b"]);
        let (mut x, mut t) = (Matrix::zeros(4, 1), Matrix::zeros(4, 2));
        let (px, pt) = (x.as_slice().as_ptr(), t.as_slice().as_ptr());
        batch_into(&d, &[0, 1, 2, 3], &mut x, &mut t);
        batch_into(&d, &[3], &mut x, &mut t);
        batch_into(&d, &[1, 2, 0], &mut x, &mut t);
        assert_eq!((x.as_slice().as_ptr(), t.as_slice().as_ptr()), (px, pt));
        assert_eq!(t.as_slice(), [0.0, 1.0, 0.0, 1.0, 1.0, 0.0]);
    }
}
