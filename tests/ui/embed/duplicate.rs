static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/duplicate");

fn main() {
    let _ = &MIGRATIONS;
}
