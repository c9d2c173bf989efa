//! The service's own runner: the full `migrate` CLI with its revisions embedded,
//! e.g. `cargo run -p tokio-service --bin tokio-service-migrate -- current`. It
//! runs inside the same kind of runtime as the service, which the CLI is safe in.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    migrate::cli::main(migrate::embed_migrations!("migrations"))
}
