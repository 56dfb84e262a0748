//! Explanations, checks of a learner's answers, and exercises.

use std::path::Path;
use std::str::FromStr;

use pyo3::prelude::*;

use backprop::network::Order;
use backprop::optim::OptimizerKind;
use backprop::{Activation, Loss};
use backprop_explain::check::check_text;
use backprop_explain::exercise::{self as exercises, Exercise};
use backprop_explain::html::{self, Settings, View};
use backprop_explain::run::check_memory;
use backprop_explain::{document, markdown, text, Lang, Options, Spec};

use crate::errors::{raised, value};

/// A name of `T`'s list (a language, an order, an activation), or the list's message.
fn parse<T: FromStr>(name: &str) -> PyResult<T>
where
    T::Err: std::fmt::Display,
{
    T::from_str(name).map_err(|e| value(e.to_string()))
}

/// `text` as a spec named `name` (whose extension picks TOML or JSON), or the tutorial.
fn spec(text: Option<&str>, name: &str) -> PyResult<Spec> {
    match text {
        Some(t) => Spec::parse(t, Path::new(name)).map_err(raised),
        None => Ok(Spec::tutorial()),
    }
}

/// The text of a spec file (`what` = `spec`) or an answers file (`answers`), read as
/// the program reads them: a regular file within its size bound, never a FIFO or a
/// device.
#[pyfunction]
pub fn read_text(path: std::path::PathBuf, what: &str) -> PyResult<String> {
    use backprop_io::input::{self, ANSWERS_LIMIT, SPEC_LIMIT};
    let (limit, named) = match what {
        "spec" => (SPEC_LIMIT, "a spec"),
        "answers" => (ANSWERS_LIMIT, "an answers file"),
        other => return Err(value(format!("unknown kind of file `{other}`"))),
    };
    input::read_text(&path, limit, named).map_err(raised)
}

/// A recorded explanation.
#[pyclass(module = "backprop._native", frozen)]
pub struct Explanation {
    ex: backprop_explain::Explanation,
}

#[pymethods]
impl Explanation {
    /// The JSON trace, as `explain --format json` prints it.
    fn trace_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.ex).map_err(|e| value(e.to_string()))
    }

    /// The explanation as terminal text in `lang`.
    fn text(&self, lang: &str) -> PyResult<String> {
        Ok(text::render(&document(&self.ex), parse(lang)?, false))
    }

    /// The explanation as Markdown with LaTeX in `lang`.
    fn markdown(&self, lang: &str) -> PyResult<String> {
        Ok(markdown::render(&document(&self.ex), parse(lang)?))
    }

    /// The self-contained page, opening in `lang` on `view` (`explain` or `practice`).
    fn html(&self, lang: &str, view: &str) -> PyResult<String> {
        let view = match view {
            "explain" => View::Explain,
            "practice" => View::Practice,
            other => {
                return Err(value(format!(
                    "unknown view `{other}`; expected explain or practice"
                )))
            }
        };
        let settings = Settings {
            view,
            ..Settings::standalone(parse(lang)?, &self.ex)
        };
        html::render(&self.ex, &settings).map_err(raised)
    }
}

/// Runs `spec` (text named `name`; the tutorial when `None`) for `rounds` rounds,
/// `show` of them recorded in full, in `order` (the spec's when `None`). The GIL is
/// released while the engine runs.
#[pyfunction]
#[pyo3(signature = (spec, name, rounds, show, order=None))]
pub fn explain(
    py: Python<'_>,
    spec: Option<&str>,
    name: &str,
    rounds: usize,
    show: usize,
    order: Option<&str>,
) -> PyResult<Explanation> {
    let spec = self::spec(spec, name)?;
    let order = order.map(parse::<Order>).transpose()?;
    let options = Options {
        rounds,
        show,
        order,
    };
    // The page is the largest form an explanation takes here.
    check_memory(&spec, &options, true).map_err(raised)?;
    let ex = py
        .detach(|| backprop_explain::explain(&spec, options))
        .map_err(raised)?;
    Ok(Explanation { ex })
}

/// Checks an answers file's text against `spec` (text named `name`), else the spec an
/// exercise's template carries, else the tutorial. Gives the JSON of `check --format json`.
#[pyfunction]
#[pyo3(signature = (answers, spec, name, lang))]
pub fn check(
    py: Python<'_>,
    answers: &str,
    spec: Option<&str>,
    name: &str,
    lang: &str,
) -> PyResult<String> {
    let lang: Lang = parse(lang)?;
    let spec = match (spec, exercises::embedded_spec(answers)) {
        (None, Some(json)) => self::spec(Some(json), "answers (its spec line)")?,
        (text, _) => self::spec(text, name)?,
    };
    let report = py
        .detach(|| check_text(&spec, answers))
        .map_err(|e| match e {
            backprop_explain::check::CheckError::Answers(a) => value(a.to_string()),
            backprop_explain::check::CheckError::Run(r) => raised(r),
        })?;
    serde_json::to_string(&report.json(lang)).map_err(|e| value(e.to_string()))
}

/// A new exercise: its statement, its answers template and its solution, in `lang` and
/// `format` (`text`, `markdown` or `html`), updated by `optimizer` (plain gradient
/// descent when `None`).
#[pyfunction]
#[allow(clippy::too_many_arguments)] // the options of `backprop exercise`, one by one
#[pyo3(signature = (layers, activation, loss, seed, digits, lang, format, optimizer=None))]
pub fn exercise(
    layers: Vec<usize>,
    activation: &str,
    loss: &str,
    seed: u64,
    digits: u32,
    lang: &str,
    format: &str,
    optimizer: Option<&str>,
) -> PyResult<(String, String, String)> {
    exercises::check_layers(&layers).map_err(value)?;
    if !(1..=4).contains(&digits) {
        return Err(value(format!("digits must be from 1 to 4, got {digits}")));
    }
    let ex = Exercise {
        layers,
        activation: parse::<Activation>(activation)?,
        loss: parse::<Loss>(loss)?,
        seed,
        digits,
        optimizer: optimizer.map(parse::<OptimizerKind>).transpose()?,
    };
    let lang: Lang = parse(lang)?;
    let spec = ex.spec().map_err(raised)?;
    let render = |solution: bool| -> PyResult<String> {
        let blocks = || {
            if solution {
                exercises::solution(&spec)
            } else {
                exercises::statement(&spec)
            }
            .map_err(raised)
        };
        match format {
            "text" => Ok(text::render(&blocks()?, lang, false)),
            "markdown" => Ok(markdown::render(&blocks()?, lang)),
            "html" => {
                let view = if solution {
                    View::Explain
                } else {
                    View::Practice
                };
                exercises::page(&spec, lang, view).map_err(raised)
            }
            other => Err(value(format!(
                "unknown format `{other}`; expected one of text, markdown, html"
            ))),
        }
    };
    Ok((
        render(false)?,
        exercises::template(&spec, seed),
        render(true)?,
    ))
}
