//! The step-by-step explanation: the engine's own values, recorded and rendered.
//!
//! [`run::explain`] runs the engine with a [`trace::Recorder`]; [`build::document`]
//! arranges the recorded numbers into a [`doc::Block`] document, whose prose is
//! [`msg::Msg`] ids of the catalogues with their arguments; the renderers put it in a
//! [`Lang`] as terminal text or Markdown, the page's scripts as HTML, and the JSON
//! format serializes the explanation. Each language is one catalogue, `lang/<code>.toml`
//! (see [`catalogue`]), registered in [`lang`].
//! A network to explain is described by a [`Spec`] (JSON or TOML).
#![warn(missing_docs)]

mod build;
mod bundle;
pub mod catalogue;
pub mod check;
pub mod doc;
pub mod exercise;
pub mod expr;
pub mod format;
pub mod html;
pub(crate) mod keys;
pub mod lang;
pub mod markdown;
pub mod msg;
pub(crate) mod naming;
mod observed;
pub mod optimizer;
pub mod page;
pub mod run;
pub mod spec;
pub mod tex;
pub mod text;
pub mod trace;

pub use build::{document, keyed_document, stream_document};
pub use format::Format;
pub use lang::Lang;
pub use run::{explain, Explanation, Options};
pub use spec::Spec;
