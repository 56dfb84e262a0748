//! Snapshots of the default explanation (the tutorial's network, 10,000 rounds) as
//! terminal text and Markdown, in English, Chinese and Spanish. Every number in them is
//! also checked against the tutorial in `tests/tutorial.rs`; these catch any change to
//! the wording or layout.

use backprop_explain::doc::Block;
use backprop_explain::Spec;
use backprop_explain::{explain, markdown, text, Lang, Options};

fn document() -> Vec<Block> {
    let ex = explain(&Spec::tutorial(), Options::default()).unwrap();
    backprop_explain::document(&ex)
}

#[test]
fn english_text() {
    insta::assert_snapshot!(text::render(&document(), Lang::En, false));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(markdown::render(&document(), Lang::En));
}

#[test]
fn chinese_text() {
    insta::assert_snapshot!(text::render(&document(), Lang::Zh, false));
}

#[test]
fn spanish_text() {
    insta::assert_snapshot!(text::render(&document(), Lang::Es, false));
}

#[test]
fn spanish_markdown() {
    insta::assert_snapshot!(markdown::render(&document(), Lang::Es));
}

#[test]
fn colour_only_when_asked() {
    let doc = document();
    assert!(!text::render(&doc, Lang::En, false).contains('\u{1b}'));
    assert!(text::render(&doc, Lang::En, true).contains("\u{1b}["));
}

/// The tutorial with Adam (`examples/adam.json`), two rounds in full: the optimizer's
/// state and bias corrections in every update.
fn adam_document() -> Vec<Block> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/adam.json");
    let spec = Spec::load(std::path::Path::new(path)).unwrap();
    let options = Options {
        rounds: 100,
        show: 2,
        order: None,
    };
    backprop_explain::document(&explain(&spec, options).unwrap())
}

#[test]
fn adam_english_text() {
    insta::assert_snapshot!(text::render(&adam_document(), Lang::En, false));
}

#[test]
fn adam_chinese_text() {
    insta::assert_snapshot!(text::render(&adam_document(), Lang::Zh, false));
}
