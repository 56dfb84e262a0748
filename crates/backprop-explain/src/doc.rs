//! The explanation as a document of blocks, which each output format renders its way.
//! The document is in no language: its prose is messages of the catalogues with their
//! arguments, put in a language only when it is rendered.

use crate::expr::Expr;
use crate::msg::Msg;

/// A run of prose or a formula within a paragraph or table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    /// Prose.
    Msg(Msg),
    /// A formula.
    Math(Expr),
}

/// One block of the document.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// The document's title.
    Title(Msg),
    /// A section heading.
    Heading(Msg),
    /// A subsection heading.
    Subheading(Msg),
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
pub fn words(m: Msg) -> Inline {
    Inline::Msg(m)
}

/// Shorthand for a formula inline.
pub fn math(e: Expr) -> Inline {
    Inline::Math(e)
}

/// Where a block stands in the computation of a round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stage {
    /// Before the first round: the network and its starting values.
    #[default]
    Intro,
    /// The forward pass through layer `l` (0 = nearest the input).
    Forward(usize),
    /// The loss of the forward pass.
    Loss,
    /// The backward pass through layer `l`.
    Backward(usize),
    /// The update of layer `l`'s parameters.
    Update(usize),
    /// After the shown rounds: the tables of later rounds.
    Summary,
}

/// What an equation derives and which numbers it substitutes, each named by its place
/// in the JSON trace of a round, e.g. `layers.1.grad_weights.0.0` for ∂E/∂w5.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The quantity on the left-hand side.
    pub key: String,
    /// The quantities whose values the equation substitutes, in order.
    pub uses: Vec<String>,
}

/// A block with its place: the round (0-based) and stage it belongs to, and for an
/// equation, what it derives.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The block.
    pub block: Block,
    /// The round, 0-based, or `None` outside the rounds.
    pub round: Option<usize>,
    /// The stage of the round.
    pub stage: Stage,
    /// For an equation: the quantity it derives, with keys relative to its round.
    pub source: Option<Source>,
}

/// A document being written: its blocks in order, each with its place. Kept whole, or
/// handed block by block to a sink as it is written, so that a long explanation can be
/// rendered in memory that does not grow with it.
#[derive(Default)]
pub struct Doc<'s> {
    /// The blocks so far (none when they go to a sink).
    pub entries: Vec<Entry>,
    round: Option<usize>,
    stage: Stage,
    sink: Option<&'s mut dyn FnMut(Entry)>,
}

impl<'s> Doc<'s> {
    /// A document whose blocks go to `sink` as they are written.
    pub fn streaming(sink: &'s mut dyn FnMut(Entry)) -> Doc<'s> {
        Doc {
            entries: Vec::new(),
            round: None,
            stage: Stage::Intro,
            sink: Some(sink),
        }
    }

    /// Blocks pushed from now on belong to `round` (0-based) and `stage`.
    pub fn at(&mut self, round: Option<usize>, stage: Stage) {
        self.round = round;
        self.stage = stage;
    }

    fn add(&mut self, block: Block, source: Option<Source>) {
        let entry = Entry {
            block,
            round: self.round,
            stage: self.stage,
            source,
        };
        match &mut self.sink {
            Some(sink) => sink(entry),
            None => self.entries.push(entry),
        }
    }

    /// Appends a block that derives nothing.
    pub fn push(&mut self, block: Block) {
        self.add(block, None);
    }

    /// Appends the equation `parts` deriving `key` from the quantities in `uses`.
    pub fn eq(&mut self, key: String, uses: Vec<String>, parts: Vec<Expr>) {
        self.add(Block::Eq(parts), Some(Source { key, uses }));
    }

    /// The blocks alone.
    pub fn blocks(self) -> Vec<Block> {
        self.entries.into_iter().map(|e| e.block).collect()
    }
}

impl std::fmt::Debug for Doc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Doc")
            .field("entries", &self.entries)
            .field("streaming", &self.sink.is_some())
            .finish()
    }
}

/// An equation chain rendered by `render`: its left-hand side, and the steps after it
/// with repeats dropped (a formula whose substituted form reads the same, such as
/// `1 = 1`, is shown once).
pub fn chain<T: PartialEq + Default>(parts: &[Expr], render: &dyn Fn(&Expr) -> T) -> (T, Vec<T>) {
    let mut steps: Vec<T> = Vec::new();
    for p in parts.iter().skip(1) {
        let s = render(p);
        if steps.last() != Some(&s) {
            steps.push(s);
        }
    }
    (parts.first().map(render).unwrap_or_default(), steps)
}
