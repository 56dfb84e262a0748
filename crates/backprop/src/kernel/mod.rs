//! The matrix products of the engine, and the threads that share them.
//!
//! Every product is `C ← A · B`, with `A` and `B` each read either as stored or
//! transposed through its strides (no transposed copies). Three paths, chosen by the
//! shape alone so that the same shapes always take the same path:
//!
//! - tiny products (the tutorial, Iris) run as plain loops, where the set-up of a
//!   blocked kernel would cost more than the arithmetic;
//! - larger ones call a blocked, SIMD kernel (see [`gemm`]: runtime CPU dispatch, no
//!   allocation once warm);
//! - the largest, when two threads are allowed, are cut into two to four parts of `C`'s
//!   columns (or rows), which the caller and a helper thread share. With one thread
//!   they are not cut: a cut costs each part its own packing of the shared operand
//!   (a quarter of the speed of a 2048³ product on one core);
//! - on AVX2, `f32` products with at least 256 rows and columns (a 2048³ product, the
//!   weight gradients of wide layers) take the engine's own kernel instead
//!   ([`avx2`]): it packs `B` once, both threads read it, and each computes half of
//!   `C`'s rows. Cutting the product as above makes each part repack what it shares.
//!
//! The cut depends on the shape and never on which thread computes a part, and every
//! element of `C` is one dot product computed whole by one thread, with the same
//! summation order in a part as in the whole product (the kernel blocks the depth at a
//! fixed 512, and its other blocking only chooses tiles; the AVX2 kernel at a fixed
//! 384), so one thread and two give bit-identical results.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod gemm;
mod parts;
mod pool;
mod simd;
mod tiny;
mod view;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::matrix::Matrix;

pub use gemm::Gemm;
use parts::{take, Cuts, ALIGN, MAX_PARTS};
pub use pool::helper_parts;
use pool::run_parts;
pub use simd::{set_simd, simd, simd_from_env, Simd};
use view::{View, ViewMut};

/// Products with at most this many multiply-adds run as plain loops.
const TINY: usize = 32 * 32 * 32;
/// Products with at least this many multiply-adds are cut in parts for two threads.
const SPLIT: usize = 1 << 18;
/// About this many multiply-adds per part (at least 2 parts, at most [`MAX_PARTS`]):
/// more parts balance better when the other core is busy, fewer keep the kernel's
/// packing cheap.
const PART: usize = 1 << 22;

/// 0 means "not chosen yet": the first product reads `BACKPROP_THREADS`.
static THREADS: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads the products may use: 1, or 2 (the default on a machine
/// with two or more cores). Results do not depend on it.
///
/// The `BACKPROP_THREADS` environment variable sets the starting value.
pub fn set_threads(threads: usize) {
    THREADS.store(threads.clamp(1, 2), Ordering::Relaxed);
}

/// How many threads the products use (1 or 2).
pub fn threads() -> usize {
    match THREADS.load(Ordering::Relaxed) {
        0 => {
            let from_env = std::env::var("BACKPROP_THREADS")
                .ok()
                .and_then(|s| s.trim().parse::<usize>().ok());
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let chosen = from_env.unwrap_or(cores).clamp(1, 2);
            THREADS.store(chosen, Ordering::Relaxed);
            chosen
        }
        n => n,
    }
}

/// Element-wise loops over at least this many values are dispatched to wide vectors.
const WIDE: usize = 256;

/// Element-wise work on at least this many values is shared by two threads.
const SHARE: usize = 1 << 16;

/// Where to cut `len` values of element-wise work in two: in the middle, at a multiple
/// of [`ALIGN`], when they are many; else at the end (all on one thread).
pub fn halfway(len: usize) -> usize {
    if len < SHARE {
        len
    } else {
        (len / 2).div_ceil(ALIGN) * ALIGN
    }
}

/// Runs `f` on `first` and on `second`: on two threads when `share` and allowed, else
/// one after the other here. Without `share` the work was not cut (`second` is empty,
/// as [`halfway`] leaves it), and `f` runs once, on `first`.
#[inline(always)]
pub fn both<A: Send>(share: bool, first: A, second: A, f: impl Fn(A) + Sync) {
    if !share {
        f(first);
        return;
    }
    let slots = [Mutex::new(Some(first)), Mutex::new(Some(second))];
    run_parts(2, &|i| {
        if let Some(part) = parts::take_any(&slots[i]) {
            f(part);
        }
    });
}

/// Runs `f`, an element-wise loop over `len` values, compiled for the widest vector
/// instructions the CPU has (see [`widest`]) when `len` is large enough to pay for the
/// dispatch.
#[inline(always)]
pub(crate) fn wide<R>(len: usize, f: impl FnOnce() -> R) -> R {
    if len >= WIDE {
        widest(f)
    } else {
        f()
    }
}

/// Runs `f` compiled for the vector instructions in use ([`simd`]: the widest the CPU
/// has, AVX-512 else AVX2 with FMA, unless another set is pinned), whatever its length: for loops whose elements cost dozens of
/// instructions each (e^x, tanh), the dispatch pays for itself within a few elements.
/// `f` must be marked `#[inline(always)]`, or it stays a separate function compiled for
/// the baseline x86-64, as the rest of the crate is. Without fast-math, wider vectors
/// change no result: the loop computes the same operations per element.
#[inline(always)]
pub(crate) fn widest<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        match simd() {
            // SAFETY: a set in use is one the CPU supports (`Simd::supported`).
            Simd::Avx512 => return unsafe { avx512(f) },
            // SAFETY: as above.
            Simd::Avx2 => return unsafe { avx2(f) },
            Simd::Scalar => {}
        }
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
unsafe fn avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// An operand: a matrix, read as stored or transposed.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    /// The matrix as stored.
    pub matrix: &'a Matrix<T>,
    /// Whether the product reads its transpose.
    pub transposed: bool,
}

impl<'a, T: crate::float::Float> Operand<'a, T> {
    /// (rows, cols) as the product reads it.
    fn shape(&self) -> (usize, usize) {
        let (r, c) = (self.matrix.rows(), self.matrix.cols());
        if self.transposed {
            (c, r)
        } else {
            (r, c)
        }
    }

    fn view(&self) -> View<'a, T> {
        View::of(self.matrix, self.transposed)
    }
}

/// `c ← a · b`.
///
/// # Panics
/// When the inner dimensions differ or `c` has the wrong shape.
#[inline]
pub(crate) fn product<T: crate::float::Float>(
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut Matrix<T>,
) {
    let ((m, k), (kb, n)) = (a.shape(), b.shape());
    assert_eq!(k, kb, "inner dimensions differ");
    assert!(c.rows() == m && c.cols() == n, "output shape");
    // Inlined up to here, so that a tiny product costs no call into the large path's
    // set-up.
    if m * k * n <= TINY || k == 0 {
        tiny::product(a, b, c);
    } else {
        blocked(a, b, c);
    }
}

/// `c ← a · b` by the blocked kernel, in parts for two threads when large; shapes were checked.
#[inline(never)]
fn blocked<T: crate::float::Float>(a: Operand<'_, T>, b: Operand<'_, T>, c: &mut Matrix<T>) {
    let ((m, k), (_, n)) = (a.shape(), b.shape());
    let work = m * k * n;
    let (a, b) = (a.view(), b.view());
    let c = ViewMut::of(c);
    if T::shares(m, n) {
        T::gemm_shared(c, a, b, work >= SPLIT && threads() > 1);
        return;
    }
    let parts = (work / PART).clamp(2, MAX_PARTS);
    if work < SPLIT || (n < 2 * ALIGN && m < 2 * ALIGN) || threads() == 1 {
        T::gemm(c, a, b);
    } else if n >= 2 * ALIGN {
        // Parts of C's columns: each reads all of A and its columns of B.
        let cuts = Cuts::new(n, parts);
        let slots = cuts.slots(c, |c, at| c.split_at_col(at));
        run_parts(cuts.len(), &|i| {
            if let Some(c) = take(&slots[i]) {
                let (start, len) = cuts.get(i);
                T::gemm(c, a, b.cols(start, len));
            }
        });
    } else {
        let cuts = Cuts::new(m, parts);
        let slots = cuts.slots(c, |c, at| c.split_at_row(at));
        run_parts(cuts.len(), &|i| {
            if let Some(c) = take(&slots[i]) {
                let (start, len) = cuts.get(i);
                T::gemm(c, a.rows(start, len), b);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A matrix of small integers times 1/8, so every product is exact in f32.
    fn exact(rows: usize, cols: usize, seed: usize) -> Matrix<f32> {
        let data = (0..rows * cols)
            .map(|i| ((i * 7 + seed * 13) % 17) as f32 / 8.0 - 1.0)
            .collect();
        Matrix::from_vec(rows, cols, data).unwrap()
    }

    fn naive(a: Operand<'_, f32>, b: Operand<'_, f32>) -> Vec<f32> {
        let ((m, k), (_, n)) = (a.shape(), b.shape());
        let at = |o: &Operand<'_, f32>, i: usize, j: usize| {
            if o.transposed {
                o.matrix.get(j, i)
            } else {
                o.matrix.get(i, j)
            }
        };
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| at(&a, i, p) * at(&b, p, j)).sum();
            }
        }
        c
    }

    #[test]
    fn every_path_and_transpose_matches_a_naive_triple_loop() {
        // Shapes that take the tiny path, the one-thread kernel, and both cuts.
        for &(m, k, n) in &[
            (2, 2, 2),
            (2, 0, 3),
            (3, 5, 4),
            (40, 30, 50),
            (128, 70, 96),
            (100, 64, 20),
        ] {
            for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
                let a = if ta { exact(k, m, 1) } else { exact(m, k, 1) };
                let b = if tb { exact(n, k, 2) } else { exact(k, n, 2) };
                let (a, b) = (
                    Operand {
                        matrix: &a,
                        transposed: ta,
                    },
                    Operand {
                        matrix: &b,
                        transposed: tb,
                    },
                );
                // Stale values in C must not survive, not even for k = 0.
                let mut c = Matrix::from_vec(m, n, vec![7.0; m * n]).unwrap();
                product(a, b, &mut c);
                assert_eq!(c.as_slice(), naive(a, b), "{m}×{k}×{n} {ta} {tb}");
            }
        }
    }

    #[test]
    fn one_thread_and_two_give_the_same_bits() {
        // Not exact in f32, so any change of summation order would show. One thread
        // computes the product whole, two in parts of columns or of rows; depths past
        // the kernel's block of 512, and every way of reading the operands.
        let data = |len: usize, s: f32| (0..len).map(|i| (i as f32 * s).sin()).collect();
        for (m, k, n) in [
            (96, 300, 200),
            (200, 1100, 333),
            (600, 700, 20),
            (260, 801, 300),
        ] {
            for (ta, tb) in [(false, true), (true, false), (false, false)] {
                let a = if ta {
                    Matrix::from_vec(k, m, data(m * k, 0.37)).unwrap()
                } else {
                    Matrix::from_vec(m, k, data(m * k, 0.37)).unwrap()
                };
                let b = if tb {
                    Matrix::from_vec(n, k, data(n * k, 0.11)).unwrap()
                } else {
                    Matrix::from_vec(k, n, data(n * k, 0.11)).unwrap()
                };
                let run = || {
                    let mut c = Matrix::zeros(m, n);
                    let a = Operand {
                        matrix: &a,
                        transposed: ta,
                    };
                    let b = Operand {
                        matrix: &b,
                        transposed: tb,
                    };
                    product(a, b, &mut c);
                    c
                };
                let before = threads();
                set_threads(1);
                let one = run();
                set_threads(2);
                let two = run();
                set_threads(before);
                assert_eq!(one, two, "{m}×{k}×{n} {ta} {tb}");
            }
        }
    }

    #[test]
    fn parts_are_aligned_and_cover_the_length() {
        let cuts = |len, parts| {
            let c = Cuts::new(len, parts);
            (0..c.len()).map(|i| c.get(i)).collect::<Vec<_>>()
        };
        assert_eq!(cuts(512, 2), [(0, 256), (256, 256)]);
        assert_eq!(cuts(784, 4), [(0, 208), (208, 208), (416, 208), (624, 160)]);
        assert_eq!(cuts(40, 4), [(0, 16), (16, 16), (32, 8)]);
    }
}
