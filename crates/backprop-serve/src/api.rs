//! The server's routes: the page, and a small JSON API whose every number comes from
//! the engine. [`handle`] is a plain function of the request's head and body, and
//! [`answer`] of its raw bytes, so both are tested (and fuzzed) without a socket.
//!
//! | route | answer |
//! |---|---|
//! | `GET /?lang=L` | the page, live, in language `L` (a registered code; default `en`) |
//! | `GET /api/limits` | the [`Limits`] as JSON |
//! | `POST /api/explain?rounds=N&show=K&order=O&lang=L` | body: a spec (as in spec files); answer: the page's data ([`page_data`]), with the catalogue of `L` only when it is given |
//! | `POST /api/train` | body: a [`TrainRequest`]; answer: a [`TrainReply`](crate::playground::TrainReply) |
//! | `POST /api/check?lang=L` | body: `{"spec": a spec or null, "answers": "NAME = VALUE\n…"}`; answer: the JSON of `backprop check --format json` |
//!
//! Errors are `{"error": "..."}` with status 400 (bad input or over a limit), 403
//! (`Host` or `Origin` not this server), 404, 405, 408 (request too slow), 411, 413
//! (body too large), 422 (training diverged), 431 or 503 (busy).

use std::path::Path;

use crate::http::{parse_head, Head};
use crate::limits::Limits;
use crate::playground::{train, TrainRequest};
use crate::reply::{json, request, ApiError, Reply};
use crate::site::Site;
use backprop::network::Order;
use backprop_explain::html::{self, Choices, Settings};
use backprop_explain::page::{languages, page_data};
use backprop_explain::run::{explain, Options};
use backprop_explain::spec::Spec;
use backprop_explain::Lang;
use backprop_train::data::generate::GENERATORS;

/// Answers a request given as raw bytes: the head, then the body. The server reads a
/// request off the socket the same way, within its deadlines; this is the whole of
/// what happens after, for any bytes at all (a fuzz target calls it).
pub fn answer(raw: &[u8], site: &Site, limits: &Limits) -> Reply {
    let parsed = parse_head(raw).and_then(|head| {
        let (head, used) =
            head.ok_or_else(|| ApiError::bad("the request ends before its blank line"))?;
        let length = head.body_length(limits.body_bytes)?;
        let body = &raw[used..];
        if body.len() < length {
            return Err(ApiError::bad(format!(
                "the body has {} bytes; Content-Length says {length}",
                body.len()
            )));
        }
        Ok((head, &body[..length]))
    });
    match parsed {
        Ok((head, body)) => handle(&head, body, site, limits),
        Err(e) => e.reply(),
    }
}

/// Answers one request: its method, target and headers in `head`, and its `body`,
/// already read within the body limit. `Host` (unless an HTTP/1.0 request has none)
/// and, on a POST, `Origin` must be the [`Site`]'s. It does no I/O, so it can be called on any input (a fuzz target does).
pub fn handle(head: &Head, body: &[u8], site: &Site, limits: &Limits) -> Reply {
    let (method, url) = (head.method.as_str(), head.url.as_str());
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let (host, origin) = (head.header("host"), head.header("origin"));
    // An HTTP/1.0 request need not name its host, and no browser sends one.
    let checked = if host.is_none() && head.http10 {
        site.check_origin(method, origin)
    } else {
        site.check(method, host, origin)
    };
    let result = checked.and_then(|()| route(method, path, query, body, limits));
    result.unwrap_or_else(|e| e.reply())
}

fn route(
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
    limits: &Limits,
) -> Result<Reply, ApiError> {
    match (path, method) {
        ("/" | "/index.html", "GET" | "HEAD") => page(query, limits),
        ("/api/limits", "GET") => Ok(json(200, limits)),
        ("/api/explain", "POST") => text(body).and_then(|b| explain_route(b, query, limits)),
        ("/api/train", "POST") => text(body).and_then(|b| train_route(b, limits)),
        ("/api/check", "POST") => {
            let lang = query_lang(query)?;
            text(body).and_then(|b| crate::check::check_route(b, lang, limits))
        }
        ("/" | "/index.html" | "/api/limits", _) => Err(ApiError::MethodNotAllowed {
            path: path.into(),
            allow: "GET",
        }),
        ("/api/explain" | "/api/train" | "/api/check", _) => Err(ApiError::MethodNotAllowed {
            path: path.into(),
            allow: "POST",
        }),
        _ => Err(ApiError::NotFound(format!(
            "no such page: {}; the API has /api/explain, /api/train, /api/check and /api/limits",
            path.escape_debug()
        ))),
    }
}

fn text(body: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(body).map_err(|e| ApiError::bad(format!("the body is not UTF-8 text: {e}")))
}

/// The registered language `code` names.
fn lang(code: &str) -> Result<Lang, ApiError> {
    code.parse().map_err(|_| {
        ApiError::bad(format!(
            "lang must be {}, got `{}`",
            backprop_explain::lang::codes(),
            code.escape_debug()
        ))
    })
}

/// The language `lang=` names in a query string, English when none does. Other
/// parameters are left alone: a link to the page may carry its own.
fn query_lang(query: &str) -> Result<Lang, ApiError> {
    let mut found = Lang::default();
    for pair in query.split('&') {
        if let Some(code) = pair.strip_prefix("lang=") {
            found = lang(code)?;
        }
    }
    Ok(found)
}

/// The page with the tutorial's explanation, ready to edit, in the language the query
/// names.
fn page(query: &str, limits: &Limits) -> Result<Reply, ApiError> {
    let lang = query_lang(query)?;
    let options = Options {
        rounds: 1000,
        show: 3,
        order: None,
    };
    let ex = explain(&Spec::tutorial(), options)?;
    let settings = Settings {
        live: true,
        limits: serde_json::to_value(limits).unwrap_or_default(),
        choices: Choices {
            datasets: GENERATORS.to_vec(),
            ..Choices::engine()
        },
        ..Settings::standalone(lang, &ex)
    };
    Ok(Reply {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: html::render(&ex, &settings)?.into_bytes(),
        allow: None,
    })
}

/// What `/api/explain` is asked for: `rounds`, `show`, `order` and `lang`.
struct ExplainQuery {
    options: Options,
    lang: Option<Lang>,
}

/// `rounds`, `show`, `order` and `lang` from the query string.
fn explain_query(query: &str) -> Result<ExplainQuery, ApiError> {
    let (mut rounds, mut show, mut order, mut only) = (1000, 3, None, None);
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
                order = Some(
                    value
                        .parse::<Order>()
                        .map_err(|e| ApiError::bad(e.to_string()))?,
                )
            }
            "lang" => only = Some(lang(value)?),
            _ => {
                return Err(ApiError::bad(format!(
                    "unknown parameter `{name}`; expected rounds, show, order or lang"
                )))
            }
        }
    }
    let options = Options {
        rounds,
        show,
        order,
    };
    Ok(ExplainQuery {
        options,
        lang: only,
    })
}

fn explain_route(body: &str, query: &str, limits: &Limits) -> Result<Reply, ApiError> {
    let asked = explain_query(query)?;
    // The same parser and messages as `backprop explain --spec`, naming the body.
    let spec = Spec::parse(body, Path::new("request"))?;
    limits.check_explain(&spec, asked.options.rounds, asked.options.show)?;
    let ex = explain(&spec, asked.options)?;
    let mut data = page_data(&ex)?;
    // The data is in no language; a client that reads one needs only its catalogue.
    if let Some(lang) = asked.lang {
        data.languages = languages(&[lang]);
    }
    Ok(json(200, &data))
}

fn train_route(body: &str, limits: &Limits) -> Result<Reply, ApiError> {
    let request: TrainRequest = request(body)?;
    Ok(json(200, &train(&request, limits)?))
}
