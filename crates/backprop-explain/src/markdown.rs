//! Renders a document as Markdown in a language, with LaTeX math in GitHub's syntax:
//! display math in
//! ```` ```math ```` blocks and inline math as `` $`…`$ ``, which GitHub renders without
//! the escaping problems of bare dollar signs.

use std::fmt::Write as _;

use crate::doc::{chain, Block, Inline};
use crate::expr::Expr;
use crate::lang::Lang;
use crate::msg::Run;
use crate::tex::Tex;
use crate::text::ONE_LINE;

/// Markdown for `doc` in `lang`.
pub fn render(doc: &[Block], lang: Lang) -> String {
    let mut out = Vec::new();
    let mut w = MarkdownWriter::new(&mut out, lang);
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
    lang: Lang,
    /// Whether an aligned block is open, with at least one equation in it.
    in_math: bool,
    /// Whether anything has been written, so that the text ends with one newline.
    started: bool,
}

impl<W: std::io::Write> MarkdownWriter<W> {
    /// A writer of Markdown in `lang` to `out`.
    pub fn new(out: W, lang: Lang) -> Self {
        MarkdownWriter {
            out,
            lang,
            in_math: false,
            started: false,
        }
    }

    /// Writes one block.
    pub fn block(&mut self, block: &Block) -> std::io::Result<()> {
        let lang = self.lang;
        if let Block::Eq(parts) = block {
            let row = aligned(parts, lang);
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
                let _ = write!(out, "# {}", t.text(lang));
            }
            Block::Heading(t) => {
                let _ = write!(out, "## {}", t.text(lang));
            }
            Block::Subheading(t) => {
                let _ = write!(out, "### {}", t.text(lang));
            }
            Block::Para(items) => {
                let _ = write!(out, "{}", inline(items, lang));
            }
            Block::Table { header, rows } => {
                let cells: Vec<String> = header
                    .iter()
                    .map(|h| inline(std::slice::from_ref(h), lang))
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

fn inline(items: &[Inline], lang: Lang) -> String {
    let math = |e: &Expr| format!("$`{}`$", e.latex(lang));
    let mut out = String::new();
    for item in items {
        match item {
            Inline::Msg(m) => m.walk(lang, &mut |run| match run {
                Run::Words(w) => out.push_str(w),
                Run::Math(e) => out.push_str(&math(e)),
            }),
            Inline::Math(e) => out.push_str(&math(e)),
        }
    }
    out
}

/// One equation `lhs = e₁ = e₂ = …` in `lang` as rows of a LaTeX `aligned` environment:
/// [`aligned_tex`] with its words written.
pub fn aligned(parts: &[Expr], lang: Lang) -> String {
    aligned_tex(parts).fill(lang)
}

/// One equation `lhs = e₁ = e₂ = …` as rows of a LaTeX `aligned` environment, aligned at
/// `&=`, its words still messages; a repeated step is shown once, and a long chain gets
/// one step per row, as the terminal text does. How long a chain is does not count the
/// words of a note beside it, so that the rows are the same in every language.
pub fn aligned_tex(parts: &[Expr]) -> Tex {
    let (mut out, steps) = chain(parts, &Expr::tex);
    let long = parts.iter().map(|p| p.plain_len() + 3).sum::<usize>() > ONE_LINE;
    out.push_str(" &= ");
    for (i, step) in steps.into_iter().enumerate() {
        if i > 0 {
            out.push_str(if long { " \\\\\n&= " } else { " = " });
        }
        out.append(step);
    }
    out
}
