//! A language's catalogue: every phrase of the explanation and of its page by message
//! id, as templates whose `{name}` placeholders are filled in at the end. The files are
//! in `lang/`, one per language; `lang/en.toml` describes the format.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One language's phrases, as its file gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// How the page names the language.
    pub language: Language,
    /// The explanation's messages (text, Markdown and the page's document) by id.
    pub explain: BTreeMap<String, String>,
    /// The page's own controls and messages by id.
    pub page: BTreeMap<String, String>,
}

/// How the page names a language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// Its name in itself, on the page's button: `Español`.
    pub name: String,
    /// Its BCP 47 tag, the page's `lang` attribute: `zh-CN`.
    pub tag: String,
}

impl Catalogue {
    /// Parses a catalogue file.
    pub fn parse(text: &str) -> Result<Catalogue, toml::de::Error> {
        toml::from_str(text)
    }
}

/// A piece of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Words, as written.
    Words(&'a str),
    /// The placeholder `{name}`: its name, and the placeholder as written.
    Placeholder(&'a str, &'a str),
}

/// The pieces of `template`. A placeholder is `{name}` with a name of `a`–`z` and `_`;
/// any other brace is a word. The page's scripts split templates by the same rule.
pub fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            if open > 0 {
                out.push(Piece::Words(&rest[..open]));
            }
            let end = open + 1 + name_len + 1;
            out.push(Piece::Placeholder(&after[..name_len], &rest[open..end]));
            rest = &rest[end..];
        } else {
            // Not a placeholder: the brace is a word, and the search goes on after it.
            out.push(Piece::Words(&rest[..=open]));
            rest = after;
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Words(rest));
    }
    out
}

/// The names of the placeholders of `template`, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    pieces(template)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Placeholder(name, _) => Some(name),
            Piece::Words(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_lowercase_names_in_braces() {
        assert_eq!(
            pieces("Layer {number} (output)"),
            [
                Piece::Words("Layer "),
                Piece::Placeholder("number", "{number}"),
                Piece::Words(" (output)")
            ]
        );
        assert_eq!(placeholders("{rounds} 轮后的{what}："), ["rounds", "what"]);
        // Braces around anything else are words.
        assert_eq!(placeholders("{A} {} {x y} {"), Vec::<&str>::new());
        let joined: String = pieces("a {} {b")
            .iter()
            .map(|p| match p {
                Piece::Words(w) => *w,
                Piece::Placeholder(_, raw) => raw,
            })
            .collect();
        assert_eq!(joined, "a {} {b");
    }
}
