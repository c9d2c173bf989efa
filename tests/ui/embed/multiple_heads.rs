static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/multiple_heads");

fn main() {
    let _ = &MIGRATIONS;
}
