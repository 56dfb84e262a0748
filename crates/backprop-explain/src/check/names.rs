//! Every quantity of a round by name: the Unicode name the explanation prints
//! (`w5⁺`, `∂E_total/∂w5`, `δ⁽²⁾₁`) and its ASCII spelling, which [`ascii`] derives
//! from it letter by letter (`w5+`, `dE_total/dw5`, `delta(2)_1`). A name given by a
//! learner is matched in either spelling, or a mixture of both.

use crate::expr::{Expr, Sym};
use crate::naming::Names;
use crate::spec::Spec;

/// A quantity of one round, by its place in the network. Every variant's fields are
/// the same four indices, all 0-based: `l` the layer, `j` the neuron (or output), `k`
/// the input or the neuron below, `s` the sample; and for an optimizer's state, `slot`,
/// the state's name (`m`, `v`, `momentum_buffer`, `delta`, `prev_grad`).
#[allow(missing_docs)] // the fields are the four indices described above
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// Input `k` of sample `s`.
    Input { k: usize, s: usize },
    /// Target `j` of sample `s`.
    Target { j: usize, s: usize },
    /// net of neuron `j` in layer `l`.
    Net { l: usize, j: usize, s: usize },
    /// out of neuron `j` in layer `l`.
    Out { l: usize, j: usize, s: usize },
    /// Output `j`'s share of the error.
    ErrorTerm { j: usize, s: usize },
    /// The total error.
    Total,
    /// ∂E_total/∂out.
    DOut { l: usize, j: usize, s: usize },
    /// ∂out/∂net.
    DAct { l: usize, j: usize, s: usize },
    /// δ = ∂E_total/∂net.
    Delta { l: usize, j: usize, s: usize },
    /// ∂E_oj/∂out_hk (tutorial names only): the part of hidden neuron `k`'s ∂E/∂out
    /// that comes back from output `j`.
    DOutPart {
        l: usize,
        s: usize,
        k: usize,
        j: usize,
    },
    /// ∂net/∂w of weight (l, j, k) (single-sample networks): the weight's input.
    DnetDw { l: usize, j: usize, k: usize },
    /// A weight before the round's update.
    Weight { l: usize, j: usize, k: usize },
    /// ∂E_total/∂w.
    GradWeight { l: usize, j: usize, k: usize },
    /// A weight after the update (w⁺).
    WeightAfter { l: usize, j: usize, k: usize },
    /// A bias before the update (`j` is 0 for a shared bias).
    Bias { l: usize, j: usize },
    /// ∂E_total/∂b.
    GradBias { l: usize, j: usize },
    /// A bias after the update.
    BiasAfter { l: usize, j: usize },
    /// The optimizer's state `slot` of a weight after the update: `m(w5)⁺`.
    WeightState {
        slot: &'static str,
        l: usize,
        j: usize,
        k: usize,
    },
    /// The optimizer's state `slot` of a bias after the update.
    BiasState {
        slot: &'static str,
        l: usize,
        j: usize,
    },
}

/// One quantity with both its spellings.
#[derive(Clone, Debug, PartialEq)]
pub struct Named {
    /// The quantity.
    pub quantity: Quantity,
    /// The name the explanation prints.
    pub unicode: String,
    /// Its ASCII spelling.
    pub ascii: String,
}

/// The ASCII spelling of a printed name: `∂` → `d`, `δ` → `delta`, `η` → `eta`, `⁺` →
/// `+`, `Δ` → `Delta`, a layer superscript `⁽²⁾` → `(2)`, a run of subscript digits → `_` and the
/// digits (`w⁽²⁾₁,₂` → `w(2)_1,2`, `x₁` → `x_1`), `Σ` → `sum`, `×` → `*`.
pub fn ascii(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sub = false;
    for c in name.chars() {
        let sub = "₀₁₂₃₄₅₆₇₈₉".chars().position(|d| d == c);
        let sup = "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c);
        if let Some(d) = sub {
            if !in_sub {
                out.push('_');
            }
            in_sub = true;
            out.push(char::from(b'0' + d as u8));
            continue;
        }
        // A comma between subscripts stays inside the subscript run.
        in_sub = in_sub && c == ',';
        match (c, sup) {
            (_, Some(d)) => out.push(char::from(b'0' + d as u8)),
            ('∂', _) => out.push('d'),
            ('δ', _) => out.push_str("delta"),
            ('η', _) => out.push_str("eta"),
            ('Δ', _) => out.push_str("Delta"),
            ('⁺', _) => out.push('+'),
            ('⁽', _) => out.push('('),
            ('⁾', _) => out.push(')'),
            ('Σ', _) => out.push_str("sum"),
            ('×', _) => out.push('*'),
            _ => out.push(c),
        }
    }
    out
}

/// The form two names are compared in: ASCII, without spaces, and without a `_`
/// straight before a digit (so `x1` and `x_1`, `out(1)2` and `out(1)_2` are one name).
pub fn normal(name: &str) -> String {
    let a: Vec<char> = ascii(name).chars().filter(|c| !c.is_whitespace()).collect();
    a.iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == '_' && a.get(i + 1).is_some_and(char::is_ascii_digit)))
        .map(|(_, &c)| c)
        .collect()
}

fn partial(a: Sym, b: Sym) -> String {
    Expr::Partial(a, b).text(crate::Lang::En)
}

/// Every quantity of a round of `spec`'s network, in the explanation's order: inputs and
/// targets, the forward pass, the errors, the backward pass and the updates.
pub fn all(spec: &Spec) -> Vec<Named> {
    let n = Names::new(spec);
    let samples = spec.samples.len();
    let sizes: Vec<usize> = spec.layers.iter().map(|l| l.size).collect();
    let fan_in = |l: usize| if l == 0 { spec.inputs } else { sizes[l - 1] };
    let last = sizes.len().saturating_sub(1);
    let single = samples == 1;
    let mut list: Vec<(Quantity, String)> = Vec::new();
    for s in 0..samples {
        for k in 0..spec.inputs {
            list.push((Quantity::Input { k, s }, n.input(k, s).text));
        }
        for j in 0..sizes.get(last).copied().unwrap_or(0) {
            list.push((Quantity::Target { j, s }, n.target(j, s).text));
        }
    }
    for (l, &size) in sizes.iter().enumerate() {
        for s in 0..samples {
            for j in 0..size {
                list.push((Quantity::Net { l, j, s }, n.net(l, j, s).text));
                list.push((Quantity::Out { l, j, s }, n.out(l, j, s).text));
            }
        }
    }
    for s in 0..samples {
        for j in 0..sizes.get(last).copied().unwrap_or(0) {
            list.push((Quantity::ErrorTerm { j, s }, n.error(j, s).text));
        }
    }
    list.push((Quantity::Total, n.total().text));
    let softmax = |l: usize| spec.layers[l].activation == backprop::activation::Activation::Softmax;
    for l in (0..sizes.len()).rev() {
        for s in 0..samples {
            for j in 0..sizes[l] {
                let (o, x) = (n.out(l, j, s), n.net(l, j, s));
                list.push((Quantity::DOut { l, j, s }, partial(n.total(), o.clone())));
                if l < last && n.is_tutorial() {
                    for above in 0..sizes[l + 1] {
                        let name = partial(n.error(above, s), o.clone());
                        list.push((
                            Quantity::DOutPart {
                                l,
                                s,
                                k: j,
                                j: above,
                            },
                            name,
                        ));
                    }
                }
                if !softmax(l) {
                    list.push((Quantity::DAct { l, j, s }, partial(o, x)));
                }
                list.push((Quantity::Delta { l, j, s }, n.delta(l, j, s).text));
            }
        }
        for j in 0..sizes[l] {
            for k in 0..fan_in(l) {
                let w = n.weight(l, j, k);
                if single {
                    let name = partial(n.net(l, j, 0), w.clone());
                    list.push((Quantity::DnetDw { l, j, k }, name));
                }
                list.push((Quantity::GradWeight { l, j, k }, partial(n.total(), w)));
            }
        }
        for j in 0..bias_count(spec, l) {
            list.push((
                Quantity::GradBias { l, j },
                partial(n.total(), n.bias(l, j)),
            ));
        }
    }
    // The optimizer's state after the update, as its equations come before the
    // parameter's own.
    let slots = spec
        .optimizer
        .as_ref()
        .map_or(&[][..], |o| o.kind().state_slots());
    for (l, &size) in sizes.iter().enumerate() {
        for j in 0..size {
            for k in 0..fan_in(l) {
                let w = n.weight(l, j, k);
                list.push((Quantity::Weight { l, j, k }, w.text.clone()));
                for &slot in slots {
                    let state = n.state(slot, &w).updated().text;
                    list.push((Quantity::WeightState { slot, l, j, k }, state));
                }
                list.push((Quantity::WeightAfter { l, j, k }, w.updated().text));
            }
        }
        for j in 0..bias_count(spec, l) {
            let b = n.bias(l, j);
            list.push((Quantity::Bias { l, j }, b.text.clone()));
            if spec.layers[l].train_bias.unwrap_or(spec.train_bias) {
                for &slot in slots {
                    let state = n.state(slot, &b).updated().text;
                    list.push((Quantity::BiasState { slot, l, j }, state));
                }
                list.push((Quantity::BiasAfter { l, j }, b.updated().text));
            }
        }
    }
    list.into_iter()
        .map(|(quantity, unicode)| Named {
            quantity,
            ascii: ascii(&unicode),
            unicode,
        })
        .collect()
}

/// How many biases layer `l` has: one when shared, else one per neuron.
pub fn bias_count(spec: &Spec, l: usize) -> usize {
    match &spec.layers[l].bias {
        Some(backprop::layer::Bias::Shared(_)) => 1,
        _ => spec.layers[l].size,
    }
}

/// The quantity called `name` in either spelling.
pub fn resolve<'a>(names: &'a [Named], name: &str) -> Option<&'a Named> {
    let wanted = normal(name);
    names.iter().find(|n| normal(&n.unicode) == wanted)
}

/// A network's names, ready for many look-ups: each quantity by its normal form
/// ([`normal`]), and those forms as characters for the edit distance.
pub struct Index<'a> {
    names: &'a [Named],
    by_normal: std::collections::HashMap<String, usize>,
    chars: Vec<Vec<char>>,
}

impl<'a> Index<'a> {
    /// Indexes `names`.
    pub fn new(names: &'a [Named]) -> Index<'a> {
        let normals: Vec<String> = names.iter().map(|n| normal(&n.unicode)).collect();
        let chars = normals.iter().map(|n| n.chars().collect()).collect();
        let mut by_normal = std::collections::HashMap::with_capacity(normals.len());
        for (i, n) in normals.into_iter().enumerate() {
            by_normal.entry(n).or_insert(i);
        }
        Index {
            names,
            by_normal,
            chars,
        }
    }

    /// The quantity called `name` in either spelling.
    pub fn resolve(&self, name: &str) -> Option<&'a Named> {
        let i = *self.by_normal.get(&normal(name))?;
        self.names.get(i)
    }

    /// Up to three known names nearest to `name` by edit distance (of its first 64
    /// characters), in ASCII spelling.
    pub fn nearest(&self, name: &str) -> Vec<String> {
        let wanted: Vec<char> = normal(name).chars().take(64).collect();
        let mut scored: Vec<(usize, &str)> = self
            .chars
            .iter()
            .zip(self.names)
            .map(|(known, n)| (distance(&wanted, known), n.ascii.as_str()))
            .collect();
        scored.sort_by_key(|&(d, _)| d);
        let best = scored.first().map_or(0, |s| s.0);
        scored
            .into_iter()
            .take_while(|&(d, _)| d <= best + 1)
            .take(3)
            .map(|(_, n)| n.to_string())
            .collect()
    }
}

/// Up to three known names nearest to `name` by edit distance, in ASCII spelling.
pub fn nearest(names: &[Named], name: &str) -> Vec<String> {
    Index::new(names).nearest(name)
}

/// Levenshtein distance.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != cb));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_spellings_of_the_issue() {
        let names = all(&Spec::tutorial());
        let find = |s: &str| resolve(&names, s).map(|n| n.unicode.clone());
        assert_eq!(find("w5+").as_deref(), Some("w5⁺"));
        assert_eq!(find("dE_total/dw5").as_deref(), Some("∂E_total/∂w5"));
        assert_eq!(find("delta_o1").as_deref(), Some("δ_o1"));
        assert_eq!(
            find("dE_total/dout_h1").as_deref(),
            Some("∂E_total/∂out_h1")
        );
        assert_eq!(find("dout_o1/dnet_o1").as_deref(), Some("∂out_o1/∂net_o1"));
        assert_eq!(find("dE_o1/dout_h1").as_deref(), Some("∂E_o1/∂out_h1"));
        for same in ["out_h1", "net_o2", "E_o1", "E_total", "w5⁺", "δ_o1"] {
            assert!(find(same).is_some(), "{same}");
        }
        assert_eq!(find("w9"), None);
    }

    #[test]
    fn general_names_in_ascii() {
        let mut spec = Spec::tutorial();
        spec.inputs = 3;
        spec.layers[0].weights = None;
        let names = all(&spec);
        let find = |s: &str| resolve(&names, s).map(|n| n.unicode.clone());
        assert_eq!(find("w(2)_1,2").as_deref(), Some("w⁽²⁾₁,₂"));
        assert_eq!(find("w(2)1,2+").as_deref(), Some("w⁽²⁾₁,₂⁺"));
        assert_eq!(find("out(1)_2").as_deref(), Some("out⁽¹⁾₂"));
        assert_eq!(find("delta(2)_1").as_deref(), Some("δ⁽²⁾₁"));
        assert_eq!(find("x_3").as_deref(), Some("x₃"));
        assert_eq!(find("x3").as_deref(), Some("x₃"));
        assert_eq!(ascii("∂E_total/∂w⁽¹⁾₂,₃"), "dE_total/dw(1)_2,3");
    }

    #[test]
    fn unknown_names_get_the_nearest() {
        let names = all(&Spec::tutorial());
        assert!(nearest(&names, "detla_o1").contains(&"delta_o1".to_string()));
        assert!(nearest(&names, "w5*").contains(&"w5+".to_string()));
    }
}
