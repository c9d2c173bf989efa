static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/multiple_heads");

fn main() {
    let _ = &MIGRATIONS;
}
