//! After the shown rounds: the error and outputs at milestones, in both orders, and
//! the final weights.

use super::{num, sym, Builder};
use crate::doc::{math, words, Block, Doc};
use crate::expr::{format_loss, format_number, Expr, Op, Sym};
use crate::msg::Msg;
use crate::run::Milestone;
use crate::spec::Spec;

impl Builder<'_> {
    pub(super) fn milestones(&self, doc: &mut Doc) {
        let ex = self.ex;
        if ex.milestones.is_empty() {
            return;
        }
        let rounds = ex.rounds_run;
        let heading = Msg::new("more_rounds").with("order", ex.order.name());
        doc.push(Block::Heading(heading));
        self.milestone_table(&ex.milestones, doc);
        self.final_weights(&ex.milestones, rounds, doc);
        let other = ex.comparison.order;
        doc.push(Block::Heading(
            Msg::new("other_order").with("order", other.name()),
        ));
        doc.push(Block::Para(vec![words(self.order_sentence(other))]));
        self.milestone_table(&ex.comparison.milestones, doc);
        self.final_weights(&ex.comparison.milestones, rounds, doc);
        if self.is_the_tutorial() {
            doc.push(Block::Para(vec![words(Msg::new("tutorial_check"))]));
        }
    }

    /// Whether this is the tutorial's exact network and sample (any order).
    fn is_the_tutorial(&self) -> bool {
        let mut tutorial = Spec::tutorial();
        tutorial.order = self.spec.order;
        *self.spec == tutorial
    }

    fn milestone_table(&self, milestones: &[Milestone], doc: &mut Doc) {
        let n = &self.names;
        let last = n.layers() - 1;
        let show_outputs = self.batch() * self.outputs() <= 6;
        let mut header = vec![words(Msg::new("rounds_column")), math(sym(n.total()))];
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
        let n = &self.names;
        let Some(last) = milestones.last() else {
            return;
        };
        let mut params: Vec<(Sym, f64)> = Vec::new();
        let mut with_biases = false;
        for (l, p) in last.params.iter().enumerate() {
            for (j, row) in p.weights.iter().enumerate() {
                for (k, &w) in row.iter().enumerate() {
                    params.push((n.weight(l, j, k), w));
                }
            }
            // Trained biases changed too; frozen ones are as given.
            if self.spec.layers[l]
                .train_bias
                .unwrap_or(self.spec.train_bias)
            {
                with_biases = true;
                for (j, &b) in p.bias.as_slice().iter().enumerate() {
                    params.push((n.bias(l, j), b));
                }
            }
        }
        if params.len() > 16 {
            // Too many to read in a sentence; say where they are.
            let too_many = Msg::new("too_many_parameters")
                .with("count", params.len())
                .with("rounds", rounds);
            doc.push(Block::Para(vec![words(too_many)]));
            return;
        }
        let what = Msg::new(if with_biases {
            "weights_and_biases"
        } else {
            "weights"
        });
        let after = Msg::new("after_rounds")
            .with("what", what)
            .with("rounds", rounds);
        let mut items = vec![words(after)];
        for (i, (s, w)) in params.into_iter().enumerate() {
            if i > 0 {
                items.push(words(Msg::new("list_separator")));
            }
            items.push(math(Expr::Seq(vec![sym(s), Expr::Op(Op::Equals), num(w)])));
        }
        items.push(words(Msg::new("full_stop")));
        doc.push(Block::Para(items));
    }
}
