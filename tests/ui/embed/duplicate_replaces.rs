static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/duplicate_replaces");

fn main() {
    let _ = &MIGRATIONS;
}
