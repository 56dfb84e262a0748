//! Renders a document as terminal text in a language, with colour when asked.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use crate::doc::{chain, Block, Inline};
use crate::expr::Expr;
use crate::lang::Lang;

/// Equations shorter than this stay on one line.
pub(crate) const ONE_LINE: usize = 96;

/// Terminal text for `doc` in `lang`; ANSI colours only when `color` is true.
pub fn render(doc: &[Block], lang: Lang, color: bool) -> String {
    let mut out = Vec::new();
    let mut w = TextWriter::new(&mut out, lang, color);
    for block in doc {
        // Writing to memory does not fail.
        let _ = w.block(block);
    }
    let _ = w.finish();
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes terminal text block by block, as [`render`] lays it out: a run of equations
/// ends with a blank line, and the text ends with exactly one newline.
pub struct TextWriter<W: std::io::Write> {
    out: W,
    lang: Lang,
    color: bool,
    after_eq: bool,
    /// Newlines written by the last block and not yet passed on, so that the text
    /// ends with one whatever came last.
    held: usize,
    started: bool,
}

impl<W: std::io::Write> TextWriter<W> {
    /// A writer of text in `lang` to `out`, with ANSI colours when `color` is true.
    pub fn new(out: W, lang: Lang, color: bool) -> Self {
        TextWriter {
            out,
            lang,
            color,
            after_eq: false,
            held: 0,
            started: false,
        }
    }

    fn paint(&self, style: Style, s: &str) -> String {
        if self.color {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }

    /// Writes one block.
    pub fn block(&mut self, block: &Block) -> std::io::Result<()> {
        let bold = Style::new().bold();
        let lang = self.lang;
        let mut out = String::new();
        // A run of equations ends with a blank line before the next block.
        let is_eq = matches!(block, Block::Eq(_));
        if self.after_eq && !is_eq {
            out.push('\n');
        }
        self.after_eq = is_eq;
        match block {
            Block::Title(t) => {
                let t = &t.text(lang);
                let _ = writeln!(
                    out,
                    "{}\n{}\n",
                    self.paint(bold.underline(), t),
                    "=".repeat(width(t))
                );
            }
            Block::Heading(t) => {
                let t = &t.text(lang);
                let _ = writeln!(out, "{}\n{}\n", self.paint(bold, t), "-".repeat(width(t)));
            }
            Block::Subheading(t) => {
                let cyan = bold.fg_color(Some(AnsiColor::Cyan.into()));
                let _ = writeln!(out, "{}\n", self.paint(cyan, &t.text(lang)));
            }
            Block::Para(items) => {
                let _ = writeln!(out, "{}\n", inline(items, lang));
            }
            Block::Eq(parts) => {
                let _ = writeln!(
                    out,
                    "{}",
                    equation(
                        parts,
                        lang,
                        &|lhs| self.paint(Style::new().fg_color(Some(AnsiColor::Cyan.into())), lhs),
                        &|r| self.paint(bold.fg_color(Some(AnsiColor::Green.into())), r)
                    )
                );
            }
            Block::Table { header, rows } => {
                out.push_str(&table(header, rows, lang));
                out.push('\n');
            }
        }
        self.write(&out)
    }

    /// Writes `s`, holding back its trailing newlines until more text follows.
    fn write(&mut self, s: &str) -> std::io::Result<()> {
        let body = s.trim_end_matches('\n');
        if !body.is_empty() {
            let pending = if self.started { self.held } else { 0 };
            self.out.write_all("\n".repeat(pending).as_bytes())?;
            self.out.write_all(body.as_bytes())?;
            self.started = true;
            self.held = 0;
        }
        self.held += s.len() - body.len();
        Ok(())
    }

    /// Ends the text with one newline and flushes it.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

fn inline(items: &[Inline], lang: Lang) -> String {
    items
        .iter()
        .map(|i| match i {
            Inline::Msg(m) => m.text(lang),
            Inline::Math(e) => e.text(lang),
        })
        .collect()
}

/// `lhs = a = b = result`, on one line or aligned under the first `=`.
fn equation(
    parts: &[Expr],
    lang: Lang,
    lhs_style: &dyn Fn(&str) -> String,
    result_style: &dyn Fn(&str) -> String,
) -> String {
    let (lhs, mut steps) = chain(parts, &|e| e.text(lang));
    let last = steps.pop().unwrap_or_default();
    let plain_len =
        width(&lhs) + steps.iter().map(|s| width(s) + 3).sum::<usize>() + width(&last) + 5;
    let mut s = format!("  {}", lhs_style(&lhs));
    if plain_len <= ONE_LINE {
        for step in &steps {
            let _ = write!(s, " = {step}");
        }
        let _ = write!(s, " = {}", result_style(&last));
    } else {
        let pad = " ".repeat(width(&lhs) + 2);
        let mut first = true;
        for step in steps.iter().chain(std::iter::once(&last)) {
            let shown = if step == &last {
                result_style(step)
            } else {
                step.clone()
            };
            if first {
                let _ = write!(s, " = {shown}");
                first = false;
            } else {
                let _ = write!(s, "\n{pad} = {shown}");
            }
        }
    }
    s
}

fn table(header: &[Inline], rows: &[Vec<String>], lang: Lang) -> String {
    let header: Vec<String> = header
        .iter()
        .map(|h| inline(std::slice::from_ref(h), lang))
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String]| {
        let mut s = String::from(" ");
        for (cell, w) in cells.iter().zip(&widths) {
            let _ = write!(s, " {cell}{} ", " ".repeat(w - width(cell)));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut s = line(&header);
    s.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    for row in rows {
        s.push_str(&line(row));
    }
    s
}

/// Columns a string takes in a terminal: CJK characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{FF00}'..='\u{FF60}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}
