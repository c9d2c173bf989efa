//! When each rule fires: one statement, read against the schema before it, the
//! tables its own revision created, and what came earlier in its section.

use rustc_hash::FxHashSet;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableAlgorithm, AlterTableLock, AlterTableOperation,
    AlterTypeOperation, ColumnDef, ColumnOption, CreateTable, DataType, ExactNumberInfo,
    ObjectType, Statement, TableConstraint, TimezoneInfo,
};

use super::parse::{ident, object_name, Maintenance, Parsed, Tokens};
use super::rules::{self, Rule};
use super::schema_track::Known;
use crate::dialect::Dialect;

/// What a section has done so far, for rules about a later statement of the
/// same transaction.
#[derive(Debug, Default)]
pub struct SectionState {
    /// Constraints added `NOT VALID` earlier in this transactional section.
    pub not_valid: FxHashSet<String>,
    /// Enum values added earlier in this transactional section.
    pub enum_values: Vec<String>,
}

/// Everything a check may read.
pub struct Context<'a> {
    /// The dialect the section runs on.
    pub dialect: Dialect,
    /// False in a `transaction:false` section.
    pub transactional: bool,
    /// The schema just before the statement.
    pub known: &'a Known,
    /// Tables the revision created before this statement.
    pub created: &'a FxHashSet<String>,
}

impl Context<'_> {
    /// True for a table that existed before the revision (or that lint does not
    /// know at all: it was not created here).
    fn existing(&self, table: &str) -> bool {
        !self.created.contains(table)
    }
}

/// A rule that fired, with what it says about this statement.
pub type Hit = (&'static Rule, String);

/// The rules `statement` breaks. `section` is updated for later statements.
pub fn statement(
    cx: &Context<'_>,
    tokens: &Tokens,
    parsed: &Parsed,
    section: &mut SectionState,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    if cx.transactional {
        in_transaction(tokens, parsed, section, &mut hits);
    }
    match parsed {
        Parsed::Maintenance(m) => maintenance(cx, m, &mut hits),
        Parsed::Statement(s) => match s.as_ref() {
            Statement::CreateIndex(index) => {
                let table = object_name(&index.table_name);
                if cx.dialect == Dialect::Mysql {
                    if cx.existing(&table) && !lock_none(&index.alter_options) {
                        hits.push((
                            &rules::INDEX_WITHOUT_LOCK_NONE,
                            format!(
                                "CREATE {}INDEX on existing table `{table}` without LOCK=NONE may block writes to it while the index builds",
                                if index.unique { "UNIQUE " } else { "" }
                            ),
                        ));
                    }
                } else if !index.concurrently && cx.existing(&table) {
                    hits.push((
                        &rules::INDEX_WITHOUT_CONCURRENTLY,
                        format!(
                            "CREATE {}INDEX on existing table `{table}` without CONCURRENTLY blocks writes to it while the index builds",
                            if index.unique { "UNIQUE " } else { "" }
                        ),
                    ));
                }
            }
            Statement::CreateTable(create) => create_table(cx, create, &mut hits),
            Statement::AlterTable(alter) => {
                let table = object_name(&alter.name);
                if cx.existing(&table) {
                    for op in &alter.operations {
                        alter_table(cx, &table, op, section, &mut hits);
                    }
                    if cx.dialect == Dialect::Mysql {
                        mysql_alter(cx, &table, &alter.operations, &mut hits);
                    }
                } else {
                    for op in &alter.operations {
                        if let AlterTableOperation::AddColumn { column_def, .. } = op {
                            style(cx, column_def, false, &mut hits);
                        }
                    }
                }
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for name in names.iter().map(object_name) {
                    if cx.existing(&name) {
                        hits.push((
                            &rules::DROP,
                            format!("DROP TABLE `{name}`: the release still serving traffic may read or write it"),
                        ));
                    }
                }
            }
            Statement::RenameTable(renames) => {
                for r in renames {
                    let name = object_name(&r.old_name);
                    if cx.existing(&name) {
                        hits.push((&rules::RENAME, rename_table_message(&name)));
                    }
                }
            }
            Statement::Lock(lock) => {
                let tables: Vec<String> = lock
                    .tables
                    .iter()
                    .map(|t| object_name(&t.name))
                    .filter(|t| cx.existing(t))
                    .collect();
                if !tables.is_empty() {
                    hits.push((
                        &rules::LOCK_TABLE,
                        format!(
                            "LOCK TABLE `{}` holds a lock until the migration's transaction ends, queueing every query behind it",
                            tables.join("`, `")
                        ),
                    ));
                }
            }
            _ => {}
        },
        Parsed::Unparsed(reason) => hits.push((
            &rules::UNPARSED,
            format!("lint could not parse this statement ({reason})"),
        )),
    }
    hits.retain(|(rule, _)| rule.applies_to(cx.dialect));
    hits
}

/// The errors: statements PostgreSQL refuses, or whose effect is unusable,
/// inside a transaction.
fn in_transaction(
    tokens: &Tokens,
    parsed: &Parsed,
    section: &mut SectionState,
    hits: &mut Vec<Hit>,
) {
    let first = tokens.first();
    let concurrently = tokens.has("CONCURRENTLY")
        && (matches!(first, "CREATE" | "DROP" | "REINDEX")
            || (first == "ALTER" && tokens.has("DETACH")));
    if concurrently {
        hits.push((
            &rules::CONCURRENTLY_IN_TRANSACTION,
            format!(
                "{first} ... CONCURRENTLY cannot run inside a transaction block; this section runs in one, so the migration fails"
            ),
        ));
    }
    if first == "VACUUM" {
        hits.push((
            &rules::VACUUM_IN_TRANSACTION,
            "VACUUM cannot run inside a transaction block; this section runs in one, so the migration fails".to_string(),
        ));
    }
    if let Some(value) = section
        .enum_values
        .iter()
        .find(|v| tokens.strings.contains(v))
    {
        hits.push((
            &rules::ENUM_VALUE_USED_IN_TRANSACTION,
            format!(
                "uses the enum value '{value}' added earlier in the same transaction; PostgreSQL refuses a new enum value until that transaction commits (\"unsafe use of new value\")"
            ),
        ));
    }
    if let Parsed::Statement(s) = parsed {
        match s.as_ref() {
            Statement::AlterType(alter) => {
                if let AlterTypeOperation::AddValue(add) = &alter.operation {
                    section.enum_values.push(add.value.value.clone());
                }
            }
            Statement::AlterTable(alter) => {
                for op in &alter.operations {
                    if let AlterTableOperation::AddConstraint {
                        constraint,
                        not_valid: true,
                    } = op
                    {
                        if let Some(name) = constraint_name(constraint) {
                            section.not_valid.insert(name);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn maintenance(cx: &Context<'_>, m: &Maintenance, hits: &mut Vec<Hit>) {
    if m.table.as_deref().is_some_and(|t| !cx.existing(t)) {
        return;
    }
    let on = m
        .table
        .as_ref()
        .map_or(String::new(), |t| format!(" on `{t}`"));
    let what = match m.command {
        "VACUUM" if m.full => "VACUUM FULL",
        "CLUSTER" => "CLUSTER",
        "REINDEX" if !m.concurrently => "REINDEX without CONCURRENTLY",
        _ => return,
    };
    hits.push((
        &rules::BLOCKING_MAINTENANCE,
        format!("{what}{on} holds an ACCESS EXCLUSIVE lock (or, for REINDEX, blocks writes) for as long as it takes"),
    ));
}

fn create_table(cx: &Context<'_>, create: &CreateTable, hits: &mut Vec<Hit>) {
    let table_pk: Vec<String> = create
        .constraints
        .iter()
        .filter_map(|c| match c {
            TableConstraint::PrimaryKey(pk) if pk.columns.len() == 1 => {
                Some(pk.columns[0].column.expr.to_string().to_lowercase())
            }
            _ => None,
        })
        .collect();
    for column in &create.columns {
        style(cx, column, table_pk.contains(&ident(&column.name)), hits);
    }
}

/// The info rules, for a column being created.
fn style(cx: &Context<'_>, column: &ColumnDef, table_pk: bool, hits: &mut Vec<Hit>) {
    if cx.dialect != Dialect::Postgres {
        return;
    }
    let name = ident(&column.name);
    let is_key = table_pk
        || column
            .options
            .iter()
            .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)));
    let small = matches!(
        column.data_type,
        DataType::Int(_) | DataType::Integer(_) | DataType::Int4(_) | DataType::SmallInt(_)
    ) || matches!(
        type_name(&column.data_type).as_str(),
        "serial" | "serial4" | "smallserial"
    );
    if is_key && small {
        hits.push((
            &rules::PREFER_BIGINT_KEY,
            format!(
                "key column `{name}` is {}, which runs out at about 2 billion rows",
                column.data_type
            ),
        ));
    }
    if matches!(
        column.data_type,
        DataType::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone)
    ) {
        hits.push((
            &rules::PREFER_TIMESTAMPTZ,
            format!("column `{name}` is TIMESTAMP without time zone"),
        ));
    }
}

fn alter_table(
    cx: &Context<'_>,
    table: &str,
    op: &AlterTableOperation,
    section: &SectionState,
    hits: &mut Vec<Hit>,
) {
    match op {
        AlterTableOperation::AddColumn { column_def, .. } => {
            add_column(cx, table, column_def, hits);
            style(cx, column_def, false, hits);
        }
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } => match constraint {
            TableConstraint::Unique(_) | TableConstraint::PrimaryKey(_) => hits.push((
                &rules::CONSTRAINT_UNDER_LOCK,
                format!(
                    "adding a {} to existing table `{table}` builds its index under an ACCESS EXCLUSIVE lock",
                    if matches!(constraint, TableConstraint::Unique(_)) { "UNIQUE constraint" } else { "PRIMARY KEY" }
                ),
            )),
            TableConstraint::ForeignKey(_) | TableConstraint::Check(_) if !not_valid => {
                let kind = if matches!(constraint, TableConstraint::Check(_)) {
                    "CHECK"
                } else {
                    "FOREIGN KEY"
                };
                hits.push((
                    &rules::CONSTRAINT_WITHOUT_NOT_VALID,
                    format!("adding a {kind} to existing table `{table}` without NOT VALID checks every row while holding a lock that blocks writes"),
                ));
            }
            _ => {}
        },
        AlterTableOperation::ValidateConstraint { name }
            if cx.transactional && section.not_valid.contains(&ident(name)) =>
        {
            hits.push((
                &rules::VALIDATE_IN_SAME_TRANSACTION,
                format!(
                    "VALIDATE CONSTRAINT `{}` in the transaction that added it NOT VALID keeps the ADD's lock through the whole validation",
                    ident(name)
                ),
            ));
        }
        AlterTableOperation::AlterColumn { column_name, op } => {
            let column = ident(column_name);
            match op {
                AlterColumnOperation::SetNotNull => {
                    let proven = cx
                        .known
                        .tables
                        .get(table)
                        .is_some_and(|t| t.proven_not_null.contains(&column));
                    if !proven {
                        hits.push((
                            &rules::SET_NOT_NULL,
                            format!("SET NOT NULL on `{table}.{column}` scans the whole table under an ACCESS EXCLUSIVE lock"),
                        ));
                    }
                }
                AlterColumnOperation::SetDataType {
                    data_type, using, ..
                } => {
                    let old = cx.known.column_type(table, &column);
                    if using.is_some() || !old.is_some_and(|old| safe_change(old, data_type)) {
                        let from = old.map_or("a type lint does not know".to_string(), |t| {
                            t.to_string()
                        });
                        hits.push((
                            &rules::COLUMN_TYPE_CHANGE,
                            format!("changing `{table}.{column}` from {from} to {data_type} rewrites the table under an ACCESS EXCLUSIVE lock"),
                        ));
                    }
                }
                _ => {}
            }
        }
        AlterTableOperation::DropColumn { column_names, .. } => {
            for c in column_names {
                hits.push((
                    &rules::DROP,
                    format!(
                        "DROP COLUMN `{table}.{}`: the release still serving traffic may read or write it",
                        ident(c)
                    ),
                ));
            }
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => hits.push((
            &rules::RENAME,
            format!(
                "RENAME COLUMN `{table}.{}` to `{}`: the release still serving traffic uses the old name",
                ident(old_column_name),
                ident(new_column_name)
            ),
        )),
        AlterTableOperation::ChangeColumn {
            old_name, new_name, ..
        } if ident(old_name) != ident(new_name) => hits.push((
            &rules::RENAME,
            format!(
                "CHANGE COLUMN renames `{table}.{}` to `{}`: the release still serving traffic uses the old name",
                ident(old_name),
                ident(new_name)
            ),
        )),
        AlterTableOperation::RenameTable { .. } => {
            hits.push((&rules::RENAME, rename_table_message(table)))
        }
        _ => {}
    }
}

/// `LOCK=NONE` among a MySQL statement's options: the server refuses the
/// statement rather than block writes.
fn lock_none(options: &[AlterTableOperation]) -> bool {
    options.iter().any(|o| {
        matches!(
            o,
            AlterTableOperation::Lock {
                lock: AlterTableLock::None,
                ..
            }
        )
    })
}

/// The MySQL/MariaDB rules about one `ALTER TABLE` on an existing table, which
/// read its `ALGORITHM` and `LOCK` clauses. Without either, the server picks
/// the least blocking algorithm it can, down to copying the table (which
/// blocks writes until the copy is done) without saying so; with one, it
/// refuses what it cannot do that way.
fn mysql_alter(
    cx: &Context<'_>,
    table: &str,
    operations: &[AlterTableOperation],
    hits: &mut Vec<Hit>,
) {
    let lock_none = lock_none(operations);
    let online = lock_none
        || operations.iter().any(|o| {
            matches!(
                o,
                AlterTableOperation::Algorithm {
                    algorithm: AlterTableAlgorithm::Inplace | AlterTableAlgorithm::Instant,
                    ..
                }
            )
        });
    for op in operations {
        let copy = match op {
            AlterTableOperation::ModifyColumn {
                col_name: name,
                data_type,
                ..
            }
            | AlterTableOperation::ChangeColumn {
                old_name: name,
                data_type,
                ..
            } => {
                let column = ident(name);
                // The same type, as the history knows it (a change of the
                // default, the nullability, the name or the comment), or new
                // values at the end of an ENUM: the server changes these in
                // place.
                let old = cx.known.column_type(table, &column);
                let in_place =
                    old.is_some_and(|old| old == data_type || appends_enum_values(old, data_type));
                (!in_place).then(|| {
                    let from =
                        old.map_or("a type lint does not know".to_string(), |t| t.to_string());
                    format!("changing `{table}.{column}` from {from} to {data_type}")
                })
            }
            AlterTableOperation::DropPrimaryKey { .. } => {
                Some(format!("dropping the primary key of `{table}`"))
            }
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::PrimaryKey(_),
                ..
            } => Some(format!("adding a primary key to `{table}`")),
            _ => None,
        };
        if let (Some(what), false) = (copy, online) {
            hits.push((
                &rules::TABLE_COPY,
                format!("{what} without ALGORITHM=INPLACE/INSTANT or LOCK=NONE: where the change needs a copy of the table, the server makes one and blocks writes until it is done"),
            ));
        }
        let index = match op {
            AlterTableOperation::AddConstraint { constraint, .. } => match constraint {
                TableConstraint::Index(_) => Some("an index"),
                TableConstraint::Unique(_) => Some("a unique index"),
                TableConstraint::FulltextOrSpatial(_) => Some("a FULLTEXT or SPATIAL index"),
                _ => None,
            },
            _ => None,
        };
        if let (Some(what), false) = (index, lock_none) {
            hits.push((
                &rules::INDEX_WITHOUT_LOCK_NONE,
                format!("adding {what} to existing table `{table}` without LOCK=NONE may block writes to it while the index builds"),
            ));
        }
    }
}

/// True when `new` is the ENUM `old` with values added at its end, which
/// MySQL and MariaDB add without copying the table.
fn appends_enum_values(old: &DataType, new: &DataType) -> bool {
    match (old, new) {
        (DataType::Enum(old, _), DataType::Enum(new, _)) => new.starts_with(old),
        _ => false,
    }
}

fn rename_table_message(table: &str) -> String {
    format!("renaming table `{table}`: the release still serving traffic uses the old name")
}

fn add_column(cx: &Context<'_>, table: &str, column: &ColumnDef, hits: &mut Vec<Hit>) {
    let name = ident(&column.name);
    let default = column.options.iter().find_map(|o| match &o.option {
        ColumnOption::Default(e) => Some(e.to_string()),
        _ => None,
    });
    let generated = column.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::Generated { .. } | ColumnOption::Identity(_)
        )
    });
    let serial = matches!(
        type_name(&column.data_type).as_str(),
        "serial" | "serial2" | "serial4" | "serial8" | "smallserial" | "bigserial"
    );
    let not_null = column.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::NotNull | ColumnOption::PrimaryKey(_)
        )
    });
    let auto_increment = column.options.iter().any(|o| {
        matches!(&o.option, ColumnOption::DialectSpecific(tokens)
            if tokens.iter().any(|t| t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT")))
    });
    if not_null && default.is_none() && !generated && !serial && !auto_increment {
        let why = match cx.dialect {
            Dialect::Sqlite => "SQLite refuses a NOT NULL column without a default",
            Dialect::Postgres => "it fails as soon as the table has a row",
            Dialect::Mysql => {
                "rows already there silently get the type's implicit default (0, '', a zero date), which no code wrote"
            }
        };
        hits.push((
            &rules::ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT,
            format!("ADD COLUMN `{table}.{name}` NOT NULL without a DEFAULT: {why}"),
        ));
    }
    let volatile = default.as_deref().and_then(volatile_call);
    if let Some(what) = volatile
        .map(|f| format!("DEFAULT {f}(...)"))
        .or_else(|| serial.then(|| column.data_type.to_string()))
        .or_else(|| generated.then(|| "a generated or identity column".to_string()))
    {
        hits.push((
            &rules::VOLATILE_DEFAULT,
            format!("ADD COLUMN `{table}.{name}` with {what} rewrites the whole table under an ACCESS EXCLUSIVE lock (a constant default would not)"),
        ));
    }
    for option in &column.options {
        if matches!(
            option.option,
            ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_)
        ) {
            hits.push((
                &rules::CONSTRAINT_UNDER_LOCK,
                format!("ADD COLUMN `{table}.{name}` with an inline PRIMARY KEY or UNIQUE builds its index under an ACCESS EXCLUSIVE lock"),
            ));
        }
    }
}

/// The volatile function a default calls, if any: such a default is computed
/// per row, so adding the column rewrites the table (a stable one such as
/// `now()` is computed once and stored in the catalog).
fn volatile_call(default: &str) -> Option<&'static str> {
    const VOLATILE: [&str; 12] = [
        "random",
        "gen_random_uuid",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "txid_current",
        "setseed",
    ];
    let lower = default.to_lowercase();
    VOLATILE.into_iter().find(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + f.len()..].trim_start().chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
        })
    })
}

/// A custom type's name, lower-cased (`bigserial`, an enum's name).
fn type_name(ty: &DataType) -> String {
    match ty {
        DataType::Custom(name, _) => object_name(name),
        _ => String::new(),
    }
}

/// True when PostgreSQL changes `old` to `new` without rewriting the table or
/// its indexes: the same type, a longer (or unbounded) VARCHAR, VARCHAR to TEXT
/// and back to an unbounded VARCHAR, or a NUMERIC with more precision and the
/// same scale.
pub fn safe_change(old: &DataType, new: &DataType) -> bool {
    use DataType as T;
    if old == new {
        return true;
    }
    let varchar = |t: &DataType| match t {
        T::Varchar(len) | T::CharacterVarying(len) => Some(len.as_ref().map(|l| match l {
            sqlparser::ast::CharacterLength::IntegerLength { length, .. } => *length,
            sqlparser::ast::CharacterLength::Max => u64::MAX,
        })),
        _ => None,
    };
    let numeric = |t: &DataType| match t {
        T::Numeric(info) | T::Decimal(info) => Some(*info),
        _ => None,
    };
    match (old, new) {
        (_, T::Text) => varchar(old).is_some() || matches!(old, T::Text),
        (T::Text, _) => varchar(new) == Some(None),
        _ => match (varchar(old), varchar(new), numeric(old), numeric(new)) {
            (Some(_), Some(None), _, _) => true,
            (Some(Some(a)), Some(Some(b)), _, _) => b >= a,
            (_, _, Some(_), Some(ExactNumberInfo::None)) => true,
            (_, _, Some(a), Some(b)) => match (a, b) {
                (ExactNumberInfo::Precision(p), ExactNumberInfo::Precision(q)) => q >= p,
                (
                    ExactNumberInfo::PrecisionAndScale(p, s),
                    ExactNumberInfo::PrecisionAndScale(q, t),
                ) => q >= p && s == t,
                (ExactNumberInfo::Precision(p), ExactNumberInfo::PrecisionAndScale(q, 0)) => q >= p,
                _ => false,
            },
            _ => false,
        },
    }
}

/// A constraint's name, folded.
fn constraint_name(c: &TableConstraint) -> Option<String> {
    let name = match c {
        TableConstraint::ForeignKey(fk) => fk.name.as_ref(),
        TableConstraint::Check(check) => check.name.as_ref(),
        _ => None,
    };
    name.map(ident)
}
