//! Strided views of a matrix for the blocked kernel: a part of `C` that one thread
//! writes, and the parts of `A` and `B` it reads. Element `(i, j)` sits at
//! `i·row_stride + j·col_stride` from the start, so a transpose is a swap of strides
//! and a part is an offset; nothing is copied.

use std::marker::PhantomData;

use crate::float::Float;
use crate::matrix::Matrix;

/// A read-only view: `rows × cols` elements of a borrowed slice.
#[derive(Clone, Copy)]
pub(super) struct View<'a, T> {
    pub ptr: *const T,
    pub rows: usize,
    pub cols: usize,
    pub row_stride: isize,
    pub col_stride: isize,
    _data: PhantomData<&'a [T]>,
}

/// A view that may be written: no two `ViewMut`s (or a `ViewMut` and a [`View`]) of
/// the same elements exist at once, as splitting guarantees.
pub(super) struct ViewMut<'a, T> {
    pub ptr: *mut T,
    pub rows: usize,
    pub cols: usize,
    pub row_stride: isize,
    pub col_stride: isize,
    _data: PhantomData<&'a mut [T]>,
}

// SAFETY: a view is a borrowed slice with a shape: shared like `&[T]` (read-only) and
// sent like `&mut [T]` (the only handle to its elements).
unsafe impl<T: Sync> Send for View<'_, T> {}
unsafe impl<T: Sync> Sync for View<'_, T> {}
unsafe impl<T: Send> Send for ViewMut<'_, T> {}

impl<'a, T: Float> View<'a, T> {
    /// The whole of `m`, as stored or transposed.
    pub fn of(m: &'a Matrix<T>, transposed: bool) -> View<'a, T> {
        let (rows, cols, rs) = (m.rows(), m.cols(), m.cols() as isize);
        let v = View {
            ptr: m.as_slice().as_ptr(),
            rows,
            cols,
            row_stride: rs,
            col_stride: 1,
            _data: PhantomData,
        };
        if transposed {
            View {
                rows: cols,
                cols: rows,
                row_stride: 1,
                col_stride: rs,
                ..v
            }
        } else {
            v
        }
    }

    /// Columns `start .. start + len`.
    pub fn cols(self, start: usize, len: usize) -> View<'a, T> {
        assert!(start + len <= self.cols, "columns out of range");
        View {
            // SAFETY: within the view (asserted), so within the borrowed slice.
            ptr: unsafe { self.ptr.offset(start as isize * self.col_stride) },
            cols: len,
            ..self
        }
    }

    /// Rows `start .. start + len`.
    pub fn rows(self, start: usize, len: usize) -> View<'a, T> {
        assert!(start + len <= self.rows, "rows out of range");
        View {
            // SAFETY: within the view (asserted), so within the borrowed slice.
            ptr: unsafe { self.ptr.offset(start as isize * self.row_stride) },
            rows: len,
            ..self
        }
    }
}

impl<'a, T: Float> ViewMut<'a, T> {
    /// The whole of `m`, row-major.
    pub fn of(m: &'a mut Matrix<T>) -> ViewMut<'a, T> {
        let (rows, cols) = (m.rows(), m.cols());
        ViewMut {
            ptr: m.as_mut_slice().as_mut_ptr(),
            rows,
            cols,
            row_stride: cols as isize,
            col_stride: 1,
            _data: PhantomData,
        }
    }

    /// The first `at` columns and the rest, as two views that do not overlap.
    pub fn split_at_col(self, at: usize) -> (ViewMut<'a, T>, ViewMut<'a, T>) {
        assert!(at <= self.cols, "split past the last column");
        let step = at as isize * self.col_stride;
        let right = self.cols - at;
        let first = ViewMut { cols: at, ..self };
        // SAFETY: within the view (asserted); the two parts share no element.
        let ptr = unsafe { self.ptr.offset(step) };
        (
            first,
            ViewMut {
                ptr,
                cols: right,
                ..self
            },
        )
    }

    /// The first `at` rows and the rest, as two views that do not overlap.
    pub fn split_at_row(self, at: usize) -> (ViewMut<'a, T>, ViewMut<'a, T>) {
        assert!(at <= self.rows, "split past the last row");
        let step = at as isize * self.row_stride;
        let below = self.rows - at;
        let first = ViewMut { rows: at, ..self };
        // SAFETY: within the view (asserted); the two parts share no element.
        let ptr = unsafe { self.ptr.offset(step) };
        (
            first,
            ViewMut {
                ptr,
                rows: below,
                ..self
            },
        )
    }
}
