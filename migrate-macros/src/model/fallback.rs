//! What is emitted when the input is invalid: the item itself, minus the helper
//! attributes the compiler does not know, plus the errors. Without the item, every
//! use of the type would add a confusing secondary error.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

pub fn with_errors(item: TokenStream, errors: Vec<syn::Error>) -> TokenStream {
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote! { #item #(#errors)* }
}

/// The item with `#[column(...)]` removed from its fields.
pub fn strip_helpers(item: &syn::Item) -> TokenStream {
    let mut item = item.clone();
    if let syn::Item::Struct(s) = &mut item {
        for field in s.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident("column"));
        }
    }
    item.into_token_stream()
}
