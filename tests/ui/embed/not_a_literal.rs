const DIR: &str = "migrations";
static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!(DIR);

fn main() {
    let _ = &MIGRATIONS;
}
