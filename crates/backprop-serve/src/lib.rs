//! `backprop serve`: the explanation page, live, and the small JSON API behind it
//! (see [`api`]).
//!
//! The HTTP layer is our own, over `std::net`, with httparse (the parser inside hyper)
//! reading request heads: tiny_http 0.12 allocated whatever body size a client
//! declared and had no read deadlines, and could not be mended from outside. hyper
//! with tokio has both built in, but takes about 33 s of CPU to build against
//! tiny_http's 10 s and httparse's 1 s, for keep-alive, chunked bodies and HTTP/2 that
//! a local page does not need. Here one request is answered per connection, its body
//! by `Content-Length`; every read has a deadline and a byte bound checked before
//! anything is allocated; a connection's own small thread reads the whole request
//! before a worker computes the answer, so a slow client holds no worker.
//!
//! Every request is checked against the [`Limits`] before any work is done, its `Host`
//! and `Origin` against the [`Site`], and no input can make a worker panic.
#![warn(missing_docs)]

pub mod api;
mod check;
mod connection;
pub mod http;
pub mod limits;
pub mod playground;
pub mod reply;
pub mod site;
mod workers;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use api::{answer, handle};
pub use http::Head;
pub use limits::Limits;
pub use reply::{ApiError, Reply};
pub use site::Site;

use backprop::error::{Error, Result};

/// A bound server.
pub struct Server {
    listener: TcpListener,
    limits: Arc<Limits>,
    site: Site,
}

impl Server {
    /// Listens on `host:port` (port 0 picks a free one).
    pub fn bind(host: &str, port: u16, limits: Limits) -> Result<Server> {
        let address = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let bind_error = |message: String| Error::Serve {
            address: address.clone(),
            message,
        };
        let listener = TcpListener::bind(&address).map_err(|e| bind_error(e.to_string()))?;
        let addr = listener
            .local_addr()
            .map_err(|e| bind_error(e.to_string()))?;
        Ok(Server {
            listener,
            limits: Arc::new(limits),
            site: Site::new(addr),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.site.addr()
    }

    /// The names it answers to.
    pub fn site(&self) -> Site {
        self.site
    }

    /// Answers requests with `workers` computing at once, until the process ends.
    pub fn run(self, workers: usize) -> Result<()> {
        let (queue, _workers) = workers::start(workers, self.site, Arc::clone(&self.limits))
            .map_err(|e| self.thread_error("the workers", &e))?;
        connection::accept(self.listener, queue, self.limits, &AtomicBool::new(false));
        Ok(())
    }

    /// Answers requests in the background until [`Running::stop`].
    pub fn spawn(self, workers: usize) -> Result<Running> {
        let (queue, _workers) = workers::start(workers, self.site, Arc::clone(&self.limits))
            .map_err(|e| self.thread_error("the workers", &e))?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let site = self.site;
        let addr = site.addr().to_string();
        let (listener, limits) = (self.listener, self.limits);
        let acceptor = std::thread::Builder::new()
            .name("backprop-acceptor".into())
            .spawn(move || connection::accept(listener, queue, limits, &flag))
            .map_err(|e| Error::Serve {
                address: addr,
                message: format!("cannot start the acceptor: {e}"),
            })?;
        Ok(Running {
            site,
            stop,
            acceptor,
        })
    }

    fn thread_error(&self, what: &str, e: &std::io::Error) -> Error {
        Error::Serve {
            address: self.site.addr().to_string(),
            message: format!("cannot start {what}: {e}"),
        }
    }
}

/// A server answering in the background.
pub struct Running {
    site: Site,
    stop: Arc<AtomicBool>,
    acceptor: JoinHandle<()>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.site.addr()
    }

    /// Stops accepting connections. Requests already received are still answered;
    /// the workers end once they are.
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        // The acceptor wakes for one more connection, sees the flag and returns.
        let wake = self.site.loopback_addr();
        if TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok() {
            let _ = self.acceptor.join();
        }
    }
}
