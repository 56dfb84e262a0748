//! The network and its one training step: batched forward, loss, layer-wise backward,
//! update. Training and the explainer both run [`Network::train_step`].

use serde::{Deserialize, Serialize};

use crate::activation::softmax_backward;
use crate::error::{Error, Result};
use crate::float::Float;
use crate::layer::{Bias, Dense};
use crate::loss::Loss;
use crate::matrix::{matmul, matmul_a_bt, matmul_at_b, Matrix};
use crate::observe::{Backward, DeltaRule, Observer};
use crate::optim::Update;

/// When the weights change relative to the backward pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// All gradients from one forward pass, then all updates (the algorithm as taught).
    #[default]
    Textbook,
    /// Each layer is updated as soon as its gradient is known, from the output back, so
    /// the δ of a layer below is computed through the already-updated weights above
    /// it. This reproduces the figures the tutorial publishes after round one.
    Published,
}

impl Order {
    /// Both orders, textbook first.
    pub const ALL: [Order; 2] = [Order::Textbook, Order::Published];

    /// The name used in spec files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Order::Textbook => "textbook",
            Order::Published => "published",
        }
    }

    /// The other order.
    pub fn other(self) -> Order {
        match self {
            Order::Textbook => Order::Published,
            Order::Published => Order::Textbook,
        }
    }
}

/// A feedforward network of dense layers and the loss it is trained on.
#[derive(Clone, Debug, PartialEq)]
pub struct Network<T> {
    /// Number of inputs.
    pub inputs: usize,
    /// The layers, input side first.
    pub layers: Vec<Dense<T>>,
    /// The loss.
    pub loss: Loss,
}

/// The buffers of one layer for one batch, reused from step to step.
#[derive(Clone, Debug)]
pub struct LayerBuffers<T> {
    /// net = input · Wᵀ + b.
    pub net: Matrix<T>,
    /// out = f(net).
    pub out: Matrix<T>,
    /// ∂out/∂net (element-wise activations only).
    pub d_act: Matrix<T>,
    /// ∂E/∂out.
    pub d_out: Matrix<T>,
    /// δ = ∂E/∂net.
    pub d_net: Matrix<T>,
    /// ∂E/∂W.
    pub grad_w: Matrix<T>,
    /// ∂E/∂b.
    pub grad_b: Bias<T>,
}

/// Every buffer a step needs, sized for a batch, so steps do not allocate.
#[derive(Clone, Debug)]
pub struct Workspace<T> {
    /// Per layer, input side first.
    pub layers: Vec<LayerBuffers<T>>,
    /// Each output's share of the loss.
    pub loss_terms: Matrix<T>,
}

impl<T: Float> Workspace<T> {
    /// The batch size the buffers currently hold.
    pub fn batch(&self) -> usize {
        self.loss_terms.rows()
    }

    /// Resizes every per-sample buffer to `batch` rows.
    pub fn set_batch(&mut self, batch: usize) {
        for b in &mut self.layers {
            for m in [
                &mut b.net,
                &mut b.out,
                &mut b.d_act,
                &mut b.d_out,
                &mut b.d_net,
            ] {
                m.set_rows(batch);
            }
        }
        self.loss_terms.set_rows(batch);
    }
}

impl<T: Float> Network<T> {
    /// Number of outputs.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, Dense::size)
    }

    /// Number of parameters.
    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(Dense::parameter_count).sum()
    }

    /// Buffers for batches of `batch` samples.
    pub fn workspace(&self, batch: usize) -> Workspace<T> {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                let per_sample = || Matrix::zeros(batch, l.size());
                LayerBuffers {
                    net: per_sample(),
                    out: per_sample(),
                    d_act: per_sample(),
                    d_out: per_sample(),
                    d_net: per_sample(),
                    grad_w: Matrix::zeros(l.size(), l.fan_in()),
                    grad_b: l.bias.zeros_like(),
                }
            })
            .collect();
        Workspace {
            layers,
            loss_terms: Matrix::zeros(batch, self.outputs()),
        }
    }

    /// The forward pass over a batch `x` (`batch × inputs`); returns the outputs.
    pub fn forward<'w>(&self, ws: &'w mut Workspace<T>, x: &Matrix<T>) -> Result<&'w Matrix<T>> {
        self.check_input(x)?;
        self.forward_observed(ws, x, &mut ());
        Ok(&ws.layers[self.layers.len() - 1].out)
    }

    /// The batch loss of `x` against targets `t`, without changing anything.
    pub fn evaluate(&self, ws: &mut Workspace<T>, x: &Matrix<T>, t: &Matrix<T>) -> Result<T> {
        self.check_batch(x, t)?;
        if ws.batch() != x.rows() {
            ws.set_batch(x.rows());
        }
        self.forward_observed(ws, x, &mut ());
        Ok(self.loss_observed(ws, t, &mut ()))
    }

    /// Forward, loss and backward, leaving every gradient in `ws` and the parameters
    /// unchanged. Returns the loss.
    pub fn gradients<O: Observer<T>>(
        &mut self,
        ws: &mut Workspace<T>,
        x: &Matrix<T>,
        t: &Matrix<T>,
        obs: &mut O,
    ) -> Result<T> {
        self.run::<O, NoUpdate>(ws, x, t, None, obs)
    }

    /// One step of training on the batch `x` with targets `t`: forward, loss, backward
    /// and update in the given order. Returns the loss of the forward pass (before the
    /// update). The only backpropagation in the crate.
    pub fn train_step<O: Observer<T>, U: Update<T>>(
        &mut self,
        ws: &mut Workspace<T>,
        x: &Matrix<T>,
        t: &Matrix<T>,
        order: Order,
        update: &mut U,
        obs: &mut O,
    ) -> Result<T> {
        self.run(ws, x, t, Some((update, order)), obs)
    }

    fn run<O: Observer<T>, U: Update<T>>(
        &mut self,
        ws: &mut Workspace<T>,
        x: &Matrix<T>,
        t: &Matrix<T>,
        mut update: Option<(&mut U, Order)>,
        obs: &mut O,
    ) -> Result<T> {
        self.check_batch(x, t)?;
        if ws.batch() != x.rows() {
            ws.set_batch(x.rows());
        }
        self.forward_observed(ws, x, obs);
        let loss = self.loss_observed(ws, t, obs);
        if let Some((u, _)) = update.as_mut() {
            u.begin_step();
        }
        let last = self.layers.len() - 1;
        for l in (0..=last).rev() {
            let (below, rest) = ws.layers.split_at_mut(l);
            let buf = &mut rest[0];
            let layer = &self.layers[l];
            let input = if l == 0 { x } else { &below[l - 1].out };

            // δ = ∂E/∂net, by the rule that fits the activation and the loss.
            if l == last {
                self.loss.gradient(&buf.out, t, &mut buf.d_out);
            }
            let has_d_act = layer
                .activation
                .derivative(&buf.net, &buf.out, &mut buf.d_act);
            let rule = if l == last && self.loss.fuses_with(layer.activation) {
                Loss::fused_softmax_delta(&buf.out, t, &mut buf.d_net);
                DeltaRule::SoftmaxCrossEntropy
            } else if has_d_act {
                for ((d, &g), &a) in buf
                    .d_net
                    .as_mut_slice()
                    .iter_mut()
                    .zip(buf.d_out.as_slice())
                    .zip(buf.d_act.as_slice())
                {
                    *d = g * a;
                }
                DeltaRule::Chain
            } else {
                softmax_backward(&buf.out, &buf.d_out, &mut buf.d_net);
                DeltaRule::SoftmaxJacobian
            };

            // ∂E/∂W = δᵀ · input and ∂E/∂b, summed over the batch.
            matmul_at_b(&buf.d_net, input, &mut buf.grad_w);
            buf.grad_b.gradient_from(&buf.d_net);
            obs.backward(
                l,
                &Backward {
                    d_out: &buf.d_out,
                    d_act: has_d_act.then_some(&buf.d_act),
                    d_net: &buf.d_net,
                    rule,
                    grad_w: &buf.grad_w,
                    grad_b: &buf.grad_b,
                },
            );

            if let Some((u, Order::Published)) = update.as_mut() {
                obs.before_update(l, &self.layers[l]);
                u.update_layer(l, &mut self.layers[l], &buf.grad_w, &buf.grad_b);
                obs.after_update(l, &self.layers[l]);
            }
            // ∂E/∂out of the layer below = δ · W, through W as it now stands: the
            // original weights in textbook order, the updated ones in published order.
            if l > 0 {
                matmul(&buf.d_net, &self.layers[l].weights, &mut below[l - 1].d_out);
            }
        }
        if let Some((u, Order::Textbook)) = update {
            u.before_updates(ws);
            for l in (0..=last).rev() {
                let buf = &ws.layers[l];
                obs.before_update(l, &self.layers[l]);
                u.update_layer(l, &mut self.layers[l], &buf.grad_w, &buf.grad_b);
                obs.after_update(l, &self.layers[l]);
            }
        }
        Ok(loss)
    }

    fn forward_observed<O: Observer<T>>(&self, ws: &mut Workspace<T>, x: &Matrix<T>, obs: &mut O) {
        for (l, layer) in self.layers.iter().enumerate() {
            let (below, rest) = ws.layers.split_at_mut(l);
            let buf = &mut rest[0];
            let input = if l == 0 { x } else { &below[l - 1].out };
            matmul_a_bt(input, &layer.weights, &mut buf.net);
            layer
                .activation
                .forward_with_bias(&layer.bias, &mut buf.net, &mut buf.out);
            obs.forward(l, input, &buf.net, &buf.out);
        }
    }

    fn loss_observed<O: Observer<T>>(
        &self,
        ws: &mut Workspace<T>,
        t: &Matrix<T>,
        obs: &mut O,
    ) -> T {
        let out = &ws.layers[self.layers.len() - 1].out;
        let loss = self.loss.value(out, t, &mut ws.loss_terms);
        obs.loss(t, &ws.loss_terms, loss);
        loss
    }

    fn check_input(&self, x: &Matrix<T>) -> Result<()> {
        if self.layers.is_empty() {
            return Err(Error::Shape("the network has no layers".into()));
        }
        if x.cols() != self.inputs {
            return Err(Error::Shape(format!(
                "the network takes {} inputs, the batch has {} columns",
                self.inputs,
                x.cols()
            )));
        }
        Ok(())
    }

    fn check_batch(&self, x: &Matrix<T>, t: &Matrix<T>) -> Result<()> {
        self.check_input(x)?;
        if t.cols() != self.outputs() || t.rows() != x.rows() || x.rows() == 0 {
            return Err(Error::Shape(format!(
                "{} samples of {} inputs need {} targets of {} values; got {}×{}",
                x.rows(),
                x.cols(),
                x.rows(),
                self.outputs(),
                t.rows(),
                t.cols()
            )));
        }
        Ok(())
    }
}

/// The update that never runs; lets [`Network::gradients`] share the training path.
struct NoUpdate;

impl<T: Float> Update<T> for NoUpdate {
    fn update_layer(&mut self, _: usize, _: &mut Dense<T>, _: &Matrix<T>, _: &Bias<T>) {}
}
