//! Column types through a trait, so the list is not hard-coded in the macro and
//! applications add their own types.

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
    note = "implement `migrate::SqlType` for `{Self}`, give the field `#[column(sql_type = \"...\")]`, or leave it out with `#[column(skip)]`"
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
