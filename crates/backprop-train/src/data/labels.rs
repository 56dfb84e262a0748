//! Class labels read from text: whether a column holds labels, and how they are named
//! and numbered.

use std::collections::BTreeMap;

use super::Task;

/// At most this many distinct integer values make an integer column a class label.
/// More than that, and the integers are taken as quantities (regression).
pub const MAX_INTEGER_CLASSES: usize = 20;

/// The task a single target column implies.
///
/// Classification when any non-empty cell is not a number (string labels), or when
/// every cell is an integer and there are at most [`MAX_INTEGER_CLASSES`] distinct
/// values; regression otherwise. Empty cells are skipped here so that a missing value in
/// a numeric column is reported as a missing number, not taken as a label.
pub(crate) fn infer_task<'a>(cells: impl Iterator<Item = &'a str> + Clone) -> Task {
    let mut integers = Vec::new();
    for cell in cells.filter(|c| !c.is_empty()) {
        match cell.parse::<f64>() {
            Err(_) => return Task::Classification,
            Ok(v) => match as_integer(v) {
                Some(i) => integers.push(i),
                None => return Task::Regression,
            },
        }
    }
    integers.sort_unstable();
    integers.dedup();
    if !integers.is_empty() && integers.len() <= MAX_INTEGER_CLASSES {
        Task::Classification
    } else {
        Task::Regression
    }
}

/// Numbers each label and names the classes.
///
/// When every label is a finite number, classes are the distinct values sorted
/// numerically (so `"2"` comes before `"10"`, and `"1"` and `"1.0"` are one class named
/// as first written). Otherwise the labels are strings, sorted lexicographically (by
/// bytes). Returns each label's class index and the class names in index order.
pub(crate) fn number_classes(labels: &[&str]) -> (Vec<usize>, Vec<String>) {
    let numbers: Option<Vec<f64>> = labels
        .iter()
        .map(|l| l.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    match numbers {
        Some(values) => number_numeric(labels, &values),
        None => {
            let mut index: BTreeMap<&str, usize> = labels.iter().map(|&l| (l, 0)).collect();
            for (i, slot) in index.values_mut().enumerate() {
                *slot = i;
            }
            let ids = labels.iter().map(|l| index[l]).collect();
            (ids, index.into_keys().map(str::to_string).collect())
        }
    }
}

/// Classes of numeric labels, in increasing numeric order.
fn number_numeric(labels: &[&str], values: &[f64]) -> (Vec<usize>, Vec<String>) {
    let mut distinct: Vec<f64> = values.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let mut names = vec![String::new(); distinct.len()];
    let mut ids = Vec::with_capacity(values.len());
    for (label, v) in labels.iter().zip(values) {
        // Every value is in `distinct`, so the search finds it.
        let id = distinct.partition_point(|d| d < v);
        if names[id].is_empty() {
            names[id] = label.to_string();
        }
        ids.push(id);
    }
    (ids, names)
}

/// `v` as an integer when it is one (and small enough to be exact).
fn as_integer(v: f64) -> Option<i64> {
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15).then_some(v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(cells: &[&str]) -> Task {
        infer_task(cells.iter().copied())
    }

    #[test]
    fn strings_or_few_integers_are_labels() {
        assert_eq!(task(&["cat", "dog", "cat"]), Task::Classification);
        assert_eq!(task(&["1", "2", "cat"]), Task::Classification);
        assert_eq!(task(&["0", "1", "1", "0"]), Task::Classification);
        assert_eq!(task(&["0", "1.5"]), Task::Regression);
        let many: Vec<String> = (0..21).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(task(&many), Task::Regression);
        assert_eq!(task(&many[..20]), Task::Classification);
        // A gap in a numeric column is a missing number, not a label.
        assert_eq!(task(&["0.5", "", "1.5"]), Task::Regression);
    }

    #[test]
    fn integer_labels_sort_numerically_and_keep_their_spelling() {
        let (ids, names) = number_classes(&["10", "2", "1.0", "1", "10"]);
        assert_eq!(names, ["1.0", "2", "10"]);
        assert_eq!(ids, [2, 1, 0, 0, 2]);
    }

    #[test]
    fn string_labels_sort_lexicographically() {
        let (ids, names) = number_classes(&["versicolor", "setosa", "virginica", "setosa"]);
        assert_eq!(names, ["setosa", "versicolor", "virginica"]);
        assert_eq!(ids, [1, 0, 2, 0]);
        let (_, names) = number_classes(&["b", "10", "2"]);
        assert_eq!(names, ["10", "2", "b"]);
    }
}
