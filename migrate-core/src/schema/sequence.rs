//! What PostgreSQL chooses for a sequence that a serial or identity column
//! leaves unsaid: its name and its options' defaults for the column's type.
//! A [`Sequence`] keeps only what differs from these, so that a model naming
//! nothing equals a database that chose everything itself.

use super::names::{clip, MAX_NAME_BYTES};
use super::{ColumnType, Sequence};

/// The name PostgreSQL gives a serial or identity column's sequence:
/// `{table}_{column}_seq`, the longer of the two parts cut first until the whole
/// fits in [`MAX_NAME_BYTES`] (PostgreSQL's `makeObjectName`).
///
/// ```
/// use migrate_core::schema::sequence::default_sequence_name;
/// assert_eq!(default_sequence_name("tagline", "id"), "tagline_id_seq");
/// assert_eq!(default_sequence_name(&"t".repeat(70), "id").len(), 63);
/// ```
pub fn default_sequence_name(table: &str, column: &str) -> String {
    const LABEL: &str = "seq";
    let available = MAX_NAME_BYTES - LABEL.len() - 2;
    let (mut a, mut b) = (table.len(), column.len());
    while a + b > available {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    format!("{}_{}_{LABEL}", clip(table, a), clip(column, b))
}

/// Every option of a sequence, as PostgreSQL stores it (`pg_sequence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceValues {
    /// `START WITH`.
    pub start: i64,
    /// `INCREMENT BY`.
    pub increment: i64,
    /// `MINVALUE`.
    pub min_value: i64,
    /// `MAXVALUE`.
    pub max_value: i64,
    /// `CACHE`.
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
}

/// The largest value of a sequence feeding a column of type `ty`: a sequence is
/// `AS` the column's integer type.
pub fn type_max(ty: &ColumnType) -> i64 {
    match ty {
        ColumnType::SmallInt => i16::MAX.into(),
        ColumnType::Integer => i32::MAX.into(),
        _ => i64::MAX,
    }
}

fn type_min(ty: &ColumnType) -> i64 {
    match ty {
        ColumnType::SmallInt => i16::MIN.into(),
        ColumnType::Integer => i32::MIN.into(),
        _ => i64::MIN,
    }
}

impl Sequence {
    /// Every option, defaults filled in as PostgreSQL fills them for a sequence
    /// `AS ty`: ascending from 1 to the type's maximum, or descending from -1
    /// to its minimum; starting at the bound it counts away from.
    pub fn values(&self, ty: &ColumnType) -> SequenceValues {
        let increment = self.increment.unwrap_or(1);
        let ascending = increment > 0;
        let min_value = self
            .min_value
            .unwrap_or(if ascending { 1 } else { type_min(ty) });
        let max_value = self
            .max_value
            .unwrap_or(if ascending { type_max(ty) } else { -1 });
        SequenceValues {
            start: self
                .start
                .unwrap_or(if ascending { min_value } else { max_value }),
            increment,
            min_value,
            max_value,
            cache: self.cache.unwrap_or(1),
            cycle: self.cycle,
        }
    }

    /// The sequence `name` with `values`, each option kept only where it is not
    /// what PostgreSQL would choose for a column of type `ty` (the inverse of
    /// [`Sequence::values`]). `name` is `None` when it is
    /// [`default_sequence_name`] of `table` and `column`.
    pub fn from_values(
        name: &str,
        (table, column): (&str, &str),
        values: SequenceValues,
        ty: &ColumnType,
    ) -> Sequence {
        let defaults = Sequence::default().values(ty);
        let ascending = values.increment > 0;
        let min_default = if ascending { 1 } else { type_min(ty) };
        let max_default = if ascending { type_max(ty) } else { -1 };
        let start_default = if ascending {
            values.min_value
        } else {
            values.max_value
        };
        let keep = |value: i64, default: i64| (value != default).then_some(value);
        Sequence {
            name: (name != default_sequence_name(table, column)).then(|| name.to_string()),
            start: keep(values.start, start_default),
            increment: keep(values.increment, defaults.increment),
            min_value: keep(values.min_value, min_default),
            max_value: keep(values.max_value, max_default),
            cache: keep(values.cache, defaults.cache),
            cycle: values.cycle,
        }
    }

    /// Whether every option is PostgreSQL's default (the name aside).
    pub fn has_default_options(&self) -> bool {
        Sequence {
            name: None,
            ..self.clone()
        } == Sequence::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_read_back_as_none() {
        for ty in [
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
        ] {
            let values = Sequence::default().values(&ty);
            assert_eq!(
                Sequence::from_values("t_id_seq", ("t", "id"), values, &ty),
                Sequence::default()
            );
        }
        let odd = Sequence {
            name: Some("odd".into()),
            start: Some(100),
            increment: Some(-5),
            min_value: Some(-1000),
            max_value: Some(500),
            cache: Some(20),
            cycle: true,
        };
        let values = odd.values(&ColumnType::Integer);
        assert_eq!(
            Sequence::from_values("odd", ("t", "id"), values, &ColumnType::Integer),
            odd
        );
    }

    #[test]
    fn long_names_are_cut_as_postgres_cuts_them() {
        let name = default_sequence_name(&"a".repeat(40), &"b".repeat(40));
        assert_eq!(name, format!("{}_{}_seq", "a".repeat(29), "b".repeat(29)));
        assert_eq!(name.len(), MAX_NAME_BYTES);
    }
}
