//! Formulas as small trees, rendered either as terminal text or as LaTeX.

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
    /// Words, upright in LaTeX.
    Word(String),
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
    /// A named function: tanh(a), max(a), ln(a).
    Call(&'static str, Box<Expr>),
    /// ½.
    Half,
    /// Σ over the subscript text.
    Sum(&'static str, Box<Expr>),
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

    /// Plain-text rendering.
    pub fn text(&self) -> String {
        match self {
            Expr::Sym(s) => s.text.clone(),
            Expr::Num(x) => format_number(*x),
            Expr::Lit(s) => (*s).to_string(),
            Expr::Word(s) => s.clone(),
            Expr::Neg(a) => format!("-{}", wrap_text(a)),
            Expr::Seq(items) => seq(items, Expr::text, |op| match op {
                Op::Plus => " + ",
                Op::Minus => " - ",
                Op::Times => " × ",
                Op::Comma => ", ",
            }),
            Expr::Op(_) => String::new(),
            Expr::Frac(a, b) => format!("{} / {}", wrap_text(a), wrap_text(b)),
            Expr::Partial(a, b) => format!("∂{}/∂{}", a.text, b.text),
            Expr::Paren(a) => format!("({})", a.text()),
            Expr::Square(a) => format!("({})²", a.text()),
            Expr::Exp(a) => format!("e^({})", a.text()),
            Expr::Call(f, a) => format!("{f}({})", a.text()),
            Expr::Half => "½".into(),
            Expr::Sum(sub, a) => format!("Σ_{sub} {}", a.text()),
        }
    }

    /// LaTeX rendering.
    pub fn latex(&self) -> String {
        match self {
            Expr::Sym(s) => s.latex.clone(),
            Expr::Num(x) => latex_number(*x),
            Expr::Lit(s) => (*s).to_string(),
            Expr::Word(s) => format!("\\text{{{s}}}"),
            Expr::Neg(a) => match **a {
                Expr::Seq(_) => format!("-\\left({}\\right)", a.latex()),
                Expr::Num(x) if x < 0.0 => format!("-\\left({}\\right)", a.latex()),
                _ => format!("-{}", a.latex()),
            },
            Expr::Seq(items) => seq(items, Expr::latex, |op| match op {
                Op::Plus => " + ",
                Op::Minus => " - ",
                Op::Times => " \\times ",
                Op::Comma => ", ",
            }),
            Expr::Op(_) => String::new(),
            Expr::Frac(a, b) => format!("\\frac{{{}}}{{{}}}", a.latex(), b.latex()),
            Expr::Partial(a, b) => {
                format!("\\frac{{\\partial {}}}{{\\partial {}}}", a.latex, b.latex)
            }
            Expr::Paren(a) => format!("\\left({}\\right)", a.latex()),
            Expr::Square(a) => format!("\\left({}\\right)^2", a.latex()),
            Expr::Exp(a) => format!("e^{{{}}}", a.latex()),
            Expr::Call(f, a) => format!("\\operatorname{{{f}}}\\left({}\\right)", a.latex()),
            Expr::Half => "\\tfrac{1}{2}".into(),
            Expr::Sum(sub, a) => format!("\\sum_{{{sub}}} {}", a.latex()),
        }
    }
}

fn seq(items: &[Expr], render: fn(&Expr) -> String, op: fn(Op) -> &'static str) -> String {
    let mut s = String::new();
    let mut after_op = false;
    for item in items {
        match item {
            Expr::Op(o) => {
                s.push_str(op(*o));
                after_op = true;
            }
            Expr::Num(x) if after_op && *x < 0.0 => {
                s.push('(');
                s.push_str(&render(item));
                s.push(')');
            }
            _ => s.push_str(&render(item)),
        }
    }
    s
}

fn wrap_text(e: &Expr) -> String {
    match e {
        Expr::Seq(_) | Expr::Frac(..) | Expr::Neg(_) => format!("({})", e.text()),
        Expr::Num(x) if *x < 0.0 => format!("({})", e.text()),
        _ => e.text(),
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
        assert_eq!(e.text(), "0.5 × (-0.25)");
        assert_eq!(e.latex(), "0.5 \\times (-0.25)");
    }
}
