//! The generic `migrate` binary: the CLI over a migrations directory
//! (`--dir`, `MIGRATE_DIR`, default `./migrations`), with no models linked in.

fn main() -> std::process::ExitCode {
    migrate::cli::main(migrate::cli::Source::Directory("migrations".into()))
}
