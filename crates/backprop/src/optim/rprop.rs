//! FANN's iRPROP− (resilient backpropagation, FANN's default for full batches): each
//! parameter moves by its own step size Δ in the direction against its gradient's
//! sign. Δ grows while the sign holds and shrinks when it flips; after a flip the step
//! is skipped and the gradient forgotten, so the next step moves again. The learning
//! rate plays no part.

use super::rule::{Prep, Rule, Slots};
use super::OptimizerConfig;
use crate::float::Float;

/// The scalars of one step.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hyper<T> {
    increase: T,
    decrease: T,
    delta_min: T,
    delta_max: T,
}

impl<T: Float> Rule<T> for Hyper<T> {
    const SLOTS: &'static [&'static str] = &["delta", "prev_grad"];

    /// Every step size starts at Δ₀; the previous gradients at 0.
    fn initial(config: &OptimizerConfig, slot: usize) -> f64 {
        if slot == 0 {
            config.rprop.delta_zero
        } else {
            0.0
        }
    }

    fn new(config: &OptimizerConfig, _lr: f64, _t: u64) -> Self {
        let config = &config.rprop;
        Hyper {
            increase: T::of(config.increase),
            decrease: T::of(config.decrease),
            delta_min: T::of(config.delta_min),
            delta_max: T::of(config.delta_max),
        }
    }

    #[inline(always)]
    fn step(&self, p: &mut [T], g: &[T], [delta, prev_grad]: Slots<'_, T>, prep: Prep<T>) {
        step(p, g, delta, prev_grad, prep, self)
    }
}

/// One step over `p` with raw gradient `g`, step sizes `delta` and the previous
/// gradients `prev_grad`:
/// - g·g_prev > 0: Δ ← min(Δ·η⁺, Δmax), p ← p − sign(g)·Δ, g_prev ← g
/// - g·g_prev < 0: Δ ← max(Δ·η⁻, Δmin), no step, g_prev ← 0
/// - g·g_prev = 0: p ← p − sign(g)·Δ, g_prev ← g
#[inline(always)]
fn step<T: Float>(
    p: &mut [T],
    g: &[T],
    delta: &mut [T],
    prev_grad: &mut [T],
    prep: Prep<T>,
    h: &Hyper<T>,
) {
    let h = *h;
    let (zero, one) = (T::zero(), T::one());
    let it = p
        .iter_mut()
        .zip(g)
        .zip(delta.iter_mut())
        .zip(prev_grad.iter_mut());
    for (((p, &g), d), g_prev) in it {
        let g = prep.grad(g, *p);
        let same = g * *g_prev;
        // After a flip the gradient is kept as 0, which also makes the step 0.
        let (d_new, g_kept) = if same > zero {
            ((*d * h.increase).min(h.delta_max), g)
        } else if same < zero {
            ((*d * h.decrease).max(h.delta_min), zero)
        } else {
            (*d, g)
        };
        // sign(0) = 0: no gradient, no step (f64::signum would say 1).
        let sign = if g_kept > zero {
            one
        } else if g_kept < zero {
            -one
        } else {
            zero
        };
        *p = *p - sign * d_new;
        *d = d_new;
        *g_prev = g_kept;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run};
    use super::super::{Optimizer, OptimizerKind};
    use crate::layer::Bias;

    #[test]
    fn step_sizes_grow_shrink_and_skip_a_step_after_a_flip() {
        // Hand derivation, FANN's defaults (η⁺ 1.2, η⁻ 0.5, Δ₀ 0.1), w = [0, 0, 0];
        // a learning rate of 123 must change nothing.
        // first,  g = 1, 1, 1:   w −= 0.1 (g_prev 0), Δ = 0.12, w −= 0.12, Δ = 0.144,
        //                        w −= 0.144: w = −0.364
        // second, g = 1, −1, −1: w −= 0.1; flip: Δ = 0.05, no step, g_prev = 0;
        //                        g·g_prev = 0: w −= sign(−1)·0.05: w = −0.05, g_prev = −1
        // third,  g = 0, 2, −0.5: sign(0) = 0, no step; w −= 0.1, g_prev = 2; flip:
        //                        Δ = 0.05, no step, g_prev = 0: w = −0.1
        let c = config(OptimizerKind::Rprop, |c| c.learning_rate = 123.0);
        let mut n = net(vec![layer(&[0.0, 0.0, 0.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        for g in [[1.0, 1.0, 0.0], [1.0, -1.0, 2.0], [1.0, -1.0, -0.5]] {
            run(&mut opt, &mut n, &[(&g, &[0.0])]);
        }
        assert_close(n.layers[0].weights.as_slice(), &[-0.364, -0.05, -0.1]);
        let state = opt.export();
        assert_eq!(state.tensors[0].0, "layers.0.weight.delta");
        assert_close(&state.tensors[0].1, &[0.144, 0.05, 0.05]);
        assert_eq!(state.tensors[1].0, "layers.0.weight.prev_grad");
        assert_close(&state.tensors[1].1, &[1.0, -1.0, 0.0]);
        // The frozen bias keeps Δ₀ and a zero previous gradient.
        assert_eq!(state.tensors[2], ("layers.0.bias.delta".into(), vec![0.1]));
        assert_eq!(
            state.tensors[3],
            ("layers.0.bias.prev_grad".into(), vec![0.0])
        );
    }

    #[test]
    fn step_sizes_stay_within_their_bounds() {
        // Hand derivation, Δ₀ 0.1, Δmax 0.11, Δmin 0.08, w = [0, 0]:
        // first,  g = 1, 1:  w −= 0.1, then Δ = min(0.12, 0.11) = 0.11: w = −0.21
        // second, g = 1, −1: w −= 0.1, then Δ = max(0.05, 0.08) = 0.08, no step: w = −0.1
        let c = config(OptimizerKind::Rprop, |c| {
            (c.rprop.delta_max, c.rprop.delta_min) = (0.11, 0.08)
        });
        let mut n = net(vec![layer(&[0.0, 0.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[1.0, 1.0], &[0.0])]);
        run(&mut opt, &mut n, &[(&[1.0, -1.0], &[0.0])]);
        assert_close(n.layers[0].weights.as_slice(), &[-0.21, -0.1]);
        assert_close(&opt.export().tensors[0].1, &[0.11, 0.08]);
    }

    #[test]
    fn weight_decay_can_turn_the_sign() {
        // Hand derivation, λ = 0.1: w = 1, g = −0.05: g' = −0.05 + 0.1·1 = 0.05 > 0, so
        // w = 1 − 0.1 = 0.9. The trainable bias b = 0, g_b = −3: b = 0 + 0.1 = 0.1.
        let c = config(OptimizerKind::Rprop, |c| c.weight_decay = 0.1);
        let mut n = net(vec![layer(&[1.0], Bias::Shared(0.0), true)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[-0.05], &[-3.0])]);
        assert_close(n.layers[0].weights.as_slice(), &[0.9]);
        assert_close(n.layers[0].bias.as_slice(), &[0.1]);
    }
}
