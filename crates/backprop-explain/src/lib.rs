//! The step-by-step explanation: the engine's own values, recorded and rendered.
//!
//! [`run::explain`] runs the engine with a [`trace::Recorder`]; [`build::document`]
//! arranges the recorded numbers into a [`doc::Block`] document; the renderers format
//! it as terminal text or Markdown, and the JSON format serializes the explanation.
//! A network to explain is described by a [`Spec`] (JSON or TOML).
#![warn(missing_docs)]

pub mod build;
pub mod doc;
pub mod expr;
pub mod format;
pub mod html;
pub mod keys;
pub mod lang;
pub mod markdown;
pub mod naming;
pub mod page;
pub mod run;
pub mod spec;
pub mod text;
pub mod trace;

pub use format::Format;
pub use lang::Lang;
pub use run::{explain, Explanation, Options};
pub use spec::Spec;
