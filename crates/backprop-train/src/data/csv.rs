//! CSV files: one sample per row, numeric feature columns and one or more target columns.
//!
//! Fields are trimmed, blank lines are skipped, a UTF-8 byte-order mark is ignored, and a
//! gzipped file (recognised by its first bytes) is decompressed first.

use std::path::Path;

use ::csv::{ReaderBuilder, StringRecord, Trim};

use super::labels::{infer_task, number_classes};
use super::{bad, gzip, Dataset, Targets, Task};
use backprop::error::{Error, Result};
use backprop::matrix::Matrix;

pub use super::labels::MAX_INTEGER_CLASSES;

/// A target column, chosen by header name or by position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetColumn {
    /// The column whose header cell is exactly this name (needs a header row).
    Name(String),
    /// The column at this 0-based position.
    Index(usize),
}

/// How to read a CSV file.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvOptions {
    /// The target columns; empty means the last column.
    pub target: Vec<TargetColumn>,
    /// Classification or regression; `None` infers it from a single target column: labels
    /// (any non-numeric value, or only integers with at most [`MAX_INTEGER_CLASSES`]
    /// distinct values) mean classification, anything else regression. Several target
    /// columns are always regression.
    pub task: Option<Task>,
    /// Whether the first row is a header; `None` detects it. The first row is taken as a
    /// header when one of its cells is not a number while the second row's cell in the
    /// same column is, or when none of its cells is a number and either a later row has
    /// a number or there is no later row.
    pub header: Option<bool>,
    /// The field separator, `b','` by default.
    pub delimiter: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            target: Vec::new(),
            task: None,
            header: None,
            delimiter: b',',
        }
    }
}

/// Loads a CSV file (plain or gzipped) as a dataset.
///
/// Class names are the labels as written: integers sorted numerically, strings sorted
/// lexicographically. Feature names come from the header, or are `x1`, `x2`, … without
/// one; regression targets without a header are named `y` (or `y1`, `y2`, …).
pub fn load_csv(path: &Path, options: &CsvOptions) -> Result<Dataset> {
    parse_csv(gzip::read_raw(path)?, path, options)
}

/// Parses CSV text (plain or gzipped); `path` names it in messages and as the source.
pub fn parse_csv(bytes: Vec<u8>, path: &Path, options: &CsvOptions) -> Result<Dataset> {
    let bytes = gzip::unpack(bytes, path)?;
    let rows = read_rows(&bytes, path, options.delimiter)?;
    let Some(first) = rows.first() else {
        return Err(bad(
            path,
            "the file is empty; expected rows of numbers, optionally after a header row",
        ));
    };
    let width = first.cells.len();
    let has_header = options.header.unwrap_or_else(|| detect_header(&rows));
    let header = has_header.then_some(&first.cells);
    let data = &rows[usize::from(has_header)..];
    if data.is_empty() {
        return Err(bad(
            path,
            "the file has a header row but no data rows; expected rows of numbers after it",
        ));
    }
    for row in data {
        if row.cells.len() != width {
            let what = if has_header {
                "the header"
            } else {
                "the first row"
            };
            let message = format!(
                "this row has {} fields but {what} has {width}; every row needs the same number of fields",
                row.cells.len()
            );
            return Err(at(path, row.line, None, message));
        }
    }
    let columns = Columns { path, header };
    let targets = columns.resolve(&options.target, width, options.delimiter)?;
    let features: Vec<usize> = (0..width).filter(|c| !targets.contains(c)).collect();
    let task = match (options.task, targets.as_slice()) {
        (Some(Task::Classification), [_, _, ..]) => {
            return Err(bad(
                path,
                format!(
                    "classification needs exactly one target column, but {} were chosen; use regression for several targets",
                    targets.len()
                ),
            ))
        }
        (Some(task), _) => task,
        (None, &[t]) => infer_task(data.iter().map(|r| &r.cells[t])),
        (None, _) => Task::Regression,
    };

    let feature_values = columns.numbers(data, &features, "feature")?;
    let feature_names = columns.names(&features, "x");
    let targets = match task {
        Task::Classification => columns.classes(data, targets[0])?,
        Task::Regression => Targets::Values {
            values: columns.numbers(data, &targets, "target")?,
            names: columns.names(&targets, "y"),
        },
    };
    Ok(Dataset {
        source: path.display().to_string(),
        features: feature_values,
        feature_names,
        targets,
    })
}

/// The message for a file that ends inside a quoted field.
pub(crate) const UNTERMINATED: &str =
    "a quoted field starts here but its closing quote is missing before the end of the file; expected a closing \"";

/// The line on which a quoted field starts that the file never closes, if any. The csv
/// reader takes such a field to run to the end of the file, silently swallowing every
/// row after it. A quote opens a field only as its first byte, as in the reader.
pub(crate) fn unterminated_quote(bytes: &[u8], delimiter: u8) -> Option<u64> {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let (mut line, mut opened) = (1u64, 1u64);
    for &b in bytes {
        state = match (state, b) {
            (State::FieldStart, b'"') => {
                opened = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            // A doubled quote inside quotes is a literal quote.
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n') => State::FieldStart,
            (_, b) if b == delimiter => State::FieldStart,
            // \r before \n, or anything else: inside an unquoted field.
            (State::FieldStart, b'\r') => State::FieldStart,
            _ => State::Unquoted,
        };
        if b == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

/// One record and the line it starts on.
struct Row {
    line: u64,
    cells: StringRecord,
}

/// All records, blank lines left out.
fn read_rows(bytes: &[u8], path: &Path, delimiter: u8) -> Result<Vec<Row>> {
    if let Some(line) = unterminated_quote(bytes, delimiter) {
        return Err(at(path, line, None, UNTERMINATED.into()));
    }
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for record in reader.records() {
        let cells = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            let message = match e.kind() {
                ::csv::ErrorKind::Utf8 { .. } => {
                    "this row is not valid UTF-8; expected a UTF-8 text file".to_string()
                }
                _ => format!("cannot parse CSV ({e}); expected comma-separated fields"),
            };
            Error::Data {
                path: path.to_path_buf(),
                line,
                column: None,
                message,
            }
        })?;
        // A line holding only spaces is one empty field once trimmed: skip it like a
        // blank line.
        if cells.len() == 1 && cells[0].is_empty() {
            continue;
        }
        let line = cells.position().map_or(0, |p| p.line());
        rows.push(Row { line, cells });
    }
    Ok(rows)
}

/// The header rule documented on [`CsvOptions::header`].
fn detect_header(rows: &[Row]) -> bool {
    let number = |s: &str| s.parse::<f64>().is_ok();
    let Some(first) = rows.first() else {
        return false;
    };
    if let Some(second) = rows.get(1) {
        let names_over_numbers = first
            .cells
            .iter()
            .zip(second.cells.iter())
            .any(|(a, b)| !number(a) && number(b));
        if names_over_numbers {
            return true;
        }
    }
    first.cells.iter().all(|c| !number(c))
        && (rows.len() == 1 || rows[1..].iter().any(|r| r.cells.iter().any(number)))
}

/// A `path:line[:column]: message` error.
fn at(path: &Path, line: u64, column: Option<u64>, message: String) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        line: Some(line),
        column,
        message,
    }
}

/// Column lookups and conversions, with messages that name columns the way the file does.
struct Columns<'a> {
    path: &'a Path,
    header: Option<&'a StringRecord>,
}

impl Columns<'_> {
    /// `column "name"`, or `column 3` (1-based) without a header.
    fn label(&self, c: usize) -> String {
        match self.header {
            Some(h) => format!("column {:?}", &h[c]),
            None => format!("column {}", c + 1),
        }
    }

    /// Header names of `columns`, or `{prefix}1`, `{prefix}2`, … (`y` alone for one target).
    fn names(&self, columns: &[usize], prefix: &str) -> Vec<String> {
        match self.header {
            Some(h) => columns.iter().map(|&c| h[c].to_string()).collect(),
            None if prefix == "y" && columns.len() == 1 => vec!["y".to_string()],
            None => (1..=columns.len())
                .map(|k| format!("{prefix}{k}"))
                .collect(),
        }
    }

    /// The chosen target columns as distinct 0-based positions, leaving a feature column.
    fn resolve(&self, chosen: &[TargetColumn], width: usize, delimiter: u8) -> Result<Vec<usize>> {
        let mut targets = Vec::new();
        for column in chosen {
            let c = match column {
                TargetColumn::Index(i) if *i < width => *i,
                TargetColumn::Index(i) => {
                    let message = format!(
                        "there is no target column at index {i}: the file has {width} columns (indices 0 to {})",
                        width - 1
                    );
                    return Err(bad(self.path, message));
                }
                TargetColumn::Name(name) => self.find(name)?,
            };
            if targets.contains(&c) {
                let message = format!("{} is chosen as a target twice", self.label(c));
                return Err(bad(self.path, message));
            }
            targets.push(c);
        }
        if targets.is_empty() {
            targets.push(width - 1);
        }
        if width == 1 {
            let message = format!(
                "the file has a single column, which is the target; expected at least one feature column besides it (is the delimiter {:?} right?)",
                char::from(delimiter)
            );
            return Err(bad(self.path, message));
        }
        if targets.len() == width {
            let message =
                "every column is a target; expected at least one feature column".to_string();
            return Err(bad(self.path, message));
        }
        Ok(targets)
    }

    /// The position of the header cell `name`.
    fn find(&self, name: &str) -> Result<usize> {
        let Some(header) = self.header else {
            let message = format!(
                "cannot find target column {name:?}: the file has no header row; choose the target by index instead"
            );
            return Err(bad(self.path, message));
        };
        let mut matches = header.iter().enumerate().filter(|(_, h)| *h == name);
        match (matches.next(), matches.next()) {
            (Some((c, _)), None) => Ok(c),
            (Some((a, _)), Some((b, _))) => Err(bad(
                self.path,
                format!("the header names two columns {name:?} (indices {a} and {b}); choose the target by index instead"),
            )),
            (None, _) => {
                let available: Vec<String> = header.iter().map(|h| format!("{h:?}")).collect();
                let message = format!(
                    "there is no column named {name:?}; the columns are {}",
                    available.join(", ")
                );
                Err(bad(self.path, message))
            }
        }
    }

    /// The cells of `columns` as a `rows × columns` matrix of finite numbers.
    fn numbers(&self, rows: &[Row], columns: &[usize], role: &str) -> Result<Matrix<f32>> {
        let mut values = Vec::with_capacity(rows.len() * columns.len());
        for row in rows {
            for &c in columns {
                let cell = &row.cells[c];
                let column = Some(c as u64 + 1);
                let what = format!("{role} {}", self.label(c));
                let message = match cell.parse::<f32>() {
                    Ok(v) if v.is_finite() => {
                        values.push(v);
                        continue;
                    }
                    Ok(_) => format!("{what} holds {cell:?}, which is not a finite number; expected a finite value (NaN, infinities and magnitudes beyond 3.4e38 are not supported)"),
                    Err(_) if cell.is_empty() => format!("{what} is empty; expected a number (missing values are not supported)"),
                    Err(_) => format!("{what} holds {cell:?}, which is not a number; expected a number"),
                };
                return Err(at(self.path, row.line, column, message));
            }
        }
        // The length is rows × columns by construction.
        Ok(Matrix::from_vec(rows.len(), columns.len(), values)
            .unwrap_or_else(|| Matrix::zeros(rows.len(), columns.len())))
    }

    /// The labels in column `c` as classes.
    fn classes(&self, rows: &[Row], c: usize) -> Result<Targets> {
        if let Some(row) = rows.iter().find(|r| r.cells[c].is_empty()) {
            let message = format!("target {} is empty; expected a class label", self.label(c));
            return Err(at(self.path, row.line, Some(c as u64 + 1), message));
        }
        let labels: Vec<&str> = rows.iter().map(|r| &r.cells[c]).collect();
        let (labels, names) = number_classes(&labels);
        Ok(Targets::Classes { labels, names })
    }
}

#[cfg(test)]
mod tests {
    use super::unterminated_quote;

    #[test]
    fn only_a_quote_left_open_at_the_end_is_found() {
        // Closed quotes, doubled quotes inside them, a newline inside them, and a quote
        // in the middle of an unquoted field (taken literally) are all fine.
        assert_eq!(unterminated_quote(b"a,\"b\"\n\"c\"\"d\",e\n", b','), None);
        assert_eq!(unterminated_quote(b"\"x\ny\",1\n2,3\n", b','), None);
        assert_eq!(unterminated_quote(b"a\"b,c\n", b','), None);
        // Opened on line 2 and never closed, whatever follows.
        assert_eq!(unterminated_quote(b"a,b\n1,\"2\n3,4\n", b','), Some(2));
        assert_eq!(unterminated_quote(b"a;\"b", b';'), Some(1));
        // A doubled quote at the end leaves the field open.
        assert_eq!(unterminated_quote(b"\"a\"\"", b','), Some(1));
    }
}
