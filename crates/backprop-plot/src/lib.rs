//! Plots: training curves and decision regions, as SVG or PNG; [`training`] draws
//! them for a training run.
//!
//! The format follows the file name: `.svg` or `.png`, in any case. Files are drawn
//! in memory first and then put in place with a rename, so an existing plot is either
//! replaced by a complete new one or left as it was. PNG text uses the bundled DejaVu
//! Sans font, so the output does not depend on the fonts installed.
#![warn(missing_docs)]

mod boundary;
mod curves;
mod output;
mod style;
pub mod training;

use std::path::Path;

use backprop::error::Result;
use backprop::matrix::Matrix;

/// One line on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// The name shown in the legend, such as `train` or `validation`.
    pub label: String,
    /// `(x, y)` points in drawing order; non-finite ones leave a gap in the line.
    pub points: Vec<(f64, f64)>,
}

/// One chart: a title, a y-axis label and its curves (e.g. "loss" with train and
/// validation curves).
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The caption above the chart.
    pub title: String,
    /// The label of the y axis.
    pub y_label: String,
    /// The lines, each in its own colour.
    pub curves: Vec<Curve>,
}

/// Checks that `path` names an image format a plot can be written in (`.svg` or
/// `.png`), so that a bad name is refused before anything else is written.
///
/// # Errors
/// [`Error::Data`](backprop::Error::Data) for another extension.
pub fn check_path(path: &Path) -> Result<()> {
    output::Format::of(path).map(|_| ())
}

/// Draws the panels stacked vertically (loss above accuracy), sharing the x axis and
/// its label, to `path`: SVG when the name ends in `.svg`, PNG when `.png`
/// (case-insensitive).
///
/// Each panel's y range comes from its finite points, with a margin; NaN and infinite
/// points are skipped.
///
/// # Errors
/// [`Error::Data`](backprop::Error::Data) for another extension or when there are no
/// panels; [`Error::Write`](backprop::Error::Write) when the file cannot be written.
pub fn curves(path: &Path, panels: &[Panel], x_label: &str) -> Result<()> {
    curves::draw(path, panels, x_label)
}

/// Decision regions of a classifier over 2-D inputs, with the data points on top,
/// coloured by class, with a legend of class names.
///
/// `points` is samples × 2 (raw, unstandardized coordinates), `labels` their classes
/// (indices into `class_names`). `classify` maps a batch of 2-D points (rows, raw
/// coordinates) to a class index each; it is called once, with the whole grid of
/// 200 × 200 points as one matrix.
///
/// # Errors
/// [`Error::Data`](backprop::Error::Data) for an unknown extension, when `points` does not
/// have exactly 2 columns or `labels` does not have one entry a point;
/// [`Error::Shape`](backprop::Error::Shape) when `classify` does not return one class a
/// grid point; [`Error::Write`](backprop::Error::Write) when the file cannot be written.
pub fn boundary(
    path: &Path,
    points: &Matrix<f32>,
    labels: &[usize],
    class_names: &[String],
    classify: &mut dyn FnMut(&Matrix<f32>) -> Vec<usize>,
) -> Result<()> {
    boundary::draw(path, points, labels, class_names, classify)
}
