//! `evaluate`, `predict` and `inspect`: using a saved model.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use backprop_io::atomic::Outputs;
use backprop_train::data::prep::split;
use backprop_train::evaluate::{align_classes, align_features, evaluate_finite, Evaluation};
use backprop_train::model_file::Model;
use backprop_train::predict::{check_finite, read_features, to_csv};
use backprop_train::{prepare, TrainConfig};
use clap::ValueEnum;

use crate::data_args::DataArgs;
use crate::{printable, write_stdout};

/// Output format of `evaluate` and `inspect`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Text for a terminal.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `evaluate`.
#[derive(clap::Args)]
#[command(
    mut_arg("data", |a| a.help("A CSV file with the model's inputs and targets (all rows are evaluated)")),
    mut_arg("dataset", |a| a.help("A dataset name; its test part as split in training (IDX: the official test set)")),
    mut_arg("target", |a| a.help("Target column(s) of the CSV, by name or 0-based index (default: the model's targets, else the last)")),
)]
pub struct EvaluateArgs {
    /// The model file.
    #[arg(long, value_name = "FILE")]
    model: PathBuf,
    #[command(flatten)]
    source: DataArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// Arguments of `predict`.
#[derive(clap::Args)]
pub struct PredictArgs {
    /// The model file.
    #[arg(long, value_name = "FILE")]
    model: PathBuf,
    /// A CSV file of inputs: a header naming the model's features, or exactly its number of columns.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Arguments of `inspect`.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The model (or checkpoint) file.
    #[arg(long, value_name = "FILE")]
    model: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// Runs `evaluate`.
pub fn evaluate(args: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let model = Model::load(&args.model)?;
    let trained: TrainConfig =
        serde_json::from_value(model.info.training.clone()).unwrap_or_default();
    let source = &args.source;
    // The data named now, read as training read its own.
    let mut config = trained.data.clone();
    config.file = source.data.clone();
    config.dataset = source.dataset.clone();
    if source.data_dir.is_some() {
        config.data_dir = source.data_dir.clone();
    }
    config.task = Some(model.info.task);
    config.target = if source.target.is_empty() {
        model.info.target_names.clone()
    } else {
        source.target.clone()
    };
    let seed = trained.training.seed;
    let (all, official_test) = prepare::load(&config, seed)?;
    // A named dataset is evaluated on the part training held out, split as it was then.
    let mut data = match (official_test, &source.dataset) {
        (Some(test), _) => test,
        (None, Some(_)) => {
            let parts = split(&all, trained.data.validation, trained.data.test, seed)?;
            // Trained without a held-out part (e.g. xor's four points): all of it.
            if parts.test.is_empty() {
                all
            } else {
                all.subset(&parts.test)
            }
        }
        (None, None) => all,
    };
    data = align_classes(&data, &model.info.class_names)?;
    data = align_features(&data, &model.info.feature_names)?;
    if let Some(s) = &model.info.standardization {
        if data.width() == s.mean.len() {
            s.apply(&mut data.features);
        }
    }
    let e = evaluate_finite(&model.network, &data)?;
    let text = match args.format {
        ReportFormat::Json => serde_json::to_string_pretty(&e)? + "\n",
        ReportFormat::Text => printable_lines(&report(&e, &model)),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Metrics and the confusion matrix as text.
fn report(e: &Evaluation, model: &Model) -> String {
    let mut s = format!("samples  {}\nloss     {:.6}\n", e.samples, e.loss);
    if let (Some(a), Some(p), Some(r)) = (e.accuracy, e.precision, e.recall) {
        let _ = writeln!(
            s,
            "accuracy {:.4}\nprecision {p:.4} (macro)\nrecall   {r:.4} (macro)\n",
            a
        );
        let width = model
            .info
            .class_names
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(s, "{:width$}  precision  recall  support", "class");
        for c in &e.classes {
            let _ = writeln!(
                s,
                "{:width$}  {:9.4}  {:6.4}  {:7}",
                c.class, c.precision, c.recall, c.support
            );
        }
        if let Some(confusion) = &e.confusion {
            let _ = writeln!(
                s,
                "\nconfusion matrix (rows: true class, columns: predicted)"
            );
            let cell = confusion
                .iter()
                .flatten()
                .map(|c| c.to_string().len())
                .max()
                .unwrap_or(1)
                .max(3);
            let _ = write!(s, "{:width$}", "");
            for i in 0..confusion.len() {
                let _ = write!(s, " {:>cell$}", i);
            }
            s.push('\n');
            for (row, name) in confusion.iter().zip(&model.info.class_names) {
                let _ = write!(s, "{name:width$}");
                for c in row {
                    let _ = write!(s, " {c:>cell$}");
                }
                s.push('\n');
            }
        }
    }
    if let Some(r) = &e.regression {
        let _ = writeln!(
            s,
            "MSE      {:.6}\nMAE      {:.6}\nR²       {:.6}",
            r.mse, r.mae, r.r2
        );
    }
    s
}

/// Runs `predict`.
pub fn predict(args: PredictArgs) -> anyhow::Result<ExitCode> {
    Outputs::new()
        .input("--model", Some(&args.model))
        .input("--data", Some(&args.data))
        .output("--out", args.out.as_deref())
        .check()?;
    let model = Model::load(&args.model)?;
    let inputs = read_features(&args.data, &model)?;
    let outputs = model.predict(&inputs.features)?;
    check_finite(&outputs, &inputs, &args.data)?;
    let csv = to_csv(&model, &outputs);
    match &args.out {
        Some(path) => backprop_io::atomic::write(path, csv.as_bytes())?,
        None => write_stdout(&csv)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `inspect`.
pub fn inspect(args: InspectArgs) -> anyhow::Result<ExitCode> {
    let (model, extra) = Model::load_with(&args.model)?;
    let info = &model.info;
    if args.format == ReportFormat::Json {
        let json = serde_json::json!({
            "file": args.model,
            "parameters": model.network.parameter_count(),
            "model": info,
            "checkpoint": extra.checkpoint.as_ref().map(|c| &c["position"]),
        });
        write_stdout(&(serde_json::to_string_pretty(&json)? + "\n"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = format!(
        "{} (format version {})\n\n",
        args.model.display(),
        info.format_version
    );
    let _ = writeln!(s, "layer  inputs  neurons  activation  parameters");
    for (i, (l, layer)) in info.layers.iter().zip(&model.network.layers).enumerate() {
        let _ = writeln!(
            s,
            "{i:5}  {:6}  {:7}  {:10}  {:10}",
            l.inputs,
            l.size,
            l.activation.name(),
            layer.parameter_count()
        );
    }
    let _ = writeln!(s, "total parameters {}\n", model.network.parameter_count());
    let _ = writeln!(s, "task     {:?}", info.task);
    let _ = writeln!(s, "loss     {}", info.loss.name());
    if !info.class_names.is_empty() {
        let _ = writeln!(s, "classes  {}", info.class_names.join(", "));
    }
    if !info.target_names.is_empty() {
        let _ = writeln!(s, "targets  {}", info.target_names.join(", "));
    }
    let _ = writeln!(
        s,
        "inputs   {} ({})",
        info.feature_names.len(),
        abbreviate(&info.feature_names)
    );
    let _ = writeln!(
        s,
        "standardized inputs: {}",
        if info.standardization.is_some() {
            "yes (fitted on the training split)"
        } else {
            "no"
        }
    );
    if let Some(c) = &extra.checkpoint {
        let p = &c["position"];
        let _ = writeln!(
            s,
            "checkpoint: epoch {} in progress, {} batches done",
            p["epoch"].as_u64().unwrap_or(0).saturating_add(1),
            p["batch"]
        );
    }
    if let Ok(config) = serde_json::from_value::<TrainConfig>(info.training.clone()) {
        let _ = writeln!(s, "\ntraining settings\n{}", config.to_toml());
    }
    if !info.metrics.is_null() {
        let _ = writeln!(
            s,
            "final metrics\n{}",
            serde_json::to_string_pretty(&info.metrics).unwrap_or_default()
        );
    }
    write_stdout(&printable_lines(&s))?;
    Ok(ExitCode::SUCCESS)
}

/// A text report with control characters in names (an escape sequence, a newline)
/// written as escapes, line by line.
fn printable_lines(text: &str) -> String {
    text.lines().map(|l| printable(l) + "\n").collect()
}

fn abbreviate(names: &[String]) -> String {
    if names.len() <= 6 {
        names.join(", ")
    } else {
        format!(
            "{}, …, {}",
            names[..3].join(", "),
            names[names.len() - 2..].join(", ")
        )
    }
}
