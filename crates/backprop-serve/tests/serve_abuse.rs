//! The server against clients that lie about their bodies, send slowly or not at all,
//! or open more connections than it serves: each gets a status and a one-line JSON
//! message, and the server goes on answering everyone else.

mod serve_client;

use std::io::Write;

use backprop_serve::Limits;
use serve_client::{connect, read_answer, request, send, start, start_with};

/// The limits with `read_ms` as the deadline for a whole request.
fn reading_within(read_ms: u64) -> Limits {
    Limits {
        read_ms,
        ..Limits::default()
    }
}

#[test]
fn a_huge_declared_body_is_refused_without_being_read_and_the_server_lives_on() {
    let server = start();
    let addr = server.addr();
    for expect in ["", "Expect: 100-continue\r\n"] {
        let raw = format!(
            "POST /api/explain HTTP/1.1\r\nHost: {addr}\r\n{expect}Content-Length: 100000000000\r\n\r\n{{}}"
        );
        let answer = send(addr, raw.as_bytes());
        assert_eq!(answer.status, 413, "{expect}");
        assert_eq!(
            answer.error(),
            "the request body is 100000000000 bytes; the limit is 1048576 bytes"
        );
    }
    // Had the server tried to allocate 100 GB, this process would have aborted.
    let alive = request(addr, "GET", "/api/limits", b"");
    assert_eq!(alive.status, 200);
    server.stop();
}

#[test]
fn malformed_framing_gets_a_reason() {
    let server = start();
    let addr = server.addr();
    let head = |extra: &str| format!("POST /api/explain HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\n");
    for (extra, status, message) in [
        (
            "Transfer-Encoding: chunked\r\n",
            411,
            "send the body with a Content-Length header; Transfer-Encoding is not accepted",
        ),
        (
            "Content-Length: ten\r\n",
            400,
            "Content-Length must be a whole number of bytes, got `ten`",
        ),
    ] {
        let answer = send(addr, head(extra).as_bytes());
        assert_eq!(answer.status, status, "{extra}");
        assert_eq!(answer.error(), message);
    }
    let garbage = send(addr, b"\x00\x01\x02 / HTTP/1.1\r\n\r\n");
    assert_eq!(garbage.status, 400);
    assert_eq!(garbage.error(), "malformed HTTP request: invalid token");
    let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(20_000));
    let answer = send(addr, long.as_bytes());
    assert_eq!(answer.status, 431);
    assert_eq!(
        answer.error(),
        "the request line and headers are larger than the limit of 16384 bytes"
    );
    server.stop();
}

#[test]
fn slow_clients_hold_no_worker_and_time_out_with_a_reason() {
    // One worker, four clients that promise a body and never send it, and a deadline
    // far beyond the test's patience: a normal request must still be answered.
    let server = start_with(reading_within(600_000), 1);
    let addr = server.addr();
    let stalled: Vec<_> = (0..4)
        .map(|_| {
            let mut s = connect(addr);
            let head = format!(
                "POST /api/explain HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1025\r\n\r\n"
            );
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    let normal = request(addr, "GET", "/api/limits", b"");
    assert_eq!(
        normal.status, 200,
        "a normal request waited behind slow ones"
    );
    assert_eq!(normal.json()["read_ms"], 600_000);
    drop(stalled);
    server.stop();

    // With a short deadline the slow client and the idle one are told why.
    let server = start_with(reading_within(200), 1);
    let addr = server.addr();
    let mut slow = connect(addr);
    let head =
        format!("POST /api/explain HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1025\r\n\r\n{{");
    slow.write_all(head.as_bytes()).unwrap();
    let idle = connect(addr);
    for answer in [read_answer(slow), read_answer(idle)] {
        assert_eq!(answer.status, 408);
        assert_eq!(
            answer.error(),
            "the request did not arrive within 0.2 s; send it whole and at once"
        );
    }
    assert_eq!(request(addr, "GET", "/api/limits", b"").status, 200);
    server.stop();
}

#[test]
fn connections_over_the_limit_are_told_to_come_back() {
    let limits = Limits {
        connections: 2,
        ..reading_within(600_000)
    };
    let server = start_with(limits, 1);
    let addr = server.addr();
    let (_a, _b) = (connect(addr), connect(addr));
    let third = read_answer(connect(addr));
    assert_eq!(third.status, 503);
    assert_eq!(
        third.error(),
        "the server has 2 connections open, its limit; try again shortly"
    );
    server.stop();
}
