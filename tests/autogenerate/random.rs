//! The random schemas a case starts from (M1) and the random change it makes
//! (M2), drawn from a seed.

use migrate::schema::{
    CheckConstraint, Column, ColumnType, Deferral, EnumType, FkAction, ForeignKey, Index, IndexKey,
    Schema, Table, UniqueConstraint,
};

/// A random deferral for a constraint.
fn deferral(rng: &mut Rng) -> Deferral {
    [
        Deferral::NotDeferrable,
        Deferral::Immediate,
        Deferral::Deferred,
    ][rng.below(3)]
}

/// A small deterministic generator, so a failing case is reproduced by its seed.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Types a column may change between: every pair casts on PostgreSQL.
pub(crate) const CASTABLE: &[ColumnType] = &[
    ColumnType::SmallInt,
    ColumnType::Integer,
    ColumnType::BigInt,
    ColumnType::Text,
    ColumnType::Varchar(40),
    ColumnType::Double,
];

pub(crate) fn any_type(rng: &mut Rng, enums: &[EnumType]) -> ColumnType {
    let fixed = [
        ColumnType::Boolean,
        ColumnType::Date,
        ColumnType::Timestamp,
        ColumnType::Blob,
        ColumnType::Numeric(Some((10, 2))),
    ];
    match rng.below(10) {
        0..=5 => CASTABLE[rng.below(CASTABLE.len())].clone(),
        6..=8 => fixed[rng.below(fixed.len())].clone(),
        _ => match enums.first() {
            Some(e) => ColumnType::Enum(e.name.clone()),
            None => ColumnType::Text,
        },
    }
}

pub(crate) fn default_for(rng: &mut Rng, ty: &ColumnType) -> Option<String> {
    if !rng.chance(30) {
        return None;
    }
    match ty {
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => {
            Some(["0", "42", "-1"][rng.below(3)].to_string())
        }
        ColumnType::Double => Some("1.5".to_string()),
        ColumnType::Text | ColumnType::Varchar(_) => Some("'x'".to_string()),
        ColumnType::Boolean => Some("false".to_string()),
        // Every version of the test's enum keeps `calm`.
        ColumnType::Enum(_) => Some("'calm'".to_string()),
        _ => None,
    }
}

pub(crate) fn column(rng: &mut Rng, name: String, enums: &[EnumType]) -> Column {
    let ty = any_type(rng, enums);
    Column {
        default: default_for(rng, &ty),
        name,
        ty,
        nullable: rng.chance(50),
        comment: None,
        generated: None,
        collation: None,
    }
}

pub(crate) fn id_column() -> Column {
    Column {
        name: "id".into(),
        ty: ColumnType::BigInt,
        nullable: false,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    }
}

pub(crate) fn new_table(rng: &mut Rng, name: String, schema: &Schema) -> Table {
    let mut table = Table {
        name: name.clone(),
        columns: vec![id_column()],
        primary_key: vec!["id".into()],
        ..Table::default()
    };
    for i in 0..1 + rng.below(3) {
        table
            .columns
            .push(column(rng, format!("c{i}"), &schema.enums));
    }
    if rng.chance(40) {
        add_index(rng, &mut table);
    }
    if let (true, false) = (rng.chance(50), schema.tables.is_empty()) {
        let target = &schema.tables[rng.below(schema.tables.len())];
        // A key references a primary key: only `id` alone qualifies.
        if target.primary_key == ["id"] {
            let target = target.name.clone();
            add_foreign_key(rng, &mut table, &target);
        }
    }
    table
}

pub(crate) fn add_index(rng: &mut Rng, table: &mut Table) {
    let column = table.columns[1 + rng.below(table.columns.len() - 1)]
        .name
        .clone();
    let name = format!("ix_{}_{column}", table.name);
    if table.indexes.iter().any(|i| i.name == name) {
        return;
    }
    if rng.chance(30) && !table.uniques.iter().any(|u| u.columns == [column.clone()]) {
        table.uniques.push(UniqueConstraint {
            name: format!("uq_{}_{column}", table.name),
            columns: vec![column],
            deferral: deferral(rng),
            nulls_not_distinct: rng.chance(20),
            ..UniqueConstraint::default()
        });
    } else {
        let mut index = Index {
            name,
            columns: vec![column.clone().into()],
            unique: rng.chance(30),
            ..Index::default()
        };
        let other = table
            .columns
            .iter()
            .map(|c| c.name.clone())
            .find(|c| *c != column);
        // PostgreSQL's features, one at a time; SQLite keeps what it can.
        match rng.below(7) {
            // An expression that holds whatever the column's type becomes.
            0 => index.columns[0] = IndexKey::expr(&format!("{column} IS NULL")),
            1 => {
                index.columns[0].descending = true;
                index.columns[0].nulls_first = rng.chance(50).then_some(false);
            }
            2 => index.columns[0].nulls_first = Some(true),
            3 if !index.unique => index.method = Some("hash".into()),
            4 => index.include = other.into_iter().collect(),
            5 if index.unique => index.nulls_not_distinct = true,
            _ => {}
        }
        table.indexes.push(index);
    }
}

pub(crate) fn add_foreign_key(rng: &mut Rng, table: &mut Table, target: &str) {
    let column = format!("{target}_id");
    if table.column(&column).is_some() {
        return;
    }
    table.columns.push(Column {
        name: column.clone(),
        ty: ColumnType::BigInt,
        nullable: true,
        default: None,
        comment: None,
        generated: None,
        collation: None,
    });
    let actions = [
        None,
        Some(FkAction::Cascade),
        Some(FkAction::SetNull),
        Some(FkAction::Restrict),
    ];
    table.foreign_keys.push(ForeignKey {
        name: format!("fk_{}_{column}", table.name),
        columns: vec![column],
        ref_schema: None,
        ref_table: target.to_string(),
        ref_columns: vec!["id".into()],
        on_delete: actions[rng.below(actions.len())],
        on_update: None,
        match_full: rng.chance(20),
        deferral: deferral(rng),
        not_valid: false,
    });
}

pub(crate) fn random_schema(rng: &mut Rng) -> Schema {
    let mut schema = Schema::default();
    if rng.chance(50) {
        schema.enums.push(EnumType {
            name: "mood".into(),
            variants: vec!["calm".into(), "busy".into()],
        });
    }
    for t in 0..1 + rng.below(3) {
        let table = new_table(rng, format!("t{t}"), &schema);
        schema.tables.push(table);
    }
    schema
}

/// Removes a column and everything that uses it.
pub(crate) fn drop_column(table: &mut Table, name: &str) {
    table.columns.retain(|c| c.name != name);
    table.primary_key.retain(|c| c != name);
    table.indexes.retain(|i| {
        !i.include.iter().any(|c| c == name)
            && !i
                .columns
                .iter()
                .any(|c| c.sql == name || (c.expression && c.sql.starts_with(&format!("{name} "))))
    });
    table
        .uniques
        .retain(|u| !u.columns.iter().any(|c| c == name));
    table
        .foreign_keys
        .retain(|f| !f.columns.iter().any(|c| c == name));
}

pub(crate) fn mutate(rng: &mut Rng, m1: &Schema) -> Schema {
    let mut m2 = m1.clone();
    for _ in 0..1 + rng.below(3) {
        let t = rng.below(m2.tables.len());
        match rng.below(16) {
            0 => {
                let name = format!("t{}", 10 + rng.below(90));
                if m2.table(&name).is_none() {
                    let table = new_table(rng, name, &m2);
                    m2.tables.push(table);
                }
            }
            1 if m2.tables.len() > 1 => {
                let gone = m2.tables.remove(t).name;
                for table in &mut m2.tables {
                    let columns: Vec<String> = table
                        .foreign_keys
                        .iter()
                        .filter(|f| f.ref_table == gone)
                        .flat_map(|f| f.columns.clone())
                        .collect();
                    for c in columns {
                        drop_column(table, &c);
                    }
                }
            }
            2 => {
                let name = format!("n{}", rng.below(100));
                if m2.tables[t].column(&name).is_none() {
                    let mut c = column(rng, name, &m2.enums);
                    c.nullable = c.nullable || c.default.is_none();
                    m2.tables[t].columns.push(c);
                }
            }
            3 if m2.tables[t].columns.len() > 2 => {
                let i = 1 + rng.below(m2.tables[t].columns.len() - 1);
                let name = m2.tables[t].columns[i].name.clone();
                drop_column(&mut m2.tables[t], &name);
            }
            4 | 5 => {
                let table = &mut m2.tables[t];
                let i = 1 + rng.below(table.columns.len() - 1);
                // A referencing column keeps its key's type.
                let references = table
                    .foreign_keys
                    .iter()
                    .any(|f| f.columns.contains(&table.columns[i].name));
                if CASTABLE.contains(&table.columns[i].ty) && !references {
                    let ty = CASTABLE[rng.below(CASTABLE.len())].clone();
                    table.columns[i].default = default_for(rng, &ty);
                    table.columns[i].ty = ty;
                }
            }
            6 => {
                let table = &mut m2.tables[t];
                let i = 1 + rng.below(table.columns.len() - 1);
                table.columns[i].nullable = !table.columns[i].nullable;
            }
            7 => {
                let table = &mut m2.tables[t];
                let i = 1 + rng.below(table.columns.len() - 1);
                let ty = table.columns[i].ty.clone();
                table.columns[i].default = default_for(rng, &ty);
            }
            8 => {
                let table = &mut m2.tables[t];
                if table.indexes.is_empty() || rng.chance(50) {
                    add_index(rng, table);
                } else {
                    table.indexes.remove(0);
                }
            }
            9 => {
                let target = &m2.tables[rng.below(m2.tables.len())];
                if target.primary_key == ["id"] {
                    let target = target.name.clone();
                    add_foreign_key(rng, &mut m2.tables[t], &target);
                }
            }
            10 => match m2.enums.first_mut() {
                Some(e) => e.variants.push(format!("v{}", e.variants.len())),
                None => m2.enums.push(EnumType {
                    name: "mood".into(),
                    variants: vec!["calm".into()],
                }),
            },
            11 => {
                // The enum type goes, with the columns that use it.
                if let Some(e) = m2.enums.pop() {
                    for table in &mut m2.tables {
                        let users: Vec<String> = table
                            .columns
                            .iter()
                            .filter(|c| c.ty == ColumnType::Enum(e.name.clone()))
                            .map(|c| c.name.clone())
                            .collect();
                        for c in users {
                            if table.columns.len() > 2 {
                                drop_column(table, &c);
                            } else {
                                table
                                    .columns
                                    .iter_mut()
                                    .filter(|x| x.name == c)
                                    .for_each(|x| x.ty = ColumnType::Text);
                            }
                        }
                    }
                }
            }
            12 => {
                let table = &mut m2.tables[t];
                if table.checks.is_empty() {
                    table.checks.push(CheckConstraint {
                        name: format!("ck_{}_id", table.name),
                        expr: "id > 0".into(),
                        not_valid: rng.chance(30),
                    });
                } else {
                    table.checks.clear();
                }
            }
            13 => {
                let table = &mut m2.tables[t];
                table.comment = match table.comment {
                    None => Some(format!("Table {}'s comment.", table.name)),
                    Some(_) => None,
                };
                let i = rng.below(table.columns.len());
                table.columns[i].comment = Some("A column, described.".into());
            }
            15 => {
                // A wider or narrower primary key, on a table no key references
                // (changing a referenced key is left to the author).
                let name = m2.tables[t].name.clone();
                let referenced = m2
                    .tables
                    .iter()
                    .any(|o| o.foreign_keys.iter().any(|f| f.ref_table == name));
                let table = &mut m2.tables[t];
                let c0 = table.columns[1].clone();
                let keyable = !matches!(c0.ty, ColumnType::Blob | ColumnType::Enum(_));
                if !referenced && keyable {
                    if table.primary_key.len() == 1 {
                        table.primary_key.push(c0.name);
                    } else {
                        table.primary_key.truncate(1);
                    }
                }
            }
            _ => {
                let table = &mut m2.tables[t];
                let column = table.columns[1].name.clone();
                let name = format!("ix_{}_partial", table.name);
                if table.indexes.iter().any(|i| i.name == name) {
                    table.indexes.retain(|i| i.name != name);
                } else {
                    table.indexes.push(Index {
                        name,
                        columns: vec![column.clone().into()],
                        unique: false,
                        predicate: Some(format!("{column} IS NOT NULL")),
                        ..Index::default()
                    });
                }
            }
        }
    }
    m2
}

/// PostgreSQL's column features over `schema`: integer columns become serial
/// (default or tuned sequences) or identity columns, some text columns get the
/// `C` collation, and some tables a stored column computed from their key.
/// Drawn afresh for M1 and M2, so a change between them alters, adds or drops
/// each feature.
pub(crate) fn postgres_columns(rng: &mut Rng, schema: &Schema) -> Schema {
    use migrate::schema::{Generation, Sequence};
    let mut out = schema.clone();
    let sequence = |rng: &mut Rng| {
        if rng.chance(50) {
            return Sequence::default();
        }
        Sequence {
            start: rng.chance(50).then(|| 100 + rng.below(100) as i64),
            increment: rng.chance(50).then(|| [2, 5, 10][rng.below(3)]),
            cache: rng.chance(30).then_some(10),
            cycle: rng.chance(20),
            ..Sequence::default()
        }
    };
    for table in &mut out.tables {
        for column in &mut table.columns {
            let integer = matches!(
                column.ty,
                ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
            );
            if integer && rng.chance(40) {
                column.nullable = false;
                column.default = None;
                column.generated = Some(if rng.chance(50) {
                    Generation::Serial(sequence(rng))
                } else {
                    Generation::Identity {
                        always: rng.chance(50),
                        sequence: sequence(rng),
                    }
                });
            } else if matches!(column.ty, ColumnType::Text | ColumnType::Varchar(_))
                && rng.chance(30)
            {
                column.collation = Some("C".into());
            }
        }
        if rng.chance(30) {
            let expr = ["id * 2", "id + 1"][rng.below(2)];
            table.columns.push(Column {
                name: "derived".into(),
                ty: ColumnType::BigInt,
                nullable: true,
                default: None,
                comment: None,
                generated: Some(Generation::Stored(expr.into())),
                collation: None,
            });
        }
    }
    out
}

/// MySQL's generated columns over `schema`: some tables get a column computed
/// from their key, stored or (as only a database, not a model, has it) virtual.
/// Drawn afresh for M1 and M2, so a change between them adds, drops or changes
/// an expression, or turns a stored column virtual.
pub(crate) fn mysql_columns(rng: &mut Rng, schema: &Schema) -> Schema {
    use migrate::schema::Generation;
    let mut out = schema.clone();
    for table in &mut out.tables {
        if rng.chance(30) {
            let expr = ["id * 2", "id + 1", "`id` DIV 2", "concat('n', id)"][rng.below(4)];
            let ty = if expr.starts_with("concat") {
                ColumnType::Varchar(40)
            } else {
                ColumnType::BigInt
            };
            table.columns.push(Column {
                name: "derived".into(),
                ty,
                nullable: rng.chance(50),
                default: None,
                comment: None,
                generated: Some(if rng.chance(20) {
                    Generation::Virtual(expr.into())
                } else {
                    Generation::Stored(expr.into())
                }),
                collation: None,
            });
        }
    }
    out
}
