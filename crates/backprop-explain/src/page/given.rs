//! The values no equation derives (inputs, targets, the parameters a round starts
//! from, the learning rate), and the labels of the drawing.

use std::collections::BTreeMap;

use super::{absolute, Labels, Quantity};
use crate::expr::{format_number, Sym};
use crate::keys;
use crate::msg::Msg;
use crate::naming::Names;
use crate::run::Explanation;

/// The values no equation derives: inputs, targets, the parameters a round starts
/// from, and the learning rate.
pub(super) fn given(ex: &Explanation, names: &Names, out: &mut BTreeMap<String, Quantity>) {
    let mut put = |key: String, sym: Sym, value: f64, given: Msg, uses: Vec<String>| {
        out.insert(
            key,
            Quantity {
                text: sym.text,
                latex: sym.latex,
                value,
                shown: format_number(value),
                step: None,
                equation: None,
                given: Some(given),
                uses,
            },
        );
    };
    let spec = &ex.network;
    let initial = || Msg::new("given");
    put(
        keys::learning_rate(),
        names.eta(),
        spec.learning_rate,
        initial(),
        Vec::new(),
    );
    for (r, round) in ex.rounds.iter().enumerate() {
        let key = |k: String| absolute(r, &k);
        // From the second round on, a round starts from the last one's updates.
        let start = |after: String| {
            if r == 0 {
                (initial(), Vec::new())
            } else {
                let note = Msg::new("given_after_round").with("round", r);
                (note, vec![absolute(r - 1, &after)])
            }
        };
        for (s, row) in round.targets.iter().enumerate() {
            for (j, &t) in row.iter().enumerate() {
                put(
                    key(keys::target(s, j)),
                    names.target(j, s),
                    t,
                    initial(),
                    Vec::new(),
                );
            }
        }
        for (l, layer) in round.layers.iter().enumerate() {
            if l == 0 {
                for (s, row) in layer.input.iter().enumerate() {
                    for (k, &x) in row.iter().enumerate() {
                        let k_ = keys::neuron("input", 0, s, k);
                        put(key(k_), names.input(k, s), x, initial(), Vec::new());
                    }
                }
            }
            for (j, row) in layer.weights_before.iter().enumerate() {
                for (k, &w) in row.iter().enumerate() {
                    let (note, uses) = start(keys::weight("weights_after", l, j, k));
                    let k_ = key(keys::weight("weights_before", l, j, k));
                    put(k_, names.weight(l, j, k), w, note, uses);
                }
            }
            let shared = keys::is_shared(&layer.bias_before);
            let trained = spec.layers[l].train_bias.unwrap_or(spec.train_bias);
            for (j, &b) in layer.bias_before.as_slice().iter().enumerate() {
                let (note, uses) = if trained {
                    start(keys::bias("bias_after", l, j, shared))
                } else {
                    let note = Msg::new("given_frozen");
                    (note, Vec::new())
                };
                let k_ = key(keys::bias("bias_before", l, j, shared));
                put(k_, names.bias(l, j), b, note, uses);
            }
        }
    }
}

pub(super) fn labels(ex: &Explanation, names: &Names) -> Labels {
    let spec = &ex.network;
    Labels {
        inputs: (0..spec.inputs).map(|k| names.input(k, 0).text).collect(),
        neurons: spec
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| (0..layer.size).map(|j| names.neuron_label(l, j)).collect())
            .collect(),
        weights: spec
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                let fan_in = if l == 0 {
                    spec.inputs
                } else {
                    spec.layers[l - 1].size
                };
                (0..layer.size)
                    .map(|j| (0..fan_in).map(|k| names.weight(l, j, k).text).collect())
                    .collect()
            })
            .collect(),
        biases: spec
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                let count = match &layer.bias {
                    Some(backprop::layer::Bias::Shared(_)) => 1,
                    _ => layer.size,
                };
                (0..count).map(|j| names.bias(l, j).text).collect()
            })
            .collect(),
    }
}
