static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!("no/such/migrations");

fn main() {
    let _ = &MIGRATIONS;
}
