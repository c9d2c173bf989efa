//! Opening a MySQL connection and describing the driver's errors: shared by
//! the backend ([`mysql`](super::mysql)) and the lock table's lease keeper
//! ([`mysql_lock`](super::mysql_lock)), which opens a connection of its own.

use mysql::{Conn, OptsBuilder};

use super::mysql_options::{MysqlSettings, SslMode, TlsSettings};
use super::{tls_words, ConnectOptions};
use crate::config::redact;
use crate::error::Error;

/// Opens a connection as `settings` say, giving up after `options.timeout` when
/// no server answers; the error is the one line to show.
pub(super) fn open(
    settings: &MysqlSettings,
    options: &ConnectOptions,
) -> std::result::Result<Conn, String> {
    let tls = &settings.tls;
    if tls.mode != SslMode::Disable {
        check_files(tls)?;
    }
    let builder =
        OptsBuilder::from_opts(settings.opts.clone()).tcp_connect_timeout(Some(options.timeout));
    let attempt = |use_tls: bool| Conn::new(builder.clone().ssl_opts(tls.ssl_opts(use_tls)));
    let result = match tls.mode {
        SslMode::Disable => attempt(false),
        SslMode::Allow => match attempt(false) {
            Err(mysql::Error::MySqlError(e)) if may_require_tls(&e) => attempt(true),
            other => other,
        },
        SslMode::Prefer => match attempt(true) {
            Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported)) => attempt(false),
            other => other,
        },
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => attempt(true),
    };
    let host = settings.opts.get_ip_or_hostname().into_owned();
    result.map_err(|e| describe_connect(&e, &host, tls))
}

/// The certificate files the URL names can be read: the driver's own error
/// would not say which file it could not open.
fn check_files(tls: &TlsSettings) -> std::result::Result<(), String> {
    let files = [
        ("sslrootcert", &tls.root_cert),
        ("sslcert", &tls.client_cert),
        ("sslkey", &tls.client_key),
    ];
    for (parameter, path) in files {
        if let Some(path) = path {
            std::fs::File::open(path)
                .map_err(|e| format!("{parameter} file {} cannot be read: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The server turned a plain connection down, perhaps because it wants TLS:
/// MySQL says so (`ER_SECURE_TRANSPORT_REQUIRED`), MariaDB 10.11 answers
/// `require_secure_transport` with a plain "access denied".
fn may_require_tls(error: &mysql::MySqlError) -> bool {
    access_denied(error)
        || secure_transport_required(error)
        || error.message.contains("secure transport")
}

/// MySQL's own refusals of a plain connection, by code (3159 is
/// `ER_SECURE_TRANSPORT_REQUIRED`).
fn secure_transport_required(error: &mysql::MySqlError) -> bool {
    matches!(error.code, 3159 | 4151)
}

/// "Access denied": `ER_ACCESS_DENIED_ERROR`, or
/// `ER_ACCESS_DENIED_NO_PASSWORD_ERROR`, MariaDB's answer for a user it does not
/// know or that may not connect from here.
fn access_denied(error: &mysql::MySqlError) -> bool {
    matches!(error.code, 1045 | 1698)
}

/// A refused connection in one line, with the fix where there is an obvious one.
fn describe_connect(error: &mysql::Error, host: &str, tls: &TlsSettings) -> String {
    if let Some(text) = describe_tls(error, host, tls) {
        return text;
    }
    let text = describe(error);
    let mode = tls.mode;
    match error {
        mysql::Error::MySqlError(e) if access_denied(e) && mode == SslMode::Disable => {
            format!("{text}: check the user and password (in the URL or in MYSQL_PWD), and whether the server accepts only TLS connections (require_secure_transport, which MariaDB reports as access denied): then use sslmode=require or stronger, not sslmode=disable")
        }
        mysql::Error::MySqlError(e) if access_denied(e) => {
            format!("{text}: check the user and password (in the URL or in MYSQL_PWD)")
        }
        mysql::Error::MySqlError(e) if secure_transport_required(e) => {
            format!("{text}: the server accepts only TLS connections; use sslmode=require or stronger, not sslmode={mode}")
        }
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => {
            format!("the server does not offer TLS, and sslmode={mode} requires it; enable TLS on the server, or use sslmode=prefer or disable")
        }
        _ => text,
    }
}

/// A failed TLS handshake in words, when `error` is one.
fn describe_tls(error: &mysql::Error, host: &str, tls: &TlsSettings) -> Option<String> {
    use std::error::Error as _;
    // The driver's error names its cause through the old `cause()` only, so
    // each variant that can carry a rustls error is opened by hand: a failed
    // handshake surfaces as an I/O error of the stream (wrapped in the packet
    // codec's), a bad configuration as the driver's TLS error.
    let io = match error {
        mysql::Error::IoError(io) => Some(io),
        mysql::Error::CodecError(codec) => codec.source().and_then(|e| e.downcast_ref()),
        _ => None,
    };
    let rustls = match error {
        mysql::Error::TlsError(e) => e.source().and_then(|e| e.downcast_ref::<rustls::Error>()),
        _ => io
            .and_then(std::io::Error::get_ref)
            .and_then(|e| e.downcast_ref::<rustls::Error>()),
    }?;
    let roots = match &tls.root_cert {
        Some(path) => format!("sslrootcert {}", path.display()),
        None => "the Mozilla roots the driver ships".to_string(),
    };
    Some(tls_words::describe_rustls(rustls, host, &roots, tls.mode))
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
