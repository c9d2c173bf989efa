//! PostgreSQL's own account of a schema, for comparing a database before and
//! after a round trip: every column with its type, default, nullability,
//! identity, generation and collation; every sequence with its options and
//! owner; `pg_get_constraintdef`, `pg_get_indexdef`, enum labels and comments.
//! Each line names its object, so a difference reads as what changed.

/// The catalog lines of `schemas` (sorted), section by section.
pub(crate) fn snapshot(client: &mut postgres::Client, schemas: &[&str]) -> Vec<String> {
    let schemas: Vec<String> = schemas.iter().map(|s| s.to_string()).collect();
    let sections = [
        (
            "column",
            "SELECT format('%s.%s.%s %s%s default=%s identity=%s generated=%s collation=%s', \
               n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), \
               CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, \
               coalesce(pg_get_expr(d.adbin, d.adrelid), '-'), a.attidentity, a.attgenerated, \
               coalesce(co.collname::text, '-')) \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             LEFT JOIN pg_collation co ON co.oid = a.attcollation \
             WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND a.attnum > 0 \
               AND NOT a.attisdropped",
        ),
        (
            "sequence",
            "SELECT format('%s.%s as %s start %s increment %s min %s max %s cache %s cycle %s owned by %s', \
               n.nspname, s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, \
               q.seqmin, q.seqmax, q.seqcache, q.seqcycle, \
               coalesce((SELECT format('%s.%s (%s)', d.refobjid::regclass, a.attname, d.deptype) \
                         FROM pg_depend d JOIN pg_attribute a \
                           ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid \
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')), '-')) \
             FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace \
             JOIN pg_sequence q ON q.seqrelid = s.oid \
             WHERE s.relkind = 'S' AND n.nspname = ANY($1)",
        ),
        (
            "constraint",
            "SELECT format('%s.%s %s: %s', n.nspname, c.relname, con.conname, \
               pg_get_constraintdef(con.oid)) \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1)",
        ),
        (
            "index",
            "SELECT pg_get_indexdef(i.indexrelid) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1)",
        ),
        (
            "enum",
            "SELECT format('%s.%s (%s)', n.nspname, t.typname, \
               string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)) \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
             JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ANY($1) \
             GROUP BY n.nspname, t.typname",
        ),
        (
            "comment",
            "SELECT format('%s.%s%s: %s', n.nspname, c.relname, \
               CASE WHEN d.objsubid = 0 THEN '' ELSE '.' || a.attname END, d.description) \
             FROM pg_description d JOIN pg_class c ON c.oid = d.objoid \
               AND d.classoid = 'pg_class'::regclass \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid \
             WHERE n.nspname = ANY($1)",
        ),
        (
            "constraint comment",
            "SELECT format('%s.%s: %s', n.nspname, con.conname, d.description) \
             FROM pg_description d JOIN pg_constraint con ON con.oid = d.objoid \
             JOIN pg_namespace n ON n.oid = con.connamespace WHERE n.nspname = ANY($1)",
        ),
    ];
    let mut out = Vec::new();
    for (section, sql) in sections {
        let mut lines: Vec<String> = client
            .query(sql, &[&schemas])
            .unwrap_or_else(|e| panic!("catalog {section}: {e}"))
            .iter()
            .map(|row| format!("{section} {}", row.get::<_, String>(0)))
            .collect();
        lines.sort();
        out.extend(lines);
    }
    out
}

/// Panics with the lines only one side has, when `before` and `after` differ.
pub(crate) fn assert_same(before: &[String], after: &[String]) {
    let missing: Vec<&String> = before.iter().filter(|l| !after.contains(l)).collect();
    let extra: Vec<&String> = after.iter().filter(|l| !before.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "the catalog differs after the round trip\n--- before only ---\n{}\n--- after only ---\n{}",
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        extra
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
