//! `predict`'s input and output CSV: header names that must match the model's
//! features, quotes that must close, names that must be quoted, and predictions that
//! must be numbers.

use std::path::{Path, PathBuf};

mod common;
use common::{backprop, ok, rejects, s, scratch};

fn dir(test: &str) -> PathBuf {
    scratch("cli-predict", test)
}

/// An Iris model, trained for a few epochs.
fn iris(dir: &Path) -> PathBuf {
    let model = dir.join("iris.safetensors");
    ok(&backprop(&[
        "train",
        "--dataset",
        "iris",
        "--epochs",
        "3",
        "--quiet",
        "--out",
        s(&model),
    ]));
    model
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_misspelled_header_name_is_an_error_not_a_fallback_to_positions() {
    let d = dir("header");
    let model = iris(&d);
    let rows = write(
        &d,
        "typo.csv",
        "sepal_lenght,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n",
    );
    rejects(
        &backprop(&["predict", "--model", s(&model), "--data", s(&rows)]),
        &[
            "typo.csv:1: the header lacks the model's input \"sepal_length\" and has \"sepal_lenght\", which the model does not know",
            "expected a header naming \"sepal_length\", \"sepal_width\", \"petal_length\", \"petal_width\"",
        ],
    );
    // Named columns in another order, with an extra one, are taken by name; without a
    // header the columns are the inputs in order. Both give the same predictions.
    let named = write(
        &d,
        "named.csv",
        "species,petal_width,petal_length,sepal_width,sepal_length\nsetosa,0.2,1.4,3.5,5.1\n",
    );
    let plain = write(&d, "plain.csv", "5.1,3.5,1.4,0.2\n");
    let by_name = ok(&backprop(&[
        "predict",
        "--model",
        s(&model),
        "--data",
        s(&named),
    ]));
    let by_position = ok(&backprop(&[
        "predict",
        "--model",
        s(&model),
        "--data",
        s(&plain),
    ]));
    assert_eq!(by_name, by_position);
}

#[test]
fn a_quote_that_never_closes_is_an_error() {
    let d = dir("quote");
    let model = iris(&d);
    let rows = write(
        &d,
        "open.csv",
        "5.1,3.5,1.4,0.2\n\"5.1,3.5,1.4,0.2\n6.0,3.0,4.0,1.0\n",
    );
    rejects(
        &backprop(&["predict", "--model", s(&model), "--data", s(&rows)]),
        &["open.csv:2: a quoted field starts here but its closing quote is missing before the end of the file"],
    );
    let data = write(&d, "train.csv", "a,b,y\n1,2,x\n3,4,\"y\n5,6,x\n");
    rejects(
        &backprop(&["train", "--data", s(&data)]),
        &["train.csv:3: a quoted field starts here but its closing quote is missing"],
    );
}

#[test]
fn class_names_with_commas_are_quoted_in_the_header() {
    let d = dir("comma");
    let mut text = String::from("a,b,kind\n");
    for i in 0..12 {
        let kind = if i % 2 == 0 {
            "\"big, round\""
        } else {
            "small"
        };
        text += &format!("{i},{},{kind}\n", i % 3);
    }
    let data = write(&d, "kinds.csv", &text);
    let model = d.join("kinds.safetensors");
    ok(&backprop(&[
        "train",
        "--data",
        s(&data),
        "--epochs",
        "2",
        "--quiet",
        "--out",
        s(&model),
    ]));
    let rows = write(&d, "rows.csv", "a,b\n1,2\n");
    let csv = ok(&backprop(&[
        "predict",
        "--model",
        s(&model),
        "--data",
        s(&rows),
    ]));
    assert_eq!(csv.lines().next(), Some("class,\"p_big, round\",p_small"));
}

#[test]
fn a_prediction_that_is_not_a_number_names_the_row() {
    let d = dir("finite");
    let model = iris(&d);
    // 3e38 is a finite f32, but standardized and through the network it overflows.
    let rows = write(&d, "huge.csv", "5.1,3.5,1.4,0.2\n3e38,3.5,1.4,0.2\n");
    // A row with a label is data, not a header: the extra column is one too many.
    rejects(
        &backprop(&[
            "predict",
            "--model",
            s(&model),
            "--data",
            s(&write(&d, "labelled.csv", "5.1,3.5,1.4,0.2,setosa\n")),
        ]),
        &["labelled.csv:1: the first row has 5 columns but the model takes 4 inputs"],
    );
    rejects(
        &backprop(&["predict", "--model", s(&model), "--data", s(&rows)]),
        &["huge.csv:2: the model's output for this row is NaN, not a finite number"],
    );
    let labelled = write(
        &d,
        "huge-labelled.csv",
        "5.1,3.5,1.4,0.2,setosa
3e38,3.5,1.4,0.2,setosa
",
    );
    rejects(
        &backprop(&["evaluate", "--model", s(&model), "--data", s(&labelled)]),
        &["huge-labelled.csv: the model's output for sample 2 is not a finite number"],
    );
}

#[test]
fn evaluate_takes_named_columns_by_name_too() {
    let d = dir("evaluate-header");
    let model = iris(&d);
    let iris = std::fs::read_to_string("../backprop-train/data/iris.csv").unwrap();
    let evaluate = |path: &Path| {
        backprop(&[
            "evaluate",
            "--model",
            s(&model),
            "--data",
            s(path),
            "--format",
            "json",
        ])
    };
    let as_is = write(&d, "iris.csv", &iris);
    // The same rows with the first two columns swapped in the header and the data.
    let swapped: String = iris
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.swap(0, 1);
            cells.join(",") + "\n"
        })
        .collect();
    let swapped = write(&d, "swapped.csv", &swapped);
    assert_eq!(ok(&evaluate(&as_is)), ok(&evaluate(&swapped)));
    let typo = write(
        &d,
        "typo.csv",
        &iris.replacen("sepal_length", "sepal_lenght", 1),
    );
    rejects(
        &evaluate(&typo),
        &["typo.csv:1: the header lacks the model's input \"sepal_length\" and has \"sepal_lenght\""],
    );
}
