//! Column types through a trait, so the list is not hard-coded in the macro and
//! applications add their own types; and [`parse_type`], which reads a type as a
//! database reports it or a model's `sql_type` spells it.

use std::fmt;

use super::ColumnType;

/// A Rust type that can be stored in a column.
///
/// Implemented for `bool`, `i16`, `i32`, `i64`, `f32`, `f64`, `String`, `Vec<u8>`
/// and `Option<T>` (nullable), for `#[model]` enums, and behind cargo features for
/// chrono, time, uuid, serde_json and rust_decimal types. Implement it for your
/// own types:
///
/// ```
/// use migrate_core::schema::{ColumnType, SqlType};
/// struct Email(String);
/// impl SqlType for Email {
///     fn column_type() -> ColumnType {
///         ColumnType::Varchar(320)
///     }
/// }
/// assert_eq!(<Option<Email> as SqlType>::NULLABLE, true);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column type",
    label = "this field's type has no SQL column type",
    note = "implement `migrate::SqlType` for `{Self}` if it is your own type; a type from another crate cannot implement it here (the orphan rule), so wrap it in a newtype of your own (`pub struct Mine(Theirs);`) that does; or give the field `#[column(sql_type = \"...\")]`, or leave it out with `#[column(skip)]`"
)]
pub trait SqlType {
    /// `true` when the column accepts `NULL` (`Option<T>`).
    const NULLABLE: bool = false;
    /// The column's type.
    fn column_type() -> ColumnType;
}

macro_rules! sql_types {
    ($($rust:ty => $column:expr),* $(,)?) => {
        $(impl SqlType for $rust {
            fn column_type() -> ColumnType {
                $column
            }
        })*
    };
}

sql_types! {
    bool => ColumnType::Boolean,
    i16 => ColumnType::SmallInt,
    i32 => ColumnType::Integer,
    i64 => ColumnType::BigInt,
    f32 => ColumnType::Real,
    f64 => ColumnType::Double,
    String => ColumnType::Text,
    Vec<u8> => ColumnType::Blob,
}

impl<T: SqlType> SqlType for Option<T> {
    const NULLABLE: bool = true;
    fn column_type() -> ColumnType {
        T::column_type()
    }
}

#[cfg(feature = "chrono")]
sql_types! {
    chrono::NaiveDate => ColumnType::Date,
    chrono::NaiveTime => ColumnType::Time,
    chrono::NaiveDateTime => ColumnType::Timestamp,
    chrono::DateTime<chrono::Utc> => ColumnType::TimestampTz,
}

#[cfg(feature = "time")]
sql_types! {
    time::Date => ColumnType::Date,
    time::Time => ColumnType::Time,
    time::PrimitiveDateTime => ColumnType::Timestamp,
    time::OffsetDateTime => ColumnType::TimestampTz,
}

#[cfg(feature = "uuid")]
sql_types! { uuid::Uuid => ColumnType::Uuid }

#[cfg(feature = "serde_json")]
sql_types! { serde_json::Value => ColumnType::Json }

#[cfg(feature = "rust_decimal")]
sql_types! { rust_decimal::Decimal => ColumnType::Numeric(None) }

/// Parses a type as a database reports it or a model's `sql_type` spells it.
/// Unknown types come back as [`ColumnType::Custom`], as written.
///
/// ```
/// use migrate_core::schema::parse_type;
/// use migrate_core::schema::ColumnType;
/// assert_eq!(parse_type("int4"), ColumnType::Integer);
/// assert_eq!(parse_type("character varying(40)"), ColumnType::Varchar(40));
/// assert_eq!(parse_type("NUMERIC(10, 2)"), ColumnType::Numeric(Some((10, 2))));
/// assert_eq!(parse_type("point"), ColumnType::Custom("point".into()));
/// assert_eq!(
///     parse_type("timestamp(3) with time zone"),
///     ColumnType::Custom("timestamp(3) with time zone".into())
/// );
/// ```
pub fn parse_type(text: &str) -> ColumnType {
    let lower = text.trim().to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let lower = words.join(" ");
    let (base, args) = match lower.split_once('(') {
        Some((base, rest)) => match rest.strip_suffix(')') {
            Some(args) => (base.trim(), Some(args.trim())),
            // `timestamp(3) with time zone`, `varchar(40)[]`: a type of its own.
            None => return ColumnType::Custom(text.trim().to_string()),
        },
        None => (lower.as_str(), None),
    };
    let numbers: Option<Vec<u32>> = args
        .map(|a| {
            a.split(',')
                .map(|n| n.trim().parse().ok())
                .collect::<Option<Vec<u32>>>()
        })
        .unwrap_or(Some(Vec::new()));
    match (base, numbers.as_deref()) {
        ("boolean" | "bool", Some([])) => ColumnType::Boolean,
        ("smallint" | "int2", Some([])) => ColumnType::SmallInt,
        ("integer" | "int" | "int4", Some([])) => ColumnType::Integer,
        ("bigint" | "int8", Some([])) => ColumnType::BigInt,
        ("real" | "float4", Some([])) => ColumnType::Real,
        ("double precision" | "double" | "float8", Some([])) => ColumnType::Double,
        ("text", Some([])) => ColumnType::Text,
        ("varchar" | "character varying", Some([n])) => ColumnType::Varchar(*n),
        ("bytea" | "blob", Some([])) => ColumnType::Blob,
        ("date", Some([])) => ColumnType::Date,
        ("time" | "time without time zone", Some([])) => ColumnType::Time,
        ("timestamp" | "timestamp without time zone", Some([])) => ColumnType::Timestamp,
        ("timestamptz" | "timestamp with time zone", Some([])) => ColumnType::TimestampTz,
        ("uuid", Some([])) => ColumnType::Uuid,
        ("jsonb", Some([])) => ColumnType::Json,
        ("numeric" | "decimal", Some([])) => ColumnType::Numeric(None),
        ("numeric" | "decimal", Some([p, s])) => ColumnType::Numeric(Some((*p, *s))),
        _ => ColumnType::Custom(text.trim().to_string()),
    }
}

/// The canonical spelling, which is PostgreSQL's (`BIGINT`, `VARCHAR(40)`,
/// `TIMESTAMPTZ`); [`parse_type`] reads it back. An enum type shows its name
/// and a custom type its SQL, both as written.
impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Boolean => f.write_str("BOOLEAN"),
            ColumnType::SmallInt => f.write_str("SMALLINT"),
            ColumnType::Integer => f.write_str("INTEGER"),
            ColumnType::BigInt => f.write_str("BIGINT"),
            ColumnType::Real => f.write_str("REAL"),
            ColumnType::Double => f.write_str("DOUBLE PRECISION"),
            ColumnType::Text => f.write_str("TEXT"),
            ColumnType::Varchar(n) => write!(f, "VARCHAR({n})"),
            ColumnType::Blob => f.write_str("BYTEA"),
            ColumnType::Date => f.write_str("DATE"),
            ColumnType::Time => f.write_str("TIME"),
            ColumnType::Timestamp => f.write_str("TIMESTAMP"),
            ColumnType::TimestampTz => f.write_str("TIMESTAMPTZ"),
            ColumnType::Uuid => f.write_str("UUID"),
            ColumnType::Json => f.write_str("JSONB"),
            ColumnType::Numeric(None) => f.write_str("NUMERIC"),
            ColumnType::Numeric(Some((p, s))) => write!(f, "NUMERIC({p}, {s})"),
            ColumnType::Enum(name) => f.write_str(name),
            ColumnType::Custom(sql) => f.write_str(sql),
        }
    }
}

/// Better advice than [`SqlType`]'s for field types whose fix is known: the cargo
/// feature that provides them, or the signed type to use. `#[model]` picks one of
/// these bounds from how the field's type is written (`chrono::...`, `u64`, ...,
/// inside `Option` too); each holds for exactly the types that implement
/// [`SqlType`], and the compiler reports the failing bound's message.
pub mod hint {
    use super::{ColumnType, SqlType};

    macro_rules! hints {
        ($($(#[$doc:meta])* $trait:ident: $message:literal, $label:literal, $note:literal;)*) => {$(
            $(#[$doc])*
            #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
            pub trait $trait: SqlType {}

            impl<T: SqlType + ?Sized> $trait for T {}
        )*};
    }

    // Written out, not generated: a failing bound's note quotes these lines.

    /// `T`'s column type and nullability under the [`Chrono`] bound.
    pub const fn chrono<T: Chrono + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    /// `T`'s column type and nullability under the [`Time`] bound.
    pub const fn time<T: Time + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    /// `T`'s column type and nullability under the [`Uuid`] bound.
    pub const fn uuid<T: Uuid + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    /// `T`'s column type and nullability under the [`SerdeJson`] bound.
    pub const fn serde_json<T: SerdeJson + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    /// `T`'s column type and nullability under the [`RustDecimal`] bound.
    pub const fn rust_decimal<T: RustDecimal + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    /// `T`'s column type and nullability under the [`Integer`] bound.
    pub const fn integer<T: Integer + ?Sized>() -> (fn() -> ColumnType, bool) {
        (T::column_type, T::NULLABLE)
    }

    hints! {
        /// chrono's types.
        Chrono: "`{Self}` is not a column type; chrono's types need migrate's `chrono` feature",
            "needs migrate's `chrono` feature",
            "in Cargo.toml: `migrate = {{ version = \"0.1\", features = [\"chrono\"] }}` (NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>); for another chrono type, wrap it in a newtype of your own that implements `migrate::SqlType`, or give the field `#[column(sql_type = \"...\")]`";
        /// time's types.
        Time: "`{Self}` is not a column type; time's types need migrate's `time` feature",
            "needs migrate's `time` feature",
            "in Cargo.toml: `migrate = {{ version = \"0.1\", features = [\"time\"] }}` (Date, Time, PrimitiveDateTime, OffsetDateTime); for another type, wrap it in a newtype of your own that implements `migrate::SqlType`, or give the field `#[column(sql_type = \"...\")]`";
        /// uuid's `Uuid`.
        Uuid: "`{Self}` is not a column type; `Uuid` needs migrate's `uuid` feature",
            "needs migrate's `uuid` feature",
            "in Cargo.toml: `migrate = {{ version = \"0.1\", features = [\"uuid\"] }}`; or wrap it in a newtype of your own that implements `migrate::SqlType`, or give the field `#[column(sql_type = \"UUID\")]`";
        /// serde_json's `Value`.
        SerdeJson: "`{Self}` is not a column type; `serde_json::Value` needs migrate's `serde_json` feature",
            "needs migrate's `serde_json` feature",
            "in Cargo.toml: `migrate = {{ version = \"0.1\", features = [\"serde_json\"] }}`; or wrap it in a newtype of your own that implements `migrate::SqlType`, or give the field `#[column(sql_type = \"JSONB\")]`";
        /// rust_decimal's `Decimal`.
        RustDecimal: "`{Self}` is not a column type; `Decimal` needs migrate's `rust_decimal` feature",
            "needs migrate's `rust_decimal` feature",
            "in Cargo.toml: `migrate = {{ version = \"0.1\", features = [\"rust_decimal\"] }}`; or wrap it in a newtype of your own that implements `migrate::SqlType`, or give the field `#[column(sql_type = \"NUMERIC(20, 4)\")]`";
        /// Integers the databases have no column for (unsigned, 8- and 128-bit).
        Integer: "`{Self}` is not a column type: the databases have signed 16-, 32- and 64-bit integers only",
            "no SQL integer column holds exactly this type",
            "use a signed type that holds every value (i16 for u8 and i8, i32 for u16, i64 for u32; for u64, i64 if the values fit), or wrap it in a newtype of your own that implements `migrate::SqlType` (it cannot be implemented for `{Self}` itself: the orphan rule), or give the field `#[column(sql_type = \"NUMERIC(20)\")]`";
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_type, ColumnType};

    #[test]
    fn the_canonical_spelling_reads_back() {
        let every = [
            ColumnType::Boolean,
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
            ColumnType::Real,
            ColumnType::Double,
            ColumnType::Text,
            ColumnType::Varchar(40),
            ColumnType::Blob,
            ColumnType::Date,
            ColumnType::Time,
            ColumnType::Timestamp,
            ColumnType::TimestampTz,
            ColumnType::Uuid,
            ColumnType::Json,
            ColumnType::Numeric(None),
            ColumnType::Numeric(Some((10, 2))),
            ColumnType::Custom("point".into()),
        ];
        for ty in every {
            assert_eq!(parse_type(&ty.to_string()), ty);
        }
    }
}
