//! The matrix products under every instruction set this CPU supports and with one
//! thread or two: exact where the arithmetic is exact, and the same bits with one
//! thread as with two where it is not. Shapes cross every edge of the kernels' blocking
//! (register tiles of 6 × 16 on AVX2, depth blocks of 384 and 512, row blocks of 120,
//! and the size from which large products on AVX2 take the engine's own kernel).
//! Its own test binary, as the instruction set and the threads are global to the
//! process; one test, so nothing runs while they change.

use backprop::matrix::{matmul, matmul_a_bt, matmul_at_b};
use backprop::{set_simd, set_threads, Matrix, Simd};

/// Which of the three public products: `a·b`, `a·bᵀ` or `aᵀ·b`.
#[derive(Clone, Copy, Debug)]
enum Form {
    Plain,
    BTransposed,
    ATransposed,
}

/// `c = a·b` in the form's reading, by the definition, in f64.
fn naive(
    form: Form,
    a: &Matrix<f32>,
    b: &Matrix<f32>,
    (m, k, n): (usize, usize, usize),
) -> Vec<f64> {
    let at = |x: &Matrix<f32>, i: usize, j: usize, t: bool| {
        f64::from(if t { x.get(j, i) } else { x.get(i, j) })
    };
    let (ta, tb) = match form {
        Form::Plain => (false, false),
        Form::BTransposed => (false, true),
        Form::ATransposed => (true, false),
    };
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            c[i * n + j] = (0..k).map(|p| at(a, i, p, ta) * at(b, p, j, tb)).sum();
        }
    }
    c
}

/// The operands of an `m × k · k × n` product in the form's storage, from `fill`.
fn operands(
    form: Form,
    (m, k, n): (usize, usize, usize),
    fill: impl Fn(usize, usize) -> f32,
) -> (Matrix<f32>, Matrix<f32>) {
    let make = |rows: usize, cols: usize, seed: usize| {
        let data = (0..rows * cols).map(|i| fill(i, seed)).collect();
        Matrix::from_vec(rows, cols, data).unwrap()
    };
    match form {
        Form::Plain => (make(m, k, 1), make(k, n, 2)),
        Form::BTransposed => (make(m, k, 1), make(n, k, 2)),
        Form::ATransposed => (make(k, m, 1), make(k, n, 2)),
    }
}

fn run(form: Form, a: &Matrix<f32>, b: &Matrix<f32>, (m, n): (usize, usize)) -> Matrix<f32> {
    // Stale values in C must not survive.
    let mut c = Matrix::from_vec(m, n, vec![7.0; m * n]).unwrap();
    match form {
        Form::Plain => matmul(a, b, &mut c),
        Form::BTransposed => matmul_a_bt(a, b, &mut c),
        Form::ATransposed => matmul_at_b(a, b, &mut c),
    }
    c
}

const FORMS: [Form; 3] = [Form::Plain, Form::BTransposed, Form::ATransposed];

/// Shapes past every edge: one tile, tiles with ragged rows and columns, depths across
/// one and two blocks, many row blocks, few rows with many columns and the reverse.
const SHAPES: [(usize, usize, usize); 10] = [
    (6, 64, 16),
    (37, 41, 53),
    (13, 300, 29),
    (130, 257, 70),
    (250, 520, 40),
    (4, 700, 300),
    (300, 100, 5),
    (128, 784, 129),
    (300, 400, 260),
    (390, 67, 270),
];

#[test]
fn every_set_and_thread_count_multiplies_exactly_and_alike() {
    for simd in Simd::ALL.into_iter().filter(|s| s.supported()) {
        set_simd(Some(simd)).unwrap();
        for &(m, k, n) in &SHAPES {
            for form in FORMS {
                // Multiples of 1/8 in [−1, 1]: every partial sum is exact in f32, so
                // any order of summation gives the definition's value.
                let exact = |i: usize, seed: usize| ((i * 7 + seed * 13) % 17) as f32 / 8.0 - 1.0;
                let (a, b) = operands(form, (m, k, n), exact);
                let want = naive(form, &a, &b, (m, k, n));
                for threads in [1, 2] {
                    set_threads(threads);
                    let c = run(form, &a, &b, (m, n));
                    for (i, (&got, &want)) in c.as_slice().iter().zip(&want).enumerate() {
                        assert_eq!(
                            f64::from(got),
                            want,
                            "{simd:?}, {threads} threads, {form:?} {m}×{k}×{n}, element {i}"
                        );
                    }
                }
                // Values that round: one thread and two must still agree to the bit.
                let inexact = |i: usize, seed: usize| (i as f32 * 0.37 + seed as f32).sin();
                let (a, b) = operands(form, (m, k, n), inexact);
                set_threads(1);
                let one = run(form, &a, &b, (m, n));
                set_threads(2);
                let two = run(form, &a, &b, (m, n));
                assert_eq!(
                    one, two,
                    "{simd:?}, {form:?} {m}×{k}×{n}: threads changed bits"
                );
                // And agree with the definition to rounding.
                let want = naive(form, &a, &b, (m, k, n));
                for (&got, &want) in one.as_slice().iter().zip(&want) {
                    let bound = 1e-5 * (k as f64).sqrt() * want.abs().max(1.0) * 4.0;
                    assert!(
                        (f64::from(got) - want).abs() <= bound,
                        "{simd:?}, {form:?} {m}×{k}×{n}: {got} vs {want}"
                    );
                }
            }
        }
    }
    set_simd(None).unwrap();
}
