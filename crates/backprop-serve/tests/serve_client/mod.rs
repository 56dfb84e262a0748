//! A minimal HTTP client for the server tests: raw bytes out, status, headers and
//! body back. The server closes every connection after its answer.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use backprop_serve::{Limits, Running, Server};
use serde_json::Value;

/// Longer than any test waits for an answer: a server that never answers fails the
/// test instead of hanging it.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// What came back.
pub struct Answer {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            let start: String = String::from_utf8_lossy(&self.body)
                .chars()
                .take(300)
                .collect();
            panic!("not JSON ({e}): {start}")
        })
    }

    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap().to_string()
    }
}

/// A server on a free port of 127.0.0.1 with default limits and two workers.
pub fn start() -> Running {
    start_with(Limits::default(), 2)
}

pub fn start_with(limits: Limits, workers: usize) -> Running {
    Server::bind("127.0.0.1", 0, limits)
        .unwrap()
        .spawn(workers)
        .unwrap()
}

/// A connection whose answer will not be waited for forever.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Reads the answer on `stream` to its end.
pub fn read_answer(mut stream: TcpStream) -> Answer {
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("no answer ({e}) after {} bytes", raw.len()));
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&raw)));
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers[9..12].parse().unwrap();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Sends `raw` as it is and reads the answer.
pub fn send(addr: SocketAddr, raw: &[u8]) -> Answer {
    let mut stream = connect(addr);
    // A request refused early may be closed before it is all sent.
    let _ = stream.write_all(raw);
    read_answer(stream)
}

/// One HTTP/1.1 request with `Host` set to the server's address.
pub fn request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Answer {
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    send(addr, &[head.as_bytes(), body].concat())
}

pub fn post(addr: SocketAddr, path: &str, body: &str) -> Answer {
    request(addr, "POST", path, body.as_bytes())
}

pub fn tutorial() -> Value {
    serde_json::from_str(include_str!("../../../../examples/tutorial.json")).unwrap()
}
