//! The example service end to end, on SQLite and on PostgreSQL: three replicas
//! start at once, the revisions are applied exactly once, every replica then works
//! on the migrated schema, and the runner binary (the CLI inside a tokio runtime)
//! reports the database at head.

use std::process::{Command, Output};

use migrate::backend::{postgres::connect_client, ConnectOptions};
use migrate::config::DatabaseUrl;

const HEAD: &str = "7a0d3c5e8b21";

fn service(bin: &str, url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("DATABASE_URL", url)
        .env_remove("ENVIRONMENT")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn replicas_start_together(url: &str) {
    // All three run at once.
    let replicas: Vec<_> = (0..3)
        .map(|_| {
            service(env!("CARGO_BIN_EXE_tokio-service"), url, &[])
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = replicas
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    let mut applied = 0;
    let mut starts = Vec::new();
    for output in &outputs {
        assert!(output.status.success(), "{}", text(output));
        let out = String::from_utf8_lossy(&output.stdout);
        let (n, rest) = out
            .split_once(" revision(s) applied, schema at head; ")
            .unwrap();
        applied += n.parse::<usize>().unwrap();
        starts.push(rest.split_once(' ').unwrap().0.parse::<i64>().unwrap());
    }
    assert_eq!(applied, 2, "each revision is applied once in all");
    // Each replica saw its own start committed, and the last one saw all three.
    assert!(starts.iter().all(|n| (1..=3).contains(n)), "{starts:?}");
    assert_eq!(starts.iter().max(), Some(&3), "{starts:?}");

    let current = service(
        env!("CARGO_BIN_EXE_tokio-service-migrate"),
        url,
        &["current"],
    )
    .output()
    .unwrap();
    assert!(current.status.success(), "{}", text(&current));
    assert_eq!(
        String::from_utf8_lossy(&current.stdout),
        format!("{HEAD} (head)\n")
    );
}

#[test]
fn replicas_migrate_sqlite_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    replicas_start_together(&format!(
        "sqlite://{}",
        dir.path().join("service.db").display()
    ));
}

#[test]
fn replicas_migrate_postgres_at_start_up() {
    let admin_url = std::env::var("MIGRATE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let admin_parsed = DatabaseUrl::parse(&admin_url).unwrap();
    let mut admin = match connect_client(&admin_parsed, &ConnectOptions::default()) {
        Ok(client) => client,
        Err(e) if std::env::var("MIGRATE_REQUIRE_POSTGRES").as_deref() == Ok("1") => {
            panic!("MIGRATE_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: {e}")
        }
        Err(e) => {
            eprintln!("notice: skipping the PostgreSQL start-up test: {e}");
            return;
        }
    };
    let name = format!("migrate_t_tokio_service_{}", std::process::id());
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{name}\""))
        .unwrap();
    let (base, rest) = admin_url.rsplit_once('/').unwrap();
    let query = rest.find('?').map_or("", |q| &rest[q..]);
    let result =
        std::panic::catch_unwind(|| replicas_start_together(&format!("{base}/{name}{query}")));
    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
