static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("../../../../tests/ui/embed/fixtures/multiple_heads", allow_many_heads);

fn main() {
    let _ = &MIGRATIONS;
}
