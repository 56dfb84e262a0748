//! The checked answers, as text in a language and as JSON.

use serde_json::{json, Value};

use super::answers::Answer;
use super::mistakes::Mistake;
use super::names::Named;
use super::verdict::Verdict;
use crate::doc::chain;
use crate::expr::{format_number, Expr};
use crate::lang::Lang;
use crate::msg::Msg;

/// One answer with its verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// Its line in the file.
    pub line: usize,
    /// The round it refers to.
    pub round: usize,
    /// The name as written.
    pub name: String,
    /// The quantity the name is, if known.
    pub quantity: Option<Named>,
    /// The value written.
    pub given: f64,
    /// The value as written in the file.
    pub written: String,
    /// The value the engine recorded.
    pub expected: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// The mistakes that give the value written (wrong answers), or `early_rounding`.
    pub mistakes: Vec<Mistake>,
    /// The explanation's equation for the quantity, numbers substituted.
    pub equation: Option<Vec<Expr>>,
    /// For an unknown name, the nearest known ones.
    pub nearest: Vec<String>,
}

impl Checked {
    /// An answer whose name is no quantity of the network.
    pub fn unknown(a: &Answer, nearest: Vec<String>) -> Checked {
        Checked {
            line: a.line,
            round: a.round,
            name: a.name.clone(),
            quantity: None,
            given: a.given,
            written: a.written.clone(),
            expected: None,
            verdict: Verdict::UnknownName,
            mistakes: Vec::new(),
            equation: None,
            nearest,
        }
    }

    /// The equation as one line of text: `w5⁺ = w5 − η × ∂E_total/∂w5 = … = 0.358916`.
    pub fn equation_text(&self, lang: Lang) -> Option<String> {
        let parts = self.equation.as_ref()?;
        let (lhs, steps) = chain(parts, &|e: &Expr| e.text(lang));
        Some(
            std::iter::once(lhs)
                .chain(steps)
                .collect::<Vec<_>>()
                .join(" = "),
        )
    }

    /// The message for this answer in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let name = self
            .quantity
            .as_ref()
            .map_or(self.name.clone(), |q| q.unicode.clone());
        let given = self.written.clone();
        let expected = self.expected.map(format_number).unwrap_or_default();
        let mut text = match self.verdict {
            Verdict::Right => Msg::new("check_right")
                .with("name", name)
                .with("given", given)
                .text(lang),
            Verdict::Rounding => Msg::new("check_rounding")
                .with("name", name)
                .with("given", given)
                .with("expected", expected)
                .text(lang),
            Verdict::Wrong => Msg::new("check_wrong")
                .with("name", name)
                .with("given", given)
                .with("expected", expected)
                .text(lang),
            Verdict::UnknownName if self.nearest.is_empty() => {
                Msg::new("check_unknown").with("name", name).text(lang)
            }
            Verdict::UnknownName => Msg::new("check_unknown_nearest")
                .with("name", name)
                .with("nearest", self.nearest.join(", "))
                .text(lang),
        };
        if self.verdict == Verdict::Wrong {
            if let Some(eq) = self.equation_text(lang) {
                text.push_str(&Msg::new("check_join").text(lang));
                text.push_str(&Msg::new("check_equation").with("equation", eq).text(lang));
            }
            if self.mistakes.is_empty() {
                text.push_str(&Msg::new("check_join").text(lang));
                text.push_str(&Msg::new("check_no_mistake").text(lang));
            }
        }
        for m in &self.mistakes {
            text.push_str(&Msg::new("check_join").text(lang));
            text.push_str(&Msg::new(m.message_id()).text(lang));
        }
        text
    }

    /// The answer as JSON: `line`, `name`, `given`, `expected`, `verdict`, `mistake`
    /// (the first mistake's id or null), `mistakes` (every one), `message`.
    pub fn json(&self, lang: Lang) -> Value {
        json!({
            "line": self.line,
            "round": self.round,
            "name": self.name,
            "given": self.given,
            "expected": self.expected,
            "verdict": self.verdict.id(),
            "mistake": self.mistakes.first().map(|m| m.id()),
            "mistakes": self.mistakes.iter().map(|m| m.id()).collect::<Vec<_>>(),
            "message": self.message(lang),
        })
    }
}

/// Every answer checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The answers in the file's order.
    pub answers: Vec<Checked>,
}

impl Report {
    /// How many answers got `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.answers.iter().filter(|a| a.verdict == verdict).count()
    }

    /// Whether every answer is right or off by rounding only.
    pub fn all_right(&self) -> bool {
        self.answers
            .iter()
            .all(|a| matches!(a.verdict, Verdict::Right | Verdict::Rounding))
    }

    /// The report as JSON:
    /// `{"answers": [...], "right", "rounding", "wrong", "unknown_name"}`.
    pub fn json(&self, lang: Lang) -> Value {
        json!({
            "answers": self.answers.iter().map(|a| a.json(lang)).collect::<Vec<_>>(),
            "right": self.count(Verdict::Right),
            "rounding": self.count(Verdict::Rounding),
            "wrong": self.count(Verdict::Wrong),
            "unknown_name": self.count(Verdict::UnknownName),
        })
    }

    /// The report as text: a line per answer, then the counts.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        for a in &self.answers {
            let line = Msg::new("check_line").with("line", a.line).text(lang);
            out.push_str(&format!("{line}{}\n", a.message(lang)));
        }
        let summary = Msg::new("check_summary")
            .with("right", self.count(Verdict::Right))
            .with("rounding", self.count(Verdict::Rounding))
            .with("wrong", self.count(Verdict::Wrong))
            .with("unknown", self.count(Verdict::UnknownName))
            .text(lang);
        out.push_str(&summary);
        out.push('\n');
        out
    }
}
