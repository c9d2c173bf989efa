static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/cycle");

fn main() {
    let _ = &MIGRATIONS;
}
