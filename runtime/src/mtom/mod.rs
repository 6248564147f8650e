//! MTOM/XOP attachments (the `mtom` feature): `xs:base64Binary` values carried as raw
//! bytes in parts of a `multipart/related` message rather than as base64 text in the
//! envelope (W3C SOAP Message Transmission Optimization Mechanism, XML-binary Optimized
//! Packaging).
//!
//! **Reading** is transparent: [`client::decode`](crate::client::decode) (so every generated
//! client) reads a response whose `Content-Type` is `multipart/related` as its root part
//! (the `start` parameter's Content-ID, else the first part), and a [`Base64Binary`] element
//! holding `<xop:Include href="cid:..."/>` takes that part's bytes. Parts are slices of the
//! response body, so the bytes are copied once, into the value; only a part sent as
//! `Content-Transfer-Encoding: base64` is decoded first. [`Package`] and
//! [`XmlReader::with_attachments`] do the same for a body from elsewhere (a server's request).
//! A malformed package, a part an Include names that is not there, or an Include in a message
//! that is not a package is a [`DecodeError`] of kind [`DecodeErrorKind::Attachment`].
//! Positions inside the envelope count from the start of the root part.
//!
//! **Sending** is per client: [`Mtom`] in [`ClientConfig::mtom`](crate::ClientConfig) or
//! [`SoapClient::with_mtom`](crate::SoapClient::with_mtom). Every request then goes out as
//! `multipart/related; type="application/xop+xml"`, and each `Base64Binary` of at least
//! [`Mtom::threshold`] bytes (1 KiB by default) is written as an xop:Include whose bytes
//! follow as a part of their own; smaller ones stay inline as base64, which XOP allows.
//! Without MTOM the request is what it always was, byte for byte.

mod multipart;
mod outgoing;

use std::borrow::Cow;
use std::collections::HashMap;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::soap::{self, BodyLayout, Fault, Headers};
use crate::xml::{Base64Binary, Element, FromXml, XmlReader};

pub use outgoing::OutgoingMessage;
pub(crate) use outgoing::{package, package_request, write_attachment, OutgoingAttachments};

/// The XOP namespace of `xop:Include`.
pub const XOP_NAMESPACE: &str = "http://www.w3.org/2004/08/xop/include";

/// Sending requests as MTOM: which `Base64Binary` values become attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mtom {
    /// Values of at least this many bytes are sent as attachments, smaller ones inline. The
    /// default, 1024, is about where a part's MIME headers and the Include (some 250 bytes)
    /// cost less than base64's third; 0 attaches every value, for services that look for
    /// an Include wherever they expect binary data.
    pub threshold: usize,
}

impl Mtom {
    /// Every `Base64Binary` value, even an empty one, as an attachment.
    pub const fn all() -> Self {
        Self { threshold: 0 }
    }
}

impl Default for Mtom {
    fn default() -> Self {
        Self { threshold: 1024 }
    }
}

/// Whether `content_type` is `multipart/related` (any case, any parameters).
pub fn is_multipart_related(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("multipart/related")
}

/// The parts of a package other than the root, by Content-ID (without angle brackets).
#[derive(Debug, Clone, Default)]
pub struct Attachments<'a> {
    parts: HashMap<String, Cow<'a, [u8]>>,
}

impl<'a> Attachments<'a> {
    /// The content of the part with this Content-ID (no angle brackets).
    pub fn get(&self, content_id: &str) -> Option<&[u8]> {
        self.parts.get(content_id).map(|bytes| &**bytes)
    }

    pub fn len(&self) -> usize {
        self.parts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// A `multipart/related` message read: its root part and the others.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    root: Cow<'a, [u8]>,
    attachments: Attachments<'a>,
}

impl<'a> Package<'a> {
    /// Reads `body`, sent with `content_type` (which must be `multipart/related` and name
    /// its boundary). Errors are located in `body`.
    pub fn parse(content_type: &str, body: &'a [u8]) -> Result<Self, DecodeError> {
        let error = |offset: usize, message: String| {
            DecodeError::new(DecodeErrorKind::Attachment(message), crate::xml::line_column(body, offset))
        };
        let media = multipart::MediaType::parse(content_type)
            .ok_or_else(|| error(0, format!("the Content-Type `{content_type}` is malformed")))?;
        if media.essence != "multipart/related" {
            return Err(error(0, format!("the Content-Type `{}` is not multipart/related", media.essence)));
        }
        let boundary = media
            .parameter("boundary")
            .ok_or_else(|| error(0, "the multipart/related Content-Type names no boundary".into()))?;
        let parts = multipart::parts(body, boundary).map_err(|e| error(e.offset, e.message))?;
        let start = media.parameter("start").map(multipart::without_angle_brackets);
        let root_index = match start {
            None => 0,
            Some(start) => {
                parts.iter().position(|part| part.content_id.as_deref() == Some(start)).ok_or_else(|| {
                    error(0, format!("no part has the Content-ID <{start}> that the start parameter names"))
                })?
            }
        };
        let mut root = None;
        let mut attachments = Attachments::default();
        for (index, part) in parts.into_iter().enumerate() {
            match (index == root_index, part.content_id) {
                (true, _) => root = Some(part.content),
                (false, Some(id)) => {
                    attachments.parts.entry(id).or_insert(part.content);
                }
                (false, None) => {}
            }
        }
        let root = root.ok_or_else(|| error(body.len(), "the multipart body holds no part".into()))?;
        Ok(Self { root, attachments })
    }

    /// The root part's content: the SOAP envelope.
    pub fn root(&self) -> &[u8] {
        &self.root
    }

    pub fn attachments(&self) -> &Attachments<'a> {
        &self.attachments
    }
}

/// Reads a response package as [`soap::decode_response_with_headers`] reads an envelope
/// (or [`soap::decode_encoded_response`] when `encoded`), Includes resolved.
pub fn decode_response<T: FromXml>(
    package: &Package<'_>,
    layout: BodyLayout<'_>,
    encoded: bool,
) -> Result<(Result<T, Fault>, Headers), DecodeError> {
    let inlined = match encoded {
        true => soap::inline_multi_refs(package.root())?,
        false => None,
    };
    let input = inlined.as_deref().unwrap_or(package.root());
    soap::decode_with_reader(XmlReader::with_attachments(input, package.attachments()), input, layout)
}

/// The Content-ID a `cid:` URL names (RFC 2392: the ID percent-encoded, no angle brackets).
fn content_id_of(href: &str) -> Option<String> {
    let encoded = href.get(..4).filter(|scheme| scheme.eq_ignore_ascii_case("cid:")).map(|_| &href[4..])?;
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        match (byte, after) {
            (b'%', [high, low, tail @ ..]) => {
                let hex = std::str::from_utf8(&[*high, *low]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())?;
                bytes.push(hex);
                rest = tail;
            }
            (b'%', _) => return None,
            _ => {
                bytes.push(byte);
                rest = after;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// `Base64Binary`'s reader with the feature on: an Include's part when the reader has
/// attachments and the content starts with markup, else the base64 text as always.
pub(crate) fn read_base64_binary<'a>(
    r: &mut XmlReader<'a>,
    element: &Element<'a>,
) -> Result<Base64Binary, DecodeError> {
    let Some(attachments) = r.attachments() else {
        return r
            .read_simple(element)
            .map_err(|e| explain_include(e, "an xop:Include in a message that is not MTOM (multipart/related)"));
    };
    if element.is_empty() || !r.content_starts_with_markup() {
        return r.read_simple(element).map_err(|e| explain_include(e, NOT_BOTH));
    }
    let (href, offset) = r.read_include(element)?;
    let attachment = |kind| r.error_at_offset(offset, kind);
    let Some(content_id) = content_id_of(&href) else {
        let message = format!("the xop:Include href `{href}` is not a cid: URL");
        return Err(attachment(DecodeErrorKind::Attachment(message)));
    };
    match attachments.get(&content_id) {
        Some(bytes) => Ok(Base64Binary(bytes.to_vec())),
        None => {
            let message = format!("the xop:Include names the part <{content_id}>, which the package does not hold");
            Err(attachment(DecodeErrorKind::Attachment(message)))
        }
    }
}

/// What a base64Binary element of a package may hold.
pub(crate) const NOT_BOTH: &str = "a base64Binary element holds base64 text or one xop:Include, nothing else";

/// An Include read as base64 text (in a response that is not a package, or after text)
/// fails as an invalid value: say `message` instead. Only on the error path.
#[cold]
fn explain_include(error: DecodeError, message: &str) -> DecodeError {
    match error.kind() {
        DecodeErrorKind::InvalidValue { value, .. } if value.contains("Include") => {
            error.with_kind(DecodeErrorKind::Attachment(message.to_owned()))
        }
        _ => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cid_urls_are_percent_decoded_content_ids() {
        assert_eq!(content_id_of("cid:foo4%25bar1@bar.net").as_deref(), Some("foo4%bar1@bar.net"));
        assert_eq!(content_id_of("CID:http://example.org/me.png").as_deref(), Some("http://example.org/me.png"));
        assert_eq!(content_id_of("cid:a%2"), None);
        assert_eq!(content_id_of("cid:a%zz"), None);
        assert_eq!(content_id_of("http://x/"), None);
        assert!(is_multipart_related("Multipart/Related ; boundary=x") && !is_multipart_related("text/xml"));
    }
}
