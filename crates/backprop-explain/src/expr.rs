//! Formulas as small trees, rendered either as terminal text or as LaTeX. A formula
//! reads the same in every language, except for the words of a note beside it, which
//! are messages of the catalogues.

use std::cell::RefCell;

use crate::lang::Lang;
use crate::msg::Msg;
use crate::tex::{Tex, MARK};

/// A named quantity, spelled for a terminal and for LaTeX.
#[derive(Clone, Debug, PartialEq)]
pub struct Sym {
    /// Plain-text spelling, e.g. `out_h1` or `w⁽²⁾₁,₂`.
    pub text: String,
    /// LaTeX spelling, e.g. `out_{h1}` or `w^{(2)}_{1,2}`.
    pub latex: String,
}

impl Sym {
    /// A symbol from its two spellings.
    pub fn new(text: impl Into<String>, latex: impl Into<String>) -> Self {
        Sym {
            text: text.into(),
            latex: latex.into(),
        }
    }

    /// The symbol's value after an update: `w5⁺`.
    pub fn updated(&self) -> Sym {
        Sym::new(
            format!("{}⁺", self.text),
            format!("{{{}}}^{{+}}", self.latex),
        )
    }
}

/// An operator between two terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// +
    Plus,
    /// −
    Minus,
    /// ×
    Times,
    /// ,
    Comma,
    /// =, after which a term reads as the start of an expression.
    Equals,
}

/// A formula.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A named quantity.
    Sym(Sym),
    /// A number, printed to 9 decimals (or 9 significant digits when tiny).
    Num(f64),
    /// A literal such as `1` or `0.01`.
    Lit(&'static str),
    /// Words that read the same in every language, upright in LaTeX.
    Word(String),
    /// Words of the catalogues, upright in LaTeX.
    Msg(Msg),
    /// −a.
    Neg(Box<Expr>),
    /// Terms joined by operators; negative numbers after an operator get parentheses.
    Seq(Vec<Expr>),
    /// An operator inside a `Seq`.
    Op(Op),
    /// a / b.
    Frac(Box<Expr>, Box<Expr>),
    /// ∂a/∂b.
    Partial(Sym, Sym),
    /// (a).
    Paren(Box<Expr>),
    /// (a)².
    Square(Box<Expr>),
    /// e^(a).
    Exp(Box<Expr>),
    /// √(a).
    Sqrt(Box<Expr>),
    /// aⁿ for an exponent written as a whole number or a letter (`t`).
    Pow(Box<Expr>, String),
    /// A named function: tanh(a), max(a), ln(a).
    Call(&'static str, Box<Expr>),
    /// ½.
    Half,
    /// Σ over the subscript text.
    Sum(&'static str, Box<Expr>),
    /// A result with a condition in words beside it, which is not part of the chain:
    /// `1   (net = 0.3 > 0)`. The note carries its own brackets.
    Noted(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// A sequence `a op b op c …` of terms.
    pub fn join(terms: impl IntoIterator<Item = Expr>, op: Op) -> Expr {
        let mut seq = Vec::new();
        for (i, t) in terms.into_iter().enumerate() {
            if i > 0 {
                seq.push(Expr::Op(op));
            }
            seq.push(t);
        }
        if seq.len() == 1 {
            seq.pop().unwrap_or(Expr::Lit("0"))
        } else {
            Expr::Seq(seq)
        }
    }

    /// The formulas directly inside this one (not those inside a message's arguments),
    /// for walks over a formula that need not name every kind of term.
    pub fn parts(&self) -> Vec<&Expr> {
        match self {
            Expr::Seq(items) => items.iter().collect(),
            Expr::Neg(a)
            | Expr::Paren(a)
            | Expr::Square(a)
            | Expr::Exp(a)
            | Expr::Sqrt(a)
            | Expr::Pow(a, _)
            | Expr::Call(_, a)
            | Expr::Sum(_, a) => vec![a],
            Expr::Frac(a, b) | Expr::Noted(a, b) => vec![a, b],
            Expr::Sym(_)
            | Expr::Num(_)
            | Expr::Lit(_)
            | Expr::Word(_)
            | Expr::Msg(_)
            | Expr::Op(_)
            | Expr::Partial(..)
            | Expr::Half => Vec::new(),
        }
    }

    /// The value itself when a note stands beside it.
    pub fn without_note(&self) -> &Expr {
        match self {
            Expr::Noted(value, _) => value,
            other => other,
        }
    }

    /// Plain-text rendering, its words in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        self.render(Style::Text, true, &|m| m.text(lang))
    }

    /// LaTeX rendering, its words in `lang`.
    pub fn latex(&self, lang: Lang) -> String {
        self.render(Style::Latex, true, &|m| m.latex(lang))
    }

    /// LaTeX rendering with its words left as messages, for the page to put in a
    /// language; filled in, it is [`latex`](Expr::latex).
    pub fn tex(&self) -> Tex {
        let words = RefCell::new(Vec::new());
        let latex = self.render(Style::Latex, true, &|m| {
            words.borrow_mut().push(m.clone());
            MARK.to_string()
        });
        Tex::marked(&latex, words.into_inner())
    }

    /// Characters of the plain-text rendering without its words: how long a formula
    /// is, in every language alike.
    pub fn plain_len(&self) -> usize {
        self.render(Style::Text, true, &|_| String::new())
            .chars()
            .count()
    }

    /// Renders in `style`, with `words` rendering a message; `leading` tells whether
    /// nothing precedes this term, since a negative number anywhere else needs
    /// parentheses: `0.5 × (-0.2)`, `a + (-0.1) × b`.
    fn render(&self, style: Style, leading: bool, words: &dyn Fn(&Msg) -> String) -> String {
        let latex = style == Style::Latex;
        let inner = |e: &Expr| e.render(style, true, words);
        match self {
            Expr::Sym(s) if latex => s.latex.clone(),
            Expr::Sym(s) => s.text.clone(),
            Expr::Num(x) => {
                let n = if latex {
                    latex_number(*x)
                } else {
                    format_number(*x)
                };
                if leading || *x >= 0.0 {
                    n
                } else {
                    format!("({n})")
                }
            }
            Expr::Lit(s) => (*s).to_string(),
            Expr::Word(s) if latex => format!("\\text{{{s}}}"),
            Expr::Word(s) => s.clone(),
            Expr::Msg(m) => words(m),
            Expr::Neg(_) if !leading => style.paren(&inner(self)),
            Expr::Neg(a) => match **a {
                Expr::Seq(_) | Expr::Frac(..) | Expr::Neg(_) => {
                    format!("-{}", style.paren(&inner(a)))
                }
                _ => format!("-{}", a.render(style, false, words)),
            },
            Expr::Seq(items) => {
                let mut out = String::new();
                let mut starts = leading;
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Expr::Op(op) => {
                            out.push_str(style.op(*op));
                            starts = *op == Op::Equals;
                        }
                        _ if needs_brackets(items, i) => {
                            out.push_str(&style.paren(&inner(item)));
                            starts = false;
                        }
                        _ => {
                            out.push_str(&item.render(style, starts, words));
                            starts = false;
                        }
                    }
                }
                out
            }
            Expr::Op(op) => style.op(*op).to_string(),
            Expr::Frac(a, b) if latex => format!("\\frac{{{}}}{{{}}}", inner(a), inner(b)),
            Expr::Frac(a, b) => {
                let wrap = |e: &Expr| match e {
                    Expr::Seq(_) | Expr::Frac(..) | Expr::Neg(_) => format!("({})", inner(e)),
                    _ => e.render(style, false, words),
                };
                format!("{} / {}", wrap(a), wrap(b))
            }
            Expr::Partial(a, b) if latex => {
                format!("\\frac{{\\partial {}}}{{\\partial {}}}", a.latex, b.latex)
            }
            Expr::Partial(a, b) => format!("∂{}/∂{}", a.text, b.text),
            Expr::Paren(a) => style.paren(&inner(a)),
            Expr::Square(a) if latex => format!("\\left({}\\right)^2", inner(a)),
            Expr::Square(a) => format!("({})²", inner(a)),
            Expr::Exp(a) if latex => format!("e^{{{}}}", inner(a)),
            Expr::Exp(a) => format!("e^({})", inner(a)),
            Expr::Sqrt(a) if latex => format!("\\sqrt{{{}}}", inner(a)),
            Expr::Sqrt(a) => format!("√({})", inner(a)),
            Expr::Pow(a, n) => {
                let base = match **a {
                    Expr::Seq(_) | Expr::Frac(..) | Expr::Neg(_) => style.paren(&inner(a)),
                    _ => a.render(style, false, words),
                };
                if latex {
                    format!("{{{base}}}^{{{n}}}")
                } else {
                    format!("{base}{}", superscript(n))
                }
            }
            Expr::Call(f, a) if latex => {
                format!("\\operatorname{{{f}}}\\left({}\\right)", inner(a))
            }
            Expr::Call(f, a) => format!("{f}({})", inner(a)),
            Expr::Half if latex => "\\tfrac{1}{2}".into(),
            Expr::Half => "½".into(),
            Expr::Sum(sub, a) if latex => format!("\\sum_{{{sub}}} {}", inner(a)),
            Expr::Sum(sub, a) => format!("Σ_{sub} {}", inner(a)),
            Expr::Noted(value, note) if latex => {
                format!(
                    "{} \\qquad {}",
                    value.render(style, leading, words),
                    inner(note)
                )
            }
            Expr::Noted(value, note) => {
                // A full-width bracket brings its own space; a plain one stands apart.
                let note = inner(note);
                let gap = if note.starts_with('（') { "" } else { "   " };
                format!("{}{gap}{note}", value.render(style, leading, words))
            }
        }
    }
}

/// `n` in superscript letters: `12` → `¹²`, `t` → `ᵗ`.
fn superscript(n: &str) -> String {
    n.chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            't' => 'ᵗ',
            other => other,
        })
        .collect()
}

/// How tightly an operator binds: `,` loosest, then `+ −`, then `×`.
fn binding(op: Op) -> u8 {
    match op {
        Op::Equals => 0,
        Op::Comma => 1,
        Op::Plus | Op::Minus => 2,
        Op::Times => 3,
    }
}

/// Whether term `i` of a sequence needs brackets to keep its meaning: a sequence whose
/// loosest operator binds less tightly than an operator beside it (`1/3 × (o − t)`), or
/// a sum after a minus (`a − (b + c)`).
fn needs_brackets(items: &[Expr], i: usize) -> bool {
    let Expr::Seq(inner) = &items[i] else {
        return false;
    };
    let Some(loosest) = inner
        .iter()
        .filter_map(|e| match e {
            Expr::Op(op) => Some(binding(*op)),
            _ => None,
        })
        .min()
    else {
        return false;
    };
    let op_at = |j: Option<usize>| match j.and_then(|j| items.get(j)) {
        Some(Expr::Op(op)) => Some(*op),
        _ => None,
    };
    let before = op_at(i.checked_sub(1));
    let after = op_at(Some(i + 1));
    let tightest = [before, after]
        .into_iter()
        .flatten()
        .filter(|op| *op != Op::Equals)
        .map(binding)
        .max();
    tightest.is_some_and(|t| loosest < t) || (before == Some(Op::Minus) && loosest == 2)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Latex,
}

impl Style {
    fn op(self, op: Op) -> &'static str {
        match (op, self) {
            (Op::Plus, _) => " + ",
            (Op::Minus, _) => " - ",
            (Op::Times, Style::Text) => " × ",
            (Op::Times, Style::Latex) => " \\times ",
            (Op::Comma, _) => ", ",
            (Op::Equals, _) => " = ",
        }
    }

    fn paren(self, s: &str) -> String {
        match self {
            Style::Text => format!("({s})"),
            Style::Latex => format!("\\left({s}\\right)"),
        }
    }
}

/// A number as the explanation prints it: 9 decimals, as the tutorial's figures are
/// given, except that short values such as 0.15 or 0.3775 keep their short form; below
/// 10⁻⁴, 9 significant digits in scientific notation, so tiny gradients stay legible.
pub fn format_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 || x.abs() >= 1e-4 {
        let full = format!("{x:.9}");
        let trimmed = full.trim_end_matches('0');
        let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
        let decimals = trimmed.split_once('.').map_or(0, |(_, d)| d.len());
        match trimmed {
            "-0" => "0".into(),
            short if decimals <= 4 => short.into(),
            _ => full,
        }
    } else {
        format!("{x:.8e}")
    }
}

/// A loss as the tables print it: 12 significant digits.
pub fn format_loss(x: f64) -> String {
    if x != 0.0 && x.is_finite() && x.abs() < 1e-4 {
        format!("{x:.11e}")
    } else {
        let digits = if x == 0.0 || !x.is_finite() {
            0
        } else {
            (11 - x.abs().log10().floor() as i32).max(0) as usize
        };
        format!("{x:.digits$}")
    }
}

fn latex_number(x: f64) -> String {
    let s = format_number(x);
    match s.split_once('e') {
        Some((mantissa, exp)) => format!("{mantissa} \\times 10^{{{exp}}}"),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_nine_decimals_and_tiny_ones_go_scientific() {
        assert_eq!(format_number(0.377500000), "0.3775");
        assert_eq!(format_number(0.59326999210), "0.593269992");
        assert_eq!(format_number(0.7513650695), "0.751365070");
        assert_eq!(format_number(0.15), "0.15");
        assert_eq!(format_number(-0.0190491180), "-0.019049118");
        assert_eq!(format_number(0.000438568), "0.000438568");
        assert_eq!(format_number(3.51018778298e-5), "3.51018778e-5");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_loss(0.291027773694), "0.291027773694");
        assert_eq!(format_loss(3.51018778298e-05), "3.51018778298e-5");
    }

    #[test]
    fn negative_numbers_after_an_operator_get_parentheses() {
        let e = Expr::join([Expr::Num(0.5), Expr::Num(-0.25)], Op::Times);
        assert_eq!(e.text(Lang::En), "0.5 × (-0.25)");
        assert_eq!(e.latex(Lang::En), "0.5 \\times (-0.25)");
        let sum = Expr::join(
            [
                e.clone(),
                Expr::join([Expr::Num(-1.5), Expr::Num(2.0)], Op::Times),
            ],
            Op::Plus,
        );
        assert_eq!(sum.text(Lang::En), "0.5 × (-0.25) + (-1.5) × 2");
        assert_eq!(
            Expr::Neg(Box::new(Expr::Num(-0.3))).text(Lang::En),
            "-(-0.3)"
        );
    }

    #[test]
    fn a_sum_inside_a_product_keeps_its_brackets() {
        let difference = Expr::join([Expr::Num(0.75), Expr::Num(0.01)], Op::Minus);
        let third = Expr::Frac(Box::new(Expr::Lit("1")), Box::new(Expr::Num(3.0)));
        let e = Expr::join([third, difference.clone()], Op::Times);
        assert_eq!(e.text(Lang::En), "1 / 3 × (0.75 - 0.01)");
        assert_eq!(
            e.latex(Lang::En),
            "\\frac{1}{3} \\times \\left(0.75 - 0.01\\right)"
        );
        // a − (b − c), but a + b − c and a × b + c stay bare.
        let after_minus = Expr::join([Expr::Num(1.0), difference.clone()], Op::Minus);
        assert_eq!(after_minus.text(Lang::En), "1 - (0.75 - 0.01)");
        let after_plus = Expr::join([Expr::Num(1.0), difference], Op::Plus);
        assert_eq!(after_plus.text(Lang::En), "1 + 0.75 - 0.01");
        let negated = Expr::Neg(Box::new(Expr::Num(0.5)));
        let product = Expr::join([Expr::Num(2.0), negated], Op::Times);
        assert_eq!(product.text(Lang::En), "2 × (-0.5)");
    }
}
