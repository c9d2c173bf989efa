//! Migrating over the application's own connection: `upgrade_on`, `downgrade_on`,
//! `stamp_on` and `current_on` on a `rusqlite::Connection` and a `postgres::Client`,
//! which come back as they were lent, after a success and after a failure.

mod common;

use migrate::runner::{current_on, downgrade_on, stamp_on, upgrade_on};
use migrate::{EmbeddedMigrations, Error};

/// a1 and a2 create tables; a3 creates one, then fails on its second statement.
static MIGRATIONS: EmbeddedMigrations = migrate::embed_migrations!("tests/fixtures/own_connection");

fn sqlite_foreign_keys(conn: &rusqlite::Connection) -> bool {
    conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap()
}

fn sqlite_tables(conn: &rusqlite::Connection) -> Vec<String> {
    let mut statement = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    let names = statement.query_map([], |r| r.get(0)).unwrap();
    names.map(Result::unwrap).collect()
}

/// The connection as the application expects it: autocommit, its pragma as set.
fn assert_sqlite_as_lent(conn: &rusqlite::Connection, foreign_keys: bool) {
    assert!(conn.is_autocommit(), "a transaction was left open");
    assert_eq!(
        sqlite_foreign_keys(conn),
        foreign_keys,
        "foreign_keys changed"
    );
    // Still usable for the application's own work.
    conn.execute_batch("CREATE TEMP TABLE app_work (x INT); DROP TABLE app_work;")
        .unwrap();
}

#[test]
fn a_sqlite_connection_comes_back_as_lent_after_success_and_failure() {
    for foreign_keys in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
        conn.pragma_update(None, "foreign_keys", foreign_keys)
            .unwrap();

        let report = upgrade_on(&MIGRATIONS, &mut conn, "a2").unwrap();
        assert_eq!(report.steps, ["a1", "a2"]);
        assert_sqlite_as_lent(&conn, foreign_keys);
        // Nothing left to do: still no transaction left open.
        assert!(upgrade_on(&MIGRATIONS, &mut conn, "a2")
            .unwrap()
            .steps
            .is_empty());
        assert_sqlite_as_lent(&conn, foreign_keys);
        assert_eq!(current_on(&MIGRATIONS, &mut conn).unwrap(), ["a2"]);

        let err = upgrade_on(&MIGRATIONS, &mut conn, "heads").unwrap_err();
        assert!(
            matches!(&err, Error::MigrationFailed { revision, .. } if revision == "a3"),
            "{err}"
        );
        assert_sqlite_as_lent(&conn, foreign_keys);
        // a3 rolled back whole: its first statement left nothing behind.
        assert_eq!(sqlite_tables(&conn), ["child", "migrate_version", "parent"]);
        assert_eq!(current_on(&MIGRATIONS, &mut conn).unwrap(), ["a2"]);

        downgrade_on(&MIGRATIONS, &mut conn, "a1").unwrap();
        assert_sqlite_as_lent(&conn, foreign_keys);
        assert_eq!(current_on(&MIGRATIONS, &mut conn).unwrap(), ["a1"]);
        stamp_on(&MIGRATIONS, &mut conn, "a2").unwrap();
        assert_eq!(current_on(&MIGRATIONS, &mut conn).unwrap(), ["a2"]);
        assert_eq!(sqlite_tables(&conn), ["migrate_version", "parent"]);
        assert_sqlite_as_lent(&conn, foreign_keys);
    }
}

#[test]
fn a_sqlite_connection_inside_a_transaction_is_refused_and_left_alone() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE mine (x INT); BEGIN; INSERT INTO mine VALUES (1);")
        .unwrap();
    let err = upgrade_on(&MIGRATIONS, &mut conn, "a1")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "cannot connect to sqlite::memory:: the connection has an open transaction; commit or roll it back before migrating"
    );
    // The application's transaction is still its own to finish.
    assert!(!conn.is_autocommit());
    conn.execute_batch("ROLLBACK").unwrap();
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM mine", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    assert_eq!(sqlite_tables(&conn), ["mine"]);
}

/// Whether the session has a transaction open: `SAVEPOINT` outside one fails with
/// 25P01 (no_active_sql_transaction).
fn pg_in_transaction(client: &mut postgres::Client) -> bool {
    match client.batch_execute("SAVEPOINT probe") {
        Ok(()) => {
            client.batch_execute("ROLLBACK").unwrap();
            true
        }
        Err(e) => {
            let code = e.code().map(|c| c.code().to_string());
            assert_eq!(code.as_deref(), Some("25P01"), "{e}");
            false
        }
    }
}

fn pg_show(client: &mut postgres::Client, setting: &str) -> String {
    client
        .query_one(&format!("SHOW {setting}"), &[])
        .unwrap()
        .get(0)
}

fn assert_pg_as_lent(client: &mut postgres::Client) {
    assert!(!pg_in_transaction(client), "a transaction was left open");
    assert_eq!(pg_show(client, "search_path"), "app, public");
    assert_eq!(pg_show(client, "statement_timeout"), "123s");
    let locks: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(locks, 0, "the migration lock is still held");
}

fn pg_tables(client: &mut postgres::Client) -> Vec<String> {
    client
        .query(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables \
             WHERE table_schema IN ('app', 'public') ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_postgres_client_comes_back_as_lent_after_success_and_failure() {
    let Some(db) = common::postgres_db("own_connection_pg") else {
        return;
    };
    let mut client = db.connect();
    // The application's session: its own schema first, and a setting of its own.
    client
        .batch_execute(
            "CREATE SCHEMA app; SET search_path = app, public; SET statement_timeout = '123s'",
        )
        .unwrap();

    upgrade_on(&MIGRATIONS, &mut client, "a2").unwrap();
    assert_pg_as_lent(&mut client);
    // Nothing left to do: still no transaction left open.
    assert!(upgrade_on(&MIGRATIONS, &mut client, "a2")
        .unwrap()
        .steps
        .is_empty());
    assert_pg_as_lent(&mut client);
    // Everything, the ledger included, went where the session's search_path says.
    assert_eq!(
        pg_tables(&mut client),
        ["app.child", "app.migrate_version", "app.parent"]
    );

    let err = upgrade_on(&MIGRATIONS, &mut client, "heads").unwrap_err();
    assert!(
        matches!(&err, Error::MigrationFailed { revision, .. } if revision == "a3"),
        "{err}"
    );
    assert_pg_as_lent(&mut client);
    assert_eq!(
        pg_tables(&mut client),
        ["app.child", "app.migrate_version", "app.parent"]
    );
    assert_eq!(current_on(&MIGRATIONS, &mut client).unwrap(), ["a2"]);

    downgrade_on(&MIGRATIONS, &mut client, "a1").unwrap();
    assert_pg_as_lent(&mut client);
    stamp_on(&MIGRATIONS, &mut client, "a2").unwrap();
    assert_pg_as_lent(&mut client);
    assert_eq!(current_on(&MIGRATIONS, &mut client).unwrap(), ["a2"]);
    assert_eq!(
        pg_tables(&mut client),
        ["app.migrate_version", "app.parent"]
    );
    // The application keeps using its connection.
    client
        .batch_execute("INSERT INTO parent VALUES (1)")
        .unwrap();
}
