//! The TLS configuration of the connection to Vault, as the Vault CLI reads it: `…_CACERT` / `…_CAPATH`
//! replace the trusted authorities (as in the Vault CLI), otherwise the OS trust store and
//! `SSL_CERT_FILE` / `SSL_CERT_DIR` are trusted as for HiBob; `…_CLIENT_CERT` / `…_CLIENT_KEY` present a
//! client certificate; `…_SKIP_VERIFY` turns verification off, and is said loudly every time.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::net::trust::TrustSettings;
use crate::store::vault::config::{Found, TlsFiles};
use crate::store::vault::failure::VaultFailure;

/// The rustls configuration for Vault.
pub fn client_config(files: &TlsFiles) -> Result<ClientConfig, VaultFailure> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier: Arc<dyn ServerCertVerifier> = if let Some(var) = &files.skip_verify {
        let warning = format!(
            "warning: {var} is set, so the certificate of the Vault server is NOT verified: anyone between this machine and the server can read the Vault token and every credential stored there. Unset {var} and set BAO_CACERT (or VAULT_CACERT) to the server's CA instead."
        );
        eprintln!("{warning}");
        tracing::warn!("{warning}");
        Arc::new(NoVerification(Arc::clone(&provider)))
    } else if files.ca_cert.is_some() || files.ca_path.is_some() {
        let roots = roots(files)?;
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
            .build()
            .map_err(|err| VaultFailure::TlsSettings {
                var: ca_var(files),
                detail: err.to_string(),
            })?
    } else {
        TrustSettings::from_env()
            .server_verifier(Arc::clone(&provider))
            .map_err(|err| VaultFailure::TlsSettings {
                var: "SSL_CERT_FILE".to_string(),
                detail: err.to_string(),
            })?
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| VaultFailure::TlsSettings {
            var: ca_var(files),
            detail: err.to_string(),
        })?
        .dangerous()
        // The verifier is a real one unless SKIP_VERIFY was set on purpose (warned above).
        .with_custom_certificate_verifier(verifier);
    let mut config = match (&files.client_cert, &files.client_key) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert)?;
            let key = PrivateKeyDer::from_pem_file(&key.value).map_err(|err| {
                VaultFailure::TlsSettings {
                    var: key.var.clone(),
                    detail: format!("no private key could be read from it ({err})"),
                }
            })?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|err| VaultFailure::TlsSettings {
                    var: cert.var.clone(),
                    detail: err.to_string(),
                })?
        }
        (Some(only), None) | (None, Some(only)) => {
            return Err(VaultFailure::TlsSettings {
                var: only.var.clone(),
                detail: "a client certificate needs both …_CLIENT_CERT and …_CLIENT_KEY"
                    .to_string(),
            });
        }
        (None, None) => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn ca_var(files: &TlsFiles) -> String {
    files
        .ca_cert
        .as_ref()
        .or(files.ca_path.as_ref())
        .map(|found| found.var.clone())
        .unwrap_or_else(|| "BAO_CACERT".to_string())
}

/// The authorities named by `…_CACERT` and every PEM file in `…_CAPATH`.
fn roots(files: &TlsFiles) -> Result<RootCertStore, VaultFailure> {
    let mut store = RootCertStore::empty();
    let mut add = |found: &Found, certs: Vec<CertificateDer<'static>>| {
        let (added, _) = store.add_parsable_certificates(certs);
        if added == 0 {
            Err(VaultFailure::TlsSettings {
                var: found.var.clone(),
                detail: format!("{} holds no usable CA certificate", found.value),
            })
        } else {
            Ok(())
        }
    };
    if let Some(file) = &files.ca_cert {
        add(file, certificates(file)?)?;
    }
    if let Some(dir) = &files.ca_path {
        let entries = std::fs::read_dir(&dir.value).map_err(|err| VaultFailure::TlsSettings {
            var: dir.var.clone(),
            detail: format!("{} could not be read ({err})", dir.value),
        })?;
        let mut certs = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() {
                certs.extend(read_pem(&path).unwrap_or_default());
            }
        }
        add(dir, certs)?;
    }
    Ok(store)
}

fn certificates(found: &Found) -> Result<Vec<CertificateDer<'static>>, VaultFailure> {
    read_pem(Path::new(&found.value)).map_err(|detail| VaultFailure::TlsSettings {
        var: found.var.clone(),
        detail: format!(
            "{} could not be read as PEM certificates ({detail})",
            found.value
        ),
    })
}

fn read_pem(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| err.to_string())
}

/// `…_SKIP_VERIFY`: accepts any certificate, but still checks the handshake's signatures, so the
/// connection is at least to whoever holds the presented certificate's key.
#[derive(Debug)]
struct NoVerification(Arc<CryptoProvider>);

impl ServerCertVerifier for NoVerification {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn found(var: &str, path: &Path) -> Option<Found> {
        Some(Found {
            var: var.to_string(),
            value: path.display().to_string(),
        })
    }

    #[test]
    fn a_client_certificate_needs_its_key_and_the_ca_must_hold_a_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["client".to_string()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        let cert_file = dir.path().join("client.pem");
        let key_file = dir.path().join("client-key.pem");
        std::fs::write(&cert_file, cert.pem()).unwrap();
        std::fs::write(&key_file, key.serialize_pem()).unwrap();

        let both = TlsFiles {
            ca_cert: found("BAO_CACERT", &cert_file),
            client_cert: found("BAO_CLIENT_CERT", &cert_file),
            client_key: found("BAO_CLIENT_KEY", &key_file),
            ..TlsFiles::default()
        };
        let config = client_config(&both).expect("a configuration with a client certificate");
        assert!(config.client_auth_cert_resolver.has_certs());

        let only_cert = TlsFiles {
            client_cert: found("VAULT_CLIENT_CERT", &cert_file),
            ..TlsFiles::default()
        };
        let err = client_config(&only_cert).unwrap_err();
        assert!(err.to_string().contains("VAULT_CLIENT_CERT"), "{err}");

        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate\n").unwrap();
        let no_ca = TlsFiles {
            ca_cert: found("BAO_CACERT", &empty),
            ..TlsFiles::default()
        };
        let err = client_config(&no_ca).unwrap_err();
        assert!(err.to_string().contains("BAO_CACERT"), "{err}");
    }
}
