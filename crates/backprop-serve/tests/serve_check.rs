//! `POST /api/check` over a real socket: the verdicts of `backprop check --format json`,
//! and bad answers, bad specs and rounds beyond the limits refused with a reason.
//! Values are the tutorial's (Mazur, "A Step by Step Backpropagation Example": w5⁺ =
//! 0.35891648; w5 + η·∂E/∂w5 = 0.40 + 0.5 × 0.0821670406 = 0.441084).

mod serve_client;

use backprop_serve::Limits;
use serde_json::json;
use serve_client::{post, request, start_with, tutorial};

#[test]
fn answers_are_checked_like_the_command_does() {
    let server = start_with(Limits::default(), 1);
    let addr = server.addr();
    let body = json!({"spec": tutorial(), "answers": "w5+ = 0.358916\nw5+ = 0.441084\n"});
    let answer = post(addr, "/api/check?lang=zh", &body.to_string());
    assert_eq!(answer.status, 200);
    let report = answer.json();
    assert_eq!(report["answers"][0]["verdict"], "right");
    assert_eq!(report["answers"][1]["verdict"], "wrong");
    assert_eq!(report["answers"][1]["mistake"], "added_update");
    assert!(report["answers"][1]["message"]
        .as_str()
        .unwrap()
        .contains("错误"));
    assert_eq!(
        (report["right"].as_u64(), report["wrong"].as_u64()),
        (Some(1), Some(1))
    );
    // Without a spec: the tutorial.
    let plain = post(
        addr,
        "/api/check",
        &json!({"answers": "E_total = 0.298371"}).to_string(),
    );
    assert_eq!(plain.json()["answers"][0]["verdict"], "right");
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    let limits = Limits {
        show: 3,
        ..Limits::default()
    };
    let server = start_with(limits, 1);
    let addr = server.addr();
    let refused = |body: serde_json::Value, expected: &str| {
        let answer = post(addr, "/api/check", &body.to_string());
        assert_eq!(answer.status, 400, "{body}");
        assert!(
            answer.error().contains(expected),
            "{expected} in {}",
            answer.error()
        );
    };
    refused(
        json!({"answers": "w5 0.3"}),
        "answers: line 1: expected NAME = VALUE",
    );
    refused(json!({"answers": "w5 = x"}), "is not a number");
    refused(
        json!({"answers": "[round 4]\nw5 = 0.3"}),
        "round 4 is beyond the 3 rounds",
    );
    refused(json!({"answer": "w5 = 0.3"}), "unknown field");
    refused(
        json!({"spec": {"inputs": 2}, "answers": "w5 = 0.3"}),
        "spec",
    );
    let get = request(addr, "GET", "/api/check", b"");
    assert_eq!(get.status, 405);
}
