//! Connecting to MySQL/MariaDB as production services do, against a server set up
//! like a managed one (`.ci/mariadb-tls` makes it, `.ci/run` runs that): every TCP
//! connection must use TLS (`require_secure_transport`), the certificate comes
//! from a CA of the server's own and names `localhost` and `127.0.0.1` (the
//! server also listens on 127.0.0.2, a name the certificate lacks), and the user
//! has a password; a second user, `migrate_cert`, must also present a client
//! certificate from that CA (`client.pem` and `client.key` next to the CA's file).
//! Each refused connection is one line that names the cause and never the
//! password.
//!
//! The server comes from `MIGRATE_TEST_MYSQL_TLS_URL`
//! (`mysql://user:password@127.0.0.1:port/database`) and its CA from
//! `MIGRATE_TEST_MYSQL_TLS_CA`; without them the tests skip with a notice, or
//! fail under `MIGRATE_REQUIRE_MYSQL=1`.

mod common;

use std::path::{Path, PathBuf};

use migrate::backend::ConnectOptions;
use migrate::config::DatabaseUrl;
use migrate_core::backend::mysql::MysqlBackend;
use mysql::prelude::Queryable;

const UNRELATED_ROOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/tls/unrelated-root.pem"
);

/// The server from the environment with a fresh database for one test, dropped
/// with this value.
struct Server {
    user: String,
    password: String,
    port: u16,
    database: String,
    ca: PathBuf,
    /// The driver's options for the administrative connection (TLS, CA checked).
    admin: mysql::Opts,
}

impl Server {
    /// `mysql://user[:password]@host:port/database?query`.
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
            "mysql://{auth}@{host}:{}/{}{query}",
            self.port, self.database
        )
    }

    /// With the right password, at an address the certificate names.
    fn good_url(&self, query: &str) -> String {
        self.url("127.0.0.1", Some(&self.password), query)
    }

    /// `sslmode=verify-full` with the server's CA.
    fn verify_full(&self) -> String {
        format!("sslmode=verify-full&sslrootcert={}", self.ca.display())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(mut admin) = mysql::Conn::new(self.admin.clone()) {
            let _ = admin.query_drop(format!("DROP DATABASE IF EXISTS `{}`", self.database));
        }
    }
}

/// The server with a fresh database for `test`, or `None` after a notice when
/// there is none (a failure under `MIGRATE_REQUIRE_MYSQL=1`).
fn server(test: &str) -> Option<Server> {
    let required = std::env::var("MIGRATE_REQUIRE_MYSQL").as_deref() == Ok("1");
    let skip = |why: String| {
        if required {
            panic!("MIGRATE_REQUIRE_MYSQL=1 but {why}; .ci/run sets it up (or: eval \"$(.ci/mariadb-tls)\")");
        }
        eprintln!("notice: skipping `{test}`: {why}");
        None
    };
    let (Ok(url), Ok(ca)) = (
        std::env::var("MIGRATE_TEST_MYSQL_TLS_URL"),
        std::env::var("MIGRATE_TEST_MYSQL_TLS_CA"),
    ) else {
        return skip("MIGRATE_TEST_MYSQL_TLS_URL or MIGRATE_TEST_MYSQL_TLS_CA is not set".into());
    };
    let opts = mysql::Opts::from_url(&url).expect("MIGRATE_TEST_MYSQL_TLS_URL is a mysql:// URL");
    let admin: mysql::Opts = mysql::OptsBuilder::from_opts(opts.clone())
        .ssl_opts(Some(
            mysql::SslOpts::default().with_root_cert_path(Some(PathBuf::from(&ca))),
        ))
        .into();
    let mut conn = match mysql::Conn::new(admin.clone()) {
        Ok(conn) => conn,
        Err(e) => return skip(format!("MIGRATE_TEST_MYSQL_TLS_URL is unreachable ({e})")),
    };
    let database = format!("migrate_tls_{test}_{}", std::process::id());
    conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))
        .unwrap();
    conn.query_drop(format!("CREATE DATABASE `{database}`"))
        .unwrap();
    Some(Server {
        user: opts.get_user().unwrap_or_default().to_string(),
        password: opts.get_pass().unwrap_or_default().to_string(),
        port: opts.get_tcp_port(),
        database,
        ca: ca.into(),
        admin,
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

/// The generic binary without `MYSQL_PWD` from the developer's shell, plus `env`.
fn migrate(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let mut cmd = common::migrate_cmd(cwd);
    cmd.env_remove("MYSQL_PWD");
    cmd.envs(env.iter().copied());
    let output = cmd.args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `migrate --url URL upgrade` and expects a refusal: exit 1, and one line on
/// stderr containing every one of `expected`, and no `secret` on either stream.
fn refused(cwd: &Path, env: &[(&str, &str)], url: &str, expected: &[&str], secret: &str) -> String {
    let (code, out, err) = migrate(cwd, env, &["--url", url, "upgrade"]);
    assert_eq!(code, 1, "{url}: stdout {out} stderr {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    for text in expected {
        assert!(err.contains(text), "{url}: expected `{text}` in: {err}");
    }
    assert!(
        !out.contains(secret) && !err.contains(secret),
        "the password shows: {out}{err}"
    );
    err
}

fn upgraded(cwd: &Path, env: &[(&str, &str)], url: &str) {
    let (code, out, err) = migrate(cwd, env, &["--url", url, "upgrade"]);
    assert_eq!(code, 0, "{url}: stdout {out} stderr {err}");
}

/// The TLS version of the session the library opens for `url`, as the server
/// sees it (empty for a plain one).
fn session_tls(url: &str) -> String {
    let mut backend = MysqlBackend::connect(
        &DatabaseUrl::parse(url).unwrap(),
        &ConnectOptions::default(),
    )
    .unwrap();
    let row: Option<(String, String)> = backend
        .connection()
        .query_first("SHOW SESSION STATUS LIKE 'Ssl_version'")
        .unwrap();
    row.map(|(_, version)| version).unwrap_or_default()
}

#[test]
fn require_prefer_and_allow_connect_over_tls() {
    let Some(server) = server("modes") else {
        return;
    };
    let dir = migrations();
    for query in [
        "",
        "sslmode=prefer",
        "sslmode=require",
        "ssl-mode=REQUIRED",
        "sslmode=allow",
    ] {
        let url = server.good_url(query);
        upgraded(dir.path(), &[], &url);
        let version = session_tls(&url);
        assert!(version.starts_with("TLSv1."), "{url}: `{version}`");
    }
    let (_, out, _) = migrate(
        dir.path(),
        &[],
        &["--url", &server.good_url("sslmode=require"), "current"],
    );
    assert_eq!(out, "b1 (head)\n");
}

#[test]
fn verify_full_with_the_ca_connects_and_checks_the_name() {
    let Some(server) = server("verify_full") else {
        return;
    };
    let dir = migrations();
    let verify_full = server.verify_full();
    for host in ["127.0.0.1", "localhost"] {
        let url = server.url(host, Some(&server.password), &verify_full);
        upgraded(dir.path(), &[], &url);
        assert!(session_tls(&url).starts_with("TLSv1."), "{url}");
    }
    // MySQL's own words.
    upgraded(
        dir.path(),
        &[],
        &server.good_url(&format!(
            "ssl-mode=VERIFY_IDENTITY&ssl-ca={}",
            server.ca.display()
        )),
    );
    // 127.0.0.2 reaches the same server, but the certificate does not name it.
    let password = server.password.clone();
    let other = server.url("127.0.0.2", Some(&password), &verify_full);
    refused(
        dir.path(),
        &[],
        &other,
        &[
            "TLS handshake failed: ",
            "the server's certificate is not valid for host 127.0.0.2 (it names localhost, 127.0.0.1)",
            "sslmode=verify-ca",
        ],
        &password,
    );
    // The lock table's lease keeper opens a connection of its own, as securely.
    upgraded(
        dir.path(),
        &[],
        &server.good_url(&format!("{verify_full}&migrate_lock=table")),
    );
    // verify-ca checks the chain, not the name.
    let url = server.url(
        "127.0.0.2",
        Some(&password),
        &format!("sslmode=verify-ca&sslrootcert={}", server.ca.display()),
    );
    upgraded(dir.path(), &[], &url);
}

#[test]
fn a_certificate_from_an_unknown_issuer_is_refused() {
    let Some(server) = server("issuer") else {
        return;
    };
    let dir = migrations();
    let password = server.password.clone();
    // Without the CA, the driver's Mozilla roots do not know it.
    refused(
        dir.path(),
        &[],
        &server.good_url("sslmode=verify-full"),
        &[
            "TLS handshake failed: ",
            "the server's certificate has an unknown issuer",
            "sslrootcert=FILE",
        ],
        &password,
    );
    refused(
        dir.path(),
        &[],
        &server.good_url(&format!("sslmode=verify-ca&sslrootcert={UNRELATED_ROOT}")),
        &["the server's certificate has an unknown issuer"],
        &password,
    );
    // require with a root file checks the chain, as libpq does.
    refused(
        dir.path(),
        &[],
        &server.good_url(&format!("sslmode=require&sslrootcert={UNRELATED_ROOT}")),
        &["the server's certificate has an unknown issuer"],
        &password,
    );
    refused(
        dir.path(),
        &[],
        &server.good_url("sslmode=verify-full&sslrootcert=/nonexistent/ca.pem"),
        &["sslrootcert file /nonexistent/ca.pem cannot be read: No such file or directory"],
        &password,
    );
    refused(
        dir.path(),
        &[],
        &server.good_url(&format!(
            "sslmode=require&ssl-cert={}&ssl-key=/nonexistent/client.key",
            server.ca.display()
        )),
        &["sslkey file /nonexistent/client.key cannot be read"],
        &password,
    );
}

#[test]
fn disable_is_refused_by_the_server() {
    let Some(server) = server("disable") else {
        return;
    };
    let dir = migrations();
    let password = server.password.clone();
    for query in ["sslmode=disable", "ssl-mode=DISABLED"] {
        refused(
            dir.path(),
            &[],
            &server.good_url(query),
            &[
                "Access denied for user",
                "whether the server accepts only TLS connections (require_secure_transport",
                "use sslmode=require or stronger, not sslmode=disable",
            ],
            &password,
        );
    }
}

#[test]
fn a_wrong_password_is_refused_and_never_shown() {
    let Some(server) = server("password") else {
        return;
    };
    let dir = migrations();
    let wrong = "Wr0ng-pa55word-xyzzy";
    let log = std::env::var("MIGRATE_TEST_MYSQL_TLS_LOG").ok();
    let log_before = log
        .as_ref()
        .and_then(|path| std::fs::read(path).ok())
        .map_or(0, |log| log.len());
    let verify_full = server.verify_full();
    for (env, url) in [
        (vec![], server.url("127.0.0.1", Some(wrong), &verify_full)),
        (vec![], server.url("127.0.0.1", Some(wrong), "")),
        (
            vec![("MYSQL_PWD", wrong)],
            server.url("127.0.0.1", None, "sslmode=require"),
        ),
    ] {
        let err = refused(
            dir.path(),
            &env,
            &url,
            &[
                &format!(
                    "ERROR 1045 (28000): Access denied for user '{}'",
                    server.user
                ),
                "check the user and password (in the URL or in MYSQL_PWD)",
            ],
            wrong,
        );
        assert!(!err.contains("require_secure_transport"), "{err}");
    }
    // As on a managed server, root has no way in over TCP.
    let root = format!("mysql://root@127.0.0.1:{}/{}", server.port, server.database);
    refused(
        dir.path(),
        &[],
        &root,
        &[
            "Access denied for user 'root'@'127.0.0.1'",
            "check the user and password (in the URL or in MYSQL_PWD)",
        ],
        wrong,
    );
    // A URL password shows as *** in the message.
    let (_, _, err) = migrate(
        dir.path(),
        &[],
        &[
            "--url",
            &server.url("127.0.0.1", Some(wrong), ""),
            "current",
        ],
    );
    assert!(
        err.contains(&format!("{}:***@127.0.0.1", server.user)),
        "{err}"
    );
    // Nor in what the server logged meanwhile.
    if let Some(path) = log {
        if let Ok(log) = std::fs::read(&path) {
            let new = String::from_utf8_lossy(&log[log_before.min(log.len())..]);
            assert!(new.contains("Access denied"), "{path}: {new}");
            assert!(!new.contains(wrong), "{path} shows the password: {new}");
        }
    }
}

#[test]
fn mysql_pwd_fills_in_a_url_without_one() {
    let Some(server) = server("mysql_pwd") else {
        return;
    };
    let dir = migrations();
    let password = server.password.clone();
    upgraded(
        dir.path(),
        &[("MYSQL_PWD", &password)],
        &server.url("127.0.0.1", None, &server.verify_full()),
    );
    upgraded(
        dir.path(),
        &[("MYSQL_PWD", "not-this-one")],
        &server.good_url(&server.verify_full()),
    );
}

#[test]
fn the_testing_helpers_take_a_tls_url() {
    let Some(server) = server("testing") else {
        return;
    };
    let dir = migrations();
    let migrations = common::embedded(&dir.path().join("migrations"), "migrations");
    let url = server.good_url(&server.verify_full());
    let scratch = migrate::testing::ScratchDatabase::create(&url).unwrap();
    assert!(
        scratch.url().contains(&server.verify_full()),
        "{}",
        scratch.url()
    );
    assert!(!scratch.to_string().contains(&server.password), "{scratch}");
    migrate::testing::upgrade_from_base(&migrations, scratch.url()).unwrap();
    let fresh = migrate::testing::ScratchDatabase::create(&url).unwrap();
    migrate::testing::up_down_roundtrip(&migrations, fresh.url()).unwrap();
    assert!(session_tls(fresh.url()).starts_with("TLSv1."));
    // Without the CA, the helpers fail as the CLI does.
    let err = migrate::testing::ScratchDatabase::create(&server.good_url("sslmode=verify-full"))
        .expect_err("no CA: refused");
    let text = err.to_string();
    assert!(text.contains("unknown issuer"), "{text}");
    assert!(!text.contains(&server.password), "{text}");
}

#[test]
fn a_client_certificate_gets_a_user_that_requires_one_in() {
    let Some(server) = server("client_cert") else {
        return;
    };
    let dir = migrations();
    let tls = server.ca.parent().unwrap();
    let (cert, key) = (tls.join("client.pem"), tls.join("client.key"));
    let url = |query: &str| {
        format!(
            "mysql://migrate_cert:{}@127.0.0.1:{}/{}?{}&{query}",
            server.password,
            server.port,
            server.database,
            server.verify_full()
        )
    };
    upgraded(
        dir.path(),
        &[],
        &url(&format!(
            "sslcert={}&sslkey={}",
            cert.display(),
            key.display()
        )),
    );
    upgraded(
        dir.path(),
        &[],
        &url(&format!(
            "ssl-cert={}&ssl-key={}",
            cert.display(),
            key.display()
        )),
    );
    // Without it, the server says no as to a wrong password (MariaDB's way).
    refused(
        dir.path(),
        &[],
        &url(""),
        &["ERROR 1045 (28000): Access denied for user 'migrate_cert'@'127.0.0.1'"],
        &server.password,
    );
    refused(
        dir.path(),
        &[],
        &url(&format!("sslcert={}", cert.display())),
        &["sslcert and sslkey go together"],
        &server.password,
    );
}
