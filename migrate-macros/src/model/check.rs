//! Rules across fields and options, one function each, every violation reported.

use std::collections::HashMap;

use super::ast::{Kind, Model};
use super::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
    check_duplicate_columns(cx, model);
    check_primary_key(cx, model);
    check_references(cx, model);
    check_skip_alone(cx, model);
    check_table_columns_exist(cx, model);
    if fields.iter().all(|f| f.attrs.skip.is_some()) {
        cx.error_spanned_by(
            model.ident,
            "#[model] needs at least one column; every field is `#[column(skip)]`",
        );
    }
}

/// Two fields mapping to one column name would make the table ambiguous.
fn check_duplicate_columns(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
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

/// The primary key is declared once: on fields, or as `primary_key(a, b)`.
fn check_primary_key(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
    let on_fields: Vec<_> = fields
        .iter()
        .filter(|f| f.attrs.primary_key.is_some())
        .collect();
    if let (Some((span, _)), Some(field)) = (&model.attrs.primary_key, on_fields.first()) {
        cx.syn_error(syn::Error::new(
            *span,
            format!(
                "conflicting primary keys: `primary_key(...)` here and `#[column(primary_key)]` on field `{}`; declare it in one place (use primary_key(a, b) for a composite key)",
                field.ident
            ),
        ));
    }
    if on_fields.len() > 1 {
        cx.error_spanned_by(
            on_fields[1].ident,
            "several fields say `#[column(primary_key)]`; for a composite key write #[model(primary_key(a, b))] on the struct",
        );
    }
}

/// `references = "table.column"`, and actions only with a reference.
fn check_references(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
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

/// `skip` means "not a column": any other column option is a contradiction.
fn check_skip_alone(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
    for field in fields.iter().filter(|f| f.attrs.skip.is_some()) {
        for (key, span) in field.attrs.given.iter().filter(|(k, _)| k != "skip") {
            cx.syn_error(syn::Error::new(
                *span,
                format!("`{key}` has no effect on a `skip`ped field, which is not a column"),
            ));
        }
    }
}

/// Table-level options name fields that exist (and are columns).
fn check_table_columns_exist(cx: &Ctxt, model: &Model<'_>) {
    let Kind::Table(fields) = &model.kind else {
        return;
    };
    let columns: Vec<String> = fields
        .iter()
        .filter(|f| f.attrs.skip.is_none())
        .map(|f| f.ident.to_string())
        .collect();
    let named = model
        .attrs
        .primary_key
        .iter()
        .flat_map(|(_, c)| c)
        .chain(model.attrs.indexes.iter().flat_map(|i| &i.columns))
        .chain(model.attrs.uniques.iter().flat_map(|u| &u.columns));
    for ident in named {
        if !columns.contains(&ident.to_string()) {
            cx.error_spanned_by(
                ident,
                format!("no column field named `{ident}` in `{}`", model.ident),
            );
        }
    }
}
