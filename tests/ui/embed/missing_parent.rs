static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/missing_parent");

fn main() {
    let _ = &MIGRATIONS;
}
