//! The catalogues agree: every registered language has exactly the message ids of
//! English with the same placeholders, every catalogue file is registered, and every
//! message the explanation writes is in them with an argument for each placeholder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use backprop::Order;
use backprop_explain::catalogue::{placeholders, Catalogue};
use backprop_explain::doc::{Block, Inline};
use backprop_explain::expr::Expr;
use backprop_explain::msg::{Arg, Msg};
use backprop_explain::{explain, Lang, Options, Spec};

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lang"))
}

/// Each id of `table` with the set of its placeholders.
fn shape(table: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    table
        .iter()
        .map(|(id, template)| (id.as_str(), placeholders(template).into_iter().collect()))
        .collect()
}

#[test]
fn every_registered_catalogue_is_its_file_and_parses() {
    for &lang in Lang::ALL {
        let path = dir().join(format!("{}.toml", lang.code()));
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = Catalogue::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(&parsed, lang.catalogue(), "{}", path.display());
        assert!(!parsed.language.name.is_empty() && !parsed.language.tag.is_empty());
    }
}

#[test]
fn every_catalogue_file_is_registered() {
    let registered: BTreeSet<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let code = name.strip_suffix(".toml").unwrap_or(&name);
        assert!(
            registered.contains(code),
            "lang/{name} is not registered in src/lang.rs"
        );
    }
}

#[test]
fn every_language_has_the_ids_and_placeholders_of_english() {
    let en = Lang::En.catalogue();
    assert_eq!(
        Lang::ALL[0],
        Lang::En,
        "English comes first: it is the default"
    );
    for &lang in &Lang::ALL[1..] {
        let other = lang.catalogue();
        for (section, ours, theirs) in [
            ("explain", &en.explain, &other.explain),
            ("page", &en.page, &other.page),
        ] {
            let (ours, theirs) = (shape(ours), shape(theirs));
            for (id, names) in &ours {
                match theirs.get(id) {
                    None => panic!("{}: [{section}] lacks `{id}`", lang.code()),
                    Some(t) => assert_eq!(t, names, "{}: [{section}] `{id}`", lang.code()),
                }
            }
            for id in theirs.keys() {
                assert!(
                    ours.contains_key(id),
                    "{}: [{section}] has `{id}`, which English lacks",
                    lang.code()
                );
            }
        }
    }
}

#[test]
fn every_message_of_the_explanation_is_used() {
    let mut source = String::new();
    let mut dirs = vec![Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")).to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                source.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    for id in Lang::En.catalogue().explain.keys() {
        assert!(
            source.contains(&format!("\"{id}\"")),
            "`{id}` is never written"
        );
    }
}

/// Every message in `e`.
fn expr_messages<'a>(e: &'a Expr, out: &mut Vec<&'a Msg>) {
    match e {
        Expr::Msg(m) => msg_messages(m, out),
        other => other
            .parts()
            .into_iter()
            .for_each(|p| expr_messages(p, out)),
    }
}

/// `m` and every message among its arguments.
fn msg_messages<'a>(m: &'a Msg, out: &mut Vec<&'a Msg>) {
    out.push(m);
    let mut args: Vec<&Arg> = m.args.iter().map(|(_, a)| a).collect();
    while let Some(a) = args.pop() {
        match a {
            Arg::Plain(_) => {}
            Arg::Math(e) => expr_messages(e, out),
            Arg::Msg(m) => msg_messages(m, out),
            Arg::Row(row) => args.extend(row),
        }
    }
}

fn spec(json: &str) -> Spec {
    Spec::parse(json, Path::new("case.json")).unwrap()
}

#[test]
fn every_message_written_has_its_template_and_arguments() {
    let example = |name: &str| {
        let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
        Spec::load(Path::new(&path)).unwrap()
    };
    let mut trained = Spec::tutorial();
    trained.train_bias = true;
    let mut batch = Spec::tutorial();
    batch.samples.push(batch.samples[0].clone());
    // ReLU on both sides of its kink and on it; softmax through its Jacobian; softmax
    // with cross-entropy on a batch; and some layers training their bias.
    let relu = spec(
        r#"{"inputs": 1, "layers": [
          {"size": 3, "activation": "relu", "weights": [[1.0], [-1.0], [1.0]], "bias": [0.3, 0.2, -1.0], "train_bias": false},
          {"size": 2, "activation": "softmax", "weights": [[0.5, 0.5, 0.5], [0.1, 0.2, 0.3]], "train_bias": true}],
          "loss": "half_sse", "learning_rate": 0.1, "samples": [{"input": [1.0], "target": [0.5, 0.5]}]}"#,
    );
    let softmax_batch = spec(
        r#"{"inputs": 1, "layers": [
          {"size": 2, "activation": "softmax", "weights": [[0.5], [-0.5]]}],
          "loss": "cross_entropy", "learning_rate": 0.1,
          "samples": [{"input": [1.0], "target": [1, 0]}, {"input": [2.0], "target": [0, 1]}]}"#,
    );
    let specs = [
        Spec::tutorial(),
        trained,
        batch,
        relu,
        softmax_batch,
        example("softmax.toml"),
        example("xor.json"),
    ];
    let mut seen = BTreeSet::new();
    for spec in &specs {
        for order in [Order::Textbook, Order::Published] {
            let options = Options {
                rounds: 20,
                show: 2,
                order: Some(order),
            };
            let ex = explain(spec, options).unwrap();
            let mut messages = Vec::new();
            let blocks = backprop_explain::document(&ex);
            for block in &blocks {
                match block {
                    Block::Title(m) | Block::Heading(m) | Block::Subheading(m) => {
                        msg_messages(m, &mut messages)
                    }
                    Block::Para(items) | Block::Table { header: items, .. } => {
                        for item in items {
                            match item {
                                Inline::Msg(m) => msg_messages(m, &mut messages),
                                Inline::Math(e) => expr_messages(e, &mut messages),
                            }
                        }
                    }
                    Block::Eq(parts) => parts.iter().for_each(|p| expr_messages(p, &mut messages)),
                }
            }
            for m in messages {
                let template = Lang::En
                    .catalogue()
                    .explain
                    .get(m.id)
                    .unwrap_or_else(|| panic!("`{}` is in no catalogue", m.id));
                let wanted: BTreeSet<&str> = placeholders(template).into_iter().collect();
                let given: BTreeSet<&str> = m.args.iter().map(|(name, _)| *name).collect();
                assert_eq!(given, wanted, "the arguments of `{}`", m.id);
                seen.insert(m.id);
            }
        }
    }
    // The document writes these; the page's steps and given values write the rest.
    for id in [
        "kink",
        "condition",
        "backward_softmax_jacobian",
        "biases_some",
    ] {
        assert!(seen.contains(id), "no case writes `{id}`");
    }
}
