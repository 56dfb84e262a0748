//! Reading the inputs to predict on, and writing the predictions.

use std::path::Path;

use crate::data::csv::{unterminated_quote, UNTERMINATED};
use crate::data::Task;
use crate::model_file::Model;
use backprop::error::{Error, Result};
use backprop::matrix::Matrix;
use backprop_io::input::{read_bounded, DATA_LIMIT};

/// The rows to predict on, with the line of the file each came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// `rows × model inputs`, raw (not standardized).
    pub features: Matrix<f32>,
    /// The 1-based line of each row, for messages.
    pub lines: Vec<u64>,
}

/// Reads the model's input columns from a CSV file (a regular file of at most
/// [`DATA_LIMIT`] bytes).
///
/// When the first row is a header (it names one of the model's features, or holds no
/// number), every one of the model's feature names must be in it (other columns, such as a target, are ignored) and the columns are taken by name;
/// a misspelled name is an error naming it and the expected names. Without a header
/// every column is an input, in order, and there must be as many as the model takes.
/// A model that does not know its feature names takes the columns in order either way.
pub fn read_features(path: &Path, model: &Model) -> Result<Inputs> {
    let err = |line: Option<u64>, column: Option<u64>, message: String| Error::Data {
        path: path.to_path_buf(),
        line,
        column,
        message,
    };
    let bytes = read_bounded(path, DATA_LIMIT, "a CSV file")?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    if let Some(line) = unterminated_quote(bytes, b',') {
        return Err(err(Some(line), None, UNTERMINATED.into()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
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
    // A header names one of the model's inputs, or holds no number at all; a row of
    // numbers with a label in it is data.
    let is_header = header.iter().any(|h| names.iter().any(|n| n == h))
        || header.iter().all(|h| h.parse::<f64>().is_err());
    let by_name = names.len() == width && is_header;
    let columns: Vec<usize> = if by_name {
        columns_by_name(&header, names).map_err(|m| err(Some(1), None, m))?
    } else if header.len() != width {
        let what = if is_header {
            "the header"
        } else {
            "the first row"
        };
        return Err(err(
            Some(1),
            None,
            format!(
                "{what} has {} columns but the model takes {width} inputs",
                header.len()
            ),
        ));
    } else {
        (0..width).collect()
    };
    let mut data = Vec::new();
    let mut lines = Vec::new();
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
        lines.push(line);
        Ok(())
    };
    if !is_header {
        parse_row(&first, 1)?;
    }
    for record in rows {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            err(line, None, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        parse_row(&record, line)?;
    }
    if lines.is_empty() {
        return Err(err(None, None, "no rows of input values".into()));
    }
    let features = Matrix::from_vec(lines.len(), columns.len(), data)
        .ok_or_else(|| err(None, None, "ragged rows".into()))?;
    Ok(Inputs { features, lines })
}

/// The position of each of `names` in `header`, or a message naming what is missing.
pub(crate) fn columns_by_name(
    header: &[&str],
    names: &[String],
) -> std::result::Result<Vec<usize>, String> {
    let missing: Vec<&str> = names
        .iter()
        .filter(|n| !header.contains(&n.as_str()))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(names
            .iter()
            .filter_map(|n| header.iter().position(|h| h == n))
            .collect());
    }
    let unknown: Vec<&str> = header
        .iter()
        .copied()
        .filter(|h| !names.iter().any(|n| n == h))
        .collect();
    let list = |v: &[&str]| {
        v.iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut message = format!(
        "the header lacks the model's input{} {}",
        if missing.len() == 1 { "" } else { "s" },
        list(&missing)
    );
    if !unknown.is_empty() {
        message += &format!(" and has {}, which the model does not know", list(&unknown));
    }
    message += &format!(
        "; expected a header naming {} (other columns are ignored), or no header and the inputs in that order",
        list(&names.iter().map(String::as_str).collect::<Vec<_>>())
    );
    Err(message)
}

/// Checks that every prediction is a finite number; otherwise names the row's line.
pub fn check_finite(outputs: &Matrix<f32>, inputs: &Inputs, path: &Path) -> Result<()> {
    let bad = (0..outputs.rows()).find(|&s| outputs.row(s).iter().any(|v| !v.is_finite()));
    match bad {
        None => Ok(()),
        Some(s) => {
            let value = outputs.row(s).iter().find(|v| !v.is_finite()).copied();
            Err(Error::Data {
                path: path.to_path_buf(),
                line: inputs.lines.get(s).copied(),
                column: None,
                message: format!(
                    "the model's output for this row is {}, not a finite number; the inputs are far outside what the model was trained on",
                    value.unwrap_or(f32::NAN)
                ),
            })
        }
    }
}

/// The predictions as CSV: the class and each class's probability, or the values.
pub fn to_csv(model: &Model, outputs: &Matrix<f32>) -> String {
    let mut out = String::new();
    match model.info.task {
        Task::Classification => {
            let names = &model.info.class_names;
            out.push_str("class");
            for n in names {
                out.push(',');
                out.push_str(&csv_cell(&format!("p_{n}")));
            }
            out.push('\n');
            for s in 0..outputs.rows() {
                let row = outputs.row(s);
                let c = backprop::matrix::argmax(row).0;
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
