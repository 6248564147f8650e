//! TLS with a CA of one's own and a client certificate (mutual TLS), end to end: a server
//! whose certificate the test CA signed, which takes only clients the same CA vouches for.
//! The certificates are in `tests/data/tls/` (made with openssl; valid until 2126).

use std::sync::{Arc, Mutex};

use mktows_runtime::{ClientConfig, ErrorKind, SoapClient, TransportStage};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig};

#[path = "support/http.rs"]
mod http;
use http::Echo;

const CA: &[u8] = include_bytes!("data/tls/ca.pem");
const SERVER: &[u8] = include_bytes!("data/tls/server.pem");
const CLIENT: &[u8] = include_bytes!("data/tls/client.pem");

/// A TLS server on an ephemeral port that requires a client certificate from the test CA.
async fn serve_mutual_tls() -> String {
    mktows_runtime::transport::install_crypto_provider();
    let mut roots = RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(CA).unwrap()).unwrap();
    let verifier = WebPkiClientVerifier::builder(Arc::new(roots)).build().unwrap();
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(SERVER).map(Result::unwrap).collect();
    let key = PrivateKeyDer::from_pem_slice(SERVER).unwrap();
    let config = ServerConfig::builder().with_client_cert_verifier(verifier).with_single_cert(chain, key).unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://localhost:{}/", listener.local_addr().unwrap().port());
    let answer: http::Answer = Arc::new(|_, body| http::success(body).into());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, answer) = (acceptor.clone(), answer.clone());
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(tcp).await {
                    http::exchanges(tls, answer, Arc::new(Mutex::new(Vec::new()))).await;
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn a_private_ca_and_a_client_certificate_make_a_mutual_tls_call() {
    let url = serve_mutual_tls().await;
    let input = "x".to_owned();
    let config = ClientConfig {
        root_certificates_pem: vec![CA.to_vec()],
        client_identity_pem: Some(CLIENT.to_vec()),
        ..ClientConfig::default()
    };
    let client = SoapClient::new("urn:s", &url, &config).unwrap();
    assert_eq!(client.call::<Echo>(&input, &[]).await.unwrap(), "ok");

    // Without the client certificate the server ends the handshake; without the CA the
    // client does not trust the server. Either way nothing was sent.
    for config in [
        ClientConfig { root_certificates_pem: vec![CA.to_vec()], ..ClientConfig::default() },
        ClientConfig { client_identity_pem: Some(CLIENT.to_vec()), ..ClientConfig::default() },
    ] {
        let error = SoapClient::new("urn:s", &url, &config).unwrap().call::<Echo>(&input, &[]).await.unwrap_err();
        let ErrorKind::Transport(transport) = error.kind() else { panic!("{error}") };
        assert_eq!(transport.stage(), TransportStage::Connect, "{error}");
        assert!(!error.may_have_been_processed(), "{error}");
    }
}
