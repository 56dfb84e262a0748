//! The forward pass and the loss: net = Σ w·input + b, out = f(net), and each output's
//! share of the error.

use super::{num, sum, sym, times, Builder};
use crate::doc::Doc;
use crate::expr::Expr;
use crate::keys;
use crate::trace::{LayerRound, Round};
use backprop::activation::Activation;

impl Builder<'_> {
    pub(super) fn forward_layer(&self, l: usize, layer: &LayerRound, doc: &mut Doc) {
        let n = &self.names;
        // The bias this round's forward pass used: the engine's, as updated by the
        // rounds before.
        let bias = &layer.bias_before;
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
                uses.push(keys::bias("bias_before", l, j, keys::is_shared(bias)));
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
        let every = |f: &dyn Fn(usize) -> Expr| (0..net.len()).map(f).collect::<Vec<_>>();
        (
            a.formula(x, || every(&|k| sym(n.net(l, k, s)))),
            a.formula(v, || every(&|k| num(net[k]))),
        )
    }

    pub(super) fn error(&self, r: &Round, doc: &mut Doc) {
        let n = &self.names;
        let last = r.layers.len() - 1;
        let out = &r.layers[last].out;
        let mut names = Vec::new();
        let mut values = Vec::new();
        let mut terms = Vec::new();
        for (s, row) in r.loss_terms.iter().enumerate() {
            for (j, &e) in row.iter().enumerate() {
                let f = self.scale_prefix(
                    self.spec
                        .loss
                        .formula(sym(n.out(last, j, s)), sym(n.target(j, s))),
                );
                let f_num =
                    self.scale_prefix(self.spec.loss.formula(num(out[s][j]), num(r.targets[s][j])));
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
}
