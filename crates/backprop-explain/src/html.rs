//! The explanation as one self-contained HTML page: the network drawn step by step,
//! every number openable to the equation that derived it, a loss curve, English and
//! Chinese. Style, scripts, KaTeX (fonts inlined) and the data are all in the file, so
//! it works opened from disk and makes no request to any other host.
//!
//! The page's data is [`page_data`]; its scripts only look numbers and formulas up.

use serde::Serialize;

use crate::lang::Lang;
use crate::page::{page_data, PageData};
use crate::run::Explanation;

const TEMPLATE: &str = include_str!("../assets/page/index.html");
const STYLE: &str = include_str!("../assets/page/page.css");
const KATEX_CSS: &str = include_str!("../assets/page/katex/katex.css");
const KATEX_JS: &str = include_str!("../assets/page/katex/katex.min.js");

/// The page's scripts, in the order they run.
const SCRIPTS: [&str; 10] = [
    include_str!("../assets/page/js/i18n.js"),
    include_str!("../assets/page/js/util.js"),
    include_str!("../assets/page/js/network.js"),
    include_str!("../assets/page/js/derivation.js"),
    include_str!("../assets/page/js/document.js"),
    include_str!("../assets/page/js/curve.js"),
    include_str!("../assets/page/js/explain.js"),
    include_str!("../assets/page/js/editor.js"),
    include_str!("../assets/page/js/playground.js"),
    include_str!("../assets/page/js/main.js"),
];

/// How the page starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Settings {
    /// The language shown first (`en` or `zh`); the page can switch.
    pub lang: &'static str,
    /// Whether a server answers the page's API, so that inputs can be edited and the
    /// playground can train (`backprop serve`), or the page stands alone.
    pub live: bool,
    /// Rounds the explanation ran.
    pub rounds: usize,
    /// Rounds it shows in full.
    pub show: usize,
    /// The server's limits, for the page's forms (`null` when not live).
    pub limits: serde_json::Value,
}

impl Settings {
    /// Settings for a page that stands alone.
    pub fn standalone(lang: Lang, ex: &Explanation) -> Settings {
        Settings {
            lang: lang.name(),
            live: false,
            rounds: ex.rounds_run,
            show: ex.rounds.len(),
            limits: serde_json::Value::Null,
        }
    }
}

/// The page for `ex`.
pub fn render(ex: &Explanation, settings: &Settings) -> String {
    render_data(&page_data(ex), settings)
}

/// The page for already built data.
pub fn render_data(data: &PageData<'_>, settings: &Settings) -> String {
    let scripts: String = SCRIPTS
        .iter()
        .map(|s| format!("<script>{s}</script>\n"))
        .collect();
    fill(
        TEMPLATE,
        &[
            ("/*KATEX_CSS*/", KATEX_CSS),
            ("/*STYLE*/", STYLE),
            ("/*SETTINGS*/", &script_json(settings)),
            ("/*DATA*/", &script_json(data)),
            ("<!--KATEX_JS-->", &format!("<script>{KATEX_JS}</script>")),
            ("<!--SCRIPTS-->", &scripts),
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
    use crate::run::{explain, Options};
    use crate::spec::Spec;

    #[test]
    fn the_page_is_one_file_that_asks_no_other_host() {
        let ex = explain(&Spec::tutorial(), Options::default()).unwrap();
        let html = render(&ex, &Settings::standalone(Lang::En, &ex));
        assert!(html.starts_with("<!doctype html>"));
        for marker in ["/*DATA*/", "/*STYLE*/", "<!--SCRIPTS-->", "<!--KATEX_JS-->"] {
            assert!(!html.contains(marker), "{marker} was not filled");
        }
        // No external resources: every src/href is inline or a fragment.
        assert!(!html.contains("src=\"http"));
        assert!(!html.contains("href=\"http"));
        assert!(!html.contains("url(fonts/"));
        // Numbers and derivations are in the data: ∂E/∂w5 of the tutorial.
        assert!(html.contains("0.082167041"));
        assert!(html.len() < 2_000_000, "the page is {} bytes", html.len());
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_json(&"</script><!--"),
            "\"\\u003c/script>\\u003c!--\""
        );
    }
}
