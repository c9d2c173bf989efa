//! The options of `#[model(...)]` and `#[column(...)]`, parsed from attributes.
//! Unknown keys suggest the nearest known one; values of the wrong kind say what
//! was expected. Parsing goes on after an error, to report the next one too.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitInt, LitStr};

use super::ctxt::Ctxt;

pub const TABLE_KEYS: &[&str] = &["table", "schema", "primary_key", "index", "unique", "check"];
pub const ENUM_KEYS: &[&str] = &["name"];
pub const COLUMN_KEYS: &[&str] = &[
    "name",
    "primary_key",
    "unique",
    "index",
    "default",
    "sql_type",
    "max_length",
    "references",
    "on_delete",
    "on_update",
    "check",
    "skip",
];

#[derive(Default)]
pub struct TableAttrs {
    pub table: Option<LitStr>,
    pub schema: Option<LitStr>,
    pub name: Option<LitStr>,
    pub primary_key: Option<(Span, Vec<Ident>)>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<IndexAttr>,
    pub checks: Vec<CheckAttr>,
}

pub struct IndexAttr {
    pub name: Option<LitStr>,
    pub columns: Vec<Ident>,
    pub unique: bool,
}

pub struct CheckAttr {
    pub name: Option<LitStr>,
    pub expr: LitStr,
}

#[derive(Default)]
pub struct ColumnAttrs {
    pub name: Option<LitStr>,
    pub primary_key: Option<Span>,
    pub unique: Option<Span>,
    pub index: Option<Span>,
    pub default: Option<LitStr>,
    pub sql_type: Option<LitStr>,
    pub max_length: Option<LitInt>,
    pub references: Option<LitStr>,
    pub on_delete: Option<LitStr>,
    pub on_update: Option<LitStr>,
    pub check: Option<LitStr>,
    pub skip: Option<Span>,
    /// Every option given, for `skip`'s conflict check.
    pub given: Vec<(String, Span)>,
}

/// The nearest known key, when the unknown one looks like a typo of it.
fn suggestion(key: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .filter(|(d, k)| *d <= 1 + k.len() / 3)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Reports an unknown key and skips its value, so parsing can go on.
fn unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, known: &[&str], what: &str) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_else(|| "?".to_string());
    cx.error_spanned_by(
        &meta.path,
        format!(
            "unknown {what} option `{key}`{}; the options are {}",
            suggestion(&key, known),
            known.join(", ")
        ),
    );
    skip_value(meta)
}

fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _group: proc_macro2::Group = meta.input.parse()?;
    }
    Ok(())
}

/// `key = "string"`, reporting another kind of value.
fn string(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<LitStr>> {
    let value = meta.value()?;
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(Some(s)),
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{key}` takes a string literal, e.g. {key} = \"...\""),
            );
            Ok(None)
        }
    }
}

/// `key = 123`.
fn integer(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<LitInt>> {
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => Ok(Some(i)),
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{key}` takes an integer, e.g. {key} = 255"),
            );
            Ok(None)
        }
    }
}

/// A bare flag: `unique`, not `unique = ...`.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Option<Span>> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` is a flag and takes no value; write just `{key}`"),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    Ok(Some(
        meta.path
            .get_ident()
            .map_or_else(Span::call_site, Ident::span),
    ))
}

/// `columns(a, b)`.
fn idents(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<Ident>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Ident::parse_any_ident, syn::Token![,])?;
    Ok(list.into_iter().collect())
}

trait ParseAnyIdent {
    fn parse_any_ident(input: syn::parse::ParseStream<'_>) -> syn::Result<Ident>;
}

impl ParseAnyIdent for Ident {
    fn parse_any_ident(input: syn::parse::ParseStream<'_>) -> syn::Result<Ident> {
        use syn::ext::IdentExt;
        Ident::parse_any(input)
    }
}

/// `#[model(...)]` on a struct (`is_enum` false) or an enum.
pub fn table_attrs(cx: &Ctxt, args: proc_macro2::TokenStream, is_enum: bool) -> TableAttrs {
    let mut attrs = TableAttrs::default();
    let known = if is_enum { ENUM_KEYS } else { TABLE_KEYS };
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "name" if is_enum => attrs.name = string(cx, &meta, "name")?,
            "table" if !is_enum => attrs.table = string(cx, &meta, "table")?,
            "schema" if !is_enum => attrs.schema = string(cx, &meta, "schema")?,
            "primary_key" if !is_enum => {
                let span = meta
                    .path
                    .get_ident()
                    .map_or_else(Span::call_site, Ident::span);
                attrs.primary_key = Some((span, idents(&meta)?));
            }
            "index" | "unique" if !is_enum => {
                let mut index = IndexAttr {
                    name: None,
                    columns: Vec::new(),
                    unique: key == "unique",
                };
                meta.parse_nested_meta(|inner| {
                    let inner_key = inner
                        .path
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    match inner_key.as_str() {
                        "name" => index.name = string(cx, &inner, "name")?,
                        "columns" => index.columns = idents(&inner)?,
                        "unique" if key == "index" => {
                            index.unique = flag(cx, &inner, "unique")?.is_some()
                        }
                        _ => unknown(
                            cx,
                            &inner,
                            if key == "index" {
                                &["name", "columns", "unique"]
                            } else {
                                &["name", "columns"]
                            },
                            &key,
                        )?,
                    }
                    Ok(())
                })?;
                if index.columns.is_empty() {
                    cx.error_spanned_by(&meta.path, format!("`{key}(...)` needs `columns(a, b)`"));
                }
                if key == "index" {
                    attrs.indexes.push(index);
                } else {
                    attrs.uniques.push(index);
                }
            }
            "check" if !is_enum => {
                let mut name = None;
                let mut expr = None;
                meta.parse_nested_meta(|inner| {
                    let inner_key = inner
                        .path
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    match inner_key.as_str() {
                        "name" => name = string(cx, &inner, "name")?,
                        "expr" => expr = string(cx, &inner, "expr")?,
                        _ => unknown(cx, &inner, &["name", "expr"], "check")?,
                    }
                    Ok(())
                })?;
                match expr {
                    Some(expr) => attrs.checks.push(CheckAttr { name, expr }),
                    None => cx.error_spanned_by(&meta.path, "`check(...)` needs `expr = \"...\"`"),
                }
            }
            _ => unknown(cx, &meta, known, "#[model]")?,
        }
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, args) {
        cx.syn_error(e);
    }
    attrs
}

/// Every `#[column(...)]` on a field.
pub fn column_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> ColumnAttrs {
    let mut out = ColumnAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let span = meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, Ident::span);
            match key.as_str() {
                "name" => out.name = string(cx, &meta, "name")?,
                "primary_key" => out.primary_key = flag(cx, &meta, "primary_key")?,
                "unique" => out.unique = flag(cx, &meta, "unique")?,
                "index" => out.index = flag(cx, &meta, "index")?,
                "skip" => out.skip = flag(cx, &meta, "skip")?,
                "default" => out.default = string(cx, &meta, "default")?,
                "sql_type" => out.sql_type = string(cx, &meta, "sql_type")?,
                "max_length" => out.max_length = integer(cx, &meta, "max_length")?,
                "references" => out.references = string(cx, &meta, "references")?,
                "on_delete" => out.on_delete = string(cx, &meta, "on_delete")?,
                "on_update" => out.on_update = string(cx, &meta, "on_update")?,
                "check" => out.check = string(cx, &meta, "check")?,
                _ => return unknown(cx, &meta, COLUMN_KEYS, "#[column]"),
            }
            out.given.push((key, span));
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}
