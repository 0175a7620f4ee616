//! HiBob's stand-in over https: a test certificate authority, and a TLS server on 127.0.0.1 with a
//! certificate that authority signed, passing the decrypted bytes on to the fake HiBob (plain http on
//! loopback). Real sockets, real TLS (rustls on ring, as the client uses).
//!
//! The authority is made fresh for each test and is in no trust store, so the client trusts the server
//! only when told to (`SSL_CERT_FILE`), exactly like a company's TLS-inspecting proxy whose root
//! certificate IT did or did not install.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio_rustls::rustls;

use super::fake_hibob::server_thread::ServerThread;

/// A certificate authority made for one test.
pub struct TestCa {
    issuer: rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            "hibob-auth test CA (not a real authority)",
        );
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let key = rcgen::KeyPair::generate().unwrap();
        TestCa {
            issuer: rcgen::CertifiedIssuer::self_signed(params, key).unwrap(),
        }
    }

    /// The authority's certificate in PEM, as a company hands out its root certificate.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// Write the PEM to `dir/name` and return the path (for `SSL_CERT_FILE`).
    pub fn write_pem(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, self.pem()).unwrap();
        path
    }

    /// A server certificate for `names`, signed by this authority, with its key.
    fn server_certificate(
        &self,
        names: &[&str],
    ) -> (
        rustls::pki_types::CertificateDer<'static>,
        rustls::pki_types::PrivateKeyDer<'static>,
    ) {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let params = rcgen::CertificateParams::new(names).unwrap();
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        (
            cert.der().clone(),
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
    }
}

impl Default for TestCa {
    fn default() -> Self {
        TestCa::new()
    }
}

/// https on 127.0.0.1 for `names`, forwarding to `upstream` (the fake HiBob). Counts handshakes
/// begun and completed. Stops when dropped.
pub struct TlsStandIn {
    addr: SocketAddr,
    pub handshakes: Arc<AtomicUsize>,
    pub completed: Arc<AtomicUsize>,
    /// Stops the server when the stand-in is dropped.
    _thread: ServerThread,
}

impl TlsStandIn {
    pub fn start(ca: &TestCa, names: &[&str], upstream: SocketAddr) -> TlsStandIn {
        let (cert, key) = ca.server_certificate(names);
        TlsStandIn::serve(cert, key, Some(upstream))
    }

    /// https on 127.0.0.1 with a certificate for `names` that no authority signed (self-signed), which
    /// no client should trust; a handshake that did complete is counted and then closed.
    pub fn self_signed(names: &[&str]) -> TlsStandIn {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let certified =
            rcgen::generate_simple_self_signed(names).expect("a self-signed certificate");
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
        TlsStandIn::serve(certified.cert.der().clone(), key, None)
    }

    fn serve(
        cert: rustls::pki_types::CertificateDer<'static>,
        key: rustls::pki_types::PrivateKeyDer<'static>,
        upstream: Option<SocketAddr>,
    ) -> TlsStandIn {
        let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("a server configuration");
        // The fake HiBob speaks HTTP/1.1 only.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let handshakes = Arc::new(AtomicUsize::new(0));
        let completed = Arc::new(AtomicUsize::new(0));
        let (begun, done) = (Arc::clone(&handshakes), Arc::clone(&completed));
        let thread = ServerThread::spawn("tls-stand-in", move |mut stopped| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let (acceptor, begun, done) =
                                (acceptor.clone(), Arc::clone(&begun), Arc::clone(&done));
                            tokio::spawn(async move {
                                begun.fetch_add(1, Ordering::SeqCst);
                                let Ok(mut tls) = acceptor.accept(stream).await else { return };
                                done.fetch_add(1, Ordering::SeqCst);
                                let Some(upstream) = upstream else { return };
                                let Ok(mut plain) = tokio::net::TcpStream::connect(upstream).await
                                else {
                                    return;
                                };
                                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                            });
                        }
                    }
                }
            });
        })
        .expect("start the TLS stand-in's thread");
        TlsStandIn {
            addr,
            handshakes,
            completed,
            _thread: thread,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}
