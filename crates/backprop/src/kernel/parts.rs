//! Where a product is cut for two threads: fixed parts of `C`, each in a slot that
//! exactly one thread empties.

use std::sync::{Mutex, MutexGuard};

use super::view::ViewMut;

/// The most parts a product is cut in.
pub(super) const MAX_PARTS: usize = 4;
/// Parts are cut at multiples of this many columns (or rows), a SIMD width of `f32` on
/// AVX-512, so each part keeps whole vector registers.
pub(super) const ALIGN: usize = 16;

/// A part of `C` not yet computed.
pub(super) type Slot<'a, T> = Mutex<Option<ViewMut<'a, T>>>;

/// `(start, len)` of each part, without a heap allocation.
pub(super) struct Cuts {
    items: [(usize, usize); MAX_PARTS],
    len: usize,
}

impl Cuts {
    /// `len` cut into at most `parts` pieces at multiples of [`ALIGN`]; fewer pieces
    /// when the last ones would be empty.
    pub fn new(len: usize, parts: usize) -> Cuts {
        let width = len.div_ceil(parts.clamp(1, MAX_PARTS)).div_ceil(ALIGN) * ALIGN;
        let mut cuts = Cuts {
            items: [(0, 0); MAX_PARTS],
            len: 0,
        };
        let mut start = 0;
        while start < len {
            let w = width.min(len - start);
            cuts.items[cuts.len] = (start, w);
            cuts.len += 1;
            start += w;
        }
        cuts
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `(start, len)` of part `i`.
    pub fn get(&self, i: usize) -> (usize, usize) {
        self.items[..self.len][i]
    }

    /// The parts of `c`, cut off one after the other by `split(rest, len)`.
    pub fn slots<'a, T>(
        &self,
        c: ViewMut<'a, T>,
        split: impl Fn(ViewMut<'a, T>, usize) -> (ViewMut<'a, T>, ViewMut<'a, T>),
    ) -> [Slot<'a, T>; MAX_PARTS] {
        let mut slots: [Slot<'a, T>; MAX_PARTS] = Default::default();
        let mut rest = Some(c);
        for (i, slot) in slots.iter_mut().enumerate().take(self.len) {
            let whole = rest.take().expect("one remainder per cut");
            let part = if i + 1 < self.len {
                let (part, tail) = split(whole, self.items[i].1);
                rest = Some(tail);
                part
            } else {
                whole
            };
            *slot.get_mut().unwrap_or_else(|e| e.into_inner()) = Some(part);
        }
        slots
    }
}

/// Empties a slot: the part, the first time.
pub(super) fn take<'a, T>(slot: &Slot<'a, T>) -> Option<ViewMut<'a, T>> {
    lock(slot).take()
}

/// Empties any slot: its value, the first time.
pub(super) fn take_any<A>(slot: &Mutex<Option<A>>) -> Option<A> {
    lock(slot).take()
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
