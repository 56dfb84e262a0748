//! HTTP/1.1 on one connection: the request read within a deadline and byte bounds
//! (httparse parses the head), the reply written within a deadline. One request per
//! connection, bodies by `Content-Length` only; nothing is allocated before its size
//! is known to be within the [`Limits`].

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use crate::limits::Limits;
use crate::reply::{reason, ApiError, Reply};

/// Header fields a request may have.
pub const MAX_HEADERS: usize = 64;

/// A request's method, target and header fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// The method, e.g. `POST` (case-sensitive, as HTTP says).
    pub method: String,
    /// The target: the path with its query.
    pub url: String,
    /// The header fields, names as sent.
    pub headers: Vec<(String, String)>,
    /// Whether the request is HTTP/1.0, which need not name its host.
    pub http10: bool,
}

impl Head {
    /// The value of the first header field called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The length of the body `Content-Length` declares (0 without one), within `limit`.
    pub fn body_length(&self, limit: usize) -> Result<usize, ApiError> {
        if self.header("transfer-encoding").is_some() {
            return Err(ApiError::LengthRequired(
                "send the body with a Content-Length header; Transfer-Encoding is not accepted"
                    .into(),
            ));
        }
        let mut lengths = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.trim());
        let Some(first) = lengths.next() else {
            return Ok(0);
        };
        if lengths.any(|other| other != first) {
            return Err(ApiError::bad(
                "the request has two different Content-Length headers",
            ));
        }
        if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad(format!(
                "Content-Length must be a whole number of bytes, got `{}`",
                first.escape_debug()
            )));
        }
        // All digits: a number too large for u64 is too large for the limit too.
        match first.parse::<u64>() {
            Ok(n) if n <= limit as u64 => Ok(n as usize),
            _ => Err(ApiError::TooLarge(format!(
                "the request body is {first} bytes; the limit is {limit} bytes"
            ))),
        }
    }
}

/// Parses a request head from the start of `buf`: `Ok(None)` while it is incomplete,
/// else the head and the number of bytes it took.
pub fn parse_head(buf: &[u8]) -> Result<Option<(Head, usize)>, ApiError> {
    let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut fields);
    let used = match request.parse(buf) {
        Ok(httparse::Status::Complete(used)) => used,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ApiError::HeadTooLarge(format!(
                "the request has more than {MAX_HEADERS} header fields"
            )))
        }
        Err(e) => return Err(ApiError::bad(format!("malformed HTTP request: {e}"))),
    };
    let head = Head {
        method: request.method.unwrap_or_default().to_string(),
        url: request.path.unwrap_or_default().to_string(),
        headers: request
            .headers
            .iter()
            .map(|h| {
                let value = String::from_utf8_lossy(h.value).into_owned();
                (h.name.to_string(), value)
            })
            .collect(),
        http10: request.version == Some(0),
    };
    Ok(Some((head, used)))
}

/// Why no request came from a connection.
#[derive(Debug)]
pub enum ReadError {
    /// The client went away, or the connection failed: nobody to answer.
    Gone,
    /// The request is refused with this error (part of it may still be unsent).
    Refuse(ApiError),
}

/// A connection's reads, each given what is left of one deadline.
struct Deadline<'a> {
    stream: &'a mut TcpStream,
    end: Instant,
    allowed: Duration,
}

impl Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ReadError> {
        let left = self.end.saturating_duration_since(Instant::now());
        let late = || {
            ReadError::Refuse(ApiError::Timeout(format!(
                "the request did not arrive within {} s; send it whole and at once",
                self.allowed.as_secs_f64()
            )))
        };
        if left.is_zero() {
            return Err(late());
        }
        self.stream
            .set_read_timeout(Some(left))
            .map_err(|_| ReadError::Gone)?;
        match self.stream.read(buf) {
            Ok(0) => Err(ReadError::Gone),
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Err(late())
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(0),
            Err(_) => Err(ReadError::Gone),
        }
    }
}

/// Reads one request within `limits.read_ms`, the head within `limits.header_bytes` and
/// the body within `limits.body_bytes`.
pub fn read_request(stream: &mut TcpStream, limits: &Limits) -> Result<(Head, Vec<u8>), ReadError> {
    let allowed = Duration::from_millis(limits.read_ms);
    let mut conn = Deadline {
        stream,
        end: after(allowed),
        allowed,
    };
    let mut buf = vec![0; limits.header_bytes.max(1)];
    let mut filled = 0;
    let (head, used) = loop {
        if filled == buf.len() {
            return Err(ReadError::Refuse(ApiError::HeadTooLarge(format!(
                "the request line and headers are larger than the limit of {} bytes",
                limits.header_bytes
            ))));
        }
        let n = conn.read(&mut buf[filled..])?;
        let from = filled.saturating_sub(3);
        filled += n;
        // Parse only once a blank line has come: a head sent byte by byte costs no more.
        if ends_head(&buf[from..filled]) {
            if let Some(parsed) = parse_head(&buf[..filled]).map_err(ReadError::Refuse)? {
                break parsed;
            }
        }
    };
    let length = head
        .body_length(limits.body_bytes)
        .map_err(ReadError::Refuse)?;
    if head
        .header("expect")
        .is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        let _ = conn.stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let mut body = buf;
    body.copy_within(used..filled, 0);
    body.truncate((filled - used).min(length));
    body.resize(length, 0);
    let mut got = (filled - used).min(length);
    while got < length {
        got += conn.read(&mut body[got..])?;
    }
    Ok((head, body))
}

/// The instant `wait` from now; a wait too long to count is a year.
fn after(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait)
        .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600))
}

/// Whether `bytes` hold the blank line that ends a head (`\n\n` or `\n\r\n`).
fn ends_head(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == b"\n\n") || bytes.windows(3).any(|w| w == b"\n\r\n")
}

/// Writes `reply` within `limits.write_ms` and closes the connection; a `HEAD` gets the
/// headers only.
pub fn write_reply(stream: &mut TcpStream, reply: &Reply, head_only: bool, limits: &Limits) {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    if let Some(allow) = reply.allow {
        head.push_str(&format!("Allow: {allow}\r\n"));
    }
    head.push_str("\r\n");
    let body: &[u8] = if head_only { &[] } else { &reply.body };
    let end = after(Duration::from_millis(limits.write_ms));
    // A client that reads slowly, or went away, cannot be told anything more.
    let _ =
        write_within(stream, head.as_bytes(), end).and_then(|()| write_within(stream, body, end));
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

fn write_within(stream: &mut TcpStream, mut bytes: &[u8], end: Instant) -> io::Result<()> {
    while !bytes.is_empty() {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        let n = stream.write(&bytes[..bytes.len().min(64 * 1024)])?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        bytes = &bytes[n..];
    }
    Ok(())
}

/// Reads and discards what the client still sends, for at most a second and a body's
/// worth of bytes, so that closing does not reset the connection before it has read
/// the reply.
pub fn drain(stream: &mut TcpStream, limits: &Limits) {
    let end = after(Duration::from_secs(1));
    let mut scratch = [0u8; 8192];
    let mut left = limits.body_bytes.saturating_add(limits.header_bytes);
    while left > 0 {
        let wait = end.saturating_duration_since(Instant::now());
        if wait.is_zero() || stream.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match stream.read(&mut scratch) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &str) -> Head {
        parse_head(raw.as_bytes()).unwrap().unwrap().0
    }

    #[test]
    fn the_head_is_parsed_once_complete() {
        let raw = "POST /api/explain?rounds=1 HTTP/1.1\r\nHost: a:1\r\nContent-Length: 2\r\n\r\n{}";
        let (h, used) = parse_head(raw.as_bytes()).unwrap().unwrap();
        assert_eq!(h.method, "POST");
        assert_eq!(h.url, "/api/explain?rounds=1");
        assert_eq!(h.header("HOST"), Some("a:1"));
        assert_eq!(&raw[used..], "{}");
        assert_eq!(parse_head(&raw.as_bytes()[..20]).unwrap(), None);
        assert!(ends_head(b"x\r\n\r\n"));
        assert!(ends_head(b"x\n\n"));
        assert!(!ends_head(b"x\r\nHost: a\r\n"));
    }

    #[test]
    fn content_lengths_are_checked_before_anything_is_allocated() {
        let len = |value: &str| {
            head(&format!(
                "POST / HTTP/1.1\r\nContent-Length: {value}\r\n\r\n"
            ))
        };
        assert_eq!(len("10").body_length(10).unwrap(), 10);
        let huge = len("100000000000").body_length(1024).unwrap_err();
        assert_eq!(huge.status(), 413);
        assert_eq!(
            huge.to_string(),
            "the request body is 100000000000 bytes; the limit is 1024 bytes"
        );
        let beyond_u64 = len("99999999999999999999999")
            .body_length(1024)
            .unwrap_err();
        assert_eq!(beyond_u64.status(), 413);
        for bad in ["-1", "1e3", "0x10"] {
            let e = len(bad).body_length(1024).unwrap_err();
            assert_eq!(e.status(), 400);
            assert_eq!(
                e.to_string(),
                format!("Content-Length must be a whole number of bytes, got `{bad}`")
            );
        }
        let two = head("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        assert_eq!(
            two.body_length(10).unwrap_err().to_string(),
            "the request has two different Content-Length headers"
        );
        let chunked = head("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!(chunked.body_length(10).unwrap_err().status(), 411);
        assert_eq!(head("GET / HTTP/1.1\r\n\r\n").body_length(0).unwrap(), 0);
    }

    #[test]
    fn malformed_heads_are_refused_with_a_reason() {
        let e = parse_head(b"GET / HTTP/1.1\r\nBad Header\r\n\r\n").unwrap_err();
        assert_eq!(e.status(), 400);
        assert_eq!(e.to_string(), "malformed HTTP request: invalid header name");
        let many: String = (0..=MAX_HEADERS).map(|i| format!("X-{i}: 1\r\n")).collect();
        let e = parse_head(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()).unwrap_err();
        assert_eq!(e.status(), 431);
        assert_eq!(e.to_string(), "the request has more than 64 header fields");
    }
}
