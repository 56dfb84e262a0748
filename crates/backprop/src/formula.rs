//! Formulas as the engine knows them, for whoever prints them. Each activation and
//! each loss writes its formula and its derivative's beside the code that computes
//! them, through [`Formula`]; the explainer implements it for its printable trees, so
//! the engine states the math without depending on how it is printed.

/// The operations a formula is built of. Each builds one node: `times(a, b)` is `a × b`
/// with no brackets added; [`paren`](Formula::paren) adds them where the math needs
/// them.
pub trait Formula: Sized + Clone {
    /// A literal such as `1`, `2` or `0.01`.
    fn lit(text: &'static str) -> Self;
    /// ½.
    fn half() -> Self;
    /// −a.
    fn neg(a: Self) -> Self;
    /// e^a.
    fn exp(a: Self) -> Self;
    /// A named function of its argument: `tanh(a)`, `ln(a)`, `max(a, b)`.
    fn call(name: &'static str, arg: Self) -> Self;
    /// a / b.
    fn frac(a: Self, b: Self) -> Self;
    /// a + b.
    fn plus(a: Self, b: Self) -> Self;
    /// a − b.
    fn minus(a: Self, b: Self) -> Self;
    /// a × b.
    fn times(a: Self, b: Self) -> Self;
    /// a, b: the arguments of a call.
    fn comma(a: Self, b: Self) -> Self;
    /// (a).
    fn paren(a: Self) -> Self;
    /// (a)².
    fn square(a: Self) -> Self;
    /// The sum of `terms`.
    fn sum(terms: Vec<Self>) -> Self;
}

#[cfg(test)]
mod tests {
    //! Every printed formula, evaluated, gives what the engine computes: the formulas
    //! are implemented for `f64` here, so `formula(x)` is a number.

    use super::Formula;
    use crate::activation::{Activation, DerivativeFrom};
    use crate::loss::Loss;
    use crate::matrix::Matrix;

    impl Formula for f64 {
        fn lit(text: &'static str) -> Self {
            text.parse().expect("a numeric literal")
        }
        fn half() -> Self {
            0.5
        }
        fn neg(a: Self) -> Self {
            -a
        }
        fn exp(a: Self) -> Self {
            a.exp()
        }
        fn call(name: &'static str, arg: Self) -> Self {
            match name {
                "tanh" => arg.tanh(),
                "ln" => arg.ln(),
                // `max(a, b)` arrives as its arguments packed by `comma`.
                "max" => arg,
                other => panic!("unknown function {other}"),
            }
        }
        fn frac(a: Self, b: Self) -> Self {
            a / b
        }
        fn plus(a: Self, b: Self) -> Self {
            a + b
        }
        fn minus(a: Self, b: Self) -> Self {
            a - b
        }
        fn times(a: Self, b: Self) -> Self {
            a * b
        }
        /// Only `max` takes two arguments.
        fn comma(a: Self, b: Self) -> Self {
            a.max(b)
        }
        fn paren(a: Self) -> Self {
            a
        }
        fn square(a: Self) -> Self {
            a * a
        }
        fn sum(terms: Vec<Self>) -> Self {
            terms.into_iter().sum()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * (1.0 + b.abs())
    }

    #[test]
    fn activation_formulas_evaluate_to_the_engine_values() {
        let nets = [-2.5, -0.3, 0.0, 0.3775, 1.7];
        for a in Activation::ALL {
            let net = Matrix::from_vec(1, nets.len(), nets.to_vec()).unwrap();
            let mut out = Matrix::zeros(1, nets.len());
            a.forward(&net, &mut out);
            let mut d_act = Matrix::zeros(1, nets.len());
            let elementwise = a.derivative(&net, &out, &mut d_act);
            for (j, &x) in nets.iter().enumerate() {
                let printed = a.formula(x, || nets.to_vec());
                assert!(close(printed, out.get(0, j)), "{a:?} at {x}");
                if a.derivative_from() == Some(DerivativeFrom::Out) {
                    let d = a
                        .derivative_formula(out.get(0, j))
                        .expect("a formula in out");
                    assert!(close(d, d_act.get(0, j)), "{a:?}′ at {x}");
                } else {
                    assert!(a.derivative_formula(out.get(0, j)).is_none(), "{a:?}");
                }
            }
            assert_eq!(elementwise, a.derivative_from().is_some());
        }
    }

    #[test]
    fn loss_formulas_evaluate_to_the_engine_values() {
        // One sample, one output: no averaging, so each term is E and each derivative
        // is ∂E/∂out.
        for loss in Loss::ALL {
            for (o, t) in [(0.75, 0.01), (0.2, 1.0), (0.5, 0.0)] {
                let (out, target) = (
                    Matrix::from_vec(1, 1, vec![o]).unwrap(),
                    Matrix::from_vec(1, 1, vec![t]).unwrap(),
                );
                let mut terms = Matrix::zeros(1, 1);
                let e = loss.value(&out, &target, &mut terms);
                assert!(close(loss.formula(o, t), e), "{loss:?} at {o}, {t}");
                let mut d_out = Matrix::zeros(1, 1);
                loss.gradient(&out, &target, &mut d_out);
                let d = loss.derivative_formula(o, t);
                assert!(close(d, d_out.get(0, 0)), "{loss:?}′ at {o}, {t}");
            }
        }
    }
}
