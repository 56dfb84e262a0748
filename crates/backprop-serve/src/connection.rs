//! Connections: each accepted one gets a small thread of its own that reads the
//! request within the deadline, hands it to the workers and writes the answer. Open
//! connections are counted; one over the limit is told so at once and closed.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::http::{self, ReadError};
use crate::limits::Limits;
use crate::reply::ApiError;
use crate::workers::Queue;

/// A connection thread reads and writes bytes only; the engine runs on the workers.
const STACK_BYTES: usize = 256 * 1024;

/// Accepts connections until `stop` is set (and one more connection wakes it).
pub(crate) fn accept(listener: TcpListener, queue: Queue, limits: Arc<Limits>, stop: &AtomicBool) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Out of file descriptors, most likely: give connections time to close.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        if open.load(Ordering::SeqCst) >= limits.connections {
            refuse(stream, &limits);
            continue;
        }
        let slot = Slot::take(&open);
        let (queue, limits) = (queue.clone(), Arc::clone(&limits));
        // If no thread can be started, the connection and its slot are dropped: closed.
        let _ = std::thread::Builder::new()
            .name("backprop-connection".into())
            .stack_size(STACK_BYTES)
            .spawn(move || {
                let _slot = slot;
                serve(stream, &queue, &limits);
            });
    }
}

/// One request on `stream`, answered.
fn serve(mut stream: TcpStream, queue: &Queue, limits: &Limits) {
    let _ = stream.set_nodelay(true);
    match http::read_request(&mut stream, limits) {
        Ok((head, body)) => {
            let head_only = head.method == "HEAD";
            let reply = queue.answer(head, body);
            http::write_reply(&mut stream, &reply, head_only, limits);
        }
        Err(ReadError::Gone) => {}
        Err(ReadError::Refuse(e)) => {
            http::write_reply(&mut stream, &e.reply(), false, limits);
            http::drain(&mut stream, limits);
        }
    }
}

/// Tells a connection over the limit to come back later, without a thread.
fn refuse(mut stream: TcpStream, limits: &Limits) {
    // Whatever of the request has arrived is read, so that closing does not reset the
    // connection before the client reads why.
    if stream.set_nonblocking(true).is_ok() {
        let mut scratch = [0u8; 4096];
        for _ in 0..16 {
            if !matches!(stream.read(&mut scratch), Ok(n) if n > 0) {
                break;
            }
        }
        let _ = stream.set_nonblocking(false);
    }
    let busy = ApiError::Busy(format!(
        "the server has {} connections open, its limit; try again shortly",
        limits.connections
    ));
    http::write_reply(&mut stream, &busy.reply(), false, limits);
}

/// A place among the open connections, given back when dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>) -> Slot {
        open.fetch_add(1, Ordering::SeqCst);
        Slot(Arc::clone(open))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
