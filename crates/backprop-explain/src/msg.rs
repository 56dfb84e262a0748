//! A phrase of the explanation in no language yet: a message id of the catalogues with
//! its arguments. The output formats put it in a language at the very end.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::catalogue::{pieces, Piece};
use crate::expr::Expr;
use crate::lang::Lang;

/// A message: its id in the catalogues' `[explain]` tables and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    /// The id.
    pub id: &'static str,
    /// The arguments, by placeholder name.
    pub args: Vec<(&'static str, Arg)>,
}

/// What fills a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// The same in every language: a number, a symbol's name, a setting's value.
    Plain(String),
    /// A formula.
    Math(Expr),
    /// Another message, such as a layer's title inside a sentence.
    Msg(Msg),
    /// Arguments in a row, such as layers with arrows between them.
    Row(Vec<Arg>),
}

/// A run of a message put in a language: words, or a formula among them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Run<'a> {
    /// Words.
    Words(&'a str),
    /// A formula.
    Math(&'a Expr),
}

impl Msg {
    /// Message `id`, without arguments so far.
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    /// The message with `arg` for its placeholder `name`.
    pub fn with(mut self, name: &'static str, arg: impl Into<Arg>) -> Msg {
        self.args.push((name, arg.into()));
        self
    }

    /// The argument for placeholder `name`.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
    }

    /// Hands the message in `lang` to `out` run by run: the template's words, and each
    /// argument's words or formulas where its placeholder stands.
    pub fn walk<'a>(&'a self, lang: Lang, out: &mut dyn FnMut(Run<'a>)) {
        for piece in pieces(template(lang, self.id)) {
            match piece {
                Piece::Words(words) => out(Run::Words(words)),
                Piece::Placeholder(name, raw) => match self.arg(name) {
                    Some(arg) => arg.walk(lang, out),
                    // A test checks that every placeholder gets its argument.
                    None => out(Run::Words(raw)),
                },
            }
        }
    }

    /// The message in `lang` as plain text, its formulas as terminal text.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.walk(lang, &mut |run| match run {
            Run::Words(w) => out.push_str(w),
            Run::Math(e) => out.push_str(&e.text(lang)),
        });
        out
    }

    /// The message in `lang` inside a formula, as LaTeX: its words upright in
    /// `\text{…}`, its formulas as LaTeX between them.
    pub fn latex(&self, lang: Lang) -> String {
        let mut out = String::new();
        let mut words = String::new();
        self.walk(lang, &mut |run| match run {
            Run::Words(w) => words.push_str(w),
            Run::Math(e) => {
                upright(&mut out, &mut words);
                out.push_str(&e.latex(lang));
            }
        });
        upright(&mut out, &mut words);
        out
    }
}

/// Moves the words gathered so far into `out` as `\text{…}`.
fn upright(out: &mut String, words: &mut String) {
    if !words.is_empty() {
        out.push_str("\\text{");
        out.push_str(words);
        out.push('}');
        words.clear();
    }
}

impl Arg {
    fn walk<'a>(&'a self, lang: Lang, out: &mut dyn FnMut(Run<'a>)) {
        match self {
            Arg::Plain(s) => out(Run::Words(s)),
            Arg::Math(e) => out(Run::Math(e)),
            Arg::Msg(m) => m.walk(lang, out),
            Arg::Row(args) => {
                for a in args {
                    a.walk(lang, out);
                }
            }
        }
    }
}

/// The template of message `id` in `lang`; English's where `lang` lacks it, and the id
/// itself where every catalogue does (a test checks that none does).
pub fn template(lang: Lang, id: &'static str) -> &'static str {
    let find = |lang: Lang| lang.catalogue().explain.get(id).map(String::as_str);
    find(lang).or_else(|| find(Lang::default())).unwrap_or(id)
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Plain(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Plain(s.to_string())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Plain(n.to_string())
    }
}

impl From<Expr> for Arg {
    fn from(e: Expr) -> Arg {
        Arg::Math(e)
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Arg {
        Arg::Msg(m)
    }
}

/// For the page: `{"id": …, "args": {name: argument}}`, without `args` when there are
/// none. An argument is a string, a message, `{"math": LaTeX parts}` or a list.
impl Serialize for Msg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", self.id)?;
        if !self.args.is_empty() {
            map.serialize_entry("args", &Args(&self.args))?;
        }
        map.end()
    }
}

struct Args<'a>(&'a [(&'static str, Arg)]);

impl Serialize for Args<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, arg) in self.0 {
            map.serialize_entry(name, arg)?;
        }
        map.end()
    }
}

impl Serialize for Arg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Plain(s) => serializer.serialize_str(s),
            Arg::Msg(m) => m.serialize(serializer),
            Arg::Row(args) => args.serialize(serializer),
            Arg::Math(e) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("math", &e.tex())?;
                map.end()
            }
        }
    }
}
