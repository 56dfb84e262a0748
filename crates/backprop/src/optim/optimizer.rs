//! [`Optimizer`]: every optimizer of [`OptimizerKind`] behind one [`Update`], with its
//! state, gradient clipping and weight decay. Checkpoints are in `state.rs`.

use super::config::{OptimizerConfig, OptimizerKind};
use super::{adam, momentum, rprop, sgd, Update};
use crate::float::Float;
use crate::kernel::{both, wide};
use crate::layer::{Bias, Dense};
use crate::matrix::Matrix;
use crate::network::{Network, Workspace};

/// An optimizer of any [`OptimizerKind`] over one network.
///
/// All state is allocated by [`new`](Self::new), so steps do not allocate. Follows
/// `torch.optim` (single-tensor code path) for sgd, momentum, nesterov, adam and adamw,
/// and FANN for rprop. Gradient clipping is measured in
/// [`before_updates`](Update::before_updates), so it needs [`Order::Textbook`](crate::Order::Textbook);
/// in published order gradients are not clipped.
#[derive(Clone, Debug)]
pub struct Optimizer<T> {
    pub(super) config: OptimizerConfig,
    learning_rate: f64,
    pub(super) steps: u64,
    /// This step's clipping coefficient, min(1, max_norm / (‖g‖ + 1e-6)).
    clip: f64,
    pub(super) layers: Vec<LayerState<T>>,
}

#[derive(Clone, Debug)]
pub(super) struct LayerState<T> {
    pub weight: Buffers<T>,
    pub bias: Buffers<T>,
    /// Whether the bias counts towards the clipping norm (refreshed every update).
    train_bias: bool,
}

/// One parameter tensor's buffers, named as in the math.
#[derive(Clone, Debug)]
pub(super) enum Buffers<T> {
    Sgd,
    Momentum { buf: Vec<T> },
    Adam { m: Vec<T>, v: Vec<T> },
    Rprop { delta: Vec<T>, prev_grad: Vec<T> },
}

impl<T: Float> Buffers<T> {
    fn new(config: &OptimizerConfig, len: usize) -> Self {
        let zeros = || vec![T::zero(); len];
        match config.kind {
            OptimizerKind::Sgd => Buffers::Sgd,
            OptimizerKind::Momentum | OptimizerKind::Nesterov => Buffers::Momentum { buf: zeros() },
            OptimizerKind::Adam | OptimizerKind::AdamW => Buffers::Adam {
                m: zeros(),
                v: zeros(),
            },
            OptimizerKind::Rprop => Buffers::Rprop {
                delta: vec![T::of(config.rprop.delta_zero); len],
                prev_grad: zeros(),
            },
        }
    }

    /// Whether every buffer holds `len` values.
    fn fits(&self, len: usize) -> bool {
        match self {
            Buffers::Sgd => true,
            Buffers::Momentum { buf } => buf.len() == len,
            Buffers::Adam { m, v } => m.len() == len && v.len() == len,
            Buffers::Rprop { delta, prev_grad } => delta.len() == len && prev_grad.len() == len,
        }
    }

    /// The buffers with their names, for checkpoints.
    pub fn buffers(&self) -> Vec<(&'static str, &[T])> {
        match self {
            Buffers::Sgd => vec![],
            Buffers::Momentum { buf } => vec![("momentum_buffer", buf)],
            Buffers::Adam { m, v } => vec![("m", m), ("v", v)],
            Buffers::Rprop { delta, prev_grad } => vec![("delta", delta), ("prev_grad", prev_grad)],
        }
    }

    /// [`buffers`](Self::buffers), to write.
    pub fn buffers_mut(&mut self) -> Vec<(&'static str, &mut [T])> {
        match self {
            Buffers::Sgd => vec![],
            Buffers::Momentum { buf } => vec![("momentum_buffer", buf)],
            Buffers::Adam { m, v } => vec![("m", m), ("v", v)],
            Buffers::Rprop { delta, prev_grad } => vec![("delta", delta), ("prev_grad", prev_grad)],
        }
    }
}

/// What happens to a raw gradient before the rule sees it: clipping, then coupled L2.
#[derive(Clone, Copy, Debug)]
pub(super) struct Prep<T> {
    /// The clipping coefficient (1 when not clipping).
    pub clip: T,
    /// Coupled weight decay λ (0 for adamw, which decays the parameter instead).
    pub decay: T,
}

impl<T: Float> Prep<T> {
    /// g·clip + λ·p. With clip 1 and λ 0 this is g exactly for finite p, so no branch.
    #[inline(always)]
    pub fn grad(self, g: T, p: T) -> T {
        g * self.clip + self.decay * p
    }
}

/// The update rule of this step, with its scalars in `T`.
enum Rule<T> {
    Sgd { lr: T },
    Momentum(momentum::Hyper<T>),
    Adam(adam::Hyper<T>),
    Rprop(rprop::Hyper<T>),
}

impl<T: Float> Optimizer<T> {
    /// An optimizer for `net`, with zeroed state (RPROP's steps at `delta_zero`).
    pub fn new(config: OptimizerConfig, net: &Network<T>) -> Self {
        let layers = net
            .layers
            .iter()
            .map(|l| LayerState {
                weight: Buffers::new(&config, l.weights.as_slice().len()),
                bias: Buffers::new(&config, l.bias.as_slice().len()),
                train_bias: l.train_bias,
            })
            .collect();
        Optimizer {
            learning_rate: config.learning_rate,
            config,
            steps: 0,
            clip: 1.0,
            layers,
        }
    }

    /// The settings given to [`new`](Self::new) (the learning rate as given there).
    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    /// The learning rate now in use.
    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Sets the learning rate for the following updates (RPROP ignores it).
    pub fn set_learning_rate(&mut self, lr: f64) {
        self.learning_rate = lr;
    }

    /// Number of [`begin_step`](Update::begin_step) calls so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    fn rule(&self) -> Rule<T> {
        let c = &self.config;
        let lr = self.learning_rate;
        match c.kind {
            OptimizerKind::Sgd => Rule::Sgd { lr: T::of(lr) },
            OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                Rule::Momentum(momentum::Hyper::new(c, lr))
            }
            // Without a begin_step the update counts as the first.
            OptimizerKind::Adam | OptimizerKind::AdamW => {
                Rule::Adam(adam::Hyper::new(c, lr, self.steps.max(1)))
            }
            OptimizerKind::Rprop => Rule::Rprop(rprop::Hyper::new(&c.rprop)),
        }
    }

    fn apply(rule: &Rule<T>, prep: Prep<T>, buffers: &mut Buffers<T>, p: &mut [T], g: &[T]) {
        // Checked once per tensor, so that the loops below need no bounds checks.
        assert_eq!(
            p.len(),
            g.len(),
            "a gradient has the shape of its parameters"
        );
        assert!(
            buffers.fits(p.len()),
            "the optimizer was made for another network"
        );
        // Element-wise rules: the two halves of a large tensor can go to two threads
        // without changing a single result.
        let at = crate::kernel::halfway(p.len());
        let share = at < p.len();
        let (p0, p1) = p.split_at_mut(at);
        let (g0, g1) = g.split_at(at);
        match (rule, buffers) {
            (Rule::Sgd { lr }, Buffers::Sgd) => both(
                share,
                (p0, g0),
                (p1, g1),
                #[inline(always)]
                |(p, g)| {
                    wide(
                        p.len(),
                        #[inline(always)]
                        || sgd::step(p, g, prep, *lr),
                    )
                },
            ),
            (Rule::Momentum(h), Buffers::Momentum { buf }) => {
                let (b0, b1) = buf.split_at_mut(at);
                both(
                    share,
                    (p0, g0, b0),
                    (p1, g1, b1),
                    #[inline(always)]
                    |(p, g, b)| {
                        wide(
                            p.len(),
                            #[inline(always)]
                            || momentum::step(p, g, b, prep, h),
                        )
                    },
                )
            }
            (Rule::Adam(h), Buffers::Adam { m, v }) => {
                let ((m0, m1), (v0, v1)) = (m.split_at_mut(at), v.split_at_mut(at));
                both(
                    share,
                    (p0, g0, m0, v0),
                    (p1, g1, m1, v1),
                    #[inline(always)]
                    |(p, g, m, v)| {
                        wide(
                            p.len(),
                            #[inline(always)]
                            || adam::step(p, g, m, v, prep, h),
                        )
                    },
                )
            }
            (Rule::Rprop(h), Buffers::Rprop { delta, prev_grad }) => {
                let (d0, d1) = delta.split_at_mut(at);
                let (q0, q1) = prev_grad.split_at_mut(at);
                both(
                    share,
                    (p0, g0, d0, q0),
                    (p1, g1, d1, q1),
                    #[inline(always)]
                    |(p, g, d, q)| {
                        wide(
                            p.len(),
                            #[inline(always)]
                            || rprop::step(p, g, d, q, prep, h),
                        )
                    },
                )
            }
            _ => unreachable!("the buffers are made for the configured kind"),
        }
    }
}

impl<T: Float> Update<T> for Optimizer<T> {
    fn begin_step(&mut self) {
        self.steps += 1;
        // A clip measured for an earlier step must not carry over (published order).
        self.clip = 1.0;
    }

    fn before_updates(&mut self, ws: &Workspace<T>) {
        let Some(max_norm) = self.config.clip_norm else {
            return;
        };
        let squares = |s: &[T]| s.iter().map(|&g| g.widen() * g.widen()).sum::<f64>();
        let mut sum = 0.0;
        for (buf, layer) in ws.layers.iter().zip(&self.layers) {
            sum += squares(buf.grad_w.as_slice());
            if layer.train_bias {
                sum += squares(buf.grad_b.as_slice());
            }
        }
        let coef = max_norm / (sum.sqrt() + 1e-6);
        // Like torch's clamp(max=1): a NaN norm makes NaN gradients, not unclipped ones.
        self.clip = if coef >= 1.0 { 1.0 } else { coef };
    }

    fn update_layer(
        &mut self,
        index: usize,
        layer: &mut Dense<T>,
        grad_w: &Matrix<T>,
        grad_b: &Bias<T>,
    ) {
        let rule = self.rule();
        let decay = match self.config.kind {
            OptimizerKind::AdamW => 0.0,
            _ => self.config.weight_decay,
        };
        let prep = Prep {
            clip: T::of(self.clip),
            decay: T::of(decay),
        };
        let buffers = &mut self.layers[index];
        buffers.train_bias = layer.train_bias;
        let (w, gw) = (layer.weights.as_mut_slice(), grad_w.as_slice());
        Self::apply(&rule, prep, &mut buffers.weight, w, gw);
        if layer.train_bias {
            let (b, gb) = (layer.bias.as_mut_slice(), grad_b.as_slice());
            Self::apply(&rule, prep, &mut buffers.bias, b, gb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run, two_layers};
    use super::*;

    #[test]
    fn clipping_scales_every_gradient_by_the_global_norm() {
        // Hand derivation: g = 3 (layer 0), g_b = 0, g = 4 (layer 1); the frozen bias's
        // 100 does not count: ‖g‖ = √(9 + 16) = 5. With max 1, c = 1/(5 + 1e-6) < 1:
        // w₀ = 1 − 1·3c ≈ 0.40000012, w₁ = 1 − 1·4c ≈ 0.20000016 (η = 1, sgd).
        let c = config(OptimizerKind::Sgd, |c| {
            (c.learning_rate, c.clip_norm) = (1.0, Some(1.0))
        });
        let mut n = two_layers();
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[3.0], &[0.0]), (&[4.0], &[100.0])]);
        let coef = 1.0 / (5.0 + 1e-6);
        assert_close(n.layers[0].weights.as_slice(), &[1.0 - 3.0 * coef]);
        assert_close(n.layers[1].weights.as_slice(), &[1.0 - 4.0 * coef]);
        assert_eq!(n.layers[1].bias, Bias::Shared(0.0));
    }

    #[test]
    fn clipping_leaves_gradients_within_the_norm() {
        // Hand derivation: ‖g‖ = 5 as above, max 10: c = 10/5.000001 > 1, no scaling:
        // w₀ = 1 − 3 = −2, w₁ = 1 − 4 = −3.
        let c = config(OptimizerKind::Sgd, |c| {
            (c.learning_rate, c.clip_norm) = (1.0, Some(10.0))
        });
        let mut n = two_layers();
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[3.0], &[0.0]), (&[4.0], &[100.0])]);
        assert_eq!(n.layers[0].weights.as_slice(), &[-2.0]);
        assert_eq!(n.layers[1].weights.as_slice(), &[-3.0]);
    }

    #[test]
    fn weight_decay_comes_after_clipping_and_is_not_measured() {
        // Hand derivation: w = [1, 2], g = [3, 4], ‖g‖ = 5, max 1: c = 1/(5 + 1e-6);
        // λ = 0.5, η = 1: g' = [3c + 0.5, 4c + 1], w = [0.5 − 3c, 1 − 4c].
        let c = config(OptimizerKind::Sgd, |c| {
            (c.learning_rate, c.clip_norm, c.weight_decay) = (1.0, Some(1.0), 0.5)
        });
        let mut n = net(vec![layer(&[1.0, 2.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[3.0, 4.0], &[0.0])]);
        let coef = 1.0 / (5.0 + 1e-6);
        assert_close(
            n.layers[0].weights.as_slice(),
            &[0.5 - 3.0 * coef, 1.0 - 4.0 * coef],
        );
    }

    #[test]
    fn the_learning_rate_can_change_between_steps() {
        // Hand derivation: w = 1, g = 1: 1 − 0.1 = 0.9, then at η = 0.5: 0.9 − 0.5 = 0.4.
        let c = config(OptimizerKind::Sgd, |c| c.learning_rate = 0.1);
        let mut n = net(vec![layer(&[1.0], Bias::Shared(0.0), false)]);
        let mut opt = Optimizer::new(c, &n);
        run(&mut opt, &mut n, &[(&[1.0], &[0.0])]);
        opt.set_learning_rate(0.5);
        run(&mut opt, &mut n, &[(&[1.0], &[0.0])]);
        assert_close(n.layers[0].weights.as_slice(), &[0.4]);
        assert_eq!(
            (opt.learning_rate(), opt.config().learning_rate),
            (0.5, 0.1)
        );
        assert_eq!(opt.steps(), 2);
    }
}
