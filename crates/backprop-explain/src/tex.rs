//! LaTeX whose words are still messages: a formula as the page receives it. It is put in
//! a language by writing each message as [`Msg::latex`] does, here as in the page's
//! scripts.

use serde::Serialize;

use crate::lang::Lang;
use crate::msg::Msg;

/// LaTeX with messages among it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Tex(pub Vec<TexPart>);

/// A part of a [`Tex`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TexPart {
    /// LaTeX.
    Latex(String),
    /// Words of a catalogue, upright.
    Words(Msg),
}

/// Where a message stands in LaTeX being written, before it is cut into parts: a
/// character no symbol or number is spelled with.
pub(crate) const MARK: char = '\u{FFFC}';

impl Tex {
    /// `latex` with the `words` in place of its marks, in order.
    pub(crate) fn marked(latex: &str, words: Vec<Msg>) -> Tex {
        let mut tex = Tex::default();
        let mut words = words.into_iter();
        for (i, latex) in latex.split(MARK).enumerate() {
            if i > 0 {
                if let Some(m) = words.next() {
                    tex.0.push(TexPart::Words(m));
                }
            }
            tex.push_str(latex);
        }
        tex
    }

    /// Appends LaTeX.
    pub fn push_str(&mut self, latex: &str) {
        if latex.is_empty() {
            return;
        }
        match self.0.last_mut() {
            Some(TexPart::Latex(last)) => last.push_str(latex),
            _ => self.0.push(TexPart::Latex(latex.to_string())),
        }
    }

    /// Appends `other`.
    pub fn append(&mut self, other: Tex) {
        for part in other.0 {
            match part {
                TexPart::Latex(latex) => self.push_str(&latex),
                words => self.0.push(words),
            }
        }
    }

    /// The LaTeX in `lang`.
    pub fn fill(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|part| match part {
                TexPart::Latex(latex) => latex.clone(),
                TexPart::Words(m) => m.latex(lang),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Expr, Op, Sym};
    use serde_json::json;

    /// ∂out/∂net of a ReLU at its kink: the value, and beside it a note of two messages.
    fn at_the_kink() -> Expr {
        let condition = Expr::Seq(vec![
            Expr::Sym(Sym::new("net", "net")),
            Expr::Op(Op::Equals),
            Expr::Num(0.0),
            Expr::Msg(Msg::new("kink").with("value", "0")),
        ]);
        let note = Msg::new("condition").with("condition", condition);
        Expr::Noted(Box::new(Expr::Num(0.0)), Box::new(Expr::Msg(note)))
    }

    #[test]
    fn words_left_open_fill_in_as_the_formula_renders() {
        let e = at_the_kink();
        for &lang in Lang::ALL {
            assert_eq!(e.tex().fill(lang), e.latex(lang));
        }
        assert_eq!(
            e.latex(Lang::En),
            "0 \\qquad \\text{(}net = 0\\text{: no derivative at the kink; the engine takes 0}\\text{)}"
        );
        assert_eq!(e.text(Lang::Zh), "0（此处 net = 0：此处不可导，引擎取 0）");
        // As the page receives it: LaTeX, and messages with their arguments.
        assert_eq!(
            serde_json::to_value(e.tex()).ok(),
            Some(json!([
                "0 \\qquad ",
                {"id": "condition", "args": {"condition": {"math": [
                    "net = 0",
                    {"id": "kink", "args": {"value": "0"}}
                ]}}}
            ]))
        );
    }
}
