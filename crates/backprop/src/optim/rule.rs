//! [`Rule`]: what one kind of optimizer does to each parameter, element by element,
//! with the state it keeps. Each rule lives in its own file (`sgd.rs`, `momentum.rs`,
//! `adam.rs`, `rprop.rs`) and is registered for its kinds in [`for_kind`]; clipping,
//! coupled weight decay, the split over two threads and checkpoints are the
//! [`Optimizer`](super::Optimizer)'s, the same for every rule.

use super::config::{OptimizerConfig, OptimizerKind};
use super::{adam, momentum, rprop, sgd};
use crate::float::Float;

/// The most state tensors a rule keeps per parameter tensor.
pub(super) const MAX_SLOTS: usize = 2;

/// A rule's state for a part of one parameter tensor: one slice per slot, each as long
/// as the parameters (unused slots are empty).
pub(super) type Slots<'a, T> = [&'a mut [T]; MAX_SLOTS];

/// What happens to a raw gradient before the rule sees it: clipping, then coupled L2.
#[derive(Clone, Copy, Debug)]
pub(super) struct Prep<T> {
    /// The clipping coefficient (1 when not clipping).
    pub clip: T,
    /// Coupled weight decay λ (0 when the rule decays the parameter itself).
    pub decay: T,
}

impl<T: Float> Prep<T> {
    /// g·clip + λ·p. With clip 1 and λ 0 this is g exactly for finite p, so no branch.
    #[inline(always)]
    pub fn grad(self, g: T, p: T) -> T {
        g * self.clip + self.decay * p
    }
}

/// An update rule with its scalars for one step.
pub(super) trait Rule<T: Float>: Sized + Sync {
    /// The names of its state tensors, as checkpoints name them; at most [`MAX_SLOTS`].
    const SLOTS: &'static [&'static str];

    /// The value every element of state slot `slot` starts at.
    fn initial(_config: &OptimizerConfig, _slot: usize) -> f64 {
        0.0
    }

    /// Whether weight decay is added to the gradient (L2); false for a rule that
    /// decays the parameters itself (AdamW).
    fn coupled_decay(_config: &OptimizerConfig) -> bool {
        true
    }

    /// The rule's scalars for step `t` (1-based) at learning rate `lr`.
    fn new(config: &OptimizerConfig, lr: f64, t: u64) -> Self;

    /// One step over parameters `p` with raw gradients `g` and the state `slots`, all
    /// of `p`'s length. Must be `#[inline(always)]`, so that it is compiled for the
    /// widest vector instructions where the optimizer calls it.
    fn step(&self, p: &mut [T], g: &[T], slots: Slots<'_, T>, prep: Prep<T>);
}

/// Something to do with the rule of a kind, whatever its type.
pub(super) trait WithRule<T: Float> {
    /// What it gives.
    type Output;
    /// Does it with rule `R`.
    fn with<R: Rule<T>>(self) -> Self::Output;
}

/// The registration: runs `job` with the rule of `kind`.
pub(super) fn for_kind<T: Float, J: WithRule<T>>(kind: OptimizerKind, job: J) -> J::Output {
    match kind {
        OptimizerKind::Sgd => job.with::<sgd::Hyper<T>>(),
        OptimizerKind::Momentum | OptimizerKind::Nesterov => job.with::<momentum::Hyper<T>>(),
        OptimizerKind::Adam | OptimizerKind::AdamW => job.with::<adam::Hyper<T>>(),
        OptimizerKind::Rprop => job.with::<rprop::Hyper<T>>(),
    }
}

/// The names of the state tensors a kind keeps.
struct SlotNames;

impl<T: Float> WithRule<T> for SlotNames {
    type Output = &'static [&'static str];
    fn with<R: Rule<T>>(self) -> Self::Output {
        R::SLOTS
    }
}

impl OptimizerKind {
    /// The names of the state tensors this optimizer keeps for each parameter tensor,
    /// each shaped like the parameters (`m` and `v` for Adam).
    pub fn state_slots(self) -> &'static [&'static str] {
        for_kind::<f64, _>(self, SlotNames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_keeps_the_state_checkpoints_name() {
        // The names are part of the checkpoint format (`layers.0.weight.m`, …), and
        // follow torch.optim's state keys where it has the same buffer.
        let slots = |k: OptimizerKind| k.state_slots().to_vec();
        assert!(slots(OptimizerKind::Sgd).is_empty());
        assert_eq!(slots(OptimizerKind::Momentum), ["momentum_buffer"]);
        assert_eq!(slots(OptimizerKind::Nesterov), ["momentum_buffer"]);
        assert_eq!(slots(OptimizerKind::Adam), ["m", "v"]);
        assert_eq!(slots(OptimizerKind::AdamW), ["m", "v"]);
        assert_eq!(slots(OptimizerKind::Rprop), ["delta", "prev_grad"]);
        assert!(OptimizerKind::ALL
            .iter()
            .all(|k| k.state_slots().len() <= MAX_SLOTS));
    }
}
