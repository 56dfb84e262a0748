//! Snapshots of the default explanation (the tutorial's network, 10,000 rounds) as
//! terminal text, Markdown and Chinese. Every number in them is also checked against
//! the tutorial in `tests/tutorial.rs`; these catch any change to the wording or layout.

use backprop_explain::Spec;
use backprop_explain::{build, explain, markdown, text, Lang, Options};

fn document(lang: Lang) -> Vec<backprop_explain::doc::Block> {
    let ex = explain(&Spec::tutorial(), Options::default()).unwrap();
    build::document(&ex, lang)
}

#[test]
fn english_text() {
    insta::assert_snapshot!(text::render(&document(Lang::En), false));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(markdown::render(&document(Lang::En)));
}

#[test]
fn chinese_text() {
    insta::assert_snapshot!(text::render(&document(Lang::Zh), false));
}

#[test]
fn colour_only_when_asked() {
    let doc = document(Lang::En);
    assert!(!text::render(&doc, false).contains('\u{1b}'));
    assert!(text::render(&doc, true).contains("\u{1b}["));
}
