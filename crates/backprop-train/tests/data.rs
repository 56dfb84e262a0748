//! Loading CSV files: what loads, and the message for every kind of bad input.

use std::path::{Path, PathBuf};

use backprop::Error;
use backprop_train::data::csv::{load_csv, CsvOptions, TargetColumn};
use backprop_train::data::{Dataset, Targets, Task};

mod common;
use common::gzip;

/// A fresh, empty directory for one test.
fn scratch(test: &str) -> PathBuf {
    common::scratch("data-tests", test)
}

/// Writes `text` to `test`'s directory as `data.csv` and loads it.
fn csv_with(test: &str, text: &str, options: &CsvOptions) -> (PathBuf, backprop::Result<Dataset>) {
    let path = scratch(test).join("data.csv");
    std::fs::write(&path, text).unwrap();
    let loaded = load_csv(&path, options);
    (path, loaded)
}

fn csv(test: &str, text: &str) -> (PathBuf, backprop::Result<Dataset>) {
    csv_with(test, text, &CsvOptions::default())
}

/// The error message, with the temporary path replaced by `F`.
fn error(path: &Path, loaded: backprop::Result<Dataset>) -> String {
    let message = loaded.unwrap_err().to_string();
    message.replace(&path.display().to_string(), "F")
}

fn classes(d: &Dataset) -> (&[usize], Vec<&str>) {
    match &d.targets {
        Targets::Classes { labels, names } => (labels, names.iter().map(String::as_str).collect()),
        Targets::Values { .. } => panic!("expected classes"),
    }
}

fn values(d: &Dataset) -> (&[f32], Vec<&str>) {
    match &d.targets {
        Targets::Values { values, names } => (
            values.as_slice(),
            names.iter().map(String::as_str).collect(),
        ),
        Targets::Classes { .. } => panic!("expected values"),
    }
}

#[test]
fn csv_with_header_and_string_labels() {
    let (path, d) = csv("header", "a,b,kind\n1,2,dog\n3,4.5,cat\n5,6,dog\n");
    let d = d.unwrap();
    assert_eq!(d.source, path.display().to_string());
    assert_eq!(d.feature_names, ["a", "b"]);
    assert_eq!(d.features.as_slice(), [1.0, 2.0, 3.0, 4.5, 5.0, 6.0]);
    assert_eq!(classes(&d), (&[1, 0, 1][..], vec!["cat", "dog"]));
}

#[test]
fn csv_without_header_and_integer_labels() {
    let (_, d) = csv("no-header", "0.5, 1, 10\n0.25, 2, 2\n1, 3, 10\n\n");
    let d = d.unwrap();
    assert_eq!(d.feature_names, ["x1", "x2"]);
    assert_eq!(classes(&d), (&[1, 0, 1][..], vec!["2", "10"]));
}

#[test]
fn header_detection() {
    // Names over numbers in the second row.
    let (_, d) = csv("detect-1", "x,y,label\n1,2,a\n");
    assert_eq!(d.unwrap().len(), 1);
    // A first row without numbers, and a second row with a gap, over later numbers.
    let (path, d) = csv("detect-2", "x,y\n,b\n1,2\n");
    assert_eq!(
        error(&path, d),
        "F:2:1: feature column \"x\" is empty; expected a number (missing values are not supported)"
    );
    // Numbers in the first row: no header.
    let (_, d) = csv("detect-3", "1,2,0\n3,4,1\n");
    assert_eq!(d.unwrap().len(), 2);
    // Forced either way.
    let header = |h| CsvOptions {
        header: Some(h),
        ..CsvOptions::default()
    };
    let (_, d) = csv_with("detect-4", "1,2,0\n3,4,1\n", &header(true));
    assert_eq!(d.unwrap().feature_names, ["1", "2"]);
    let (path, d) = csv_with("detect-5", "a,b,c\n3,4,1\n", &header(false));
    assert_eq!(
        error(&path, d),
        "F:1:1: feature column 1 holds \"a\", which is not a number; expected a number"
    );
}

#[test]
fn task_inference_and_override() {
    let text = "x,y\n1,0.5\n2,1.5\n3,2\n";
    let (_, d) = csv("regression", text);
    let d = d.unwrap();
    assert_eq!(d.task(), Task::Regression);
    assert_eq!(values(&d), (&[0.5, 1.5, 2.0][..], vec!["y"]));

    let many: String = (0..21).map(|i| format!("{i},{i}\n")).collect();
    let (_, d) = csv("many-integers", &many);
    assert_eq!(d.unwrap().task(), Task::Regression);
    let (_, d) = csv("few-integers", &many[..many.find("20,").unwrap()]);
    assert_eq!(d.unwrap().outputs(), 20);

    let (_, d) = csv_with(
        "forced-regression",
        "1,0\n2,1\n3,1\n",
        &CsvOptions {
            task: Some(Task::Regression),
            ..CsvOptions::default()
        },
    );
    assert_eq!(values(&d.unwrap()), (&[0.0, 1.0, 1.0][..], vec!["y"]));
}

#[test]
fn target_columns_by_name_and_index() {
    let text = "t1,a,t2,b\n1,2,3,4\n5,6,7,8\n";
    let options = CsvOptions {
        target: vec![TargetColumn::Name("t2".into()), TargetColumn::Index(0)],
        ..CsvOptions::default()
    };
    let (_, d) = csv_with("targets", text, &options);
    let d = d.unwrap();
    assert_eq!(d.feature_names, ["a", "b"]);
    assert_eq!(d.features.as_slice(), [2.0, 4.0, 6.0, 8.0]);
    assert_eq!(values(&d), (&[3.0, 1.0, 7.0, 5.0][..], vec!["t2", "t1"]));

    let options = CsvOptions {
        target: vec![TargetColumn::Index(0), TargetColumn::Index(2)],
        delimiter: b';',
        ..CsvOptions::default()
    };
    let (_, d) = csv_with("targets-no-header", "1;2;3\n4;5;6\n", &options);
    let d = d.unwrap();
    assert_eq!(d.feature_names, ["x1"]);
    assert_eq!(values(&d).1, ["y1", "y2"]);
}

#[test]
fn gzipped_csv_is_recognised_by_its_bytes() {
    let path = scratch("gzip").join("data.csv");
    std::fs::write(&path, gzip(b"a,label\n1,x\n2,y\n")).unwrap();
    let d = load_csv(&path, &CsvOptions::default()).unwrap();
    assert_eq!(classes(&d).1, ["x", "y"]);
}

#[test]
fn csv_errors() {
    let cases: &[(&str, &str, CsvOptions, &str)] = &[
        ("empty", "", CsvOptions::default(), "F: the file is empty; expected rows of numbers, optionally after a header row"),
        ("blank", "\n  \n\n", CsvOptions::default(), "F: the file is empty; expected rows of numbers, optionally after a header row"),
        ("header-only", "a,b,c\n", CsvOptions::default(), "F: the file has a header row but no data rows; expected rows of numbers after it"),
        ("ragged", "a,b,c,d,e\n1,2,3,4,5\n1,2,3\n", CsvOptions::default(), "F:3: this row has 3 fields but the header has 5; every row needs the same number of fields"),
        ("ragged-no-header", "1,2\n3,4,5\n", CsvOptions::default(), "F:2: this row has 3 fields but the first row has 2; every row needs the same number of fields"),
        ("not-a-number", "a,b,c\n1,2,0\n3,abc,1\n", CsvOptions::default(), "F:3:2: feature column \"b\" holds \"abc\", which is not a number; expected a number"),
        ("empty-cell", "1,,0\n", CsvOptions::default(), "F:1:2: feature column 2 is empty; expected a number (missing values are not supported)"),
        ("nan", "a,b,c\n1,NaN,0\n", CsvOptions::default(), "F:2:2: feature column \"b\" holds \"NaN\", which is not a finite number; expected a finite value (NaN, infinities and magnitudes beyond 3.4e38 are not supported)"),
        ("inf-target", "a,y\n1,0.5\n2,inf\n", CsvOptions::default(), "F:3:2: target column \"y\" holds \"inf\", which is not a finite number; expected a finite value (NaN, infinities and magnitudes beyond 3.4e38 are not supported)"),
        ("huge", "1e39,1\n", CsvOptions::default(), "F:1:1: feature column 1 holds \"1e39\", which is not a finite number; expected a finite value (NaN, infinities and magnitudes beyond 3.4e38 are not supported)"),
        ("regression-label", "a,y\n1,0.5\n2,cat\n", CsvOptions { task: Some(Task::Regression), ..CsvOptions::default() }, "F:3:2: target column \"y\" holds \"cat\", which is not a number; expected a number"),
        ("empty-label", "a,y\n1,cat\n2,\n", CsvOptions::default(), "F:3:2: target column \"y\" is empty; expected a class label"),
        ("no-such-name", "a,b,c\n1,2,3\n", CsvOptions { target: vec![TargetColumn::Name("d".into())], ..CsvOptions::default() }, "F: there is no column named \"d\"; the columns are \"a\", \"b\", \"c\""),
        ("no-such-index", "a,b,c\n1,2,3\n", CsvOptions { target: vec![TargetColumn::Index(3)], ..CsvOptions::default() }, "F: there is no target column at index 3: the file has 3 columns (indices 0 to 2)"),
        ("name-without-header", "1,2\n", CsvOptions { target: vec![TargetColumn::Name("y".into())], ..CsvOptions::default() }, "F: cannot find target column \"y\": the file has no header row; choose the target by index instead"),
        ("twice", "a,b,c\n1,2,3\n", CsvOptions { target: vec![TargetColumn::Name("c".into()), TargetColumn::Index(2)], ..CsvOptions::default() }, "F: column \"c\" is chosen as a target twice"),
        ("duplicate-name", "a,b,a\n1,2,3\n", CsvOptions { target: vec![TargetColumn::Name("a".into())], ..CsvOptions::default() }, "F: the header names two columns \"a\" (indices 0 and 2); choose the target by index instead"),
        ("only-column", "y\n1\n2\n", CsvOptions::default(), "F: the file has a single column, which is the target; expected at least one feature column besides it (is the delimiter ',' right?)"),
        ("all-targets", "1,2\n", CsvOptions { target: vec![TargetColumn::Index(1), TargetColumn::Index(0)], ..CsvOptions::default() }, "F: every column is a target; expected at least one feature column"),
        ("classify-two", "1,2,3\n", CsvOptions { target: vec![TargetColumn::Index(1), TargetColumn::Index(2)], task: Some(Task::Classification), ..CsvOptions::default() }, "F: classification needs exactly one target column, but 2 were chosen; use regression for several targets"),
    ];
    for (test, text, options, expected) in cases {
        let (path, loaded) = csv_with(test, text, options);
        assert_eq!(error(&path, loaded), *expected, "case {test}");
    }
}

#[test]
fn csv_that_is_not_utf8() {
    let path = scratch("latin1").join("data.csv");
    std::fs::write(&path, b"a,b\n1,caf\xe9\n").unwrap();
    let loaded = load_csv(&path, &CsvOptions::default());
    assert_eq!(
        error(&path, loaded),
        "F:2: this row is not valid UTF-8; expected a UTF-8 text file"
    );
}

#[test]
fn a_missing_csv_file_is_a_read_error() {
    let path = scratch("missing").join("nope.csv");
    let e = load_csv(&path, &CsvOptions::default()).unwrap_err();
    assert!(matches!(e, Error::Read { .. }));
    assert_eq!(e.to_string(), format!("cannot read {}", path.display()));
}
