//! The training loop: seeded mini-batches through the one engine step, a learning-rate
//! schedule, validation, early stopping, checkpoints that resume bit-identically, and a
//! clean stop when the loss diverges or the user interrupts.

use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::TrainConfig;
use crate::data::prep::{batch_into, epoch_order};
use crate::data::{Dataset, Targets};
use crate::evaluate::evaluate;
use crate::metrics::EpochRecord;
use crate::model_file::{Extra, Model};
use crate::settings::{self, mention};
use backprop::error::{Error, Result};
use backprop::matrix::argmax;
use backprop::matrix::Matrix;
use backprop::network::{Network, Order};
use backprop::optim::{Optimizer, OptimizerKind, OptimizerState};

/// Batches between two readings of the clock for the progress figures: a reading
/// costs about as much as a training step of a tiny network. The clock is also read
/// after an epoch's last batch and before an interruption is saved.
const CLOCK_EVERY: usize = 64;

/// What a [`Trainer`] reports as it goes. Every method defaults to doing nothing.
///
/// An error from [`batch`](Self::batch) or [`epoch`](Self::epoch), such as a metrics
/// file that cannot be written, stops the run where it happens: [`Trainer::run`]
/// returns it at once, without writing a checkpoint.
pub trait Monitor {
    /// A batch finished: its mean loss, and the running figures of the epoch.
    fn batch(&mut self, _progress: &BatchProgress) -> Result<()> {
        Ok(())
    }
    /// An epoch finished.
    fn epoch(&mut self, _record: &EpochRecord) -> Result<()> {
        Ok(())
    }
    /// Whether to stop now (a signal arrived); checked after every batch.
    fn should_stop(&self) -> bool {
        false
    }
}

/// Where an epoch stands after a batch: running sums, from which the methods derive the
/// figures, so that a monitor that shows nothing costs no divisions.
#[derive(Clone, Debug)]
pub struct BatchProgress {
    /// 1-based epoch.
    pub epoch: usize,
    /// Epochs in the run.
    pub epochs: usize,
    /// Batches done in this epoch.
    pub batch: usize,
    /// Batches in an epoch.
    pub batches: usize,
    /// Sum of batch loss × batch size so far this epoch.
    pub loss_sum: f64,
    /// Samples so far this epoch.
    pub seen: u64,
    /// Correct predictions so far this epoch (classification).
    pub correct: Option<u64>,
    /// Seconds in the training loop this epoch at the last reading of the clock (every
    /// few dozen batches, and after the epoch's last).
    pub seconds: f64,
    /// Samples seen at that reading.
    pub clocked: u64,
}

impl BatchProgress {
    /// Mean loss over the epoch so far.
    pub fn loss(&self) -> f64 {
        self.loss_sum / self.seen.max(1) as f64
    }

    /// Accuracy over the epoch so far (classification).
    pub fn accuracy(&self) -> Option<f64> {
        self.correct.map(|c| c as f64 / self.seen.max(1) as f64)
    }

    /// Training samples per second so far in this epoch, as of the last clock reading.
    pub fn samples_per_second(&self) -> f64 {
        self.clocked as f64 / self.seconds.max(1e-9)
    }
}

/// Checks a checkpoint's position against its history and settings; the message says
/// what disagrees, or that the run has nothing left to do because it stopped early.
fn check_position(p: &Position, config: &TrainConfig) -> std::result::Result<(), String> {
    let epochs = config.training.epochs;
    if p.history.len() != p.epoch {
        return Err(format!(
            "position.epoch is {} but the history records {} finished epochs",
            p.epoch,
            p.history.len()
        ));
    }
    if p.epoch > epochs {
        return Err(format!(
            "position.epoch is {} but the run has only {epochs} epochs",
            p.epoch
        ));
    }
    if let Some(patience) = config.training.patience {
        if p.bad_epochs >= patience {
            return Err(format!(
                "training already finished: it stopped early after epoch {}, when the validation loss had not improved for {patience} epochs; its best weights are the checkpoint's weights",
                p.epoch
            ));
        }
    }
    Ok(())
}

/// A number as people write it: `0.01`, `1e30`.
pub fn short(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Describes the first parameter of `network` that is not a finite number, such as
/// "weight 3 of layer 1 became NaN", or `None` when all are finite.
pub fn first_non_finite(network: &Network<f32>) -> Option<String> {
    network.layers.iter().enumerate().find_map(|(l, layer)| {
        let find = |values: &[f32], what: &str| {
            values
                .iter()
                .position(|v| !v.is_finite())
                .map(|i| format!("{what} {i} of layer {l} became {}", values[i]))
        };
        find(layer.weights.as_slice(), "weight").or_else(|| find(layer.bias.as_slice(), "bias"))
    })
}

/// The monitor that watches nothing.
impl Monitor for () {}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// All epochs ran.
    Finished,
    /// Validation loss stopped improving; the best weights were restored.
    EarlyStopped,
    /// Stopped by [`Monitor::should_stop`]; a checkpoint holds the position if asked.
    Interrupted,
}

/// Where to write checkpoints.
#[derive(Clone, Debug)]
pub struct CheckpointPlan {
    /// The file.
    pub path: PathBuf,
    /// Write after every this many epochs (and always when interrupted).
    pub every: usize,
}

/// The position and running totals the loop needs to continue exactly where it was.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// 0-based epoch in progress.
    pub epoch: usize,
    /// Batches of it already done.
    pub batch: usize,
    /// Sum of batch loss × batch size so far this epoch.
    pub loss_sum: f64,
    /// Correct predictions so far this epoch.
    pub correct: u64,
    /// Samples so far this epoch.
    pub seen: u64,
    /// Seconds in the training loop so far this epoch.
    pub seconds: f64,
    /// Best validation loss so far.
    pub best_loss: Option<f64>,
    /// Epochs since it improved.
    pub bad_epochs: usize,
    /// One record per finished epoch.
    pub history: Vec<EpochRecord>,
}

/// A training run in progress.
pub struct Trainer {
    /// The network being trained.
    pub network: Network<f32>,
    /// The optimizer and its state.
    pub optimizer: Optimizer<f32>,
    /// The configuration.
    pub config: TrainConfig,
    /// Position and history.
    pub position: Position,
    /// The weights with the best validation loss, when early stopping.
    pub best: Option<Network<f32>>,
}

/// The checkpoint's JSON: the configuration, position and optimizer step count.
#[derive(Serialize, Deserialize)]
struct CheckpointState {
    config: TrainConfig,
    position: Position,
    optimizer_steps: u64,
}

impl Trainer {
    /// A new run of `network` under `config`.
    pub fn new(network: Network<f32>, config: TrainConfig) -> Result<Trainer> {
        let t = &config.training;
        if t.optimizer.kind == OptimizerKind::Rprop
            && t.batch_size != crate::config::BatchSize::Full
        {
            return Err(Error::Invalid {
                path: "<training>".into(),
                at: "optimizer".into(),
                message: format!(
                    "rprop adapts its steps to the sign of the full-batch gradient; use full batches ({} full)",
                    mention(settings::BATCH_SIZE)
                ),
            });
        }
        // RPROP ignores the rate; for every other optimizer 0 would never move a weight.
        let lr = t.optimizer.learning_rate;
        if t.optimizer.kind != OptimizerKind::Rprop && !(lr.is_finite() && lr > 0.0) {
            return Err(Error::Invalid {
                path: "<training>".into(),
                at: "learning_rate".into(),
                message: format!("must be a finite number above 0, got {lr}"),
            });
        }
        let checked = t.optimizer.validate().and_then(|()| t.schedule.validate());
        if let Err((at, message)) = checked {
            return Err(Error::Invalid {
                path: "<training>".into(),
                at: at.into(),
                message,
            });
        }
        if t.epochs == 0 {
            return Err(Error::Invalid {
                path: "<training>".into(),
                at: "epochs".into(),
                message: "must be at least 1".into(),
            });
        }
        let optimizer = Optimizer::new(t.optimizer.clone(), &network);
        Ok(Trainer {
            network,
            optimizer,
            config,
            position: Position::default(),
            best: None,
        })
    }

    /// Continues a run from a checkpoint written by [`Trainer::checkpoint`].
    pub fn resume(model: Model, extra: &Extra) -> Result<Trainer> {
        let bad = |message: &str| Error::Model {
            path: "<checkpoint>".into(),
            message: message.into(),
        };
        let state: CheckpointState = extra
            .checkpoint
            .clone()
            .ok_or_else(|| {
                bad("this is a model file, not a checkpoint: it has no training position")
            })
            .and_then(|c| {
                serde_json::from_value(c)
                    .map_err(|e| bad(&format!("corrupted checkpoint state: {e}")))
            })?;
        check_position(&state.position, &state.config).map_err(|m| bad(&m))?;
        let mut trainer = Trainer::new(model.network, state.config)?;
        let optimizer_tensors = extra
            .tensors
            .iter()
            .filter_map(|(n, v)| {
                n.strip_prefix("optimizer.")
                    .map(|n| (n.to_string(), v.clone()))
            })
            .collect();
        trainer.optimizer.import(&OptimizerState {
            steps: state.optimizer_steps,
            tensors: optimizer_tensors,
        })?;
        trainer.position = state.position;
        if trainer.position.best_loss.is_some() {
            let mut best = trainer.network.clone();
            for (l, layer) in best.layers.iter_mut().enumerate() {
                let find = |name: String| {
                    extra
                        .tensors
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| v)
                };
                let (Some(w), Some(b)) = (
                    find(format!("best.layers.{l}.weight")),
                    find(format!("best.layers.{l}.bias")),
                ) else {
                    return Err(bad(
                        "the checkpoint lacks the best weights its early stopping needs",
                    ));
                };
                if w.len() != layer.weights.as_slice().len()
                    || b.len() != layer.bias.as_slice().len()
                {
                    return Err(bad("the best weights do not fit the network"));
                }
                for (dst, &src) in layer.weights.as_mut_slice().iter_mut().zip(w) {
                    *dst = src as f32;
                }
                for (dst, &src) in layer.bias.as_mut_slice().iter_mut().zip(b) {
                    *dst = src as f32;
                }
            }
            trainer.best = Some(best);
        }
        Ok(trainer)
    }

    /// The state to save: the model (from `template`'s description) plus optimizer,
    /// best weights and position.
    pub fn checkpoint(&self, template: &Model) -> (Model, Extra) {
        let model = Model {
            network: self.network.clone(),
            info: template.info.clone(),
        };
        let state = self.optimizer.export();
        let mut tensors: Vec<(String, Vec<f64>)> = state
            .tensors
            .into_iter()
            .map(|(n, v)| (format!("optimizer.{n}"), v))
            .collect();
        if let Some(best) = &self.best {
            for (l, layer) in best.layers.iter().enumerate() {
                tensors.push((
                    format!("best.layers.{l}.weight"),
                    layer
                        .weights
                        .as_slice()
                        .iter()
                        .map(|&x| f64::from(x))
                        .collect(),
                ));
                tensors.push((
                    format!("best.layers.{l}.bias"),
                    layer
                        .bias
                        .as_slice()
                        .iter()
                        .map(|&x| f64::from(x))
                        .collect(),
                ));
            }
        }
        tensors.sort_by(|a, b| a.0.cmp(&b.0));
        let checkpoint = CheckpointState {
            config: self.config.clone(),
            position: self.position.clone(),
            optimizer_steps: state.steps,
        };
        let extra = Extra {
            tensors,
            checkpoint: serde_json::to_value(&checkpoint).ok(),
        };
        (model, extra)
    }

    /// Runs the remaining epochs. `template` describes the model for checkpoints.
    pub fn run(
        &mut self,
        train: &Dataset,
        validation: &Dataset,
        monitor: &mut dyn Monitor,
        checkpoints: Option<&CheckpointPlan>,
        template: &Model,
    ) -> Result<Outcome> {
        let n = train.len();
        let cfg = self.config.training.clone();
        let batch = cfg.batch_size.resolve(n);
        let batches = n.div_ceil(batch);
        let outputs = self.network.outputs();
        let mut ws = self.network.workspace(batch);
        let mut x = Matrix::zeros(batch, train.width());
        let mut t = Matrix::zeros(batch, outputs);
        let mut order = Vec::with_capacity(n);
        let labels = match &train.targets {
            Targets::Classes { labels, .. } => Some(labels.as_slice()),
            Targets::Values { .. } => None,
        };
        let save = |trainer: &Trainer| -> Result<()> {
            if let Some(plan) = checkpoints {
                let (model, extra) = trainer.checkpoint(template);
                model.save_with(&plan.path, &extra)?;
            }
            Ok(())
        };
        if checkpoints.is_some_and(|c| c.every == 0) {
            return Err(Error::Invalid {
                path: "<training>".into(),
                at: settings::CHECKPOINT_EVERY.into(),
                message: "must be at least 1, or no checkpoint would ever be written".into(),
            });
        }
        if self.position.batch > batches {
            return Err(Error::Model {
                path: "<checkpoint>".into(),
                message: format!(
                    "position.batch is {} but an epoch of this data has {batches} batches",
                    self.position.batch
                ),
            });
        }
        while self.position.epoch < cfg.epochs {
            let epoch = self.position.epoch;
            let lr = cfg.schedule.rate(cfg.optimizer.learning_rate, epoch);
            self.optimizer.set_learning_rate(lr);
            epoch_order(n, cfg.seed, epoch as u64, &mut order);
            let started = Instant::now();
            let seconds_before = self.position.seconds;
            let mut clocked_seen = self.position.seen;
            for b in self.position.batch..batches {
                let indices = &order[b * batch..((b + 1) * batch).min(n)];
                batch_into(train, indices, &mut x, &mut t);
                let loss = self.network.train_step(
                    &mut ws,
                    &x,
                    &t,
                    Order::Textbook,
                    &mut self.optimizer,
                    &mut (),
                )?;
                if !loss.is_finite() {
                    let kept = checkpoints.map_or(String::new(), |p| {
                        format!("; the last good checkpoint, {}, is kept", p.path.display())
                    });
                    return Err(Error::Diverged(format!(
                        "training diverged: the loss became {loss} in epoch {}, batch {} of {batches}; \
                         try a lower learning rate than {}{kept}",
                        epoch + 1,
                        b + 1,
                        short(lr)
                    )));
                }
                let stop = monitor.should_stop();
                let clock = (b + 1) % CLOCK_EVERY == 0 || b + 1 == batches || stop;
                // A huge step can make weights infinite or NaN while the loss still
                // looks finite (ReLU maps NaN to 0). Checked with the clock, so before
                // every checkpoint and at every epoch's end, never saving such weights.
                if clock {
                    if let Some(bad) = first_non_finite(&self.network) {
                        let kept = checkpoints.map_or(String::new(), |p| {
                            format!("; the last good checkpoint, {}, is kept", p.path.display())
                        });
                        return Err(Error::Diverged(format!(
                            "training diverged: {bad} by batch {} of {batches} in epoch {}; \
                             try a lower learning rate than {}{kept}",
                            b + 1,
                            epoch + 1,
                            short(lr)
                        )));
                    }
                }
                let p = &mut self.position;
                p.loss_sum += f64::from(loss) * indices.len() as f64;
                p.seen += indices.len() as u64;
                if let Some(labels) = labels {
                    let out = &ws.layers[self.network.layers.len() - 1].out;
                    p.correct += indices
                        .iter()
                        .enumerate()
                        .filter(|&(s, &i)| argmax(out.row(s)).0 == labels[i])
                        .count() as u64;
                }
                p.batch = b + 1;
                if clock {
                    p.seconds = seconds_before + started.elapsed().as_secs_f64();
                    clocked_seen = p.seen;
                }
                monitor.batch(&BatchProgress {
                    epoch: epoch + 1,
                    epochs: cfg.epochs,
                    batch: b + 1,
                    batches,
                    loss_sum: p.loss_sum,
                    seen: p.seen,
                    correct: labels.map(|_| p.correct),
                    seconds: p.seconds,
                    clocked: clocked_seen,
                })?;
                if stop && b + 1 < batches {
                    save(self)?;
                    return Ok(Outcome::Interrupted);
                }
            }
            let stopped_early = self.finish_epoch(validation, lr, labels.is_some())?;
            if let Some(record) = self.position.history.last() {
                monitor.epoch(record)?;
            }
            if stopped_early {
                if let Some(best) = self.best.take() {
                    self.network = best;
                }
                save(self)?;
                return Ok(Outcome::EarlyStopped);
            }
            let p = &self.position;
            if checkpoints.is_some_and(|c| p.epoch.is_multiple_of(c.every)) || monitor.should_stop()
            {
                save(self)?;
            }
            if monitor.should_stop() && self.position.epoch < cfg.epochs {
                return Ok(Outcome::Interrupted);
            }
        }
        if let Some(best) = self.best.take() {
            self.network = best;
        }
        Ok(Outcome::Finished)
    }

    /// Records the finished epoch, validates, and updates early stopping. Returns
    /// whether patience ran out.
    fn finish_epoch(
        &mut self,
        validation: &Dataset,
        lr: f64,
        classification: bool,
    ) -> Result<bool> {
        let (val_loss, val_accuracy) = if validation.is_empty() {
            (None, None)
        } else {
            let e = evaluate(&self.network, validation)?;
            (Some(e.loss), e.accuracy)
        };
        let p = &mut self.position;
        let seen = p.seen.max(1) as f64;
        p.history.push(EpochRecord {
            epoch: p.epoch + 1,
            train_loss: p.loss_sum / seen,
            train_accuracy: classification.then(|| p.correct as f64 / seen),
            validation_loss: val_loss,
            validation_accuracy: val_accuracy,
            learning_rate: lr,
            seconds: p.seconds,
            samples_per_second: seen / p.seconds.max(1e-9),
        });
        p.epoch += 1;
        p.batch = 0;
        p.loss_sum = 0.0;
        p.correct = 0;
        p.seen = 0;
        p.seconds = 0.0;
        let (Some(patience), Some(loss)) = (self.config.training.patience, val_loss) else {
            return Ok(false);
        };
        if p.best_loss.is_none_or(|best| loss < best) {
            p.best_loss = Some(loss);
            p.bad_epochs = 0;
            self.best = Some(self.network.clone());
            Ok(false)
        } else {
            p.bad_epochs += 1;
            Ok(p.bad_epochs >= patience)
        }
    }
}
