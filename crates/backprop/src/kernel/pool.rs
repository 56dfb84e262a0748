//! One helper thread that shares the parts of a product with the caller.
//!
//! A product is cut into a few parts fixed by its shape. The caller and the helper each
//! claim the next unclaimed part until none is left, so a helper that the system has
//! descheduled (another process on the other core) only costs the part it holds; one
//! it never started is taken back. Which thread computes a part does not change the
//! part's result.
//!
//! Why not rayon: a call from outside its pool pushes onto a shared queue that
//! allocates a block every few dozen pushes, and training must not allocate. This
//! handshake allocates only when the helper is started. The helper spins briefly
//! after each job, because the next product of a training step follows within
//! microseconds, then sleeps until it is needed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How long either side spins before it sleeps.
const SPIN: Duration = Duration::from_micros(200);

// The job's states.
const IDLE: u8 = 0;
const POSTED: u8 = 1;
const TAKEN: u8 = 2;
const DONE: u8 = 3;

/// A job with its lifetime erased; see the SAFETY note in [`run_parts`].
struct Job(*const (dyn Fn() -> usize + Sync + 'static));

// SAFETY: the closure behind the pointer is `Sync`, so calling it from the helper
// while the caller also calls it is allowed.
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
    /// IDLE, POSTED, TAKEN (by the helper) or DONE.
    state: AtomicU8,
    /// The job panicked.
    panicked: AtomicBool,
    /// Parts of products computed so far.
    parts: AtomicUsize,
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

/// Parts of products the helper thread has computed since the program started (for
/// tests and diagnostics: with one thread allowed, it stays 0). A job the helper
/// joins after the caller has claimed every part counts nothing.
pub fn helper_parts() -> usize {
    HELPER
        .get()
        .copied()
        .flatten()
        .map_or(0, |h| h.parts.load(Ordering::Relaxed))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Spins until `state` is `want` or [`SPIN`] passes; returns whether it was.
fn spin_until(state: &AtomicU8, want: u8) -> bool {
    let start = Instant::now();
    let mut spins = 0u32;
    loop {
        if state.load(Ordering::Acquire) == want {
            return true;
        }
        spins = spins.wrapping_add(1);
        if spins.is_multiple_of(64) && start.elapsed() > SPIN {
            return false;
        }
        std::hint::spin_loop();
    }
}

impl Helper {
    fn serve(&self) {
        loop {
            if !spin_until(&self.state, POSTED) {
                let mut s = lock(&self.sleepers);
                s.helper = true;
                while self.state.load(Ordering::Acquire) != POSTED {
                    s = self.wake_helper.wait(s).unwrap_or_else(|e| e.into_inner());
                }
                s.helper = false;
            }
            // The caller may have taken the job back meanwhile.
            if self
                .state
                .compare_exchange(POSTED, TAKEN, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {
                continue;
            }
            if let Some(Job(f)) = lock(&self.job).take() {
                // SAFETY: `run_parts` keeps the closure alive until the state leaves
                // TAKEN, which happens only after this call returns.
                let f = unsafe { &*f };
                match catch_unwind(AssertUnwindSafe(f)) {
                    Ok(done) => {
                        self.parts.fetch_add(done, Ordering::Relaxed);
                    }
                    Err(_) => self.panicked.store(true, Ordering::Relaxed),
                }
            }
            self.state.store(DONE, Ordering::Release);
            if lock(&self.sleepers).caller {
                self.wake_caller.notify_one();
            }
        }
    }

    fn post(&self, job: Job) {
        *lock(&self.job) = Some(job);
        self.state.store(POSTED, Ordering::Release);
        // The helper checks the state after it says it sleeps, under the same lock,
        // so either it sees the job or this sees it asleep.
        if lock(&self.sleepers).helper {
            self.wake_helper.notify_one();
        }
    }

    /// Takes an untouched job back, or waits until the helper has finished it.
    fn finish(&self) {
        if self
            .state
            .compare_exchange(POSTED, IDLE, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            lock(&self.job).take();
            return;
        }
        if !spin_until(&self.state, DONE) {
            let mut s = lock(&self.sleepers);
            s.caller = true;
            while self.state.load(Ordering::Acquire) != DONE {
                s = self.wake_caller.wait(s).unwrap_or_else(|e| e.into_inner());
            }
            s.caller = false;
        }
        self.state.store(IDLE, Ordering::Relaxed);
    }
}

/// Frees the helper once its job is over, also when the caller's parts panic.
struct Claim(&'static Helper);

impl Drop for Claim {
    fn drop(&mut self) {
        self.0.finish();
        self.0.claimed.store(false, Ordering::Release);
    }
}

/// Calls `part(i)` once for every `i < parts`, on this thread and, when threads are
/// allowed and the helper is free, on the helper too.
pub(super) fn run_parts(parts: usize, part: &(dyn Fn(usize) + Sync)) {
    let next = AtomicUsize::new(0);
    // Claims and computes parts until none is left; returns how many it computed.
    let work = || {
        let mut done = 0;
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= parts {
                break done;
            }
            part(i);
            done += 1;
        }
    };
    let helper = (super::threads() > 1 && parts > 1)
        .then(helper)
        .flatten()
        .filter(|h| {
            h.claimed
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        });
    let Some(helper) = helper else {
        work();
        return;
    };
    let job: &(dyn Fn() -> usize + Sync + '_) = &work;
    // SAFETY: only the lifetime changes. The helper calls the closure only in state
    // TAKEN, and `Claim` (dropped on return and on unwinding alike) either takes an
    // untouched job back or waits for DONE before this frame is left, so the closure
    // outlives every use.
    let job: *const (dyn Fn() -> usize + Sync + 'static) = unsafe { std::mem::transmute(job) };
    helper.post(Job(job));
    let claim = Claim(helper);
    work();
    drop(claim);
    if helper.panicked.swap(false, Ordering::Relaxed) {
        panic!("a matrix product on the helper thread panicked");
    }
}
