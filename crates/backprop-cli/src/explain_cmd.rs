//! `explain` and `gradcheck`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use backprop::gradcheck::{self, Param};
use backprop_explain::Spec;
use backprop_explain::{self as explain, Format, Options};

use crate::{write_stdout, ExplainArgs, GradcheckArgs};

fn load(spec: Option<&PathBuf>) -> anyhow::Result<Spec> {
    Ok(match spec {
        Some(path) => Spec::load(path)?,
        None => Spec::tutorial(),
    })
}

/// Reads `--rounds`: at least 1, at most what an explanation runs.
pub fn rounds(s: &str) -> Result<usize, String> {
    let max = explain::run::MAX_ROUNDS;
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("must be at most {max}")),
        Err(_) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            Err(format!("must be at most {max}"))
        }
        Err(_) => Err("expected a whole number of rounds".into()),
    }
}

pub fn explain_command(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let spec = load(args.spec.as_ref())?;
    if args.names {
        return crate::check_cmd::names_command(&spec);
    }
    let options = Options {
        rounds: args.rounds,
        show: args.show.unwrap_or(args.format.default_show()),
        order: args.order,
    };
    explain::run::check_memory(&spec, &options, args.format == Format::Html)?;
    if options.show > options.rounds {
        eprintln!(
            "note: --show {} is more than --rounds {}; all {} rounds are shown in full",
            options.show, options.rounds, options.rounds
        );
    }
    let ex = if std::io::stderr().is_terminal() {
        let mut bar = RoundsBar::default();
        let ex = explain::run::explain_with_progress(&spec, options, |done, total| {
            bar.update(done, total)
        });
        bar.finish();
        ex?
    } else {
        explain::explain(&spec, options)?
    };
    let lang = args.lang;
    let rendered = match args.format {
        Format::Json => serde_json::to_string_pretty(&ex)? + "\n",
        Format::Html => {
            let settings = explain::html::Settings::standalone(lang, &ex);
            explain::html::render(&ex, &settings)?
        }
        // Text and Markdown are written block by block, never held whole.
        Format::Markdown => {
            let out = std::io::stdout().lock();
            let mut w = explain::markdown::MarkdownWriter::new(std::io::BufWriter::new(out), lang);
            let written = write_blocks(&ex, |b| w.block(b)).and_then(|()| w.finish());
            return written_to_stdout(written);
        }
        Format::Text => {
            // Colour on a terminal, unless NO_COLOR asks otherwise; the writer then emits
            // no escape to strip, so it writes to standard output directly.
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let out = std::io::stdout().lock();
            let mut w = explain::text::TextWriter::new(std::io::BufWriter::new(out), lang, color);
            let written = write_blocks(&ex, |b| w.block(b)).and_then(|()| w.finish());
            return written_to_stdout(written);
        }
    };
    write_stdout(&rendered)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the document of `ex` block by block with `block`, stopping at the first error.
fn write_blocks(
    ex: &explain::Explanation,
    mut block: impl FnMut(&explain::doc::Block) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut result = Ok(());
    explain::stream_document(ex, &mut |b| {
        if result.is_ok() {
            result = block(&b);
        }
    });
    result
}

/// The outcome of writing to standard output; a closed pipe (`| head`) ends it quietly.
fn written_to_stdout(result: std::io::Result<()>) -> anyhow::Result<ExitCode> {
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
        Ok(()) => Ok(ExitCode::SUCCESS),
    }
}

/// A progress bar on standard error for explanations that run over a second.
#[derive(Default)]
struct RoundsBar {
    start: Option<Instant>,
    bar: Option<indicatif::ProgressBar>,
}

impl RoundsBar {
    fn update(&mut self, done: usize, total: usize) {
        let start = *self.start.get_or_insert_with(Instant::now);
        if self.bar.is_none() && start.elapsed() > Duration::from_secs(1) {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} {wide_bar} {pos}/{len} rounds, both orders, ETA {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("explain");
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

pub fn gradcheck_command(args: GradcheckArgs) -> anyhow::Result<ExitCode> {
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
            .max_by(|a, b| a.error.total_cmp(&b.error));
        if let Some(w) = worst {
            out += &format!("  layers[{l}]: worst {}\n", error_phrase(w));
        }
    }
    let passed = report.passes(args.tolerance);
    if let Some(w) = report.worst() {
        let place = match w.param {
            Param::Weight { j, k } => format!("layers[{}].weights[{j}][{k}]", w.layer),
            Param::Bias { j } => format!("layers[{}].bias[{j}]", w.layer),
        };
        out += &format!(
            "worst {} at {place}: backpropagation {}, finite difference {}\n{} (tolerance {}; where both gradients are below {}, the difference is compared to {} × {})\n",
            error_phrase(w),
            exact(w.analytic),
            exact(w.numeric),
            if passed { "PASS" } else { "FAIL" },
            exact(args.tolerance),
            exact(gradcheck::FLOOR),
            exact(args.tolerance),
            exact(gradcheck::FLOOR),
        );
    }
    for kink in &report.kinks {
        let activation = net.layers[kink.layer].activation.name();
        out += &format!(
            "note: for samples[{}], layers[{}] neuron {} (weights[{}]) has net = {}, on or next to the kink at 0 where {activation} has no derivative: backpropagation takes one side's slope while the finite difference sees both, so the gradients that flow through this neuron may disagree\n",
            kink.sample,
            kink.layer,
            kink.neuron,
            kink.neuron,
            exact(kink.net),
        );
    }
    write_stdout(&out)?;
    Ok(if passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `relative error 1.234e-7`, or `absolute difference 2.500e-9` when both gradients are
/// too small for a relative error to mean anything.
fn error_phrase(e: &gradcheck::Entry) -> String {
    if e.relative {
        format!("relative error {}", sci(e.error))
    } else {
        format!(
            "absolute difference {} (both gradients below {})",
            sci((e.analytic - e.numeric).abs()),
            exact(gradcheck::FLOOR)
        )
    }
}

/// A number in scientific notation with 4 significant digits; zero as `0`.
fn sci(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:.3e}")
    }
}

/// A number in the shortest scientific notation that reads back to it; zero as `0`.
fn exact(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:e}")
    }
}
