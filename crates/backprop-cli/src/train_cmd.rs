//! `train`: flags and a config file to a training run, a saved model, metrics and plots.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use backprop::optim::{OptimizerKind, ScheduleKind};
use backprop::{Activation, Init, Loss};
use backprop_io::atomic::Outputs;
use backprop_plot::{self as plot, training};
use backprop_train::data::Task;
use backprop_train::model_file::Model;
use backprop_train::prepare::{save_split, split_parts, split_paths};
use backprop_train::{
    self as train, BatchSize, CheckpointPlan, Outcome, Report, TrainConfig, Trainer,
};

use crate::choice::choice;
use crate::data_args::DataArgs;
use crate::progress::Progress;
use crate::values;
use crate::write_stdout;

/// Arguments of `train`. Flags override the `--config` file.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct TrainArgs {
    /// A TOML training configuration (see --print-config).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the configuration these flags make, as TOML, and exit.
    #[arg(long)]
    print_config: bool,
    #[command(flatten)]
    source: DataArgs,
    /// Treat the targets as classes or as real values (default: inferred).
    #[arg(long, value_parser = choice::<Task>())]
    task: Option<Task>,
    /// Samples a generator draws.
    #[arg(long)]
    samples: Option<usize>,
    /// Noise of a generator.
    #[arg(long, value_parser = values::non_negative, allow_hyphen_values = true)]
    noise: Option<f64>,
    /// Fraction held out for validation.
    #[arg(long, value_parser = values::fraction, allow_hyphen_values = true)]
    validation: Option<f64>,
    /// Fraction held out for the final test.
    #[arg(long, value_parser = values::fraction, allow_hyphen_values = true)]
    test: Option<f64>,
    /// Do not standardize the inputs.
    #[arg(long)]
    no_standardize: bool,
    /// Layer sizes from input to output, e.g. 4,16,3.
    #[arg(long, value_delimiter = ',', value_name = "SIZES")]
    layers: Vec<usize>,
    /// Hidden-layer activation.
    #[arg(long, value_parser = choice::<Activation>())]
    activation: Option<Activation>,
    /// Output-layer activation (default: softmax for classes, identity for values).
    #[arg(long, value_parser = choice::<Activation>())]
    output_activation: Option<Activation>,
    /// Loss (default: cross_entropy for classes, mse for values).
    #[arg(long, value_parser = choice::<Loss>())]
    loss: Option<Loss>,
    /// Weight initializer (default: by the hidden activation).
    #[arg(long, value_parser = choice::<Init>())]
    init: Option<Init>,
    /// Optimizer (rprop: full batches only).
    #[arg(long, value_parser = choice::<OptimizerKind>())]
    optimizer: Option<OptimizerKind>,
    // The help gives each optimizer's default.
    #[arg(long, value_parser = values::positive, allow_hyphen_values = true, help = lr_help())]
    lr: Option<f64>,
    /// Momentum of momentum and nesterov.
    #[arg(long, value_parser = values::non_negative, allow_hyphen_values = true)]
    momentum: Option<f64>,
    /// L2 weight decay (decoupled for adamw).
    #[arg(long, value_parser = values::non_negative, allow_hyphen_values = true)]
    weight_decay: Option<f64>,
    /// Clip gradients to this global L2 norm.
    #[arg(long, value_parser = values::positive, allow_hyphen_values = true)]
    clip_norm: Option<f64>,
    /// Learning-rate schedule.
    #[arg(long, value_parser = choice::<ScheduleKind>())]
    schedule: Option<ScheduleKind>,
    /// Step schedule: epochs between decays.
    #[arg(long, default_value_t = 10, value_parser = values::at_least_one)]
    step_every: usize,
    /// Step schedule: factor per decay.
    #[arg(long, default_value_t = 0.1, value_parser = values::positive, allow_hyphen_values = true)]
    step_gamma: f64,
    /// Cosine schedule: the final learning rate.
    #[arg(long, default_value_t = 0.0, value_parser = values::non_negative, allow_hyphen_values = true)]
    min_lr: f64,
    /// Epochs.
    #[arg(long, value_parser = values::at_least_one)]
    epochs: Option<usize>,
    /// Samples per step, or `full`.
    #[arg(long)]
    batch_size: Option<BatchSize>,
    /// Seed of initialization, split and shuffling.
    #[arg(long)]
    seed: Option<u64>,
    /// Stop after this many epochs without a better validation loss; keep the best weights.
    #[arg(long, value_parser = values::at_least_one)]
    patience: Option<usize>,
    /// Where to save the trained model (safetensors).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write one JSON object per epoch to this file.
    #[arg(long, value_name = "FILE")]
    metrics: Option<PathBuf>,
    /// Plot loss and accuracy curves (.svg or .png).
    #[arg(long, value_name = "FILE")]
    plot: Option<PathBuf>,
    /// Plot the decision regions of a 2-D classifier (.svg or .png).
    #[arg(long, value_name = "FILE")]
    plot_boundary: Option<PathBuf>,
    /// Write a checkpoint here (atomically) every --checkpoint-every epochs and on interruption.
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// Epochs between checkpoints.
    #[arg(long, default_value_t = 1, value_parser = values::at_least_one)]
    checkpoint_every: usize,
    /// Continue from a checkpoint (its settings and data; --epochs may extend the run).
    /// The flags that would change the data, the network or its training are refused
    /// with it rather than ignored.
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "config", "print_config", "data", "dataset", "target", "task", "data_dir",
        "samples", "noise", "validation", "test", "no_standardize", "layers",
        "activation", "output_activation", "loss", "init", "optimizer", "lr", "momentum",
        "weight_decay", "clip_norm", "schedule", "step_every", "step_gamma", "min_lr",
        "batch_size", "seed", "patience",
    ])]
    resume: Option<PathBuf>,
    /// Write the split data, as read (not standardized), as train.csv, validation.csv
    /// and test.csv into this folder, to train other tools on exactly the same samples.
    #[arg(long, value_name = "DIR")]
    save_split: Option<PathBuf>,
    /// No progress output.
    #[arg(long)]
    quiet: bool,
}

impl TrainArgs {
    /// The configuration: defaults, then the file, then the flags.
    fn config(&self) -> anyhow::Result<TrainConfig> {
        let mut c = match &self.config {
            Some(path) => TrainConfig::load(path)?,
            None => TrainConfig::default(),
        };
        let d = &mut c.data;
        self.source.apply(d);
        set(&mut d.task, self.task.map(Some));
        set(&mut d.samples, self.samples.map(Some));
        set(&mut d.noise, self.noise.map(Some));
        set(&mut d.validation, self.validation);
        set(&mut d.test, self.test);
        if self.no_standardize {
            d.standardize = false;
        }
        let m = &mut c.model;
        if !self.layers.is_empty() {
            m.layers = self.layers.clone();
        }
        set(&mut m.activation, self.activation);
        set(&mut m.output_activation, self.output_activation.map(Some));
        set(&mut m.loss, self.loss.map(Some));
        set(&mut m.init, self.init.map(Some));
        let t = &mut c.training;
        if let Some(kind) = self.optimizer {
            t.optimizer.switch_to(kind);
        }
        set(&mut t.optimizer.learning_rate, self.lr);
        set(&mut t.optimizer.momentum, self.momentum);
        set(&mut t.optimizer.weight_decay, self.weight_decay);
        set(&mut t.optimizer.clip_norm, self.clip_norm.map(Some));
        set(&mut t.epochs, self.epochs);
        set(&mut t.batch_size, self.batch_size);
        set(&mut t.seed, self.seed);
        set(&mut t.patience, self.patience.map(Some));
        if let Some(kind) = self.schedule {
            t.schedule = kind.schedule(self.step_every, self.step_gamma, t.epochs, self.min_lr);
        }
        Ok(c)
    }
}

/// The help of --lr, with each optimizer's default rate.
fn lr_help() -> String {
    let rates: Vec<String> = OptimizerKind::ALL
        .iter()
        .map(|k| format!("{k} {}", k.default_learning_rate()))
        .collect();
    format!("Learning rate (default: {})", rates.join(", "))
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// Checks every output before anything is written: that each is a regular file (or a
/// new one) that is neither an input (the data file, whether named by --data or by the
/// configuration) nor another output.
fn check_outputs(args: &TrainArgs, data: Option<&Path>) -> anyhow::Result<()> {
    let split = match &args.save_split {
        Some(dir) => split_paths(dir)?,
        None => Vec::new(),
    };
    let mut outputs = Outputs::new()
        .input("--data", data)
        .input("--config", args.config.as_deref())
        .input("--resume", args.resume.as_deref())
        .output("--out", args.out.as_deref())
        .output("--metrics", args.metrics.as_deref())
        .output("--plot", args.plot.as_deref())
        .output("--plot-boundary", args.plot_boundary.as_deref())
        .output("--checkpoint", args.checkpoint.as_deref())
        // Resuming reads the checkpoint whole, then writes the next one in its place.
        .allow("--checkpoint", "--resume");
    for file in &split {
        outputs = outputs.output("--save-split", Some(file));
    }
    outputs.check()?;
    Ok(())
}

/// Runs `train`.
pub fn train(args: TrainArgs) -> anyhow::Result<ExitCode> {
    for path in [&args.plot, &args.plot_boundary].into_iter().flatten() {
        plot::check_path(path)?;
    }
    // Everything is read before anything is written; the data stays as read until
    // --save-split has written it.
    let (mut trainer, resumed, mut data) = match &args.resume {
        Some(path) => {
            let (model, extra) = Model::load_with(path)?;
            let mut trainer = Trainer::resume(model.clone(), &extra)
                .with_context(|| format!("cannot resume from {}", path.display()))?;
            if let Some(e) = args.epochs {
                trainer.config.training.epochs = e;
            }
            let data = split_parts(&trainer.config.data, trainer.config.training.seed)?;
            (trainer, Some(model), data)
        }
        None => {
            let config = args.config()?;
            if args.print_config {
                write_stdout(&config.to_toml())?;
                return Ok(ExitCode::SUCCESS);
            }
            let data = split_parts(&config.data, config.training.seed)?;
            let network = train::build_network(
                &config,
                data.train.task(),
                data.train.width(),
                data.train.outputs(),
            )?;
            (Trainer::new(network, config)?, None, data)
        }
    };
    check_outputs(&args, trainer.config.data.file.as_deref())?;
    if args.plot_boundary.is_some() {
        training::check_decision_regions(&data.train)?;
    }
    if let Some(dir) = &args.save_split {
        save_split(dir, &data)?;
    }
    if trainer.config.data.standardize {
        data.standardize();
    }
    let template = resumed.unwrap_or_else(|| Model {
        network: trainer.network.clone(),
        info: train::describe(&trainer.config, &trainer.network, &data),
    });
    if args.out.is_none() && !args.quiet {
        eprintln!("note: no --out given, so the trained model will not be saved");
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second signal while the checkpoint is written is left to the default handler.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let batches = data
        .train
        .len()
        .div_ceil(trainer.config.training.batch_size.resolve(data.train.len()));
    let mut progress = Progress::new(args.quiet, stop.clone(), batches, args.metrics.clone());
    progress.restore(&trainer.position.history)?;
    let plan = args.checkpoint.clone().map(|path| CheckpointPlan {
        path,
        every: args.checkpoint_every,
    });
    let outcome = trainer.run(
        &data.train,
        &data.validation,
        &mut progress,
        plan.as_ref(),
        &template,
    );
    // The bar is cleared before any message, the run's error included.
    progress.finish();
    let outcome = outcome?;
    if outcome == Outcome::Interrupted {
        let p = &trainer.position;
        let resume = plan.as_ref().map_or(
            "no --checkpoint was given, so nothing was saved".to_string(),
            |c| format!("resume with: backprop train --resume {}", c.path.display()),
        );
        eprintln!(
            "interrupted in epoch {}, after batch {}; {resume}",
            p.epoch + 1,
            p.batch
        );
        return Ok(ExitCode::from(130));
    }
    let report = Report::new(&trainer.network, &data, &trainer.position, outcome)?;
    let mut model = Model {
        network: trainer.network.clone(),
        info: template.info.clone(),
    };
    model.info.metrics = report.metrics();
    if let Some(out) = &args.out {
        model.save(out)?;
    }
    if let Some(path) = &args.plot {
        plot::curves(path, &training::panels(&trainer.position.history), "epoch")?;
    }
    if let Some(path) = &args.plot_boundary {
        training::decision_regions(path, &model, &data.train)?;
    }
    if !args.quiet {
        let saved = match &args.out {
            Some(out) => format!("saved {}\n", out.display()),
            None => "not saved: no --out given\n".to_string(),
        };
        write_stdout(&(report.summary() + &saved))?;
    }
    Ok(ExitCode::SUCCESS)
}
