static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/multiple_heads", allow_many_heads);

fn main() {
    let _ = &MIGRATIONS;
}
