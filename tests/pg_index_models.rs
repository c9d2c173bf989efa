//! `#[model]` indexes with PostgreSQL's expressions, methods, operator classes,
//! ordering, `INCLUDE`, `NULLS NOT DISTINCT` and `WHERE`: the DDL they render
//! runs, and `check` is clean against both that DDL and the same indexes
//! written by hand in the server's own spelling, while a real difference in an
//! expression, method or operator class is reported.

mod common;

use migrate::autogenerate::{compare_database, Filter};
use migrate::backend::{connect, ConnectOptions, LedgerConfig};
use migrate::config::DatabaseUrl;
use migrate::model;
use migrate::schema::IndexKey;
use migrate::Dialect;

#[model(
    table = "person",
    index(name = "idx_person_lower_actor_id", keys = "lower(actor_id)", unique),
    index(
        name = "idx_person_trgm",
        keys = "name gin_trgm_ops, display_name gin_trgm_ops",
        method = "gin"
    ),
    index(
        name = "idx_person_order",
        keys = "\"Order\" DESC NULLS LAST, score NULLS FIRST, id DESC"
    ),
    index(
        name = "idx_person_cover",
        columns(tenant),
        include(email, name),
        unique,
        nulls_not_distinct,
        where = "email IS NOT NULL"
    ),
    index(
        name = "idx_person_partial",
        keys = "lower(email)",
        where = "score > 0 AND name IS NOT NULL"
    ),
    index(name = "idx_person_hash", columns(email), method = "hash")
)]
pub struct Person {
    #[column(primary_key)]
    pub id: i64,
    pub tenant: i32,
    #[column(max_length = 255)]
    pub actor_id: String,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    #[column(name = "Order")]
    pub order: Option<i32>,
    pub score: Option<i32>,
}

const TABLE: &str = "CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE person (id bigint PRIMARY KEY, tenant integer NOT NULL, actor_id varchar(255) NOT NULL,
    name text, display_name text, email text, \"Order\" integer, score integer);";

/// The models' indexes as a person would write them for the server.
const BY_HAND: &str = "
CREATE UNIQUE INDEX idx_person_lower_actor_id ON person (lower(actor_id::text));
CREATE INDEX idx_person_trgm ON person USING gin (name gin_trgm_ops, display_name public.gin_trgm_ops);
CREATE INDEX idx_person_order ON person (\"Order\" DESC NULLS LAST, score ASC NULLS FIRST, id DESC NULLS FIRST);
CREATE UNIQUE INDEX idx_person_cover ON person USING btree (tenant) INCLUDE (email, name)
    NULLS NOT DISTINCT WHERE (email IS NOT NULL);
CREATE INDEX idx_person_partial ON person ((lower(email))) WHERE ((score > 0) AND (name IS NOT NULL));
CREATE INDEX idx_person_hash ON person USING hash (email);";

fn database(test: &str, sql: &str) -> Option<(common::TestDb, Box<dyn migrate::backend::Backend>)> {
    let test_db = common::postgres_db(test)?;
    test_db.connect().batch_execute(sql).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let db = connect(&url, &ConnectOptions::default()).unwrap();
    Some((test_db, db))
}

fn differences(db: &mut dyn migrate::backend::Backend) -> Vec<String> {
    let models = migrate::metadata().unwrap();
    let (_, diff) =
        compare_database(db, models, &Filter::default(), &LedgerConfig::default()).unwrap();
    diff.ops.iter().map(|op| op.to_string()).collect()
}

#[test]
fn model_index_attributes_reach_the_schema() {
    let models = migrate::metadata().unwrap();
    let person = models.table("person").unwrap();
    let index = |name: &str| person.indexes.iter().find(|i| i.name == name).unwrap();
    assert_eq!(
        index("idx_person_lower_actor_id").columns,
        [IndexKey::expr("lower(actor_id)")]
    );
    let trgm = index("idx_person_trgm");
    assert_eq!(trgm.method.as_deref(), Some("gin"));
    assert_eq!(trgm.columns[1].opclass.as_deref(), Some("gin_trgm_ops"));
    let cover = index("idx_person_cover");
    assert_eq!(cover.include, ["email", "name"]);
    assert!(cover.unique && cover.nulls_not_distinct);
    assert_eq!(cover.predicate.as_deref(), Some("email IS NOT NULL"));
    assert_eq!(
        models.create_sql(Dialect::Postgres)[1..3],
        [
            "CREATE UNIQUE INDEX idx_person_lower_actor_id ON person ((lower(actor_id)))",
            "CREATE INDEX idx_person_trgm ON person USING gin (name gin_trgm_ops, display_name gin_trgm_ops)",
        ]
    );
}

/// The models' own DDL, then `check`: nothing to do.
#[test]
fn check_is_clean_on_what_the_models_create() {
    let Some((_test_db, mut db)) = database(
        "pg_index_models_own",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ) else {
        return;
    };
    migrate::metadata()
        .unwrap()
        .create_all(db.as_mut())
        .unwrap();
    assert_eq!(differences(db.as_mut()), Vec::<String>::new());
}

/// The same indexes written by hand in other spellings: still nothing to do.
#[test]
fn check_is_clean_on_the_same_indexes_written_by_hand() {
    let Some((_test_db, mut db)) = database("pg_index_models_hand", &format!("{TABLE}{BY_HAND}"))
    else {
        return;
    };
    assert_eq!(differences(db.as_mut()), Vec::<String>::new());
}

/// A different expression, method, operator class, ordering or predicate is
/// seen, and only those indexes are recreated.
#[test]
fn check_reports_each_real_difference() {
    let changed = BY_HAND
        .replace("lower(actor_id::text)", "upper(actor_id::text)")
        .replace(
            "USING gin (name gin_trgm_ops, display_name public.gin_trgm_ops)",
            "USING gist (name gist_trgm_ops, display_name gist_trgm_ops)",
        )
        .replace("score ASC NULLS FIRST", "score ASC NULLS LAST")
        .replace("WHERE ((score > 0)", "WHERE ((score > 1)")
        .replace("USING hash (email)", "(email text_pattern_ops)");
    let Some((_test_db, mut db)) = database("pg_index_models_diff", &format!("{TABLE}{changed}"))
    else {
        return;
    };
    let mut found = differences(db.as_mut());
    found.sort();
    assert_eq!(
        found,
        [
            "create index idx_person_hash on person (email)",
            "create index idx_person_order on person (Order, score, id)",
            "create index idx_person_partial on person (lower(email))",
            "create index idx_person_trgm on person (name, display_name)",
            "create unique index idx_person_lower_actor_id on person (lower(actor_id))",
            "drop index idx_person_hash on person",
            "drop index idx_person_lower_actor_id on person",
            "drop index idx_person_order on person",
            "drop index idx_person_partial on person",
            "drop index idx_person_trgm on person",
        ]
    );
}
