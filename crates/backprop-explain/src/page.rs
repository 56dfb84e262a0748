//! The explanation as data for the interactive page: the trace, every quantity by key
//! with its symbol, value and derivation, the steps of a round, the document's blocks,
//! and the catalogues of every registered language. The data is in no language: its
//! prose is messages by id with their arguments, which the page's scripts fill in from
//! the catalogues in the language shown. The page only looks these up; it computes
//! nothing, except, in its Practice mode, the comparison of a learner's number with the
//! values sent for it (see [`Practice`]).
//!
//! A quantity's key is its place in the JSON trace (see [`keys`](crate::keys)) prefixed with its
//! round, e.g. `rounds.0.layers.1.grad_weights.0.0` for ∂E/∂w5 of the first round;
//! the learning rate is `network.learning_rate`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::build::keyed_document;
use crate::catalogue::Catalogue;
use crate::doc::{Block, Inline, Stage};
use crate::expr::{format_number, Expr, Sym};
use crate::lang::Lang;
use crate::markdown::aligned_tex;
use crate::msg::Msg;
use crate::naming::Names;
use crate::run::{Explanation, LossCurve};
use crate::tex::Tex;
use backprop::network::Order;

mod given;
mod practice;
use given::{given, labels};
pub use practice::{practice, Practice};

/// A registered language with its catalogue, as the page receives it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LanguageData {
    /// Its code, as `--lang` takes it.
    pub code: &'static str,
    /// Its catalogue: `language` (name and tag), `explain` and `page`.
    #[serde(flatten)]
    pub catalogue: &'static Catalogue,
}

/// `langs` with their catalogues, in the order given.
pub fn languages(langs: &[Lang]) -> Vec<LanguageData> {
    langs
        .iter()
        .map(|&lang| LanguageData {
            code: lang.code(),
            catalogue: lang.catalogue(),
        })
        .collect()
}

/// One number of the explanation and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantity {
    /// Its symbol as plain text, e.g. `∂E_total/∂w5`.
    pub text: String,
    /// Its symbol in LaTeX.
    pub latex: String,
    /// Its value, in full f64 precision.
    pub value: f64,
    /// The value as the explanation prints it (9 decimals).
    pub shown: String,
    /// The step of its round that computes it (an index into [`PageData::steps`]);
    /// `None` for given values.
    pub step: Option<usize>,
    /// The equation that derives it, as LaTeX rows of an `aligned` environment with
    /// the words of a note still messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equation: Option<Tex>,
    /// Where a given value comes from, when no equation derives it here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<Msg>,
    /// The keys of the quantities the equation substitutes, in order.
    pub uses: Vec<String>,
}

/// One step of a round as the page plays it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// `forward`, `loss`, `backward` or `update`.
    pub stage: &'static str,
    /// The layers the step covers (0 = nearest the input).
    pub layers: Vec<usize>,
    /// What the step does.
    pub title: Msg,
}

/// A run of prose or a formula.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InlineData {
    /// Prose: a message.
    Msg(Msg),
    /// A formula in LaTeX.
    Math(Tex),
}

/// A block of the document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockData {
    /// The title.
    Title {
        /// Its message.
        msg: Msg,
    },
    /// A section heading.
    Heading {
        /// Its message.
        msg: Msg,
    },
    /// A subsection heading.
    Subheading {
        /// Its message.
        msg: Msg,
    },
    /// A paragraph.
    Para {
        /// Its runs.
        inlines: Vec<InlineData>,
    },
    /// An equation: the quantity it derives, whose `equation` holds it.
    Eq {
        /// The quantity's key.
        key: String,
    },
    /// A table.
    Table {
        /// Column headings.
        header: Vec<InlineData>,
        /// Cells, row by row.
        rows: Vec<Vec<String>>,
    },
}

/// A block with its place in the rounds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    /// The round, 0-based; `None` before and after the rounds.
    pub round: Option<usize>,
    /// The step of the round; `None` outside the rounds.
    pub step: Option<usize>,
    /// The block.
    #[serde(flatten)]
    pub block: BlockData,
}

/// Labels for drawing the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Labels {
    /// The inputs: `i1`, `x₁`.
    pub inputs: Vec<String>,
    /// The neurons per layer: `h1`, `o2`, `(2,1)`.
    pub neurons: Vec<Vec<String>>,
    /// The weights per layer, one row per neuron: `w5`, `w⁽²⁾₁,₁`.
    pub weights: Vec<Vec<Vec<String>>>,
    /// The biases per layer: one label when shared, else one per neuron.
    pub biases: Vec<Vec<String>>,
}

/// Everything the page shows, by key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageData<'a> {
    /// The recorded explanation, as the JSON trace has it.
    pub explanation: &'a Explanation,
    /// The loss of the rounds' forward passes, before their updates, at evenly
    /// spaced rounds.
    pub curve: &'a LossCurve,
    /// Labels for the drawing.
    pub labels: Labels,
    /// The steps of a round, in the order the engine takes them.
    pub steps: Vec<Step>,
    /// Every quantity of the shown rounds, by key.
    pub quantities: BTreeMap<String, Quantity>,
    /// The document, block by block.
    pub doc: Vec<Entry>,
    /// How the Practice mode judges a learner's number for each derived quantity of the
    /// shown rounds, by key.
    pub practice: BTreeMap<String, Practice>,
    /// The registered languages with their catalogues, in the order the page offers
    /// them; the first is English.
    pub languages: Vec<LanguageData>,
}

/// The page's data for `ex`. The Practice mode's mistakes that depend on the update
/// order run the shown rounds once more in the other order, which can fail as `ex` could.
pub fn page_data(ex: &Explanation) -> backprop::Result<PageData<'_>> {
    let names = Names::new(&ex.network);
    let layers = ex.network.layers.len();
    let steps = steps(ex.order, layers, &names);
    let step_of = |stage: Stage| step_index(ex.order, layers, stage);
    let mut quantities = BTreeMap::new();
    given(ex, &names, &mut quantities);
    let doc = keyed_document(ex);
    for e in &doc.entries {
        let (Some(source), Some(round), Block::Eq(parts)) = (&e.source, e.round, &e.block) else {
            continue;
        };
        let value = match parts.last().map(Expr::without_note) {
            Some(Expr::Num(v)) => *v,
            _ => f64::NAN,
        };
        // A left-hand side is a symbol, the same in every language.
        let lhs = match parts.first() {
            Some(e) => Sym::new(e.text(Lang::default()), e.latex(Lang::default())),
            None => Sym::new("", ""),
        };
        quantities.insert(
            absolute(round, &source.key),
            Quantity {
                text: lhs.text,
                latex: lhs.latex,
                value,
                shown: format_number(value),
                step: step_of(e.stage),
                equation: Some(aligned_tex(parts)),
                given: None,
                uses: source.uses.iter().map(|k| absolute(round, k)).collect(),
            },
        );
    }
    let entries = doc
        .entries
        .into_iter()
        .map(|e| Entry {
            round: e.round,
            step: e.round.and_then(|_| step_of(e.stage)),
            block: block_data(e.block, e.source.as_ref().map(|s| &s.key), e.round),
        })
        .collect();
    Ok(PageData {
        explanation: ex,
        curve: &ex.curve,
        labels: labels(ex, &names),
        steps,
        quantities,
        doc: entries,
        practice: practice(ex)?,
        languages: languages(Lang::ALL),
    })
}

/// `key` of round `round`, unless it names the spec's settings.
fn absolute(round: usize, key: &str) -> String {
    if key.starts_with("network.") {
        key.to_string()
    } else {
        format!("rounds.{round}.{key}")
    }
}

fn block_data(block: Block, key: Option<&String>, round: Option<usize>) -> BlockData {
    let inlines = |items: Vec<Inline>| {
        items
            .into_iter()
            .map(|i| match i {
                Inline::Msg(m) => InlineData::Msg(m),
                Inline::Math(e) => InlineData::Math(e.tex()),
            })
            .collect()
    };
    match block {
        Block::Title(msg) => BlockData::Title { msg },
        Block::Heading(msg) => BlockData::Heading { msg },
        Block::Subheading(msg) => BlockData::Subheading { msg },
        Block::Para(items) => BlockData::Para {
            inlines: inlines(items),
        },
        Block::Eq(_) => BlockData::Eq {
            key: key.map_or_else(String::new, |k| absolute(round.unwrap_or(0), k)),
        },
        Block::Table { header, rows } => BlockData::Table {
            header: inlines(header),
            rows,
        },
    }
}

/// The steps of a round: forward through each layer, the loss, then backward from
/// the output; the updates come last (textbook) or right after each layer's
/// backward pass (published).
fn steps(order: Order, layers: usize, names: &Names) -> Vec<Step> {
    let what = |l: usize| {
        let id = if names.is_output(l) {
            "step_output_layer"
        } else {
            "step_hidden_layer"
        };
        Msg::new(id).with("number", l + 1)
    };
    let step = |stage, layers: Vec<usize>, title| Step {
        stage,
        layers,
        title,
    };
    let mut out: Vec<Step> = (0..layers)
        .map(|l| {
            let title = Msg::new("step_forward").with("layer", what(l));
            step("forward", vec![l], title)
        })
        .collect();
    out.push(step("loss", vec![layers - 1], Msg::new("total_error")));
    for l in (0..layers).rev() {
        let title = Msg::new("step_backward").with("layer", what(l));
        out.push(step("backward", vec![l], title));
        if order == Order::Published {
            let title = Msg::new("step_update").with("layer", what(l));
            out.push(step("update", vec![l], title));
        }
    }
    if order == Order::Textbook {
        let title = Msg::new("step_update_all");
        out.push(step("update", (0..layers).rev().collect(), title));
    }
    out
}

/// The index in [`steps`] of the step that holds `stage`.
fn step_index(order: Order, layers: usize, stage: Stage) -> Option<usize> {
    let backward = |l: usize| match order {
        Order::Textbook => layers + 1 + (layers - 1 - l),
        Order::Published => layers + 1 + 2 * (layers - 1 - l),
    };
    match stage {
        Stage::Intro | Stage::Summary => None,
        Stage::Forward(l) => Some(l),
        Stage::Loss => Some(layers),
        Stage::Backward(l) => Some(backward(l)),
        Stage::Update(l) => Some(match order {
            Order::Textbook => 2 * layers + 1,
            Order::Published => backward(l) + 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Mistake;
    use crate::run::{explain, Options};
    use crate::spec::Spec;

    fn tutorial(order: Order) -> Explanation {
        let options = Options {
            rounds: 2,
            show: 2,
            order: Some(order),
        };
        explain(&Spec::tutorial(), options).unwrap()
    }

    #[test]
    fn the_gradient_of_w5_comes_with_its_three_factors() {
        let ex = tutorial(Order::Textbook);
        let page = page_data(&ex).unwrap();
        let q = &page.quantities["rounds.0.layers.1.grad_weights.0.0"];
        // ∂E/∂w5 = 0.741365070 × 0.186815602 × 0.593269992 = 0.082167041 (the tutorial).
        assert_eq!(q.shown, "0.082167041");
        assert_eq!(q.text, "∂E_total/∂w5");
        assert_eq!(
            q.uses,
            [
                "rounds.0.layers.1.d_out.0.0",
                "rounds.0.layers.1.d_act.0.0",
                "rounds.0.layers.1.dnet_dw.0.0"
            ]
        );
        let shown: Vec<&str> = q
            .uses
            .iter()
            .map(|k| page.quantities[k].shown.as_str())
            .collect();
        assert_eq!(shown, ["0.741365070", "0.186815602", "0.593269992"]);
        // ∂net_o1/∂w5 = out_h1, which the forward pass of the hidden layer computed.
        let dnet_dw = &page.quantities["rounds.0.layers.1.dnet_dw.0.0"];
        assert_eq!(dnet_dw.uses, ["rounds.0.layers.0.out.0.0"]);
        assert_eq!(page.steps[q.step.unwrap()].stage, "backward");
    }

    #[test]
    fn practice_carries_each_mistake_s_number_and_a_rounding_bound() {
        let ex = tutorial(Order::Textbook);
        let page = page_data(&ex).unwrap();
        let w5 = &page.practice["rounds.0.layers.1.weights_after.0.0"];
        let found = |m: Mistake| w5.mistakes.iter().find(|(x, _)| *x == m).map(|x| x.1);
        // w5 + η·∂E/∂w5 = 0.4 + 0.5 × 0.082167041 = 0.441083521 and w5 − ∂E/∂w5 =
        // 0.317832959 (the tutorial's ∂E/∂w5).
        let added = found(Mistake::AddedUpdate).unwrap();
        assert!((added - 0.441083521).abs() < 1e-9, "{added}");
        let no_rate = found(Mistake::MissingLearningRate).unwrap();
        assert!((no_rate - 0.317832959).abs() < 1e-9, "{no_rate}");
        // Rounding the values before w5⁺ moves it; the given w5 is exact.
        assert!(w5.bound > 0.0);
        assert!(!page
            .practice
            .contains_key("rounds.0.layers.1.weights_before.0.0"));
        // Every derived quantity of every shown round is there, and nothing else.
        for key in page.practice.keys() {
            let q = &page.quantities[key];
            assert!(q.equation.is_some(), "{key}");
        }
        let derived = page.quantities.values().filter(|q| q.equation.is_some());
        assert_eq!(page.practice.len(), derived.count());
    }

    #[test]
    fn every_key_an_equation_uses_is_on_the_page() {
        let example = |name: &str| {
            let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
            Spec::load(std::path::Path::new(&path)).unwrap()
        };
        // The tutorial in both orders, softmax with cross-entropy, and a batch of four.
        let mut explanations = vec![tutorial(Order::Textbook), tutorial(Order::Published)];
        for spec in [example("softmax.toml"), example("xor.json")] {
            let options = Options {
                rounds: 2,
                show: 2,
                order: None,
            };
            explanations.push(explain(&spec, options).unwrap());
        }
        for ex in &explanations {
            let page = page_data(ex).unwrap();
            for (key, q) in &page.quantities {
                for used in &q.uses {
                    assert!(
                        page.quantities.contains_key(used),
                        "{key} uses {used}, which is missing"
                    );
                }
            }
            for entry in &page.doc {
                if let BlockData::Eq { key } = &entry.block {
                    assert!(page.quantities.contains_key(key), "{key} is missing");
                }
            }
        }
    }

    #[test]
    fn the_data_is_in_no_language_and_carries_the_catalogues() {
        let ex = tutorial(Order::Published);
        let mut page = page_data(&ex).unwrap();
        let codes: Vec<&str> = page.languages.iter().map(|l| l.code).collect();
        assert_eq!(
            codes,
            Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>()
        );
        assert_eq!(
            page.languages[1].catalogue.explain["forward_pass"],
            "前向传播"
        );
        // Without the catalogues, no phrase of any language is left: only message ids.
        page.languages.clear();
        let json = serde_json::to_string(&page).unwrap();
        for &lang in Lang::ALL {
            for id in [
                "forward_pass",
                "step_update",
                "given_frozen",
                "updating_now_why",
            ] {
                let phrase = lang.catalogue().explain[id].replace("{layer}", "");
                assert!(!json.contains(&phrase), "{phrase}");
            }
        }
        assert!(json.contains(r#"{"id":"step_update","args":{"layer":{"id":"step_output_layer","args":{"number":"2"}}}}"#));
        let w5 = &page.quantities["rounds.0.layers.1.grad_weights.0.0"];
        let equation = w5.equation.as_ref().map(|e| e.fill(Lang::Es));
        assert!(equation.is_some_and(|e| e.ends_with("&= 0.082167041")));
    }

    #[test]
    fn steps_follow_the_update_order() {
        let stages = |order| {
            let ex = tutorial(order);
            page_data(&ex)
                .unwrap()
                .steps
                .iter()
                .map(|s| format!("{}{:?}", s.stage, s.layers))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            stages(Order::Textbook),
            [
                "forward[0]",
                "forward[1]",
                "loss[1]",
                "backward[1]",
                "backward[0]",
                "update[1, 0]"
            ]
        );
        assert_eq!(
            stages(Order::Published),
            [
                "forward[0]",
                "forward[1]",
                "loss[1]",
                "backward[1]",
                "update[1]",
                "backward[0]",
                "update[0]"
            ]
        );
        // Round 2 starts from round 1's w5⁺ = 0.358916480.
        let ex = tutorial(Order::Textbook);
        let page = page_data(&ex).unwrap();
        let w5 = &page.quantities["rounds.1.layers.1.weights_before.0.0"];
        assert_eq!(w5.shown, "0.358916480");
        assert_eq!(w5.uses, ["rounds.0.layers.1.weights_after.0.0"]);
    }
}
