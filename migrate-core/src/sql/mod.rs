//! SQL text handling shared by every dialect: splitting a script into statements.

pub mod split;

pub use split::{split, Statement};
