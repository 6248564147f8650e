//! WS-Security (OASIS WSS 1.0/1.1), the `wsse` feature: a [`WsSecurity`] layer that writes
//! one `wsse:Security` header block per request, with a `wsu:Timestamp` and a
//! `wsse:UsernameToken` (PasswordText or PasswordDigest), and the checks a server makes of
//! them ([`verify`]).
//!
//! ```no_run
//! # use mktows_runtime::wsse::{UsernameToken, WsSecurity};
//! # fn layer() -> WsSecurity {
//! WsSecurity::new()
//!     .username_token(UsernameToken::digest("admin", "userpassword"))
//!     .timestamp(std::time::Duration::from_secs(300))
//! # }
//! ```
//!
//! Nonces come from the operating system's generator and timestamps from its clock, anew
//! for every request (a retried call gets fresh ones). The password never appears in
//! `Debug` output.

pub mod signature;
mod username;
pub mod verify;

use std::fmt;
use std::time::Duration;

pub use signature::X509Signer;
pub use username::{password_digest, UsernameToken};

use crate::error::ErrorKind;
use crate::layer::{BoxFuture, CallInfo, Layer, LayerError, Next, OutgoingHeaders, Request};
use crate::transport::HttpResponse;
use crate::xml::{DateTime, ToXml, XmlWriter};

/// `wsse`: the Security header's namespace (WSS 1.0).
pub const WSSE_NAMESPACE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// `wsu`: Timestamp, Created, Expires and `wsu:Id`.
pub const WSU_NAMESPACE: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
/// The UsernameToken profile's password types.
pub const PASSWORD_TEXT: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
pub const PASSWORD_DIGEST: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
/// The encoding of a nonce.
pub const BASE64_BINARY: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// The WS-Security layer: one `wsse:Security` block per request, with what it is given.
#[derive(Debug, Clone)]
pub struct WsSecurity {
    username_token: Option<UsernameToken>,
    timestamp: Option<Duration>,
    must_understand: bool,
    signer: Option<X509Signer>,
    /// Certificates (DER) one of which must have signed every successful response.
    trusted: Vec<Vec<u8>>,
}

/// How long a signed request's Timestamp is valid when none is set.
const SIGNED_TIMESTAMP: Duration = Duration::from_secs(300);

impl Default for WsSecurity {
    fn default() -> Self {
        Self::new()
    }
}

impl WsSecurity {
    /// A Security header with `mustUnderstand="1"`, as WS-Security servers expect, and
    /// nothing in it yet.
    pub fn new() -> Self {
        Self { username_token: None, timestamp: None, must_understand: true, signer: None, trusted: Vec::new() }
    }

    pub fn username_token(mut self, token: UsernameToken) -> Self {
        self.username_token = Some(token);
        self
    }

    /// A `wsu:Timestamp` whose `Expires` is `lifetime` after its `Created` (servers refuse
    /// a message past it, and most one created too far from their clock).
    pub fn timestamp(mut self, lifetime: Duration) -> Self {
        self.timestamp = Some(lifetime);
        self
    }

    /// Signs every request with `signer`: an XML Signature (RSA-SHA256, exclusive
    /// canonicalization) over the Body and the Timestamp (five minutes long unless
    /// [`WsSecurity::timestamp`] says otherwise), the certificate sent as a
    /// BinarySecurityToken.
    pub fn sign_with(mut self, signer: X509Signer) -> Self {
        self.signer = Some(signer);
        self
    }

    /// Refuses a successful response unless it is signed, every reference intact, by
    /// `certificate_pem` (one of them, when called more than once); faults are taken as
    /// they come.
    pub fn verify_responses(mut self, certificate_pem: &[u8]) -> Result<Self, String> {
        use rustls_pki_types::pem::PemObject;
        let der = rustls_pki_types::CertificateDer::from_pem_slice(certificate_pem)
            .map_err(|_| "the certificate is not a PEM certificate".to_owned())?;
        self.trusted.push(der.to_vec());
        Ok(self)
    }

    /// Whether the block says `mustUnderstand="1"` (the default): a server that does not
    /// process WS-Security must then refuse the request rather than ignore the header.
    pub fn must_understand(mut self, must: bool) -> Self {
        self.must_understand = must;
        self
    }

    /// The header block for a request made at `created` with `nonce` (each UsernameToken
    /// digest takes one): what [`Layer::headers`] adds, with the time and nonce given, for
    /// reproducible requests and tests.
    pub fn header_at(&self, created: &DateTime, nonce: &[u8]) -> SecurityHeader {
        let lifetime = self.timestamp.or(self.signer.as_ref().map(|_| SIGNED_TIMESTAMP));
        let expires = lifetime.map(|lifetime| {
            let created = created.unix_seconds().unwrap_or_default();
            DateTime::from_unix_seconds(created + lifetime.as_secs() as i64)
        });
        SecurityHeader {
            must_understand: self.must_understand,
            timestamp: expires.map(|expires| (created.clone(), expires)),
            username_token: self.username_token.as_ref().map(|token| token.written(created, nonce)),
            token: self.signer.as_ref().map(X509Signer::token_base64),
        }
    }
}

impl Layer for WsSecurity {
    fn headers(&self, _: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| LayerError::before_sending("WS-Security: the system's random generator failed"))?;
        headers.push("wsse:Security", self.header_at(&DateTime::now(), &nonce));
        Ok(())
    }

    fn prepare(&self, request: &mut Request) -> Result<(), LayerError> {
        match &self.signer {
            Some(signer) => signature::sign(&mut request.envelope, signer, &[TIMESTAMP_ID])
                .map_err(|e| LayerError::before_sending(format!("WS-Security: {e}"))),
            None => Ok(()),
        }
    }

    fn exchange<'a>(&'a self, request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        Box::pin(async move {
            let response = next.run(request).await?;
            if self.trusted.is_empty() || !(200..300).contains(&response.status) {
                return Ok(response);
            }
            match signature::verify(&response.body, &self.trusted) {
                Ok(()) => Ok(response),
                Err(why) => Err(ErrorKind::Layer(LayerError::after_sending(format!("WS-Security: {why}")))),
            }
        })
    }
}

/// The `wsu:Id` of the Timestamp, which a signature references.
const TIMESTAMP_ID: &str = "TS-1";

/// One `wsse:Security` block as written.
#[derive(Clone)]
pub struct SecurityHeader {
    must_understand: bool,
    /// Created and Expires.
    timestamp: Option<(DateTime, DateTime)>,
    username_token: Option<username::Written>,
    /// The signer's certificate, base64, as a BinarySecurityToken.
    token: Option<String>,
}

impl fmt::Debug for SecurityHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecurityHeader").field("timestamp", &self.timestamp).finish_non_exhaustive()
    }
}

impl ToXml for SecurityHeader {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        w.attribute_text("xmlns:wsse", WSSE_NAMESPACE);
        w.attribute_text("xmlns:wsu", WSU_NAMESPACE);
        if self.must_understand {
            w.attribute_text("SOAP-ENV:mustUnderstand", "1");
        }
        w.close_start();
        if let Some((created, expires)) = &self.timestamp {
            w.open("wsu:Timestamp");
            w.attribute_text("wsu:Id", TIMESTAMP_ID);
            w.close_start();
            w.text_element("wsu:Created", created.as_str());
            w.text_element("wsu:Expires", expires.as_str());
            w.end("wsu:Timestamp");
        }
        if let Some(token) = &self.token {
            w.open("wsse:BinarySecurityToken");
            w.attribute_text("wsu:Id", signature::TOKEN_ID);
            w.attribute_text("ValueType", signature::X509_V3);
            w.attribute_text("EncodingType", BASE64_BINARY);
            w.close_start();
            w.text(token);
            w.end("wsse:BinarySecurityToken");
        }
        if let Some(token) = &self.username_token {
            token.write(w);
        }
        w.end(name);
    }
}
