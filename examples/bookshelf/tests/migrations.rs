//! bookshelf's migrations under `migrate::testing`: the checks pytest-alembic runs
//! for a Python service, on in-memory SQLite.

use bookshelf_models as _; // links the models, so `models_match` sees them

static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("migrations");

const DB: &str = "sqlite::memory:";

#[test]
fn single_head() {
    migrate::testing::single_head(&MIGRATIONS).unwrap();
}

#[test]
fn upgrade_from_base() {
    migrate::testing::upgrade_from_base(&MIGRATIONS, DB).unwrap();
}

#[test]
fn up_down_roundtrip() {
    migrate::testing::up_down_roundtrip(&MIGRATIONS, DB).unwrap();
}

#[test]
fn models_match_migrations() {
    migrate::testing::models_match(&MIGRATIONS, DB).unwrap();
}
