//! `backprop`: run backpropagation on a dense network and show every step, or train
//! one on real data.
//!
//! The program is thin: it parses arguments, calls the `backprop` library and reports
//! errors as one line with their causes. Bad input exits with code 2.

mod check_cmd;
mod choice;
mod data_args;
mod exercise_cmd;
mod explain_cmd;
mod model_cmd;
mod progress;
mod setting_flags;
mod train_cmd;
mod values;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use backprop::Order;
use backprop_explain::{Format, Lang};
use clap::{CommandFactory, Parser, Subcommand};

use crate::choice::choice;
use crate::setting_flags::with_flags;

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
    /// Check your own numbers: each answer right, off by rounding, or wrong with the
    /// mistake that gives it.
    ///
    /// Without --spec: the tutorial's 2-2-2 network. Exit code 0 when every answer is
    /// right or off by rounding, 1 when any is wrong, 2 for bad input.
    Check(check_cmd::CheckArgs),
    /// Make an exercise: a new network with nice numbers and the quantities to compute,
    /// with an answers template for `check` and the solution.
    Exercise(Box<exercise_cmd::ExerciseArgs>),
    /// Train a network on a dataset and save it.
    Train(Box<train_cmd::TrainArgs>),
    /// Print a saved model's metrics on a dataset.
    Evaluate(model_cmd::EvaluateArgs),
    /// Write a saved model's predictions as CSV.
    Predict(model_cmd::PredictArgs),
    /// Describe a saved model: architecture, settings, metrics.
    Inspect(model_cmd::InspectArgs),
    /// Serve the interactive page: edit the network and see every number recomputed,
    /// or train on 2-D data in the playground.
    Serve(ServeArgs),
}

/// Arguments of `serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Address to listen on; 0.0.0.0 makes the page reachable from other machines.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
}

/// Arguments of `explain`.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct ExplainArgs {
    /// A network spec (JSON, or TOML when the name ends in .toml).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Rounds of gradient descent to run (1 to 1000000000).
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = explain_cmd::rounds, allow_negative_numbers = true)]
    rounds: usize,
    /// How many of the first rounds to show in full [default: 1; 3 for html].
    #[arg(long, value_name = "K")]
    show: Option<usize>,
    /// Update order (overrides the spec's).
    #[arg(long, value_parser = choice::<Order>())]
    order: Option<Order>,
    /// Output format.
    #[arg(long, value_parser = choice::<Format>(), default_value_t = Format::Text)]
    format: Format,
    /// Language of the text.
    #[arg(long, value_parser = choice::<Lang>(), default_value_t = Lang::En)]
    lang: Lang,
    /// List every quantity of a round by name, as printed and in ASCII (the names
    /// `backprop check` reads), and run nothing.
    #[arg(long)]
    names: bool,
}

/// Arguments of `gradcheck`.
#[derive(clap::Args)]
#[command(allow_negative_numbers = true)]
pub struct GradcheckArgs {
    /// A network spec (JSON, or TOML when the name ends in .toml).
    #[arg(long, value_name = "FILE")]
    spec: PathBuf,
    /// Step of the finite difference.
    #[arg(long, default_value_t = backprop::gradcheck::DEFAULT_EPSILON, value_parser = values::positive, allow_hyphen_values = true)]
    epsilon: f64,
    /// Largest acceptable relative error; above it the exit code is 1.
    #[arg(long, default_value_t = backprop::gradcheck::DEFAULT_TOLERANCE, value_parser = values::non_negative, allow_hyphen_values = true)]
    tolerance: f64,
}

/// An error from the user's input, as opposed to a failure of the machine.
fn is_bad_input(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<backprop::Error>()
            .is_some_and(backprop::Error::is_bad_input)
    })
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return command_line_error(&e),
    };
    let result = run(cli.command);
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", printable(&with_flags(&format!("{e:#}"))));
            if is_bad_input(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Runs `command`, with the kernels' instruction set pinned first when BACKPROP_SIMD
/// names one (a wrong value stops here, before any work).
fn run(command: Command) -> anyhow::Result<ExitCode> {
    backprop::set_simd(backprop::simd_from_env()?)?;
    match command {
        Command::Explain(args) => explain_cmd::explain_command(args),
        Command::Gradcheck(args) => explain_cmd::gradcheck_command(args),
        Command::Check(args) => check_cmd::check_command(args),
        Command::Exercise(args) => exercise_cmd::exercise_command(*args),
        Command::Train(args) => train_cmd::train(*args),
        Command::Evaluate(args) => model_cmd::evaluate(args),
        Command::Predict(args) => model_cmd::predict(args),
        Command::Inspect(args) => model_cmd::inspect(args),
        Command::Serve(args) => serve(&args),
    }
}

/// Help and the version go to stdout with exit code 0; every mistake on the command
/// line is one line on stderr (clap's message and its tip, if any) with exit code 2.
fn command_line_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let commands: Vec<String> = Cli::command()
                .get_subcommands()
                .filter(|c| !c.is_hide_set())
                .map(|c| c.get_name().to_string())
                .collect();
            eprintln!(
                "error: no command given; expected one of {} (see backprop --help)",
                commands.join(", ")
            );
            return ExitCode::from(2);
        }
        _ => {}
    }
    // clap's message, a list of missing arguments and tips, before the usage lines.
    let text = e.render().to_string();
    let mut line = String::new();
    let parts = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"));
    for part in parts {
        let separator = if line.is_empty() {
            ""
        } else if line.ends_with(':') || part.starts_with('[') {
            " "
        } else if part.starts_with("tip:") {
            "; "
        } else {
            ", "
        };
        line = format!("{line}{separator}{part}");
    }
    if line.is_empty() {
        line = "error: invalid arguments (see backprop --help)".into();
    }
    eprintln!("{}", printable(&line));
    ExitCode::from(2)
}

/// `text` with control characters (a terminal escape, a newline in a name) written
/// as escapes, so that a message is one line and cannot drive the terminal.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Serves the page until the process is stopped.
fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let server = backprop_serve::Server::bind(&args.host, args.port, Default::default())?;
    eprintln!("Serving the page on {} (Ctrl-C stops)", server.site().url());
    // One worker per core: each request's work is bounded, and more would only share them.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    server.run(workers)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes to stdout; a closed pipe (`| head`) ends the program quietly.
pub fn write_stdout(s: &str) -> anyhow::Result<()> {
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
