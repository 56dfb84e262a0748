//! Decision regions: the classifier's answer over a grid, with the data on top.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::output::{self, Figure, Format};
use super::style::{self, FAMILY, INK};
use backprop::error::{Error, Result};
use backprop::matrix::Matrix;

/// Grid cells along each axis; the classifier sees `GRID²` points in one batch.
const GRID: usize = 200;
/// The chart without the legend strip.
const PLOT_SIZE: (u32, u32) = (720, 700);

pub(super) fn draw(
    path: &Path,
    points: &Matrix<f32>,
    labels: &[usize],
    class_names: &[String],
    classify: &mut dyn FnMut(&Matrix<f32>) -> Vec<usize>,
) -> Result<()> {
    let bad = |message: String| Error::Data {
        path: path.to_path_buf(),
        line: None,
        column: None,
        message,
    };
    Format::of(path)?;
    if points.cols() != 2 {
        return Err(bad(format!(
            "decision regions need 2-D inputs, but the points have {} column{}",
            points.cols(),
            if points.cols() == 1 { "" } else { "s" }
        )));
    }
    if labels.len() != points.rows() {
        return Err(bad(format!(
            "{} labels for {} points: each point needs one label",
            labels.len(),
            points.rows()
        )));
    }
    let column = |j: usize| (0..points.rows()).map(move |i| f64::from(points.get(i, j)));
    let x = style::padded_range(column(0), 0.08, -1.0..1.0);
    let y = style::padded_range(column(1), 0.08, -1.0..1.0);

    let cells = Matrix::grid_centres(x.clone(), y.clone(), GRID);
    let regions = classify(&cells);
    if regions.len() != GRID * GRID {
        return Err(Error::Shape(format!(
            "the classifier returned {} classes for {} grid points",
            regions.len(),
            GRID * GRID
        )));
    }
    // Every class that is named, labelled or predicted gets a legend entry.
    let legend: Vec<(usize, String)> = (0..class_names.len())
        .chain(labels.iter().copied())
        .chain(regions.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|k| {
            let name = class_names.get(k).cloned();
            (k, name.unwrap_or_else(|| format!("class {k}")))
        })
        .collect();
    let figure = Boundary {
        points,
        labels,
        legend_width: legend_width(legend.iter().map(|(_, name)| name.as_str())),
        legend,
        regions,
        x,
        y,
    };
    output::save(path, &figure)
}

/// Room for the legend strip right of the chart: the widest name plus its marker.
fn legend_width<'a>(names: impl Iterator<Item = &'a str>) -> u32 {
    let font = legend_font();
    let widest = names
        .map(|n| match font.box_size(n) {
            Ok((w, _)) => w,
            Err(_) => 9 * n.chars().count() as u32, // the font is checked again when saving
        })
        .max()
        .unwrap_or(0);
    (widest + 56).clamp(100, 400)
}

fn legend_font() -> FontDesc<'static> {
    style::font_ready();
    (FAMILY, 16).into_font()
}

struct Boundary<'a> {
    points: &'a Matrix<f32>,
    labels: &'a [usize],
    /// Class indices and names, in order.
    legend: Vec<(usize, String)>,
    legend_width: u32,
    /// The class of each grid cell, in the order of [`grid`].
    regions: Vec<usize>,
    x: Range<f64>,
    y: Range<f64>,
}

impl Figure for Boundary<'_> {
    fn size(&self) -> (u32, u32) {
        (PLOT_SIZE.0 + self.legend_width, PLOT_SIZE.1)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        // The legend gets a strip of its own so that it never hides data.
        let (plot, legend) = root.split_horizontally(PLOT_SIZE.0);
        let mut chart = ChartBuilder::on(&plot)
            .caption("Decision regions", (FAMILY, 24).into_font().color(&INK))
            .margin(16)
            .margin_right(8)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(self.x.clone(), self.y.clone())?;
        chart.draw_series(self.region_rectangles())?;
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(INK)
            .label_style((FAMILY, 14).into_font().color(&INK))
            .axis_desc_style((FAMILY, 16).into_font().color(&INK))
            .x_desc("x1")
            .y_desc("x2")
            .draw()?;

        let radius = if self.points.rows() > 2000 { 3 } else { 4 };
        let text = legend_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let top = chart.plotting_area().get_pixel_range().1.start + 12;
        for (row, (class, name)) in self.legend.iter().enumerate() {
            // Filled in the class colour, outlined dark so points show on any region.
            let fill = style::colour(*class).filled();
            let outline = INK.stroke_width(1);
            // A macro, not a closure: the chart and the legend strip use different
            // coordinate types.
            macro_rules! dot {
                ($at:expr) => {
                    EmptyElement::at($at)
                        + Circle::new((0, 0), radius, fill)
                        + Circle::new((0, 0), radius, outline)
                };
            }
            let mine = (0..self.points.rows())
                .filter(|&i| self.labels[i] == *class)
                .map(|i| {
                    (
                        f64::from(self.points.get(i, 0)),
                        f64::from(self.points.get(i, 1)),
                    )
                })
                .filter(|(a, b)| a.is_finite() && b.is_finite());
            chart.draw_series(mine.map(|p| dot!(p)))?;
            let at = (12, top + 26 * row as i32);
            legend.draw(&(dot!(at) + Text::new(name.clone(), (14, 0), text.clone())))?;
        }
        Ok(())
    }
}

impl Boundary<'_> {
    /// The regions in lighter tints, one rectangle a run of equal cells in a grid row,
    /// which keeps the SVG small.
    fn region_rectangles(&self) -> Vec<Rectangle<(f64, f64)>> {
        let (dx, dy) = (
            (self.x.end - self.x.start) / GRID as f64,
            (self.y.end - self.y.start) / GRID as f64,
        );
        let mut cells = Vec::new();
        for (j, row) in self.regions.chunks(GRID).enumerate() {
            let (y0, y1) = (
                self.y.start + j as f64 * dy,
                self.y.start + (j + 1) as f64 * dy,
            );
            let mut start = 0;
            for i in 1..=GRID {
                if i == GRID || row[i] != row[start] {
                    let (x0, x1) = (
                        self.x.start + start as f64 * dx,
                        self.x.start + i as f64 * dx,
                    );
                    let fill = style::tint(style::colour(row[start]), 0.65).filled();
                    cells.push(Rectangle::new([(x0, y0), (x1, y1)], fill));
                    start = i;
                }
            }
        }
        cells
    }
}
