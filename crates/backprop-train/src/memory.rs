//! The memory training takes, checked before anything is allocated (the checks
//! themselves are [`backprop_io::memory`]'s).

use crate::config::TrainConfig;

pub use backprop_io::memory::{check, parameter_count};

/// Bytes a generated sample costs, all copies counted: two f32 coordinates and a
/// label in the dataset, the same again in its part of the split, and the split's
/// indices.
pub const BYTES_PER_GENERATED_SAMPLE: u64 = 2 * (2 * 4 + 8) + 8;

/// A lower bound on the bytes training a network of `sizes` under `config` takes: the
/// weights three times (the network, the model's copy, the gradients), the optimizer's
/// state, the best weights when early stopping, and one sample's five per-layer
/// buffers (the batch is clamped to the data, which is not known here).
pub fn training_bytes(sizes: &[usize], config: &TrainConfig) -> u64 {
    let t = &config.training;
    let slots = t.optimizer.kind.state_slots().len() as u64;
    let copies = 3 + slots + u64::from(t.patience.is_some());
    let neurons = sizes
        .iter()
        .skip(1)
        .fold(0u64, |n, &s| n.saturating_add(s as u64));
    let values = parameter_count(sizes)
        .saturating_mul(copies)
        .saturating_add(neurons.saturating_mul(5));
    values.saturating_mul(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_bytes_saturate_instead_of_overflowing() {
        let c = TrainConfig::default();
        assert_eq!(training_bytes(&[usize::MAX, usize::MAX], &c), u64::MAX);
    }
}
