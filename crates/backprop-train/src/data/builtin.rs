//! Datasets shipped inside the library: `iris`, `digits` and `xor`.
//!
//! Iris and digits are scikit-learn's copies (see the repository's `NOTICE`), stored
//! under `crates/backprop-train/data/` as CSV files with a header and read by the CSV loader.

use std::path::Path;

use super::csv::{parse_csv, CsvOptions, TargetColumn};
use super::{Dataset, Targets, Task};
use backprop::matrix::Matrix;

/// The names [`builtin`] knows.
pub const BUILTIN: [&str; 3] = ["iris", "digits", "xor"];

/// Fisher's iris: 150 flowers, 4 measurements in cm, species as the class.
const IRIS_CSV: &[u8] = include_bytes!("../../data/iris.csv");
/// UCI's handwritten digits test set: 1797 images of 8×8 pixels valued 0..=16.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../data/digits.csv.gz");

/// A built-in dataset by name (one of [`BUILTIN`]), or `None` for another name.
///
/// - `iris`: 150 × 4 (sepal and petal length and width), 3 classes of 50: `setosa`,
///   `versicolor`, `virginica`.
/// - `digits`: 1797 × 64 pixel counts kept as given (0 to 16), classes `"0"` to `"9"`.
/// - `xor`: the 4 corners of the unit square, `x1`, `x2`, class `"1"` when exactly one
///   coordinate is 1.
pub fn builtin(name: &str) -> Option<Dataset> {
    match name {
        "iris" => embedded(name, IRIS_CSV, "species"),
        "digits" => embedded(name, DIGITS_CSV_GZ, "digit"),
        "xor" => Some(xor()),
        _ => None,
    }
}

/// Parses an embedded CSV; it is known to be well formed, so `None` never happens.
fn embedded(name: &str, csv: &[u8], target: &str) -> Option<Dataset> {
    let options = CsvOptions {
        target: vec![TargetColumn::Name(target.to_string())],
        task: Some(Task::Classification),
        header: Some(true),
        ..CsvOptions::default()
    };
    parse_csv(csv.to_vec(), Path::new(name), &options).ok()
}

/// The four XOR samples.
fn xor() -> Dataset {
    let corners = vec![0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
    Dataset {
        source: "xor".to_string(),
        features: Matrix::from_vec(4, 2, corners).unwrap_or_else(|| Matrix::zeros(4, 2)),
        feature_names: vec!["x1".to_string(), "x2".to_string()],
        targets: Targets::Classes {
            labels: vec![0, 1, 1, 0],
            names: vec!["0".to_string(), "1".to_string()],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_counts(d: &Dataset) -> Vec<usize> {
        let Targets::Classes { labels, names } = &d.targets else {
            panic!("expected classes");
        };
        let mut counts = vec![0; names.len()];
        for &l in labels {
            counts[l] += 1;
        }
        counts
    }

    #[test]
    fn iris_has_150_flowers_in_three_species_of_50() {
        let iris = builtin("iris").unwrap();
        assert_eq!((iris.len(), iris.width()), (150, 4));
        assert_eq!(iris.source, "iris");
        assert_eq!(iris.feature_names[0], "sepal_length");
        let Targets::Classes { names, .. } = &iris.targets else {
            panic!("expected classes");
        };
        assert_eq!(names, &["setosa", "versicolor", "virginica"]);
        assert_eq!(class_counts(&iris), [50, 50, 50]);
        assert_eq!(iris.features.row(0), [5.1, 3.5, 1.4, 0.2]);
    }

    #[test]
    fn digits_has_1797_images_of_64_pixels_valued_0_to_16() {
        let digits = builtin("digits").unwrap();
        assert_eq!((digits.len(), digits.width()), (1797, 64));
        assert_eq!(digits.outputs(), 10);
        let counts = class_counts(&digits);
        assert_eq!(counts.iter().sum::<usize>(), 1797);
        assert_eq!(counts[0], 178);
        let pixels = digits.features.as_slice();
        assert!(pixels
            .iter()
            .all(|&p| (0.0..=16.0).contains(&p) && p.fract() == 0.0));
        assert_eq!(pixels.iter().copied().fold(0.0, f32::max), 16.0);
        let Targets::Classes { names, .. } = &digits.targets else {
            panic!("expected classes");
        };
        assert_eq!(names[9], "9");
    }

    #[test]
    fn xor_is_the_four_corners() {
        let xor = builtin("xor").unwrap();
        assert_eq!((xor.len(), xor.width(), xor.outputs()), (4, 2, 2));
        assert_eq!(class_counts(&xor), [2, 2]);
    }

    #[test]
    fn every_listed_name_loads_and_others_do_not() {
        for name in BUILTIN {
            assert!(builtin(name).is_some(), "{name}");
        }
        assert!(builtin("mnist").is_none());
    }
}
