//! Rules across fields and options, one function each, every violation reported
//! with its span. Each rule says why it exists: a model that passes here expands
//! to a table the databases accept.

use std::collections::HashMap;

use syn::ext::IdentExt;

use super::ast::{Field, Kind, Model, Variant};
use super::attr::ColumnList;
use super::ctxt::Ctxt;
use super::keys::{ColumnKey, Keys};
use super::suggest::did_you_mean;

pub fn check(cx: &Ctxt, model: &Model<'_>) {
    let fields = match &model.kind {
        Kind::Table(fields) => fields,
        Kind::Enum(_, variants) => return check_duplicate_values(cx, variants),
    };
    check_has_columns(cx, model, fields);
    check_duplicate_columns(cx, fields);
    check_primary_key(cx, model, fields);
    check_references(cx, fields);
    check_table_foreign_keys(cx, model);
    check_skip_alone(cx, fields);
    check_length_with_sql_type(cx, fields);
    check_generation(cx, fields);
    check_table_columns_exist(cx, model, fields);
}

/// A table needs a column: SQL has no zero-column `CREATE TABLE` (PostgreSQL
/// accepts one, SQLite and MySQL do not), and a model with none is a mistake.
fn check_has_columns(cx: &Ctxt, model: &Model<'_>, fields: &[Field<'_>]) {
    if fields.is_empty() {
        cx.error_spanned_by(
            model.ident,
            "#[model] needs at least one column; add named fields",
        );
    } else if fields.iter().all(|f| f.attrs.skip.is_some()) {
        cx.error_spanned_by(
            model.ident,
            "#[model] needs at least one column; every field is `#[column(skip)]`",
        );
    }
}

/// PostgreSQL rejects an enum type with a value twice (`CREATE TYPE` fails), so
/// two variants mapping to one value are reported here, at the second.
fn check_duplicate_values(cx: &Ctxt, variants: &[Variant<'_>]) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for variant in variants {
        let value = variant.value();
        if let Some(first) = seen.get(&value) {
            let at: &dyn quote::ToTokens = match &variant.value {
                Some(value) => value,
                None => variant.ident,
            };
            cx.error_spanned_by(at, format!("duplicate enum value `{value}`: variant `{first}` already maps to it; give one another with #[model(value = \"...\")]"));
        } else {
            seen.insert(value, variant.ident);
        }
    }
}

/// Two fields mapping to one column name would make the table ambiguous.
fn check_duplicate_columns(cx: &Ctxt, fields: &[Field<'_>]) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for field in fields.iter().filter(|f| f.attrs.skip.is_none()) {
        let column = field.column();
        if let Some(first) = seen.get(&column) {
            let at: &dyn quote::ToTokens = match &field.attrs.name {
                Some(name) => name,
                None => field.ident,
            };
            cx.error_spanned_by(at, format!("duplicate column `{column}`: field `{first}` already maps to it; rename one with #[column(name = \"...\")]"));
        } else {
            seen.insert(column, field.ident);
        }
    }
}

/// The primary key is declared once: on fields, or as `primary_key(a, b)`. Two
/// declarations could disagree, and several field flags look like several keys.
fn check_primary_key(cx: &Ctxt, model: &Model<'_>, fields: &[Field<'_>]) {
    let on_fields: Vec<_> = fields
        .iter()
        .filter(|f| f.attrs.primary_key.is_some())
        .collect();
    if let Some(list) = &model.attrs.primary_key {
        if list.fields.is_empty() {
            cx.error_at(
                list.span,
                "`primary_key()` names no column; write primary_key(a, b), or drop it for a table without a primary key",
            );
        }
        if let Some(field) = on_fields.first() {
            cx.error_at(
                list.span,
                format!(
                    "conflicting primary keys: `primary_key(...)` here and `#[column(primary_key)]` on field `{}`; declare it in one place (use primary_key(a, b) for a composite key)",
                    field.ident
                ),
            );
        }
    }
    if on_fields.len() > 1 {
        cx.error_spanned_by(
            on_fields[1].ident,
            "several fields say `#[column(primary_key)]`; for a composite key write #[model(primary_key(a, b))] on the struct",
        );
    }
}

/// `references = "table.column"`, and actions only with a reference: an action
/// alone would be dropped silently, as there is no foreign key to carry it.
fn check_references(cx: &Ctxt, fields: &[Field<'_>]) {
    for field in fields {
        let attrs = &field.attrs;
        if let Some(target) = &attrs.references {
            let value = target.value();
            let parts: Vec<&str> = value.split('.').collect();
            let well_formed = (2..=3).contains(&parts.len())
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_'));
            if !well_formed {
                cx.error_spanned_by(target, format!("malformed `references = \"{value}\"`: write \"table.column\" (or \"schema.table.column\")"));
            }
        }
        for action in [&attrs.on_delete, &attrs.on_update].into_iter().flatten() {
            if attrs.references.is_none() {
                cx.error_spanned_by(action, "`on_delete`/`on_update` need `references = \"table.column\"` on the same field");
            } else if migrate_core::schema::FkAction::parse(&action.value()).is_none() {
                cx.error_spanned_by(action, "unknown action; use \"cascade\", \"set null\", \"set default\", \"restrict\" or \"no action\"");
            }
        }
    }
}

/// `foreign_key(columns(a, b), references = "table(c, d)")`: the target is
/// well formed, names as many columns as the key has, and the actions are known.
fn check_table_foreign_keys(cx: &Ctxt, model: &Model<'_>) {
    let word = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_');
    for fk in &model.attrs.foreign_keys {
        let value = fk.references.value();
        let parsed = value.trim().strip_suffix(')').and_then(|rest| {
            let (table, columns) = rest.split_once('(')?;
            let parts: Vec<&str> = table.trim().split('.').collect();
            let columns: Vec<&str> = columns.split(',').map(str::trim).collect();
            ((1..=2).contains(&parts.len())
                && parts.iter().all(|p| word(p))
                && columns.iter().all(|c| word(c)))
            .then_some(columns.len())
        });
        match (parsed, &fk.columns) {
            (None, _) => cx.error_spanned_by(
                &fk.references,
                format!("malformed `references = \"{value}\"`: write \"table(a, b)\" (or \"schema.table(a, b)\")"),
            ),
            (Some(n), Some(columns)) if !columns.fields.is_empty() && n != columns.fields.len() => {
                cx.error_spanned_by(
                    &fk.references,
                    format!(
                        "`references` names {n} column(s) for the key's {}",
                        columns.fields.len()
                    ),
                )
            }
            _ => {}
        }
        for action in [&fk.on_delete, &fk.on_update].into_iter().flatten() {
            if migrate_core::schema::FkAction::parse(&action.value()).is_none() {
                cx.error_spanned_by(action, "unknown action; use \"cascade\", \"set null\", \"set default\", \"restrict\" or \"no action\"");
            }
        }
    }
}

/// `skip` means "not a column": any other column option is a contradiction, and
/// ignoring it would hide that the user expected a column.
fn check_skip_alone(cx: &Ctxt, fields: &[Field<'_>]) {
    for field in fields.iter().filter(|f| f.attrs.skip.is_some()) {
        for (key, span) in field
            .attrs
            .given
            .iter()
            .filter(|(k, _)| *k != ColumnKey::Skip)
        {
            cx.error_at(
                *span,
                format!(
                    "`{}` has no effect on a `skip`ped field, which is not a column",
                    key.as_str()
                ),
            );
        }
    }
}

/// `sql_type` is the column's whole type, so a `max_length` beside it would be
/// ignored; the length belongs in the type.
fn check_length_with_sql_type(cx: &Ctxt, fields: &[Field<'_>]) {
    for field in fields {
        if let (Some(_), Some((span, _))) = (&field.attrs.sql_type, &field.attrs.max_length) {
            cx.error_at(
                *span,
                "`max_length` has no effect beside `sql_type`; write the length in the type, e.g. sql_type = \"VARCHAR(255)\"",
            );
        }
    }
}

/// A column fills itself one way: PostgreSQL refuses a column that is two of
/// serial, identity and generated, or one of them with a `default`. A
/// `sequence(...)` belongs to a serial or identity column; elsewhere it would be
/// ignored.
fn check_generation(cx: &Ctxt, fields: &[Field<'_>]) {
    for field in fields {
        let a = &field.attrs;
        let mut ways: Vec<(&str, proc_macro2::Span)> = Vec::new();
        if let Some(span) = a.serial {
            ways.push(("serial", span));
        }
        if let Some((span, _)) = a.identity {
            ways.push(("identity", span));
        }
        if let Some(expr) = &a.generated {
            ways.push(("generated", expr.span()));
        }
        if let Some(default) = &a.default {
            if let Some((way, _)) = ways.first() {
                cx.error_spanned_by(
                    default,
                    format!("`default` cannot go with `{way}`: the column's value already comes from it"),
                );
            }
        }
        if let [(first, _), (second, span), ..] = ways[..] {
            cx.error_at(
                span,
                format!("`{second}` cannot go with `{first}`: a column fills itself one way"),
            );
        }
        if let (Some((span, _)), None, None) = (&a.sequence, a.serial, a.identity) {
            cx.error_at(
                *span,
                "`sequence(...)` needs `serial` or `identity = \"...\"` on the same field",
            );
        }
    }
}

/// Table-level lists (`primary_key`, `index`, `unique`) name column fields of
/// this struct, each once: anything else would fail only later, in the database,
/// far from the mistake.
fn check_table_columns_exist(cx: &Ctxt, model: &Model<'_>, fields: &[Field<'_>]) {
    let lists = model
        .attrs
        .primary_key
        .iter()
        .chain(
            model
                .attrs
                .indexes
                .iter()
                .flat_map(|i| i.columns.iter().chain(i.include.iter())),
        )
        .chain(
            model
                .attrs
                .uniques
                .iter()
                .flat_map(|u| u.columns.iter().chain(u.include.iter())),
        )
        .chain(
            model
                .attrs
                .foreign_keys
                .iter()
                .filter_map(|f| f.columns.as_ref()),
        );
    let columns = || {
        fields
            .iter()
            .filter(|f| f.attrs.skip.is_none())
            .map(Field::name)
    };
    for ColumnList { fields: named, .. } in lists {
        for (i, ident) in named.iter().enumerate() {
            let name = ident.unraw().to_string();
            if named[..i].iter().any(|earlier| earlier.unraw() == name) {
                cx.error_spanned_by(ident, format!("`{name}` is listed twice"));
            } else if fields
                .iter()
                .any(|f| f.name() == name && f.attrs.skip.is_some())
            {
                cx.error_spanned_by(
                    ident,
                    format!("field `{name}` is `#[column(skip)]`, so it is not a column"),
                );
            } else if !columns().any(|c| c == name) {
                cx.error_spanned_by(
                    ident,
                    format!(
                        "no column field named `{name}` in `{}`{}",
                        model.ident,
                        did_you_mean(&name, columns())
                    ),
                );
            }
        }
    }
}
