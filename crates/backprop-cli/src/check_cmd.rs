//! `check`: a learner's answers judged against the recorded trace, and `explain
//! --names`: every quantity of a spec in both spellings.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use backprop::names::Named;
use backprop_explain::check::{self, names};
use backprop_explain::exercise;
use backprop_explain::{Lang, Spec};
use backprop_io::input::{read_text, ANSWERS_LIMIT};

use crate::{printable, write_stdout};

/// How `check` prints its verdicts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckFormat {
    /// A line per answer.
    #[default]
    Text,
    /// `{"answers": [...], "right", "rounding", "wrong", "unknown_name"}`.
    Json,
}

impl Named for CheckFormat {
    const WHAT: &'static str = "format";
    const ALL: &'static [Self] = &[CheckFormat::Text, CheckFormat::Json];

    fn name(self) -> &'static str {
        match self {
            CheckFormat::Text => "text",
            CheckFormat::Json => "json",
        }
    }

    fn about(self) -> &'static str {
        match self {
            CheckFormat::Text => "A line per answer, then the counts",
            CheckFormat::Json => "One JSON object with every verdict",
        }
    }
}

/// Arguments of `check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// The answers: lines `NAME = VALUE`, `#` comments, `[round N]` sections.
    #[arg(value_name = "ANSWERS")]
    answers: PathBuf,
    /// A network spec (JSON, or TOML when the name ends in .toml); without it, the
    /// spec on the answers file's `# spec:` line (an exercise's template), else the
    /// tutorial's.
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = crate::choice::choice::<CheckFormat>(), default_value = "text")]
    format: CheckFormat,
    /// Language of the messages.
    #[arg(long, value_parser = crate::choice::choice::<Lang>(), default_value_t = Lang::En)]
    lang: Lang,
}

fn load(spec: Option<&PathBuf>) -> anyhow::Result<Spec> {
    Ok(match spec {
        Some(path) => Spec::load(path)?,
        None => Spec::tutorial(),
    })
}

/// Bad input: one line on stderr, exit code 2.
fn bad_input(path: &Path, message: &str) -> ExitCode {
    eprintln!(
        "error: {}",
        printable(&format!("{}: {message}", path.display()))
    );
    ExitCode::from(2)
}

/// `backprop check`: exit 0 when every answer is right or off by rounding, 1 when any
/// is wrong or names no quantity, 2 for bad input.
pub fn check_command(args: CheckArgs) -> anyhow::Result<ExitCode> {
    // A regular file within its bound: a FIFO or a device is refused, not waited on.
    let text = read_text(&args.answers, ANSWERS_LIMIT, "an answers file")?;
    // `--spec` first, then the spec an exercise's template carries, then the tutorial.
    let spec = match (&args.spec, exercise::embedded_spec(&text)) {
        (None, Some(json)) => {
            let name = format!("{} (its spec line)", args.answers.display());
            Spec::parse(json, Path::new(&name))?
        }
        (spec, _) => load(spec.as_ref())?,
    };
    let report = match check::check_text(&spec, &text) {
        Ok(report) => report,
        Err(check::CheckError::Answers(e)) => return Ok(bad_input(&args.answers, &e.to_string())),
        Err(check::CheckError::Run(e)) => return Err(e.into()),
    };
    let out = match args.format {
        CheckFormat::Text => report.text(args.lang),
        CheckFormat::Json => serde_json::to_string_pretty(&report.json(args.lang))? + "\n",
    };
    write_stdout(&out)?;
    Ok(if report.all_right() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `explain --names`: each quantity of a round, its printed name and its ASCII
/// spelling, one per line.
pub fn names_command(spec: &Spec) -> anyhow::Result<ExitCode> {
    let all = names::all(spec);
    let width = all
        .iter()
        .map(|n| n.unicode.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for n in &all {
        let pad = width - n.unicode.chars().count();
        out.push_str(&format!("{}{}  {}\n", n.unicode, " ".repeat(pad), n.ascii));
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}
