//! Procedural macros for `migrate`. Entry points only: the logic lives in
//! `migrate-core` (parsing, validation) and in one module per macro here.

#![warn(missing_docs)]

use proc_macro::TokenStream;

mod embed;
mod model;

/// Embeds a migrations directory (relative to the calling crate's
/// `CARGO_MANIFEST_DIR`) and validates it at compile time.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    embed::expand(input.into()).into()
}

/// Registers a struct as a table (or a data-less enum as an enum type) in
/// `migrate::metadata()`. See the `migrate` crate documentation for the options.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    model::expand(args.into(), input.into()).into()
}
