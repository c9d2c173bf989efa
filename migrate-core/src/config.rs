//! Which database to talk to: `ENVIRONMENT` picks the URL variable, `--url` and
//! `DATABASE_URL` override it, `./.env` fills in what is not set, and URLs print
//! with their password redacted, everywhere ([`redact`]).

mod redact;

use std::fmt;
use std::path::PathBuf;

pub use redact::{redact, redact_url};

use crate::dialect::Dialect;
use crate::error::{Error, Result};

/// A parsed database URL. `Display` and `Debug` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://relative.db`, `sqlite:///absolute.db`: a file, created if missing.
    SqliteFile(PathBuf),
    /// `sqlite::memory:`
    SqliteMemory,
    /// `postgres://…` or `postgresql://…`, with libpq's parameters (TLS ones
    /// included, see [`backend::pg_options`](crate::backend::pg_options)).
    Postgres(String),
    /// `mysql://…` or `mariadb://…` (the same protocol), with the driver's
    /// parameters and libpq-style TLS words (see
    /// [`backend::mysql_options`](crate::backend::mysql_options)).
    Mysql(String),
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
    /// let my = DatabaseUrl::parse("mariadb://app:s3cret@db:3306/app").unwrap();
    /// assert_eq!(my.to_string(), "mariadb://app:***@db:3306/app");
    /// assert!(DatabaseUrl::parse("mssql://x").unwrap_err().to_string().contains("unsupported scheme"));
    /// ```
    pub fn parse(url: &str) -> Result<Self> {
        // Redacted first: every message below is built from `shown` or from fixed
        // text, never from the input, so no malformed URL can echo its password.
        let shown = redact_url(url.trim());
        let bad = |reason: &str| Error::BadUrl {
            url: shown.clone(),
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
            // The driver's own parser, plus libpq's TLS parameters that it does not
            // know, so what is accepted here connects the same way.
            #[cfg(feature = "postgres")]
            crate::backend::pg_options::parse_url(url).map_err(|e| bad(&redact(&e)))?;
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        if url.starts_with("mysql://") || url.starts_with("mariadb://") {
            #[cfg(feature = "mysql")]
            crate::backend::mysql_options::parse_url(url, &|_| None)
                .map_err(|e| bad(&redact(&e)))?;
            return Ok(DatabaseUrl::Mysql(url.to_string()));
        }
        Err(bad(&malformed_reason(url)))
    }

    /// The dialect this URL speaks.
    pub fn dialect(&self) -> Dialect {
        match self {
            DatabaseUrl::SqliteFile(_) | DatabaseUrl::SqliteMemory => Dialect::Sqlite,
            DatabaseUrl::Postgres(_) => Dialect::Postgres,
            DatabaseUrl::Mysql(_) => Dialect::Mysql,
        }
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::SqliteFile(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::SqliteMemory => "sqlite::memory:".to_string(),
            DatabaseUrl::Postgres(url) | DatabaseUrl::Mysql(url) => redact_url(url),
        }
    }
}

/// The same as [`DatabaseUrl::parse`], so a URL parses wherever `str::parse`
/// does (clap arguments, configuration structs).
///
/// ```
/// use migrate_core::config::DatabaseUrl;
/// let url: DatabaseUrl = "sqlite::memory:".parse()?;
/// assert_eq!(url, DatabaseUrl::SqliteMemory);
/// let err = "mssql://app:s3cret@db/app".parse::<DatabaseUrl>().unwrap_err();
/// assert_eq!(err.to_string(), DatabaseUrl::parse("mssql://app:s3cret@db/app").unwrap_err().to_string());
/// assert!(!err.to_string().contains("s3cret"));
/// # Ok::<(), migrate_core::Error>(())
/// ```
impl std::str::FromStr for DatabaseUrl {
    type Err = Error;

    fn from_str(url: &str) -> Result<Self> {
        DatabaseUrl::parse(url)
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

/// Why `url` is not one of the accepted forms, in words that never quote it (it
/// may hold a password); only a well-formed scheme name is repeated.
fn malformed_reason(url: &str) -> String {
    const FORMS: &str = "use sqlite://path.db, sqlite::memory:, postgres://user:password@host:5432/db or mysql://user:password@host:3306/db";
    let scheme_len = url
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        .count();
    let scheme = &url[..scheme_len];
    let rest = &url[scheme_len..];
    let known = ["postgres", "postgresql", "sqlite", "mysql", "mariadb"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(scheme));
    let is_scheme = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic());
    if known && !rest.starts_with("://") {
        return format!("`{scheme}` must be followed by `://`; {FORMS}");
    }
    if is_scheme && rest.starts_with("://") {
        return format!("unsupported scheme `{scheme}`; {FORMS}");
    }
    let keyword = |word: &str| {
        word.split_once('=').is_some_and(|(key, _)| {
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
        })
    };
    if url.split_whitespace().next().is_some_and(keyword) {
        return "a keyword string (host=... user=...) is not accepted; write it as a URL, postgres://user:password@host:5432/db".to_string();
    }
    if url.contains('@') {
        return format!("no scheme before the user and host; {FORMS}");
    }
    if is_scheme && rest.starts_with(':') {
        return format!("unsupported scheme `{scheme}`; {FORMS}");
    }
    format!("not a URL; {FORMS}")
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

/// Loads `./.env` (the working directory only, never a parent's), never
/// overriding a variable that is already set. A missing file is fine; a malformed
/// one is an error naming it.
#[cfg(feature = "dotenv")]
pub fn load_dotenv() -> Result<()> {
    load_dotenv_from(std::path::Path::new(".env"))
}

/// Loads a specific `.env` file, never overriding a variable that is already set. A
/// missing file is fine; a malformed one is an error naming it, with any password
/// on the offending line redacted.
#[cfg(feature = "dotenv")]
pub fn load_dotenv_from(path: &std::path::Path) -> Result<()> {
    match dotenvy::from_path(path) {
        Ok(()) => Ok(()),
        Err(e) if e.not_found() => Ok(()),
        Err(e) => Err(Error::BadEnvFile {
            path: path.display().to_string(),
            reason: match e {
                // The whole line as one value: its password may hold spaces.
                dotenvy::Error::LineParse(line, index) => {
                    format!(
                        "cannot parse `{}` (at character {index})",
                        redact_url(line.trim_end())
                    )
                }
                other => redact(&other.to_string()),
            },
        }),
    }
}

/// The warning for an `ENVIRONMENT` value that names no environment, when that
/// value is what selects the URL (no `explicit` URL and no `DATABASE_URL`): the
/// fallback to `DATABASE_URL_DEV` is kept, but a typo such as `prod` must not pass
/// unnoticed.
///
/// ```
/// use migrate_core::config::unknown_environment_warning;
/// let env = |k: &str| (k == "ENVIRONMENT").then(|| "prod".to_string());
/// assert_eq!(
///     unknown_environment_warning(None, &env).unwrap(),
///     "ENVIRONMENT=prod is not one of local, development, staging, production; \
///      using DATABASE_URL_DEV, as for development"
/// );
/// assert_eq!(unknown_environment_warning(Some("sqlite::memory:"), &env), None);
/// ```
pub fn unknown_environment_warning(
    explicit: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    if explicit.is_some() || env("DATABASE_URL").is_some_and(|u| !u.is_empty()) {
        return None;
    }
    let environment = env("ENVIRONMENT").filter(|e| !e.is_empty())?;
    if ENVIRONMENTS
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(&environment))
    {
        return None;
    }
    let names: Vec<&str> = ENVIRONMENTS.iter().map(|(name, _)| *name).collect();
    Some(format!(
        "ENVIRONMENT={environment} is not one of {}; using DATABASE_URL_DEV, as for development",
        names.join(", ")
    ))
}

/// `./.env`, then [`resolve_url`] over the process environment. An unknown
/// `ENVIRONMENT` value is reported on stderr (see [`unknown_environment_warning`]).
#[cfg(feature = "dotenv")]
pub fn url_from_env(explicit: Option<&str>) -> Result<DatabaseUrl> {
    url_from_env_warning_to(explicit, &mut |warning| eprintln!("warning: {warning}"))
}

/// [`url_from_env`], handing the warning about an unknown `ENVIRONMENT` value to
/// `warn` instead of printing it.
#[cfg(feature = "dotenv")]
pub fn url_from_env_warning_to(
    explicit: Option<&str>,
    warn: &mut dyn FnMut(&str),
) -> Result<DatabaseUrl> {
    load_dotenv()?;
    let env = |key: &str| std::env::var(key).ok();
    if let Some(warning) = unknown_environment_warning(explicit, &env) {
        warn(&warning);
    }
    resolve_url(explicit, &env)
}
