//! Rendering a figure to memory and writing it in one step: the image is complete
//! before the file is touched, and the target is replaced by a rename, so a failed or
//! interrupted run never leaves half an image behind.

use std::io;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style;
use backprop::error::{Error, Result};

/// The image formats, chosen by the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Svg,
    Png,
}

impl Format {
    /// The format `path` asks for; `Error::Data` for any other extension.
    pub(crate) fn of(path: &Path) -> Result<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(Error::Data {
                path: path.to_path_buf(),
                line: None,
                column: None,
                message: "unknown image format: name the file .svg or .png".into(),
            }),
        }
    }
}

/// A picture that can draw itself on any plotters backend, so that the SVG and the
/// PNG come from the same code.
pub(crate) trait Figure {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws everything on `root`, which starts out blank.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

/// Renders `figure` in the format `path` names and writes it there atomically.
pub(crate) fn save(path: &Path, figure: &impl Figure) -> Result<()> {
    let format = Format::of(path)?;
    if !style::font_ready() {
        return Err(write_error(path, "the bundled font could not be loaded"));
    }
    let bytes = match format {
        Format::Svg => render_svg(figure),
        Format::Png => render_png(figure),
    }
    .map_err(|e| write_error(path, &format!("drawing the plot failed: {e}")))?;
    backprop_io::atomic::write(path, &bytes)
}

fn write_error(path: &Path, message: &str) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: io::Error::other(message.to_string()),
    }
}

fn render_svg(figure: &impl Figure) -> Result<Vec<u8>, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, figure.size()).into_drawing_area();
        figure.draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    } // the backend finishes the document when dropped
    Ok(svg.into_bytes())
}

fn render_png(figure: &impl Figure) -> Result<Vec<u8>, String> {
    let (width, height) = figure.size();
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        figure.draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    encode_png(width, height, &rgb).map_err(|e| e.to_string())
}

/// An 8-bit RGB PNG of `rgb` (row-major, 3 bytes a pixel), encoded in memory:
/// plotters' own encoder only writes to files.
pub(crate) fn encode_png(
    width: u32,
    height: u32,
    rgb: &[u8],
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}
