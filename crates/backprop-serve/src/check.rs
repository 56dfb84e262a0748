//! `POST /api/check?lang=L`: a learner's answers checked, as `backprop check --format
//! json` does. The body is `{"spec": a spec or null, "answers": "NAME = VALUE\n…"}`;
//! without a spec, the tutorial's network.

use std::path::Path;

use serde::Deserialize;

use crate::limits::Limits;
use crate::reply::{json, request, ApiError, Reply};
use backprop_explain::check::{check, parse};
use backprop_explain::spec::Spec;
use backprop_explain::Lang;

/// The body of a check request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    /// The network, as in spec files; the tutorial's when absent or null.
    #[serde(default)]
    spec: Option<serde_json::Value>,
    /// The answers file's text.
    answers: String,
}

/// Answers a check request in `lang`, within `limits`: the rounds the answers refer
/// to count as rounds shown in full.
pub fn check_route(body: &str, lang: Lang, limits: &Limits) -> Result<Reply, ApiError> {
    let request: CheckRequest = request(body)?;
    let spec = match request.spec {
        Some(value) if !value.is_null() => Spec::parse(&value.to_string(), Path::new("spec"))?,
        _ => Spec::tutorial(),
    };
    let answers = parse(&request.answers).map_err(|e| ApiError::bad(format!("answers: {e}")))?;
    let rounds = answers.iter().map(|a| a.round).max().unwrap_or(1);
    if rounds > limits.show {
        return Err(ApiError::bad(format!(
            "answers: round {rounds} is beyond the {} rounds this server checks",
            limits.show
        )));
    }
    limits.check_explain(&spec, rounds, rounds)?;
    let report = check(&spec, &answers)?;
    Ok(json(200, &report.json(lang)))
}
