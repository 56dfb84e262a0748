//! Turns a recorded [`Explanation`] into a document. Every number shown is one the
//! engine recorded; a formula's middle line only substitutes them, and the products
//! of two recorded numbers shown as the terms of a sum add up to the engine's sum.

use crate::doc::{math, text, Block, Doc, Entry, Inline, Stage};
use crate::expr::{Expr, Op, Sym};
use crate::lang::{tr, Lang};
use crate::naming::Names;
use crate::run::Explanation;
use crate::spec::Spec;
use crate::trace::Round;
use backprop::layer::Bias;
use backprop::loss::Loss;
use backprop::network::Order;

mod backward;
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

/// Whether a number appears in `e`.
fn has_number(e: &Expr) -> bool {
    match e {
        Expr::Num(_) => true,
        Expr::Seq(items) => items.iter().any(has_number),
        Expr::Neg(a)
        | Expr::Paren(a)
        | Expr::Square(a)
        | Expr::Exp(a)
        | Expr::Call(_, a)
        | Expr::Sum(_, a) => has_number(a),
        Expr::Frac(a, b) | Expr::Noted(a, b) => has_number(a) || has_number(b),
        Expr::Sym(_)
        | Expr::Lit(_)
        | Expr::Word(_)
        | Expr::Op(_)
        | Expr::Partial(..)
        | Expr::Half => false,
    }
}

fn minus(a: Expr, b: Expr) -> Expr {
    Expr::Seq(vec![a, Expr::Op(Op::Minus), b])
}

/// Builds the document for `ex` in `lang`.
pub fn document(ex: &Explanation, lang: Lang) -> Vec<Block> {
    keyed_document(ex, lang).blocks()
}

/// Builds the document for `ex` in `lang` with each block's round and stage, and with
/// every equation keyed by the quantity it derives and the quantities it uses (see
/// [`keys`](crate::keys)). The blocks are those of [`document`].
pub fn keyed_document(ex: &Explanation, lang: Lang) -> Doc<'static> {
    let mut doc = Doc::default();
    write(ex, lang, &mut doc);
    doc
}

/// Hands the blocks of [`document`] to `sink` one by one, as they are written: a long
/// explanation is then rendered without being held whole.
pub fn stream_document(ex: &Explanation, lang: Lang, sink: &mut dyn FnMut(Block)) {
    let mut blocks = |e: Entry| sink(e.block);
    write(ex, lang, &mut Doc::streaming(&mut blocks));
}

fn write(ex: &Explanation, lang: Lang, doc: &mut Doc<'_>) {
    let b = Builder {
        ex,
        lang,
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
    lang: Lang,
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
        let lang = self.lang;
        doc.push(Block::Title(tr!(
            lang,
            "Backpropagation, step by step",
            "反向传播，一步一步算"
        )));
        let inputs = self.spec.inputs;
        let layers: Vec<String> = self
            .spec
            .layers
            .iter()
            .map(|l| {
                let (size, activation) = (l.size, l.activation.name());
                tr!(lang, "{size} {activation}", "{size} 个 {activation} 神经元")
            })
            .collect();
        let layers = layers.join(" → ");
        let loss = self.spec.loss.name();
        doc.push(Block::Para(vec![
            text(tr!(
                lang,
                "The network: {inputs} inputs → {layers}. Loss: {loss}, ",
                "网络结构：{inputs} 个输入 → {layers}。损失函数：{loss}，"
            )),
            math(self.loss_definition()),
            text(tr!(lang, ". Learning rate ", "。学习率 ")),
            math(Expr::Seq(vec![
                sym(self.names.eta()),
                Expr::Op(Op::Equals),
                num(self.spec.learning_rate),
            ])),
            text(self.bias_sentence()),
        ]));
        let batch = self.batch();
        if batch > 1 {
            doc.push(Block::Para(vec![text(tr!(
                lang,
                "Each round uses all {batch} samples as one batch: every gradient is the average over the samples, and [s] marks the sample a value belongs to.",
                "每一轮把全部 {batch} 个样本作为一个批次：梯度是各样本的平均，记号 [s] 表示第 s 个样本的值。"
            ))]));
        }
        doc.push(Block::Para(vec![text(self.order_sentence(self.ex.order))]));
        self.initial_values(doc);
    }

    fn bias_sentence(&self) -> String {
        let lang = self.lang;
        let trained = self
            .spec
            .layers
            .iter()
            .map(|l| l.train_bias.unwrap_or(self.spec.train_bias))
            .collect::<Vec<_>>();
        if trained.iter().all(|&t| !t) {
            tr!(
                lang,
                ". The biases stay fixed, as in the tutorial (train_bias = false).",
                "。偏置保持不变，与原教程一致（train_bias = false）。"
            )
        } else if trained.iter().all(|&t| t) {
            tr!(lang, ". The biases are trained too.", "。偏置也参与训练。")
        } else {
            tr!(
                lang,
                ". Only some layers train their bias.",
                "。只有部分层训练偏置。"
            )
        }
    }

    fn order_sentence(&self, order: Order) -> String {
        let lang = self.lang;
        match order {
            Order::Textbook => tr!(
                lang,
                "Update order: textbook. All gradients come from one forward pass and one backward pass, and only then do the weights change; the error sent down to a hidden layer therefore uses the original weights above it.",
                "更新顺序：textbook（教科书顺序）。先用同一次前向传播和反向传播算出全部梯度，再统一更新权重；因此传回隐含层的误差用的是后一层原来的权重。"
            ),
            Order::Published => tr!(
                lang,
                "Update order: published. Each layer is updated as soon as its gradients are known, from the output backwards, so the error sent down to a hidden layer goes through the already-updated weights above it. This is the order that reproduces the figures the tutorial publishes after its first round.",
                "更新顺序：published（原文数字的顺序）。从输出层往回，每层一算出梯度就立即更新，因此传回隐含层的误差经过的是后一层已经更新过的权重。原教程第一轮之后公布的数字正是按这种顺序算出来的。"
            ),
        }
    }

    fn loss_definition(&self) -> Expr {
        let (o, t) = (
            Sym::new("out", "\\mathit{out}"),
            Sym::new("target", "\\mathit{target}"),
        );
        let core = self.loss_term(&self.spec.loss, sym(o), sym(t));
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

    /// One output's loss before averaging: ½(t − o)², (t − o)², −t·ln o, or the BCE term.
    fn loss_term(&self, loss: &Loss, o: Expr, t: Expr) -> Expr {
        match loss {
            Loss::HalfSse => times([Expr::Half, Expr::Square(Box::new(minus(t, o)))]),
            Loss::Mse => Expr::Square(Box::new(minus(t, o))),
            Loss::CrossEntropy => Expr::Neg(Box::new(times([t, Expr::Call("ln", Box::new(o))]))),
            Loss::BinaryCrossEntropy => Expr::Neg(Box::new(Expr::Paren(Box::new(Expr::join(
                [
                    times([t.clone(), Expr::Call("ln", Box::new(o.clone()))]),
                    times([
                        Expr::Paren(Box::new(minus(Expr::Lit("1"), t))),
                        Expr::Call("ln", Box::new(minus(Expr::Lit("1"), o))),
                    ]),
                ],
                Op::Plus,
            ))))),
        }
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
        let lang = self.lang;
        let n = &self.names;
        let mut items = vec![text(tr!(lang, "Initial values: ", "初始值："))];
        let mut first = true;
        let separator = tr!(lang, ", ", "，");
        let mut push = |items: &mut Vec<Inline>, s: Sym, v: f64| {
            if !first {
                items.push(text(separator.clone()));
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
        items.push(text(tr!(lang, ".", "。")));
        doc.push(Block::Para(items));
    }

    fn layer_title(&self, l: usize) -> String {
        let lang = self.lang;
        let last = self.names.layers() - 1;
        if self.names.is_tutorial() {
            return if l == 0 {
                tr!(lang, "Input layer → hidden layer", "输入层 → 隐含层")
            } else {
                tr!(lang, "Hidden layer → output layer", "隐含层 → 输出层")
            };
        }
        let number = l + 1;
        if l == last {
            tr!(lang, "Layer {number} (output)", "第 {number} 层（输出层）")
        } else {
            tr!(lang, "Layer {number} (hidden)", "第 {number} 层（隐含层）")
        }
    }

    /// In the published order, says that layer `l` is updated at this point, before
    /// the error goes further down.
    fn published_update_heading(&self, l: usize, doc: &mut Doc) {
        let lang = self.lang;
        let title = self.layer_title(l);
        doc.push(Block::Subheading(tr!(
            lang,
            "Updating now: {title}",
            "立即更新：{title}"
        )));
        doc.push(Block::Para(vec![text(if l > 0 {
            tr!(
                lang,
                "In the published order this layer is updated now, before the layers below are back-propagated: the error sent down to them goes through the updated weights (w⁺).",
                "按 published 顺序，这一层现在就更新，然后才往下反向传播：传回下面各层的误差经过的是更新后的权重（w⁺）。"
            )
        } else {
            tr!(
                lang,
                "The last layer of the round to be updated.",
                "这是本轮最后更新的一层。"
            )
        })]));
    }

    fn round(&self, r: &Round, doc: &mut Doc) {
        let lang = self.lang;
        let number = r.round;
        let round = Some(number - 1);
        doc.at(round, Stage::Forward(0));
        doc.push(Block::Heading(tr!(
            lang,
            "Round {number}",
            "第 {number} 轮"
        )));
        doc.push(Block::Subheading(tr!(lang, "Forward pass", "前向传播")));
        for (l, layer) in r.layers.iter().enumerate() {
            doc.at(round, Stage::Forward(l));
            doc.push(Block::Para(vec![text(self.layer_title(l))]));
            self.forward_layer(l, layer, doc);
        }
        doc.at(round, Stage::Loss);
        doc.push(Block::Subheading(tr!(lang, "Total error", "计算总误差")));
        self.error(r, doc);
        let last = r.layers.len() - 1;
        doc.at(round, Stage::Backward(last));
        doc.push(Block::Subheading(tr!(lang, "Backward pass", "反向传播")));
        for l in (0..=last).rev() {
            doc.at(round, Stage::Backward(l));
            self.backward_layer(r, l, doc);
            if self.ex.order == Order::Published {
                doc.at(round, Stage::Update(l));
                self.published_update_heading(l, doc);
                self.updates(&r.layers[l], l, doc);
            }
        }
        if self.ex.order == Order::Textbook {
            doc.at(round, Stage::Update(last));
            doc.push(Block::Subheading(tr!(
                lang,
                "Updating the weights",
                "更新权重"
            )));
            for l in (0..=last).rev() {
                doc.at(round, Stage::Update(l));
                self.updates(&r.layers[l], l, doc);
            }
        }
    }
}
