//! The keys each attribute accepts, declared once per attribute.
//!
//! Each declaration becomes an enum: the parser in `attr` turns a key into it and
//! then matches on it exhaustively, while "unknown option ...; the options are ..."
//! lists [`Keys::ALL`]. A key therefore cannot be accepted without being listed, nor
//! listed without being handled: adding one to a declaration fails the build until
//! the parser handles it.

/// The keys of one attribute (or of one nested list such as `index(...)`).
pub trait Keys: Copy + PartialEq + 'static {
    /// The attribute, as messages name it: `#[column]`, `index`, ...
    const WHAT: &'static str;
    /// Every key, in the order messages list them.
    const ALL: &'static [Self];
    /// The key as written.
    fn as_str(self) -> &'static str;
    /// A key that may appear more than once (`index(...)` on a table): each
    /// occurrence adds one more. Every other key is an error the second time.
    fn repeatable(self) -> bool;

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == name)
    }

    /// `a, b, c`, for "the options are ...".
    fn list() -> String {
        Self::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! keys {
    (@repeatable) => { false };
    (@repeatable repeatable) => { true };
    (
        $(#[$doc:meta])*
        $name:ident($what:literal) {
            $($variant:ident = $text:literal $($repeatable:ident)?),* $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum $name {
            $($variant),*
        }

        impl Keys for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($name::$variant),*];

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),*
                }
            }

            fn repeatable(self) -> bool {
                match self {
                    $($name::$variant => keys!(@repeatable $($repeatable)?)),*
                }
            }
        }
    };
}

keys! {
    /// `#[model(...)]` on a struct. `index`, `unique` and `check` each add one
    /// more, so they may repeat.
    TableKey("#[model]") {
        Table = "table",
        Schema = "schema",
        PrimaryKey = "primary_key",
        Index = "index" repeatable,
        Unique = "unique" repeatable,
        Check = "check" repeatable,
        ForeignKey = "foreign_key" repeatable,
        Exclude = "exclude" repeatable,
    }
}

keys! {
    /// `#[model(...)]` on an enum.
    EnumKey("#[model]") {
        Name = "name",
    }
}

keys! {
    /// `#[model(...)]` on a variant of a `#[model]` enum.
    VariantKey("#[model] variant") {
        Value = "value",
    }
}

keys! {
    /// `#[column(...)]` on a field (over all of the field's `#[column]`s).
    ColumnKey("#[column]") {
        Name = "name",
        PrimaryKey = "primary_key",
        Unique = "unique",
        Index = "index",
        Default = "default",
        SqlType = "sql_type",
        MaxLength = "max_length",
        References = "references",
        OnDelete = "on_delete",
        OnUpdate = "on_update",
        Check = "check",
        Skip = "skip",
        Serial = "serial",
        Identity = "identity",
        Sequence = "sequence",
        Generated = "generated",
        Collation = "collation",
    }
}

keys! {
    /// `sequence(...)` inside `#[column(...)]`, for `serial` and `identity`.
    SequenceKey("sequence") {
        Name = "name",
        Start = "start",
        Increment = "increment",
        MinValue = "min_value",
        MaxValue = "max_value",
        Cache = "cache",
        Cycle = "cycle",
    }
}

keys! {
    /// `index(...)` inside `#[model(...)]`.
    IndexKey("index") {
        Name = "name",
        Columns = "columns",
        Keys = "keys",
        Unique = "unique",
        Method = "method",
        Include = "include",
        NullsNotDistinct = "nulls_not_distinct",
        Where = "where",
    }
}

keys! {
    /// `unique(...)` inside `#[model(...)]`: `index(..., unique)` without the flag.
    UniqueKey("unique") {
        Name = "name",
        Columns = "columns",
        Include = "include",
        NullsNotDistinct = "nulls_not_distinct",
        Deferrable = "deferrable",
        InitiallyDeferred = "initially_deferred",
    }
}

keys! {
    /// `foreign_key(...)` inside `#[model(...)]`: a key over one or more columns
    /// with every PostgreSQL option.
    ForeignKeyKey("foreign_key") {
        Name = "name",
        Columns = "columns",
        References = "references",
        OnDelete = "on_delete",
        OnUpdate = "on_update",
        MatchFull = "match_full",
        Deferrable = "deferrable",
        InitiallyDeferred = "initially_deferred",
        NotValid = "not_valid",
    }
}

keys! {
    /// `exclude(...)` inside `#[model(...)]` (PostgreSQL).
    ExcludeKey("exclude") {
        Name = "name",
        Using = "using",
        Deferrable = "deferrable",
        InitiallyDeferred = "initially_deferred",
    }
}

keys! {
    /// `check(...)` inside `#[model(...)]`.
    CheckKey("check") {
        Name = "name",
        Expr = "expr",
        NotValid = "not_valid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_and_only_list_kinds_repeat() {
        fn round_trip<K: Keys + std::fmt::Debug>() {
            for &key in K::ALL {
                assert_eq!(K::from_name(key.as_str()), Some(key));
            }
            assert_eq!(K::from_name("nope"), None);
        }
        round_trip::<TableKey>();
        round_trip::<EnumKey>();
        round_trip::<VariantKey>();
        round_trip::<ColumnKey>();
        round_trip::<IndexKey>();
        round_trip::<UniqueKey>();
        round_trip::<CheckKey>();
        round_trip::<ForeignKeyKey>();
        round_trip::<ExcludeKey>();
        let repeatable: Vec<_> = TableKey::ALL
            .iter()
            .filter(|k| k.repeatable())
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            repeatable,
            ["index", "unique", "check", "foreign_key", "exclude"]
        );
        assert!(!ColumnKey::ALL.iter().any(|k| k.repeatable()));
        assert_eq!(
            ColumnKey::list(),
            "name, primary_key, unique, index, default, sql_type, max_length, references, on_delete, on_update, check, skip, serial, identity, sequence, generated, collation"
        );
    }
}
