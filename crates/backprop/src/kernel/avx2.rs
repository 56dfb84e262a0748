//! The `f32` product on AVX2 with FMA, blocked for the cache, with the packed `B` shared
//! by the two threads.
//!
//! The layout is the classic one of GotoBLAS and BLIS. `B` is packed once per product,
//! in panels of [`NR`] columns, each panel a depth block of [`KC`] rows after another;
//! both threads read it. Each thread packs its own blocks of [`MC`] rows of `A`, in
//! panels of [`MR`] rows, and a register tile of `MR × NR` elements of `C` is the
//! product of one panel of each.
//!
//! Every element of `C` is summed the same way whatever the shape of the part a thread
//! computes: each depth block of [`KC`] products is added up in order by FMA into a
//! register, and the blocks' sums are added to `C` in order. One thread and two give
//! the same bits.

use std::cell::RefCell;
use std::sync::atomic::{AtomicPtr, Ordering};

use std::arch::x86_64::*;

use super::both;
use super::view::{View, ViewMut};

/// Rows of a register tile.
const MR: usize = 6;
/// Columns of a register tile: two vectors of 8.
const NR: usize = 16;
/// The depth block: a panel of `B` (`KC × NR`, 24 KiB) stays in the L1 cache.
const KC: usize = 384;
/// Rows of `A` packed at once: `MC × KC` (180 KiB) stays in the L2 cache.
const MC: usize = 120;

/// `C` has at least this many rows and columns when this kernel computes it: for fewer
/// rows, packing all of `B` costs more than it saves (a batch's forward pass and the
/// error sent down are `private-gemm-x86`'s, which packs less).
const LARGE: usize = 256;

/// Whether this kernel computes an `m × n` product.
pub(super) fn suits(m: usize, n: usize) -> bool {
    m >= LARGE && n >= LARGE
}

/// Products whose `B` has at least this many elements pack it on both threads.
const SHARE_PACK: usize = 1 << 16;

/// The packing buffers of the products this thread calls: `B`, and a block of `A` for
/// each of the two parts (whichever thread computes the part uses its buffer). Kept
/// between products, and all owned by the caller, so that training allocates nothing
/// once its first step has run, whichever thread took which part.
#[derive(Default)]
struct Buffers {
    b: Vec<f32>,
    a: [Vec<f32>; 2],
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// `c ← a · b`, on two threads when `two` (the shapes were checked, and the CPU has
/// AVX2 and FMA).
pub(super) fn product(c: ViewMut<'_, f32>, a: View<'_, f32>, b: View<'_, f32>, two: bool) {
    let (m, k, n) = (c.rows, a.cols, c.cols);
    let panels = n.div_ceil(NR);
    let two = two && (m >= 2 * MR || panels >= 2);
    BUFFERS.with(|cell| {
        let mut buffers = cell.borrow_mut();
        let Buffers {
            b: buffer,
            a: [a0, a1],
        } = &mut *buffers;
        let packed = aligned(buffer, panels * NR * k);
        let dst = SharedMut(AtomicPtr::new(packed.as_mut_ptr()));
        // Each thread packs whole panels, so the two never write the same element.
        let share_pack = two && k * n >= SHARE_PACK;
        let half = if share_pack { panels / 2 } else { panels };
        both(share_pack, (0, half), (half, panels), |(from, to)| {
            // SAFETY: the buffer holds `panels × NR × k` elements, and the panels
            // `from..to` are written by this call alone.
            unsafe { pack_b(dst.get(), &b, from, to, panels) }
        });
        let packed_b: &[f32] = packed;
        let c = SharedC {
            ptr: AtomicPtr::new(c.ptr),
            row_stride: c.row_stride,
            col_stride: c.col_stride,
        };
        // The two threads take halves of the rows (or, for few rows, of the panels),
        // each with its own block of `A`; one thread takes the first part, all of `C`.
        let (rows, cols) = if !two {
            ([(0, m), (m, m)], [(0, panels), (0, panels)])
        } else if m >= 4 * MR || panels < 2 {
            let mid = (m / 2).div_ceil(MR) * MR;
            ([(0, mid), (mid, m)], [(0, panels), (0, panels)])
        } else {
            let mid = panels / 2;
            ([(0, m), (0, m)], [(0, mid), (mid, panels)])
        };
        let first = (aligned(a0, MC * KC), rows[0], cols[0]);
        let second = (aligned(a1, MC * KC), rows[1], cols[1]);
        both(two, first, second, |(packed_a, rows, cols)| {
            // SAFETY: `rows × cols` (in panels) is this part's own of `c`, and the
            // packed `B` holds every panel.
            unsafe { compute(&c, &a, packed_b, packed_a, rows, cols, (k, n)) }
        });
    });
}

/// `len` elements of `buffer` (grown if need be) from a 64-byte boundary, so that no
/// vector load of a packed row straddles two cache lines.
fn aligned(buffer: &mut Vec<f32>, len: usize) -> &mut [f32] {
    const LINE: usize = 64 / std::mem::size_of::<f32>();
    if buffer.len() < len + LINE {
        buffer.resize(len + LINE, 0.0);
    }
    let skip = buffer.as_ptr().align_offset(64).min(LINE);
    &mut buffer[skip..skip + len]
}

/// A pointer that both threads write through, each to its own elements.
struct SharedMut(AtomicPtr<f32>);

impl SharedMut {
    fn get(&self) -> *mut f32 {
        self.0.load(Ordering::Relaxed)
    }
}

/// `C`, written by both threads, each in its own part.
struct SharedC {
    ptr: AtomicPtr<f32>,
    row_stride: isize,
    col_stride: isize,
}

/// Packs the panels `from..to` of `b`: panel `j` of depth block `k0..k0+kl` starts at
/// `k0 · panels · NR + j · kl · NR`, row after row of [`NR`] elements, zero past `b`'s
/// last column.
///
/// # Safety
/// `dst` holds `panels × NR × b.rows` elements, and no one else writes these panels.
unsafe fn pack_b(dst: *mut f32, b: &View<'_, f32>, from: usize, to: usize, panels: usize) {
    let (k, n) = (b.rows, b.cols);
    for k0 in (0..k).step_by(KC) {
        let kl = KC.min(k - k0);
        for j in from..to {
            let len = kl * NR;
            // SAFETY: within the buffer (see the layout above), written by this call alone.
            let out =
                unsafe { std::slice::from_raw_parts_mut(dst.add(k0 * panels * NR + j * len), len) };
            let src = Strided {
                // SAFETY: element (k0, j·NR) is within the view.
                ptr: unsafe {
                    b.ptr
                        .offset(k0 as isize * b.row_stride + (j * NR) as isize * b.col_stride)
                },
                lanes: NR.min(n - j * NR),
                lane_stride: b.col_stride,
                depth_stride: b.row_stride,
            };
            // SAFETY: `lanes` columns and `kl` rows from there are within the view.
            unsafe { pack_panel::<NR>(out, &src, kl) };
        }
    }
}

/// Packs rows `i0..i0+ml`, depths `k0..k0+kl` of `a` into `dst`: panels of [`MR`]
/// rows, column after column of `MR` elements, zero past `a`'s last row.
fn pack_a(dst: &mut [f32], a: &View<'_, f32>, (i0, ml): (usize, usize), (k0, kl): (usize, usize)) {
    for (panel, r0) in (0..ml).step_by(MR).enumerate() {
        let src = Strided {
            // SAFETY: element (i0 + r0, k0) is within the view.
            ptr: unsafe {
                a.ptr
                    .offset((i0 + r0) as isize * a.row_stride + k0 as isize * a.col_stride)
            },
            lanes: MR.min(ml - r0),
            lane_stride: a.row_stride,
            depth_stride: a.col_stride,
        };
        let out = &mut dst[panel * MR * kl..(panel + 1) * MR * kl];
        // SAFETY: `lanes` rows and `kl` columns from there are within the view.
        unsafe { pack_panel::<MR>(out, &src, kl) };
    }
}

/// Where a panel's elements are read: `lanes` rows (of `A`) or columns (of `B`), lane
/// `q` at depth `p` at `q · lane_stride + p · depth_stride` from `ptr`.
struct Strided {
    ptr: *const f32,
    lanes: usize,
    lane_stride: isize,
    depth_stride: isize,
}

/// `out[p·W + q] ← src(q, p)` for `kl` depths, zero for the lanes past `src.lanes`. It
/// reads along whichever direction is contiguous in memory.
///
/// # Safety
/// Every element `src(q, p)`, `q < src.lanes`, `p < kl`, is readable.
unsafe fn pack_panel<const W: usize>(out: &mut [f32], src: &Strided, kl: usize) {
    let at = |q: usize, p: usize| {
        // SAFETY: the caller's promise.
        unsafe {
            *src.ptr
                .offset(q as isize * src.lane_stride + p as isize * src.depth_stride)
        }
    };
    if src.lanes < W {
        out.fill(0.0);
    }
    if src.lanes == W && src.lane_stride == 1 {
        // Each depth is contiguous: a copy.
        for (p, row) in out.chunks_exact_mut(W).take(kl).enumerate() {
            // SAFETY: the caller's promise: `W` elements from depth `p`'s first.
            let from = unsafe {
                std::slice::from_raw_parts(src.ptr.offset(p as isize * src.depth_stride), W)
            };
            row.copy_from_slice(from);
        }
        return;
    }
    let mut done = 0;
    if src.lanes == W && W.is_multiple_of(8) && src.depth_stride == 1 {
        // Lanes are contiguous in depth: transpose blocks of 8 × 8 in registers.
        done = kl - kl % 8;
        // SAFETY: the caller's promise covers the blocks read; the AVX2 kernel runs
        // only on CPUs that have it.
        unsafe { transpose_blocks::<W>(out, src, done) };
    }
    if src.depth_stride == 1 {
        // Each lane is contiguous: read it through, write across the panel.
        for q in 0..src.lanes {
            for p in done..kl {
                out[p * W + q] = at(q, p);
            }
        }
    } else {
        for (p, row) in out.chunks_exact_mut(W).enumerate().take(kl).skip(done) {
            for (q, v) in row.iter_mut().take(src.lanes).enumerate() {
                *v = at(q, p);
            }
        }
    }
}

/// `out[p·W + q] ← src(q, p)` for the first `depths` depths (a multiple of 8) of a
/// panel whose `W` lanes are each contiguous in depth, by 8 × 8 transposes.
///
/// # Safety
/// As [`pack_panel`], with `src.depth_stride == 1`, `src.lanes == W`, `W` a multiple
/// of 8; the CPU has AVX2.
#[target_feature(enable = "avx2")]
unsafe fn transpose_blocks<const W: usize>(out: &mut [f32], src: &Strided, depths: usize) {
    debug_assert!(out.len() >= depths * W && depths.is_multiple_of(8));
    for p in (0..depths).step_by(8) {
        for q0 in (0..W).step_by(8) {
            // SAFETY: lanes q0..q0+8 at depths p..p+8 are readable (the caller's promise).
            let rows: [__m256; 8] = std::array::from_fn(|i| unsafe {
                _mm256_loadu_ps(
                    src.ptr
                        .offset((q0 + i) as isize * src.lane_stride + p as isize),
                )
            });
            // Pairs, then quadruples, then halves: the usual three rounds of shuffles.
            let t: [__m256; 8] = std::array::from_fn(|i| {
                let (x, y) = (rows[i / 2 * 2], rows[i / 2 * 2 + 1]);
                if i % 2 == 0 {
                    _mm256_unpacklo_ps(x, y)
                } else {
                    _mm256_unpackhi_ps(x, y)
                }
            });
            let u: [__m256; 8] = std::array::from_fn(|i| {
                let base = (i / 4) * 4 + (i % 2);
                let (x, y) = (t[base], t[base + 2]);
                if (i / 2) % 2 == 0 {
                    _mm256_shuffle_ps::<0x44>(x, y)
                } else {
                    _mm256_shuffle_ps::<0xEE>(x, y)
                }
            });
            for (d, &low) in u.iter().take(4).enumerate() {
                let high = u[d + 4];
                let order = [0, 2, 1, 3][d];
                let first = _mm256_permute2f128_ps::<0x20>(low, high);
                let second = _mm256_permute2f128_ps::<0x31>(low, high);
                // SAFETY: depths p+order and p+order+4 are below `depths`, within `out`.
                unsafe {
                    _mm256_storeu_ps(out.as_mut_ptr().add((p + order) * W + q0), first);
                    _mm256_storeu_ps(out.as_mut_ptr().add((p + order + 4) * W + q0), second);
                }
            }
        }
    }
}

/// Computes rows `rows.0..rows.1` and panels `cols.0..cols.1` of `c`.
///
/// # Safety
/// That part of `c` is written by this call alone, `packed_b` holds `b` packed by
/// [`pack_b`], and the CPU has AVX2 and FMA.
unsafe fn compute(
    c: &SharedC,
    a: &View<'_, f32>,
    packed_b: &[f32],
    packed_a: &mut [f32],
    rows: (usize, usize),
    cols: (usize, usize),
    (k, n): (usize, usize),
) {
    let panels = n.div_ceil(NR);
    let cptr = c.ptr.load(Ordering::Relaxed);
    for k0 in (0..k).step_by(KC) {
        let kl = KC.min(k - k0);
        let first = k0 == 0;
        for i0 in (rows.0..rows.1).step_by(MC) {
            let ml = MC.min(rows.1 - i0);
            pack_a(packed_a, a, (i0, ml), (k0, kl));
            for j in cols.0..cols.1 {
                let bp = &packed_b[k0 * panels * NR + j * kl * NR..][..kl * NR];
                let ncols = NR.min(n - j * NR);
                for (panel, r0) in (0..ml).step_by(MR).enumerate() {
                    let ap = &packed_a[panel * MR * kl..][..MR * kl];
                    let nrows = MR.min(ml - r0);
                    // SAFETY: element (i0 + r0, j·NR) of `c` is in this call's part.
                    let at = unsafe {
                        cptr.offset(
                            (i0 + r0) as isize * c.row_stride + (j * NR) as isize * c.col_stride,
                        )
                    };
                    let tile = Tile {
                        ptr: at,
                        rows: nrows,
                        cols: ncols,
                        row_stride: c.row_stride,
                        col_stride: c.col_stride,
                    };
                    // SAFETY: the caller's promise: AVX2 and FMA, and the tile is ours.
                    unsafe { kernel(kl, ap, bp, &tile, first) };
                }
            }
        }
    }
}

/// Where a register tile goes in `C`: up to `MR × NR` elements.
struct Tile {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    row_stride: isize,
    col_stride: isize,
}

/// `tile ← a · b` (when `first`) or `tile += a · b`, for one packed panel of `A` and
/// one of `B`, `kl` deep.
///
/// # Safety
/// The CPU has AVX2 and FMA; the tile's elements are within `C` and ours to write;
/// `a` holds `MR × kl` and `b` `NR × kl` elements.
#[target_feature(enable = "avx2,fma")]
unsafe fn kernel(kl: usize, a: &[f32], b: &[f32], tile: &Tile, first: bool) {
    debug_assert!(a.len() >= MR * kl && b.len() >= NR * kl);
    let (ap, bp) = (a.as_ptr(), b.as_ptr());
    // The tile's rows of `C` are far apart and rarely in cache: ask for them now, so
    // that they arrive while the products are summed rather than after.
    for r in 0..tile.rows {
        // SAFETY: the first and last element of row `r` of the tile are within `C`.
        unsafe {
            let row = tile.ptr.offset(r as isize * tile.row_stride);
            let last = row.offset((tile.cols as isize - 1) * tile.col_stride);
            _mm_prefetch::<_MM_HINT_T0>(row as *const i8);
            _mm_prefetch::<_MM_HINT_T0>(last as *const i8);
        }
    }
    let mut acc = [[_mm256_setzero_ps(); 2]; MR];
    let step = |acc: &mut [[__m256; 2]; MR], p: usize| {
        // SAFETY: `p < kl`, so both loads are within the panel (asserted length).
        let (b0, b1) = unsafe {
            let row = bp.add(p * NR);
            (_mm256_loadu_ps(row), _mm256_loadu_ps(row.add(8)))
        };
        for (r, row) in acc.iter_mut().enumerate() {
            // SAFETY: within `a` (asserted length).
            let ar = unsafe { _mm256_broadcast_ss(&*ap.add(p * MR + r)) };
            row[0] = _mm256_fmadd_ps(ar, b0, row[0]);
            row[1] = _mm256_fmadd_ps(ar, b1, row[1]);
        }
    };
    let whole = kl - kl % 4;
    for p in (0..whole).step_by(4) {
        step(&mut acc, p);
        step(&mut acc, p + 1);
        step(&mut acc, p + 2);
        step(&mut acc, p + 3);
    }
    for p in whole..kl {
        step(&mut acc, p);
    }
    if tile.rows == MR && tile.cols == NR && tile.col_stride == 1 {
        for (r, row) in acc.iter().enumerate() {
            // SAFETY: a whole tile with contiguous rows: 16 elements from each row's start.
            unsafe {
                let out = tile.ptr.offset(r as isize * tile.row_stride);
                for (h, &v) in row.iter().enumerate() {
                    let at = out.add(8 * h);
                    let sum = if first {
                        v
                    } else {
                        _mm256_add_ps(_mm256_loadu_ps(at), v)
                    };
                    _mm256_storeu_ps(at, sum);
                }
            }
        }
        return;
    }
    // An edge tile, or strided columns: element by element, with the same additions.
    let mut sums = [0.0f32; MR * NR];
    for (r, row) in acc.iter().enumerate() {
        for (h, &v) in row.iter().enumerate() {
            // SAFETY: 8 elements within `sums`' row `r`.
            unsafe { _mm256_storeu_ps(sums.as_mut_ptr().add(r * NR + 8 * h), v) };
        }
    }
    for r in 0..tile.rows {
        for q in 0..tile.cols {
            // SAFETY: (r, q) is within the tile.
            unsafe {
                let at = tile
                    .ptr
                    .offset(r as isize * tile.row_stride + q as isize * tile.col_stride);
                let v = sums[r * NR + q];
                *at = if first { v } else { *at + v };
            }
        }
    }
}
