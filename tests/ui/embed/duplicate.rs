static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/duplicate");

fn main() {
    let _ = &MIGRATIONS;
}
