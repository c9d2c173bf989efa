//! `embed_migrations!`: implementation in progress.

use proc_macro2::TokenStream;

pub fn expand(_input: TokenStream) -> TokenStream {
    quote::quote!(compile_error!("embed_migrations! is not implemented yet"))
}
