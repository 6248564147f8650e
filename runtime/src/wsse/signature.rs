//! XML Signature in WS-Security (the X.509 token profile): a request's Body and Timestamp
//! signed with an RSA key (RSA-SHA256, exclusive canonicalization, `wsu:Id` references, the
//! certificate as a BinarySecurityToken), and the check of a signed message: each reference's
//! digest, then the signature over SignedInfo with a certificate the caller trusts.
//! Verification also takes RSA-SHA1 and SHA-1 digests, which zeep and WSS4J sign with by
//! default.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use base64::Engine as _;
use ring::signature::{self as rsa, RsaKeyPair, UnparsedPublicKey};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use super::WSU_NAMESPACE;
use crate::xml::c14n;
use crate::xml::tokens::{Token, Tokens};

pub const DS_NAMESPACE: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
/// The BinarySecurityToken's value type: an X.509 v3 certificate.
pub const X509_V3: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";

/// The `wsu:Id`s the signer gives what it signs.
pub(crate) const BODY_ID: &str = "Body-1";
pub(crate) const TOKEN_ID: &str = "X509-1";

/// A certificate and its RSA private key, which signs requests.
#[derive(Clone)]
pub struct X509Signer {
    certificate: Vec<u8>,
    key: Arc<RsaKeyPair>,
}

impl fmt::Debug for X509Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("X509Signer")
            .field("certificate_bytes", &self.certificate.len())
            .field("key", &"<redacted>")
            .finish()
    }
}

impl X509Signer {
    /// The certificate (PEM, the first in the file) and its RSA private key (PEM, PKCS#8 or
    /// PKCS#1).
    pub fn from_pem(certificate_pem: &[u8], private_key_pem: &[u8]) -> Result<Self, String> {
        let certificate = CertificateDer::from_pem_slice(certificate_pem)
            .map_err(|_| "the certificate is not a PEM certificate".to_owned())?;
        let key = PrivateKeyDer::from_pem_slice(private_key_pem)
            .map_err(|_| "the private key is not a PEM private key".to_owned())?;
        let key = match &key {
            PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
            _ => return Err("the private key is not an RSA key".to_owned()),
        }
        .map_err(|e| format!("the private key is not a usable RSA key: {e}"))?;
        Ok(Self { certificate: certificate.to_vec(), key: Arc::new(key) })
    }

    /// The certificate, DER.
    pub fn certificate(&self) -> &[u8] {
        &self.certificate
    }

    pub(crate) fn token_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.certificate)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, String> {
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&rsa::RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), message, &mut signature)
            .map_err(|_| "the RSA signature failed".to_owned())?;
        Ok(signature)
    }
}

/// Signs `envelope` in place: gives its Body a `wsu:Id`, and adds a `ds:Signature` over
/// the Body and the elements `ids` name (the Timestamp) to its `wsse:Security` block, which
/// holds the signer's BinarySecurityToken already.
pub(crate) fn sign(envelope: &mut Vec<u8>, signer: &X509Signer, ids: &[&str]) -> Result<(), String> {
    identify_body(envelope)?;
    let document = Document::index(envelope)?;
    let mut references = String::new();
    for id in std::iter::once(BODY_ID).chain(ids.iter().copied()) {
        let element = document.by_id(id).ok_or_else(|| format!("nothing has wsu:Id `{id}` to sign"))?;
        let digest = digest(SHA256, &c14n::exclusive(envelope, element.start, &[]).map_err(|e| e.to_string())?)?;
        references.push_str(&format!(
            r##"<ds:Reference URI="#{id}"><ds:Transforms><ds:Transform Algorithm="{EXC_C14N}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="{SHA256}"></ds:DigestMethod><ds:DigestValue>{digest}</ds:DigestValue></ds:Reference>"##
        ));
    }
    let signed_info = format!(
        r#"<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{EXC_C14N}"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="{RSA_SHA256}"></ds:SignatureMethod>{references}</ds:SignedInfo>"#
    );
    let key_info = format!(
        r##"<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#{TOKEN_ID}" ValueType="{X509_V3}"/></wsse:SecurityTokenReference></ds:KeyInfo>"##
    );
    let security_end = document.security_end().ok_or("the request has no wsse:Security block to sign in")?;
    let signature = format!(
        r#"<ds:Signature xmlns:ds="{DS_NAMESPACE}">{signed_info}<ds:SignatureValue></ds:SignatureValue>{key_info}</ds:Signature>"#
    );
    envelope.splice(security_end..security_end, signature.bytes());
    // SignedInfo is canonicalized where it stands, as a verifier will.
    let signed_info_start = security_end + signature.find("<ds:SignedInfo").unwrap_or_default();
    let canonical = c14n::exclusive(envelope, signed_info_start, &[]).map_err(|e| e.to_string())?;
    let value = base64::engine::general_purpose::STANDARD.encode(signer.sign(&canonical)?);
    let value_at = security_end + signature.find("</ds:SignatureValue>").unwrap_or_default();
    envelope.splice(value_at..value_at, value.bytes());
    Ok(())
}

/// Puts `wsu:Id="Body-1"` (and the `wsu` declaration) on the envelope's Body.
fn identify_body(envelope: &mut Vec<u8>) -> Result<(), String> {
    let at = memchr::memmem::find(envelope, b":Body").ok_or("the request has no Body")? + b":Body".len();
    let attribute = format!(r#" xmlns:wsu="{WSU_NAMESPACE}" wsu:Id="{BODY_ID}""#);
    envelope.splice(at..at, attribute.bytes());
    Ok(())
}

fn digest(algorithm: &str, bytes: &[u8]) -> Result<String, String> {
    let algorithm = match algorithm {
        SHA256 => &ring::digest::SHA256,
        SHA1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        other => return Err(format!("unsupported digest method `{other}`")),
    };
    Ok(base64::engine::general_purpose::STANDARD.encode(ring::digest::digest(algorithm, bytes)))
}

/// Checks the signature of a signed message: every reference's digest over the element
/// it names, then the signature over SignedInfo by the certificate its KeyInfo gives (a
/// BinarySecurityToken or an inline X509Certificate), which must be one of `trusted` (DER).
pub fn verify(envelope: &[u8], trusted: &[Vec<u8>]) -> Result<(), String> {
    let document = Document::index(envelope)?;
    let signature = document.find("Signature", None).ok_or("the message is not signed")?;
    let signed_info = document.find("SignedInfo", Some(signature)).ok_or("the Signature has no SignedInfo")?;
    let canonicalization = document.child_attribute(signed_info, "CanonicalizationMethod", "Algorithm");
    if canonicalization.as_deref() != Some(EXC_C14N) {
        return Err(format!("unsupported canonicalization `{}`", canonicalization.unwrap_or_default()));
    }
    let method = document.child_attribute(signed_info, "SignatureMethod", "Algorithm").unwrap_or_default();
    let mut references = 0;
    for reference in document.children(signed_info).filter(|&i| document.nodes[i].local == b"Reference") {
        check_reference(&document, reference)?;
        references += 1;
    }
    if references == 0 {
        return Err("the SignedInfo references nothing".into());
    }
    let certificate = signing_certificate(&document, signature)?;
    if !trusted.contains(&certificate) {
        return Err("the message is signed with a certificate that is not trusted".into());
    }
    let canonical = c14n::exclusive(envelope, document.nodes[signed_info].start, &[]).map_err(|e| e.to_string())?;
    let value = document.find("SignatureValue", Some(signature)).ok_or("the Signature has no SignatureValue")?;
    let value = decode_base64(document.text(value))?;
    let algorithm: &dyn rsa::VerificationAlgorithm = match method.as_str() {
        RSA_SHA256 => &rsa::RSA_PKCS1_2048_8192_SHA256,
        RSA_SHA1 => &rsa::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
        other => return Err(format!("unsupported signature method `{other}`")),
    };
    let key = rsa_public_key(&certificate)?;
    UnparsedPublicKey::new(algorithm, key)
        .verify(&canonical, &value)
        .map_err(|_| "the signature does not verify".into())
}

fn check_reference(document: &Document<'_>, reference: usize) -> Result<(), String> {
    let uri = document.attribute(reference, "URI").unwrap_or_default();
    let id = uri.strip_prefix('#').ok_or_else(|| format!("unsupported reference `{uri}` (only #id)"))?;
    let target = document.by_id(id).ok_or_else(|| format!("nothing has the Id `{id}` a reference names"))?;
    let transforms = document.find("Transforms", Some(reference));
    let mut inclusive = Vec::new();
    for transform in transforms.into_iter().flat_map(|t| document.children(t)) {
        match document.attribute(transform, "Algorithm").as_deref() {
            Some(EXC_C14N) => {
                let prefixes = document.find("InclusiveNamespaces", Some(transform));
                let list = prefixes.and_then(|p| document.attribute(p, "PrefixList")).unwrap_or_default();
                inclusive.extend(list.split_whitespace().map(str::to_owned));
            }
            other => return Err(format!("unsupported transform `{}`", other.unwrap_or_default())),
        }
    }
    let inclusive: Vec<&str> = inclusive.iter().map(String::as_str).collect();
    let canonical = c14n::exclusive(document.input, target.start, &inclusive).map_err(|e| e.to_string())?;
    let method = document.child_attribute(reference, "DigestMethod", "Algorithm").unwrap_or_default();
    let expected = document.find("DigestValue", Some(reference)).map(|v| document.text(v).trim()).unwrap_or_default();
    match digest(&method, &canonical)? == expected {
        true => Ok(()),
        false => Err(format!("the digest of `{id}` does not match: it was changed after signing")),
    }
}

/// The certificate a Signature's KeyInfo names: by reference to a BinarySecurityToken, or
/// inline in X509Data.
fn signing_certificate(document: &Document<'_>, signature: usize) -> Result<Vec<u8>, String> {
    let key_info = document.find("KeyInfo", Some(signature)).ok_or("the Signature has no KeyInfo")?;
    if let Some(inline) = document.find("X509Certificate", Some(key_info)) {
        return decode_base64(document.text(inline));
    }
    let reference = document.find("Reference", Some(key_info)).ok_or("the KeyInfo names no certificate")?;
    let uri = document.attribute(reference, "URI").unwrap_or_default();
    let token =
        uri.strip_prefix('#').and_then(|id| document.by_id(id)).ok_or("the KeyInfo's token is not in the message")?;
    let index = document.nodes.iter().position(|n| n.start == token.start).unwrap_or_default();
    decode_base64(document.text(index))
}

fn decode_base64(text: &str) -> Result<Vec<u8>, String> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact).map_err(|_| "a value is not base64".into())
}

/// The RSAPublicKey (PKCS#1) inside an X.509 certificate's SubjectPublicKeyInfo.
fn rsa_public_key(certificate: &[u8]) -> Result<Vec<u8>, String> {
    let malformed = || "the certificate is not DER X.509".to_owned();
    let (certificate, _) = der(certificate, 0x30).ok_or_else(malformed)?;
    let (mut tbs, _) = der(certificate, 0x30).ok_or_else(malformed)?;
    if tbs.first() == Some(&0xa0) {
        tbs = der(tbs, 0xa0).ok_or_else(malformed)?.1;
    }
    // serial, signature algorithm, issuer, validity, subject; then the key.
    for tag in [0x02, 0x30, 0x30, 0x30, 0x30] {
        tbs = der(tbs, tag).ok_or_else(malformed)?.1;
    }
    let (spki, _) = der(tbs, 0x30).ok_or_else(malformed)?;
    let (_, rest) = der(spki, 0x30).ok_or_else(malformed)?;
    let (bits, _) = der(rest, 0x03).ok_or_else(malformed)?;
    bits.split_first().filter(|(unused, _)| **unused == 0).map(|(_, key)| key.to_vec()).ok_or_else(malformed)
}

/// One DER value of `tag` at the start of `input`: its content and what follows.
fn der(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    let length = match first {
        0..=0x7f => usize::from(first),
        0x81..=0x84 => {
            let count = usize::from(first & 0x7f);
            let (bytes, after) = rest.split_at_checked(count)?;
            rest = after;
            bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b))
        }
        _ => return None,
    };
    rest.split_at_checked(length)
}

/// The elements of a document, in order: where each starts, its name and attributes,
/// its parent, and where its content is.
struct Document<'a> {
    input: &'a [u8],
    nodes: Vec<Node<'a>>,
}

struct Node<'a> {
    start: usize,
    local: &'a [u8],
    attributes: &'a [u8],
    parent: Option<usize>,
    content: Range<usize>,
}

impl<'a> Document<'a> {
    fn index(input: &'a [u8]) -> Result<Self, String> {
        let mut tokens = Tokens::new(input);
        let (mut nodes, mut open): (Vec<Node<'a>>, Vec<usize>) = (Vec::new(), Vec::new());
        loop {
            let at = tokens.position();
            match tokens.next().map_err(|e| format!("at byte {}: {}", e.at, e.message))? {
                Token::Start { local, attributes, .. } => {
                    let content = tokens.position()..tokens.position();
                    nodes.push(Node { start: at, local, attributes, parent: open.last().copied(), content });
                    open.push(nodes.len() - 1);
                }
                Token::Empty { local, attributes, .. } => {
                    let content = tokens.position()..tokens.position();
                    nodes.push(Node { start: at, local, attributes, parent: open.last().copied(), content });
                }
                Token::End => {
                    if let Some(index) = open.pop() {
                        nodes[index].content.end = at;
                    }
                }
                Token::Eof => return Ok(Self { input, nodes }),
                _ => {}
            }
        }
    }

    /// The first element of local name `local`, within `inside` when given.
    fn find(&self, local: &str, inside: Option<usize>) -> Option<usize> {
        (0..self.nodes.len())
            .find(|&i| self.nodes[i].local == local.as_bytes() && inside.is_none_or(|a| self.within(i, a)))
    }

    fn within(&self, mut node: usize, ancestor: usize) -> bool {
        while let Some(parent) = self.nodes[node].parent {
            if parent == ancestor {
                return true;
            }
            node = parent;
        }
        false
    }

    fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(move |&i| self.nodes[i].parent == Some(parent))
    }

    fn attribute(&self, node: usize, local: &str) -> Option<String> {
        let raw = crate::xml::namespaces::attributes(self.nodes[node].attributes)
            .find(|(name, _)| {
                name.rsplit(|b| *b == b':').next() == Some(local.as_bytes()) && !name.starts_with(b"xmlns")
            })?
            .1;
        Some(String::from_utf8_lossy(raw).into_owned())
    }

    fn child_attribute(&self, parent: usize, child: &str, attribute: &str) -> Option<String> {
        let child = self.children(parent).find(|&i| self.nodes[i].local == child.as_bytes())?;
        self.attribute(child, attribute)
    }

    fn text(&self, node: usize) -> &'a str {
        std::str::from_utf8(&self.input[self.nodes[node].content.clone()]).unwrap_or_default()
    }

    /// The element whose `Id` attribute (`wsu:Id`, `Id`, `ID`) is `id`.
    fn by_id(&self, id: &str) -> Option<&Node<'a>> {
        let matches = |node: &Node<'_>| {
            crate::xml::namespaces::attributes(node.attributes).any(|(name, value)| {
                let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
                local.eq_ignore_ascii_case(b"id") && value == id.as_bytes()
            })
        };
        self.nodes.iter().find(|node| matches(node))
    }

    /// Where the `wsse:Security` block's end tag starts.
    fn security_end(&self) -> Option<usize> {
        let security = self.nodes.iter().find(|n| n.local == b"Security")?;
        Some(security.content.end)
    }
}
