//! Adam and AdamW, as PyTorch's `Adam` and `AdamW` (single-tensor code path):
//! m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², p ← p − η·m̂ / (√v̂ + ε) with the
//! bias corrections m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ). AdamW first decays
//! p ← p·(1 − η·λ) instead of adding λ·p to the gradient.

use super::rule::{Prep, Rule, Slots};
use super::{OptimizerConfig, OptimizerKind};
use crate::float::Float;

/// The scalars of step t, computed in `f64` as PyTorch computes them in Python.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hyper<T> {
    /// 1 − β₁, the weight of m's lerp towards g.
    w1: T,
    beta2: T,
    /// 1 − β₂.
    w2: T,
    /// η / (1 − β₁ᵗ).
    step_size: T,
    /// √(1 − β₂ᵗ).
    bc2_sqrt: T,
    eps: T,
    /// 1 − η·λ for AdamW, 1 for Adam.
    decay: T,
}

impl<T: Float> Rule<T> for Hyper<T> {
    const SLOTS: &'static [&'static str] = &["m", "v"];

    fn coupled_decay(config: &OptimizerConfig) -> bool {
        config.kind != OptimizerKind::AdamW
    }

    fn new(config: &OptimizerConfig, lr: f64, t: u64) -> Self {
        let t = t as f64;
        let bc1 = 1.0 - config.beta1.powf(t);
        let bc2 = 1.0 - config.beta2.powf(t);
        let decay = match config.kind {
            OptimizerKind::AdamW => 1.0 - lr * config.weight_decay,
            _ => 1.0,
        };
        Hyper {
            w1: T::of(1.0 - config.beta1),
            beta2: T::of(config.beta2),
            w2: T::of(1.0 - config.beta2),
            step_size: T::of(lr / bc1),
            bc2_sqrt: T::of(bc2.sqrt()),
            eps: T::of(config.epsilon),
            decay: T::of(decay),
        }
    }

    #[inline(always)]
    fn step(&self, p: &mut [T], g: &[T], [m, v]: Slots<'_, T>, prep: Prep<T>) {
        step(p, g, m, v, prep, self)
    }
}

/// One step over `p` with raw gradient `g` and moments `m`, `v`.
#[inline(always)]
fn step<T: Float>(p: &mut [T], g: &[T], m: &mut [T], v: &mut [T], prep: Prep<T>, h: &Hyper<T>) {
    let h = *h;
    for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        let g = prep.grad(g, *p);
        *p = *p * h.decay;
        // The operations in torch's order: lerp, mul + addcmul, sqrt / bc + eps, addcdiv.
        *m = *m + h.w1 * (g - *m);
        *v = *v * h.beta2 + h.w2 * g * g;
        let denom = v.sqrt() / h.bc2_sqrt + h.eps;
        *p = *p - h.step_size * *m / denom;
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run};
    use super::super::{Optimizer, OptimizerKind};
    use crate::layer::Bias;

    #[test]
    fn adam_corrects_the_bias_of_its_moments() {
        // Hand derivation, η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, w = [1, −1].
        // Step 1 (t = 1), g = [0.5, −0.2]: m = 0.1·g, v = 0.001·g², so m̂ = g, √v̂ = |g|:
        //   w = [1 − 0.1·0.5/(0.5 + ε), −1 + 0.1·0.2/(0.2 + ε)] ≈ [0.900000002, −0.900000005]
        // Step 2 (t = 2), g = [0.5, 0.4]; 1 − β₁² = 0.19, 1 − β₂² = 0.001999:
        //   first:  m = 0.9·0.05 + 0.05 = 0.095, m̂ = 0.5; v = 0.999·0.00025 + 0.00025 =
        //           0.00049975, v̂ = 0.25: the same step again, w ≈ 0.800000004
        //   second: m = 0.9·(−0.02) + 0.04 = 0.022, m̂ = 0.022/0.19 ≈ 0.115789474;
        //           v = 0.999·0.00004 + 0.00016 = 0.00019996, v̂ = 0.00019996/0.001999 ≈ 0.100030015,
        //           w = −0.900000005 − 0.1·m̂/(√v̂ + ε) ≈ −0.936610357
        let c = config(OptimizerKind::Adam, |c| c.learning_rate = 0.1);
        let mut n = net(vec![layer(&[1.0, -1.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[0.5, -0.2], &[0.0])]);
        let same = 0.1 * 0.5 / (0.5 + 1e-8);
        let second = -1.0 + 0.1 * 0.2 / (0.2 + 1e-8);
        assert_close(n.layers[0].weights.as_slice(), &[1.0 - same, second]);
        run(&mut opt, &mut n, &[(&[0.5, 0.4], &[0.0])]);
        let (m_hat, v_hat): (f64, f64) = (0.022 / 0.19, 0.00019996 / 0.001999);
        let second = second - 0.1 * m_hat / (v_hat.sqrt() + 1e-8);
        assert_close(n.layers[0].weights.as_slice(), &[1.0 - 2.0 * same, second]);
        assert!((second + 0.936610357).abs() < 1e-9);
        let state = opt.export();
        let names: Vec<_> = state.tensors.iter().map(|(n, _)| n.as_str()).collect();
        let want = [
            "layers.0.weight.m",
            "layers.0.weight.v",
            "layers.0.bias.m",
            "layers.0.bias.v",
        ];
        assert_eq!(names, want);
        assert_close(&state.tensors[0].1, &[0.095, 0.022]);
        assert_close(&state.tensors[1].1, &[0.00049975, 0.00019996]);
        // The frozen bias keeps zero moments.
        assert_eq!(
            (&state.tensors[2].1, &state.tensors[3].1),
            (&vec![0.0], &vec![0.0])
        );
    }

    #[test]
    fn adamw_decays_the_parameters_apart_from_the_gradient() {
        // Hand derivation, η = 0.1, λ = 0.1, so each step first multiplies by 1 − 0.01;
        // a constant gradient makes m̂ = g and √v̂ = |g| at every t, so the Adam part is
        // always s = 0.1·0.5/(0.5 + 1e-8) = 0.099999998.
        //   w = 2:  2·0.99 − s = 1.880000002,  1.880000002·0.99 − s = 1.761200004
        //   b = 1 (trainable, g_b = −0.5): 1·0.99 + s = 1.089999998,
        //           1.089999998·0.99 + s = 1.179099996
        let c = config(OptimizerKind::AdamW, |c| {
            (c.learning_rate, c.weight_decay) = (0.1, 0.1)
        });
        let mut n = net(vec![layer(&[2.0], Bias::Shared(1.0), true)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[0.5], &[-0.5])]);
        run(&mut opt, &mut n, &[(&[0.5], &[-0.5])]);
        let s = 0.1 * 0.5 / (0.5 + 1e-8);
        assert_close(
            n.layers[0].weights.as_slice(),
            &[(2.0 * 0.99 - s) * 0.99 - s],
        );
        assert_close(n.layers[0].bias.as_slice(), &[(0.99 + s) * 0.99 + s]);
        assert!((n.layers[0].weights.get(0, 0) - 1.7612).abs() < 1e-8);
    }

    #[test]
    fn adam_adds_coupled_weight_decay_to_the_gradient() {
        // Hand derivation, η = 0.1, λ = 0.1, w = 2, g = 0.3: g' = 0.3 + 0.1·2 = 0.5, and
        // the first step is s = 0.1·0.5/(0.5 + 1e-8), w = 2 − s ≈ 1.900000002. The
        // frozen bias stays 1 whatever λ and its gradient.
        let c = config(OptimizerKind::Adam, |c| {
            (c.learning_rate, c.weight_decay) = (0.1, 0.1)
        });
        let mut n = net(vec![layer(&[2.0], Bias::Shared(1.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[0.3], &[5.0])]);
        assert_close(
            n.layers[0].weights.as_slice(),
            &[2.0 - 0.1 * 0.5 / (0.5 + 1e-8)],
        );
        assert_eq!(n.layers[0].bias, Bias::Shared(1.0));
    }
}
