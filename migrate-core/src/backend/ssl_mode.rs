//! The TLS mode, in libpq's words (`sslmode`), shared by the PostgreSQL and
//! MySQL backends: one set of meanings, each backend mapping it to its driver
//! (see [`pg_options`](super::pg_options) and
//! [`mysql_options`](super::mysql_options)).

use std::fmt;

/// Whether to use TLS, and what to check about the server: libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never use TLS.
    Disable,
    /// Try without TLS first; use TLS when the server refuses that (MariaDB
    /// answers `require_secure_transport` with "access denied", so there any
    /// refusal counts).
    Allow,
    /// Use TLS whenever the server offers it, without checking its certificate
    /// (the default, as for libpq and the `mysql` client).
    Prefer,
    /// Always use TLS; check the certificate only when `sslrootcert` names a file
    /// (then as `verify-ca`), as libpq does.
    Require,
    /// Always use TLS, and check that a trusted root signed the certificate.
    VerifyCa,
    /// `verify-ca`, and check that the certificate names the host connected to.
    VerifyFull,
}

impl SslMode {
    /// Every mode, as written in a URL.
    pub const NAMES: [&'static str; 6] = [
        "disable",
        "allow",
        "prefer",
        "require",
        "verify-ca",
        "verify-full",
    ];

    const ALL: [SslMode; 6] = [
        SslMode::Disable,
        SslMode::Allow,
        SslMode::Prefer,
        SslMode::Require,
        SslMode::VerifyCa,
        SslMode::VerifyFull,
    ];

    /// Parses a mode as libpq spells it (lowercase).
    ///
    /// ```
    /// use migrate_core::backend::ssl_mode::SslMode;
    /// assert_eq!(SslMode::parse("verify-full"), Some(SslMode::VerifyFull));
    /// assert_eq!(SslMode::parse("verify_full"), None);
    /// ```
    pub fn parse(text: &str) -> Option<SslMode> {
        Self::NAMES
            .iter()
            .position(|name| *name == text)
            .map(|i| Self::ALL[i])
    }

    /// Parses libpq's words and MySQL's `ssl-mode` words (`DISABLED`,
    /// `PREFERRED`, `REQUIRED`, `VERIFY_CA`, `VERIFY_IDENTITY`), in any case.
    ///
    /// ```
    /// use migrate_core::backend::ssl_mode::SslMode;
    /// assert_eq!(SslMode::parse_mysql("verify-full"), Some(SslMode::VerifyFull));
    /// assert_eq!(SslMode::parse_mysql("VERIFY_IDENTITY"), Some(SslMode::VerifyFull));
    /// assert_eq!(SslMode::parse_mysql("required"), Some(SslMode::Require));
    /// assert_eq!(SslMode::parse_mysql("sometimes"), None);
    /// ```
    pub fn parse_mysql(text: &str) -> Option<SslMode> {
        let word = text.to_ascii_lowercase().replace('_', "-");
        let libpq = match word.as_str() {
            "disabled" => "disable",
            "preferred" => "prefer",
            "required" => "require",
            "verify-identity" => "verify-full",
            other => other,
        };
        Self::parse(libpq)
    }

    /// The name, as written in a URL (`NAMES` is in the variants' order).
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// Whether the server's certificate chain is checked.
    pub fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

impl fmt::Display for SslMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
