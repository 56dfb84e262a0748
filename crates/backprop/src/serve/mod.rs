//! `backprop serve`: the explanation page, live, and the small JSON API behind it
//! (see [`api`]). Requests are answered by a few worker threads; each one is checked
//! against the [`Limits`] before any work is done, and no input can make a worker panic.

pub mod api;
pub mod limits;
pub mod playground;

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

pub use api::{handle, ApiError, Reply};
pub use limits::Limits;

use crate::error::{Error, Result};

/// A bound server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    limits: Arc<Limits>,
    addr: SocketAddr,
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
        let http = tiny_http::Server::http(&address).map_err(|e| bind_error(e.to_string()))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| bind_error("not an IP address".into()))?;
        Ok(Server {
            http: Arc::new(http),
            limits: Arc::new(limits),
            addr,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers requests on `workers` threads until the process ends.
    pub fn run(self, workers: usize) {
        for handle in self.spawn_workers(workers) {
            let _ = handle.join();
        }
    }

    /// Answers requests in the background until [`Running::stop`].
    pub fn spawn(self, workers: usize) -> Running {
        let http = Arc::clone(&self.http);
        let addr = self.addr;
        Running {
            http,
            addr,
            workers: self.spawn_workers(workers),
        }
    }

    fn spawn_workers(&self, workers: usize) -> Vec<JoinHandle<()>> {
        (0..workers.max(1))
            .map(|_| {
                let http = Arc::clone(&self.http);
                let limits = Arc::clone(&self.limits);
                std::thread::spawn(move || {
                    for request in http.incoming_requests() {
                        respond(request, &limits);
                    }
                })
            })
            .collect()
    }
}

/// A server answering in the background.
pub struct Running {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workers: Vec<JoinHandle<()>>,
}

impl Running {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops answering and waits for the workers to finish.
    pub fn stop(self) {
        self.http.unblock();
        for _ in 1..self.workers.len() {
            self.http.unblock();
        }
        for w in self.workers {
            let _ = w.join();
        }
    }
}

/// Reads the body within the limit, answers, and writes the reply.
fn respond(mut request: tiny_http::Request, limits: &Limits) {
    let method = request.method().as_str().to_ascii_uppercase();
    let url = request.url().to_string();
    let reply = match read_body(&mut request, limits.body_bytes) {
        Ok(body) => handle(&method, &url, &body, limits),
        Err(e) => e.reply(),
    };
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let mut headers = vec![
        ("Content-Type", reply.content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    if let Some(allow) = reply.allow {
        headers.push(("Allow", allow));
    }
    for (name, value) in headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    // A client that went away cannot be told anything.
    let _ = request.respond(response);
}

fn read_body(
    request: &mut tiny_http::Request,
    limit: usize,
) -> std::result::Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::TooLarge(format!(
            "the request body is larger than the limit of {limit} bytes"
        ))
    };
    if request.body_length().is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| ApiError::bad(format!("cannot read the request body: {e}")))?;
    if body.len() > limit {
        return Err(too_large());
    }
    Ok(body)
}
