//! A failed TLS handshake said in one line, the same way for PostgreSQL and
//! MySQL: both drivers run rustls, and a user who mistyped a host name or forgot
//! a root certificate gets the same cause and fix from either.

use std::fmt;

use rustls::CertificateError;

/// `error` in words: `host` is the host connected to, `roots` where the trusted
/// roots came from (`sslrootcert FILE`, a store), `mode` the `sslmode`.
pub(crate) fn describe_rustls(
    error: &rustls::Error,
    host: &str,
    roots: &str,
    mode: impl fmt::Display,
) -> String {
    let cause = match error {
        rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            presented,
            ..
        }) => format!(
            "the server's certificate is not valid for host {host} (it names {}); connect by a name it holds, or use sslmode=verify-ca to skip the host check",
            if presented.is_empty() {
                "no host".to_string()
            } else {
                let names: Vec<&str> = presented.iter().map(|name| bare_name(name)).collect();
                names.join(", ")
            }
        ),
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName) => format!(
            "the server's certificate is not valid for host {host}; connect by a name it holds, or use sslmode=verify-ca to skip the host check"
        ),
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => format!(
            "the server's certificate has an unknown issuer: no root in {roots} signed it (sslmode={mode}); name the right root with sslrootcert=FILE"
        ),
        rustls::Error::InvalidCertificate(
            CertificateError::Expired | CertificateError::ExpiredContext { .. },
        ) => "the server's certificate has expired".to_string(),
        rustls::Error::InvalidCertificate(other) => {
            format!("the server's certificate was refused: {other}")
        }
        other => other.to_string(),
    };
    format!("TLS handshake failed: {cause}")
}

/// A name as rustls presents it, `DnsName("localhost")` or `IpAddress(127.0.0.1)`,
/// without the wrapping: `localhost`, `127.0.0.1`.
fn bare_name(name: &str) -> &str {
    if let Some(quoted) = name.split('"').nth(1) {
        return quoted;
    }
    name.split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use rustls::pki_types::ServerName;

    use super::*;

    #[test]
    fn names_in_the_certificate_are_shown_bare() {
        let error = rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
            expected: ServerName::try_from("127.0.0.2").unwrap(),
            presented: vec![
                "DnsName(\"localhost\")".to_string(),
                "IpAddress(127.0.0.1)".to_string(),
                "IpAddress(::1)".to_string(),
            ],
        });
        assert_eq!(
            describe_rustls(&error, "127.0.0.2", "sslrootcert ca.pem", "verify-full"),
            "TLS handshake failed: the server's certificate is not valid for host 127.0.0.2 (it names localhost, 127.0.0.1, ::1); connect by a name it holds, or use sslmode=verify-ca to skip the host check"
        );
    }
}
