//! bookshelf's own runner (the role of Alembic's env.py): the full `migrate` CLI
//! with bookshelf's revisions embedded and its models linked in, e.g.
//! `cargo run -p bookshelf --bin bookshelf-migrate -- history`.

// Links the models crate, so its #[model]s are in `migrate::metadata()`.
use bookshelf_models as _;

fn main() -> std::process::ExitCode {
    migrate::cli::main(migrate::embed_migrations!("migrations"))
}
