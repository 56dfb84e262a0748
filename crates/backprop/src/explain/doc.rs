//! The explanation as a document of blocks, which each output format renders its way.

use crate::explain::expr::Expr;

/// A run of text or a formula within a paragraph or table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Prose.
    Text(String),
    /// A formula.
    Math(Expr),
}

/// One block of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// A section heading.
    Heading(String),
    /// A subsection heading.
    Subheading(String),
    /// A paragraph.
    Para(Vec<Inline>),
    /// A chain of equal expressions: `lhs = e₁ = e₂ = …`; the last is the result.
    Eq(Vec<Expr>),
    /// A table of a header and rows.
    Table {
        /// Column headings.
        header: Vec<Inline>,
        /// Cells, row by row.
        rows: Vec<Vec<String>>,
    },
}

/// Shorthand for a prose inline.
pub fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

/// Shorthand for a formula inline.
pub fn math(e: Expr) -> Inline {
    Inline::Math(e)
}

/// An equation chain rendered by `render`: its left-hand side, and the steps after it
/// with repeats dropped (a formula whose substituted form reads the same, such as
/// `1 = 1`, is shown once).
pub fn chain(parts: &[Expr], render: fn(&Expr) -> String) -> (String, Vec<String>) {
    let mut steps: Vec<String> = Vec::new();
    for p in parts.iter().skip(1) {
        let s = render(p);
        if steps.last() != Some(&s) {
            steps.push(s);
        }
    }
    (parts.first().map(render).unwrap_or_default(), steps)
}
