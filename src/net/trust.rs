//! Which certificate authorities a check trusts: the operating system's, plus `SSL_CERT_FILE` and
//! `SSL_CERT_DIR` when set.
//!
//! Companies that inspect TLS re-sign every site with their own root certificate, which IT installs in
//! the operating system's trust store; a client that trusts only a bundled list of roots fails there.
//! `rustls-platform-verifier` asks the OS: the Security framework on macOS, CryptoAPI on Windows, and on
//! Linux the system's CA bundle found by `rustls-native-certs` (which, like OpenSSL, looks where
//! `SSL_CERT_FILE` / `SSL_CERT_DIR` point when they are set, instead of the distribution's default place).
//! On macOS and Windows, where the OS verifier does not read those variables, the certificates they name
//! are given to the verifier as extra roots. So on Linux, as with curl and OpenSSL, the variables say
//! where the trusted CAs are; on macOS and Windows they add to the OS's.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ClientConfig;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

pub const CERT_FILE_VAR: &str = "SSL_CERT_FILE";
pub const CERT_DIR_VAR: &str = "SSL_CERT_DIR";

/// Whether the platform verifier reads `SSL_CERT_FILE` / `SSL_CERT_DIR` itself: on Linux and the other
/// Unixes it loads the trusted CAs with `rustls-native-certs`, which looks there first
/// (rustls-platform-verifier's `verification/others.rs`; rustls-native-certs' `load_native_certs`).
const VERIFIER_READS_THE_VARIABLES: bool = cfg!(all(
    unix,
    not(target_vendor = "apple"),
    not(target_os = "android")
));

/// Extra trust anchors named by the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustSettings {
    /// A PEM file of CA certificates (`SSL_CERT_FILE`).
    pub cert_file: Option<PathBuf>,
    /// Directories of PEM CA certificates (`SSL_CERT_DIR`, separated like `PATH`, as OpenSSL reads it).
    pub cert_dirs: Vec<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error(
        "{CERT_FILE_VAR} names {path}, which could not be read as PEM certificates ({reason}); \
         point it at a PEM file of CA certificates, or unset it"
    )]
    CertFile { path: PathBuf, reason: String },
    #[error(
        "{CERT_FILE_VAR} names {path}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----); \
         point it at a PEM file of CA certificates, or unset it"
    )]
    EmptyCertFile { path: PathBuf },
    #[error(
        "{CERT_DIR_VAR} names {path}, which could not be read ({reason}); \
         point it at a directory of PEM CA certificates, or unset it"
    )]
    CertDir { path: PathBuf, reason: String },
    #[error(
        "a certificate named by {CERT_FILE_VAR} or {CERT_DIR_VAR} cannot be used as a trust anchor ({0}); \
         check that the file holds CA certificates in PEM form"
    )]
    BadRoot(String),
    #[error(
        "the operating system's certificate store could not be used ({0}); install the system's CA \
         certificates (the ca-certificates package on Linux) or set {CERT_FILE_VAR}"
    )]
    Platform(String),
}

impl TrustSettings {
    /// Read the settings through `lookup`. An empty variable counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| lookup(name).filter(|value| !value.is_empty());
        TrustSettings {
            cert_file: set(CERT_FILE_VAR).map(PathBuf::from),
            cert_dirs: set(CERT_DIR_VAR)
                .map(|dirs| {
                    std::env::split_paths(&dirs)
                        .filter(|d| !d.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Fail with a clear message if `SSL_CERT_FILE` cannot be read or holds no certificate, or an
    /// `SSL_CERT_DIR` directory cannot be read: the user asked for them, and ignoring them would fail
    /// later as an untrusted certificate with no hint why (or, on Linux, as an empty trust store).
    pub fn check_readable(&self) -> Result<(), TrustError> {
        self.file_roots()?;
        for dir in &self.cert_dirs {
            fs::read_dir(dir).map_err(|err| TrustError::CertDir {
                path: dir.clone(),
                reason: err.to_string(),
            })?;
        }
        Ok(())
    }

    fn file_roots(&self) -> Result<Vec<CertificateDer<'static>>, TrustError> {
        let Some(path) = &self.cert_file else {
            return Ok(Vec::new());
        };
        let certs = read_pem_certificates(path).map_err(|reason| TrustError::CertFile {
            path: path.clone(),
            reason,
        })?;
        if certs.is_empty() {
            return Err(TrustError::EmptyCertFile { path: path.clone() });
        }
        Ok(certs)
    }

    /// The certificates in `SSL_CERT_FILE` and `SSL_CERT_DIR` (checked as [`Self::check_readable`]
    /// does). In a directory, files that hold no certificate (an index, a CRL) are skipped, as OpenSSL
    /// does.
    pub fn extra_roots(&self) -> Result<Vec<CertificateDer<'static>>, TrustError> {
        let mut roots = self.file_roots()?;
        for dir in &self.cert_dirs {
            let entries = fs::read_dir(dir).map_err(|err| TrustError::CertDir {
                path: dir.clone(),
                reason: err.to_string(),
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect();
            // The same order on every run, so a problem shows the same way every time.
            files.sort();
            for file in files {
                roots.extend(read_pem_certificates(&file).unwrap_or_default());
            }
        }
        Ok(roots)
    }

    /// The TLS configuration of every check: TLS 1.2 and 1.3 with ring (as before), the OS verifier with
    /// the extra roots, and ALPN offering HTTP/2 then HTTP/1.1 (what reqwest offers with its own
    /// configuration; with a preconfigured one it offers what the configuration says).
    pub fn client_config(&self) -> Result<ClientConfig, TrustError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = self.server_verifier(Arc::clone(&provider))?;
        let mut config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|err| TrustError::Platform(err.to_string()))?
            .dangerous()
            // Not dangerous here: the custom verifier is the OS's, not one that skips verification.
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The OS verifier with the extra roots, for a configuration built elsewhere (one that also
    /// presents a client certificate, say).
    pub fn server_verifier(
        &self,
        provider: Arc<CryptoProvider>,
    ) -> Result<Arc<dyn ServerCertVerifier>, TrustError> {
        let extra_roots = if VERIFIER_READS_THE_VARIABLES {
            // Read here only to fail with a clear message; the verifier loads them itself.
            self.check_readable()?;
            Vec::new()
        } else {
            self.extra_roots()?
        };
        // Without extra roots, the OS verifier as it is. With them, on Windows the verifier builds a
        // certificate chain engine of its own (CertCreateCertificateChainEngine), which has one more way to
        // fail (wine 8, where CI runs the Windows tests, refuses the engine's configuration structure).
        let verifier = if extra_roots.is_empty() {
            rustls_platform_verifier::Verifier::new(provider)
        } else {
            rustls_platform_verifier::Verifier::new_with_extra_roots(extra_roots, provider)
        }
        .map_err(|err| match err {
            rustls::Error::InvalidCertificate(_) => TrustError::BadRoot(err.to_string()),
            other => TrustError::Platform(other.to_string()),
        })?;
        Ok(Arc::new(verifier))
    }
}

fn read_pem_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = fs::read(path).map_err(|err| err.to_string())?;
    CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use crate::net::env::fixed;

    use super::*;

    fn test_ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    fn settings(vars: &[(&str, &str)]) -> TrustSettings {
        TrustSettings::from_lookup(fixed(vars))
    }

    #[test]
    fn reads_the_file_and_every_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("company.pem");
        fs::write(&file, test_ca_pem() + &test_ca_pem()).unwrap();
        let certs = dir.path().join("certs");
        fs::create_dir(&certs).unwrap();
        fs::write(certs.join("a.pem"), test_ca_pem()).unwrap();
        fs::write(certs.join("index.txt"), "not a certificate").unwrap();
        let more = dir.path().join("more");
        fs::create_dir(&more).unwrap();
        fs::write(more.join("b.crt"), test_ca_pem()).unwrap();
        let dirs = std::env::join_paths([&certs, &more]).unwrap();
        let trust = settings(&[
            (CERT_FILE_VAR, file.to_str().unwrap()),
            (CERT_DIR_VAR, dirs.to_str().unwrap()),
        ]);
        assert_eq!(trust.extra_roots().unwrap().len(), 4);
        trust
            .client_config()
            .expect("a configuration with the extra roots");
    }

    #[test]
    fn unset_or_empty_means_the_os_store_only() {
        assert_eq!(settings(&[]), TrustSettings::default());
        assert_eq!(
            settings(&[(CERT_FILE_VAR, ""), (CERT_DIR_VAR, "")]),
            TrustSettings::default()
        );
        assert!(settings(&[]).extra_roots().unwrap().is_empty());
    }

    #[test]
    fn a_missing_or_empty_file_says_which_variable_and_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let err = settings(&[(CERT_FILE_VAR, missing.to_str().unwrap())])
            .extra_roots()
            .unwrap_err();
        assert!(matches!(err, TrustError::CertFile { .. }), "{err}");
        assert!(err.to_string().contains("SSL_CERT_FILE names"), "{err}");

        let empty = dir.path().join("empty.pem");
        fs::write(&empty, "no certificate here\n").unwrap();
        let err = settings(&[(CERT_FILE_VAR, empty.to_str().unwrap())])
            .extra_roots()
            .unwrap_err();
        assert!(matches!(err, TrustError::EmptyCertFile { .. }), "{err}");

        let err = settings(&[(CERT_DIR_VAR, missing.to_str().unwrap())])
            .extra_roots()
            .unwrap_err();
        assert!(err.to_string().contains("SSL_CERT_DIR names"), "{err}");
    }
}
