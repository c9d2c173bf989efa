//! `embed_migrations!("dir")`: validates a migrations directory at compile time and
//! expands to a `'static` [`EmbeddedMigrations`](migrate_core::EmbeddedMigrations).
//!
//! The validation is migrate-core's (the same parser and graph the runtime uses), and
//! every problem goes into one `compile_error!` spanned on the path literal. Files
//! are embedded with `include_str!`, so editing one rebuilds the crate; a *new* file
//! is noticed through `migrate-build`'s `cargo:rerun-if-changed` on the directory.
//! A second head is an error unless `allow_multiple_heads` is given or
//! `MIGRATE_ALLOW_MULTIPLE_HEADS` is set for this build.

use std::path::Path;

use migrate_core::revision::source::{self, Heads};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

/// `"dir"` or `"dir", allow_multiple_heads`.
struct Input {
    dir: LitStr,
    allow_multiple_heads: bool,
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let dir: LitStr = input.parse().map_err(|e| {
            syn::Error::new(e.span(), "expected the migrations directory as a string literal, e.g. embed_migrations!(\"migrations\")")
        })?;
        let mut allow_multiple_heads = false;
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let option: Ident = input.parse()?;
            if option != "allow_multiple_heads" {
                return Err(syn::Error::new(
                    option.span(),
                    format!("unknown option `{option}`; the only option is `allow_multiple_heads`"),
                ));
            }
            allow_multiple_heads = true;
            input.parse::<Option<Token![,]>>()?;
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens; expected embed_migrations!(\"dir\") or embed_migrations!(\"dir\", allow_multiple_heads)"));
        }
        Ok(Input {
            dir,
            allow_multiple_heads,
        })
    }
}

/// Makes cargo recompile the crate, and so expand this macro again, when
/// `MIGRATE_ALLOW_MULTIPLE_HEADS` changes: rustc records the variables that
/// `option_env!` reads, while a proc macro's own reads go unnoticed.
fn track_env() -> TokenStream {
    let var = source::ALLOW_MULTIPLE_HEADS_VAR;
    quote! {
        const _: ::core::option::Option<&str> = ::core::option_env!(#var);
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<Input>(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    match embed(&input) {
        Ok(tokens) => tokens,
        Err(message) => {
            let error = syn::Error::new(input.dir.span(), message).to_compile_error();
            let track = track_env();
            // Still produce a value of the right type, so the only error is ours.
            quote! {{
                #error
                #track
                ::migrate::__private::EmbeddedMigrations { source_dir: "", files: &[] }
            }}
        }
    }
}

fn embed(input: &Input) -> Result<TokenStream, String> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| {
        "CARGO_MANIFEST_DIR is not set; embed_migrations! must be expanded by cargo".to_string()
    })?;
    let given = input.dir.value();
    let absolute = Path::new(&manifest_dir).join(&given);
    // Messages name files as the user wrote the path, not the absolute path.
    let files =
        source::list_sql_files_as(&absolute, Path::new(&given)).map_err(|e| e.to_string())?;
    let heads = if input.allow_multiple_heads {
        Heads::Any
    } else {
        Heads::One
    };
    // A proc macro cannot warn on stable Rust, so a tolerated head goes unsaid.
    let checked = source::validate(&files, heads).map_err(|e| {
        let problems: Vec<String> = e.into_problems().iter().map(ToString::to_string).collect();
        format!("invalid migrations in `{given}`:\n{}", problems.join("\n"))
    })?;
    let entries = checked.files.iter().map(|(file, _)| {
        let display = &file.display_path;
        let path_text = file.path.display().to_string();
        let include = LitStr::new(&path_text, Span::call_site());
        quote! {
            ::migrate::__private::EmbeddedFile { path: #display, contents: ::core::include_str!(#include) }
        }
    });
    let source_dir = absolute.display().to_string();
    let track = track_env();
    Ok(quote! {{
        #track
        ::migrate::__private::EmbeddedMigrations {
            source_dir: #source_dir,
            files: &[#(#entries),*],
        }
    }})
}
