//! What is emitted when the input is invalid (thiserror's `fallback`): the item
//! itself, minus the helper attributes the compiler does not know, the trait impls
//! a valid model would have had, and the errors. Without the item, or without its
//! impls, every use of the type would add a second, misleading error: a table
//! using a broken `#[model]` enum would be told the enum "is not a column type".
//!
//! A table (a struct) implements no trait, only registers itself, so the struct
//! alone is all its users need; the registration is left out, as a broken model
//! must never describe a table.

use proc_macro2::TokenStream;
use quote::quote;

use super::expand::{item_without_helpers, sql_type_impl};

pub fn expand(item: &syn::Item, errors: Vec<syn::Error>) -> TokenStream {
    let stripped = item_without_helpers(item);
    let impls = match item {
        // Never called: the crate does not compile while the errors stand.
        syn::Item::Enum(e) => sql_type_impl(e, quote!(::core::unreachable!())),
        _ => TokenStream::new(),
    };
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote! {
        #stripped
        #impls
        #(#errors)*
    }
}
