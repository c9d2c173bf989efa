//! PostgreSQL connection settings the `postgres` crate does not parse itself:
//! libpq's TLS parameters (`sslmode`, `sslrootcert`, `sslcert`, `sslkey`) and the
//! `PG*` variables that fill in what a URL leaves out. Parsing and precedence
//! only: nothing here opens a file or a socket.
//!
//! Precedence, for each setting: the URL, then the variable, then the default.
//!
//! | setting | URL parameter | variable | default |
//! |---|---|---|---|
//! | password | `postgres://user:PASSWORD@…` or `?password=` | `PGPASSWORD` | none |
//! | TLS mode | `sslmode` | `PGSSLMODE` | `prefer` |
//! | root certificates | `sslrootcert` (`system`: the platform's store) | `PGSSLROOTCERT` | the platform's store |
//! | client certificate | `sslcert` and `sslkey` | `PGSSLCERT` and `PGSSLKEY` | none |

use std::path::PathBuf;

use percent_encoding::percent_decode_str;

pub use super::ssl_mode::SslMode;

/// Where trusted root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCerts {
    /// The platform's certificate store (`sslrootcert` unset, or `system`).
    Platform,
    /// A PEM file of one or more certificates.
    File(PathBuf),
}

/// The TLS half of a connection's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    /// The mode, from `sslmode`, `PGSSLMODE` or the default `prefer`.
    pub mode: SslMode,
    /// Trusted roots, from `sslrootcert` or `PGSSLROOTCERT`.
    pub roots: RootCerts,
    /// A client certificate and its key (PEM files), from `sslcert`/`sslkey` or
    /// `PGSSLCERT`/`PGSSLKEY`.
    pub client_cert: Option<(PathBuf, PathBuf)>,
}

impl TlsSettings {
    /// Whether the certificate chain is checked: `verify-*`, or `require` with an
    /// `sslrootcert` file (libpq's rule).
    pub fn checks_chain(&self) -> bool {
        self.mode.verifies()
            || (self.mode == SslMode::Require && matches!(self.roots, RootCerts::File(_)))
    }

    /// Whether the certificate must name the host.
    pub fn checks_host(&self) -> bool {
        self.mode == SslMode::VerifyFull
    }
}

/// The TLS parameters as a URL states them; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlTls {
    mode: Option<SslMode>,
    root_cert: Option<String>,
    cert: Option<String>,
    key: Option<String>,
}

/// A PostgreSQL URL split into what the driver parses and the TLS parameters,
/// which it does not (it knows neither `verify-ca` nor `verify-full`).
#[derive(Debug, Clone)]
pub struct ParsedUrl {
    /// Everything but the TLS parameters, parsed by the driver.
    pub config: postgres::Config,
    /// The TLS parameters the URL gives.
    pub tls: UrlTls,
}

/// Splits a `postgres://` URL. The error is the reason alone, for the caller to
/// put next to the redacted URL (the driver's messages can quote the URL).
///
/// ```
/// use migrate_core::backend::pg_options::parse_url;
/// assert!(parse_url("postgres://app@db/app?sslmode=verify-full&sslrootcert=/etc/ca.pem").is_ok());
/// let err = parse_url("postgres://app@db/app?sslmode=verify_full").unwrap_err();
/// assert_eq!(err, "unknown sslmode `verify_full`; use one of disable, allow, prefer, require, verify-ca, verify-full");
/// ```
pub fn parse_url(url: &str) -> Result<ParsedUrl, String> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut tls = UrlTls::default();
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = || {
            percent_decode_str(value)
                .decode_utf8()
                .map(|v| v.into_owned())
                .map_err(|_| format!("the value of `{key}` is not UTF-8"))
        };
        match key {
            "sslmode" => tls.mode = Some(parse_mode(&decoded()?, "sslmode")?),
            "sslrootcert" => tls.root_cert = Some(decoded()?),
            "sslcert" => tls.cert = Some(decoded()?),
            "sslkey" => tls.key = Some(decoded()?),
            _ => rest.push(pair),
        }
    }
    let driver_url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    let config = driver_url
        .parse::<postgres::Config>()
        .map_err(|e| with_causes(&e))?;
    Ok(ParsedUrl { config, tls })
}

/// An error and its causes, `: `-separated: the driver puts the useful part
/// ("unknown option `x`", "connection refused") in the causes.
pub(crate) fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

fn parse_mode(text: &str, source: &str) -> Result<SslMode, String> {
    SslMode::parse(text).ok_or_else(|| {
        let what = if source == "sslmode" {
            "sslmode".to_string()
        } else {
            format!("{source} value")
        };
        format!(
            "unknown {what} `{text}`; use one of {}",
            SslMode::NAMES.join(", ")
        )
    })
}

/// The settings to connect with: the URL's, completed from `env` (the process
/// environment in production, a closure in tests). `PGPASSWORD` goes into the
/// returned driver config when the URL has no password.
///
/// ```
/// use migrate_core::backend::pg_options::{parse_url, resolve, RootCerts, SslMode};
/// let env = |k: &str| match k {
///     "PGPASSWORD" => Some("from-env".to_string()),
///     "PGSSLMODE" => Some("verify-full".to_string()),
///     _ => None,
/// };
/// // The URL says nothing: the environment fills in.
/// let (config, tls) = resolve(parse_url("postgres://app@db/app").unwrap(), &env).unwrap();
/// assert_eq!(config.get_password(), Some(&b"from-env"[..]));
/// assert_eq!((tls.mode, tls.roots), (SslMode::VerifyFull, RootCerts::Platform));
/// // The URL wins.
/// let (config, tls) = resolve(parse_url("postgres://app:in-url@db/app?sslmode=require").unwrap(), &env).unwrap();
/// assert_eq!(config.get_password(), Some(&b"in-url"[..]));
/// assert_eq!(tls.mode, SslMode::Require);
/// ```
pub fn resolve(
    parsed: ParsedUrl,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(postgres::Config, TlsSettings), String> {
    let ParsedUrl { mut config, tls } = parsed;
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    if config.get_password().is_none() {
        if let Some(password) = var("PGPASSWORD") {
            config.password(password);
        }
    }
    let mode = match (tls.mode, var("PGSSLMODE")) {
        (Some(mode), _) => mode,
        (None, Some(text)) => parse_mode(&text, "PGSSLMODE")?,
        (None, None) => SslMode::Prefer,
    };
    let roots = match tls.root_cert.or_else(|| var("PGSSLROOTCERT")) {
        None => RootCerts::Platform,
        Some(name) if name == "system" => RootCerts::Platform,
        Some(path) => RootCerts::File(PathBuf::from(path)),
    };
    let cert = tls.cert.or_else(|| var("PGSSLCERT"));
    let key = tls.key.or_else(|| var("PGSSLKEY"));
    let client_cert = match (cert, key) {
        (Some(cert), Some(key)) => Some((PathBuf::from(cert), PathBuf::from(key))),
        (None, None) => None,
        (Some(_), None) => return Err("sslcert needs sslkey, the file of its private key".into()),
        (None, Some(_)) => return Err("sslkey needs sslcert, the file of its certificate".into()),
    };
    // The driver only tells "try TLS" from "insist on it"; the checks are ours.
    config.ssl_mode(match mode {
        SslMode::Disable | SslMode::Allow => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    });
    Ok((
        config,
        TlsSettings {
            mode,
            roots,
            client_cert,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(
        url: &str,
        vars: &[(&str, &str)],
    ) -> Result<(postgres::Config, TlsSettings), String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let env = move |key: &str| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        resolve(parse_url(url)?, &env)
    }

    #[test]
    fn every_libpq_mode_parses_and_the_default_is_prefer() {
        for name in SslMode::NAMES {
            let (_, tls) = settings(&format!("postgres://h/db?sslmode={name}"), &[]).unwrap();
            assert_eq!(tls.mode.as_str(), name);
        }
        let (config, tls) = settings("postgres://h/db", &[]).unwrap();
        assert_eq!(tls.mode, SslMode::Prefer);
        assert_eq!(config.get_ssl_mode(), postgres::config::SslMode::Prefer);
        assert_eq!(tls.roots, RootCerts::Platform);
    }

    #[test]
    fn unknown_modes_list_the_accepted_ones() {
        let accepted = "use one of disable, allow, prefer, require, verify-ca, verify-full";
        let err = settings("postgres://h/db?sslmode=strict", &[]).unwrap_err();
        assert_eq!(err, format!("unknown sslmode `strict`; {accepted}"));
        let err = settings("postgres://h/db", &[("PGSSLMODE", "Require")]).unwrap_err();
        assert_eq!(
            err,
            format!("unknown PGSSLMODE value `Require`; {accepted}")
        );
    }

    #[test]
    fn the_url_wins_over_the_environment() {
        let env = [
            ("PGSSLMODE", "disable"),
            ("PGSSLROOTCERT", "/env/root.pem"),
            ("PGPASSWORD", "env-secret"),
        ];
        let url = "postgres://u:url-secret@h/db?sslmode=verify-ca&sslrootcert=/url/root%20ca.pem";
        let (config, tls) = settings(url, &env).unwrap();
        assert_eq!(tls.mode, SslMode::VerifyCa);
        assert_eq!(tls.roots, RootCerts::File("/url/root ca.pem".into()));
        assert_eq!(config.get_password(), Some(&b"url-secret"[..]));
        assert_eq!(config.get_ssl_mode(), postgres::config::SslMode::Require);

        let (config, tls) = settings("postgres://u@h/db", &env).unwrap();
        assert_eq!(tls.mode, SslMode::Disable);
        assert_eq!(tls.roots, RootCerts::File("/env/root.pem".into()));
        assert_eq!(config.get_password(), Some(&b"env-secret"[..]));
        assert_eq!(config.get_ssl_mode(), postgres::config::SslMode::Disable);
    }

    #[test]
    fn a_password_query_parameter_also_beats_pgpassword() {
        let (config, _) = settings(
            "postgres://h/db?user=u&password=q",
            &[("PGPASSWORD", "env")],
        )
        .unwrap();
        assert_eq!(config.get_password(), Some(&b"q"[..]));
    }

    #[test]
    fn an_empty_variable_counts_as_unset() {
        let (config, tls) = settings(
            "postgres://u@h/db",
            &[("PGPASSWORD", ""), ("PGSSLMODE", "")],
        )
        .unwrap();
        assert_eq!(config.get_password(), None);
        assert_eq!(tls.mode, SslMode::Prefer);
    }

    #[test]
    fn require_checks_the_chain_only_with_a_root_file() {
        let (_, tls) = settings("postgres://h/db?sslmode=require", &[]).unwrap();
        assert!(!tls.checks_chain());
        let (_, tls) = settings("postgres://h/db?sslmode=require&sslrootcert=/r.pem", &[]).unwrap();
        assert!(tls.checks_chain() && !tls.checks_host());
        let (_, tls) = settings(
            "postgres://h/db?sslmode=verify-full&sslrootcert=system",
            &[],
        )
        .unwrap();
        assert!(tls.checks_chain() && tls.checks_host());
        assert_eq!(tls.roots, RootCerts::Platform);
    }

    #[test]
    fn client_certificates_need_both_files() {
        let (_, tls) = settings("postgres://h/db?sslcert=/c.pem&sslkey=/k.pem", &[]).unwrap();
        assert_eq!(tls.client_cert, Some(("/c.pem".into(), "/k.pem".into())));
        let (_, tls) = settings(
            "postgres://h/db",
            &[("PGSSLCERT", "/c"), ("PGSSLKEY", "/k")],
        )
        .unwrap();
        assert_eq!(tls.client_cert, Some(("/c".into(), "/k".into())));
        let err = settings("postgres://h/db?sslcert=/c.pem", &[]).unwrap_err();
        assert!(err.starts_with("sslcert needs sslkey"), "{err}");
    }

    #[test]
    fn other_parameters_still_reach_the_driver() {
        let (config, _) = settings(
            "postgres://u@h:6432/db?sslmode=require&application_name=svc&options=-csearch_path%3Dapp",
            &[],
        )
        .unwrap();
        assert_eq!(config.get_application_name(), Some("svc"));
        assert_eq!(config.get_options(), Some("-csearch_path=app"));
        assert_eq!(config.get_ports(), [6432]);
        let err = settings("postgres://u@h/db?sslmode=require&bogus=1", &[]).unwrap_err();
        assert!(err.contains("bogus"), "{err}");
    }
}
