//! `#[model]`: parse (`ast`, `attr`, with the keys of `keys`) -> validate
//! (`check`) -> generate (`expand`), serde_derive style. Every problem is collected
//! in a `Ctxt` with its span; on errors `fallback` still emits the item and its
//! trait impls, so the user sees only the real mistakes.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;
mod keys;
mod suggest;

use proc_macro2::TokenStream;

pub fn expand(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: syn::Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        // Not Rust the macro can read: give it back untouched, for rustc to report.
        Err(e) => {
            let error = e.to_compile_error();
            return quote::quote!(#input #error);
        }
    };
    let cx = ctxt::Ctxt::new();
    let model = ast::Model::from_item(&cx, args, &item);
    if let Some(model) = &model {
        check::check(&cx, model);
    }
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::expand(&model, &item),
        (Err(errors), _) => fallback::expand(&item, errors),
        // `from_item` reports why an item cannot be a model; this keeps the
        // item even if a future shape forgets to.
        (Ok(()), None) => fallback::expand(&item, Vec::new()),
    }
}
