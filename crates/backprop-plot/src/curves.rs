//! Training curves: one chart a panel, stacked, on a common x range.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::output::{self, Figure, Format};
use super::style::{self, FAMILY, INK};
use super::{Curve, Panel};
use backprop::error::{Error, Result};

const WIDTH: u32 = 900;
const PANEL_HEIGHT: u32 = 380;

pub(super) fn draw(path: &Path, panels: &[Panel], x_label: &str) -> Result<()> {
    Format::of(path)?;
    if panels.is_empty() {
        return Err(Error::Data {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: "nothing to plot: no panels were given".into(),
        });
    }
    let all_x = panels
        .iter()
        .flat_map(|p| &p.curves)
        .flat_map(|c| &c.points)
        .filter(|(_, y)| y.is_finite())
        .map(|&(x, _)| x);
    let figure = Curves {
        panels,
        x_label,
        x_range: style::padded_range(all_x, 0.02, 0.0..1.0),
    };
    output::save(path, &figure)
}

struct Curves<'a> {
    panels: &'a [Panel],
    x_label: &'a str,
    /// Shared by all panels so that the same x lines up.
    x_range: Range<f64>,
}

impl Figure for Curves<'_> {
    fn size(&self) -> (u32, u32) {
        (WIDTH, PANEL_HEIGHT * self.panels.len() as u32)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        root.fill(&WHITE)?;
        let areas = root.split_evenly((self.panels.len(), 1));
        let last = self.panels.len() - 1;
        for (i, (area, panel)) in areas.iter().zip(self.panels).enumerate() {
            self.panel(area, panel, i == last)?;
        }
        Ok(())
    }
}

impl Curves<'_> {
    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        panel: &Panel,
        bottom: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let ys = panel
            .curves
            .iter()
            .flat_map(|c| &c.points)
            .filter(|(x, _)| x.is_finite())
            .map(|&(_, y)| y);
        let y_range = style::padded_range(ys, 0.05, 0.0..1.0);
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(12)
            .margin_right(24)
            .x_label_area_size(if bottom { 50 } else { 32 })
            .y_label_area_size(72);
        if !panel.title.is_empty() {
            builder.caption(&panel.title, (FAMILY, 24).into_font().color(&INK));
        }
        let mut chart = builder.build_cartesian_2d(self.x_range.clone(), y_range.clone())?;

        let mut mesh = chart.configure_mesh();
        mesh.axis_style(INK)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .light_line_style(RGBColor(0xf2, 0xf2, 0xf2))
            .label_style((FAMILY, 14).into_font().color(&INK))
            .axis_desc_style((FAMILY, 16).into_font().color(&INK))
            .y_desc(&panel.y_label);
        if bottom {
            mesh.x_desc(self.x_label);
        }
        if self.x_range.end - self.x_range.start >= 10.0 {
            // Ticks are then whole steps (1, 2, 5, 10, ...): epochs read 5, 10, 15.
            mesh.x_label_formatter(&whole);
        }
        mesh.draw()?;

        for (k, curve) in panel.curves.iter().enumerate() {
            let line = style::colour(k).stroke_width(2);
            let mut labelled = false;
            for run in finite_runs(curve) {
                // A lone point between gaps has no line to show it.
                let dots = (run.len() == 1).then(|| Circle::new(run[0], 3, line.filled()));
                chart.draw_series(dots)?;
                let series = chart.draw_series(LineSeries::new(run, line))?;
                if !labelled {
                    series
                        .label(&curve.label)
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], line));
                    labelled = true;
                }
            }
            if !labelled {
                // No finite point at all: still name the curve in the legend.
                chart
                    .draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())?
                    .label(&curve.label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], line));
            }
        }
        if !panel.curves.is_empty() {
            chart
                .configure_series_labels()
                .position(legend_corner(panel, &y_range))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(0xbb, 0xbb, 0xbb))
                .label_font((FAMILY, 16).into_font().color(&INK))
                .draw()?;
        }
        Ok(())
    }
}

fn whole(v: &f64) -> String {
    format!("{v:.0}")
}

/// The curve split at its non-finite points, so a diverged stretch shows as a gap.
fn finite_runs(curve: &Curve) -> Vec<Vec<(f64, f64)>> {
    curve
        .points
        .split(|(x, y)| !x.is_finite() || !y.is_finite())
        .filter(|run| !run.is_empty())
        .map(<[_]>::to_vec)
        .collect()
}

/// Where the legend hides the least: curves usually move monotonically, so it goes to
/// the right-hand corner the last points stay away from (loss ends low, accuracy high).
fn legend_corner(panel: &Panel, y_range: &Range<f64>) -> SeriesLabelPosition {
    let ends: Vec<f64> = panel
        .curves
        .iter()
        .filter_map(|c| finite_runs(c).last().and_then(|r| r.last()).map(|p| p.1))
        .collect();
    let middle = (y_range.start + y_range.end) / 2.0;
    let mean = ends.iter().sum::<f64>() / ends.len().max(1) as f64;
    if !ends.is_empty() && mean > middle {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::UpperRight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(points: &[(f64, f64)]) -> Curve {
        Curve {
            label: "c".into(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn runs_break_at_non_finite_points() {
        let c = curve(&[
            (0.0, 1.0),
            (1.0, f64::NAN),
            (2.0, 2.0),
            (3.0, 3.0),
            (f64::INFINITY, 0.0),
        ]);
        assert_eq!(
            finite_runs(&c),
            vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]
        );
    }

    #[test]
    fn the_legend_avoids_where_the_curves_end() {
        let panel = |points: &[(f64, f64)]| Panel {
            title: String::new(),
            y_label: String::new(),
            curves: vec![curve(points)],
        };
        let falling = panel(&[(0.0, 1.0), (1.0, 0.1)]);
        let rising = panel(&[(0.0, 0.1), (1.0, 0.9)]);
        assert_eq!(
            legend_corner(&falling, &(0.0..1.0)),
            SeriesLabelPosition::UpperRight
        );
        assert_eq!(
            legend_corner(&rising, &(0.0..1.0)),
            SeriesLabelPosition::LowerRight
        );
    }
}
