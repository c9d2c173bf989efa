static MIGRATIONS: migrate::EmbeddedMigrations =
    migrate::embed_migrations!("fixtures/symlink_loop");

fn main() {
    let _ = &MIGRATIONS;
}
