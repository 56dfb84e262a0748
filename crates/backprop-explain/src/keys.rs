//! Names of quantities by their place in a round of the JSON trace, so that a reader
//! of an equation can look up every number it uses: `layers.1.grad_weights.0.0` is
//! ∂E/∂w5 (layer 1, neuron 0, input 0), `layers.0.out.0.1` is out_h2 of sample 0.
//! Keys that start with `network.` name the spec's settings instead.
//!
//! Three keys name intermediate values that have no field in the trace:
//! `layers.l.dnet_dw.j.k` (∂net/∂w, which is the weight's input),
//! `layers.l.d_out_part.s.k.j` (the share of ∂E/∂out of hidden neuron k that comes
//! back from neuron j of the layer above) and `layers.l.softmax_dot.s` (the sum
//! Σ_k out_k × ∂E/∂out_k that a softmax layer's δ subtracts, for sample s).

use backprop::layer::Bias;

/// The learning rate η.
pub fn learning_rate() -> String {
    "network.learning_rate".into()
}

/// The total loss of the round.
pub fn loss() -> String {
    "loss".into()
}

/// Output `j`'s share of the loss for sample `s`.
pub fn loss_term(s: usize, j: usize) -> String {
    format!("loss_terms.{s}.{j}")
}

/// Target `j` of sample `s`.
pub fn target(s: usize, j: usize) -> String {
    format!("targets.{s}.{j}")
}

/// A per-sample value of layer `l`: `field` is `input`, `net`, `out`, `d_out`, `d_act`
/// or `d_net`.
pub fn neuron(field: &str, l: usize, s: usize, j: usize) -> String {
    format!("layers.{l}.{field}.{s}.{j}")
}

/// Input `k` of layer `l` for sample `s`: the network's input, or the out below.
pub fn layer_input(l: usize, s: usize, k: usize) -> String {
    if l == 0 {
        neuron("input", 0, s, k)
    } else {
        neuron("out", l - 1, s, k)
    }
}

/// A per-weight value of layer `l`: `field` is `weights_before`, `weights_after`,
/// `grad_weights` or `dnet_dw`.
pub fn weight(field: &str, l: usize, j: usize, k: usize) -> String {
    format!("layers.{l}.{field}.{j}.{k}")
}

/// A bias value of layer `l` (`bias_before`, `bias_after`, `grad_bias`): the layer's
/// one bias when `shared`, else neuron `j`'s.
pub fn bias(field: &str, l: usize, j: usize, shared: bool) -> String {
    if shared {
        format!("layers.{l}.{field}")
    } else {
        format!("layers.{l}.{field}.{j}")
    }
}

/// A setting of the spec's optimizer (`beta1`, `momentum`, …).
pub fn optimizer_setting(field: &str) -> String {
    format!("network.optimizer.{field}")
}

/// The round's number, which is Adam's step t.
pub fn round_number() -> String {
    "round".into()
}

/// Layer `l`'s optimizer state `slot` (`when` is `before` or `after`) of weight
/// (`j`, `k`).
pub fn weight_state(when: &str, l: usize, slot: &str, j: usize, k: usize) -> String {
    format!("layers.{l}.optimizer_state_{when}.{slot}.weights.{j}.{k}")
}

/// Layer `l`'s optimizer state `slot` (`when` is `before` or `after`) of its bias:
/// the one shared bias, or neuron `j`'s.
pub fn bias_state(when: &str, l: usize, slot: &str, j: usize, shared: bool) -> String {
    if shared {
        format!("layers.{l}.optimizer_state_{when}.{slot}.bias")
    } else {
        format!("layers.{l}.optimizer_state_{when}.{slot}.bias.{j}")
    }
}

/// Whether a layer's bias is one number shared by its neurons.
pub fn is_shared<T>(bias: &Bias<T>) -> bool {
    matches!(bias, Bias::Shared(_))
}

/// The part of ∂E/∂out of hidden neuron `k` (layer `l`, sample `s`) that comes back
/// from neuron `j` of layer `l + 1`.
pub fn d_out_part(l: usize, s: usize, k: usize, j: usize) -> String {
    format!("layers.{l}.d_out_part.{s}.{k}.{j}")
}

/// The sum Σ_k out_k × ∂E/∂out_k of softmax layer `l` for sample `s`.
pub fn softmax_dot(l: usize, s: usize) -> String {
    format!("layers.{l}.softmax_dot.{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_json_trace() {
        // ∂E/∂w5: layer 1, neuron o1 (row 0), input out_h1 (column 0).
        assert_eq!(weight("grad_weights", 1, 0, 0), "layers.1.grad_weights.0.0");
        assert_eq!(layer_input(1, 0, 1), "layers.0.out.0.1");
        assert_eq!(layer_input(0, 0, 1), "layers.0.input.0.1");
        assert_eq!(bias("grad_bias", 1, 1, true), "layers.1.grad_bias");
        assert_eq!(bias("grad_bias", 1, 1, false), "layers.1.grad_bias.1");
    }
}
