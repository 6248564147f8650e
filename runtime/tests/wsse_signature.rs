//! X.509 signatures: a client's signed requests verify with our verifier and with xmlsec
//! (through zeep's `verify_envelope`, as a WSS4J or CXF server would check them), and
//! envelopes zeep signs (RSA-SHA1 by default, RSA-SHA256 when asked; X509Data or a
//! BinarySecurityToken) verify with ours. A changed Body fails everywhere. The python parts
//! are skipped, saying so, where python, zeep or xmlsec is missing.

#![cfg(feature = "wsse")]

#[path = "support/python.rs"]
mod python;

use http::Echo;
use mktows_runtime::wsse::{signature, UsernameToken, WsSecurity, X509Signer};
use mktows_runtime::{ClientConfig, SoapClient};

/// The test certificate and its key (PEM), from `tests/data/client-identity.pem`.
fn certificate_and_key() -> (String, String) {
    let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/client-identity.pem")).unwrap();
    let split = pem.find("-----BEGIN PRIVATE KEY").unwrap();
    (pem[..split].to_owned(), pem[split..].to_owned())
}

fn der(certificate_pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = certificate_pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).unwrap()
}

fn signed_request(text: &str) -> Vec<u8> {
    let (certificate, key) = certificate_and_key();
    let signer = X509Signer::from_pem(certificate.as_bytes(), key.as_bytes()).unwrap();
    let security = WsSecurity::new().sign_with(signer).username_token(UsernameToken::text("admin", "pw"));
    let client =
        SoapClient::new("urn:s", "http://127.0.0.1:9/", &ClientConfig::default()).unwrap().with_layer(security);
    client.try_encode::<Echo>(&text.to_owned(), &[]).unwrap()
}

#[test]
fn signed_requests_verify_and_a_changed_body_or_an_untrusted_certificate_does_not() {
    let envelope = signed_request("pay 10 EUR");
    let text = String::from_utf8(envelope.clone()).unwrap();
    assert!(
        text.contains(r#"<SOAP-ENV:Body xmlns:wsu=""#) && text.contains("<wsse:BinarySecurityToken wsu:Id=\"X509-1\""),
        "{text}"
    );
    let trusted = [der(&certificate_and_key().0)];
    signature::verify(&envelope, &trusted).unwrap();
    let changed = text.replace("pay 10 EUR", "pay 99 EUR");
    let error = signature::verify(changed.as_bytes(), &trusted).unwrap_err();
    assert_eq!(error, "the digest of `Body-1` does not match: it was changed after signing");
    // The Timestamp is signed too: a later Expires is refused.
    let expires = text.find("<wsu:Expires>").unwrap() + "<wsu:Expires>".len();
    let later = format!("{}2999{}", &text[..expires], &text[expires + 4..]);
    assert_eq!(
        signature::verify(later.as_bytes(), &trusted).unwrap_err(),
        "the digest of `TS-1` does not match: it was changed after signing"
    );
    assert_eq!(
        signature::verify(&envelope, &[vec![1, 2, 3]]).unwrap_err(),
        "the message is signed with a certificate that is not trusted"
    );
    assert!(!format!("{:?}", WsSecurity::new()).contains("PRIVATE"));
}

/// Runs `script` with the certificate and key files as argv[1] and argv[2], `stdin` piped.
fn with_keys(script: &str, stdin: &[u8]) -> (bool, String) {
    let (certificate, key) = certificate_and_key();
    static CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("mktows-wsse-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert_file, certificate).unwrap();
    std::fs::write(&key_file, key).unwrap();
    let out = python::output(script, &[cert_file.to_str().unwrap(), key_file.to_str().unwrap()], stdin);
    let _ = std::fs::remove_dir_all(&dir);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn xmlsec_verifies_what_we_sign() {
    if !python::has("zeep, xmlsec") {
        eprintln!("SKIPPED: python3 with zeep and xmlsec is not installed (pip install zeep xmlsec)");
        return;
    }
    let script = r#"
import sys
from lxml import etree
from zeep.wsse.signature import verify_envelope
from zeep.exceptions import SignatureVerificationFailed
try:
    verify_envelope(etree.fromstring(sys.stdin.buffer.read()), sys.argv[1])
    print("verified")
except SignatureVerificationFailed:
    print("refused")
"#;
    let envelope = signed_request("pay 10 EUR");
    let (ok, out) = with_keys(script, &envelope);
    assert!(ok && out.trim() == "verified", "{out}");
    let changed = String::from_utf8(envelope).unwrap().replace("pay 10 EUR", "pay 99 EUR");
    let (ok, out) = with_keys(script, changed.as_bytes());
    assert!(ok && out.trim() == "refused", "the oracle refuses a changed body: {out}");
}

#[test]
fn we_verify_what_zeep_signs() {
    if !python::has("zeep, xmlsec") {
        eprintln!("SKIPPED: python3 with zeep and xmlsec is not installed (pip install zeep xmlsec)");
        return;
    }
    let trusted = [der(&certificate_and_key().0)];
    for (signer, methods) in [
        ("Signature", ""),
        ("BinarySignature", ""),
        ("BinarySignature", ", signature_method=xmlsec.Transform.RSA_SHA256, digest_method=xmlsec.Transform.SHA256"),
    ] {
        let script = format!(
            r#"
import sys, datetime, xmlsec
from lxml import etree
from zeep.wsse.signature import {signer}
from zeep.wsse import utils
envelope = etree.fromstring(b'<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/><soap-env:Body><ns0:echo xmlns:ns0="urn:s">pay 10 EUR</ns0:echo></soap-env:Body></soap-env:Envelope>')
security = utils.get_security_header(envelope)
security.append(utils.WSU.Timestamp(utils.WSU.Created("2026-01-01T00:00:00Z"), utils.WSU.Expires("2026-01-01T00:05:00Z")))
{signer}(sys.argv[2], sys.argv[1]{methods}).apply(envelope, {{}})
sys.stdout.buffer.write(etree.tostring(envelope))
"#
        );
        let (ok, out) = with_keys(&script, b"");
        assert!(ok, "{out}");
        signature::verify(out.as_bytes(), &trusted).unwrap_or_else(|e| panic!("{signer}{methods}: {e}\n{out}"));
        let changed = out.replace("pay 10 EUR", "pay 99 EUR");
        assert!(signature::verify(changed.as_bytes(), &trusted).is_err(), "{signer}: a changed body is refused");
    }
}

#[path = "support/http.rs"]
mod http;

/// The test bed's server: a request whose signature does not verify is a fault.
fn checks_signatures(body: &[u8]) -> (u16, String) {
    match signature::verify(body, &[der(&certificate_and_key().0)]) {
        Ok(()) => (200, http::envelope("<ns1:success>signed</ns1:success>")),
        Err(why) => http::fault("wsse:FailedCheck", &why),
    }
}

#[tokio::test]
async fn over_http_the_server_checks_the_signature_and_the_client_checks_the_response() {
    let (url, _) = http::serve(checks_signatures).await;
    let (certificate, key) = certificate_and_key();
    let signer = X509Signer::from_pem(certificate.as_bytes(), key.as_bytes()).unwrap();
    let input = "pay 10 EUR".to_owned();
    let signing = SoapClient::new("urn:s", &url, &ClientConfig::default())
        .unwrap()
        .with_layer(WsSecurity::new().sign_with(signer.clone()));
    assert_eq!(signing.call::<Echo>(&input, &[]).await.unwrap(), "signed");
    let unsigned = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap();
    let refused = unsigned.call::<Echo>(&input, &[]).await.unwrap_err();
    assert!(refused.fault().is_some_and(|f| f.message == "the message is not signed"), "{refused}");
    // This server does not sign its answers: a client that asks for signed ones refuses them.
    let strict = WsSecurity::new().sign_with(signer).verify_responses(certificate.as_bytes()).unwrap();
    let strict = SoapClient::new("urn:s", &url, &ClientConfig::default()).unwrap().with_layer(strict);
    let error = strict.call::<Echo>(&input, &[]).await.unwrap_err();
    assert_eq!(error.to_string(), "echo: the response was refused: WS-Security: the message is not signed");
    assert!(error.may_have_been_processed());
}
