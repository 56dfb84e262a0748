//! The backward pass: ∂E/∂out, ∂out/∂net and δ for each neuron, then ∂E/∂w and ∂E/∂b,
//! each as the chain rule writes it with the engine's numbers substituted.

use super::{d, minus, num, sum, sym, times, Builder};
use crate::doc::{words, Block, Doc};
use crate::expr::{format_number, Expr, Op};
use crate::keys;
use crate::msg::Msg;
use crate::trace::{LayerRound, Round};
use backprop::activation::{Activation, DerivativeFrom};
use backprop::layer::Bias;
use backprop::network::Order;
use backprop::observe::DeltaRule;

impl Builder<'_> {
    pub(super) fn backward_layer(&self, r: &Round, l: usize, doc: &mut Doc) {
        let n = &self.names;
        let layer = &r.layers[l];
        let output = n.is_output(l);
        let rule = layer.rule;
        let batch = self.batch();
        let how = if output && rule == DeltaRule::SoftmaxCrossEntropy && batch > 1 {
            Msg::new("backward_softmax_cross_entropy_batch").with("batch", batch)
        } else if output && rule == DeltaRule::SoftmaxCrossEntropy {
            Msg::new("backward_softmax_cross_entropy")
        } else if output && rule == DeltaRule::SoftmaxJacobian {
            Msg::new("backward_softmax_jacobian")
        } else if output && batch > 1 {
            Msg::new("backward_output_batch")
                .with("n", self.spec.loss.averaged_over(batch, self.outputs()))
                .with("batch", batch)
        } else if output {
            Msg::new("backward_output")
        } else {
            Msg::new("backward_hidden")
        };
        doc.push(Block::Para(vec![words(
            how.with("layer", self.layer_title(l)),
        )]));
        let total = n.total();
        for s in 0..layer.out.len() {
            for j in 0..layer.out[s].len() {
                let (o, x) = (n.out(l, j, s), n.net(l, j, s));
                if output {
                    if layer.rule != DeltaRule::SoftmaxCrossEntropy {
                        let f = self.scale_prefix(
                            self.spec
                                .loss
                                .derivative_formula(sym(o.clone()), sym(n.target(j, s))),
                        );
                        let f_num = self.scale_prefix(
                            self.spec
                                .loss
                                .derivative_formula(num(layer.out[s][j]), num(r.targets[s][j])),
                        );
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
                if layer.d_act.is_some() {
                    let activation = self.spec.layers[l].activation;
                    let steps = self.derivative_formula(activation, l, layer, j, s);
                    let from = match activation.derivative_from() {
                        Some(DerivativeFrom::Out) => vec![keys::neuron("out", l, s, j)],
                        Some(DerivativeFrom::Net) => vec![keys::neuron("net", l, s, j)],
                        Some(DerivativeFrom::Nothing) | None => Vec::new(),
                    };
                    doc.eq(
                        keys::neuron("d_act", l, s, j),
                        from,
                        std::iter::once(d(o.clone(), x.clone()))
                            .chain(steps)
                            .collect(),
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
                    _ => self.softmax_delta(r, l, j, s, doc),
                }
            }
        }
        self.weight_gradients(l, layer, doc);
    }

    /// δ of softmax output `j` through the Jacobian: out_j × (∂E/∂out_j − Σ_k out_k ×
    /// ∂E/∂out_k). The Σ is shown once per sample, before the first δ that uses it.
    fn softmax_delta(&self, r: &Round, l: usize, j: usize, s: usize, doc: &mut Doc) {
        let n = &self.names;
        let layer = &r.layers[l];
        let total = n.total();
        let (o, width) = (n.out(l, j, s), layer.out[s].len());
        let dot = self.names.softmax_dot(l, s);
        // The sum the engine forms inside its softmax backward, from the values it
        // recorded on either side of it.
        let dot_value: f64 = (0..width)
            .map(|k| layer.out[s][k] * layer.d_out[s][k])
            .sum();
        if j == 0 {
            let uses = (0..width)
                .flat_map(|k| [keys::neuron("out", l, s, k), keys::neuron("d_out", l, s, k)])
                .collect();
            doc.eq(
                keys::softmax_dot(l, s),
                uses,
                vec![
                    sym(dot.clone()),
                    sum((0..width)
                        .map(|k| times([sym(n.out(l, k, s)), d(total.clone(), n.out(l, k, s))]))
                        .collect()),
                    sum((0..width)
                        .map(|k| times([num(layer.out[s][k]), num(layer.d_out[s][k])]))
                        .collect()),
                    num(dot_value),
                ],
            );
        }
        doc.eq(
            keys::neuron("d_net", l, s, j),
            vec![
                keys::neuron("out", l, s, j),
                keys::neuron("d_out", l, s, j),
                keys::softmax_dot(l, s),
            ],
            vec![
                sym(n.delta(l, j, s)),
                times([
                    sym(o.clone()),
                    Expr::Paren(Box::new(minus(d(total, o), sym(dot)))),
                ]),
                times([
                    num(layer.out[s][j]),
                    Expr::Paren(Box::new(minus(num(layer.d_out[s][j]), num(dot_value)))),
                ]),
                num(layer.d_net[s][j]),
            ],
        );
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

    /// ∂out/∂net for an element-wise activation, symbolically and substituted; for
    /// ReLU and leaky ReLU, the value with its condition beside it.
    fn derivative_formula(
        &self,
        a: Activation,
        l: usize,
        layer: &LayerRound,
        j: usize,
        s: usize,
    ) -> Vec<Expr> {
        let n = &self.names;
        let (o, ov) = (sym(n.out(l, j, s)), num(layer.out[s][j]));
        let value = num(d_act_value(layer, s, j));
        if let Some(symbolic) = a.derivative_formula(o) {
            let substituted = a.derivative_formula(ov).unwrap_or_else(|| value.clone());
            return vec![symbolic, substituted, value];
        }
        match a.derivative_from() {
            Some(DerivativeFrom::Net) => {
                // A piecewise derivative: the value, with the condition that picks it
                // written beside it rather than as a step of the chain.
                let x = layer.net[s][j];
                let value = d_act_value(layer, s, j);
                let relation = if x > 0.0 {
                    Expr::Word(" > 0".into())
                } else if x < 0.0 {
                    Expr::Word(" < 0".into())
                } else {
                    let kink = Msg::new("kink").with("value", format_number(value));
                    Expr::Msg(kink)
                };
                let condition = Expr::Seq(vec![
                    sym(n.net(l, j, s)),
                    Expr::Op(Op::Equals),
                    num(x),
                    relation,
                ]);
                let note = Expr::Msg(Msg::new("condition").with("condition", condition));
                vec![Expr::Noted(Box::new(num(value)), Box::new(note))]
            }
            _ => vec![value],
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
}

/// ∂out/∂net of neuron `j` for sample `s` as the engine recorded it.
fn d_act_value(layer: &LayerRound, s: usize, j: usize) -> f64 {
    layer.d_act.as_ref().map_or(f64::NAN, |d| d[s][j])
}
