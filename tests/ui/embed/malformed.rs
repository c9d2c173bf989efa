static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/malformed");

fn main() {
    let _ = &MIGRATIONS;
}
