//! Momentum and Nesterov momentum, as PyTorch's `SGD(momentum=μ, dampening=0)`:
//! buf ← μ·buf + g, then p ← p − η·buf, or with Nesterov p ← p − η·(g + μ·buf).

use super::rule::{Prep, Rule, Slots};
use super::{OptimizerConfig, OptimizerKind};
use crate::float::Float;

/// The scalars of one step.
#[derive(Clone, Copy, Debug)]
pub(super) struct Hyper<T> {
    lr: T,
    mu: T,
    nesterov: bool,
}

impl<T: Float> Rule<T> for Hyper<T> {
    const SLOTS: &'static [&'static str] = &["momentum_buffer"];

    fn new(config: &OptimizerConfig, lr: f64, _t: u64) -> Self {
        Hyper {
            lr: T::of(lr),
            mu: T::of(config.momentum),
            nesterov: config.kind == OptimizerKind::Nesterov,
        }
    }

    #[inline(always)]
    fn step(&self, p: &mut [T], g: &[T], [buf, _]: Slots<'_, T>, prep: Prep<T>) {
        step(p, g, buf, prep, self)
    }
}

/// One step over `p` with raw gradient `g` and momentum buffer `buf`.
///
/// PyTorch starts `buf` as a copy of the first gradient; `buf` starts at zero here,
/// and μ·0 + g = g exactly, so the first step is the same without a branch.
#[inline(always)]
fn step<T: Float>(p: &mut [T], g: &[T], buf: &mut [T], prep: Prep<T>, h: &Hyper<T>) {
    let (lr, mu) = (h.lr, h.mu);
    let it = p.iter_mut().zip(g).zip(buf.iter_mut());
    if h.nesterov {
        for ((p, &g), b) in it {
            let g = prep.grad(g, *p);
            *b = *b * mu + g;
            *p = *p - lr * (g + mu * *b);
        }
    } else {
        for ((p, &g), b) in it {
            let g = prep.grad(g, *p);
            *b = *b * mu + g;
            *p = *p - lr * *b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run};
    use super::super::{Optimizer, OptimizerKind};
    use crate::layer::Bias;

    fn three_steps(kind: OptimizerKind) -> f64 {
        let c = config(kind, |c| (c.learning_rate, c.momentum) = (0.1, 0.9));
        let mut n = net(vec![layer(&[1.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        for g in [1.0, 1.0, -1.0] {
            run(&mut opt, &mut n, &[(&[g], &[0.0])]);
        }
        n.layers[0].weights.as_slice()[0]
    }

    #[test]
    fn momentum_accumulates_the_gradients() {
        // Hand derivation, η = 0.1, μ = 0.9, w = 1, g = 1, 1, −1:
        //   buf = 1 (the first gradient),    w = 1 − 0.1·1      = 0.9
        //   buf = 0.9·1 + 1 = 1.9,           w = 0.9 − 0.1·1.9  = 0.71
        //   buf = 0.9·1.9 − 1 = 0.71,        w = 0.71 − 0.1·0.71 = 0.639
        assert_close(&[three_steps(OptimizerKind::Momentum)], &[0.639]);
    }

    #[test]
    fn nesterov_looks_ahead() {
        // Hand derivation, same run, the step is g + μ·buf:
        //   buf = 1,    d = 1 + 0.9·1 = 1.9,       w = 1 − 0.19      = 0.81
        //   buf = 1.9,  d = 1 + 0.9·1.9 = 2.71,    w = 0.81 − 0.271  = 0.539
        //   buf = 0.71, d = −1 + 0.9·0.71 = −0.361, w = 0.539 + 0.0361 = 0.5751
        assert_close(&[three_steps(OptimizerKind::Nesterov)], &[0.5751]);
    }

    #[test]
    fn weight_decay_enters_the_buffer() {
        // Hand derivation, η = 0.1, μ = 0.9, λ = 0.1, w = 2 with g = 0, b = 1 with g_b = 0.5:
        // step 1: g' = 0 + 0.1·2 = 0.2,     buf = 0.2,                 w = 2 − 0.02 = 1.98
        //         g'_b = 0.5 + 0.1·1 = 0.6, buf_b = 0.6,               b = 1 − 0.06 = 0.94
        // step 2: g' = 0.1·1.98 = 0.198,    buf = 0.18 + 0.198 = 0.378, w = 1.98 − 0.0378 = 1.9422
        //         g'_b = 0.5 + 0.094 = 0.594, buf_b = 0.54 + 0.594 = 1.134, b = 0.94 − 0.1134 = 0.8266
        let c = config(OptimizerKind::Momentum, |c| {
            (c.learning_rate, c.momentum, c.weight_decay) = (0.1, 0.9, 0.1)
        });
        let mut n = net(vec![layer(&[2.0], Bias::Shared(1.0), true)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[0.0], &[0.5])]);
        run(&mut opt, &mut n, &[(&[0.0], &[0.5])]);
        assert_close(n.layers[0].weights.as_slice(), &[1.9422]);
        assert_close(n.layers[0].bias.as_slice(), &[0.8266]);
        let state = opt.export();
        assert_eq!(state.tensors[0].0, "layers.0.weight.momentum_buffer");
        assert_close(&state.tensors[0].1, &[0.378]);
        assert_eq!(state.tensors[1].0, "layers.0.bias.momentum_buffer");
        assert_close(&state.tensors[1].1, &[1.134]);
    }
}
