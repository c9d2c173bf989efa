//! TLS for PostgreSQL on rustls with the ring provider: the client configuration
//! an `sslmode` asks for, and a handshake failure said in one line.
//!
//! rustls rather than OpenSSL or native-tls: no system library to install or link,
//! the same behaviour on every platform, and ring builds with a C compiler alone.
//! What libpq checks per mode:
//!
//! - `prefer`, `allow`, `require`: the connection is encrypted, the certificate is
//!   not checked (the handshake's signatures still are).
//! - `verify-ca` (and `require` with an `sslrootcert` file): a trusted root signed
//!   the certificate; the names in it are not compared with the host.
//! - `verify-full`: that, and the certificate names the host connected to.

use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use super::pg_options::{RootCerts, TlsSettings};

/// The rustls configuration for `settings`. Reads the certificate files it names;
/// an error names the file and says what is wrong with it.
pub fn client_config(settings: &TlsSettings) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = if settings.checks_chain() {
        let roots = Arc::new(root_store(&settings.roots)?);
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
            .build()
            .map_err(|e| format!("cannot use the root certificates: {e}"))?;
        Arc::new(ChainCheck {
            webpki,
            check_host: settings.checks_host(),
        })
    } else {
        Arc::new(NoCertificateCheck(provider.clone()))
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match &settings.client_cert {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => {
            let chain = certificates(cert, "sslcert")?;
            let bytes = read(key, "sslkey")?;
            let key_der = PrivateKeyDer::from_pem_slice(&bytes)
                .map_err(|e| format!("sslkey file {} holds no private key: {e}", key.display()))?;
            builder.with_client_auth_cert(chain, key_der).map_err(|e| {
                format!(
                    "sslcert {} and sslkey {}: {e}",
                    cert.display(),
                    key.display()
                )
            })
        }
    }
}

fn read(path: &Path, parameter: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path)
        .map_err(|e| format!("{parameter} file {} cannot be read: {e}", path.display()))
}

fn certificates(path: &Path, parameter: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(path, parameter)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{parameter} file {} is not PEM: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{parameter} file {} holds no certificate",
            path.display()
        ));
    }
    Ok(certs)
}

fn root_store(roots: &RootCerts) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        RootCerts::File(path) => {
            let (_, ignored) = store.add_parsable_certificates(certificates(path, "sslrootcert")?);
            if store.is_empty() {
                return Err(format!(
                    "sslrootcert file {} holds no usable certificate ({ignored} rejected)",
                    path.display()
                ));
            }
        }
        RootCerts::Platform => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err("the platform's certificate store is empty or unreadable; name the server's root with sslrootcert=FILE".to_string());
            }
        }
    }
    Ok(store)
}

/// `verify-ca` and `verify-full`: the webpki chain check, with the host check
/// waived for `verify-ca`. webpki checks the chain before the name, so a name
/// error means the chain was good.
#[derive(Debug)]
struct ChainCheck {
    webpki: Arc<WebPkiServerVerifier>,
    check_host: bool,
}

impl ServerCertVerifier for ChainCheck {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !self.check_host => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// `prefer`, `allow` and `require` without a root file: encryption without
/// authentication of the server, as libpq does. The handshake's signatures are
/// still verified against the certificate the server sent.
#[derive(Debug)]
struct NoCertificateCheck(Arc<CryptoProvider>);

impl ServerCertVerifier for NoCertificateCheck {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// A TLS failure in words, when `error`'s chain holds one; `None` otherwise.
/// `host` is the host connected to, `settings` where the roots came from.
pub fn describe_failure(
    error: &(dyn std::error::Error + 'static),
    host: &str,
    settings: &TlsSettings,
) -> Option<String> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(describe_rustls(tls, host, settings));
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if let Some(tls) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Some(describe_rustls(tls, host, settings));
            }
        }
        if e.to_string() == "server does not support TLS" {
            return Some(format!(
                "the server does not offer TLS, and sslmode={} demands it; enable ssl on the server, or use sslmode=prefer",
                settings.mode
            ));
        }
        cause = e.source();
    }
    None
}

fn describe_rustls(error: &rustls::Error, host: &str, settings: &TlsSettings) -> String {
    let roots = match &settings.roots {
        RootCerts::File(path) => format!("sslrootcert {}", path.display()),
        RootCerts::Platform => "the platform's certificate store".to_string(),
    };
    super::tls_words::describe_rustls(error, host, &roots, settings.mode)
}
