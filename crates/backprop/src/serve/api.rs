//! The server's routes: the page, and a small JSON API whose every number comes from
//! the engine. A handler is a plain function of the method, the URL and the body, so
//! it is tested without a socket.
//!
//! | route | answer |
//! |---|---|
//! | `GET /` | the page, live |
//! | `GET /api/limits` | the [`Limits`] as JSON |
//! | `POST /api/explain?rounds=N&show=K&order=O` | body: a spec (as in spec files); answer: the page's data ([`page_data`]) |
//! | `POST /api/train` | body: a [`TrainRequest`]; answer: a [`TrainReply`](crate::serve::playground::TrainReply) |
//!
//! Errors are `{"error": "..."}` with status 400 (bad input or over a limit), 404, 405,
//! 413 (body too large) or 422 (training diverged).

use std::path::Path;

use serde::Serialize;

use crate::error::Error;
use crate::explain::html::{self, Settings};
use crate::explain::page::page_data;
use crate::explain::run::{explain, Options};
use crate::explain::Lang;
use crate::network::Order;
use crate::serve::limits::Limits;
use crate::serve::playground::{train, TrainRequest};
use crate::spec::Spec;

/// An answer: status, content type and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// The `Allow` header of a 405.
    pub allow: Option<&'static str>,
}

/// Why a request failed; the message is what the client is shown.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed input, or a request over a limit (400).
    #[error("{0}")]
    BadRequest(String),
    /// The body is larger than the limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// No such route (404).
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not with this method (405).
    #[error("{path} accepts {allow} only")]
    MethodNotAllowed {
        /// The route.
        path: String,
        /// The method it accepts.
        allow: &'static str,
    },
    /// The engine refused the input (400), or training diverged (422).
    #[error(transparent)]
    Engine(#[from] Error),
}

impl ApiError {
    /// A 400 with `message`.
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) => 400,
            ApiError::TooLarge(_) => 413,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::Engine(Error::Diverged(_)) => 422,
            ApiError::Engine(e) if e.is_bad_input() => 400,
            ApiError::Engine(_) => 500,
        }
    }

    /// The error as a JSON reply.
    pub fn reply(&self) -> Reply {
        #[derive(Serialize)]
        struct Body {
            error: String,
        }
        let mut reply = json(
            self.status(),
            &Body {
                error: self.to_string(),
            },
        );
        if let ApiError::MethodNotAllowed { allow, .. } = self {
            reply.allow = Some(allow);
        }
        reply
    }
}

fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    Reply {
        status,
        content_type: "application/json; charset=utf-8",
        body: serde_json::to_vec(value)
            .unwrap_or_else(|e| format!("{{\"error\":\"cannot write JSON: {e}\"}}").into_bytes()),
        allow: None,
    }
}

/// Answers one request. `url` is the path with its query; `body` has already been
/// checked against the body limit.
pub fn handle(method: &str, url: &str, body: &[u8], limits: &Limits) -> Reply {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let result = match (path, method) {
        ("/" | "/index.html", "GET" | "HEAD") => page(limits),
        ("/api/limits", "GET") => Ok(json(200, limits)),
        ("/api/explain", "POST") => text(body).and_then(|b| explain_route(b, query, limits)),
        ("/api/train", "POST") => text(body).and_then(|b| train_route(b, limits)),
        ("/" | "/index.html" | "/api/limits", _) => Err(ApiError::MethodNotAllowed {
            path: path.into(),
            allow: "GET",
        }),
        ("/api/explain" | "/api/train", _) => Err(ApiError::MethodNotAllowed {
            path: path.into(),
            allow: "POST",
        }),
        _ => Err(ApiError::NotFound(format!(
            "no such page: {path}; the API has /api/explain, /api/train and /api/limits"
        ))),
    };
    result.unwrap_or_else(|e| e.reply())
}

fn text(body: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(body).map_err(|e| ApiError::bad(format!("the body is not UTF-8 text: {e}")))
}

/// The page with the tutorial's explanation, ready to edit.
fn page(limits: &Limits) -> Result<Reply, ApiError> {
    let options = Options {
        rounds: 1000,
        show: 3,
        order: None,
    };
    let ex = explain(&Spec::tutorial(), options)?;
    let settings = Settings {
        live: true,
        limits: serde_json::to_value(limits).unwrap_or_default(),
        ..Settings::standalone(Lang::En, &ex)
    };
    Ok(Reply {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: html::render(&ex, &settings).into_bytes(),
        allow: None,
    })
}

/// `rounds`, `show` and `order` from the query string.
fn explain_options(query: &str) -> Result<(usize, usize, Option<Order>), ApiError> {
    let (mut rounds, mut show, mut order) = (1000, 3, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let count = |what: &str| {
            value
                .parse::<usize>()
                .map_err(|_| ApiError::bad(format!("{what} must be a whole number, got `{value}`")))
        };
        match name {
            "rounds" => rounds = count("rounds")?,
            "show" => show = count("show")?,
            "order" => {
                order = Some(match value {
                    "textbook" => Order::Textbook,
                    "published" => Order::Published,
                    _ => {
                        return Err(ApiError::bad(format!(
                            "order must be `textbook` or `published`, got `{value}`"
                        )))
                    }
                })
            }
            _ => {
                return Err(ApiError::bad(format!(
                    "unknown parameter `{name}`; expected rounds, show or order"
                )))
            }
        }
    }
    Ok((rounds, show, order))
}

fn explain_route(body: &str, query: &str, limits: &Limits) -> Result<Reply, ApiError> {
    let (rounds, show, order) = explain_options(query)?;
    // The same parser and messages as `backprop explain --spec`, naming the body.
    let spec = Spec::parse(body, Path::new("request"))?;
    limits.check_explain(&spec, rounds, show)?;
    let ex = explain(
        &spec,
        Options {
            rounds,
            show,
            order,
        },
    )?;
    Ok(json(200, &page_data(&ex)))
}

fn train_route(body: &str, limits: &Limits) -> Result<Reply, ApiError> {
    let request: TrainRequest = serde_json::from_str(body).map_err(|e| {
        let message = e.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.clone(), |i| message[..i].to_string());
        ApiError::bad(format!("request:{}:{}: {message}", e.line(), e.column()))
    })?;
    Ok(json(200, &train(&request, limits)?))
}
