//! A dense row-major matrix and the three products backpropagation needs (computed in
//! [`kernel`](crate::kernel)).
//!
//! A batch is a matrix with one sample per row. Weights are stored as PyTorch stores
//! them: one row per neuron of the layer, one column per neuron of the layer below.

use std::ops::Range;

use crate::float::Float;
use crate::kernel::{product, Operand};

/// A dense, row-major matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix<T> {
    rows: usize,
    cols: usize,
    data: Vec<T>,
}

impl<T: Float> Matrix<T> {
    /// A `rows × cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Self {
            rows,
            cols,
            data: vec![T::zero(); rows * cols],
        }
    }

    /// Wraps row-major `data`; `None` when its length is not `rows × cols`.
    pub fn from_vec(rows: usize, cols: usize, data: Vec<T>) -> Option<Self> {
        (data.len() == rows * cols).then_some(Self { rows, cols, data })
    }

    /// Builds a matrix from equally long rows; `None` when they are ragged.
    pub fn from_rows(rows: &[Vec<T>]) -> Option<Self> {
        let cols = rows.first().map_or(0, Vec::len);
        if rows.iter().any(|r| r.len() != cols) {
            return None;
        }
        let data = rows.iter().flatten().copied().collect();
        Some(Self {
            rows: rows.len(),
            cols,
            data,
        })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The element at row `i`, column `j`.
    ///
    /// # Panics
    /// When the index is out of bounds.
    pub fn get(&self, i: usize, j: usize) -> T {
        assert!(i < self.rows && j < self.cols, "index out of bounds");
        self.data[i * self.cols + j]
    }

    /// Sets the element at row `i`, column `j`.
    ///
    /// # Panics
    /// When the index is out of bounds.
    pub fn set(&mut self, i: usize, j: usize, value: T) {
        assert!(i < self.rows && j < self.cols, "index out of bounds");
        self.data[i * self.cols + j] = value;
    }

    /// Row `i` as a slice.
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i` as a mutable slice.
    pub fn row_mut(&mut self, i: usize) -> &mut [T] {
        &mut self.data[i * self.cols..(i + 1) * self.cols]
    }

    /// All elements, row after row.
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// All elements, row after row, mutable.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.data
    }

    /// The rows as vectors widened to `f64` (for traces and files).
    pub fn to_rows_f64(&self) -> Vec<Vec<f64>> {
        (0..self.rows)
            .map(|i| self.row(i).iter().map(|x| x.widen()).collect())
            .collect()
    }

    /// Changes the number of rows, keeping the allocation when it is large enough.
    /// New elements are zero; the contents are otherwise unspecified.
    pub fn set_rows(&mut self, rows: usize) {
        self.rows = rows;
        self.data.resize(rows * self.cols, T::zero());
    }

    /// Makes `self` an element-wise copy of `other` (same shape), without allocating
    /// when the capacity suffices.
    pub fn copy_from(&mut self, other: &Matrix<T>) {
        self.rows = other.rows;
        self.cols = other.cols;
        self.data.clear();
        self.data.extend_from_slice(&other.data);
    }

    /// The centres of a `size × size` grid of equal cells over `x × y`, one 2-D point
    /// per row: row `j·size + i` is the cell in column `i` (from `x.start`) and row `j`
    /// (from `y.start`). Decision regions are drawn by classifying these points.
    pub fn grid_centres(x: Range<f64>, y: Range<f64>, size: usize) -> Self {
        let centre =
            |r: &Range<f64>, k: usize| r.start + (k as f64 + 0.5) * (r.end - r.start) / size as f64;
        let mut m = Matrix::zeros(size * size, 2);
        for (k, cell) in m.data.chunks_exact_mut(2).enumerate() {
            cell[0] = T::of(centre(&x, k % size));
            cell[1] = T::of(centre(&y, k / size));
        }
        m
    }
}

/// The index and value of the largest entry of `row`, the first of equal ones: a
/// classifier's answer and its score. NaN never wins; an empty row or one of NaNs
/// gives `(0, -∞)`.
pub fn argmax<T: Float>(row: &[T]) -> (usize, T) {
    row.iter()
        .copied()
        .enumerate()
        .fold((0, T::neg_infinity()), |best, (i, v)| {
            if v > best.1 {
                (i, v)
            } else {
                best
            }
        })
}

/// `C ← A · Bᵀ` where `A` is `m×k` and `B` is `n×k` (the forward pass: net = X·Wᵀ).
///
/// # Panics
/// When the shapes do not fit.
#[inline]
pub fn matmul_a_bt<T: Float>(a: &Matrix<T>, b: &Matrix<T>, c: &mut Matrix<T>) {
    product(as_stored(a), transposed(b), c);
}

/// `C ← Aᵀ · B` where `A` is `k×m` and `B` is `k×n` (the weight gradient: δᵀ·X).
///
/// # Panics
/// When the shapes do not fit.
#[inline]
pub fn matmul_at_b<T: Float>(a: &Matrix<T>, b: &Matrix<T>, c: &mut Matrix<T>) {
    product(transposed(a), as_stored(b), c);
}

/// `C ← A · B` where `A` is `m×k` and `B` is `k×n` (the error sent down: δ·W).
///
/// # Panics
/// When the shapes do not fit.
#[inline]
pub fn matmul<T: Float>(a: &Matrix<T>, b: &Matrix<T>, c: &mut Matrix<T>) {
    product(as_stored(a), as_stored(b), c);
}

#[inline(always)]
fn as_stored<T>(matrix: &Matrix<T>) -> Operand<'_, T> {
    Operand {
        matrix,
        transposed: false,
    }
}

#[inline(always)]
fn transposed<T>(matrix: &Matrix<T>) -> Operand<'_, T> {
    Operand {
        matrix,
        transposed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let n = b[0].len();
        a.iter()
            .map(|row| {
                (0..n)
                    .map(|j| row.iter().zip(b).map(|(x, br)| x * br[j]).sum())
                    .collect()
            })
            .collect()
    }

    fn transpose(a: &[Vec<f64>]) -> Vec<Vec<f64>> {
        (0..a[0].len())
            .map(|j| a.iter().map(|r| r[j]).collect())
            .collect()
    }

    #[test]
    fn the_three_products_match_a_naive_triple_loop() {
        let a = vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]; // 2×3
        let b = vec![vec![0.5, -1.0, 2.0], vec![1.5, 0.0, -2.0]]; // 2×3
        let ma = Matrix::from_rows(&a).unwrap();
        let mb = Matrix::from_rows(&b).unwrap();

        let mut c = Matrix::zeros(2, 2);
        matmul_a_bt(&ma, &mb, &mut c);
        assert_eq!(c.to_rows_f64(), naive(&a, &transpose(&b)));

        let mut c = Matrix::zeros(3, 3);
        matmul_at_b(&ma, &mb, &mut c);
        assert_eq!(c.to_rows_f64(), naive(&transpose(&a), &b));

        let mut c = Matrix::zeros(2, 2);
        matmul(&ma, &Matrix::from_rows(&transpose(&b)).unwrap(), &mut c);
        assert_eq!(c.to_rows_f64(), naive(&a, &transpose(&b)));
    }

    #[test]
    fn argmax_takes_the_first_largest_and_skips_nan() {
        assert_eq!(argmax(&[0.1, 0.7, 0.2]), (1, 0.7));
        assert_eq!(argmax(&[0.5, 0.5]), (0, 0.5));
        assert_eq!(argmax(&[f64::NAN, 0.2]), (1, 0.2));
        assert_eq!(argmax::<f64>(&[]), (0, f64::NEG_INFINITY));
    }

    #[test]
    fn grid_centres_run_along_x_then_up_y() {
        // Hand derivation: cells of 0.5 × 1 over [0, 1] × [2, 4], centres at x = 0.25,
        // 0.75 and y = 2.5, 3.5.
        let g = Matrix::<f64>::grid_centres(0.0..1.0, 2.0..4.0, 2);
        assert_eq!(
            g.to_rows_f64(),
            [[0.25, 2.5], [0.75, 2.5], [0.25, 3.5], [0.75, 3.5]].map(|r| r.to_vec())
        );
    }

    #[test]
    fn ragged_rows_are_refused() {
        assert!(Matrix::<f64>::from_rows(&[vec![1.0], vec![1.0, 2.0]]).is_none());
    }
}
