//! Connecting as production services do, against a server set up like a managed
//! one (`.ci/run` makes it): TLS only with a certificate issued to `localhost`,
//! SCRAM passwords, plain connections rejected by pg_hba.conf. A second server has
//! no TLS at all. Each refused connection is one line, and never shows a password.
//!
//! The servers come from `MIGRATE_TEST_POSTGRES_TLS_URL` and
//! `MIGRATE_TEST_POSTGRES_NOTLS_URL` (`postgres://user:password@localhost:port/db`);
//! without them the tests skip with a notice, or fail under
//! `MIGRATE_REQUIRE_POSTGRES=1`.

mod common;

use std::path::Path;

use migrate::backend::{postgres::connect_client, ConnectOptions};
use migrate::config::DatabaseUrl;

const SNAKEOIL: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
const UNRELATED_ROOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/tls/unrelated-root.pem"
);

/// A server from the environment: user, password, port and a scratch database.
struct Server {
    user: String,
    password: String,
    port: String,
    database: String,
    admin_url: String,
}

impl Server {
    /// `postgres://user[:password]@host:port/database?query`.
    fn url(&self, host: &str, password: Option<&str>, query: &str) -> String {
        let auth = match password {
            Some(p) => format!("{}:{p}", self.user),
            None => self.user.clone(),
        };
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!(
            "postgres://{auth}@{host}:{}/{}{query}",
            self.port, self.database
        )
    }

    /// With the right password, by the certificate's name.
    fn good_url(&self, query: &str) -> String {
        self.url("localhost", Some(&self.password), query)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(url) = DatabaseUrl::parse(&self.admin_url) {
            if let Ok(mut admin) = connect_client(&url, &ConnectOptions::default()) {
                let _ = admin.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.database
                ));
            }
        }
    }
}

/// The server in `variable` with a fresh database for `test`, or `None` after a
/// notice when there is none (a failure under `MIGRATE_REQUIRE_POSTGRES=1`).
fn server(variable: &str, test: &str) -> Option<Server> {
    let required = std::env::var("MIGRATE_REQUIRE_POSTGRES").as_deref() == Ok("1");
    let skip = |why: String| {
        if required {
            panic!("MIGRATE_REQUIRE_POSTGRES=1 but {why}; .ci/run sets it up");
        }
        eprintln!("notice: skipping `{test}`: {why}");
        None
    };
    let Ok(admin_url) = std::env::var(variable) else {
        return skip(format!("{variable} is not set"));
    };
    // postgres://user:password@host:port/db
    let rest = admin_url.split_once("://").map_or("", |(_, r)| r);
    let (auth, location) = rest.split_once('@').unwrap_or(("", ""));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let port = location
        .split(['/', '?'])
        .next()
        .and_then(|hp| hp.rsplit_once(':'))
        .map_or("5432", |(_, p)| p);
    let mut admin = match connect_client(
        &DatabaseUrl::parse(&admin_url).unwrap(),
        &ConnectOptions::default(),
    ) {
        Ok(client) => client,
        Err(e) => return skip(format!("{variable} is unreachable ({e})")),
    };
    let database = format!("migrate_tls_{test}_{}", std::process::id());
    admin
        .batch_execute(&format!(
            "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
        ))
        .unwrap();
    admin
        .batch_execute(&format!("CREATE DATABASE \"{database}\""))
        .unwrap();
    Some(Server {
        user: user.to_string(),
        password: password.to_string(),
        port: port.to_string(),
        database,
        admin_url,
    })
}

/// A migrations directory with one revision.
fn migrations() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::write_revisions(
        &dir.path().join("migrations"),
        &[("b1", "none", "CREATE TABLE t (id INT);", "DROP TABLE t;")],
    );
    dir
}

/// The generic binary with no PG* variable from the developer's shell, plus `env`.
fn migrate(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = common::migrate_cmd(cwd);
    for var in [
        "PGPASSWORD",
        "PGSSLMODE",
        "PGSSLROOTCERT",
        "PGSSLCERT",
        "PGSSLKEY",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let output = cmd.args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `migrate --url URL upgrade` and expects a refusal: exit 1, and one line on
/// stderr containing every one of `expected`.
fn refused(cwd: &Path, env: &[(&str, &str)], url: &str, expected: &[&str]) -> String {
    let (code, out, err) = migrate(cwd, env, &["--url", url, "upgrade"]);
    assert_eq!(code, 1, "{url}: stdout {out} stderr {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    for text in expected {
        assert!(err.contains(text), "{url}: expected `{text}` in: {err}");
    }
    err
}

fn upgraded(cwd: &Path, env: &[(&str, &str)], url: &str) {
    let (code, out, err) = migrate(cwd, env, &["--url", url, "upgrade"]);
    assert_eq!(code, 0, "{url}: stdout {out} stderr {err}");
}

/// Whether the session runs over TLS, as the server sees it.
fn server_sees_tls(url: &str) -> bool {
    let mut client = connect_client(
        &DatabaseUrl::parse(url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn require_and_the_default_prefer_connect_over_tls() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "modes") else {
        return;
    };
    let dir = migrations();
    for query in ["", "sslmode=prefer", "sslmode=require", "sslmode=allow"] {
        let url = server.good_url(query);
        upgraded(dir.path(), &[], &url);
        assert!(server_sees_tls(&url), "{url} is not encrypted");
    }
    let (_, out, _) = migrate(dir.path(), &[], &["--url", &server.good_url(""), "current"]);
    assert_eq!(out, "b1 (head)\n");
}

#[test]
fn disable_is_refused_with_the_servers_reason() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "disable") else {
        return;
    };
    let dir = migrations();
    let expected = [
        "pg_hba.conf rejects connection for host \"127.0.0.1\"",
        "no encryption",
        "use sslmode=require or stronger",
    ];
    refused(
        dir.path(),
        &[],
        &server.good_url("sslmode=disable"),
        &expected,
    );
    // PGSSLMODE applies when the URL does not say; the URL wins when it does.
    refused(
        dir.path(),
        &[("PGSSLMODE", "disable")],
        &server.good_url(""),
        &expected,
    );
    upgraded(
        dir.path(),
        &[("PGSSLMODE", "disable")],
        &server.good_url("sslmode=require"),
    );
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "password") else {
        return;
    };
    let dir = migrations();
    let wrong = "Wr0ng-pa55word-xyzzy";
    let log_before = std::env::var("MIGRATE_TEST_POSTGRES_TLS_LOG")
        .ok()
        .and_then(|path| std::fs::read(path).ok())
        .map_or(0, |log| log.len());

    for (env, url) in [
        (vec![], server.url("localhost", Some(wrong), "")),
        (
            vec![("PGPASSWORD", wrong)],
            server.url("localhost", None, ""),
        ),
    ] {
        let (code, out, err) = migrate(dir.path(), &env, &["--url", &url, "upgrade"]);
        assert_eq!(code, 1, "{err}");
        assert!(
            err.contains(&format!(
                "password authentication failed for user \"{}\"",
                server.user
            )),
            "{err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(!out.contains(wrong) && !err.contains(wrong), "{out}{err}");
    }
    // Nor in what the server logged meanwhile.
    if let Ok(path) = std::env::var("MIGRATE_TEST_POSTGRES_TLS_LOG") {
        if let Ok(log) = std::fs::read(&path) {
            let new = String::from_utf8_lossy(&log[log_before.min(log.len())..]);
            assert!(
                new.contains("password authentication failed"),
                "{path}: {new}"
            );
            assert!(!new.contains(wrong), "{path} shows the password: {new}");
        }
    }
}

#[test]
fn pgpassword_fills_in_a_url_without_one_and_a_url_password_wins() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "pgpassword") else {
        return;
    };
    let dir = migrations();
    let password = server.password.clone();
    upgraded(
        dir.path(),
        &[("PGPASSWORD", &password)],
        &server.url("localhost", None, "sslmode=require"),
    );
    upgraded(
        dir.path(),
        &[("PGPASSWORD", "not-this-one")],
        &server.good_url("sslmode=require"),
    );
    refused(
        dir.path(),
        &[],
        &server.url("localhost", None, ""),
        &["the server asks for a password; put it in the URL or in PGPASSWORD"],
    );
}

#[test]
fn verify_full_checks_the_name_in_the_certificate() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "verify_full") else {
        return;
    };
    let dir = migrations();
    let query = format!("sslmode=verify-full&sslrootcert={SNAKEOIL}");
    let by_ip = server.url("127.0.0.1", Some(&server.password), &query);
    let err = refused(
        dir.path(),
        &[],
        &by_ip,
        &["the server's certificate is not valid for host 127.0.0.1 (it names localhost)"],
    );
    assert!(!err.contains(&server.password), "{err}");
    upgraded(dir.path(), &[], &server.good_url(&query));
    // verify-ca checks the chain but not the name; PGSSLROOTCERT names the root.
    upgraded(
        dir.path(),
        &[("PGSSLROOTCERT", SNAKEOIL)],
        &server.url("127.0.0.1", Some(&server.password), "sslmode=verify-ca"),
    );
}

#[test]
fn an_unknown_issuer_and_a_missing_root_file_are_named() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "issuer") else {
        return;
    };
    let dir = migrations();
    refused(
        dir.path(),
        &[],
        &server.good_url(&format!("sslmode=verify-full&sslrootcert={UNRELATED_ROOT}")),
        &[
            "the server's certificate has an unknown issuer",
            &format!("sslrootcert {UNRELATED_ROOT}"),
        ],
    );
    // require with a root file checks the chain, as libpq does.
    refused(
        dir.path(),
        &[("PGSSLROOTCERT", UNRELATED_ROOT)],
        &server.good_url("sslmode=require"),
        &["unknown issuer"],
    );
    refused(
        dir.path(),
        &[],
        &server.good_url("sslmode=verify-ca&sslrootcert=/nonexistent/root.crt"),
        &["sslrootcert file /nonexistent/root.crt cannot be read: No such file or directory"],
    );
}

#[test]
fn an_unknown_sslmode_lists_the_accepted_ones() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_TLS_URL", "sslmode") else {
        return;
    };
    let dir = migrations();
    let accepted = "use one of disable, allow, prefer, require, verify-ca, verify-full";
    let err = refused(
        dir.path(),
        &[],
        &server.good_url("sslmode=verify_full"),
        &["unknown sslmode `verify_full`", accepted],
    );
    assert!(!err.contains(&server.password), "{err}");
    refused(
        dir.path(),
        &[("PGSSLMODE", "on")],
        &server.good_url(""),
        &["unknown PGSSLMODE value `on`", accepted],
    );
}

#[test]
fn a_server_without_tls_is_refused_under_require_and_used_under_prefer() {
    let Some(server) = server("MIGRATE_TEST_POSTGRES_NOTLS_URL", "notls") else {
        return;
    };
    let dir = migrations();
    let host = "127.0.0.1";
    let password = server.password.clone();
    refused(
        dir.path(),
        &[],
        &server.url(host, Some(&password), "sslmode=require"),
        &["the server does not offer TLS, and sslmode=require demands it"],
    );
    refused(
        dir.path(),
        &[],
        &server.url(host, Some(&password), "sslmode=verify-full"),
        &["the server does not offer TLS, and sslmode=verify-full demands it"],
    );
    let url = server.url(host, Some(&password), "");
    upgraded(dir.path(), &[], &url);
    assert!(!server_sees_tls(&url));
}
