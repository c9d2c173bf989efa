//! PostgreSQL indexes and constraints, exact: a hand-written schema using every
//! index and constraint feature is dropped whole by a generated revision and
//! brought back by its downgrade, and the server's own definitions
//! (`pg_get_indexdef`, `pg_get_constraintdef`) are the same before and after.

use migrate::autogenerate::{compare, generate, Filter};
use migrate::backend::{connect, ConnectOptions};
use migrate::config::DatabaseUrl;
use migrate::schema::{Deferral, Schema};
use migrate::Dialect;

use crate::common;
use crate::roundtrip::{apply, read};

/// Every index and constraint feature autogenerate must reproduce.
pub(crate) const FEATURES: &str = r#"
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE person (
    id bigint NOT NULL,
    tenant int NOT NULL,
    actor_id varchar(255) NOT NULL,
    name text,
    display_name text,
    email text,
    "Order" int,
    score numeric,
    tags text[],
    doc jsonb,
    created timestamptz,
    PRIMARY KEY (tenant, id),
    CONSTRAINT uq_person_email UNIQUE NULLS NOT DISTINCT (email),
    CONSTRAINT uq_person_actor UNIQUE (actor_id) INCLUDE (name) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT uq_person_tenant_name UNIQUE (tenant, name) DEFERRABLE,
    CONSTRAINT ck_person_score CHECK (score >= 0)
);
ALTER TABLE person ADD CONSTRAINT ck_person_name CHECK (name <> '') NOT VALID;
CREATE TABLE site_aggregates (id int PRIMARY KEY, site_id int);
CREATE UNIQUE INDEX idx_site_aggregates_1_row_only ON site_aggregates ((true));
CREATE UNIQUE INDEX idx_person_lower_actor_id ON person (lower(actor_id::text));
CREATE INDEX idx_person_trgm ON person USING gin (name gin_trgm_ops, display_name gin_trgm_ops);
CREATE INDEX idx_person_name_gist ON person USING gist (name gist_trgm_ops);
CREATE INDEX idx_person_tags ON person USING gin (tags);
CREATE INDEX idx_person_doc ON person USING gin (doc jsonb_path_ops);
CREATE INDEX idx_person_created_brin ON person USING brin (created);
CREATE INDEX idx_person_email_hash ON person USING hash (email);
CREATE INDEX idx_person_name_spgist ON person USING spgist (name);
CREATE INDEX idx_person_order ON person ("Order" DESC NULLS LAST, score NULLS FIRST, id DESC);
CREATE INDEX idx_person_pattern ON person (actor_id varchar_pattern_ops, name COLLATE "C" text_pattern_ops);
CREATE INDEX idx_person_sum ON person ((tenant + "Order"), (score * 2) DESC);
CREATE UNIQUE INDEX idx_person_cover ON person (tenant) INCLUDE (email, name) NULLS NOT DISTINCT
    WHERE email IS NOT NULL;
CREATE INDEX idx_person_partial ON person (lower(email)) WHERE (score > (0)::numeric AND name IS NOT NULL);
CREATE TABLE booking (
    id int PRIMARY KEY,
    room int NOT NULL,
    during tstzrange NOT NULL,
    tenant int,
    person_id bigint,
    cancelled bool NOT NULL DEFAULT false,
    CONSTRAINT ex_booking_room EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled),
    CONSTRAINT ex_booking_late EXCLUDE USING gist (during WITH &&) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT fk_booking_person FOREIGN KEY (tenant, person_id) REFERENCES person (tenant, id)
        MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE
);
ALTER TABLE booking ADD CONSTRAINT fk_booking_person_late FOREIGN KEY (tenant, person_id)
    REFERENCES person (tenant, id) DEFERRABLE INITIALLY DEFERRED NOT VALID;
"#;

/// The server's definitions of every index and constraint in the current
/// schema, one line each, sorted.
pub(crate) fn definitions(client: &mut postgres::Client) -> Vec<String> {
    let rows = client
        .query(
            "SELECT 'index ' || c.relname || ': ' || pg_get_indexdef(i.indexrelid) \
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() \
             UNION ALL \
             SELECT 'constraint ' || con.conrelid::regclass::text || '.' || con.conname || ': ' \
                    || pg_get_constraintdef(con.oid) || ' valid=' || con.convalidated \
             FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace \
             WHERE n.nspname = current_schema() AND con.contype <> 'n' \
             ORDER BY 1",
            &[],
        )
        .unwrap();
    rows.iter().map(|r| r.get(0)).collect()
}

/// A revision that drops everything, then its downgrade: the server's
/// definitions come back unchanged, and the database reads as it did.
#[test]
fn postgres_drop_all_and_back_keeps_every_definition() {
    let Some(test_db) = common::postgres_db("autogen_pg_exact") else {
        return;
    };
    let mut client = test_db.connect();
    client.batch_execute(FEATURES).unwrap();
    let before = definitions(&mut client);
    assert!(before.len() > 20, "{before:#?}");

    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let found = read(db.as_mut());
    let empty = Schema::default();
    let diff = compare(&found, &empty, Dialect::Postgres, &Filter::default());
    let generated = generate(&diff, &found, &empty, Dialect::Postgres);
    apply(db.as_mut(), &generated.up).unwrap();
    assert!(read(db.as_mut()).tables.is_empty());
    apply(db.as_mut(), &generated.down).unwrap_or_else(|e| {
        panic!("downgrade: {e}\n{}", generated.down.script());
    });

    let after = definitions(&mut client);
    assert_eq!(before, after, "{}", generated.down.script());
    let again = read(db.as_mut());
    assert_eq!(found, again);
    assert!(compare(&again, &found, Dialect::Postgres, &Filter::default()).is_empty());
}

/// What introspection makes of the features, field by field.
#[test]
fn postgres_reads_index_and_constraint_options() {
    let Some(test_db) = common::postgres_db("autogen_pg_options") else {
        return;
    };
    test_db.connect().batch_execute(FEATURES).unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let found = read(db.as_mut());
    let person = found.table("person").unwrap();
    let index = |name: &str| person.indexes.iter().find(|i| i.name == name).unwrap();

    let lower = index("idx_person_lower_actor_id");
    assert!(lower.unique);
    assert!(lower.columns[0].expression);
    assert_eq!(lower.columns[0].sql, "lower(actor_id::text)");
    let trgm = index("idx_person_trgm");
    assert_eq!(trgm.method.as_deref(), Some("gin"));
    assert_eq!(trgm.columns[1].sql, "display_name");
    assert_eq!(trgm.columns[1].opclass.as_deref(), Some("gin_trgm_ops"));
    let order = index("idx_person_order");
    assert_eq!(order.method, None, "btree is the default");
    assert_eq!(order.columns[0].sql, "Order");
    assert!(order.columns[0].descending);
    assert_eq!(order.columns[0].nulls_first, Some(false));
    assert_eq!(order.columns[1].nulls_first, Some(true));
    assert!(order.columns[2].descending);
    assert_eq!(order.columns[2].nulls_first, None);
    let pattern = index("idx_person_pattern");
    assert_eq!(pattern.columns[1].collation.as_deref(), Some("C"));
    assert_eq!(
        pattern.columns[1].opclass.as_deref(),
        Some("text_pattern_ops")
    );
    let sum = index("idx_person_sum");
    assert_eq!(sum.columns[0].sql, "tenant + \"Order\"");
    assert_eq!(sum.columns[1].sql, "score * 2::numeric");
    assert!(sum.columns[1].descending);
    let cover = index("idx_person_cover");
    assert_eq!(cover.include, ["email", "name"]);
    assert!(cover.nulls_not_distinct);
    assert_eq!(cover.predicate.as_deref(), Some("email IS NOT NULL"));

    let unique = |name: &str| person.uniques.iter().find(|u| u.name == name).unwrap();
    assert!(unique("uq_person_email").nulls_not_distinct);
    assert_eq!(unique("uq_person_actor").include, ["name"]);
    assert_eq!(unique("uq_person_actor").deferral, Deferral::Deferred);
    assert_eq!(
        unique("uq_person_tenant_name").deferral,
        Deferral::Immediate
    );
    let name_check = person
        .checks
        .iter()
        .find(|c| c.name == "ck_person_name")
        .unwrap();
    assert!(name_check.not_valid);
    assert_eq!(name_check.expr, "name <> ''::text");
    assert_eq!(person.primary_key, ["tenant", "id"]);

    let booking = found.table("booking").unwrap();
    let fk = |name: &str| {
        booking
            .foreign_keys
            .iter()
            .find(|f| f.name == name)
            .unwrap()
    };
    let full = fk("fk_booking_person");
    assert!(full.match_full && !full.not_valid);
    assert_eq!(full.columns, ["tenant", "person_id"]);
    assert_eq!(full.deferral, Deferral::Immediate);
    let late = fk("fk_booking_person_late");
    assert!(late.not_valid && !late.match_full);
    assert_eq!(late.deferral, Deferral::Deferred);
    let ex = |name: &str| booking.exclusions.iter().find(|x| x.name == name).unwrap();
    assert_eq!(
        ex("ex_booking_room").definition,
        "USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled)"
    );
    assert_eq!(ex("ex_booking_late").deferral, Deferral::Deferred);
}

/// A revision that drops a table a view is built on would fail at upgrade:
/// generating it is refused, naming the view; a trigger or policy, which goes
/// with its table, becomes a hint.
#[test]
fn postgres_dropping_a_table_with_unmanaged_dependents_is_reported() {
    let Some(test_db) = common::postgres_db("autogen_pg_dependents") else {
        return;
    };
    let mut client = test_db.connect();
    client
        .batch_execute(
            "CREATE TABLE people (id int PRIMARY KEY, name text);
             CREATE TABLE notes (id int PRIMARY KEY, body text);
             CREATE VIEW named AS SELECT name FROM people;
             CREATE MATERIALIZED VIEW counted AS SELECT count(*) FROM people;
             CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
             CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch();
             ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
             CREATE POLICY notes_all ON notes USING (true);",
        )
        .unwrap();
    let url = DatabaseUrl::parse(&test_db.url).unwrap();
    let mut db = connect(&url, &ConnectOptions::default()).unwrap();
    let found = read(db.as_mut());
    let empty = Schema::default();
    let mut diff = compare(&found, &empty, Dialect::Postgres, &Filter::default());
    let err = migrate::autogenerate::check_dependents(db.as_mut(), &mut diff).unwrap_err();
    assert_eq!(
        err.to_string(),
        "dropping people: the database would refuse it, as objects `migrate` does not manage \
         depend on them: materialized view public.counted (on people), view public.named (on people); \
         drop or change those in a revision written by hand first, or keep the tables in the models"
    );

    // Keeping `people`, only `notes` goes: its trigger and policy go with it.
    let keep_people = Schema {
        tables: vec![found.table("people").unwrap().clone()],
        enums: vec![],
    };
    let mut diff = compare(&found, &keep_people, Dialect::Postgres, &Filter::default());
    migrate::autogenerate::check_dependents(db.as_mut(), &mut diff).unwrap();
    assert_eq!(
        diff.hints,
        [
            "dropping notes also drops policy notes_all (on notes), which `migrate` does not manage: the downgrade does not recreate it",
            "dropping notes also drops trigger notes_touch (on notes), which `migrate` does not manage: the downgrade does not recreate it",
        ]
    );
    // The views, function, trigger and policy never make the generated SQL fail.
    let generated = generate(&diff, &found, &keep_people, Dialect::Postgres);
    apply(db.as_mut(), &generated.up).unwrap();
    apply(db.as_mut(), &generated.down).unwrap();
}
