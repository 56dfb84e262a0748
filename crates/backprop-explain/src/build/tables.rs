//! After the shown rounds: the error and outputs at milestones, in both orders, and
//! the final weights.

use super::{num, sym, Builder};
use crate::doc::{math, text, Block, Doc};
use crate::expr::{format_loss, format_number, Expr, Op, Sym};
use crate::lang::tr;
use crate::run::Milestone;
use crate::spec::Spec;

impl Builder<'_> {
    pub(super) fn milestones(&self, doc: &mut Doc) {
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
            let count = params.len();
            doc.push(Block::Para(vec![text(tr!(
                lang,
                "The {count} parameters after {rounds} rounds are too many to list here; the JSON trace holds them all (milestones[].params).",
                "{rounds} 轮后的 {count} 个参数太多，这里不一一列出；JSON 轨迹里有全部参数（milestones[].params）。"
            ))]));
            return;
        }
        let what = if with_biases {
            tr!(lang, "Weights and biases", "权重和偏置")
        } else {
            tr!(lang, "Weights", "权重")
        };
        let mut items = vec![text(tr!(
            lang,
            "{what} after {rounds} rounds: ",
            "{rounds} 轮后的{what}："
        ))];
        for (i, (s, w)) in params.into_iter().enumerate() {
            if i > 0 {
                items.push(text(tr!(lang, ", ", "，")));
            }
            items.push(math(Expr::Seq(vec![sym(s), Expr::Op(Op::Equals), num(w)])));
        }
        items.push(text(tr!(lang, ".", "。")));
        doc.push(Block::Para(items));
    }
}
