//! [`Optimizer`]: every optimizer of [`OptimizerKind`] behind one [`Update`], with its
//! state, gradient clipping and weight decay; the rules are in their own files (see
//! `rule.rs`). Checkpoints are in `state.rs`.

use super::config::OptimizerConfig;
use super::rule::{for_kind, Prep, Rule, WithRule};
use super::Update;
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
    /// The names of the rule's state tensors.
    pub(super) slots: &'static [&'static str],
    pub(super) layers: Vec<LayerState<T>>,
    /// The update of one layer by the configured kind's rule.
    update: UpdateFn<T>,
}

/// One layer's optimizer state: one tensor per name of
/// [`OptimizerKind::state_slots`](super::OptimizerKind::state_slots), each empty for
/// plain SGD.
#[derive(Clone, Copy, Debug)]
pub struct SlotValues<'a, T> {
    /// For each state tensor, its values for the weights, row by row as the weights
    /// are stored.
    pub weights: &'a [Vec<T>],
    /// For each state tensor, its values for the bias.
    pub bias: &'a [Vec<T>],
}

/// [`update::<R>`](update) for the rule `R` of the configured kind.
type UpdateFn<T> = fn(&mut Optimizer<T>, usize, &mut Dense<T>, &Matrix<T>, &Bias<T>);

#[derive(Clone, Debug)]
pub(super) struct LayerState<T> {
    /// The state of the weights: one tensor per slot, each the weights' length.
    pub weight: Vec<Vec<T>>,
    /// The state of the bias, likewise.
    pub bias: Vec<Vec<T>>,
    /// Whether the bias counts towards the clipping norm (refreshed every update).
    train_bias: bool,
}

/// What [`Optimizer::new`] takes from the rule of its kind.
struct Setup<'a> {
    config: &'a OptimizerConfig,
}

impl<T: Float> WithRule<T> for Setup<'_> {
    type Output = (&'static [&'static str], Vec<T>, UpdateFn<T>);

    fn with<R: Rule<T>>(self) -> Self::Output {
        let initial = (0..R::SLOTS.len())
            .map(|slot| T::of(R::initial(self.config, slot)))
            .collect();
        (R::SLOTS, initial, update::<T, R>)
    }
}

impl<T: Float> Optimizer<T> {
    /// An optimizer for `net`, with its state at the rule's starting values (zeros;
    /// RPROP's steps at `delta_zero`).
    pub fn new(config: OptimizerConfig, net: &Network<T>) -> Self {
        let (slots, initial, update) = for_kind(config.kind, Setup { config: &config });
        let state = |len: usize| initial.iter().map(|&x| vec![x; len]).collect();
        let layers = net
            .layers
            .iter()
            .map(|l| LayerState {
                weight: state(l.weights.as_slice().len()),
                bias: state(l.bias.as_slice().len()),
                train_bias: l.train_bias,
            })
            .collect();
        Optimizer {
            learning_rate: config.learning_rate,
            config,
            steps: 0,
            clip: 1.0,
            slots,
            layers,
            update,
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

    /// The rule's state of layer `index` (see [`SlotValues`]); `None` past the last
    /// layer. What an observer of the optimizer reads before and after a layer's update.
    pub fn layer_state(&self, index: usize) -> Option<SlotValues<'_, T>> {
        self.layers.get(index).map(|s| SlotValues {
            weights: &s.weight,
            bias: &s.bias,
        })
    }
}

/// Updates layer `index` by rule `R`: the gradient clipped and decayed as configured,
/// the weights, then the bias when it is trained.
fn update<T: Float, R: Rule<T>>(
    opt: &mut Optimizer<T>,
    index: usize,
    layer: &mut Dense<T>,
    grad_w: &Matrix<T>,
    grad_b: &Bias<T>,
) {
    // Without a begin_step the update counts as the first.
    let rule = R::new(&opt.config, opt.learning_rate, opt.steps.max(1));
    let decay = if R::coupled_decay(&opt.config) {
        opt.config.weight_decay
    } else {
        0.0
    };
    let prep = Prep {
        clip: T::of(opt.clip),
        decay: T::of(decay),
    };
    let state = &mut opt.layers[index];
    state.train_bias = layer.train_bias;
    apply(
        &rule,
        prep,
        &mut state.weight,
        layer.weights.as_mut_slice(),
        grad_w.as_slice(),
    );
    if layer.train_bias {
        apply(
            &rule,
            prep,
            &mut state.bias,
            layer.bias.as_mut_slice(),
            grad_b.as_slice(),
        );
    }
}

/// A slot's part, or an empty slice for a slot the rule does not keep.
fn part<T>(slot: Option<&mut [T]>) -> &mut [T] {
    slot.unwrap_or_default()
}

/// One tensor's step by `rule`. Element-wise rules: the two halves of a large tensor
/// go to two threads without changing a single result.
fn apply<T: Float, R: Rule<T>>(
    rule: &R,
    prep: Prep<T>,
    state: &mut [Vec<T>],
    p: &mut [T],
    g: &[T],
) {
    // Checked once per tensor, so that the loops need no bounds checks.
    assert_eq!(
        p.len(),
        g.len(),
        "a gradient has the shape of its parameters"
    );
    assert!(
        state.len() == R::SLOTS.len() && state.iter().all(|s| s.len() == p.len()),
        "the optimizer was made for another network"
    );
    let at = crate::kernel::halfway(p.len());
    let share = at < p.len();
    let (p0, p1) = p.split_at_mut(at);
    let (g0, g1) = g.split_at(at);
    let mut halves = state.iter_mut().map(|s| s.split_at_mut(at));
    let (s0, s1) = halves.next().unzip();
    let (t0, t1) = halves.next().unzip();
    both(
        share,
        (p0, g0, [part(s0), part(t0)]),
        (p1, g1, [part(s1), part(t1)]),
        #[inline(always)]
        |(p, g, slots)| {
            wide(
                p.len(),
                #[inline(always)]
                || rule.step(p, g, slots, prep),
            )
        },
    );
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
        (self.update)(self, index, layer, grad_w, grad_b);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assert_close, config, layer, net, run, two_layers};
    use super::super::OptimizerKind;
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
