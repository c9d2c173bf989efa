//! SQL text handling shared by every dialect: splitting a script into statements,
//! and spelling an expression canonically.

pub mod expr;
pub mod split;

pub use expr::normalize_default;
pub use split::{split, split_as, Statement, Syntax};
