//! Reads one step of a printed chain, in the terminal's notation, and evaluates it over
//! intervals when it is made of numbers only.
//!
//! Grammar, with the usual precedence (× and / bind tighter than + and −, unary minus
//! binds loosest of the prefix forms, ² is postfix):
//! `sum := product (('+' | '-') product)*`, `product := unary (('×' | '/') unary)*`,
//! `unary := '-' unary | postfix`, `postfix := primary power?` (a power is a run of
//! superscript digits, `²` or `¹²`),
//! `primary := number | '½' | '(' sum ')' | 'e^(' sum ')' | f '(' sum (',' sum)* ')'`.

use super::interval::Interval;

/// What a step is.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// It names quantities: a formula, not numbers.
    Symbolic,
    /// Numbers only, evaluated.
    Value(Interval),
}

/// Functions a numeric step may call.
const FUNCTIONS: [&str; 7] = ["tanh", "max", "min", "sign", "ln", "e^", "√"];

/// The superscript digits, 0 to 9.
const SUPERSCRIPTS: &str = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/// Characters a numeric step is made of, besides the functions' names.
fn numeric_char(c: char) -> bool {
    c.is_ascii_digit() || " .+-×/(),½".contains(c) || SUPERSCRIPTS.contains(c)
}

/// Classifies and evaluates a step; an error is a step of numbers that cannot be read.
pub fn step(s: &str) -> Result<Step, String> {
    let mut rest = s.to_string();
    for f in FUNCTIONS {
        rest = rest.replace(f, " ");
    }
    // Exponents of numbers in scientific notation: 3.5e-5.
    let bare: String = {
        let chars: Vec<char> = rest.chars().collect();
        let mut out = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let after_digit = i > 0 && chars[i - 1].is_ascii_digit();
            let before_exp = chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit() || *n == '-');
            if c == 'e' && after_digit && before_exp {
                out.push(' ');
            } else {
                out.push(c);
            }
        }
        out
    };
    let unknown: Vec<char> = bare.chars().filter(|&c| !numeric_char(c)).collect();
    if !unknown.is_empty() {
        if unknown
            .iter()
            .any(|c| c.is_alphabetic() || "∂Σ_⁽⁾⁺[]".contains(*c))
        {
            return Ok(Step::Symbolic);
        }
        return Err(format!("cannot read `{s}`: unexpected {unknown:?}"));
    }
    let tokens = tokenize(s)?;
    let mut p = Parser { tokens, at: 0 };
    let value = p.sum()?;
    if p.at != p.tokens.len() {
        return Err(format!("cannot read `{s}`: left over at token {}", p.at));
    }
    Ok(Step::Value(value))
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Num(Interval),
    Half,
    Op(char),
    Open,
    Close,
    Comma,
    Power(i32),
    Func(&'static str),
}

fn tokenize(s: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..].iter().collect();
        if let Some(f) = FUNCTIONS.iter().find(|f| rest.starts_with(**f)) {
            tokens.push(Token::Func(f));
            i += f.chars().count();
            continue;
        }
        match c {
            ' ' => {}
            '+' | '-' | '×' | '/' => tokens.push(Token::Op(c)),
            '(' => tokens.push(Token::Open),
            ')' => tokens.push(Token::Close),
            ',' => tokens.push(Token::Comma),
            p if SUPERSCRIPTS.contains(p) => {
                let mut n = 0;
                while let Some(d) = chars
                    .get(i)
                    .and_then(|c| SUPERSCRIPTS.chars().position(|x| x == *c))
                {
                    n = n * 10 + d as i32;
                    i += 1;
                }
                tokens.push(Token::Power(n));
                continue;
            }
            '½' => tokens.push(Token::Half),
            d if d.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i + 1 < chars.len()
                    && chars[i] == 'e'
                    && (chars[i + 1].is_ascii_digit() || chars[i + 1] == '-')
                {
                    i += 2;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                let value =
                    Interval::printed(&text).ok_or_else(|| format!("bad number `{text}`"))?;
                tokens.push(Token::Num(value));
                continue;
            }
            other => return Err(format!("unexpected `{other}` in `{s}`")),
        }
        i += 1;
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Result<Token, String> {
        let t = self.tokens.get(self.at).cloned().ok_or("unexpected end")?;
        self.at += 1;
        Ok(t)
    }

    fn expect(&mut self, want: Token) -> Result<(), String> {
        let got = self.next()?;
        if got == want {
            Ok(())
        } else {
            Err(format!("expected {want:?}, got {got:?}"))
        }
    }

    fn sum(&mut self) -> Result<Interval, String> {
        let mut acc = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.at += 1;
            let b = self.product()?;
            acc = if op == '+' { acc.add(b) } else { acc.sub(b) };
        }
        Ok(acc)
    }

    fn product(&mut self) -> Result<Interval, String> {
        let mut acc = self.unary()?;
        while let Some(Token::Op(op @ ('×' | '/'))) = self.peek().cloned() {
            self.at += 1;
            let b = self.unary()?;
            acc = if op == '×' { acc.mul(b) } else { acc.div(b) };
        }
        Ok(acc)
    }

    fn unary(&mut self) -> Result<Interval, String> {
        if self.peek() == Some(&Token::Op('-')) {
            self.at += 1;
            return Ok(self.unary()?.neg());
        }
        let base = self.primary()?;
        if let Some(&Token::Power(n)) = self.peek() {
            self.at += 1;
            return Ok(if n == 2 { base.square() } else { base.powi(n) });
        }
        Ok(base)
    }

    fn primary(&mut self) -> Result<Interval, String> {
        match self.next()? {
            Token::Num(v) => Ok(v),
            Token::Half => Ok(Interval::exact(0.5)),
            Token::Open => {
                let v = self.sum()?;
                self.expect(Token::Close)?;
                Ok(v)
            }
            Token::Func(f) => {
                self.expect(Token::Open)?;
                let a = self.sum()?;
                let v = match f {
                    "max" => {
                        self.expect(Token::Comma)?;
                        a.max(self.sum()?)
                    }
                    "min" => {
                        self.expect(Token::Comma)?;
                        a.min(self.sum()?)
                    }
                    "sign" => a.sign(),
                    "√" => a.sqrt(),
                    "tanh" => a.increasing(f64::tanh),
                    "ln" => a.ln(),
                    _ => a.increasing(f64::exp),
                };
                self.expect(Token::Close)?;
                Ok(v)
            }
            other => Err(format!("unexpected {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Interval {
        match step(s).unwrap() {
            Step::Value(v) => v,
            Step::Symbolic => panic!("{s} read as symbolic"),
        }
    }

    #[test]
    fn precedence_and_functions() {
        // Hand derivations.
        assert!(value("1 / 3 × 0.75 - 0.01").meets(Interval::exact(0.24)));
        assert!(!value("1 / 3 × 0.75 - 0.01").meets(Interval::exact(0.2466666667)));
        assert!(value("1 / 3 × (0.75 - 0.01)").meets(Interval::exact(0.2466666667)));
        assert!(value("½ × (0.01 - 0.751365070)²").meets(Interval::exact(0.274811083)));
        assert!(value("1 / (1 + e^(-1.105905967))").meets(Interval::exact(0.75136507)));
        assert!(value("max(0.01 × (-0.3), -0.3)").meets(Interval::exact(-0.003)));
        assert!(value("-(1 × ln(0.5))").meets(Interval::exact(std::f64::consts::LN_2)));
        assert!(value("3.51018778e-5 × 2").meets(Interval::exact(7.02037556e-5)));
        // One Adam step of the tutorial's w5 (t = 1): m̂ = g and √v̂ = |g|, so
        // w5⁺ = 0.4 − 0.5 × 1 (as the engine's Adam test derives by hand).
        let adam = "0.4 - 0.5 × 0.008216704 / (1 - 0.9¹) / (√(6.75142261e-6 / (1 - 0.999¹)) + 1.00000000e-8)";
        assert!(value(adam).meets(Interval::exact(-0.1)));
        assert!(value("min(0.01 × 1.2, 50) - sign(-0.3) × 0.5").meets(Interval::exact(0.512)));
        assert!(value("(1 - 0.9¹²)").meets(Interval::exact(1.0 - 0.9f64.powi(12))));
        assert_eq!(step("w5 × out_h1").unwrap(), Step::Symbolic);
        assert!(step("0.1 + … + 0.2").is_err());
    }
}
