//! `exercise`: a new network with nice numbers and the quantities to compute, its
//! answers template and its solution.

use std::path::PathBuf;
use std::process::ExitCode;

use backprop::optim::OptimizerKind;
use backprop::{Activation, Loss};
use backprop_explain::exercise::{self, Exercise};
use backprop_explain::html::View;
use backprop_explain::{markdown, text, Lang};

use crate::choice::choice;
use crate::write_stdout;

/// How the statement is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExerciseFormat {
    /// Terminal text.
    #[default]
    Text,
    /// Markdown with LaTeX.
    Markdown,
    /// The self-contained page: the statement opens on its Practice mode, where each
    /// value is typed and checked; the solution on the explanation.
    Html,
}

impl backprop::names::Named for ExerciseFormat {
    const WHAT: &'static str = "format";
    const ALL: &'static [Self] = &[
        ExerciseFormat::Text,
        ExerciseFormat::Markdown,
        ExerciseFormat::Html,
    ];

    fn name(self) -> &'static str {
        match self {
            ExerciseFormat::Text => "text",
            ExerciseFormat::Markdown => "markdown",
            ExerciseFormat::Html => "html",
        }
    }
}

/// Arguments of `exercise`.
#[derive(clap::Args)]
pub struct ExerciseArgs {
    /// The number of inputs, then each layer's size, comma-separated.
    #[arg(long, default_value = "2,2,2", value_parser = layers)]
    layers: Layers,
    /// Every layer's activation.
    #[arg(long, value_parser = choice::<Activation>(), default_value = "sigmoid")]
    activation: Activation,
    /// The loss.
    #[arg(long, value_parser = choice::<Loss>(), default_value = "half_sse")]
    loss: Loss,
    /// The seed: the same seed gives the same exercise.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The optimizer of the update, with its default settings (default: plain gradient
    /// descent); its state is asked for too.
    #[arg(long, value_parser = choice::<OptimizerKind>())]
    optimizer: Option<OptimizerKind>,
    /// Decimal places of every number given (1 to 4).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=4))]
    digits: u32,
    /// Language of the statement and the solution.
    #[arg(long, value_parser = choice::<Lang>(), default_value_t = Lang::En)]
    lang: Lang,
    /// Format of the statement and the solution.
    #[arg(long, value_parser = choice::<ExerciseFormat>(), default_value = "text")]
    format: ExerciseFormat,
    /// Also write the answers template, for `backprop check`, to FILE.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,
    /// Also write the full solution (the explanation of the first round) to FILE.
    #[arg(long, value_name = "FILE")]
    solution: Option<PathBuf>,
}

/// The value of `--layers`.
#[derive(Clone, Debug)]
pub struct Layers(Vec<usize>);

/// Reads `--layers`: whole numbers that [`exercise::check_layers`] accepts.
fn layers(s: &str) -> Result<Layers, String> {
    let sizes: Vec<usize> = s
        .split(',')
        .map(|p| p.trim().parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("expected sizes separated by commas, such as 2,2,2, got `{s}`"))?;
    exercise::check_layers(&sizes)?;
    Ok(Layers(sizes))
}

/// `backprop exercise`: the statement on stdout, the template and solution in files.
pub fn exercise_command(args: ExerciseArgs) -> anyhow::Result<ExitCode> {
    let ex = Exercise {
        layers: args.layers.0,
        activation: args.activation,
        loss: args.loss,
        seed: args.seed,
        digits: args.digits,
        optimizer: args.optimizer,
    };
    let spec = ex.spec()?;
    let lang = args.lang;
    // The statement, or with `solution` the solution, in the format asked for.
    let render = |solution: bool| -> backprop::Result<String> {
        let blocks = |solution| {
            if solution {
                exercise::solution(&spec)
            } else {
                exercise::statement(&spec)
            }
        };
        Ok(match args.format {
            ExerciseFormat::Text => text::render(&blocks(solution)?, lang, false),
            ExerciseFormat::Markdown => markdown::render(&blocks(solution)?, lang),
            ExerciseFormat::Html if solution => exercise::page(&spec, lang, View::Explain)?,
            ExerciseFormat::Html => exercise::page(&spec, lang, View::Practice)?,
        })
    };
    if let Some(path) = &args.answers {
        backprop_io::atomic::write(path, exercise::template(&spec, args.seed).as_bytes())?;
    }
    if let Some(path) = &args.solution {
        backprop_io::atomic::write(path, render(true)?.as_bytes())?;
    }
    write_stdout(&render(false)?)?;
    Ok(ExitCode::SUCCESS)
}
