//! bookshelf's own runner (the role of Alembic's env.py): the full `migrate` CLI
//! with bookshelf's revisions embedded, e.g.
//! `cargo run -p bookshelf --bin bookshelf-migrate -- history`.

fn main() -> std::process::ExitCode {
    migrate::cli::main(migrate::embed_migrations!("migrations"))
}
