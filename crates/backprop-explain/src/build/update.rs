//! The updates: p⁺ = p − η · ∂E/∂p for every trained parameter.

use super::{d, minus, num, sym, times, Builder};
use crate::doc::{words, Block, Doc};
use crate::expr::Sym;
use crate::keys;
use crate::msg::Msg;
use crate::trace::LayerRound;

impl Builder<'_> {
    pub(super) fn updates(&self, layer: &LayerRound, l: usize, doc: &mut Doc) {
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
            let frozen = Msg::new("bias_frozen").with("bias", n.bias(l, 0).text);
            doc.push(Block::Para(vec![words(frozen)]));
        }
    }
}
