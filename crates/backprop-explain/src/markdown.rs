//! Renders a document as Markdown with LaTeX math in GitHub's syntax: display math in
//! ```` ```math ```` blocks and inline math as `` $`…`$ ``, which GitHub renders without
//! the escaping problems of bare dollar signs.

use std::fmt::Write as _;

use crate::doc::{chain, Block, Inline};
use crate::expr::Expr;
use crate::text::ONE_LINE;

/// Markdown for `doc`.
pub fn render(doc: &[Block]) -> String {
    let mut out = Vec::new();
    let mut w = MarkdownWriter::new(&mut out);
    for block in doc {
        // Writing to memory does not fail.
        let _ = w.block(block);
    }
    let _ = w.finish();
    String::from_utf8_lossy(&out).into_owned()
}

/// Writes Markdown block by block, as [`render`] lays it out: a run of equations goes
/// into one aligned display block, opened at its first equation and closed at the
/// first block that is not one.
pub struct MarkdownWriter<W: std::io::Write> {
    out: W,
    /// Whether an aligned block is open, with at least one equation in it.
    in_math: bool,
    /// Whether anything has been written, so that the text ends with one newline.
    started: bool,
}

impl<W: std::io::Write> MarkdownWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W) -> Self {
        MarkdownWriter {
            out,
            in_math: false,
            started: false,
        }
    }

    /// Writes one block.
    pub fn block(&mut self, block: &Block) -> std::io::Result<()> {
        if let Block::Eq(parts) = block {
            let row = aligned(parts);
            if self.in_math {
                write!(self.out, " \\\\\n{row}")?;
            } else {
                self.separate()?;
                write!(self.out, "```math\n\\begin{{aligned}}\n{row}")?;
                self.in_math = true;
            }
            return Ok(());
        }
        self.close_math()?;
        let mut out = String::new();
        match block {
            Block::Title(t) => {
                let _ = write!(out, "# {t}");
            }
            Block::Heading(t) => {
                let _ = write!(out, "## {t}");
            }
            Block::Subheading(t) => {
                let _ = write!(out, "### {t}");
            }
            Block::Para(items) => {
                let _ = write!(out, "{}", inline(items));
            }
            Block::Table { header, rows } => {
                let cells: Vec<String> = header
                    .iter()
                    .map(|h| inline(std::slice::from_ref(h)))
                    .collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
                let _ = write!(out, "|{}", "---|".repeat(cells.len()));
                for row in rows {
                    let _ = write!(out, "\n| {} |", row.join(" | "));
                }
            }
            Block::Eq(_) => {}
        }
        self.separate()?;
        self.out.write_all(out.as_bytes())
    }

    /// A blank line between blocks.
    fn separate(&mut self) -> std::io::Result<()> {
        if self.started {
            self.out.write_all(b"\n\n")?;
        }
        self.started = true;
        Ok(())
    }

    fn close_math(&mut self) -> std::io::Result<()> {
        if self.in_math {
            self.out.write_all(b"\n\\end{aligned}\n```")?;
            self.in_math = false;
        }
        Ok(())
    }

    /// Closes an open display block, ends the text with one newline and flushes it.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.close_math()?;
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

fn inline(items: &[Inline]) -> String {
    items
        .iter()
        .map(|i| match i {
            Inline::Text(t) => t.clone(),
            Inline::Math(e) => format!("$`{}`$", e.latex()),
        })
        .collect()
}

/// One equation `lhs = e₁ = e₂ = …` as rows of a LaTeX `aligned` environment, aligned at
/// `&=`; a repeated step is shown once, and a long chain gets one step per row, as the
/// terminal text does.
pub fn aligned(parts: &[Expr]) -> String {
    let (lhs, steps) = chain(parts, Expr::latex);
    let long = parts
        .iter()
        .map(|p| p.text().chars().count() + 3)
        .sum::<usize>()
        > ONE_LINE;
    format!(
        "{lhs} &= {}",
        steps.join(if long { " \\\\\n&= " } else { " = " })
    )
}
