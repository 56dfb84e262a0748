//! One helper thread that computes the second half of a product while the caller
//! computes the first.
//!
//! Why not rayon: a call from outside its pool pushes onto a shared queue that
//! allocates a block every few dozen pushes, and training must not allocate. This
//! handshake allocates only when the helper is started. The helper spins briefly
//! after each job, because the next product of a training step follows within
//! microseconds, then sleeps until it is needed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How long either side spins before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

/// A job with its lifetime erased; see the SAFETY note in [`join`].
struct Job(*mut (dyn FnMut() + Send + 'static));

// SAFETY: the closure behind the pointer is `Send`, and only one thread uses it at a
// time: the helper between taking it and setting `done`.
unsafe impl Send for Job {}

#[derive(Default)]
struct Sleepers {
    helper: bool,
    caller: bool,
}

#[derive(Default)]
struct Helper {
    /// A caller owns the helper: one product at a time.
    claimed: AtomicBool,
    /// A job was posted and not yet taken.
    posted: AtomicBool,
    /// The posted job finished.
    done: AtomicBool,
    /// The posted job panicked.
    panicked: AtomicBool,
    /// Jobs run so far.
    jobs: AtomicUsize,
    job: Mutex<Option<Job>>,
    sleepers: Mutex<Sleepers>,
    wake_helper: Condvar,
    wake_caller: Condvar,
}

static HELPER: OnceLock<Option<&'static Helper>> = OnceLock::new();

/// The helper, started on first use; `None` when no thread could be started.
fn helper() -> Option<&'static Helper> {
    *HELPER.get_or_init(|| {
        let helper: &'static Helper = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("backprop-helper".into())
            .spawn(move || helper.serve())
            .ok()
            .map(|_| helper)
    })
}

/// Jobs the helper thread has run since the program started (for tests and
/// diagnostics: with one thread allowed, it stays 0).
pub fn helper_jobs() -> usize {
    HELPER
        .get()
        .copied()
        .flatten()
        .map_or(0, |h| h.jobs.load(Ordering::Relaxed))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Spins until `flag` is set or [`SPIN`] passes; returns whether it was set.
fn spin_until(flag: &AtomicBool) -> bool {
    let start = Instant::now();
    let mut spins = 0u32;
    loop {
        if flag.load(Ordering::Acquire) {
            return true;
        }
        spins = spins.wrapping_add(1);
        if spins % 64 == 0 && start.elapsed() > SPIN {
            return false;
        }
        std::hint::spin_loop();
    }
}

impl Helper {
    fn serve(&self) {
        loop {
            if !spin_until(&self.posted) {
                let mut s = lock(&self.sleepers);
                s.helper = true;
                while !self.posted.load(Ordering::Acquire) {
                    s = self.wake_helper.wait(s).unwrap_or_else(|e| e.into_inner());
                }
                s.helper = false;
            }
            self.posted.store(false, Ordering::Relaxed);
            if let Some(Job(f)) = lock(&self.job).take() {
                // SAFETY: `join` keeps the closure alive and untouched until it sees
                // `done`, which is set only after this call returns.
                let f = unsafe { &mut *f };
                if catch_unwind(AssertUnwindSafe(f)).is_err() {
                    self.panicked.store(true, Ordering::Relaxed);
                }
                self.jobs.fetch_add(1, Ordering::Relaxed);
            }
            self.done.store(true, Ordering::Release);
            if lock(&self.sleepers).caller {
                self.wake_caller.notify_one();
            }
        }
    }

    fn post(&self, job: Job) {
        *lock(&self.job) = Some(job);
        self.posted.store(true, Ordering::Release);
        // The helper checks `posted` after it says it sleeps, under the same lock, so
        // either it sees the job or this sees it asleep.
        if lock(&self.sleepers).helper {
            self.wake_helper.notify_one();
        }
    }

    fn wait_done(&self) {
        if !spin_until(&self.done) {
            let mut s = lock(&self.sleepers);
            s.caller = true;
            while !self.done.load(Ordering::Acquire) {
                s = self.wake_caller.wait(s).unwrap_or_else(|e| e.into_inner());
            }
            s.caller = false;
        }
        self.done.store(false, Ordering::Relaxed);
    }
}

/// Waits for the posted job and frees the helper, also when the caller's half panics.
struct Claim(&'static Helper);

impl Drop for Claim {
    fn drop(&mut self) {
        self.0.wait_done();
        self.0.claimed.store(false, Ordering::Release);
    }
}

/// Runs `first` here and `second` on the helper thread when threads are allowed and
/// the helper is free, else both here, one after the other.
pub(super) fn join<A: FnOnce() + Send, B: FnOnce() + Send>(first: A, second: B) {
    let helper = (super::threads() > 1).then(helper).flatten().filter(|h| {
        h.claimed
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    });
    let Some(helper) = helper else {
        first();
        second();
        return;
    };
    let mut second = Some(second);
    let mut job = || {
        if let Some(f) = second.take() {
            f();
        }
    };
    let job: &mut (dyn FnMut() + Send + '_) = &mut job;
    // SAFETY: only the lifetime changes. The pointer is used by the helper until it
    // sets `done`, and `Claim` waits for that before this frame is left, on return
    // and on unwinding alike, so the closure outlives every use.
    let job: *mut (dyn FnMut() + Send + 'static) = unsafe { std::mem::transmute(job) };
    helper.post(Job(job));
    let claim = Claim(helper);
    first();
    drop(claim);
    if helper.panicked.swap(false, Ordering::Relaxed) {
        panic!("a matrix product on the helper thread panicked");
    }
}
