static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/cycle");

fn main() {
    let _ = &MIGRATIONS;
}
