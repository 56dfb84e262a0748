//! How the backprop crates touch files and memory: input read with a size bound
//! ([`input`]), outputs written atomically and only where they may be ([`atomic`]), and
//! memory checked before a large allocation ([`memory`]). Errors are the engine's
//! [`backprop::Error`], so that every crate reports them alike.
#![warn(missing_docs)]

pub mod atomic;
pub mod input;
pub mod memory;
