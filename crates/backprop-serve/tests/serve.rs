//! The server end to end over real sockets: the page, the JSON API, its limits, and
//! malformed requests, each answered with a status and a one-line JSON message.

mod serve_client;

use backprop_explain::Spec;
use backprop_explain::{explain, Options};
use serde_json::json;
use serve_client::{post, request, start, tutorial};

#[test]
fn the_page_and_the_explanation_come_from_the_engine() {
    let server = start();
    let addr = server.addr();
    let page = request(addr, "GET", "/", b"");
    assert_eq!(page.status, 200);
    assert!(page.headers.contains("text/html"));
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains("\"live\":true") && html.contains("\"lang\":\"en\""));
    // The page starts in the language the address names, one of the registered ones.
    let spanish = String::from_utf8(request(addr, "GET", "/?lang=es", b"").body).unwrap();
    assert!(spanish.contains("\"lang\":\"es\""));
    let unknown = request(addr, "GET", "/?lang=fr", b"");
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.json()["error"],
        "lang must be `en`, `zh` or `es`, got `fr`"
    );

    let answer = post(
        addr,
        "/api/explain?rounds=10&show=2",
        &tutorial().to_string(),
    );
    assert_eq!(answer.status, 200);
    let data = answer.json();
    // ∂E/∂w5 of the tutorial's first round, with its three chain-rule factors.
    let q = &data["quantities"]["rounds.0.layers.1.grad_weights.0.0"];
    assert_eq!(q["shown"], "0.082167041");
    assert_eq!(q["uses"].as_array().unwrap().len(), 3);
    assert_eq!(data["explanation"]["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(data["curve"]["losses"].as_array().unwrap().len(), 10);
    assert_eq!(data["curve"]["rounds"][9], 10);
    // The data is in no language: messages by id, and the registered catalogues.
    assert_eq!(data["steps"][0]["title"]["id"], "step_forward");
    assert_eq!(data["languages"].as_array().unwrap().len(), 3);
    let spanish = post(
        addr,
        "/api/explain?rounds=1&show=1&lang=es",
        &tutorial().to_string(),
    )
    .json();
    assert_eq!(spanish["languages"].as_array().unwrap().len(), 1);
    assert_eq!(
        spanish["languages"][0]["explain"]["forward_pass"],
        "Propagación hacia adelante"
    );

    // Editing w1 changes ∂E/∂w1 to what the engine computes for the new weights.
    let mut spec = tutorial();
    spec["layers"][0]["weights"][0][0] = json!(0.3);
    let edited = post(addr, "/api/explain?rounds=1&show=1", &spec.to_string()).json();
    let before = &data["quantities"]["rounds.0.layers.0.grad_weights.0.0"]["value"];
    let after = &edited["quantities"]["rounds.0.layers.0.grad_weights.0.0"]["value"];
    assert_ne!(before, after);
    // The engine's own ∂E/∂w1 for the edited spec, run here in the library.
    let edited_spec = Spec::parse(&spec.to_string(), std::path::Path::new("edited.json")).unwrap();
    let options = Options {
        rounds: 1,
        show: 1,
        order: None,
    };
    let engine = explain(&edited_spec, options).unwrap();
    let expected = engine.rounds[0].layers[0].grad_weights[0][0];
    assert_eq!(after.as_f64(), Some(expected));
    let limits = request(addr, "GET", "/api/limits", b"").json();
    assert_eq!(limits["layers"], 8);
    server.stop();
}

#[test]
fn bad_specs_get_the_same_messages_as_the_command_line() {
    let server = start();
    let addr = server.addr();
    let syntax = post(addr, "/api/explain", "{\"inputs\": 2,");
    assert_eq!(syntax.status, 400);
    assert!(
        syntax.error().starts_with("request:1:"),
        "{}",
        syntax.error()
    );

    let mut spec = tutorial();
    spec["layers"][1]["weights"] = json!([[0.4, 0.45]]);
    let rows = post(addr, "/api/explain", &spec.to_string());
    assert_eq!(rows.status, 400);
    assert_eq!(
        rows.error(),
        "request: layers[1].weights: has 1 rows but the layer has 2 neurons (one row of weights per neuron)"
    );

    spec = tutorial();
    spec["layers"][0]["activation"] = json!("sigmod");
    let activation = post(addr, "/api/explain", &spec.to_string());
    assert!(activation.error().contains("unknown variant `sigmod`"));

    for (query, message) in [
        (
            "order=sideways",
            "unknown update order `sideways`; expected one of textbook, published",
        ),
        ("lang=fr", "lang must be `en`, `zh` or `es`, got `fr`"),
        ("rounds=ten", "rounds must be a whole number"),
        ("colour=red", "unknown parameter `colour`"),
    ] {
        let answer = post(
            addr,
            &format!("/api/explain?{query}"),
            &tutorial().to_string(),
        );
        assert_eq!(answer.status, 400);
        assert!(answer.error().contains(message), "{}", answer.error());
    }
    let binary = request(addr, "POST", "/api/explain", &[0xff, 0xfe, 0x00]);
    assert_eq!(binary.status, 400);
    assert!(binary.error().contains("UTF-8"));
    server.stop();
}

#[test]
fn requests_over_the_limits_are_refused_with_a_reason() {
    let server = start();
    let addr = server.addr();
    let huge = vec![b' '; (1 << 20) + 1];
    let body = request(addr, "POST", "/api/explain", &huge);
    assert_eq!(body.status, 413);
    assert!(body.error().contains("1048576 bytes"));

    let layer = |size: usize| json!({"size": size, "activation": "sigmoid", "init": "xavier"});
    let mut deep = tutorial();
    deep["layers"] = json!((0..9).map(|_| layer(2)).collect::<Vec<_>>());
    let answer = post(addr, "/api/explain?rounds=1", &deep.to_string());
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error(), "the network has 9 layers; the limit is 8");

    let mut wide = tutorial();
    wide["layers"] = json!([layer(65), layer(2)]);
    let answer = post(addr, "/api/explain?rounds=1", &wide.to_string());
    assert_eq!(
        answer.error(),
        "layers[0] has 65 neurons; the limit is 64 per layer"
    );

    for (query, message) in [
        (
            "rounds=10001",
            "rounds must be between 1 and 10000, got 10001",
        ),
        ("rounds=0", "rounds must be between 1 and 10000, got 0"),
        ("show=6", "show must be between 1 and 5, got 6"),
    ] {
        let answer = post(
            addr,
            &format!("/api/explain?{query}"),
            &tutorial().to_string(),
        );
        assert_eq!(answer.status, 400);
        assert_eq!(answer.error(), message);
    }
    let steps = post(
        addr,
        "/api/train",
        r#"{"dataset": "moons", "steps": 10001}"#,
    );
    assert_eq!(steps.status, 400);
    assert_eq!(
        steps.error(),
        "steps must be between 0 and 10000, got 10001"
    );
    let neurons = post(
        addr,
        "/api/train",
        r#"{"dataset": "moons", "hidden": [100]}"#,
    );
    assert_eq!(
        neurons.error(),
        "layers[0] has 100 neurons; the limit is 64 per layer"
    );
    let work = post(
        addr,
        "/api/train",
        r#"{"dataset": "moons", "samples": 2000, "hidden": [64, 64, 64], "steps": 10000}"#,
    );
    assert_eq!(work.status, 400);
    // 2 → 64 → 64 → 64 → 2: 8448 weights, 194 neurons; 10000 × 2000 × (8448 + 776).
    assert_eq!(
        work.error(),
        "10000 rounds × 2000 samples × (8448 weights + 4 × 194 neurons) is 184480000000 units \
         of work; the limit is 100000000 per request: ask for fewer rounds, samples or neurons"
    );
    // A learning rate that sends the weights to infinity is an error, never a model
    // of null weights.
    let diverged = post(
        addr,
        "/api/train",
        r#"{"dataset": "moons", "steps": 20, "learning_rate": 1e300}"#,
    );
    assert_eq!(diverged.status, 422);
    assert!(
        diverged.error().starts_with("training diverged: ")
            && diverged
                .error()
                .contains("try a lower learning rate than 1e300"),
        "{}",
        diverged.error()
    );
    server.stop();
}

#[test]
fn wrong_routes_and_methods_say_what_exists() {
    let server = start();
    let addr = server.addr();
    let missing = request(addr, "GET", "/api/nothing", b"");
    assert_eq!(missing.status, 404);
    assert!(missing.error().contains("/api/explain"));
    let method = request(addr, "GET", "/api/train", b"");
    assert_eq!(method.status, 405);
    assert!(method.headers.contains("Allow: POST"));
    assert_eq!(method.error(), "/api/train accepts POST only");
    let delete = request(addr, "DELETE", "/", b"");
    assert_eq!(delete.status, 405);
    server.stop();
}

#[test]
fn the_playground_trains_and_goes_on_from_the_weights_it_returns() {
    let server = start();
    let addr = server.addr();
    let first = post(
        addr,
        "/api/train",
        r#"{"dataset": "moons", "steps": 100, "grid": 10, "inspect": 3}"#,
    );
    assert_eq!(first.status, 200);
    let a = first.json();
    let losses: Vec<f64> = serde_json::from_value(a["losses"].clone()).unwrap();
    assert_eq!(losses.len(), 100);
    assert!(losses[99] < losses[0], "the loss fell: {losses:?}");
    assert_eq!(a["grid"]["class"].as_array().unwrap().len(), 100);
    assert_eq!(a["points"].as_array().unwrap().len(), 200);

    let next = json!({"dataset": "moons", "steps": 100, "network": a["network"]});
    let b = post(addr, "/api/train", &next.to_string()).json();
    assert!(b["loss"].as_f64().unwrap() < a["loss"].as_f64().unwrap());

    // The one-step spec of the selected point explains like any other.
    let spec = a["spec"].to_string();
    let explained = post(addr, "/api/explain?rounds=1&show=1", &spec);
    assert_eq!(explained.status, 200);

    for (body, message) in [
        (r#"{"dataset": "moon"}"#, "unknown dataset `moon`"),
        (
            r#"{"dataset": "moons", "colour": 1}"#,
            "unknown field `colour`",
        ),
        (r#"{"dataset": "moons""#, "request:1:"),
        (
            r#"{"dataset": "moons", "learning_rate": -1}"#,
            "learning_rate must be",
        ),
        (
            r#"{"dataset": "moons", "network": [{"weights": [[1]], "bias": [0]}]}"#,
            "network: has 1 layers",
        ),
        (
            r#"{"dataset": "moons", "activation": "softmax"}"#,
            "softmax is for the output layer only",
        ),
    ] {
        let answer = post(addr, "/api/train", body);
        assert_eq!(answer.status, 400, "{body}");
        assert!(
            answer.error().contains(message),
            "{body}: {}",
            answer.error()
        );
    }
    server.stop();
}

#[test]
fn other_hosts_and_cross_origin_posts_are_refused() {
    let server = start();
    let addr = server.addr();
    let port = addr.port();
    let with = |method: &str, headers: &str| {
        let body = if method == "POST" { "{}" } else { "" };
        let raw = format!(
            "{method} /api/train HTTP/1.1\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        serve_client::send(addr, raw.as_bytes())
    };
    // A DNS-rebinding page reaches the server under its own name.
    let rebound = with("GET", &format!("Host: attacker.example:{port}\r\n"));
    assert_eq!(rebound.status, 403);
    assert_eq!(
        rebound.error(),
        format!(
            "Host `attacker.example:{port}` is not this server's address; open http://{addr}/ \
             (other names are refused against DNS rebinding)"
        )
    );
    let nameless = with("GET", "");
    assert_eq!(nameless.status, 403);
    assert_eq!(
        nameless.error(),
        format!(
            "the request has no Host header; this server answers requests for http://{addr}/ only"
        )
    );
    // HTTP/1.0 needs no Host, and no browser speaks it.
    let old = serve_client::send(addr, b"GET /api/limits HTTP/1.0\r\n\r\n");
    assert_eq!(old.status, 200);
    // Any page may send a simple POST; one from another site is refused.
    let cross = with(
        "POST",
        &format!("Host: {addr}\r\nOrigin: http://attacker.example\r\n"),
    );
    assert_eq!(cross.status, 403);
    assert_eq!(
        cross.error(),
        format!(
            "cross-origin request refused: Origin `http://attacker.example` is not this server (http://{addr})"
        )
    );
    // The page's own POSTs, by any of the server's names, and a POST from no page are
    // answered (here: the body lacks the dataset).
    for headers in [
        format!("Host: localhost:{port}\r\nOrigin: http://localhost:{port}\r\n"),
        format!("Host: [::1]:{port}\r\nOrigin: http://{addr}\r\n"),
        format!("Host: {addr}\r\n"),
    ] {
        let answer = with("POST", &headers);
        assert_eq!(answer.status, 400, "{headers}");
        assert_eq!(answer.error(), "request:1:2: missing field `dataset`");
    }
    server.stop();
}
