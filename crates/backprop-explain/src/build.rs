//! Turns a recorded [`Explanation`] into a document. Every number shown is one the
//! engine recorded; a formula's middle line only substitutes them, and the products
//! of two recorded numbers shown as the terms of a sum add up to the engine's sum.

use crate::doc::{math, words, Block, Doc, Entry, Inline, Stage};
use crate::expr::{Expr, Op, Sym};
use crate::msg::{Arg, Msg};
use crate::naming::Names;
use crate::run::Explanation;
use crate::spec::Spec;
use crate::trace::Round;
use backprop::layer::Bias;
use backprop::loss::Loss;
use backprop::network::Order;

mod backward;
mod formula;
mod forward;
mod tables;
mod update;

/// Terms of a sum shown before it is abbreviated with "…".
const MAX_TERMS: usize = 8;

fn sym(s: Sym) -> Expr {
    Expr::Sym(s)
}

fn num(x: f64) -> Expr {
    Expr::Num(x)
}

fn d(a: Sym, b: Sym) -> Expr {
    Expr::Partial(a, b)
}

fn times(terms: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::join(terms, Op::Times)
}

/// `a + b + …`. A formula of many names is abbreviated in the middle; a sum of numbers
/// never is, so that every number it adds up is shown.
fn sum(terms: Vec<Expr>) -> Expr {
    if terms.len() <= MAX_TERMS || terms.iter().any(has_number) {
        return Expr::join(terms, Op::Plus);
    }
    let n = terms.len();
    let mut kept: Vec<Expr> = terms
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i < MAX_TERMS - 2 || *i == n - 1)
        .map(|(_, t)| t)
        .collect();
    kept.insert(MAX_TERMS - 2, Expr::Lit("…"));
    Expr::join(kept, Op::Plus)
}

/// Whether a number appears in `e`, or in a formula among its messages' arguments.
fn has_number(e: &Expr) -> bool {
    match e {
        Expr::Num(_) => true,
        Expr::Msg(m) => m.args.iter().any(|(_, a)| match a {
            Arg::Math(e) => has_number(e),
            _ => false,
        }),
        other => other.parts().into_iter().any(has_number),
    }
}

fn minus(a: Expr, b: Expr) -> Expr {
    Expr::Seq(vec![a, Expr::Op(Op::Minus), b])
}

/// Builds the document for `ex`, in no language until it is rendered.
pub fn document(ex: &Explanation) -> Vec<Block> {
    keyed_document(ex).blocks()
}

/// Builds the document for `ex` with each block's round and stage, and with every
/// equation keyed by the quantity it derives and the quantities it uses (see
/// [`keys`](crate::keys)). The blocks are those of [`document`].
pub fn keyed_document(ex: &Explanation) -> Doc<'static> {
    let mut doc = Doc::default();
    write(ex, &mut doc);
    doc
}

/// Hands the blocks of [`document`] to `sink` one by one, as they are written: a long
/// explanation is then rendered without being held whole.
pub fn stream_document(ex: &Explanation, sink: &mut dyn FnMut(Block)) {
    let mut blocks = |e: Entry| sink(e.block);
    write(ex, &mut Doc::streaming(&mut blocks));
}

fn write(ex: &Explanation, doc: &mut Doc<'_>) {
    let b = Builder {
        ex,
        names: Names::new(&ex.network),
        spec: &ex.network,
    };
    b.intro(doc);
    for round in &ex.rounds {
        b.round(round, doc);
    }
    doc.at(None, Stage::Summary);
    b.milestones(doc);
}

struct Builder<'a> {
    ex: &'a Explanation,
    names: Names,
    spec: &'a Spec,
}

impl Builder<'_> {
    fn batch(&self) -> usize {
        self.spec.samples.len()
    }

    fn outputs(&self) -> usize {
        self.spec.layers.last().map_or(0, |l| l.size)
    }

    fn intro(&self, doc: &mut Doc) {
        doc.push(Block::Title(Msg::new("title")));
        let mut layers = Vec::new();
        for (l, layer) in self.spec.layers.iter().enumerate() {
            if l > 0 {
                layers.push(Arg::from(" → "));
            }
            let neurons = Msg::new("layer_neurons")
                .with("size", layer.size)
                .with("activation", layer.activation.name());
            layers.push(neurons.into());
        }
        let network = Msg::new("network")
            .with("inputs", self.spec.inputs)
            .with("layers", Arg::Row(layers))
            .with("loss", self.spec.loss.name());
        doc.push(Block::Para(vec![
            words(network),
            math(self.loss_definition()),
            words(Msg::new("learning_rate")),
            math(Expr::Seq(vec![
                sym(self.names.eta()),
                Expr::Op(Op::Equals),
                num(self.spec.learning_rate),
            ])),
            words(self.bias_sentence()),
        ]));
        let batch = self.batch();
        if batch > 1 {
            doc.push(Block::Para(vec![words(
                Msg::new("batch").with("batch", batch),
            )]));
        }
        if let Some(optimizer) = self.optimizer_sentence() {
            doc.push(Block::Para(vec![words(optimizer)]));
        }
        doc.push(Block::Para(vec![words(self.order_sentence(self.ex.order))]));
        self.initial_values(doc);
    }

    fn bias_sentence(&self) -> Msg {
        let trained = self
            .spec
            .layers
            .iter()
            .map(|l| l.train_bias.unwrap_or(self.spec.train_bias))
            .collect::<Vec<_>>();
        Msg::new(if trained.iter().all(|&t| !t) {
            "biases_fixed"
        } else if trained.iter().all(|&t| t) {
            "biases_trained"
        } else {
            "biases_some"
        })
    }

    fn order_sentence(&self, order: Order) -> Msg {
        Msg::new(match order {
            Order::Textbook => "order_textbook",
            Order::Published => "order_published",
        })
    }

    fn loss_definition(&self) -> Expr {
        let (o, t) = (
            Sym::new("out", "\\mathit{out}"),
            Sym::new("target", "\\mathit{target}"),
        );
        let core = self.spec.loss.formula(sym(o), sym(t));
        let per_output = match self.spec.loss {
            Loss::Mse | Loss::BinaryCrossEntropy => vec![
                Expr::Frac(Box::new(Expr::Lit("1")), Box::new(Expr::Lit("K"))),
                Expr::Op(Op::Times),
            ],
            _ => vec![],
        };
        let per_sample = if self.batch() > 1 {
            vec![
                Expr::Frac(Box::new(Expr::Lit("1")), Box::new(Expr::Lit("B"))),
                Expr::Op(Op::Times),
                Expr::Lit("Σ_s "),
            ]
        } else {
            vec![]
        };
        let mut seq = vec![sym(self.names.total()), Expr::Op(Op::Equals)];
        seq.extend(per_sample);
        seq.extend(per_output);
        seq.push(Expr::Sum("k", Box::new(core)));
        Expr::Seq(seq)
    }

    /// The averaging factor of the loss as a prefix `1/n ×`, or nothing when n = 1.
    fn scale_prefix(&self, e: Expr) -> Expr {
        let n = self.spec.loss.averaged_over(self.batch(), self.outputs());
        if n == 1 {
            e
        } else {
            times([
                Expr::Frac(Box::new(Expr::Lit("1")), Box::new(num(n as f64))),
                e,
            ])
        }
    }

    fn initial_values(&self, doc: &mut Doc) {
        let n = &self.names;
        let mut items = vec![words(Msg::new("initial_values"))];
        let mut first = true;
        let mut push = |items: &mut Vec<Inline>, s: Sym, v: f64| {
            if !first {
                items.push(words(Msg::new("list_separator")));
            }
            first = false;
            items.push(math(Expr::Seq(vec![sym(s), Expr::Op(Op::Equals), num(v)])));
        };
        for (s, sample) in self.spec.samples.iter().enumerate() {
            for (k, &v) in sample.input.iter().enumerate() {
                push(&mut items, n.input(k, s), v);
            }
        }
        for (l, layer) in self.spec.layers.iter().enumerate() {
            for (j, row) in layer.weights.iter().flatten().enumerate() {
                for (k, &v) in row.iter().enumerate() {
                    push(&mut items, n.weight(l, j, k), v);
                }
            }
            match &layer.bias {
                Some(Bias::Shared(v)) => push(&mut items, n.bias(l, 0), *v),
                Some(Bias::PerNeuron(b)) => {
                    for (j, &v) in b.iter().enumerate() {
                        push(&mut items, n.bias(l, j), v);
                    }
                }
                None => {}
            }
        }
        for (s, sample) in self.spec.samples.iter().enumerate() {
            for (j, &v) in sample.target.iter().enumerate() {
                push(&mut items, n.target(j, s), v);
            }
        }
        items.push(words(Msg::new("full_stop")));
        doc.push(Block::Para(items));
    }

    fn layer_title(&self, l: usize) -> Msg {
        let last = self.names.layers() - 1;
        if self.names.is_tutorial() {
            return Msg::new(if l == 0 {
                "tutorial_hidden_layer"
            } else {
                "tutorial_output_layer"
            });
        }
        let id = if l == last {
            "output_layer"
        } else {
            "hidden_layer"
        };
        Msg::new(id).with("number", l + 1)
    }

    /// In the published order, says that layer `l` is updated at this point, before
    /// the error goes further down.
    fn published_update_heading(&self, l: usize, doc: &mut Doc) {
        let heading = Msg::new("updating_now").with("layer", self.layer_title(l));
        doc.push(Block::Subheading(heading));
        let why = if l > 0 {
            "updating_now_why"
        } else {
            "updated_last"
        };
        doc.push(Block::Para(vec![words(Msg::new(why))]));
    }

    fn round(&self, r: &Round, doc: &mut Doc) {
        let round = Some(r.round - 1);
        doc.at(round, Stage::Forward(0));
        doc.push(Block::Heading(Msg::new("round").with("number", r.round)));
        doc.push(Block::Subheading(Msg::new("forward_pass")));
        for (l, layer) in r.layers.iter().enumerate() {
            doc.at(round, Stage::Forward(l));
            doc.push(Block::Para(vec![words(self.layer_title(l))]));
            self.forward_layer(l, layer, doc);
        }
        doc.at(round, Stage::Loss);
        doc.push(Block::Subheading(Msg::new("total_error")));
        self.error(r, doc);
        let last = r.layers.len() - 1;
        doc.at(round, Stage::Backward(last));
        doc.push(Block::Subheading(Msg::new("backward_pass")));
        for l in (0..=last).rev() {
            doc.at(round, Stage::Backward(l));
            self.backward_layer(r, l, doc);
            if self.ex.order == Order::Published {
                doc.at(round, Stage::Update(l));
                self.published_update_heading(l, doc);
                self.updates(r.round, &r.layers[l], l, doc);
            }
        }
        if self.ex.order == Order::Textbook {
            doc.at(round, Stage::Update(last));
            doc.push(Block::Subheading(Msg::new("updating_weights")));
            for l in (0..=last).rev() {
                doc.at(round, Stage::Update(l));
                self.updates(r.round, &r.layers[l], l, doc);
            }
        }
    }
}
