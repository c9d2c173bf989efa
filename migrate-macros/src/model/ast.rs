//! The macro's own small view of the input: a table (struct) or an enum type,
//! with its options parsed by `attr`. Shapes that cannot be a model at all are
//! reported here, malformed options in `attr`, rules across options in `check`.

use proc_macro2::TokenStream;
use syn::ext::IdentExt;
use syn::{Fields, Ident, Item, Type};

use super::attr::{self, ColumnAttrs, TableAttrs};
use super::ctxt::Ctxt;

pub struct Model<'a> {
    pub ident: &'a Ident,
    pub attrs: TableAttrs,
    pub doc: Option<String>,
    pub kind: Kind<'a>,
}

pub enum Kind<'a> {
    Table(Vec<Field<'a>>),
    /// The enum itself, which gets a `SqlType` impl, and its variants: the values.
    Enum(&'a syn::ItemEnum, Vec<Variant<'a>>),
}

/// One value of an enum type.
pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// `#[model(value = "...")]`.
    pub value: Option<syn::LitStr>,
}

impl Variant<'_> {
    /// The SQL value: `#[model(value = "...")]` or the variant's name in snake_case.
    pub fn value(&self) -> String {
        self.value
            .as_ref()
            .map_or_else(|| snake_case(&self.ident.to_string()), syn::LitStr::value)
    }
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: ColumnAttrs,
    pub doc: Option<String>,
}

impl Field<'_> {
    /// The field's name, without `r#`.
    pub fn name(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// The column name: `#[column(name = "...")]` or the field's name.
    pub fn column(&self) -> String {
        self.attrs
            .name
            .as_ref()
            .map_or_else(|| self.name(), syn::LitStr::value)
    }
}

impl<'a> Model<'a> {
    /// `None` when the item cannot be a model at all (the error is in `cx`).
    pub fn from_item(cx: &Ctxt, args: TokenStream, item: &'a Item) -> Option<Model<'a>> {
        match item {
            Item::Struct(s) => {
                let attrs = attr::table_attrs(cx, args);
                if !s.generics.params.is_empty() {
                    cx.error_spanned_by(
                        &s.generics,
                        "#[model] cannot be generic: a table has one fixed set of columns; make a concrete struct per table",
                    );
                }
                let fields = match &s.fields {
                    Fields::Named(named) => named
                        .named
                        .iter()
                        .filter_map(|f| {
                            Some(Field {
                                ident: f.ident.as_ref()?,
                                ty: &f.ty,
                                attrs: attr::column_attrs(cx, &f.attrs),
                                doc: doc(&f.attrs),
                            })
                        })
                        .collect(),
                    Fields::Unnamed(_) => {
                        cx.error_spanned_by(
                            &s.fields,
                            "#[model] needs named fields: a tuple struct has no column names; write `struct Name { id: i64, ... }`",
                        );
                        return None;
                    }
                    Fields::Unit => {
                        cx.error_spanned_by(&s.ident, "#[model] on a unit struct: a table needs at least one column; add named fields");
                        return None;
                    }
                };
                Some(Model {
                    ident: &s.ident,
                    attrs,
                    doc: doc(&s.attrs),
                    kind: Kind::Table(fields),
                })
            }
            Item::Enum(e) => {
                let attrs = attr::enum_attrs(cx, args);
                if !e.generics.params.is_empty() {
                    cx.error_spanned_by(&e.generics, "#[model] enums cannot be generic");
                }
                let mut variants = Vec::new();
                for variant in &e.variants {
                    variants.push(Variant {
                        ident: &variant.ident,
                        value: attr::variant_value(cx, &variant.attrs),
                    });
                    if !matches!(variant.fields, Fields::Unit) {
                        cx.error_spanned_by(
                            &variant.fields,
                            "#[model] enums map to SQL enum types, whose values carry no data; remove the fields, or store this as its own table",
                        );
                    }
                }
                Some(Model {
                    ident: &e.ident,
                    attrs,
                    doc: doc(&e.attrs),
                    kind: Kind::Enum(e, variants),
                })
            }
            other => {
                cx.error_spanned_by(other, "#[model] goes on a struct with named fields (a table) or on an enum without data (an enum type)");
                None
            }
        }
    }

    /// The table (or enum type) name: given, or the type's name in snake_case.
    pub fn sql_name(&self) -> String {
        let given = match self.kind {
            Kind::Table(_) => &self.attrs.table,
            Kind::Enum(..) => &self.attrs.name,
        };
        given
            .as_ref()
            .map_or_else(|| snake_case(&self.ident.to_string()), syn::LitStr::value)
    }
}

/// Doc comment lines joined into one, or `None`.
fn doc(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}

/// `UserAccount` -> `user_account`, `HTTPLog` -> `http_log`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.trim_start_matches("r#").chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let previous_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && (previous_lower || (next_lower && chars[i - 1].is_uppercase())) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
