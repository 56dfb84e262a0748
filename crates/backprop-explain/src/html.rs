//! The explanation as one self-contained HTML page: the network drawn step by step,
//! every number openable to the equation that derived it, a loss curve, in every
//! registered language. Style, scripts, KaTeX (fonts inlined) and the data, with the
//! catalogues, are all in the file, so it works opened from disk and makes no request
//! to any other host.
//!
//! The page's data is [`page_data`]; its scripts only look numbers and formulas up.
//! The scripts are ES modules, joined into one inline script by `bundle`.

use std::sync::LazyLock;

use serde::Serialize;

use backprop::optim::OptimizerKind;
use backprop::{Activation, Loss};

use crate::bundle::bundle;
use crate::lang::Lang;
use crate::page::{page_data, PageData};
use crate::run::Explanation;

const TEMPLATE: &str = include_str!("../assets/page/index.html");
const STYLE: &str = include_str!("../assets/page/page.css");
const KATEX_CSS: &str = include_str!("../assets/page/katex/katex.css");
const KATEX_JS: &str = include_str!("../assets/page/katex/katex.min.js");

/// `(name, text)` of the page's module `name` in `assets/page/js`.
macro_rules! module {
    ($name:literal) => {
        ($name, include_str!(concat!("../assets/page/js/", $name)))
    };
}

/// The page's ES modules by file name. Listed in no particular order: [`bundle`]
/// runs each after the modules it imports, and `main.js` starts the page.
const MODULES: [(&str, &str); 14] = [
    module!("catalogue.js"),
    module!("curve.js"),
    module!("derivation.js"),
    module!("document.js"),
    module!("editor.js"),
    module!("explain.js"),
    module!("i18n.js"),
    module!("judge.js"),
    module!("main.js"),
    module!("network.js"),
    module!("playground.js"),
    module!("practice.js"),
    module!("state.js"),
    module!("util.js"),
];

/// The modules as one script, joined once. The unit tests check that they join; if
/// they ever did not, the page would report why in the browser's console rather than
/// the program failing.
static SCRIPT: LazyLock<String> = LazyLock::new(|| {
    bundle(&MODULES).unwrap_or_else(|e| format!("throw new Error({});", script_json(&e)))
});

/// How the page starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    /// The code of the language shown first; the page can switch.
    pub lang: &'static str,
    /// Whether a server answers the page's API, so that inputs can be edited and the
    /// playground can train (`backprop serve`), or the page stands alone.
    pub live: bool,
    /// The view the page opens on.
    pub view: View,
    /// Rounds the explanation ran.
    pub rounds: usize,
    /// Rounds it shows in full.
    pub show: usize,
    /// The server's limits, for the page's forms (`null` when not live).
    pub limits: serde_json::Value,
    /// The names the page's forms offer.
    pub choices: Choices,
}

/// A view of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The explanation, step by step.
    #[default]
    Explain,
    /// The Practice mode: the numbers of a round to compute, each checked on Enter.
    Practice,
}

/// The names the page's forms offer, from the libraries' own lists, so that the page
/// keeps no copy of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choices {
    /// Every activation, for any layer.
    pub activations: Vec<&'static str>,
    /// The activations a hidden layer may have (softmax is for the output layer).
    pub hidden_activations: Vec<&'static str>,
    /// Every loss.
    pub losses: Vec<&'static str>,
    /// The playground's generated datasets (empty when no server trains).
    pub datasets: Vec<&'static str>,
    /// Every optimizer a spec may name.
    pub optimizers: Vec<&'static str>,
}

impl Choices {
    /// The engine's activations and losses, and no datasets.
    pub fn engine() -> Choices {
        Choices {
            activations: Activation::ALL.iter().map(|a| a.name()).collect(),
            hidden_activations: Activation::ALL
                .iter()
                .filter(|a| a.is_elementwise())
                .map(|a| a.name())
                .collect(),
            losses: Loss::ALL.iter().map(|l| l.name()).collect(),
            datasets: Vec::new(),
            optimizers: OptimizerKind::ALL.iter().map(|k| k.name()).collect(),
        }
    }
}

impl Settings {
    /// Settings for a page that stands alone.
    pub fn standalone(lang: Lang, ex: &Explanation) -> Settings {
        Settings {
            lang: lang.code(),
            live: false,
            view: View::Explain,
            rounds: ex.rounds_run,
            show: ex.rounds.len(),
            limits: serde_json::Value::Null,
            choices: Choices::engine(),
        }
    }
}

/// The page for `ex` (see [`page_data`] for how it can fail).
pub fn render(ex: &Explanation, settings: &Settings) -> backprop::Result<String> {
    Ok(render_data(&page_data(ex)?, settings))
}

/// The page for already built data.
pub fn render_data(data: &PageData<'_>, settings: &Settings) -> String {
    fill(
        TEMPLATE,
        &[
            ("/*KATEX_CSS*/", KATEX_CSS),
            ("/*STYLE*/", STYLE),
            ("/*SETTINGS*/", &script_json(settings)),
            ("/*DATA*/", &script_json(data)),
            ("<!--KATEX_JS-->", &format!("<script>{KATEX_JS}</script>")),
            (
                "<!--SCRIPTS-->",
                &format!("<script type=\"module\">\n{}</script>", *SCRIPT),
            ),
        ],
    )
}

/// JSON that can sit inside a `<script>` element: `<` is escaped, so no `</script>`
/// or `<!--` in a string can end the element early.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

/// `template` with each marker replaced, once, in the order given; what is inserted is
/// never searched again.
fn fill(template: &str, parts: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + parts.iter().map(|p| p.1.len()).sum::<usize>());
    let mut rest = template;
    for (marker, value) in parts {
        match rest.split_once(marker) {
            Some((before, after)) => {
                out.push_str(before);
                out.push_str(value);
                rest = after;
            }
            None => debug_assert!(false, "marker {marker} missing or out of order"),
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_offers_the_engine_names() {
        let c = Choices::engine();
        let names = |all: &[Activation]| all.iter().map(|a| a.name()).collect::<Vec<_>>();
        assert_eq!(c.activations, names(&Activation::ALL));
        // Softmax normalises a whole layer, so a hidden layer is never offered it.
        assert_eq!(
            c.hidden_activations,
            ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
        );
        assert_eq!(c.losses.len(), Loss::ALL.len());
        assert!(c.datasets.is_empty(), "only a server trains the playground");
    }
    use crate::run::{explain, Options};
    use crate::spec::Spec;

    #[test]
    fn the_page_is_one_file_that_asks_no_other_host() {
        let ex = explain(&Spec::tutorial(), Options::default()).unwrap();
        let html = render(&ex, &Settings::standalone(Lang::En, &ex)).unwrap();
        assert!(html.starts_with("<!doctype html>"));
        for marker in ["/*DATA*/", "/*STYLE*/", "<!--SCRIPTS-->", "<!--KATEX_JS-->"] {
            assert!(!html.contains(marker), "{marker} was not filled");
        }
        assert!(html.contains("<script type=\"module\">\nconst __modules = {};\n"));
        // No external resources: every src/href is inline or a fragment.
        assert!(!html.contains("src=\"http"));
        assert!(!html.contains("href=\"http"));
        assert!(!html.contains("url(fonts/"));
        // Numbers and derivations are in the data: ∂E/∂w5 of the tutorial.
        assert!(html.contains("0.082167041"));
        assert!(html.len() < 2_000_000, "the page is {} bytes", html.len());
    }

    #[test]
    fn the_modules_join_into_one_script_without_imports_or_exports() {
        let script = bundle(&MODULES).unwrap();
        assert!(
            !script
                .lines()
                .any(|l| l.starts_with("import ") || l.starts_with("export ")),
            "{script}"
        );
        // main.js imports, directly or not, every other module, so it runs last.
        let main = script.find("__modules['main.js']").unwrap();
        for (name, _) in MODULES {
            assert!(script.find(&format!("__modules['{name}']")).unwrap() <= main);
        }
    }

    #[test]
    fn every_module_in_the_folder_is_on_the_page() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/page/js");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".js"))
            .collect();
        files.sort();
        let listed: Vec<&str> = MODULES.iter().map(|m| m.0).collect();
        assert_eq!(files, listed);
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_json(&"</script><!--"),
            "\"\\u003c/script>\\u003c!--\""
        );
    }
}
