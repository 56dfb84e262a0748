//! The engine's formulas (each activation's and loss's, written beside its code through
//! [`Formula`]) spelled as this crate's printable [`Expr`] trees.

use super::{minus, sum, times};
use crate::expr::{Expr, Op};
use backprop::formula::Formula;

impl Formula for Expr {
    fn lit(text: &'static str) -> Self {
        Expr::Lit(text)
    }

    fn half() -> Self {
        Expr::Half
    }

    fn neg(a: Self) -> Self {
        Expr::Neg(Box::new(a))
    }

    fn exp(a: Self) -> Self {
        Expr::Exp(Box::new(a))
    }

    fn call(name: &'static str, arg: Self) -> Self {
        Expr::Call(name, Box::new(arg))
    }

    fn frac(a: Self, b: Self) -> Self {
        Expr::Frac(Box::new(a), Box::new(b))
    }

    fn plus(a: Self, b: Self) -> Self {
        Expr::join([a, b], Op::Plus)
    }

    fn minus(a: Self, b: Self) -> Self {
        minus(a, b)
    }

    fn times(a: Self, b: Self) -> Self {
        times([a, b])
    }

    fn comma(a: Self, b: Self) -> Self {
        Expr::join([a, b], Op::Comma)
    }

    fn paren(a: Self) -> Self {
        Expr::Paren(Box::new(a))
    }

    fn square(a: Self) -> Self {
        Expr::Square(Box::new(a))
    }

    /// Long sums of names are abbreviated, as every sum the explanation prints.
    fn sum(terms: Vec<Self>) -> Self {
        sum(terms)
    }
}
