//! The workers that compute answers. They take whole requests only: a connection is
//! read to the end by its own thread before its request is queued here, so a slow
//! client holds no worker. The queue is bounded; when it is full the request is
//! refused at once (503) rather than left to wait without end.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::api::handle;
use crate::http::Head;
use crate::limits::Limits;
use crate::reply::{ApiError, Reply};
use crate::site::Site;

/// A request waiting for a worker, and where its answer goes.
struct Job {
    head: Head,
    body: Vec<u8>,
    answer: SyncSender<Reply>,
}

/// The queue in front of the workers; cloned into every connection.
#[derive(Clone)]
pub(crate) struct Queue {
    jobs: SyncSender<Job>,
    limits: Arc<Limits>,
}

impl Queue {
    /// Answers a request on a worker, waiting for a free one if the queue has room.
    pub(crate) fn answer(&self, head: Head, body: Vec<u8>) -> Reply {
        let (answer, reply) = mpsc::sync_channel(1);
        let job = Job { head, body, answer };
        let refused = match self.jobs.try_send(job) {
            Ok(()) => return reply.recv().unwrap_or_else(|_| lost().reply()),
            Err(TrySendError::Full(_)) => ApiError::Busy(format!(
                "the server is busy: {} requests are already waiting; try again shortly",
                self.limits.queue
            )),
            Err(TrySendError::Disconnected(_)) => lost(),
        };
        refused.reply()
    }
}

fn lost() -> ApiError {
    ApiError::Busy("the server is stopping".into())
}

/// Starts `count` workers answering for `site`; they stop once every [`Queue`] is gone.
pub(crate) fn start(
    count: usize,
    site: Site,
    limits: Arc<Limits>,
) -> std::io::Result<(Queue, Vec<JoinHandle<()>>)> {
    let (jobs, inbox) = mpsc::sync_channel(limits.queue);
    let inbox = Arc::new(Mutex::new(inbox));
    let workers = (0..count.max(1))
        .map(|_| {
            let inbox = Arc::clone(&inbox);
            let limits = Arc::clone(&limits);
            std::thread::Builder::new()
                .name("backprop-worker".into())
                .spawn(move || work(&inbox, &site, &limits))
        })
        .collect::<std::io::Result<_>>()?;
    Ok((Queue { jobs, limits }, workers))
}

fn work(inbox: &Mutex<Receiver<Job>>, site: &Site, limits: &Limits) {
    loop {
        // A worker that panicked holding the lock left the queue itself intact.
        let next = inbox.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(job) = next else { return };
        // No input is known to panic the engine; if one does, the client hears of it
        // and the worker lives on.
        let reply = catch_unwind(AssertUnwindSafe(|| {
            handle(&job.head, &job.body, site, limits)
        }))
        .unwrap_or_else(|_| {
            ApiError::Internal("the server failed on this request; please report it".into()).reply()
        });
        // The client may have gone; then nobody waits for the answer.
        let _ = job.answer.send(reply);
    }
}
