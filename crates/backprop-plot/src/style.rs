//! Colours, fonts and axis ranges shared by every plot.

use std::ops::Range;
use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle, RGBColor};

/// DejaVu Sans (see NOTICE). PNG text is rasterized from it; SVG only names the
/// family, but plotters still measures text with it to lay the chart out.
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// The family every text style uses; the bundled font is registered under it.
/// Text sizes are kept even: plotters places PNG glyphs relative to half the size,
/// rounded towards zero, so odd sizes put some glyphs a pixel off the baseline.
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the bundled font once; whether it could be loaded.
pub(crate) fn font_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok())
}

/// Ten qualitative colours (the Tableau 10 set), easy to tell apart and still
/// readable when lightened into region tints.
const PALETTE: [RGBColor; 10] = [
    RGBColor(0x1f, 0x77, 0xb4), // blue
    RGBColor(0xff, 0x7f, 0x0e), // orange
    RGBColor(0x2c, 0xa0, 0x2c), // green
    RGBColor(0xd6, 0x27, 0x28), // red
    RGBColor(0x94, 0x67, 0xbd), // purple
    RGBColor(0x8c, 0x56, 0x4b), // brown
    RGBColor(0xe3, 0x77, 0xc2), // pink
    RGBColor(0x7f, 0x7f, 0x7f), // grey
    RGBColor(0xbc, 0xbd, 0x22), // olive
    RGBColor(0x17, 0xbe, 0xcf), // cyan
];

/// Dark grey for outlines, axes and legend borders: softer than black.
pub(crate) const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// The colour of class or curve `k`; beyond ten the palette repeats.
pub(crate) fn colour(k: usize) -> RGBColor {
    PALETTE[k % PALETTE.len()]
}

/// `c` mixed with white: 0 keeps it, 1 gives white.
pub(crate) fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * amount).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// The range of the finite `values`, widened by `margin` of its span on each side,
/// or `fallback` when there are none. A single value gets a window around it.
pub(crate) fn padded_range(
    values: impl IntoIterator<Item = f64>,
    margin: f64,
    fallback: Range<f64>,
) -> Range<f64> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return fallback;
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * margin
    } else if lo != 0.0 {
        lo.abs() * 0.05
    } else {
        0.5
    };
    let (a, b) = (lo - pad, hi + pad);
    // Near the ends of f64 the padding overflows; the bare range still draws.
    if a.is_finite() && b.is_finite() && a < b {
        a..b
    } else if lo < hi {
        lo..hi
    } else {
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_skip_non_finite_values_and_never_collapse() {
        let r = padded_range([1.0, f64::NAN, 3.0, f64::INFINITY], 0.05, 0.0..1.0);
        assert!((r.start - 0.9).abs() < 1e-12 && (r.end - 3.1).abs() < 1e-12);
        assert_eq!(padded_range([f64::NAN], 0.05, 0.0..1.0), 0.0..1.0);
        assert_eq!(padded_range([0.0, 0.0], 0.05, 5.0..6.0), -0.5..0.5);
        let r = padded_range([2.0], 0.05, 0.0..1.0);
        assert!(r.start < 2.0 && r.end > 2.0);
        let r = padded_range([-f64::MAX, f64::MAX], 0.05, 0.0..1.0);
        assert_eq!(r, -f64::MAX..f64::MAX);
    }

    #[test]
    fn tints_go_towards_white() {
        assert_eq!(tint(RGBColor(0, 100, 255), 0.5), RGBColor(128, 178, 255));
        assert_eq!(tint(colour(3), 0.0), colour(3));
        assert_eq!(colour(10), colour(0));
    }
}
