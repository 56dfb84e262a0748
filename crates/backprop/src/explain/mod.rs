//! The step-by-step explanation: the engine's own values, recorded and rendered.
//!
//! [`run::explain`] runs the engine with a [`trace::Recorder`]; the renderers only look
//! the recorded numbers up and format them.

pub mod run;
pub mod trace;

pub use run::{explain, Explanation, Options};
