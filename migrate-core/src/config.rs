//! Which database to talk to (DESIGN.md §4): `ENVIRONMENT` picks the URL variable,
//! `--url` and `DATABASE_URL` override it, `.env` fills in what is not set, and
//! URLs print with their password redacted, everywhere.

use std::fmt;
use std::path::PathBuf;

use crate::dialect::Dialect;
use crate::error::{Error, Result};

/// A parsed database URL. `Display` and `Debug` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://relative.db`, `sqlite:///absolute.db`: a file, created if missing.
    SqliteFile(PathBuf),
    /// `sqlite::memory:`
    SqliteMemory,
    /// `postgres://…` or `postgresql://…`, handed to the driver as written.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL.
    ///
    /// ```
    /// use migrate_core::config::DatabaseUrl;
    /// assert_eq!(DatabaseUrl::parse("sqlite://data/app.db").unwrap(), DatabaseUrl::SqliteFile("data/app.db".into()));
    /// assert_eq!(DatabaseUrl::parse("sqlite:///var/app.db").unwrap(), DatabaseUrl::SqliteFile("/var/app.db".into()));
    /// let pg = DatabaseUrl::parse("postgres://app:s3cret@db:5432/app").unwrap();
    /// assert_eq!(pg.to_string(), "postgres://app:***@db:5432/app");
    /// assert!(DatabaseUrl::parse("mysql://x").unwrap_err().to_string().contains("unsupported scheme"));
    /// ```
    pub fn parse(url: &str) -> Result<Self> {
        let bad = |reason: &str| Error::BadUrl {
            url: redact(url),
            reason: reason.to_string(),
        };
        let url = url.trim();
        if url == "sqlite::memory:" || url == "sqlite://:memory:" {
            return Ok(DatabaseUrl::SqliteMemory);
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            // `sqlite:///abs` keeps its leading slash; `sqlite://rel` is relative.
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(bad("no file path after sqlite://; write sqlite://path/to/app.db or sqlite::memory:"));
            }
            return Ok(DatabaseUrl::SqliteFile(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // The driver's own parser, so what is accepted here connects the same way.
            #[cfg(feature = "postgres")]
            url.parse::<postgres::Config>()
                .map_err(|e| bad(&redact(&e.to_string())))?;
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        match url.split_once(':') {
            Some((scheme, _)) if !scheme.is_empty() && !scheme.contains('/') => Err(bad(&format!(
                "unsupported scheme `{scheme}`; use sqlite://, sqlite::memory:, postgres:// or postgresql://"
            ))),
            _ => Err(bad("not a URL; use sqlite://path.db, sqlite::memory: or postgres://user@host/db")),
        }
    }

    /// The dialect this URL speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::SqliteFile(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::SqliteMemory => "sqlite::memory:".to_string(),
            DatabaseUrl::Postgres(url) => redact(url),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

/// A URL with its password replaced by `***`: the userinfo password and any
/// `password=` query parameter.
///
/// ```
/// use migrate_core::config::redact;
/// assert_eq!(redact("postgres://u:p%40ss@h/db"), "postgres://u:***@h/db");
/// assert_eq!(redact("postgres://h/db?user=u&password=x&sslmode=disable"), "postgres://h/db?user=u&password=***&sslmode=disable");
/// assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
/// ```
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..]
            .find(['/', '?'])
            .map_or(out.len(), |i| rest_start + i);
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                out.replace_range(rest_start + colon + 1..rest_start + at, "***");
            }
        }
    }
    if let Some(query_start) = out.find('?') {
        let (base, query) = out.split_at(query_start + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out = format!("{base}{}", query.join("&"));
    }
    out
}

/// The deployment environments and the variable each reads.
const ENVIRONMENTS: [(&str, &str); 4] = [
    ("local", "DATABASE_URL_LOCAL"),
    ("development", "DATABASE_URL_DEV"),
    ("staging", "DATABASE_URL_STAGING"),
    ("production", "DATABASE_URL_PROD"),
];

/// Chooses the URL: `explicit` (`--url`), else `DATABASE_URL`, else the variable that
/// `ENVIRONMENT` selects (`development` by default; an unknown value falls back to
/// `DATABASE_URL_DEV`). `env` looks variables up, so tests need not touch the
/// process environment.
///
/// ```
/// use migrate_core::config::resolve_url;
/// let env = |k: &str| (k == "ENVIRONMENT").then(|| "staging".to_string());
/// let err = resolve_url(None, &env).unwrap_err();
/// assert_eq!(err.to_string(), "DATABASE_URL_STAGING is not set for ENVIRONMENT=staging");
/// ```
pub fn resolve_url(
    explicit: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<DatabaseUrl> {
    if let Some(url) = explicit {
        return DatabaseUrl::parse(url);
    }
    if let Some(url) = env("DATABASE_URL").filter(|u| !u.is_empty()) {
        return DatabaseUrl::parse(&url);
    }
    let environment = env("ENVIRONMENT")
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| "development".to_string());
    let variable = ENVIRONMENTS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&environment))
        .map_or("DATABASE_URL_DEV", |(_, var)| var);
    match env(variable).filter(|u| !u.is_empty()) {
        Some(url) => DatabaseUrl::parse(&url),
        None => Err(Error::MissingUrlVariable {
            variable: variable.to_string(),
            environment,
        }),
    }
}

/// Loads `.env` from the working directory, never overriding a variable that is
/// already set. A missing file is fine; a malformed one is an error naming it.
#[cfg(feature = "cli")]
pub fn load_dotenv() -> Result<()> {
    match dotenvy::dotenv() {
        Ok(_) => Ok(()),
        Err(e) if e.not_found() => Ok(()),
        Err(e) => Err(Error::BadEnvFile {
            path: ".env".to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Loads a specific `.env` file, never overriding a variable that is already set. A
/// missing file is fine; a malformed one is an error naming it.
#[cfg(feature = "cli")]
pub fn load_dotenv_from(path: &std::path::Path) -> Result<()> {
    match dotenvy::from_path(path) {
        Ok(()) => Ok(()),
        Err(e) if e.not_found() => Ok(()),
        Err(e) => Err(Error::BadEnvFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        }),
    }
}

/// `.env`, then [`resolve_url`] over the process environment.
#[cfg(feature = "cli")]
pub fn url_from_env(explicit: Option<&str>) -> Result<DatabaseUrl> {
    load_dotenv()?;
    resolve_url(explicit, &|key| std::env::var(key).ok())
}
