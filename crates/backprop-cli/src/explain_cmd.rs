//! `explain` and `gradcheck`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use backprop::explain::{self, Lang, Options};
use backprop::gradcheck::{self, Param};
use backprop::{Order, Spec};

use crate::{write_stdout, ExplainArgs, Format, GradcheckArgs, LangArg, OrderArg};

fn load(spec: Option<&PathBuf>) -> anyhow::Result<Spec> {
    Ok(match spec {
        Some(path) => Spec::load(path)?,
        None => Spec::tutorial(),
    })
}

pub fn explain_command(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let spec = load(args.spec.as_ref())?;
    let options = Options {
        rounds: args.rounds,
        show: args
            .show
            .unwrap_or(if args.format == Format::Html { 3 } else { 1 }),
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
        Format::Html => {
            let settings = explain::html::Settings::standalone(lang, &ex);
            explain::html::render(&ex, &settings)
        }
        Format::Markdown => explain::markdown::render(&explain::build::document(&ex, lang)),
        Format::Text => {
            let color = std::io::stdout().is_terminal();
            explain::text::render(&explain::build::document(&ex, lang), color)
        }
    };
    write_stdout(&rendered)?;
    Ok(ExitCode::SUCCESS)
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
