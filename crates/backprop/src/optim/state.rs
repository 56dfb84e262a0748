//! [`OptimizerState`]: an [`Optimizer`]'s buffers by name, for checkpoints.

use serde::{Deserialize, Serialize};

use super::optimizer::Optimizer;
use crate::error::{Error, Result};
use crate::float::Float;

/// An optimizer's state, widened to `f64` (exact for `f32`), for checkpoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    /// Number of steps taken.
    pub steps: u64,
    /// Named buffers such as `layers.0.weight.m` or `layers.1.bias.delta`.
    pub tensors: Vec<(String, Vec<f64>)>,
}

impl<T: Float> Optimizer<T> {
    /// Everything needed to continue bit-identically, widened to `f64`. The learning
    /// rate is not part of it: the trainer sets it from its schedule.
    pub fn export(&self) -> OptimizerState {
        let tensors = self
            .named()
            .into_iter()
            .map(|(name, _, buf)| (name, buf.iter().map(|x| x.widen()).collect()))
            .collect();
        OptimizerState {
            steps: self.steps,
            tensors,
        }
    }

    /// Restores a state from [`export`](Self::export). The tensors may come in any
    /// order, but their names and lengths must be exactly those this optimizer keeps
    /// for this network; otherwise nothing changes and the error says what differs.
    pub fn import(&mut self, state: &OptimizerState) -> Result<()> {
        let kind = self.config.kind;
        let layer_count = self.layers.len();
        let named = self.named();
        let mut seen = vec![false; named.len()];
        for (name, values) in &state.tensors {
            let Some(i) = named.iter().position(|(n, _, _)| n == name) else {
                return Err(Error::Shape(format!(
                    "optimizer state has `{name}`, which {kind} does not keep for a network of {layer_count} layers"
                )));
            };
            if std::mem::replace(&mut seen[i], true) {
                return Err(Error::Shape(format!("optimizer state has `{name}` twice")));
            }
            let (_, what, buf) = &named[i];
            if values.len() != buf.len() {
                return Err(Error::Shape(format!(
                    "optimizer state `{name}` has {} values, {what} has {}",
                    values.len(),
                    buf.len()
                )));
            }
        }
        if let Some(i) = seen.iter().position(|&s| !s) {
            return Err(Error::Shape(format!(
                "optimizer state lacks `{}`, which {kind} keeps",
                named[i].0
            )));
        }
        for (name, buf) in self.named_mut() {
            // Every name was found above; a missing one would have returned an error.
            if let Some((_, values)) = state.tensors.iter().find(|(n, _)| *n == name) {
                for (b, &x) in buf.iter_mut().zip(values) {
                    *b = T::of(x);
                }
            }
        }
        self.steps = state.steps;
        Ok(())
    }

    /// Every buffer as (name, what it belongs to, values), layer by layer.
    fn named(&self) -> Vec<(String, String, &[T])> {
        let mut out = vec![];
        for (l, layer) in self.layers.iter().enumerate() {
            for (param, state) in [("weight", &layer.weight), ("bias", &layer.bias)] {
                for (slot, buf) in self.slots.iter().zip(state) {
                    let what = format!("layer {l}'s {param}");
                    out.push((format!("layers.{l}.{param}.{slot}"), what, buf.as_slice()));
                }
            }
        }
        out
    }

    /// The buffers of [`named`](Self::named), to write.
    fn named_mut(&mut self) -> Vec<(String, &mut [T])> {
        let mut out = vec![];
        for (l, layer) in self.layers.iter_mut().enumerate() {
            for (param, state) in [("weight", &mut layer.weight), ("bias", &mut layer.bias)] {
                for (slot, buf) in self.slots.iter().zip(state) {
                    out.push((format!("layers.{l}.{param}.{slot}"), buf.as_mut_slice()));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{config, layer, net, two_layers};
    use super::super::OptimizerKind;
    use super::*;
    use crate::layer::Bias;

    #[test]
    fn import_refuses_a_state_that_does_not_fit() {
        let n = two_layers();
        let adam = Optimizer::new(config(OptimizerKind::Adam, |_| ()), &n);
        let mut state = adam.export();
        state.steps = 7;
        let message = |opt: &mut Optimizer<f64>, s: &OptimizerState| match opt.import(s) {
            Err(Error::Shape(m)) => m,
            other => panic!("expected a shape error, got {other:?}"),
        };

        let mut momentum = Optimizer::new(config(OptimizerKind::Momentum, |_| ()), &n);
        let m = message(&mut momentum, &state);
        assert!(
            m.contains("`layers.0.weight.m`") && m.contains("momentum"),
            "{m}"
        );

        let mut other = Optimizer::new(config(OptimizerKind::Adam, |_| ()), &n);
        let mut short = state.clone();
        short.tensors[1].1.push(0.0);
        let m = message(&mut other, &short);
        assert!(
            m.contains("`layers.0.weight.v` has 2 values, layer 0's weight has 1"),
            "{m}"
        );
        short = state.clone();
        short.tensors.pop();
        let m = message(&mut other, &short);
        assert!(m.contains("lacks `layers.1.bias.v`"), "{m}");
        short = state.clone();
        short.tensors.push(short.tensors[0].clone());
        let m = message(&mut other, &short);
        assert!(m.contains("`layers.0.weight.m` twice"), "{m}");
        let one_layer = net(vec![layer(&[1.0], Bias::Shared(0.0), true)]);
        let m = message(
            &mut Optimizer::new(config(OptimizerKind::Adam, |_| ()), &one_layer),
            &state,
        );
        assert!(
            m.contains("`layers.1.weight.m`") && m.contains("1 layers"),
            "{m}"
        );
        // A refused state changes nothing; a fitting one in any order is taken.
        assert_eq!(other.steps(), 0);
        state.tensors.reverse();
        other.import(&state).unwrap();
        assert_eq!(other.steps(), 7);
    }
}
