//! `backprop`: run backpropagation on a dense network and show every step.
//!
//! The program is thin: it parses arguments, calls the `backprop` library and reports
//! errors as one line with their causes. Bad input exits with code 2.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use backprop::explain::{self, Lang, Options};
use backprop::gradcheck::{self, Param};
use backprop::{Order, Spec};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "backprop",
    version,
    about = "Backpropagation on dense networks, every step shown"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show one round of backpropagation in full, then the error after many rounds.
    ///
    /// Without --spec: the tutorial's 2-2-2 network.
    Explain(ExplainArgs),
    /// Compare every analytic gradient with a finite difference.
    Gradcheck(GradcheckArgs),
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// A network spec (JSON, or TOML when the name ends in .toml).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Rounds of gradient descent to run.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    rounds: usize,
    /// How many of the first rounds to show in full.
    #[arg(long, default_value_t = 1, value_name = "K")]
    show: usize,
    /// Update order (overrides the spec's).
    #[arg(long, value_enum)]
    order: Option<OrderArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the text.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

#[derive(clap::Args)]
struct GradcheckArgs {
    /// A network spec (JSON, or TOML when the name ends in .toml).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// Step of the finite difference.
    #[arg(long, default_value_t = gradcheck::DEFAULT_EPSILON)]
    epsilon: f64,
    /// Largest acceptable relative error; above it the exit code is 1.
    #[arg(long, default_value_t = gradcheck::DEFAULT_TOLERANCE)]
    tolerance: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrderArg {
    Textbook,
    Published,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

/// An error from the user's input, as opposed to a failure of the machine.
fn is_bad_input(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<backprop::Error>()
            .is_some_and(backprop::Error::is_bad_input)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if is_bad_input(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Explain(args) => explain_command(args),
        Command::Gradcheck(args) => gradcheck_command(args),
    }
}

fn load(spec: Option<&PathBuf>) -> anyhow::Result<Spec> {
    Ok(match spec {
        Some(path) => Spec::load(path)?,
        None => Spec::tutorial(),
    })
}

fn explain_command(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let spec = load(args.spec.as_ref())?;
    let options = Options {
        rounds: args.rounds,
        show: args.show,
        order: args.order.map(|o| match o {
            OrderArg::Textbook => Order::Textbook,
            OrderArg::Published => Order::Published,
        }),
    };
    let ex = explain::explain(&spec, options)?;
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let rendered = match args.format {
        Format::Json => serde_json::to_string_pretty(&ex)? + "\n",
        Format::Markdown => explain::markdown::render(&explain::build::document(&ex, lang)),
        Format::Text => {
            let color = std::io::stdout().is_terminal();
            explain::text::render(&explain::build::document(&ex, lang), color)
        }
    };
    write_stdout(&rendered)?;
    Ok(ExitCode::SUCCESS)
}

fn gradcheck_command(args: GradcheckArgs) -> anyhow::Result<ExitCode> {
    let spec = Spec::load(&args.spec)?;
    let net = spec.network::<f64>();
    let (x, t) = spec.batch::<f64>();
    let report = gradcheck::check(&net, &x, &t, args.epsilon)?;
    let mut out = format!(
        "checked {} parameters of {} (loss {}), central difference with step {}\n",
        report.entries.len(),
        args.spec.display(),
        report.loss,
        report.epsilon
    );
    for (l, _) in net.layers.iter().enumerate() {
        let worst = report
            .entries
            .iter()
            .filter(|e| e.layer == l)
            .map(|e| e.error)
            .fold(0.0, f64::max);
        out += &format!("  layers[{l}]: worst relative error {worst:.3e}\n");
    }
    let passed = report.passes(args.tolerance);
    if let Some(w) = report.worst() {
        let place = match w.param {
            Param::Weight { j, k } => format!("layers[{}].weights[{j}][{k}]", w.layer),
            Param::Bias { j } => format!("layers[{}].bias[{j}]", w.layer),
        };
        out += &format!(
            "worst relative error {:.3e} at {place}: backpropagation {:e}, finite difference {:e}\n{} (tolerance {:e})\n",
            w.error,
            w.analytic,
            w.numeric,
            if passed { "PASS" } else { "FAIL" },
            args.tolerance
        );
    }
    write_stdout(&out)?;
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
