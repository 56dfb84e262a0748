//! Turns a recorded [`Explanation`] into a document. Every number shown is one the
//! engine recorded; a formula's middle line only substitutes them, and the products
//! of two recorded numbers shown as the terms of a sum add up to the engine's sum.

use crate::activation::{Activation, LEAKY_SLOPE};
use crate::explain::doc::{math, text, Block, Doc, Inline, Stage};
use crate::explain::expr::{format_loss, format_number, Expr, Op, Sym};
use crate::explain::keys;
use crate::explain::lang::{tr, Lang};
use crate::explain::naming::Names;
use crate::explain::run::{Explanation, Milestone};
use crate::explain::trace::{LayerRound, Round};
use crate::layer::Bias;
use crate::loss::Loss;
use crate::network::Order;
use crate::observe::DeltaRule;
use crate::spec::Spec;

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

/// `a + b + …`, abbreviated in the middle when there are many terms.
fn sum(terms: Vec<Expr>) -> Expr {
    if terms.len() <= MAX_TERMS {
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

fn minus(a: Expr, b: Expr) -> Expr {
    Expr::Seq(vec![a, Expr::Op(Op::Minus), b])
}

/// Builds the document for `ex` in `lang`.
pub fn document(ex: &Explanation, lang: Lang) -> Vec<Block> {
    keyed_document(ex, lang).blocks()
}

/// Builds the document for `ex` in `lang` with each block's round and stage, and with
/// every equation keyed by the quantity it derives and the quantities it uses (see
/// [`keys`]). The blocks are those of [`document`].
pub fn keyed_document(ex: &Explanation, lang: Lang) -> Doc {
    let b = Builder {
        ex,
        lang,
        names: Names::new(&ex.network),
        spec: &ex.network,
    };
    let mut doc = Doc::default();
    b.intro(&mut doc);
    for round in &ex.rounds {
        b.round(round, &mut doc);
    }
    doc.at(None, Stage::Summary);
    b.milestones(&mut doc);
    doc
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
                "更新顺序：textbook（教科书顺序）。先用同一次前向传播和反向传播算出全部梯度，再统一更新权重；因此传回隐含层的误差用的是上一层原来的权重。"
            ),
            Order::Published => tr!(
                lang,
                "Update order: published. Each layer is updated as soon as its gradients are known, from the output backwards, so the error sent down to a hidden layer goes through the already-updated weights above it. This is the order that reproduces the figures the tutorial publishes after its first round.",
                "更新顺序：published（原文数字的顺序）。从输出层往回，每层一算出梯度就立即更新，因此传回隐含层的误差经过的是上一层已经更新过的权重。原教程第一轮之后公布的数字正是按这种顺序算出来的。"
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
        let n = match self.spec.loss {
            Loss::HalfSse | Loss::CrossEntropy => self.batch(),
            Loss::Mse | Loss::BinaryCrossEntropy => self.batch() * self.outputs(),
        };
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

    fn forward_layer(&self, l: usize, layer: &LayerRound, doc: &mut Doc) {
        let n = &self.names;
        let bias = self.spec.layers[l]
            .bias
            .clone()
            .unwrap_or(Bias::PerNeuron(vec![
                0.0;
                layer.net.first().map_or(0, Vec::len)
            ]));
        for (s, (net, out)) in layer.net.iter().zip(&layer.out).enumerate() {
            for j in 0..net.len() {
                let fan_in = layer.input[s].len();
                let mut symbolic: Vec<Expr> = (0..fan_in)
                    .map(|k| times([sym(n.weight(l, j, k)), sym(n.layer_input(l, k, s))]))
                    .collect();
                let mut numbers: Vec<Expr> = (0..fan_in)
                    .map(|k| times([num(layer.weights_before[j][k]), num(layer.input[s][k])]))
                    .collect();
                symbolic.push(sym(n.bias(l, j)));
                numbers.push(num(bias.get(j)));
                let mut uses: Vec<String> = (0..fan_in)
                    .flat_map(|k| {
                        [
                            keys::weight("weights_before", l, j, k),
                            keys::layer_input(l, s, k),
                        ]
                    })
                    .collect();
                uses.push(keys::bias("bias_before", l, j, keys::is_shared(&bias)));
                doc.eq(
                    keys::neuron("net", l, s, j),
                    uses,
                    vec![
                        sym(n.net(l, j, s)),
                        sum(symbolic),
                        sum(numbers),
                        num(net[j]),
                    ],
                );
                let activation = self.spec.layers[l].activation;
                let (f, f_num) = self.activation_formula(activation, l, j, s, net);
                let uses = if activation == Activation::Softmax {
                    (0..net.len())
                        .map(|k| keys::neuron("net", l, s, k))
                        .collect()
                } else {
                    vec![keys::neuron("net", l, s, j)]
                };
                doc.eq(
                    keys::neuron("out", l, s, j),
                    uses,
                    vec![sym(n.out(l, j, s)), f, f_num, num(out[j])],
                );
            }
        }
    }

    /// out = f(net), symbolically and with the numbers substituted.
    fn activation_formula(
        &self,
        a: Activation,
        l: usize,
        j: usize,
        s: usize,
        net: &[f64],
    ) -> (Expr, Expr) {
        let n = &self.names;
        let x = sym(n.net(l, j, s));
        let v = num(net[j]);
        let one = || Expr::Lit("1");
        let slope = || Expr::Lit("0.01");
        match a {
            Activation::Sigmoid => {
                let f = |x: Expr| {
                    Expr::Frac(
                        Box::new(one()),
                        Box::new(Expr::join(
                            [one(), Expr::Exp(Box::new(Expr::Neg(Box::new(x))))],
                            Op::Plus,
                        )),
                    )
                };
                (f(x), f(v))
            }
            Activation::Tanh => (
                Expr::Call("tanh", Box::new(x)),
                Expr::Call("tanh", Box::new(v)),
            ),
            Activation::Relu => (
                Expr::Call("max", Box::new(Expr::join([Expr::Lit("0"), x], Op::Comma))),
                Expr::Call("max", Box::new(Expr::join([Expr::Lit("0"), v], Op::Comma))),
            ),
            Activation::LeakyRelu => (
                Expr::Call(
                    "max",
                    Box::new(Expr::join([times([slope(), x.clone()]), x], Op::Comma)),
                ),
                Expr::Call(
                    "max",
                    Box::new(Expr::join([times([slope(), v.clone()]), v], Op::Comma)),
                ),
            ),
            Activation::Identity => (x, v),
            Activation::Softmax => {
                let all = |f: &dyn Fn(usize) -> Expr| {
                    sum((0..net.len()).map(|k| Expr::Exp(Box::new(f(k)))).collect())
                };
                (
                    Expr::Frac(
                        Box::new(Expr::Exp(Box::new(x))),
                        Box::new(all(&|k| sym(n.net(l, k, s)))),
                    ),
                    Expr::Frac(
                        Box::new(Expr::Exp(Box::new(v))),
                        Box::new(all(&|k| num(net[k]))),
                    ),
                )
            }
        }
    }

    fn error(&self, r: &Round, doc: &mut Doc) {
        let n = &self.names;
        let last = r.layers.len() - 1;
        let out = &r.layers[last].out;
        let mut names = Vec::new();
        let mut values = Vec::new();
        let mut terms = Vec::new();
        for (s, row) in r.loss_terms.iter().enumerate() {
            for (j, &e) in row.iter().enumerate() {
                let f = self.scale_prefix(self.loss_term(
                    &self.spec.loss,
                    sym(n.out(last, j, s)),
                    sym(n.target(j, s)),
                ));
                let f_num = self.scale_prefix(self.loss_term(
                    &self.spec.loss,
                    num(out[s][j]),
                    num(r.targets[s][j]),
                ));
                doc.eq(
                    keys::loss_term(s, j),
                    vec![keys::neuron("out", last, s, j), keys::target(s, j)],
                    vec![sym(n.error(j, s)), f, f_num, num(e)],
                );
                names.push(sym(n.error(j, s)));
                values.push(num(e));
                terms.push(keys::loss_term(s, j));
            }
        }
        let mut eq = vec![sym(n.total()), sum(names)];
        if values.len() > 1 {
            eq.push(sum(values));
        }
        eq.push(num(r.loss));
        doc.eq(keys::loss(), terms, eq);
    }

    fn backward_layer(&self, r: &Round, l: usize, doc: &mut Doc) {
        let lang = self.lang;
        let n = &self.names;
        let layer = &r.layers[l];
        let output = n.is_output(l);
        let title = self.layer_title(l);
        let rule = layer.rule;
        doc.push(Block::Para(vec![text(if output && rule == DeltaRule::SoftmaxCrossEntropy {
            tr!(
                lang,
                "{title}: softmax and cross-entropy together have the simple derivative δ = out − target, so δ needs no ∂E/∂out factor; each weight's gradient is δ × its input.",
                "{title}：softmax 与交叉熵合在一起，导数化简为 δ = out − target，不必再乘 ∂E/∂out；每个权重的梯度就是 δ 乘以它的输入。"
            )
        } else if output && rule == DeltaRule::SoftmaxJacobian {
            tr!(
                lang,
                "{title}: every softmax output depends on every net, so δ goes through the softmax Jacobian instead of one factor per neuron; each weight's gradient is δ × its input.",
                "{title}：softmax 的每个输出都依赖于该层所有的 net，所以 δ 要经过 softmax 的雅可比矩阵，而不是每个神经元各乘一个因子；每个权重的梯度就是 δ 乘以它的输入。"
            )
        } else if output {
            tr!(
                lang,
                "{title}: each weight's gradient is a product of three chain-rule factors, ∂E/∂out × ∂out/∂net × ∂net/∂w.",
                "{title}：每个权重的梯度都是链式法则中三个因子的乘积：∂E/∂out × ∂out/∂net × ∂net/∂w。"
            )
        } else {
            tr!(
                lang,
                "{title}: a hidden neuron's out feeds every neuron above it, so ∂E/∂out sums the error coming back from each of them.",
                "{title}：隐含层神经元的输出会传给上一层的每个神经元，所以 ∂E/∂out 要把它们各自传回的误差加起来。"
            )
        })]));
        let total = n.total();
        for s in 0..layer.out.len() {
            for j in 0..layer.out[s].len() {
                let (o, x) = (n.out(l, j, s), n.net(l, j, s));
                if output {
                    if layer.rule != DeltaRule::SoftmaxCrossEntropy {
                        let f = self.scale_prefix(self.d_loss(sym(o.clone()), sym(n.target(j, s))));
                        let f_num = self
                            .scale_prefix(self.d_loss(num(layer.out[s][j]), num(r.targets[s][j])));
                        doc.eq(
                            keys::neuron("d_out", l, s, j),
                            vec![keys::neuron("out", l, s, j), keys::target(s, j)],
                            vec![
                                d(total.clone(), o.clone()),
                                f,
                                f_num,
                                num(layer.d_out[s][j]),
                            ],
                        );
                    }
                } else {
                    self.hidden_d_out(r, l, j, s, doc);
                }
                if let Some(d_act) = &layer.d_act {
                    let activation = self.spec.layers[l].activation;
                    let (f, f_num) = self.derivative_formula(activation, l, layer, j, s);
                    let from = match activation {
                        Activation::Sigmoid | Activation::Tanh => {
                            vec![keys::neuron("out", l, s, j)]
                        }
                        Activation::Relu | Activation::LeakyRelu => {
                            vec![keys::neuron("net", l, s, j)]
                        }
                        Activation::Identity | Activation::Softmax => Vec::new(),
                    };
                    doc.eq(
                        keys::neuron("d_act", l, s, j),
                        from,
                        vec![d(o.clone(), x.clone()), f, f_num, num(d_act[s][j])],
                    );
                }
                let delta = sym(n.delta(l, j, s));
                let value = num(layer.d_net[s][j]);
                let key = keys::neuron("d_net", l, s, j);
                match (layer.rule, &layer.d_act) {
                    (DeltaRule::Chain, Some(d_act)) => doc.eq(
                        key,
                        vec![
                            keys::neuron("d_out", l, s, j),
                            keys::neuron("d_act", l, s, j),
                        ],
                        vec![
                            delta,
                            times([d(total.clone(), o.clone()), d(o.clone(), x.clone())]),
                            times([num(layer.d_out[s][j]), num(d_act[s][j])]),
                            value,
                        ],
                    ),
                    (DeltaRule::SoftmaxCrossEntropy, _) => doc.eq(
                        key,
                        vec![keys::neuron("out", l, s, j), keys::target(s, j)],
                        vec![
                            delta,
                            self.scale_prefix(minus(sym(o.clone()), sym(n.target(j, s)))),
                            self.scale_prefix(minus(num(layer.out[s][j]), num(r.targets[s][j]))),
                            value,
                        ],
                    ),
                    _ => {
                        let dot = Expr::Sum(
                            "k",
                            Box::new(times([Expr::Lit("out_k"), Expr::Lit("∂E/∂out_k")])),
                        );
                        let width = layer.out[s].len();
                        let uses = (0..width)
                            .flat_map(|k| {
                                [keys::neuron("out", l, s, k), keys::neuron("d_out", l, s, k)]
                            })
                            .collect();
                        doc.eq(
                            key,
                            uses,
                            vec![
                                delta,
                                times([
                                    sym(o.clone()),
                                    Expr::Paren(Box::new(minus(d(total.clone(), o.clone()), dot))),
                                ]),
                                value,
                            ],
                        )
                    }
                }
            }
        }
        self.weight_gradients(l, layer, doc);
    }

    /// ∂E/∂out of a hidden neuron: the sum over the neurons above of δ × w.
    fn hidden_d_out(&self, r: &Round, l: usize, k: usize, s: usize, doc: &mut Doc) {
        let n = &self.names;
        let above = &r.layers[l + 1];
        // The weights the engine sent the error through: original in textbook order,
        // updated in published order.
        let (weights, updated) = match self.ex.order {
            Order::Textbook => (&above.weights_before, false),
            Order::Published => (&above.weights_after, true),
        };
        let w_sym = |j: usize| {
            let w = n.weight(l + 1, j, k);
            if updated {
                w.updated()
            } else {
                w
            }
        };
        let w_key = |j: usize| {
            let field = if updated {
                "weights_after"
            } else {
                "weights_before"
            };
            keys::weight(field, l + 1, j, k)
        };
        let key = keys::neuron("d_out", l, s, k);
        let o = n.out(l, k, s);
        let count = above.d_net[s].len();
        if n.is_tutorial() {
            for (j, (&delta, w)) in above.d_net[s].iter().zip(weights).enumerate() {
                doc.eq(
                    keys::d_out_part(l, s, k, j),
                    vec![keys::neuron("d_net", l + 1, s, j), w_key(j)],
                    vec![
                        d(n.error(j, s), o.clone()),
                        times([sym(n.delta(l + 1, j, s)), sym(w_sym(j))]),
                        times([num(delta), num(w[k])]),
                        num(delta * w[k]),
                    ],
                );
            }
            let parts = (0..count).map(|j| d(n.error(j, s), o.clone())).collect();
            let values = (0..count)
                .map(|j| num(above.d_net[s][j] * weights[j][k]))
                .collect();
            doc.eq(
                key,
                (0..count).map(|j| keys::d_out_part(l, s, k, j)).collect(),
                vec![
                    d(n.total(), o),
                    sum(parts),
                    sum(values),
                    num(r.layers[l].d_out[s][k]),
                ],
            );
        } else {
            let parts = (0..count)
                .map(|j| times([sym(n.delta(l + 1, j, s)), sym(w_sym(j))]))
                .collect();
            let values = (0..count)
                .map(|j| times([num(above.d_net[s][j]), num(weights[j][k])]))
                .collect();
            let uses = (0..count)
                .flat_map(|j| [keys::neuron("d_net", l + 1, s, j), w_key(j)])
                .collect();
            doc.eq(
                key,
                uses,
                vec![
                    d(n.total(), o),
                    sum(parts),
                    sum(values),
                    num(r.layers[l].d_out[s][k]),
                ],
            );
        }
    }

    /// ∂E/∂out of an output neuron, before averaging.
    fn d_loss(&self, o: Expr, t: Expr) -> Expr {
        match self.spec.loss {
            Loss::HalfSse => minus(o, t),
            Loss::Mse => times([Expr::Lit("2"), Expr::Paren(Box::new(minus(o, t)))]),
            Loss::CrossEntropy => Expr::Neg(Box::new(Expr::Frac(Box::new(t), Box::new(o)))),
            Loss::BinaryCrossEntropy => Expr::Frac(
                Box::new(minus(o.clone(), t)),
                Box::new(times([
                    o.clone(),
                    Expr::Paren(Box::new(minus(Expr::Lit("1"), o))),
                ])),
            ),
        }
    }

    /// ∂out/∂net for an element-wise activation, symbolically and substituted.
    fn derivative_formula(
        &self,
        a: Activation,
        l: usize,
        layer: &LayerRound,
        j: usize,
        s: usize,
    ) -> (Expr, Expr) {
        let lang = self.lang;
        let n = &self.names;
        let (o, ov) = (sym(n.out(l, j, s)), num(layer.out[s][j]));
        let net = format_number(layer.net[s][j]);
        let slope = format_number(LEAKY_SLOPE);
        match a {
            Activation::Sigmoid => (
                times([o.clone(), Expr::Paren(Box::new(minus(Expr::Lit("1"), o)))]),
                times([ov.clone(), Expr::Paren(Box::new(minus(Expr::Lit("1"), ov)))]),
            ),
            Activation::Tanh => (
                minus(Expr::Lit("1"), Expr::Square(Box::new(o))),
                minus(Expr::Lit("1"), Expr::Square(Box::new(ov))),
            ),
            Activation::Relu => (
                Expr::Word(tr!(
                    lang,
                    "1 if net > 0, else 0",
                    "net > 0 时为 1，否则为 0"
                )),
                Expr::Word(tr!(lang, "net = {net} here", "此处 net = {net}")),
            ),
            Activation::LeakyRelu => (
                Expr::Word(tr!(
                    lang,
                    "1 if net > 0, else {slope}",
                    "net > 0 时为 1，否则为 {slope}"
                )),
                Expr::Word(tr!(lang, "net = {net} here", "此处 net = {net}")),
            ),
            Activation::Identity | Activation::Softmax => (Expr::Lit("1"), Expr::Lit("1")),
        }
    }

    fn weight_gradients(&self, l: usize, layer: &LayerRound, doc: &mut Doc) {
        let n = &self.names;
        let total = n.total();
        let single_chain = layer.out.len() == 1 && layer.rule == DeltaRule::Chain;
        for (j, row) in layer.grad_weights.iter().enumerate() {
            for (k, &g) in row.iter().enumerate() {
                let w = n.weight(l, j, k);
                if single_chain {
                    let d_act = layer.d_act.as_ref().map_or(0.0, |a| a[0][j]);
                    let (o, x, input) = (n.out(l, j, 0), n.net(l, j, 0), n.layer_input(l, k, 0));
                    let dnet_dw = keys::weight("dnet_dw", l, j, k);
                    doc.eq(
                        dnet_dw.clone(),
                        vec![keys::layer_input(l, 0, k)],
                        vec![d(x.clone(), w.clone()), sym(input), num(layer.input[0][k])],
                    );
                    doc.eq(
                        keys::weight("grad_weights", l, j, k),
                        vec![
                            keys::neuron("d_out", l, 0, j),
                            keys::neuron("d_act", l, 0, j),
                            dnet_dw,
                        ],
                        vec![
                            d(total.clone(), w),
                            times([
                                d(total.clone(), o.clone()),
                                d(o, x.clone()),
                                d(x, n.weight(l, j, k)),
                            ]),
                            times([num(layer.d_out[0][j]), num(d_act), num(layer.input[0][k])]),
                            num(g),
                        ],
                    );
                } else {
                    let samples = 0..layer.out.len();
                    let uses = samples
                        .clone()
                        .flat_map(|s| [keys::neuron("d_net", l, s, j), keys::layer_input(l, s, k)])
                        .collect();
                    doc.eq(
                        keys::weight("grad_weights", l, j, k),
                        uses,
                        vec![
                            d(total.clone(), w),
                            sum(samples
                                .clone()
                                .map(|s| {
                                    times([sym(n.delta(l, j, s)), sym(n.layer_input(l, k, s))])
                                })
                                .collect()),
                            sum(samples
                                .map(|s| times([num(layer.d_net[s][j]), num(layer.input[s][k])]))
                                .collect()),
                            num(g),
                        ],
                    );
                }
            }
        }
        self.bias_gradient(l, layer, doc);
    }

    fn bias_gradient(&self, l: usize, layer: &LayerRound, doc: &mut Doc) {
        let n = &self.names;
        let total = n.total();
        let cells = |j: usize| (0..layer.d_net.len()).map(move |s| (s, j));
        match &layer.grad_bias {
            Bias::Shared(g) => {
                let all: Vec<(usize, usize)> = (0..layer.d_net[0].len()).flat_map(cells).collect();
                doc.eq(
                    keys::bias("grad_bias", l, 0, true),
                    all.iter()
                        .map(|&(s, j)| keys::neuron("d_net", l, s, j))
                        .collect(),
                    vec![
                        d(total, n.bias(l, 0)),
                        sum(all.iter().map(|&(s, j)| sym(n.delta(l, j, s))).collect()),
                        sum(all.iter().map(|&(s, j)| num(layer.d_net[s][j])).collect()),
                        num(*g),
                    ],
                );
            }
            Bias::PerNeuron(g) => {
                for (j, &gj) in g.iter().enumerate() {
                    let mut eq = vec![
                        d(total.clone(), n.bias(l, j)),
                        sum(cells(j).map(|(s, j)| sym(n.delta(l, j, s))).collect()),
                    ];
                    if layer.d_net.len() > 1 {
                        eq.push(sum(cells(j).map(|(s, j)| num(layer.d_net[s][j])).collect()));
                    }
                    eq.push(num(gj));
                    doc.eq(
                        keys::bias("grad_bias", l, j, false),
                        cells(j)
                            .map(|(s, j)| keys::neuron("d_net", l, s, j))
                            .collect(),
                        eq,
                    );
                }
            }
        }
    }

    fn updates(&self, layer: &LayerRound, l: usize, doc: &mut Doc) {
        let lang = self.lang;
        let n = &self.names;
        let eta = self.spec.learning_rate;
        // `field(name)` is the key of the parameter's `name` value.
        let update = |doc: &mut Doc,
                      p: Sym,
                      field: &dyn Fn(&str) -> String,
                      before: f64,
                      grad: f64,
                      after: f64| {
            doc.eq(
                field("after"),
                vec![field("before"), keys::learning_rate(), field("grad")],
                vec![
                    sym(p.updated()),
                    minus(sym(p.clone()), times([sym(n.eta()), d(n.total(), p)])),
                    minus(num(before), times([num(eta), num(grad)])),
                    num(after),
                ],
            )
        };
        for (j, row) in layer.grad_weights.iter().enumerate() {
            for (k, &g) in row.iter().enumerate() {
                let field = |name: &str| match name {
                    "grad" => keys::weight("grad_weights", l, j, k),
                    _ => keys::weight(&format!("weights_{name}"), l, j, k),
                };
                update(
                    doc,
                    n.weight(l, j, k),
                    &field,
                    layer.weights_before[j][k],
                    g,
                    layer.weights_after[j][k],
                );
            }
        }
        if self.spec.layers[l]
            .train_bias
            .unwrap_or(self.spec.train_bias)
        {
            let count = layer.grad_bias.as_slice().len();
            let shared = keys::is_shared(&layer.grad_bias);
            for j in 0..count {
                let field = |name: &str| match name {
                    "grad" => keys::bias("grad_bias", l, j, shared),
                    _ => keys::bias(&format!("bias_{name}"), l, j, shared),
                };
                update(
                    doc,
                    n.bias(l, j),
                    &field,
                    layer.bias_before.get(j),
                    layer.grad_bias.get(j),
                    layer.bias_after.get(j),
                );
            }
        } else {
            let b = n.bias(l, 0).text;
            doc.push(Block::Para(vec![text(tr!(
                lang,
                "The bias {b} is not trained; it keeps its value.",
                "偏置 {b} 不参与训练，保持原值。"
            ))]));
        }
    }

    fn milestones(&self, doc: &mut Doc) {
        let lang = self.lang;
        let ex = self.ex;
        if ex.milestones.is_empty() {
            return;
        }
        let rounds = ex.rounds_run;
        let order = ex.order.name();
        doc.push(Block::Heading(tr!(
            lang,
            "Error and outputs after more rounds ({order} order)",
            "多轮训练后的误差和输出（{order} 顺序）"
        )));
        self.milestone_table(&ex.milestones, doc);
        self.final_weights(&ex.milestones, rounds, doc);
        let other = ex.comparison.order;
        let other_name = other.name();
        doc.push(Block::Heading(tr!(
            lang,
            "The same rounds in the other order ({other_name})",
            "换一种更新顺序（{other_name}）"
        )));
        doc.push(Block::Para(vec![text(self.order_sentence(other))]));
        self.milestone_table(&ex.comparison.milestones, doc);
        self.final_weights(&ex.comparison.milestones, rounds, doc);
        if self.is_the_tutorial() {
            doc.push(Block::Para(vec![text(tr!(
                lang,
                "Checking the tutorial by hand? Its text computes the hidden layer with the original w5…w8, which is the textbook order, but the figures it publishes after the first round and after 10,000 rounds match the published order. Its 10,000-round error, 0.0000351085, is the textbook order's error after 9,999 updates. Both tables above come from the same engine; only the moment of the update differs.",
                "如果你在手工核对原教程：它的正文用原来的 w5…w8 计算隐含层，这是教科书顺序；但它在第一轮之后和 10,000 轮之后公布的数字，与 published 顺序一致。原文给出的 10,000 轮误差 0.0000351085，其实是教科书顺序更新 9,999 次后的误差。上面两张表出自同一个引擎，区别只在于权重更新的时机。"
            ))]));
        }
    }

    /// Whether this is the tutorial's exact network and sample (any order).
    fn is_the_tutorial(&self) -> bool {
        let mut tutorial = Spec::tutorial();
        tutorial.order = self.spec.order;
        *self.spec == tutorial
    }

    fn milestone_table(&self, milestones: &[Milestone], doc: &mut Doc) {
        let lang = self.lang;
        let n = &self.names;
        let last = n.layers() - 1;
        let show_outputs = self.batch() * self.outputs() <= 6;
        let mut header = vec![text(tr!(lang, "Rounds", "轮数")), math(sym(n.total()))];
        if show_outputs {
            for s in 0..self.batch() {
                for j in 0..self.outputs() {
                    header.push(math(sym(n.out(last, j, s))));
                }
            }
        }
        let rows = milestones
            .iter()
            .map(|m| {
                let mut row = vec![m.round.to_string(), format_loss(m.loss)];
                if show_outputs {
                    row.extend(m.outputs.iter().flatten().map(|&o| format_number(o)));
                }
                row
            })
            .collect();
        doc.push(Block::Table { header, rows });
    }

    fn final_weights(&self, milestones: &[Milestone], rounds: usize, doc: &mut Doc) {
        let lang = self.lang;
        let n = &self.names;
        let Some(last) = milestones.last() else {
            return;
        };
        let weights: Vec<(Sym, f64)> = last
            .params
            .iter()
            .enumerate()
            .flat_map(|(l, p)| {
                p.weights.iter().enumerate().flat_map(move |(j, row)| {
                    row.iter()
                        .enumerate()
                        .map(move |(k, &w)| (n.weight(l, j, k), w))
                })
            })
            .collect();
        if weights.len() > 16 {
            return;
        }
        let mut items = vec![text(tr!(
            lang,
            "Weights after {rounds} rounds: ",
            "{rounds} 轮后的权重："
        ))];
        for (i, (s, w)) in weights.into_iter().enumerate() {
            if i > 0 {
                items.push(text(tr!(lang, ", ", "，")));
            }
            items.push(math(Expr::Seq(vec![sym(s), Expr::Op(Op::Equals), num(w)])));
        }
        items.push(text(tr!(lang, ".", "。")));
        doc.push(Block::Para(items));
    }
}
