static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/malformed");

fn main() {
    let _ = &MIGRATIONS;
}
