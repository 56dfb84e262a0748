//! Renders a document as Markdown with LaTeX math in GitHub's syntax: display math in
//! ```` ```math ```` blocks and inline math as `` $`…`$ ``, which GitHub renders without
//! the escaping problems of bare dollar signs.

use std::fmt::Write;

use crate::explain::doc::{chain, Block, Inline};
use crate::explain::expr::Expr;
use crate::explain::text::ONE_LINE;

/// Markdown for `doc`.
pub fn render(doc: &[Block]) -> String {
    let mut out = String::new();
    let mut equations: Vec<&[Expr]> = Vec::new();
    for block in doc {
        if let Block::Eq(parts) = block {
            equations.push(parts);
            continue;
        }
        flush(&mut out, &mut equations);
        match block {
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}\n");
            }
            Block::Heading(t) => {
                let _ = writeln!(out, "## {t}\n");
            }
            Block::Subheading(t) => {
                let _ = writeln!(out, "### {t}\n");
            }
            Block::Para(items) => {
                let _ = writeln!(out, "{}\n", inline(items));
            }
            Block::Table { header, rows } => {
                let cells: Vec<String> = header
                    .iter()
                    .map(|h| inline(std::slice::from_ref(h)))
                    .collect();
                let _ = writeln!(out, "| {} |", cells.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(cells.len()));
                for row in rows {
                    let _ = writeln!(out, "| {} |", row.join(" | "));
                }
                out.push('\n');
            }
            Block::Eq(_) => {}
        }
    }
    flush(&mut out, &mut equations);
    out.trim_end().to_string() + "\n"
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

/// Writes a run of equations as one aligned display block.
fn flush(out: &mut String, equations: &mut Vec<&[Expr]>) {
    if equations.is_empty() {
        return;
    }
    out.push_str("```math\n\\begin{aligned}\n");
    let count = equations.len();
    for (i, parts) in equations.drain(..).enumerate() {
        out.push_str(&aligned(parts));
        out.push_str(if i + 1 < count { " \\\\\n" } else { "\n" });
    }
    out.push_str("\\end{aligned}\n```\n\n");
}
