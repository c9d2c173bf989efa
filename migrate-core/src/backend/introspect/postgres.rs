//! PostgreSQL's catalog, in six queries whatever the number of tables: the current
//! schema, tables, columns, constraints, indexes and enum types. Tables in the
//! current schema come back with `schema: None`, as models without
//! `schema = "..."` describe them.
//!
//! Indexes and constraints are read so that rendering them again gives back
//! what `pg_get_indexdef` and `pg_get_constraintdef` print: expressions, access
//! methods, operator classes, collations, ordering, `INCLUDE`, `NULLS NOT
//! DISTINCT`, exclusion constraints, deferral, `MATCH FULL` and `NOT VALID`.

use std::collections::BTreeMap;

use postgres::types::ToSql;
use postgres::{Client, Row};

use crate::backend::Dependent;
use crate::dialect::{create_enum_sql, create_index_sql, create_table_sql};
use crate::operations::TableRef;
use crate::schema::index_keys::{key_options, top_level_end, unquote};
use crate::schema::sequence::SequenceValues;
use crate::schema::types::parse_type;
use crate::schema::{
    CheckConstraint, Column, ColumnType, Deferral, EnumType, ExclusionConstraint, FkAction,
    ForeignKey, Generation, Index, IndexKey, Schema, Sequence, Table, UniqueConstraint,
};
use crate::Dialect;

const TABLES: &str =
    "SELECT c.oid::int8, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class') \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) \
     ORDER BY n.nspname, c.relname";

/// Columns, with what fills them by themselves: an identity (`attidentity`), a
/// stored expression (`attgenerated`, whose expression is the "default"), or a
/// sequence the column owns (`pg_depend`: `a` for serial, `i` for identity).
/// A default is a serial's only when it is exactly `nextval` of the sequence the
/// column owns; any other `nextval` stays a plain default. A collation is read
/// only where it differs from the type's own.
const COLUMNS: &str =
    "SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod), \
     a.attnotnull, pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum), \
     t.typtype = 'e' AND tn.nspname = current_schema(), t.typname::text, \
     a.attidentity::text, a.attgenerated::text, \
     CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN \
       CASE WHEN con.nspname IN ('pg_catalog', current_schema()) THEN co.collname::text \
            ELSE con.nspname || '.' || co.collname END END, \
     seq.relname::text, \
     pg_get_expr(d.adbin, d.adrelid) = format('nextval(%L::regclass)', seq.oid::regclass::text), \
     seq.seqstart, seq.seqincrement, seq.seqmin, seq.seqmax, seq.seqcache, seq.seqcycle \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid \
     JOIN pg_namespace tn ON tn.oid = t.typnamespace \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     LEFT JOIN pg_collation co ON co.oid = a.attcollation \
     LEFT JOIN pg_namespace con ON con.oid = co.collnamespace \
     LEFT JOIN LATERAL (SELECT s.oid, s.relname, q.seqstart, q.seqincrement, q.seqmin, \
                               q.seqmax, q.seqcache, q.seqcycle \
                        FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid \
                        JOIN pg_sequence q ON q.seqrelid = s.oid \
                        WHERE dep.classid = 'pg_class'::regclass \
                          AND dep.refclassid = 'pg_class'::regclass \
                          AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum \
                          AND dep.deptype IN ('a', 'i') AND s.relkind = 'S' \
                        ORDER BY s.oid LIMIT 1) seq ON true \
     WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY($1) \
       AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY a.attrelid, a.attnum";

/// Constraints, with what `pg_get_constraintdef` prints read from the catalog
/// where it has a column (deferral, validity, `MATCH FULL`) and from the
/// definition where it has none (`NULLS NOT DISTINCT`, a check's expression, an
/// exclusion's elements). A unique constraint's `INCLUDE` columns are its
/// index's non-key columns.
const CONSTRAINTS: &str = "SELECT con.conrelid::int8, con.conname::text, con.contype::text, \
     ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) \
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord), \
     ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
           JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord), \
     fn.nspname::text, fc.relname::text, con.confupdtype::text, con.confdeltype::text, \
     pg_get_constraintdef(con.oid, true), con.condeferrable, con.condeferred, \
     con.convalidated, con.confmatchtype::text, \
     ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) \
           FROM generate_series(ix.indnkeyatts + 1, ix.indnatts) k ORDER BY k) \
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
     LEFT JOIN pg_index ix ON ix.indexrelid = con.conindid AND con.contype = 'u' \
     WHERE con.contype IN ('p', 'u', 'f', 'c', 'x') AND n.nspname = ANY($1) \
     ORDER BY con.conrelid, con.conname";

/// Indexes that no constraint owns. Each key's text (a column, or an expression
/// as the server spells it) comes from `pg_get_indexdef(oid, k, true)`; what
/// follows it in the whole definition (collation, operator class, ordering) is
/// read from `pg_get_indexdef(oid, 0, true)` by [`read_index`], so the server's
/// own rules decide what is a default and left unsaid.
const INDEXES: &str = "SELECT i.indrelid::int8, ic.relname::text, i.indisunique, \
     ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k), \
     pg_get_expr(i.indpred, i.indrelid, true), am.amname::text, \
     ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) \
           FROM generate_series(i.indnkeyatts + 1, i.indnatts) k ORDER BY k), \
     ARRAY(SELECT i.indkey[k - 1] = 0 FROM generate_series(1, i.indnkeyatts) k ORDER BY k), \
     pg_get_indexdef(i.indexrelid, 0, true) \
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam \
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) \
       AND NOT EXISTS (SELECT 1 FROM pg_constraint con \
                       WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')) \
     ORDER BY i.indrelid, ic.relname";

const ENUMS: &str = "SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) \
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace \
     WHERE n.nspname = ANY($1) GROUP BY t.typname ORDER BY t.typname";

/// What introspection needs from a connection: one round trip per call, so the
/// number of queries is something a test can count.
pub trait Catalog {
    /// Runs one query and returns its rows.
    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error>;
}

impl Catalog for Client {
    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        Client::query(self, sql, params)
    }
}

/// Reads the current schema and `schemas`, leaving out the table `ledger` (in
/// `ledger_schema`, default the current schema). Always six queries.
pub fn introspect(
    client: &mut impl Catalog,
    schemas: &[String],
    ledger: (&str, Option<&str>),
) -> Result<Schema, postgres::Error> {
    let current: String = client
        .query("SELECT current_schema()::text", &[])?
        .first()
        .map(|row| row.get(0))
        .unwrap_or_else(|| "public".to_string());
    let mut all: Vec<String> = vec![current.clone()];
    all.extend(schemas.iter().filter(|s| **s != current).cloned());
    let mut tables: BTreeMap<i64, Table> = BTreeMap::new();
    for row in client.query(TABLES, &[&all])? {
        let schema: String = row.get(1);
        let name: String = row.get(2);
        let is_ledger = name == ledger.0 && ledger.1.unwrap_or(current.as_str()) == schema.as_str();
        if is_ledger {
            continue;
        }
        tables.insert(
            row.get(0),
            Table {
                schema: (schema != current).then_some(schema),
                name,
                comment: row.get(3),
                ..Table::default()
            },
        );
    }
    for row in client.query(COLUMNS, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        let is_enum: bool = row.get(6);
        let ty = if is_enum {
            ColumnType::Enum(row.get(7))
        } else {
            parse_type(&row.get::<_, String>(2))
        };
        let name: String = row.get(1);
        let mut default: Option<String> = row.get(4);
        let sequence = |row: &Row| {
            let values = SequenceValues {
                start: row.get(13),
                increment: row.get(14),
                min_value: row.get(15),
                max_value: row.get(16),
                cache: row.get(17),
                cycle: row.get(18),
            };
            let seq_name: String = row.get(11);
            Sequence::from_values(&seq_name, (&table.name, &name), values, &ty)
        };
        let has_sequence = row.get::<_, Option<String>>(11).is_some();
        let generated = match (
            row.get::<_, String>(8).as_str(),
            row.get::<_, String>(9).as_str(),
        ) {
            (identity @ ("a" | "d"), _) if has_sequence => Some(Generation::Identity {
                always: identity == "a",
                sequence: sequence(&row),
            }),
            (_, "s") => default.take().map(Generation::Stored),
            _ if has_sequence && row.get::<_, Option<bool>>(12) == Some(true) => {
                default = None;
                Some(Generation::Serial(sequence(&row)))
            }
            _ => None,
        };
        table.columns.push(Column {
            name,
            nullable: !row.get::<_, bool>(3),
            default,
            comment: row.get(5),
            generated,
            collation: row.get(10),
            ty,
        });
    }
    for row in client.query(CONSTRAINTS, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        add_constraint(table, &row, &current);
    }
    for row in client.query(INDEXES, &[&all])? {
        let Some(table) = tables.get_mut(&row.get::<_, i64>(0)) else {
            continue;
        };
        table.indexes.push(read_index(&row));
    }
    let enums = client
        .query(ENUMS, &[&vec![current.clone()]])?
        .iter()
        .map(|row| EnumType {
            name: row.get(0),
            variants: row.get(1),
        })
        .collect();
    let mut tables: Vec<Table> = tables.into_values().collect();
    tables.sort_by_key(Table::qualified_name);
    Ok(Schema { tables, enums })
}

fn add_constraint(table: &mut Table, row: &postgres::Row, current: &str) {
    let name: String = row.get(1);
    let columns: Vec<String> = row.get(3);
    let definition: String = row.get(9);
    let deferral = Deferral::from_flags(row.get(10), row.get(11));
    let not_valid = !row.get::<_, bool>(12);
    match row.get::<_, String>(2).as_str() {
        "p" => {
            table.primary_key = columns;
            table.primary_key_name = Some(name);
        }
        "u" => {
            let include: Vec<String> = row.get(14);
            table.uniques.push(UniqueConstraint {
                name,
                columns,
                deferral,
                nulls_not_distinct: definition.starts_with("UNIQUE NULLS NOT DISTINCT"),
                include: include.iter().map(|c| unquote(c)).collect(),
            })
        }
        "f" => {
            let ref_schema: Option<String> = row.get(5);
            table.foreign_keys.push(ForeignKey {
                name,
                columns,
                ref_schema: ref_schema.filter(|s| s != current),
                ref_table: row.get::<_, Option<String>>(6).unwrap_or_default(),
                ref_columns: row.get(4),
                on_update: action(&row.get::<_, String>(7)),
                on_delete: action(&row.get::<_, String>(8)),
                match_full: row.get::<_, String>(13) == "f",
                deferral,
                not_valid,
            });
        }
        "x" => {
            let body = definition.strip_prefix("EXCLUDE ").unwrap_or(&definition);
            let body = body.strip_suffix(deferral.sql()).unwrap_or(body);
            table.exclusions.push(ExclusionConstraint {
                name,
                definition: body.to_string(),
                deferral,
            });
        }
        _ => {
            let expr = definition
                .strip_prefix("CHECK ")
                .unwrap_or(&definition)
                .trim();
            let expr = if not_valid {
                expr.strip_suffix(" NOT VALID").unwrap_or(expr)
            } else {
                expr
            };
            let expr = expr
                .strip_prefix('(')
                .and_then(|e| e.strip_suffix(')'))
                .unwrap_or(expr);
            table.checks.push(CheckConstraint {
                name,
                expr: expr.to_string(),
                not_valid,
            });
        }
    }
}

/// An index from a row of [`INDEXES`]. The keys' texts are found in order in
/// the whole definition; what follows each up to the next top-level comma is
/// its collation, operator class and ordering. Should the definition not have
/// the expected shape, the keys keep their text and lose only those options.
fn read_index(row: &Row) -> Index {
    let texts: Vec<String> = row.get(3);
    let expressions: Vec<bool> = row.get(7);
    let method: String = row.get(5);
    let include: Vec<String> = row.get(6);
    let definition: String = row.get(8);
    let predicate: Option<String> = row.get(4);
    let opening = format!(" USING {method} (");
    let mut rest = definition
        .find(&opening)
        .map(|at| &definition[at + opening.len()..]);
    let mut columns = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let expression = expressions.get(i).copied().unwrap_or(false);
        let mut key = if expression {
            IndexKey::expr(unparenthesize(text))
        } else {
            IndexKey::column(&unquote(text))
        };
        if let Some(after) = rest.and_then(|r| r.strip_prefix(text.as_str())) {
            let end = top_level_end(after);
            key_options(&after[..end], &mut key);
            rest = after[end..]
                .strip_prefix(", ")
                .or_else(|| after[end..].strip_prefix(')'));
        } else {
            rest = None;
        }
        columns.push(key);
    }
    // After the keys: INCLUDE, NULLS NOT DISTINCT, WITH, TABLESPACE, WHERE.
    let tail = rest.unwrap_or("");
    let tail = tail.split(" WHERE ").next().unwrap_or(tail);
    Index {
        name: row.get(1),
        columns,
        unique: row.get(2),
        predicate,
        method: (method != "btree").then_some(method),
        include: include.iter().map(|c| unquote(c)).collect(),
        nulls_not_distinct: tail.contains(" NULLS NOT DISTINCT"),
    }
}

/// `pg_get_indexdef` wraps an expression that is not a function call in
/// parentheses: `(a + b)` → `a + b`, while `lower((email)::text)` and
/// `(a) + (b)` stay as they are.
fn unparenthesize(text: &str) -> &str {
    let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) else {
        return text;
    };
    let (mut depth, mut quote) = (0i32, None::<char>);
    for c in inner.chars() {
        match (c, quote) {
            ('\'' | '"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) => {
                depth -= 1;
                if depth < 0 {
                    return text;
                }
            }
            _ => {}
        }
    }
    inner
}

/// `pg_constraint`'s one-letter action codes; `NO ACTION` is the default, `None`.
fn action(code: &str) -> Option<FkAction> {
    match code {
        "c" => Some(FkAction::Cascade),
        "n" => Some(FkAction::SetNull),
        "d" => Some(FkAction::SetDefault),
        "r" => Some(FkAction::Restrict),
        _ => None,
    }
}

impl Catalog for postgres::Transaction<'_> {
    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        postgres::Transaction::query(self, sql, params)
    }
}

/// The prefix of the scratch objects [`canonical_models`] creates.
const SCRATCH: &str = "migrate_canon";

/// The models' indexes and exclusion constraints as this server would report
/// them once created: `lower(email)` comes back as `lower((email)::text)`, a
/// predicate with the server's casts and parentheses. So a model compares
/// exactly with what the database holds, with no rules of our own about how
/// PostgreSQL rewrites SQL.
///
/// Only tables whose indexes or constraints hold SQL the server rewrites
/// (expressions, predicates, operator classes, collations, exclusions) are
/// involved. They are created as temporary tables, with temporary copies of
/// the enum types they use, in a transaction that is always rolled back:
/// one batch and the six introspection queries, whatever the number of tables.
/// `None` when there is nothing to canonicalise, or when the server refuses
/// the models' SQL (the comparison then shows the models as written, and the
/// upgrade reports the server's error).
pub fn canonical_models(
    client: &mut Client,
    models: &Schema,
) -> Result<Option<Schema>, postgres::Error> {
    let rewritten = |t: &Table| {
        !t.exclusions.is_empty()
            || t.indexes.iter().any(|i| {
                i.predicate.is_some()
                    || i.columns
                        .iter()
                        .any(|k| k.expression || k.opclass.is_some() || k.collation.is_some())
            })
    };
    let chosen: Vec<usize> = (0..models.tables.len())
        .filter(|&i| rewritten(&models.tables[i]))
        .collect();
    if chosen.is_empty() {
        return Ok(None);
    }
    let mut script = vec![
        "SELECT set_config('search_path', 'pg_temp, ' || current_setting('search_path'), true)"
            .to_string(),
    ];
    let used = |e: &EnumType| {
        chosen.iter().any(|&i| {
            models.tables[i]
                .columns
                .iter()
                .any(|c| c.ty == ColumnType::Enum(e.name.clone()))
        })
    };
    for e in models.enums.iter().filter(|e| used(e)) {
        script.push(create_enum_sql(e).replacen("CREATE TYPE ", "CREATE TYPE pg_temp.", 1));
    }
    for &i in &chosen {
        let model = &models.tables[i];
        let scratch = Table {
            name: format!("{SCRATCH}_{i}"),
            columns: model
                .columns
                .iter()
                .map(|c| Column {
                    default: None,
                    comment: None,
                    ..c.clone()
                })
                .collect(),
            ..Table::default()
        };
        script.push(
            create_table_sql(&scratch, &models.enums, Dialect::Postgres, &|_| false).replacen(
                "CREATE TABLE ",
                "CREATE TEMPORARY TABLE ",
                1,
            ),
        );
        for (j, index) in model.indexes.iter().enumerate() {
            let index = Index {
                name: format!("{SCRATCH}_{i}_{j}"),
                ..index.clone()
            };
            script.push(create_index_sql(&scratch, &index, Dialect::Postgres));
        }
        for (j, exclusion) in model.exclusions.iter().enumerate() {
            let exclusion = ExclusionConstraint {
                name: format!("{SCRATCH}_{i}_x{j}"),
                ..exclusion.clone()
            };
            script.push(format!(
                "ALTER TABLE {} ADD CONSTRAINT {} EXCLUDE {}{}",
                scratch.name,
                exclusion.name,
                exclusion.definition,
                exclusion.deferral.sql()
            ));
        }
    }
    let mut tx = client.transaction()?;
    if tx.batch_execute(&script.join(";\n")).is_err() {
        // Dropping the transaction rolls it back.
        return Ok(None);
    }
    let scratch = introspect(&mut tx, &[], ("", None))?;
    tx.rollback()?;
    let mut canonical = models.clone();
    for &i in &chosen {
        let Some(found) = scratch.table(&format!("{SCRATCH}_{i}")) else {
            continue;
        };
        let table = &mut canonical.tables[i];
        for (j, index) in table.indexes.iter_mut().enumerate() {
            if let Some(got) = found
                .indexes
                .iter()
                .find(|x| x.name == format!("{SCRATCH}_{i}_{j}"))
            {
                *index = Index {
                    name: index.name.clone(),
                    ..got.clone()
                };
            }
        }
        for (j, exclusion) in table.exclusions.iter_mut().enumerate() {
            if let Some(got) = found
                .exclusions
                .iter()
                .find(|x| x.name == format!("{SCRATCH}_{i}_x{j}"))
            {
                exclusion.definition = got.definition.clone();
            }
        }
    }
    Ok(Some(canonical))
}

/// Views and materialized views built on the tables, and triggers and policies
/// on them: one query, whatever the number of tables.
const DEPENDENTS: &str = "WITH t AS ( \
       SELECT c.oid, w.s, w.r FROM unnest($1::text[], $2::text[]) AS w(s, r) \
       JOIN pg_namespace n ON n.nspname = coalesce(w.s, current_schema()) \
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.r) \
     SELECT DISTINCT t.s, t.r, CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, \
            vn.nspname::text || '.' || v.relname::text \
     FROM t JOIN pg_depend d ON d.refobjid = t.oid AND d.refclassid = 'pg_class'::regclass \
            AND d.classid = 'pg_rewrite'::regclass \
     JOIN pg_rewrite rw ON rw.oid = d.objid JOIN pg_class v ON v.oid = rw.ev_class \
     JOIN pg_namespace vn ON vn.oid = v.relnamespace WHERE v.oid <> t.oid \
     UNION SELECT t.s, t.r, 'trigger', tg.tgname::text FROM t JOIN pg_trigger tg ON tg.tgrelid = t.oid \
            WHERE NOT tg.tgisinternal \
     UNION SELECT t.s, t.r, 'policy', p.polname::text FROM t JOIN pg_policy p ON p.polrelid = t.oid \
     ORDER BY 1, 2, 3, 4";

/// What depends on `tables` that autogenerate does not manage.
pub fn dependents(
    client: &mut impl Catalog,
    tables: &[TableRef],
) -> Result<Vec<Dependent>, postgres::Error> {
    let schemas: Vec<Option<String>> = tables.iter().map(|t| t.schema.clone()).collect();
    let names: Vec<String> = tables.iter().map(|t| t.name.clone()).collect();
    Ok(client
        .query(DEPENDENTS, &[&schemas, &names])?
        .iter()
        .map(|row| Dependent {
            table: TableRef {
                schema: row.get(0),
                name: row.get(1),
            }
            .to_string(),
            kind: row.get(2),
            name: row.get(3),
        })
        .collect())
}

/// Objects autogenerate leaves alone, an extension's own members left out
/// (they come and go with `CREATE EXTENSION`).
const UNMANAGED: &str = "WITH s AS (SELECT oid FROM pg_namespace \
       WHERE nspname = ANY($1) OR nspname = current_schema()), \
     ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e') \
     SELECT CASE c.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, \
            c.relnamespace::regnamespace::text || '.' || c.relname::text \
     FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace IN (SELECT oid FROM s) \
       AND c.oid NOT IN (SELECT objid FROM ext) \
     UNION ALL SELECT 'function', p.pronamespace::regnamespace::text || '.' || p.proname::text \
            || '(' || pg_get_function_identity_arguments(p.oid) || ')' \
     FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM s) AND p.oid NOT IN (SELECT objid FROM ext) \
     UNION ALL SELECT 'trigger', t.tgname::text || ' on ' || t.tgrelid::regclass::text \
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
     WHERE NOT t.tgisinternal AND c.relnamespace IN (SELECT oid FROM s) \
     UNION ALL SELECT 'policy', p.polname::text || ' on ' || p.polrelid::regclass::text \
     FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN (SELECT oid FROM s) \
     UNION ALL SELECT 'extension', e.extname::text FROM pg_extension e WHERE e.extname <> 'plpgsql' \
     ORDER BY 1, 2";

/// The objects in the current schema and `schemas` that autogenerate leaves
/// alone, as `(kind, name)`: one query.
pub fn unmanaged(
    client: &mut impl Catalog,
    schemas: &[String],
) -> Result<Vec<(String, String)>, postgres::Error> {
    Ok(client
        .query(UNMANAGED, &[&schemas])?
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect())
}
