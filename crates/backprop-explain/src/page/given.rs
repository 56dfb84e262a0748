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
            // The optimizer's state before the update: where it starts, or what the
            // round before left.
            for (slot, tensor) in layer.optimizer_state_before.iter().flatten() {
                let note = |after: String| {
                    if r == 0 {
                        (Msg::new("given_optimizer_state"), Vec::new())
                    } else {
                        start(after)
                    }
                };
                for (j, row) in tensor.weights.iter().enumerate() {
                    for (k, &x) in row.iter().enumerate() {
                        let (why, uses) = note(keys::weight_state("after", l, slot, j, k));
                        let sym = names.state(slot, &names.weight(l, j, k));
                        put(
                            key(keys::weight_state("before", l, slot, j, k)),
                            sym,
                            x,
                            why,
                            uses,
                        );
                    }
                }
                // A frozen bias is never updated, so its state plays no part.
                let biases = if trained { tensor.bias.as_slice() } else { &[] };
                for (j, &x) in biases.iter().enumerate() {
                    let (why, uses) = note(keys::bias_state("after", l, slot, j, shared));
                    let sym = names.state(slot, &names.bias(l, j));
                    put(
                        key(keys::bias_state("before", l, slot, j, shared)),
                        sym,
                        x,
                        why,
                        uses,
                    );
                }
            }
        }
        if spec.optimizer.is_some() {
            let t = Msg::new("given_step");
            put(
                key(keys::round_number()),
                names.setting("t"),
                (r + 1) as f64,
                t,
                Vec::new(),
            );
        }
    }
    // The optimizer's settings.
    if let Some(optimizer) = &spec.optimizer {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(optimizer) {
            for (field, value) in fields {
                if let Some(x) = value.as_f64() {
                    let k = keys::optimizer_setting(&field);
                    put(k, names.setting(&field), x, initial(), Vec::new());
                }
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
