//! The options of `#[model(...)]` and `#[column(...)]`, parsed from attributes
//! into plain values. Keys come from `keys`; an unknown key suggests the nearest
//! known one, a repeated key is an error, a value of the wrong kind says what was
//! expected. Parsing goes on after an error, to report the next one too. Rules that
//! involve more than one option are `check`'s.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Ident, LitStr};

use super::ctxt::Ctxt;
use super::keys::{
    CheckKey, ColumnKey, EnumKey, ExcludeKey, ForeignKeyKey, IndexKey, Keys, SequenceKey, TableKey,
    UniqueKey, VariantKey,
};
use super::suggest::did_you_mean;

/// `#[model(...)]`, on a struct or an enum.
#[derive(Default)]
pub struct TableAttrs {
    pub table: Option<LitStr>,
    pub schema: Option<LitStr>,
    /// An enum type's name.
    pub name: Option<LitStr>,
    pub primary_key: Option<ColumnList>,
    pub indexes: Vec<IndexAttr>,
    pub uniques: Vec<IndexAttr>,
    pub checks: Vec<CheckAttr>,
    pub foreign_keys: Vec<ForeignKeyAttr>,
    pub exclusions: Vec<ExcludeAttr>,
}

/// `foreign_key(name = "...", columns(a, b), references = "table(a, b)", ...)`.
pub struct ForeignKeyAttr {
    pub name: Option<LitStr>,
    pub columns: Option<ColumnList>,
    pub references: LitStr,
    pub on_delete: Option<LitStr>,
    pub on_update: Option<LitStr>,
    pub match_full: bool,
    pub deferrable: bool,
    pub initially_deferred: bool,
    pub not_valid: bool,
}

/// `exclude(name = "...", using = "gist (a WITH =, b WITH &&)", ...)`.
pub struct ExcludeAttr {
    pub name: LitStr,
    pub using: LitStr,
    pub deferrable: bool,
    pub initially_deferred: bool,
}

/// `columns(a, b)` or `primary_key(a, b)`: field names, spanned on the key.
pub struct ColumnList {
    pub span: Span,
    pub fields: Vec<Ident>,
}

/// `index(...)` or `unique(...)` (`unique` true).
pub struct IndexAttr {
    pub span: Span,
    pub name: Option<LitStr>,
    pub columns: Option<ColumnList>,
    pub unique: bool,
    /// `keys = "lower(email) DESC, name gin_trgm_ops"`, in place of `columns`.
    pub keys: Option<LitStr>,
    pub method: Option<LitStr>,
    pub include: Option<ColumnList>,
    pub nulls_not_distinct: bool,
    pub predicate: Option<LitStr>,
    /// `unique(..., deferrable)`: `DEFERRABLE`.
    pub deferrable: bool,
    /// `unique(..., deferrable, initially_deferred)`: `INITIALLY DEFERRED`.
    pub initially_deferred: bool,
}

/// `sequence(name = "...", start = 1, ...)`.
#[derive(Default)]
pub struct SequenceAttr {
    pub name: Option<LitStr>,
    pub start: Option<i64>,
    pub increment: Option<i64>,
    pub min_value: Option<i64>,
    pub max_value: Option<i64>,
    pub cache: Option<i64>,
    pub cycle: bool,
}

pub struct CheckAttr {
    pub name: Option<LitStr>,
    pub expr: LitStr,
    /// `not_valid`: `NOT VALID`, existing rows not checked.
    pub not_valid: bool,
}

/// Every `#[column(...)]` of one field.
#[derive(Default)]
pub struct ColumnAttrs {
    pub name: Option<LitStr>,
    pub primary_key: Option<Span>,
    pub unique: Option<Span>,
    pub index: Option<Span>,
    pub default: Option<LitStr>,
    pub sql_type: Option<LitStr>,
    pub max_length: Option<(Span, u32)>,
    pub references: Option<LitStr>,
    pub on_delete: Option<LitStr>,
    pub on_update: Option<LitStr>,
    pub check: Option<LitStr>,
    pub skip: Option<Span>,
    pub serial: Option<Span>,
    /// `identity = "always"` (`true`) or `"by default"`.
    pub identity: Option<(Span, bool)>,
    pub sequence: Option<(Span, SequenceAttr)>,
    pub generated: Option<LitStr>,
    pub collation: Option<LitStr>,
    /// Every option given, with where, for `skip`'s conflict check.
    pub given: Vec<(ColumnKey, Span)>,
}

/// `#[model(...)]` on a struct.
pub fn table_attrs(cx: &Ctxt, args: TokenStream) -> TableAttrs {
    let mut attrs = TableAttrs::default();
    let mut seen = Vec::new();
    let parser = syn::meta::parser(|meta| {
        let Some(key) = accept::<TableKey>(cx, &mut seen, &meta)? else {
            return Ok(());
        };
        match key {
            TableKey::Table => attrs.table = string(cx, &meta, key)?,
            TableKey::Schema => attrs.schema = string(cx, &meta, key)?,
            TableKey::PrimaryKey => attrs.primary_key = Some(column_list(&meta)?),
            TableKey::Index => attrs.indexes.push(index(cx, &meta, false)?),
            TableKey::Unique => attrs.uniques.push(index(cx, &meta, true)?),
            TableKey::Check => {
                if let Some(check) = check(cx, &meta)? {
                    attrs.checks.push(check);
                }
            }
            TableKey::ForeignKey => {
                if let Some(fk) = foreign_key(cx, &meta)? {
                    attrs.foreign_keys.push(fk);
                }
            }
            TableKey::Exclude => {
                if let Some(exclusion) = exclude(cx, &meta)? {
                    attrs.exclusions.push(exclusion);
                }
            }
        }
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, args) {
        cx.syn_error(e);
    }
    attrs
}

/// `#[model(...)]` on an enum.
pub fn enum_attrs(cx: &Ctxt, args: TokenStream) -> TableAttrs {
    let mut attrs = TableAttrs::default();
    let mut seen = Vec::new();
    let parser = syn::meta::parser(|meta| {
        match accept::<EnumKey>(cx, &mut seen, &meta)? {
            Some(key @ EnumKey::Name) => attrs.name = string(cx, &meta, key)?,
            None => {}
        }
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, args) {
        cx.syn_error(e);
    }
    attrs
}

/// Every `#[model(...)]` on a variant of a `#[model]` enum: its SQL value, when
/// the variant's name in snake_case cannot spell it (`'top day'`, `'it''s'`). A
/// key is given once per variant, over all of its `#[model]` attributes.
pub fn variant_value(cx: &Ctxt, attrs: &[syn::Attribute]) -> Option<LitStr> {
    let mut value = None;
    let mut seen = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("model")) {
        let result = attr.parse_nested_meta(|meta| {
            match accept::<VariantKey>(cx, &mut seen, &meta)? {
                Some(key @ VariantKey::Value) => value = string(cx, &meta, key)?,
                None => {}
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    value
}

/// Every `#[column(...)]` on a field. A key is given once per field, over all of
/// its `#[column]` attributes.
pub fn column_attrs(cx: &Ctxt, attrs: &[syn::Attribute]) -> ColumnAttrs {
    let mut out = ColumnAttrs::default();
    let mut seen = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = accept::<ColumnKey>(cx, &mut seen, &meta)? else {
                return Ok(());
            };
            out.given.push((key, key_span(&meta)));
            match key {
                ColumnKey::Name => out.name = string(cx, &meta, key)?,
                ColumnKey::PrimaryKey => out.primary_key = flag(cx, &meta, key)?,
                ColumnKey::Unique => out.unique = flag(cx, &meta, key)?,
                ColumnKey::Index => out.index = flag(cx, &meta, key)?,
                ColumnKey::Skip => out.skip = flag(cx, &meta, key)?,
                ColumnKey::Default => out.default = string(cx, &meta, key)?,
                ColumnKey::SqlType => out.sql_type = string(cx, &meta, key)?,
                ColumnKey::MaxLength => out.max_length = length(cx, &meta, key)?,
                ColumnKey::References => out.references = string(cx, &meta, key)?,
                ColumnKey::OnDelete => out.on_delete = string(cx, &meta, key)?,
                ColumnKey::OnUpdate => out.on_update = string(cx, &meta, key)?,
                ColumnKey::Check => out.check = string(cx, &meta, key)?,
                ColumnKey::Serial => out.serial = flag(cx, &meta, key)?,
                ColumnKey::Identity => out.identity = identity(cx, &meta, key)?,
                ColumnKey::Sequence => out.sequence = Some((key_span(&meta), sequence(cx, &meta)?)),
                ColumnKey::Generated => out.generated = string(cx, &meta, key)?,
                ColumnKey::Collation => out.collation = string(cx, &meta, key)?,
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// `index(name = "...", columns(a, b), unique)` or `unique(name = "...", columns(a, b))`.
fn index(cx: &Ctxt, meta: &ParseNestedMeta<'_>, unique: bool) -> syn::Result<IndexAttr> {
    let mut index = IndexAttr {
        span: key_span(meta),
        name: None,
        columns: None,
        unique,
        keys: None,
        method: None,
        include: None,
        nulls_not_distinct: false,
        predicate: None,
        deferrable: false,
        initially_deferred: false,
    };
    if unique {
        let mut seen = Vec::new();
        nested(meta, |inner| {
            match accept::<UniqueKey>(cx, &mut seen, &inner)? {
                Some(key @ UniqueKey::Name) => index.name = string(cx, &inner, key)?,
                Some(UniqueKey::Columns) => index.columns = Some(column_list(&inner)?),
                Some(UniqueKey::Include) => index.include = Some(column_list(&inner)?),
                Some(key @ UniqueKey::NullsNotDistinct) => {
                    index.nulls_not_distinct = flag(cx, &inner, key)?.is_some();
                }
                Some(key @ UniqueKey::Deferrable) => {
                    index.deferrable = flag(cx, &inner, key)?.is_some();
                }
                Some(key @ UniqueKey::InitiallyDeferred) => {
                    index.initially_deferred = flag(cx, &inner, key)?.is_some();
                }
                None => {}
            }
            Ok(())
        })?;
        require_deferrable(cx, meta, index.deferrable, index.initially_deferred);
    } else {
        let mut seen = Vec::new();
        nested(meta, |inner| {
            match accept::<IndexKey>(cx, &mut seen, &inner)? {
                Some(key @ IndexKey::Name) => index.name = string(cx, &inner, key)?,
                Some(IndexKey::Columns) => index.columns = Some(column_list(&inner)?),
                Some(key @ IndexKey::Unique) => {
                    index.unique = flag(cx, &inner, key)?.is_some();
                }
                Some(key @ IndexKey::Keys) => index.keys = string(cx, &inner, key)?,
                Some(key @ IndexKey::Method) => index.method = string(cx, &inner, key)?,
                Some(IndexKey::Include) => index.include = Some(column_list(&inner)?),
                Some(key @ IndexKey::NullsNotDistinct) => {
                    index.nulls_not_distinct = flag(cx, &inner, key)?.is_some();
                }
                Some(key @ IndexKey::Where) => index.predicate = string(cx, &inner, key)?,
                None => {}
            }
            Ok(())
        })?;
    }
    let has_keys = index
        .keys
        .as_ref()
        .is_some_and(|k| !k.value().trim().is_empty());
    if has_keys && index.columns.is_some() {
        cx.error_at(
            index.span,
            "`index(...)` takes `columns(a, b)` or `keys = \"...\"`, not both",
        );
    } else if has_keys && index.name.is_none() {
        // A name made from expressions would be unreadable and unstable.
        cx.error_at(index.span, "`index(keys = \"...\")` needs `name = \"...\"`");
    } else if !has_keys && index.columns.as_ref().is_none_or(|c| c.fields.is_empty()) {
        // An index is over some columns: without them there is nothing to create.
        let or_keys = if unique { "" } else { " or `keys = \"...\"`" };
        cx.error_at(
            index.span,
            format!("`{}(...)` needs `columns(a, b)`{or_keys}", key_name(meta)),
        );
    }
    Ok(index)
}

/// `identity = "always"` or `identity = "by default"`: PostgreSQL's two kinds.
fn identity(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: impl Keys,
) -> syn::Result<Option<(Span, bool)>> {
    let Some(text) = string(cx, meta, key)? else {
        return Ok(None);
    };
    match text.value().to_ascii_lowercase().as_str() {
        "always" => Ok(Some((text.span(), true))),
        "by default" | "by_default" => Ok(Some((text.span(), false))),
        other => {
            cx.error_spanned_by(
                &text,
                format!("unknown identity `{other}`: write identity = \"always\" or identity = \"by default\""),
            );
            Ok(None)
        }
    }
}

/// `sequence(name = "...", start = 1, increment = 1, min_value = 1,
/// max_value = 100, cache = 1, cycle)`.
fn sequence(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<SequenceAttr> {
    let mut out = SequenceAttr::default();
    let mut seen = Vec::new();
    nested(meta, |inner| {
        let Some(key) = accept::<SequenceKey>(cx, &mut seen, &inner)? else {
            return Ok(());
        };
        match key {
            SequenceKey::Name => out.name = string(cx, &inner, key)?,
            SequenceKey::Start => out.start = integer(cx, &inner, key)?,
            SequenceKey::Increment => out.increment = integer(cx, &inner, key)?,
            SequenceKey::MinValue => out.min_value = integer(cx, &inner, key)?,
            SequenceKey::MaxValue => out.max_value = integer(cx, &inner, key)?,
            SequenceKey::Cache => out.cache = integer(cx, &inner, key)?,
            SequenceKey::Cycle => out.cycle = flag(cx, &inner, key)?.is_some(),
        }
        Ok(())
    })?;
    Ok(out)
}

/// `key = -5`: an integer that fits a sequence's `bigint`.
fn integer(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: impl Keys) -> syn::Result<Option<i64>> {
    let key = key.as_str();
    let expr = meta.value()?.parse::<syn::Expr>()?;
    let (negative, literal) = match &expr {
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr: inner,
            ..
        }) => (true, &**inner),
        other => (false, other),
    };
    let value = match literal {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i
            .base10_digits()
            .parse::<i128>()
            .ok()
            .map(|n| if negative { -n } else { n })
            .and_then(|n| i64::try_from(n).ok()),
        _ => None,
    };
    if value.is_none() {
        cx.error_spanned_by(
            &expr,
            format!("`{key}` takes an integer that fits a bigint, e.g. {key} = 100"),
        );
    }
    Ok(value)
}

/// `check(name = "...", expr = "...")`; `None` (reported) without `expr`.
fn check(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<CheckAttr>> {
    let mut name = None;
    let mut expr = None;
    let mut not_valid = false;
    let mut seen = Vec::new();
    nested(meta, |inner| {
        match accept::<CheckKey>(cx, &mut seen, &inner)? {
            Some(key @ CheckKey::Name) => name = string(cx, &inner, key)?,
            Some(key @ CheckKey::Expr) => expr = string(cx, &inner, key)?,
            Some(key @ CheckKey::NotValid) => not_valid = flag(cx, &inner, key)?.is_some(),
            None => {}
        }
        Ok(())
    })?;
    // A check is its expression: without one there is nothing to enforce.
    if expr.is_none() && !seen.contains(&CheckKey::Expr) {
        cx.error_spanned_by(&meta.path, "`check(...)` needs `expr = \"...\"`");
    }
    Ok(expr.map(|expr| CheckAttr {
        name,
        expr,
        not_valid,
    }))
}

/// `deferrable` and `initially_deferred`, reported when the second comes alone.
/// Spelled out rather than implied: a reader of `initially_deferred` alone could
/// not tell whether `SET CONSTRAINTS ... IMMEDIATE` is allowed.
fn require_deferrable(cx: &Ctxt, meta: &ParseNestedMeta<'_>, deferrable: bool, deferred: bool) {
    if deferred && !deferrable {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "`{}(..., initially_deferred)` needs `deferrable` too",
                key_name(meta)
            ),
        );
    }
}

/// `foreign_key(name = "...", columns(a, b), references = "table(a, b)",
/// on_delete = "...", on_update = "...", match_full, deferrable,
/// initially_deferred, not_valid)`; `None` (reported) without `references`.
fn foreign_key(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<ForeignKeyAttr>> {
    let mut name = None;
    let mut columns = None;
    let mut references = None;
    let (mut on_delete, mut on_update) = (None, None);
    let (mut match_full, mut deferrable, mut initially_deferred, mut not_valid) =
        (false, false, false, false);
    let mut seen = Vec::new();
    nested(meta, |inner| {
        let Some(key) = accept::<ForeignKeyKey>(cx, &mut seen, &inner)? else {
            return Ok(());
        };
        match key {
            ForeignKeyKey::Name => name = string(cx, &inner, key)?,
            ForeignKeyKey::Columns => columns = Some(column_list(&inner)?),
            ForeignKeyKey::References => references = string(cx, &inner, key)?,
            ForeignKeyKey::OnDelete => on_delete = string(cx, &inner, key)?,
            ForeignKeyKey::OnUpdate => on_update = string(cx, &inner, key)?,
            ForeignKeyKey::MatchFull => match_full = flag(cx, &inner, key)?.is_some(),
            ForeignKeyKey::Deferrable => deferrable = flag(cx, &inner, key)?.is_some(),
            ForeignKeyKey::InitiallyDeferred => {
                initially_deferred = flag(cx, &inner, key)?.is_some();
            }
            ForeignKeyKey::NotValid => not_valid = flag(cx, &inner, key)?.is_some(),
        }
        Ok(())
    })?;
    require_deferrable(cx, meta, deferrable, initially_deferred);
    if columns
        .as_ref()
        .is_none_or(|c: &ColumnList| c.fields.is_empty())
    {
        cx.error_spanned_by(&meta.path, "`foreign_key(...)` needs `columns(a, b)`");
    }
    if references.is_none() && !seen.contains(&ForeignKeyKey::References) {
        cx.error_spanned_by(
            &meta.path,
            "`foreign_key(...)` needs `references = \"table(a, b)\"`",
        );
    }
    Ok(references.map(|references| ForeignKeyAttr {
        name,
        columns,
        references,
        on_delete,
        on_update,
        match_full,
        deferrable,
        initially_deferred,
        not_valid,
    }))
}

/// `exclude(name = "...", using = "gist (a WITH =, b WITH &&)", deferrable,
/// initially_deferred)`; `None` (reported) without `name` or `using`.
fn exclude(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<ExcludeAttr>> {
    let (mut name, mut using) = (None, None);
    let (mut deferrable, mut initially_deferred) = (false, false);
    let mut seen = Vec::new();
    nested(meta, |inner| {
        let Some(key) = accept::<ExcludeKey>(cx, &mut seen, &inner)? else {
            return Ok(());
        };
        match key {
            ExcludeKey::Name => name = string(cx, &inner, key)?,
            ExcludeKey::Using => using = string(cx, &inner, key)?,
            ExcludeKey::Deferrable => deferrable = flag(cx, &inner, key)?.is_some(),
            ExcludeKey::InitiallyDeferred => {
                initially_deferred = flag(cx, &inner, key)?.is_some();
            }
        }
        Ok(())
    })?;
    require_deferrable(cx, meta, deferrable, initially_deferred);
    // A name made from an operator list would be unreadable and unstable.
    if name.is_none() && !seen.contains(&ExcludeKey::Name) {
        cx.error_spanned_by(&meta.path, "`exclude(...)` needs `name = \"...\"`");
    }
    if using.is_none() && !seen.contains(&ExcludeKey::Using) {
        cx.error_spanned_by(
            &meta.path,
            "`exclude(...)` needs `using = \"gist (a WITH =, b WITH &&)\"`",
        );
    }
    Ok(name.zip(using).map(|(name, using)| ExcludeAttr {
        name,
        using,
        deferrable,
        initially_deferred,
    }))
}

/// Resolves one item's key. An unknown key, or a repeat of a key that does not
/// repeat, is reported and its value skipped (`None`), so parsing goes on.
///
/// A repeat is an error rather than "the last one wins" (serde_derive's rule):
/// `default = "1", default = "2"` has no meaning the reader could guess, and a
/// silent overwrite hides the mistake until the database disagrees.
fn accept<K: Keys>(
    cx: &Ctxt,
    seen: &mut Vec<K>,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<Option<K>> {
    let name = key_name(meta);
    let Some(key) = K::from_name(&name) else {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "unknown {} option `{name}`{}; the options are {}",
                K::WHAT,
                did_you_mean(&name, K::ALL.iter().map(|k| k.as_str())),
                K::list()
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    };
    if seen.contains(&key) && !key.repeatable() {
        cx.error_spanned_by(
            &meta.path,
            format!(
                "duplicate {} option `{name}`: each option is given once; remove one of them",
                K::WHAT
            ),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    seen.push(key);
    Ok(Some(key))
}

/// The key as written (`a::b` for a path, which is never a known key).
fn key_name(meta: &ParseNestedMeta<'_>) -> String {
    match meta.path.get_ident() {
        Some(ident) => ident.unraw().to_string(),
        None => meta.path.to_token_stream().to_string().replace(' ', ""),
    }
}

fn key_span(meta: &ParseNestedMeta<'_>) -> Span {
    meta.path
        .get_ident()
        .map_or_else(|| meta.path.span(), Ident::span)
}

/// Consumes `= value` or `(...)` after a key that is being ignored.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// The items of `key(...)`, each to `each`. Unlike syn's `parse_nested_meta`, an
/// empty list is accepted as no items, so the caller can say what is missing.
fn nested(
    meta: &ParseNestedMeta<'_>,
    each: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    if !meta.input.peek(syn::token::Paren) {
        // syn's own message: "expected parentheses".
        return meta.parse_nested_meta(each);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let tokens: TokenStream = content.parse()?;
    if tokens.is_empty() {
        return Ok(());
    }
    syn::parse::Parser::parse2(syn::meta::parser(each), tokens)
}

/// `key = "string"`, reporting another kind of value.
fn string(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: impl Keys) -> syn::Result<Option<LitStr>> {
    let key = key.as_str();
    match meta.value()?.parse::<syn::Expr>()? {
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

/// `key = 255`: a positive integer that fits the `u32` of `VARCHAR(n)`, so the
/// generated code never carries an out-of-range literal for rustc to reject.
fn length(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    key: impl Keys,
) -> syn::Result<Option<(Span, u32)>> {
    let key = key.as_str();
    match meta.value()?.parse::<syn::Expr>()? {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => match i.base10_parse::<u32>() {
            Ok(n) if n > 0 && matches!(i.suffix(), "" | "u32") => Ok(Some((i.span(), n))),
            _ => {
                cx.error_spanned_by(
                    &i,
                    format!(
                        "`{key}` takes a length from 1 to {}, e.g. {key} = 255",
                        u32::MAX
                    ),
                );
                Ok(None)
            }
        },
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
fn flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: impl Keys) -> syn::Result<Option<Span>> {
    let key = key.as_str();
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            &meta.path,
            format!("`{key}` is a flag and takes no value; write just `{key}`"),
        );
        skip_value(meta)?;
        return Ok(None);
    }
    Ok(Some(key_span(meta)))
}

/// `key(a, b)`: field names, raw identifiers allowed.
fn column_list(meta: &ParseNestedMeta<'_>) -> syn::Result<ColumnList> {
    let span = key_span(meta);
    let content;
    syn::parenthesized!(content in meta.input);
    let fields = content.parse_terminated(Ident::parse_any, syn::Token![,])?;
    Ok(ColumnList {
        span,
        fields: fields.into_iter().collect(),
    })
}
