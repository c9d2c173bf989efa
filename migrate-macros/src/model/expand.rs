//! Code generation: the item, minus helper attributes, and a `'static` description
//! submitted through `inventory` under hidden, absolute paths, so users need no
//! `inventory` dependency of their own.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::ast::{Field, Kind, Model, Variant};
use super::attr::{ColumnAttrs, ColumnList, SequenceAttr};

pub fn expand(model: &Model<'_>, item: &syn::Item) -> TokenStream {
    let item = item_without_helpers(item);
    let registration = match &model.kind {
        Kind::Table(fields) => table(model, fields),
        Kind::Enum(e, variants) => enumeration(model, e, variants),
    };
    quote! {
        #item
        const _: () = { #registration };
    }
}

/// The item with `#[column(...)]` removed from its fields and `#[model(...)]`
/// from its variants: the compiler knows no such helper attributes.
pub fn item_without_helpers(item: &syn::Item) -> TokenStream {
    let mut item = item.clone();
    match &mut item {
        syn::Item::Struct(s) => {
            for field in s.fields.iter_mut() {
                field.attrs.retain(|a| !a.path().is_ident("column"));
            }
        }
        syn::Item::Enum(e) => {
            for variant in e.variants.iter_mut() {
                variant.attrs.retain(|a| !a.path().is_ident("model"));
            }
        }
        _ => {}
    }
    item.into_token_stream()
}

/// `impl SqlType for Enum`, with `column_type`'s body given.
pub fn sql_type_impl(e: &syn::ItemEnum, column_type: TokenStream) -> TokenStream {
    let ident = &e.ident;
    let (impl_generics, ty_generics, where_clause) = e.generics.split_for_impl();
    quote! {
        impl #impl_generics ::migrate::__private::SqlType for #ident #ty_generics #where_clause {
            fn column_type() -> ::migrate::__private::ColumnType {
                #column_type
            }
        }
    }
}

fn option_str(value: Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// `serial`, `identity` or `generated` as a `ModelGenerated`.
fn generated(attrs: &ColumnAttrs) -> TokenStream {
    let default = SequenceAttr::default();
    let sequence = attrs.sequence.as_ref().map_or(&default, |(_, s)| s);
    let opt = |v: Option<i64>| match v {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let name = lit(&sequence.name);
    let (start, increment, min_value, max_value, cache) = (
        opt(sequence.start),
        opt(sequence.increment),
        opt(sequence.min_value),
        opt(sequence.max_value),
        opt(sequence.cache),
    );
    let cycle = sequence.cycle;
    let sequence = quote! {
        ::migrate::__private::ModelSequence {
            name: #name,
            start: #start,
            increment: #increment,
            min_value: #min_value,
            max_value: #max_value,
            cache: #cache,
            cycle: #cycle,
        }
    };
    if attrs.serial.is_some() {
        quote!(::core::option::Option::Some(::migrate::__private::ModelGenerated::Serial(#sequence)))
    } else if let Some((_, always)) = attrs.identity {
        quote!(::core::option::Option::Some(::migrate::__private::ModelGenerated::Identity {
            always: #always,
            sequence: #sequence,
        }))
    } else if let Some(expr) = &attrs.generated {
        quote!(::core::option::Option::Some(::migrate::__private::ModelGenerated::Stored(#expr)))
    } else {
        quote!(::core::option::Option::None)
    }
}

fn lit(value: &Option<syn::LitStr>) -> TokenStream {
    option_str(value.as_ref().map(syn::LitStr::value))
}

fn table(model: &Model<'_>, fields: &[Field<'_>]) -> TokenStream {
    let ident = model.ident;
    let name = model.sql_name();
    let schema = lit(&model.attrs.schema);
    let comment = option_str(model.doc.clone());
    let rust_path = format!("::{ident}");
    // `check` made sure every name is a column field.
    let columns_of_fields = |list: Option<&ColumnList>| -> Vec<String> {
        list.map_or(&[][..], |l| &l.fields)
            .iter()
            .map(|i| {
                let name = i.unraw().to_string();
                fields
                    .iter()
                    .find(|f| f.name() == name)
                    .map_or(name, Field::column)
            })
            .collect()
    };
    let columns: Vec<TokenStream> = fields
        .iter()
        .filter(|f| f.attrs.skip.is_none())
        .map(column)
        .collect();
    let primary_key = columns_of_fields(model.attrs.primary_key.as_ref());
    let indexes = model.attrs.indexes.iter().map(|i| {
        let name = lit(&i.name);
        let cols = columns_of_fields(i.columns.as_ref());
        let unique = i.unique;
        let keys = lit(&i.keys);
        let method = lit(&i.method);
        let include = columns_of_fields(i.include.as_ref());
        let nulls_not_distinct = i.nulls_not_distinct;
        let predicate = lit(&i.predicate);
        quote!(::migrate::__private::ModelIndex {
            name: #name,
            columns: &[#(#cols),*],
            unique: #unique,
            keys: #keys,
            method: #method,
            include: &[#(#include),*],
            nulls_not_distinct: #nulls_not_distinct,
            predicate: #predicate,
        })
    });
    let uniques = model.attrs.uniques.iter().map(|u| {
        let name = lit(&u.name);
        let cols = columns_of_fields(u.columns.as_ref());
        let include = columns_of_fields(u.include.as_ref());
        let (nulls_not_distinct, deferrable, initially_deferred) =
            (u.nulls_not_distinct, u.deferrable, u.initially_deferred);
        quote!(::migrate::__private::ModelUnique {
            name: #name,
            columns: &[#(#cols),*],
            include: &[#(#include),*],
            nulls_not_distinct: #nulls_not_distinct,
            deferrable: #deferrable,
            initially_deferred: #initially_deferred,
        })
    });
    let checks = model.attrs.checks.iter().map(|c| {
        let name = lit(&c.name);
        let expr = c.expr.value();
        let not_valid = c.not_valid;
        quote!(::migrate::__private::ModelCheck { name: #name, expr: #expr, not_valid: #not_valid })
    });
    let foreign_keys = model.attrs.foreign_keys.iter().map(|f| {
        let name = lit(&f.name);
        let cols = columns_of_fields(f.columns.as_ref());
        let references = f.references.value();
        let (on_delete, on_update) = (lit(&f.on_delete), lit(&f.on_update));
        let (match_full, deferrable, initially_deferred, not_valid) = (
            f.match_full,
            f.deferrable,
            f.initially_deferred,
            f.not_valid,
        );
        quote!(::migrate::__private::ModelForeignKey {
            name: #name,
            columns: &[#(#cols),*],
            references: #references,
            on_delete: #on_delete,
            on_update: #on_update,
            match_full: #match_full,
            deferrable: #deferrable,
            initially_deferred: #initially_deferred,
            not_valid: #not_valid,
        })
    });
    let exclusions = model.attrs.exclusions.iter().map(|x| {
        let name = x.name.value();
        let using = x.using.value();
        let (deferrable, initially_deferred) = (x.deferrable, x.initially_deferred);
        quote!(::migrate::__private::ModelExclusion {
            name: #name,
            using: #using,
            deferrable: #deferrable,
            initially_deferred: #initially_deferred,
        })
    });
    quote! {
        ::migrate::__private::inventory::submit! {
            ::migrate::__private::ModelTable {
                rust_path: ::core::concat!(::core::module_path!(), #rust_path),
                schema: #schema,
                name: #name,
                comment: #comment,
                columns: &[#(#columns),*],
                primary_key: &[#(#primary_key),*],
                indexes: &[#(#indexes),*],
                uniques: &[#(#uniques),*],
                checks: &[#(#checks),*],
                foreign_keys: &[#(#foreign_keys),*],
                exclusions: &[#(#exclusions),*],
            }
        }
    }
}

/// `Option<...>` written out: nullable even when `sql_type` bypasses the trait.
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The `hint` bound whose message fits the field's type (the cargo feature that
/// provides it, or the signed integer to use), with the type inside any `Option`s:
/// the bound must apply to that type itself, or the compiler reports `Option`'s
/// requirement with `SqlType`'s generic advice. `None` for that generic advice.
/// Read from how the type is written, since a macro cannot resolve it.
fn type_hint(ty: &syn::Type) -> Option<(&'static str, &syn::Type)> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segments = &path.path.segments;
    let last = segments.last()?;
    if last.ident == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return type_hint(inner);
            }
        }
    }
    let first = segments.first()?.ident.to_string();
    let last = last.ident.to_string();
    let hint = match (first.as_str(), last.as_str()) {
        ("chrono", _) | (_, "DateTime" | "NaiveDate" | "NaiveTime" | "NaiveDateTime") => "chrono",
        ("time", _) | (_, "OffsetDateTime" | "PrimitiveDateTime") => "time",
        ("uuid", _) | (_, "Uuid") => "uuid",
        ("serde_json", _) => "serde_json",
        ("rust_decimal", _) | (_, "Decimal") => "rust_decimal",
        (_, "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i128" | "isize")
            if segments.len() == 1 =>
        {
            "integer"
        }
        _ => return None,
    };
    Some((hint, ty))
}

fn column(field: &Field<'_>) -> TokenStream {
    let ty = field.ty;
    let name = field.column();
    let field_name = field.ident.to_string();
    let attrs = &field.attrs;
    // The type check is spanned on the field's type, so an unsupported type is
    // reported there, with the message of `SqlType` or of the fitting hint.
    let (sql_column_type, sql_nullable) = match type_hint(ty) {
        Some((hint, inner)) => {
            let hint = format_ident!("{hint}");
            let nullable = is_option(ty);
            (
                quote_spanned!(ty.span()=> ::migrate::__private::hint::#hint::<#inner>().0),
                quote_spanned!(ty.span()=> #nullable || ::migrate::__private::hint::#hint::<#inner>().1),
            )
        }
        None => (
            quote_spanned!(ty.span()=> <#ty as ::migrate::__private::SqlType>::column_type),
            quote_spanned!(ty.span()=> <#ty as ::migrate::__private::SqlType>::NULLABLE),
        ),
    };
    let (column_type, nullable) = if let Some(sql_type) = &attrs.sql_type {
        let f = format_ident!("__migrate_type_{}", field.ident);
        let nullable = is_option(ty);
        (
            quote! {{
                fn #f() -> ::migrate::__private::ColumnType {
                    ::migrate::__private::ColumnType::Custom(::std::string::String::from(#sql_type))
                }
                #f
            }},
            quote!(#nullable),
        )
    } else if let Some((_, max)) = attrs.max_length {
        let f = format_ident!("__migrate_type_{}", field.ident);
        (
            quote! {{
                fn #f() -> ::migrate::__private::ColumnType {
                    ::migrate::__private::ColumnType::Varchar(#max)
                }
                #f
            }},
            sql_nullable,
        )
    } else {
        (sql_column_type, sql_nullable)
    };
    let flag = |span: &Option<proc_macro2::Span>| span.is_some();
    let (primary_key, unique, index) = (
        flag(&attrs.primary_key),
        flag(&attrs.unique),
        flag(&attrs.index),
    );
    let default = lit(&attrs.default);
    let references = lit(&attrs.references);
    let on_delete = lit(&attrs.on_delete);
    let on_update = lit(&attrs.on_update);
    let check = lit(&attrs.check);
    let comment = option_str(field.doc.clone());
    let generated = generated(attrs);
    let collation = lit(&attrs.collation);
    quote! {
        ::migrate::__private::ModelColumn {
            name: #name,
            field: #field_name,
            column_type: #column_type,
            nullable: #nullable,
            primary_key: #primary_key,
            unique: #unique,
            index: #index,
            default: #default,
            references: #references,
            on_delete: #on_delete,
            on_update: #on_update,
            check: #check,
            comment: #comment,
            generated: #generated,
            collation: #collation,
        }
    }
}

fn enumeration(model: &Model<'_>, e: &syn::ItemEnum, variants: &[Variant<'_>]) -> TokenStream {
    let ident = model.ident;
    let name = model.sql_name();
    let values: Vec<String> = variants.iter().map(Variant::value).collect();
    let rust_path = format!("::{ident}");
    let sql_type = sql_type_impl(
        e,
        quote!(::migrate::__private::ColumnType::Enum(::std::string::String::from(#name))),
    );
    quote! {
        #sql_type
        ::migrate::__private::inventory::submit! {
            ::migrate::__private::ModelEnum {
                rust_path: ::core::concat!(::core::module_path!(), #rust_path),
                name: #name,
                variants: &[#(#values),*],
            }
        }
    }
}
