//! `#[model]`: parse -> check -> expand, serde_derive style. Every problem is
//! collected with its span; on errors the item is still emitted (with its helper
//! attributes removed), so the user sees only the real mistakes.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;

use proc_macro2::TokenStream;

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(e) => return fallback::with_errors(input, vec![e]),
    };
    let cx = ctxt::Ctxt::new();
    let model = ast::Model::from_item(&cx, args, &item);
    if let Some(model) = &model {
        check::check(&cx, model);
    }
    match (cx.finish(), model) {
        (Ok(()), Some(model)) => expand::expand(&model, &item),
        (Err(errors), _) => fallback::with_errors(fallback::strip_helpers(&item), errors),
        (Ok(()), None) => fallback::strip_helpers(&item),
    }
}
