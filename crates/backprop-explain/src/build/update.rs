//! The updates: every trained parameter's new value by the spec's optimizer, with the
//! state the optimizer keeps for it before and after. Plain gradient descent keeps
//! none: p⁺ = p − η · ∂E/∂p. Every number is the engine's: the gradient, the state
//! before and after, and the new value; the equations only substitute them.

use super::{d, minus, num, sym, times, Builder};
use crate::doc::{words, Block, Doc};
use crate::expr::{Expr, Op, Sym};
use crate::keys;
use crate::msg::Msg;
use crate::trace::{LayerRound, OptimizerState};
use backprop::optim::{OptimizerConfig, OptimizerKind, RpropConfig};

/// One parameter's update, as recorded.
struct Param<'a> {
    /// Its symbol: `w5`.
    sym: Sym,
    /// The key of its `before`, `after` or `grad` value.
    key: &'a dyn Fn(&str) -> String,
    /// The key of its optimizer state `slot`, `before` or `after`.
    state_key: &'a dyn Fn(&str, &str) -> String,
    before: f64,
    grad: f64,
    after: f64,
    /// Its state `slot` before and after the update.
    state: &'a dyn Fn(&str) -> (f64, f64),
}

fn plus(a: Expr, b: Expr) -> Expr {
    Expr::Seq(vec![a, Expr::Op(Op::Plus), b])
}

fn paren(a: Expr) -> Expr {
    Expr::Paren(Box::new(a))
}

fn frac(a: Expr, b: Expr) -> Expr {
    Expr::Frac(Box::new(a), Box::new(b))
}

/// `1 − x`.
fn one_minus(x: Expr) -> Expr {
    minus(Expr::Lit("1"), x)
}

/// A value with its condition beside it, which is not part of the chain.
fn noted(value: f64, note: Msg) -> Expr {
    Expr::Noted(Box::new(num(value)), Box::new(Expr::Msg(note)))
}

/// The value of state `slot` in `state` for weight (`j`, `k`) or, with `k` `None`,
/// bias `j`.
fn state_value(state: Option<&OptimizerState>, slot: &str, j: usize, k: Option<usize>) -> f64 {
    let Some(tensor) = state.and_then(|s| s.get(slot)) else {
        return f64::NAN;
    };
    match k {
        Some(k) => tensor
            .weights
            .get(j)
            .and_then(|r| r.get(k))
            .copied()
            .unwrap_or(f64::NAN),
        None => tensor.bias.as_slice().get(j).copied().unwrap_or(f64::NAN),
    }
}

impl Builder<'_> {
    /// Says which optimizer updates the parameters and how, before the rounds.
    pub(super) fn optimizer_sentence(&self) -> Option<Msg> {
        let spec = self.spec.optimizer.as_ref()?;
        let c = spec.config(self.spec.learning_rate);
        let id = match spec.kind() {
            OptimizerKind::Sgd => return None,
            OptimizerKind::Momentum => "optimizer_momentum",
            OptimizerKind::Nesterov => "optimizer_nesterov",
            OptimizerKind::Adam => "optimizer_adam",
            OptimizerKind::AdamW => "optimizer_adamw",
            OptimizerKind::Rprop => "optimizer_rprop",
        };
        // Settings as written in a spec: the shortest form that reads back the same.
        let n = |x: f64| x.to_string();
        Some(
            Msg::new(id)
                .with("momentum", n(c.momentum))
                .with("beta_one", n(c.beta1))
                .with("beta_two", n(c.beta2))
                .with("epsilon", n(c.epsilon))
                .with("weight_decay", n(c.weight_decay))
                .with("eta_plus", n(c.rprop.increase))
                .with("eta_minus", n(c.rprop.decrease))
                .with("step_min", n(c.rprop.delta_min))
                .with("step_max", n(c.rprop.delta_max))
                .with("initial_step", n(c.rprop.delta_zero)),
        )
    }

    /// The updates of layer `l` in round `t` (1-based, Adam's step).
    pub(super) fn updates(&self, t: usize, layer: &LayerRound, l: usize, doc: &mut Doc) {
        let n = &self.names;
        // The same for every parameter of the layer.
        let c = self.spec.optimizer_config();
        let (before, after) = (
            layer.optimizer_state_before.as_ref(),
            layer.optimizer_state_after.as_ref(),
        );
        for (j, row) in layer.grad_weights.iter().enumerate() {
            for (k, &g) in row.iter().enumerate() {
                let key = |name: &str| match name {
                    "grad" => keys::weight("grad_weights", l, j, k),
                    _ => keys::weight(&format!("weights_{name}"), l, j, k),
                };
                let state_key = |when: &str, slot: &str| keys::weight_state(when, l, slot, j, k);
                let state = |slot: &str| {
                    (
                        state_value(before, slot, j, Some(k)),
                        state_value(after, slot, j, Some(k)),
                    )
                };
                let p = Param {
                    sym: n.weight(l, j, k),
                    key: &key,
                    state_key: &state_key,
                    before: layer.weights_before[j][k],
                    grad: g,
                    after: layer.weights_after[j][k],
                    state: &state,
                };
                self.update(t, &c, &p, doc);
            }
        }
        if self.spec.layers[l]
            .train_bias
            .unwrap_or(self.spec.train_bias)
        {
            let count = layer.grad_bias.as_slice().len();
            let shared = keys::is_shared(&layer.grad_bias);
            for j in 0..count {
                let key = |name: &str| match name {
                    "grad" => keys::bias("grad_bias", l, j, shared),
                    _ => keys::bias(&format!("bias_{name}"), l, j, shared),
                };
                let state_key = |when: &str, slot: &str| keys::bias_state(when, l, slot, j, shared);
                let state = |slot: &str| {
                    (
                        state_value(before, slot, j, None),
                        state_value(after, slot, j, None),
                    )
                };
                let p = Param {
                    sym: n.bias(l, j),
                    key: &key,
                    state_key: &state_key,
                    before: layer.bias_before.get(j),
                    grad: layer.grad_bias.get(j),
                    after: layer.bias_after.get(j),
                    state: &state,
                };
                self.update(t, &c, &p, doc);
            }
        } else {
            let frozen = Msg::new("bias_frozen").with("bias", n.bias(l, 0).text);
            doc.push(Block::Para(vec![words(frozen)]));
        }
    }

    /// The equations of one parameter's update.
    fn update(&self, t: usize, c: &OptimizerConfig, p: &Param<'_>, doc: &mut Doc) {
        let n = &self.names;
        let eta = self.spec.learning_rate;
        let g = || d(n.total(), p.sym.clone());
        let setting = |field: &str| sym(n.setting(field));
        let state = |slot: &str| sym(n.state(slot, &p.sym));
        let state_after = |slot: &str| sym(n.state(slot, &p.sym).updated());
        let lr = keys::learning_rate;
        let set = keys::optimizer_setting;
        let after = sym(p.sym.updated());
        match c.kind {
            OptimizerKind::Sgd => doc.eq(
                (p.key)("after"),
                vec![(p.key)("before"), lr(), (p.key)("grad")],
                vec![
                    after,
                    minus(sym(p.sym.clone()), times([sym(n.eta()), g()])),
                    minus(num(p.before), times([num(eta), num(p.grad)])),
                    num(p.after),
                ],
            ),
            kind @ (OptimizerKind::Momentum | OptimizerKind::Nesterov) => {
                let slot = "momentum_buffer";
                let (v, v_after) = (p.state)(slot);
                doc.eq(
                    (p.state_key)("after", slot),
                    vec![
                        set("momentum"),
                        (p.state_key)("before", slot),
                        (p.key)("grad"),
                    ],
                    vec![
                        state_after(slot),
                        plus(times([setting("momentum"), state(slot)]), g()),
                        plus(times([num(c.momentum), num(v)]), num(p.grad)),
                        num(v_after),
                    ],
                );
                let (step, numbers, mut uses) = if kind == OptimizerKind::Momentum {
                    (
                        state_after(slot),
                        num(v_after),
                        vec![(p.key)("before"), lr(), (p.state_key)("after", slot)],
                    )
                } else {
                    (
                        paren(plus(g(), times([setting("momentum"), state_after(slot)]))),
                        paren(plus(num(p.grad), times([num(c.momentum), num(v_after)]))),
                        vec![(p.key)("before"), lr(), (p.key)("grad"), set("momentum")],
                    )
                };
                if kind == OptimizerKind::Nesterov {
                    uses.push((p.state_key)("after", slot));
                }
                doc.eq(
                    (p.key)("after"),
                    uses,
                    vec![
                        after,
                        minus(sym(p.sym.clone()), times([sym(n.eta()), step])),
                        minus(num(p.before), times([num(eta), numbers])),
                        num(p.after),
                    ],
                );
            }
            kind @ (OptimizerKind::Adam | OptimizerKind::AdamW) => {
                let ((m, m_after), (v, v_after)) = ((p.state)("m"), (p.state)("v"));
                let moment = |slot: &str, beta: &str, b: f64, was: f64, now: f64, sq: bool| {
                    let grad_term = |x: Expr| if sq { Expr::Square(Box::new(x)) } else { x };
                    doc_eq_parts(
                        state_after(slot),
                        plus(
                            times([setting(beta), state(slot)]),
                            times([paren(one_minus(setting(beta))), grad_term(g())]),
                        ),
                        plus(
                            times([num(b), num(was)]),
                            times([paren(one_minus(num(b))), grad_term(num(p.grad))]),
                        ),
                        now,
                    )
                };
                let uses = |slot: &str, beta: &str| {
                    vec![set(beta), (p.state_key)("before", slot), (p.key)("grad")]
                };
                doc.eq(
                    (p.state_key)("after", "m"),
                    uses("m", "beta1"),
                    moment("m", "beta1", c.beta1, m, m_after, false),
                );
                doc.eq(
                    (p.state_key)("after", "v"),
                    uses("v", "beta2"),
                    moment("v", "beta2", c.beta2, v, v_after, true),
                );
                // η × (m⁺ / (1 − β₁ᵗ)) / (√(v⁺ / (1 − β₂ᵗ)) + ε), the bias corrections
                // with t written out.
                let step = |m: Expr, v: Expr, b1: Expr, b2: Expr, t: String, eps: Expr| {
                    let c1 = paren(one_minus(Expr::Pow(Box::new(b1), t.clone())));
                    let c2 = paren(one_minus(Expr::Pow(Box::new(b2), t)));
                    frac(frac(m, c1), plus(Expr::Sqrt(Box::new(frac(v, c2))), eps))
                };
                let formula_step = step(
                    state_after("m"),
                    state_after("v"),
                    setting("beta1"),
                    setting("beta2"),
                    "t".into(),
                    setting("epsilon"),
                );
                let number_step = step(
                    num(m_after),
                    num(v_after),
                    num(c.beta1),
                    num(c.beta2),
                    t.to_string(),
                    num(c.epsilon),
                );
                let mut uses = vec![
                    (p.key)("before"),
                    lr(),
                    (p.state_key)("after", "m"),
                    (p.state_key)("after", "v"),
                    set("beta1"),
                    set("beta2"),
                    keys::round_number(),
                    set("epsilon"),
                ];
                let (start, start_numbers) = if kind == OptimizerKind::AdamW {
                    uses.push(set("weight_decay"));
                    let decay = |w: Expr, eta: Expr, lambda: Expr| {
                        times([w, paren(one_minus(times([eta, lambda])))])
                    };
                    (
                        decay(sym(p.sym.clone()), sym(n.eta()), setting("weight_decay")),
                        decay(num(p.before), num(eta), num(c.weight_decay)),
                    )
                } else {
                    (sym(p.sym.clone()), num(p.before))
                };
                doc.eq(
                    (p.key)("after"),
                    uses,
                    vec![
                        after,
                        minus(start, times([sym(n.eta()), formula_step])),
                        minus(start_numbers, times([num(eta), number_step])),
                        num(p.after),
                    ],
                );
            }
            OptimizerKind::Rprop => self.rprop(&c.rprop, p, doc),
        }
    }

    /// RPROP: the step size grows, shrinks or stays by the sign of ∂E/∂p × g_prev, then
    /// the parameter moves by it against the gradient's sign (not after a flip).
    fn rprop(&self, c: &RpropConfig, p: &Param<'_>, doc: &mut Doc) {
        let n = &self.names;
        let g = || d(n.total(), p.sym.clone());
        let setting = |field: &str| sym(n.setting(field));
        let delta = sym(n.state("delta", &p.sym));
        let delta_after = || sym(n.state("delta", &p.sym).updated());
        let prev = n.state("prev_grad", &p.sym);
        let ((step, step_after), (prev_before, prev_after)) =
            ((p.state)("delta"), (p.state)("prev_grad"));
        let set = keys::optimizer_setting;
        let product = p.grad * prev_before;
        let relation = if product > 0.0 {
            " > 0"
        } else if product < 0.0 {
            " < 0"
        } else {
            " = 0"
        };
        let condition = Expr::Seq(vec![
            times([g(), sym(prev.clone())]),
            Expr::Op(Op::Equals),
            times([num(p.grad), num(prev_before)]),
            Expr::Word(relation.into()),
        ]);
        let note = Msg::new("condition").with("condition", condition);
        let call = |f: &'static str, a: Expr, b: Expr| {
            Expr::Call(f, Box::new(Expr::Seq(vec![a, Expr::Op(Op::Comma), b])))
        };
        let mut uses = vec![(p.state_key)("before", "delta")];
        let parts = if product > 0.0 {
            uses.extend([set("eta_plus"), set("step_max")]);
            vec![
                call(
                    "min",
                    times([delta.clone(), setting("eta_plus")]),
                    setting("step_max"),
                ),
                call("min", times([num(step), num(c.increase)]), num(c.delta_max)),
            ]
        } else if product < 0.0 {
            uses.extend([set("eta_minus"), set("step_min")]);
            vec![
                call(
                    "max",
                    times([delta.clone(), setting("eta_minus")]),
                    setting("step_min"),
                ),
                call("max", times([num(step), num(c.decrease)]), num(c.delta_min)),
            ]
        } else {
            vec![delta.clone()]
        };
        uses.extend([(p.key)("grad"), (p.state_key)("before", "prev_grad")]);
        let mut chain = vec![delta_after()];
        chain.extend(parts);
        chain.push(noted(step_after, note));
        doc.eq((p.state_key)("after", "delta"), uses, chain);
        let after = sym(p.sym.updated());
        if product < 0.0 {
            // After a flip the step is skipped and the gradient forgotten.
            let skipped = Msg::new("rprop_skipped");
            doc.eq(
                (p.key)("after"),
                vec![(p.key)("before")],
                vec![after, sym(p.sym.clone()), noted(p.after, skipped)],
            );
            doc.eq(
                (p.state_key)("after", "prev_grad"),
                Vec::new(),
                vec![sym(prev.updated()), num(prev_after)],
            );
        } else {
            let sign = |x: Expr| Expr::Call("sign", Box::new(x));
            doc.eq(
                (p.key)("after"),
                vec![
                    (p.key)("before"),
                    (p.key)("grad"),
                    (p.state_key)("after", "delta"),
                ],
                vec![
                    after,
                    minus(sym(p.sym.clone()), times([sign(g()), delta_after()])),
                    minus(num(p.before), times([sign(num(p.grad)), num(step_after)])),
                    num(p.after),
                ],
            );
            doc.eq(
                (p.state_key)("after", "prev_grad"),
                vec![(p.key)("grad")],
                vec![sym(prev.updated()), g(), num(prev_after)],
            );
        }
    }
}

/// The chain `lhs = formula = numbers = value`.
fn doc_eq_parts(lhs: Expr, formula: Expr, numbers: Expr, value: f64) -> Vec<Expr> {
    vec![lhs, formula, numbers, num(value)]
}
