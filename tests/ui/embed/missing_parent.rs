static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/missing_parent");

fn main() {
    let _ = &MIGRATIONS;
}
