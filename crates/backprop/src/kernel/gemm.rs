//! The blocked matrix-multiply kernel for products larger than the tiny loops: on
//! x86-64 with AVX2 and FMA (or AVX-512), `private-gemm-x86`, the kernel faer calls
//! for real products on those CPUs, called directly so that the engine does not
//! compile a whole linear-algebra library; elsewhere, a plain strided loop. Large
//! `f32` products on AVX2 take the engine's own kernel ([`super::avx2`]), which packs
//! `B` once for both threads.

use super::view::{View, ViewMut};

/// A scalar type with a matrix-multiply kernel: `f32` and `f64`, and no others.
pub trait Gemm: Sized + Copy + Send + Sync + sealed::Sealed {
    /// `c ← a · b` on one thread; shapes were checked.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn gemm(c: ViewMut<'_, Self>, a: View<'_, Self>, b: View<'_, Self>);

    /// Whether this type has, for the instruction set in use and an `m × n` result, a
    /// kernel that shares its packing between the two threads ([`Gemm::gemm_shared`]).
    #[doc(hidden)]
    fn shares(m: usize, n: usize) -> bool {
        let _ = (m, n);
        false
    }

    /// `c ← a · b`, on two threads when `two`, by the kernel [`Gemm::shares`] names.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn gemm_shared(c: ViewMut<'_, Self>, a: View<'_, Self>, b: View<'_, Self>, two: bool) {
        let _ = two;
        Self::gemm(c, a, b);
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

impl Gemm for f32 {
    #[allow(private_interfaces)]
    fn gemm(c: ViewMut<'_, f32>, a: View<'_, f32>, b: View<'_, f32>) {
        blocked(c, a, b, 1.0, Scalar::F32);
    }

    fn shares(m: usize, n: usize) -> bool {
        #[cfg(target_arch = "x86_64")]
        if super::simd() == super::Simd::Avx2 {
            return super::avx2::suits(m, n);
        }
        let _ = (m, n);
        false
    }

    #[allow(private_interfaces)]
    fn gemm_shared(c: ViewMut<'_, f32>, a: View<'_, f32>, b: View<'_, f32>, two: bool) {
        #[cfg(target_arch = "x86_64")]
        if Self::shares(c.rows, c.cols) {
            super::avx2::product(c, a, b, two);
            return;
        }
        let _ = two;
        Self::gemm(c, a, b);
    }
}

impl Gemm for f64 {
    #[allow(private_interfaces)]
    fn gemm(c: ViewMut<'_, f64>, a: View<'_, f64>, b: View<'_, f64>) {
        blocked(c, a, b, 1.0, Scalar::F64);
    }
}

/// The element type, as the vector kernel names it.
#[derive(Clone, Copy)]
enum Scalar {
    F32,
    F64,
}

/// `c ← a · b` with the widest kernel the CPU has; `one` is 1 in `T`, the kernel's
/// scale of the product.
fn blocked<T: num_traits::Float>(
    c: ViewMut<'_, T>,
    a: View<'_, T>,
    b: View<'_, T>,
    one: T,
    scalar: Scalar,
) {
    debug_assert!(a.cols == b.rows && c.rows == a.rows && c.cols == b.cols);
    if !simd::gemm(&c, &a, &b, one, scalar) {
        strided(c, a, b);
    }
}

/// `c ← a · b` as one dot product per element: for CPUs without the vector kernel.
fn strided<T: num_traits::Float>(c: ViewMut<'_, T>, a: View<'_, T>, b: View<'_, T>) {
    let at = |ptr: *const T, i: usize, j: usize, rs: isize, cs: isize| {
        // SAFETY: i and j are within the view's shape, so the element is in its slice.
        unsafe { *ptr.offset(i as isize * rs + j as isize * cs) }
    };
    for i in 0..c.rows {
        for j in 0..c.cols {
            let mut sum = T::zero();
            for p in 0..a.cols {
                sum = sum
                    + at(a.ptr, i, p, a.row_stride, a.col_stride)
                        * at(b.ptr, p, j, b.row_stride, b.col_stride);
            }
            // SAFETY: (i, j) is within `c`, the only view of its elements.
            unsafe {
                *c.ptr
                    .offset(i as isize * c.row_stride + j as isize * c.col_stride) = sum
            };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use private_gemm_x86::{Accum, DType, DstKind, IType, InstrSet};

    use super::{Scalar, View, ViewMut};
    use crate::kernel::{simd, Simd};

    /// `c ← a · b` by the vector kernel of the instruction set in use; false when it is
    /// plain code (the CPU has neither AVX-512 nor AVX2 with FMA, or that is pinned).
    pub(super) fn gemm<T>(
        c: &ViewMut<'_, T>,
        a: &View<'_, T>,
        b: &View<'_, T>,
        one: T,
        scalar: Scalar,
    ) -> bool {
        let instr = match simd() {
            Simd::Avx512 => InstrSet::Avx512,
            Simd::Avx2 => InstrSet::Avx256,
            Simd::Scalar => return false,
        };
        let dtype = match scalar {
            Scalar::F32 => DType::F32,
            Scalar::F64 => DType::F64,
        };
        // SAFETY: the three views hold elements of `T` at their strides (`scalar` names
        // `T`), `c` is the only view of its elements, and the shapes agree.
        unsafe {
            private_gemm_x86::gemm(
                dtype,
                IType::U64,
                instr,
                c.rows,
                c.cols,
                a.cols,
                c.ptr as *mut (),
                c.row_stride,
                c.col_stride,
                core::ptr::null(),
                core::ptr::null(),
                DstKind::Full,
                Accum::Replace,
                a.ptr as *const (),
                a.row_stride,
                a.col_stride,
                false,
                core::ptr::null(),
                0,
                b.ptr as *const (),
                b.row_stride,
                b.col_stride,
                false,
                &raw const one as *const (),
                1,
            );
        }
        true
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod simd {
    use super::{Scalar, View, ViewMut};

    /// No vector kernel off x86-64: the caller runs the plain loop.
    pub(super) fn gemm<T>(
        _: &ViewMut<'_, T>,
        _: &View<'_, T>,
        _: &View<'_, T>,
        _: T,
        _: Scalar,
    ) -> bool {
        false
    }
}
