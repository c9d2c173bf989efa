//! `embed_migrations!("dir")`: validates a migrations directory at compile time and
//! expands to a `'static` [`EmbeddedMigrations`](migrate_core::EmbeddedMigrations).
//!
//! The validation is migrate-core's (the same parser and graph the runtime uses), and
//! every problem goes into one `compile_error!` spanned on the path literal. Files
//! are embedded with `include_str!`, so editing one rebuilds the crate; a *new* file
//! is noticed through `migrate-build`'s `cargo:rerun-if-changed` on the directory.
//! A second head is an error unless `allow_multiple_heads` is given or
//! `MIGRATE_ALLOW_MULTIPLE_HEADS` is set for this build.

use std::path::{Path, PathBuf};

use migrate_core::revision::{file, source, RevisionGraph};
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
    let files = source::list_sql_files(&absolute).map_err(|e| match e {
        migrate_core::Error::MissingDirectory { .. } => migrate_core::Error::MissingDirectory {
            path: given.clone(),
        }
        .to_string(),
        other => other.to_string(),
    })?;
    let mut texts = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for f in &files {
        // Messages name files as the user wrote the path, not the absolute path.
        let display = display_path(&given, &absolute, &f.path);
        match source::read_source(f) {
            Ok(text) => texts.push((display, text, f.path.clone())),
            Err(e) => problems.push(e.to_string().replace(&f.display_path, &display)),
        }
    }
    match file::parse_many(texts.iter().map(|(p, t, _)| (p.as_str(), t.as_str()))) {
        Ok(revisions) => match RevisionGraph::new(revisions) {
            Ok(graph)
                if !input.allow_multiple_heads && !source::multiple_heads_allowed_by_env() =>
            {
                if let Err(e) = graph.check_single_head() {
                    problems.push(e.to_string());
                }
            }
            Ok(_) => {}
            Err(e) => problems.extend(e.into_problems().iter().map(ToString::to_string)),
        },
        Err(e) => problems.extend(e.into_problems().iter().map(ToString::to_string)),
    }
    if !problems.is_empty() {
        return Err(format!(
            "invalid migrations in `{given}`:\n{}",
            problems.join("\n")
        ));
    }
    let entries = texts.iter().map(|(display, _, path)| {
        let path_text = path.display().to_string();
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

/// `dir/rel` with `dir` as the user wrote it: the same path `load_dir(dir)` shows.
fn display_path(given: &str, absolute: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(absolute).unwrap_or(file);
    PathBuf::from(given).join(relative).display().to_string()
}
