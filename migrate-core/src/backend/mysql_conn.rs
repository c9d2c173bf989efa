//! Opening a MySQL connection and describing the driver's errors: shared by
//! the backend ([`mysql`](super::mysql)) and the lock table's lease keeper
//! ([`mysql_lock`](super::mysql_lock)), which opens a connection of its own.

use mysql::{Conn, OptsBuilder};

use super::mysql_options::{MysqlSettings, SslMode};
use super::ConnectOptions;
use crate::config::redact;
use crate::error::Error;

/// Opens a connection as `settings` say, giving up after `options.timeout` when
/// no server answers; the error is the one line to show.
pub(super) fn open(
    settings: &MysqlSettings,
    options: &ConnectOptions,
) -> std::result::Result<Conn, String> {
    let builder =
        OptsBuilder::from_opts(settings.opts.clone()).tcp_connect_timeout(Some(options.timeout));
    let tls = &settings.tls;
    let attempt = |use_tls: bool| Conn::new(builder.clone().ssl_opts(tls.ssl_opts(use_tls)));
    let result = match tls.mode {
        SslMode::Disable => attempt(false),
        SslMode::Allow => match attempt(false) {
            Err(mysql::Error::MySqlError(e)) if requires_tls(&e) => attempt(true),
            other => other,
        },
        SslMode::Prefer => match attempt(true) {
            Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported)) => attempt(false),
            other => other,
        },
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => attempt(true),
    };
    result.map_err(|e| describe_connect(&e, tls.mode))
}

/// The server turned a plain connection down because it wants TLS (MySQL's
/// `ER_SECURE_TRANSPORT_REQUIRED`, MariaDB's too).
fn requires_tls(error: &mysql::MySqlError) -> bool {
    matches!(error.code, 3159 | 4151) || error.message.contains("secure transport")
}

/// A refused connection in one line, with the fix where there is an obvious one.
fn describe_connect(error: &mysql::Error, mode: SslMode) -> String {
    let text = describe(error);
    match error {
        mysql::Error::MySqlError(e) if e.code == 1045 => {
            format!("{text}: check the user and password (in the URL or in MYSQL_PWD)")
        }
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => {
            format!("the server does not offer TLS, and sslmode={mode} requires it; enable TLS on the server, or use sslmode=prefer or disable")
        }
        _ => text,
    }
}

/// The server's error as the `mysql` client prints it, or the driver's, redacted.
pub(super) fn describe(error: &mysql::Error) -> String {
    match error {
        mysql::Error::MySqlError(e) => {
            format!("ERROR {} ({}): {}", e.code, e.state, e.message)
        }
        other => redact(&other.to_string()),
    }
}

/// [`Error::Mysql`] for what migrate was doing (`context`) when `error` happened.
pub(super) fn mysql_error(context: &str, error: &mysql::Error) -> Error {
    match error {
        mysql::Error::MySqlError(e) => Error::Mysql {
            context: context.to_string(),
            code: Some(e.code),
            state: Some(e.state.clone()),
            message: e.message.clone(),
        },
        other => Error::Mysql {
            context: context.to_string(),
            code: None,
            state: None,
            message: redact(&other.to_string()),
        },
    }
}
