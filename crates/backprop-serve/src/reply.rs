//! What the server sends back: a [`Reply`], and the [`ApiError`]s that become one
//! with a status code and a one-line JSON message.

use serde::Serialize;

use backprop::error::Error;

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
    /// A `Host` or `Origin` that is not this server (403).
    #[error("{0}")]
    Forbidden(String),
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
    /// The request did not arrive within the read deadline (408).
    #[error("{0}")]
    Timeout(String),
    /// A body without a `Content-Length` (411).
    #[error("{0}")]
    LengthRequired(String),
    /// The body is larger than the limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// The request line and headers are larger than the limit (431).
    #[error("{0}")]
    HeadTooLarge(String),
    /// Every worker is busy and the queue is full, or too many connections are open (503).
    #[error("{0}")]
    Busy(String),
    /// The engine refused the input (400), or training diverged (422).
    #[error(transparent)]
    Engine(#[from] Error),
    /// A fault of the server itself (500).
    #[error("{0}")]
    Internal(String),
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
            ApiError::Forbidden(_) => 403,
            ApiError::NotFound(_) => 404,
            ApiError::MethodNotAllowed { .. } => 405,
            ApiError::Timeout(_) => 408,
            ApiError::LengthRequired(_) => 411,
            ApiError::TooLarge(_) => 413,
            ApiError::HeadTooLarge(_) => 431,
            ApiError::Busy(_) => 503,
            ApiError::Engine(Error::Diverged(_)) => 422,
            ApiError::Engine(e) if e.is_bad_input() => 400,
            ApiError::Engine(_) | ApiError::Internal(_) => 500,
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

/// A request body read as JSON, or a 400 naming where it is wrong
/// (`request:LINE:COLUMN: message`).
pub fn request<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| {
        let message = e.to_string();
        // serde_json ends its message with the place, which the prefix already gives.
        let message = message
            .rfind(" at line ")
            .map_or(message.clone(), |i| message[..i].to_string());
        ApiError::bad(format!("request:{}:{}: {message}", e.line(), e.column()))
    })
}

/// `value` as a JSON reply with `status`.
pub fn json<T: Serialize>(status: u16, value: &T) -> Reply {
    Reply {
        status,
        content_type: "application/json; charset=utf-8",
        body: serde_json::to_vec(value)
            .unwrap_or_else(|e| format!("{{\"error\":\"cannot write JSON: {e}\"}}").into_bytes()),
        allow: None,
    }
}

/// The standard reason phrase of the statuses the server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Internal Server Error",
    }
}
