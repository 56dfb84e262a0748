//! `explain --format html` and `serve` from the command line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn backprop() -> Command {
    Command::new(env!("CARGO_BIN_EXE_backprop"))
}

#[test]
fn the_html_page_holds_three_rounds_and_their_derivations() {
    let out = backprop()
        .args([
            "explain", "--format", "html", "--rounds", "100", "--lang", "zh",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("\"lang\":\"zh\""));
    // Three rounds shown by default, each with ∂E/∂w5 (0.082167041 in the first).
    assert!(html.contains("rounds.2.layers.1.grad_weights.0.0"));
    assert!(!html.contains("rounds.3.layers"));
    assert!(html.contains("0.082167041"));
}

#[test]
fn serve_answers_on_the_port_it_prints_and_a_bad_address_is_one_line() {
    let mut child = backprop()
        .args(["serve", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET /api/limits HTTP/1.0\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"),
        "{answer}"
    );
    assert!(answer.contains("\"body_bytes\":1048576"));

    let out = backprop()
        .args(["serve", "--host", "256.0.0.1", "--port", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot listen on 256.0.0.1:0"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1);
}
