//! No password reaches the output, however malformed the URL holding it and
//! wherever it comes from: `--url`, `DATABASE_URL`, each `ENVIRONMENT`'s variable
//! and `.env`, through the real binary.

mod common;

use common::{migrate_cmd, write_revisions};

const SECRET: &str = "S3cretPw";

/// Every shape a user has been seen to type, each holding `SECRET`.
const MALFORMED: [&str; 16] = [
    "postgres//alice:S3cretPw@host/db",
    "postgres:/alice:S3cretPw@host/db",
    "postgres:alice:S3cretPw@host/db",
    "alice:S3cretPw@host/db",
    "host=h user=alice password=S3cretPw dbname=db",
    "host=h user=alice password='S3cretPw and more' dbname=db",
    "postgres://alice:S3cretPw@host:notaport/db",
    "postgres://alice:S3cretPw with a space@host/db",
    "postgres://alice:S3c@retPw@host:notaport/db",
    "postgres://h/db?user=alice&password=S3cretPw&port=notaport",
    "mysql://alice:S3cretPw@host/db",
    "mysql//alice:S3cretPw@host/db",
    "mariadb://alice:S3cretPw@host:notaport/db",
    "mysql://h/db?user=alice&password=S3cretPw&sslmode=sometimes",
    "mysql://alice:S3cretPw@127.0.0.1:1/db",
    "postgres://alice:S3cretPw@127.0.0.1:1/db",
];

/// The variable each `ENVIRONMENT` reads, and the plain override.
const SOURCES: [(Option<&str>, &str); 5] = [
    (None, "DATABASE_URL"),
    (Some("local"), "DATABASE_URL_LOCAL"),
    (Some("development"), "DATABASE_URL_DEV"),
    (Some("staging"), "DATABASE_URL_STAGING"),
    (Some("production"), "DATABASE_URL_PROD"),
];

fn assert_hidden(what: &str, output: &std::process::Output) {
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    for part in [SECRET, "retPw"] {
        assert!(
            !out.contains(part) && !err.contains(part),
            "{what} leaked the password:\nstdout: {out}\nstderr: {err}"
        );
    }
    // `upgrade --sql` only needs the URL's dialect, so a URL the driver accepts
    // prints a script; everything else fails.
    if output.status.success() {
        assert!(
            what.contains("--sql") && out.contains("BEGIN;"),
            "{what}: {err}"
        );
        return;
    }
    assert_eq!(output.status.code(), Some(1), "{what}: {err}");
    assert!(err.starts_with("error: "), "{what}: {err}");
}

#[test]
fn malformed_urls_never_echo_their_password_from_any_source() {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(tmp.path(), &[("r1", "none", "SELECT 1;", "SELECT 1;")]);
    let dir = tmp.path().to_str().unwrap();
    for url in MALFORMED {
        for command in [&["upgrade"][..], &["current"], &["upgrade", "--sql"]] {
            let output = migrate_cmd(tmp.path())
                .args(["--dir", dir, "--url", url])
                .args(command)
                .output()
                .unwrap();
            assert_hidden(&format!("--url {url} {command:?}"), &output);
        }
        for (environment, variable) in SOURCES {
            let mut cmd = migrate_cmd(tmp.path());
            cmd.args(["--dir", dir, "upgrade"]).env(variable, url);
            if let Some(environment) = environment {
                cmd.env("ENVIRONMENT", environment);
            }
            assert_hidden(&format!("{variable}={url}"), &cmd.output().unwrap());
        }
    }
}

#[test]
fn dot_env_values_and_malformed_lines_never_echo_a_password() {
    let tmp = tempfile::tempdir().unwrap();
    write_revisions(tmp.path(), &[("r1", "none", "SELECT 1;", "SELECT 1;")]);
    let dir = tmp.path().to_str().unwrap();
    for url in MALFORMED {
        std::fs::write(
            tmp.path().join(".env"),
            format!("DATABASE_URL_DEV='{url}'\n"),
        )
        .unwrap();
        let output = migrate_cmd(tmp.path())
            .args(["--dir", dir, "upgrade"])
            .output()
            .unwrap();
        assert_hidden(&format!(".env holding {url}"), &output);
    }
    // A line dotenvy cannot parse is quoted in its error: redacted, as one value.
    for line in [
        "DATABASE_URL_DEV=\"postgres://alice:S3cretPw@host/db",
        "DATABASE_URL_DEV='postgres://alice:S3cretPw with space@host/db",
        "postgres://alice:S3cretPw@host/db",
        "DATABASE_URL_DEV=\"host=h password='S3cretPw and more'",
    ] {
        std::fs::write(tmp.path().join(".env"), format!("{line}\n")).unwrap();
        let output = migrate_cmd(tmp.path())
            .args(["--dir", dir, "upgrade"])
            .output()
            .unwrap();
        assert_hidden(&format!(".env line {line}"), &output);
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(".env"), "the error names the file: {err}");
    }
}

#[test]
fn the_library_redacts_what_it_reports_too() {
    for url in MALFORMED {
        for (environment, variable) in SOURCES {
            let env = |key: &str| match key {
                "ENVIRONMENT" => environment.map(String::from),
                k if k == variable => Some(url.to_string()),
                _ => None,
            };
            let Err(e) = migrate::config::resolve_url(None, &env) else {
                // Well-formed but unreachable: connecting reports it, redacted.
                let parsed = migrate::config::resolve_url(None, &env).unwrap();
                assert!(!format!("{parsed} {parsed:?}").contains(SECRET));
                continue;
            };
            for text in [e.to_string(), format!("{e:?}")] {
                assert!(!text.contains(SECRET) && !text.contains("retPw"), "{text}");
            }
        }
    }
}

#[test]
fn usage_errors_quoting_a_url_redact_it() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["postgres://alice:S3cretPw@host/db"][..],
        &["upgrade", "--ur", "postgres://alice:S3cretPw@host/db"],
        &["upgrade", "heads", "alice:S3cretPw@host/db"],
    ] {
        let output = migrate_cmd(tmp.path()).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains(SECRET), "{args:?} leaked: {err}");
    }
}
