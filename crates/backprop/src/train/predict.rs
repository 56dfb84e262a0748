//! Reading the inputs to predict on, and writing the predictions.

use std::path::Path;

use crate::data::Task;
use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::model_file::Model;

/// Reads the model's input columns from a CSV file: by name when the first row is a
/// header holding every feature name (other columns, such as a target, are ignored),
/// else every column in order, which must then be as many as the model takes.
pub fn read_features(path: &Path, model: &Model) -> Result<Matrix<f32>> {
    let err = |line: Option<u64>, column: Option<u64>, message: String| Error::Data {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(source) => Error::Read {
                path: path.to_path_buf(),
                source,
            },
            other => err(None, None, format!("{other:?}")),
        })?;
    let names = &model.info.feature_names;
    let width = model.network.inputs;
    let mut rows = reader.records();
    let Some(first) = rows.next() else {
        return Err(err(
            None,
            None,
            "the file is empty; expected rows of input values".into(),
        ));
    };
    let first = first.map_err(|e| err(Some(1), None, e.to_string()))?;
    let header: Vec<&str> = first.iter().map(str::trim).collect();
    let by_name: Option<Vec<usize>> = names
        .iter()
        .map(|n| header.iter().position(|h| h == n))
        .collect::<Option<Vec<usize>>>()
        .filter(|cols| !cols.is_empty());
    let is_header = by_name.is_some() || header.iter().any(|h| h.parse::<f64>().is_err());
    let columns: Vec<usize> = match by_name {
        Some(cols) => cols,
        None if is_header && header.len() != width => {
            return Err(err(
                Some(1),
                None,
                format!(
                    "the header does not name the model's inputs ({}) and has {} columns where the model takes {width}",
                    names.join(", "),
                    header.len()
                ),
            ))
        }
        None => (0..width).collect(),
    };
    let mut data = Vec::new();
    let mut count = 0;
    let mut parse_row = |record: &csv::StringRecord, line: u64| -> Result<()> {
        if record.len() != header.len() {
            return Err(err(
                Some(line),
                None,
                format!(
                    "has {} fields but the first row has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        for &c in &columns {
            let cell = record.get(c).unwrap_or("").trim();
            let value: f32 = cell.parse().map_err(|_| {
                err(
                    Some(line),
                    Some(c as u64 + 1),
                    format!("`{cell}` is not a number; expected an input value"),
                )
            })?;
            if !value.is_finite() {
                return Err(err(
                    Some(line),
                    Some(c as u64 + 1),
                    format!("`{cell}` is not a finite number"),
                ));
            }
            data.push(value);
        }
        count += 1;
        Ok(())
    };
    if !is_header {
        if header.len() != width {
            return Err(err(
                Some(1),
                None,
                format!(
                    "has {} columns but the model takes {width} inputs",
                    header.len()
                ),
            ));
        }
        parse_row(&first, 1)?;
    }
    for (i, record) in rows.enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| err(Some(line), None, e.to_string()))?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        parse_row(&record, line)?;
    }
    if count == 0 {
        return Err(err(None, None, "no rows of input values".into()));
    }
    Matrix::from_vec(count, columns.len(), data)
        .ok_or_else(|| err(None, None, "ragged rows".into()))
}

/// The predictions as CSV: the class and each class's probability, or the values.
pub fn to_csv(model: &Model, outputs: &Matrix<f32>) -> String {
    let mut out = String::new();
    match model.info.task {
        Task::Classification => {
            let names = &model.info.class_names;
            out.push_str("class");
            for n in names {
                out.push_str(&format!(",p_{n}"));
            }
            out.push('\n');
            for s in 0..outputs.rows() {
                let row = outputs.row(s);
                let c = crate::train::evaluate::argmax(row);
                out.push_str(&csv_cell(names.get(c).map_or("?", String::as_str)));
                for p in row {
                    out.push_str(&format!(",{p}"));
                }
                out.push('\n');
            }
        }
        Task::Regression => {
            out.push_str(
                &model
                    .info
                    .target_names
                    .iter()
                    .map(|n| csv_cell(n))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
            for s in 0..outputs.rows() {
                out.push_str(
                    &outputs
                        .row(s)
                        .iter()
                        .map(f32::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                );
                out.push('\n');
            }
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma, quote or newline.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
