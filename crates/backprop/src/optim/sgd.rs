//! Plain gradient descent for [`Optimizer`](super::Optimizer): p ← p − η·g, as PyTorch's
//! `SGD` without momentum. (The explainer's [`Sgd`](super::Sgd) is the same rule
//! without weight decay or clipping.)

use super::rule::{Prep, Rule, Slots};
use super::OptimizerConfig;
use crate::float::Float;

/// The scalars of one step: the learning rate.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hyper<T> {
    lr: T,
}

impl<T: Float> Rule<T> for Hyper<T> {
    const SLOTS: &'static [&'static str] = &[];

    fn new(_config: &OptimizerConfig, lr: f64, _t: u64) -> Self {
        Hyper { lr: T::of(lr) }
    }

    /// One step over a parameter tensor `p` with raw gradient `g`.
    #[inline(always)]
    fn step(&self, p: &mut [T], g: &[T], _slots: Slots<'_, T>, prep: Prep<T>) {
        let lr = self.lr;
        for (p, &g) in p.iter_mut().zip(g) {
            let g = prep.grad(g, *p);
            *p = *p - lr * g;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run};
    use super::super::{Optimizer, OptimizerKind};
    use crate::layer::Bias;

    #[test]
    fn two_steps_with_weight_decay_and_a_trainable_bias() {
        // Hand derivation, η = 0.1, λ = 0.01 (coupled: g ← g + λ·p).
        // Step 1, w = [1, −2], g = [0.5, 0.25]:
        //   g' = [0.5 + 0.01·1, 0.25 + 0.01·(−2)] = [0.51, 0.23]
        //   w = [1 − 0.051, −2 − 0.023] = [0.949, −2.023]
        //   b = 0.5, g_b = −1: g' = −1 + 0.005 = −0.995, b = 0.5 + 0.0995 = 0.5995
        // Step 2, g = [0, 1], g_b = 0:
        //   g' = [0.00949, 1 − 0.02023] = [0.00949, 0.97977]
        //   w = [0.949 − 0.000949, −2.023 − 0.097977] = [0.948051, −2.120977]
        //   g'_b = 0.005995, b = 0.5995 − 0.0005995 = 0.5989005
        let c = config(OptimizerKind::Sgd, |c| {
            (c.learning_rate, c.weight_decay) = (0.1, 0.01)
        });
        let mut n = net(vec![layer(&[1.0, -2.0], Bias::Shared(0.5), true)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[0.5, 0.25], &[-1.0])]);
        run(&mut opt, &mut n, &[(&[0.0, 1.0], &[0.0])]);
        assert_close(n.layers[0].weights.as_slice(), &[0.948051, -2.120977]);
        assert_close(n.layers[0].bias.as_slice(), &[0.5989005]);
        assert_eq!(opt.steps(), 2);
        assert!(opt.export().tensors.is_empty());
    }

    #[test]
    fn a_frozen_bias_never_changes() {
        // Hand derivation: w = [1, 2] − 0.1·([2, 0] + 0.01·[1, 2]) = [0.799, 1.998];
        // the biases keep [0.5, −0.5] despite their gradients and λ.
        let c = config(OptimizerKind::Sgd, |c| {
            (c.learning_rate, c.weight_decay) = (0.1, 0.01)
        });
        let mut n = net(vec![layer(
            &[1.0, 2.0],
            Bias::PerNeuron(vec![0.5, -0.5]),
            false,
        )]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[2.0, 0.0], &[3.0, 4.0])]);
        assert_close(n.layers[0].weights.as_slice(), &[0.799, 1.998]);
        assert_eq!(n.layers[0].bias, Bias::PerNeuron(vec![0.5, -0.5]));
    }
}
