//! MySQL and MariaDB connection settings: the URL (`mysql://` or `mariadb://`,
//! the same protocol), the TLS words PostgreSQL users already know, the password
//! variable, and how the migration lock is taken. Parsing and precedence only:
//! nothing here opens a file or a socket.
//!
//! | setting | URL parameter | variable | default |
//! |---|---|---|---|
//! | password | `mysql://user:PASSWORD@…` or `?password=` | `MYSQL_PWD` | none |
//! | TLS mode | `sslmode` (or MySQL's `ssl-mode`) | | `prefer` |
//! | root certificates | `sslrootcert` (or `ssl-ca`), besides the driver's Mozilla roots | | the Mozilla roots the driver ships |
//! | client certificate | `sslcert` and `sslkey` (or `ssl-cert` and `ssl-key`) | | none |
//! | lock | `migrate_lock` = `auto`, `get_lock` or `table` | | `auto` |
//! | lock-table lease | `migrate_lock_lease` (seconds) | | 60 |
//! | Unix socket | `prefer_socket=true` (the driver's), or `socket=PATH` | | the URL's host over TCP |
//!
//! The TLS modes, in libpq's words and MySQL's: `disable` (`DISABLED`), `allow`,
//! `prefer` (`PREFERRED`), `require` (`REQUIRED`), `verify-ca` (`VERIFY_CA`) and
//! `verify-full` (`VERIFY_IDENTITY`). They mean what they mean for PostgreSQL:
//! `prefer` uses TLS when the server offers it, without checking the certificate;
//! `require` insists on TLS (checking the certificate only when `sslrootcert`
//! names a file, as libpq does); `verify-ca` checks the chain; `verify-full` also
//! checks that the certificate names the host. The driver's own TLS parameters
//! (`root_cert_path`, `danger_*`, ...) are refused, so one spelling decides.
//!
//! Every other parameter goes to the driver as it is (`tcp_connect_timeout_ms`,
//! `compress`, `socket`, ...).

use std::path::PathBuf;

use mysql::{Opts, OptsBuilder};

pub use super::ssl_mode::SslMode;

/// How the migration lock is taken (`migrate_lock=` in the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockMethod {
    /// `GET_LOCK`, unless the server is a Galera node (`wsrep_on`), where
    /// `GET_LOCK` is not replicated: then the lock table.
    Auto,
    /// Always `GET_LOCK`: a named lock held by the session, so it dies with it.
    GetLock,
    /// A row in a lock table next to the ledger, with a lease and a holder id.
    Table,
}

/// TLS settings read from the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// The mode.
    pub mode: SslMode,
    /// `sslrootcert`: a PEM or DER file of trusted roots.
    pub root_cert: Option<PathBuf>,
    /// `sslcert`: the client certificate chain (PEM).
    pub client_cert: Option<PathBuf>,
    /// `sslkey`: the client certificate's key (PEM).
    pub client_key: Option<PathBuf>,
}

/// A parsed MySQL URL: the driver's options (TLS not yet applied: see
/// [`TlsSettings::ssl_opts`]), the TLS settings and the lock method.
#[derive(Debug, Clone)]
pub struct MysqlSettings {
    /// The driver's options, without TLS.
    pub opts: Opts,
    /// What the URL says about TLS.
    pub tls: TlsSettings,
    /// How to take the migration lock.
    pub lock: LockMethod,
    /// How long a lock-table row holds without renewal.
    pub lease: std::time::Duration,
}

/// Driver parameters that a TLS word of ours replaces.
const DRIVER_TLS: [(&str, &str); 7] = [
    ("root_cert_path", "sslrootcert"),
    ("cert_chain_path", "sslcert"),
    ("priv_key_path", "sslkey"),
    ("danger_skip_domain_validation", "sslmode=verify-ca"),
    ("danger_accept_invalid_certs", "sslmode=require"),
    ("pkcs12_path", "sslcert and sslkey"),
    ("pkcs12_pass", "sslcert and sslkey"),
];

/// Parses a `mysql://` or `mariadb://` URL. `env` looks variables up (`MYSQL_PWD`
/// fills in a password the URL lacks). Errors are one line that never quotes the
/// password (the caller redacts what the driver says, too).
///
/// ```
/// use migrate_core::backend::mysql_options::{parse_url, LockMethod, SslMode};
/// let s = parse_url("mariadb://app@db:3307/shop?sslmode=verify-full&sslrootcert=/ca.pem", &|k| {
///     (k == "MYSQL_PWD").then(|| "from-env".to_string())
/// })?;
/// assert_eq!(s.opts.get_tcp_port(), 3307);
/// assert_eq!(s.opts.get_db_name(), Some("shop"));
/// assert_eq!(s.opts.get_pass(), Some("from-env"));
/// assert_eq!(s.tls.mode, SslMode::VerifyFull);
/// assert_eq!(s.lock, LockMethod::Auto);
/// assert!(!s.opts.get_prefer_socket());
/// assert!(parse_url("mysql://h/db?prefer_socket=true", &|_| None)?.opts.get_prefer_socket());
/// assert!(parse_url("mysql://h/db?sslmode=sometimes", &|_| None).unwrap_err().contains("sslmode"));
/// # Ok::<(), String>(())
/// ```
pub fn parse_url(url: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<MysqlSettings, String> {
    let rest = url
        .strip_prefix("mysql://")
        .or_else(|| url.strip_prefix("mariadb://"))
        .ok_or("not a mysql:// or mariadb:// URL")?;
    let (base, query) = match rest.split_once('?') {
        Some((base, query)) => (base, query),
        None => (rest, ""),
    };
    let mut tls = TlsSettings {
        mode: SslMode::Prefer,
        root_cert: None,
        client_cert: None,
        client_key: None,
    };
    let mut lock = LockMethod::Auto;
    let mut lease = std::time::Duration::from_secs(60);
    let mut driver = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = || {
            percent_decode(value)
                .ok_or_else(|| format!("`{key}` is not valid percent-encoded UTF-8"))
        };
        match key {
            "sslmode" | "ssl-mode" | "ssl_mode" => {
                tls.mode = SslMode::parse_mysql(value).ok_or_else(|| {
                    format!("sslmode `{value}` is not one of disable, allow, prefer, require, verify-ca, verify-full (or MySQL's DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)")
                })?;
            }
            "sslrootcert" | "ssl-ca" | "ssl_ca" => tls.root_cert = Some(decoded()?.into()),
            "sslcert" | "ssl-cert" | "ssl_cert" => tls.client_cert = Some(decoded()?.into()),
            "sslkey" | "ssl-key" | "ssl_key" => tls.client_key = Some(decoded()?.into()),
            "migrate_lock" => {
                lock = match value {
                    "auto" => LockMethod::Auto,
                    "get_lock" => LockMethod::GetLock,
                    "table" => LockMethod::Table,
                    _ => {
                        return Err(format!(
                            "migrate_lock `{value}` is not one of auto, get_lock, table"
                        ))
                    }
                }
            }
            "migrate_lock_lease" => {
                lease = match value.parse::<u64>() {
                    Ok(seconds) if (3..=86_400).contains(&seconds) => {
                        std::time::Duration::from_secs(seconds)
                    }
                    _ => {
                        return Err(format!(
                        "migrate_lock_lease `{value}` is not a number of seconds from 3 to 86400"
                    ))
                    }
                }
            }
            _ => {
                if let Some((_, ours)) = DRIVER_TLS.iter().find(|(driver, _)| *driver == key) {
                    return Err(format!(
                        "`{key}` is the driver's own TLS setting; write {ours} instead"
                    ));
                }
                driver.push(pair);
            }
        }
    }
    if tls.client_cert.is_some() != tls.client_key.is_some() {
        return Err("sslcert and sslkey go together: give both or neither".to_string());
    }
    if tls.mode == SslMode::Disable && (tls.root_cert.is_some() || tls.client_cert.is_some()) {
        return Err(
            "sslmode=disable with certificates: drop them, or use a mode that uses TLS".to_string(),
        );
    }
    let mut driver_url = format!("mysql://{base}");
    if !driver.is_empty() {
        driver_url.push('?');
        driver_url.push_str(&driver.join("&"));
    }
    let opts = Opts::from_url(&driver_url).map_err(|e| e.to_string())?;
    if opts.get_db_name().is_none() {
        return Err(
            "no database after the host; write mysql://user:password@host:3306/database"
                .to_string(),
        );
    }
    let mut builder = OptsBuilder::from_opts(opts.clone());
    // On a loopback host the driver would otherwise reconnect through the Unix
    // socket the server reports: without TLS, as user@localhost, and behind a
    // tunnel or proxy on 127.0.0.1, to whichever local server owns that path.
    if !driver
        .iter()
        .any(|pair| pair.split('=').next() == Some("prefer_socket"))
    {
        builder = builder.prefer_socket(false);
    }
    if opts.get_pass().is_none() {
        if let Some(password) = env("MYSQL_PWD").filter(|p| !p.is_empty()) {
            builder = builder.pass(Some(password));
        }
    }
    Ok(MysqlSettings {
        opts: builder.into(),
        tls,
        lock,
        lease,
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

impl TlsSettings {
    /// The driver's TLS options for a connection that uses TLS, or `None` for a
    /// plain one.
    pub fn ssl_opts(&self, tls: bool) -> Option<mysql::SslOpts> {
        if !tls {
            return None;
        }
        let verify_chain = match self.mode {
            SslMode::VerifyCa | SslMode::VerifyFull => true,
            SslMode::Require => self.root_cert.is_some(),
            SslMode::Disable | SslMode::Allow | SslMode::Prefer => false,
        };
        let mut opts = mysql::SslOpts::default()
            .with_root_cert_path(self.root_cert.clone())
            .with_danger_accept_invalid_certs(!verify_chain)
            .with_danger_skip_domain_validation(self.mode != SslMode::VerifyFull);
        if let (Some(cert), Some(key)) = (&self.client_cert, &self.client_key) {
            opts = opts
                .with_client_identity(Some(mysql::ClientIdentity::new(cert.clone(), key.clone())));
        }
        Some(opts)
    }
}
