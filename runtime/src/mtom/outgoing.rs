//! Writing MTOM requests: `Base64Binary` values gathered while the envelope is written,
//! then the envelope and those values packaged as one `multipart/related` body.

use std::hash::{BuildHasher, Hasher};

use crate::layer::Request;
use crate::soap::SoapVersion;
use crate::xml::XmlWriter;

/// The values a writer has turned into attachments so far, and when to turn one.
#[derive(Debug)]
pub(crate) struct OutgoingAttachments {
    threshold: usize,
    /// Makes the Content-IDs of this message unlikely to meet another message's.
    nonce: u64,
    parts: Vec<Vec<u8>>,
}

impl OutgoingAttachments {
    pub fn new(threshold: usize) -> Self {
        Self { threshold, nonce: random_u64(), parts: Vec::new() }
    }

    fn content_id(&self, index: usize) -> String {
        format!("{index}.{:016x}@mktows-rs", self.nonce)
    }
}

/// A request as MTOM sends it: the `Content-Type` (boundary and root named) and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Writes `bytes` as the element `name` holding an xop:Include, the bytes kept as a part,
/// if `w` gathers attachments and the value is large enough; `false` leaves it to the caller.
pub(crate) fn write_attachment(w: &mut XmlWriter, name: &str, bytes: &[u8]) -> bool {
    let Some(attachments) = w.attachments_mut() else { return false };
    if bytes.len() < attachments.threshold {
        return false;
    }
    // One copy, out of the caller's value: `ToXml` only borrows it.
    attachments.parts.push(bytes.to_vec());
    let content_id = attachments.content_id(attachments.parts.len() - 1);
    w.start(name);
    w.raw(r#"<xop:Include xmlns:xop=""#);
    w.raw(super::XOP_NAMESPACE);
    // The Content-IDs written here are digits, hex, `.`, `@` and `-`: nothing to percent-encode.
    w.raw(r#"" href="cid:"#);
    w.raw(&content_id);
    w.raw(r#""/>"#);
    w.end(name);
    true
}

/// Makes `request` (its envelope as written, the layers' changes made) an MTOM message:
/// the body becomes the package and `Content-Type` says so. The `SOAPAction` of SOAP 1.1
/// is sent as usual; SOAP 1.2's action goes into the media types.
pub(crate) fn package_request(request: &mut Request, attachments: OutgoingAttachments) {
    let message = package(&request.envelope, &attachments, request.call.version, request.call.soap_action);
    request.envelope = message.body;
    request.set_http_header("Content-Type", &message.content_type);
}

/// The `multipart/related` body: the root part (the envelope), then one part per attachment.
pub(crate) fn package(
    envelope: &[u8],
    attachments: &OutgoingAttachments,
    version: SoapVersion,
    action: &str,
) -> OutgoingMessage {
    let boundary = boundary_absent_from(envelope, &attachments.parts);
    let root_id = format!("root.{:016x}@mktows-rs", attachments.nonce);
    let (start_info, root_type) = match version {
        SoapVersion::Soap11 => ("text/xml".to_owned(), "text/xml".to_owned()),
        SoapVersion::Soap12 if action.is_empty() => ("application/soap+xml".into(), "application/soap+xml".into()),
        SoapVersion::Soap12 => {
            ("application/soap+xml".into(), format!(r#"application/soap+xml; action=\"{}\""#, quotable(action)))
        }
    };
    let mut content_type = format!(
        r#"multipart/related; type="application/xop+xml"; boundary="{boundary}"; start="<{root_id}>"; start-info="{start_info}""#
    );
    if version == SoapVersion::Soap12 && !action.is_empty() {
        content_type.push_str(&format!(r#"; action="{}""#, quotable(action)));
    }
    let size: usize = envelope.len() + attachments.parts.iter().map(|p| p.len() + 200).sum::<usize>() + 300;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!("Content-Type: application/xop+xml; charset=UTF-8; type=\"{root_type}\"\r\n").as_bytes(),
    );
    body.extend_from_slice(format!("Content-Transfer-Encoding: 8bit\r\nContent-ID: <{root_id}>\r\n\r\n").as_bytes());
    body.extend_from_slice(envelope);
    for (index, part) in attachments.parts.iter().enumerate() {
        body.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n").as_bytes());
        let id = attachments.content_id(index);
        body.extend_from_slice(format!("Content-Transfer-Encoding: binary\r\nContent-ID: <{id}>\r\n\r\n").as_bytes());
        body.extend_from_slice(part);
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    OutgoingMessage { content_type, body }
}

/// An action inside a quoted string: a quote or backslash in it escaped.
fn quotable(action: &str) -> String {
    action.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A boundary that occurs in none of the parts (RFC 2046 requires it): random, and checked.
fn boundary_absent_from(envelope: &[u8], parts: &[Vec<u8>]) -> String {
    loop {
        let boundary = format!("MIMEBoundary_{:016x}{:016x}", random_u64(), random_u64());
        let finder = memchr::memmem::Finder::new(boundary.as_bytes());
        let mut contents = std::iter::once(envelope).chain(parts.iter().map(Vec::as_slice));
        if !contents.any(|content| finder.find(content).is_some()) {
            return boundary;
        }
    }
}

/// 64 unpredictable enough bits from the standard library's randomly keyed hasher (no
/// random number crate for boundaries and Content-IDs, which need only be unlikely to repeat).
fn random_u64() -> u64 {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    hasher.write_u128(since.map_or(0, |d| d.as_nanos()));
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_found_in_a_part_is_not_used() {
        for _ in 0..20 {
            let boundary = boundary_absent_from(b"<x/>", &[b"MIMEBoundary_".to_vec()]);
            assert!(boundary.starts_with("MIMEBoundary_") && boundary.len() == 45, "{boundary}");
        }
        assert_ne!(random_u64(), random_u64());
    }

    #[test]
    fn soap12_packages_carry_the_action_in_both_media_types() {
        let mut attachments = OutgoingAttachments::new(0);
        attachments.parts.push(b"\r\n--".to_vec());
        let message = package(b"<e/>", &attachments, SoapVersion::Soap12, "urn:a");
        assert!(message.content_type.contains(r#"start-info="application/soap+xml"; action="urn:a""#));
        let text = String::from_utf8_lossy(&message.body);
        assert!(text.contains(r#"type="application/soap+xml; action=\"urn:a\"""#), "{text}");
        let package = super::super::Package::parse(&message.content_type, &message.body).unwrap();
        assert_eq!(package.root(), b"<e/>");
        assert_eq!(package.attachments().get(&attachments.content_id(0)), Some(&b"\r\n--"[..]));
    }
}
