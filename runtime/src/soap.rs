//! SOAP 1.1 envelopes: writing requests and responses, reading responses and faults.

use std::fmt;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter, XSI_NAMESPACE};

pub const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// A SOAP header block: the element's local name (it is qualified with the service
/// namespace; a name with a prefix, `ns2:Security`, is written as it is) and its value.
#[derive(Clone, Copy)]
pub struct HeaderBlock<'h> {
    pub name: &'h str,
    pub value: &'h (dyn ToXml + Sync),
}

/// Writes a complete request envelope: the header blocks in order (a client's signed
/// header is the first), and `body` as the qualified element `body_element`. A value
/// holding a character XML 1.0 cannot carry is an error naming its element.
pub fn encode_request<B: ToXml + ?Sized>(
    namespace: &str,
    headers: &[HeaderBlock<'_>],
    body_element: &str,
    body: &B,
) -> Result<Vec<u8>, EncodeError> {
    write_request(namespace, &[], headers, body_element, body).finish()
}

/// The request envelope in a writer, for the caller to finish or take as written.
/// `extra` are the further namespaces the message uses, bound to `ns2`, `ns3`, ...
pub(crate) fn write_request<B: ToXml + ?Sized>(
    namespace: &str,
    extra: &[&str],
    headers: &[HeaderBlock<'_>],
    body_element: &str,
    body: &B,
) -> XmlWriter {
    let mut w = XmlWriter::with_capacity(1024);
    start_envelope(&mut w, namespace, extra);
    if !headers.is_empty() {
        w.raw("<SOAP-ENV:Header>");
        for header in headers {
            header.value.write_xml(&mut w, &qualified(header.name));
        }
        w.raw("</SOAP-ENV:Header>");
    }
    write_body(&mut w, body_element, body);
    w
}

/// Writes a response envelope holding `body` as the qualified element `body_element`
/// (the server side of an operation); an error as for [`encode_request`].
pub fn encode_response<B: ToXml + ?Sized>(
    namespace: &str,
    body_element: &str,
    body: &B,
) -> Result<Vec<u8>, EncodeError> {
    encode_response_in(namespace, &[], body_element, body)
}

/// [`encode_response`] for a message that also uses the namespaces `extra` (`ns2`, ...).
pub fn encode_response_in<B: ToXml + ?Sized>(
    namespace: &str,
    extra: &[&str],
    body_element: &str,
    body: &B,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = XmlWriter::with_capacity(1024);
    start_envelope(&mut w, namespace, extra);
    write_body(&mut w, body_element, body);
    w.finish()
}

fn start_envelope(w: &mut XmlWriter, namespace: &str, extra: &[&str]) {
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    w.raw(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV=""#);
    w.raw(ENVELOPE_NAMESPACE);
    w.raw(r#"" xmlns:"#);
    w.raw(XmlWriter::TNS_PREFIX);
    w.raw(r#"=""#);
    w.text(namespace);
    for (index, uri) in extra.iter().enumerate() {
        w.raw(&format!("\" xmlns:ns{}=\"", index + 2));
        w.text(uri);
    }
    w.raw(r#"" xmlns:xsi=""#);
    w.raw(XSI_NAMESPACE);
    w.raw(r#"">"#);
}

fn write_body<B: ToXml + ?Sized>(w: &mut XmlWriter, body_element: &str, body: &B) {
    w.raw("<SOAP-ENV:Body>");
    body.write_xml(w, &qualified(body_element));
    w.raw("</SOAP-ENV:Body></SOAP-ENV:Envelope>");
}

/// The service prefix on a local name; a name that has a prefix already is kept.
fn qualified(name: &str) -> String {
    match name.contains(':') {
        true => name.to_owned(),
        false => format!("{}:{name}", XmlWriter::TNS_PREFIX),
    }
}

/// The local part of `prefix:local`, as elements are matched when read.
pub(crate) fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// Reads a response: the element `expected` inside the SOAP Body (or, as some services'
/// documentation shows, on its own without an envelope), or a SOAP Fault. Unknown header
/// blocks are skipped; the whole document must be well-formed.
pub fn decode_response<T: FromXml>(input: &[u8], expected: &str) -> Result<Result<T, Fault>, DecodeError> {
    let mut r = XmlReader::new(input);
    let root = r.root()?;
    let result = match root.local_name() {
        b"Envelope" => read_envelope_body(&mut r, &root, expected)?,
        name if name == local_part(expected).as_bytes() => Ok(r.read(&root)?),
        b"Fault" => Err(read_fault(&mut r, &root)?),
        _ => {
            let found = root.name();
            return Err(r.error(&root, DecodeErrorKind::UnexpectedElement { expected: "Envelope".into(), found }));
        }
    };
    r.finish()?;
    Ok(result)
}

fn read_envelope_body<'a, T: FromXml>(
    r: &mut XmlReader<'a>,
    envelope: &Element<'a>,
    expected: &str,
) -> Result<Result<T, Fault>, DecodeError> {
    let mut result = None;
    while let Some(child) = r.next_child(envelope)? {
        match child.local_name() {
            b"Header" => r.skip(&child)?,
            b"Body" if result.is_none() => {
                result = Some(read_body(r, &child, expected).map_err(|e| e.within("Body").within("Envelope"))?);
            }
            _ => {
                let found = child.name();
                return Err(r
                    .error(&child, DecodeErrorKind::UnexpectedElement { expected: "Body".into(), found })
                    .within("Envelope"));
            }
        }
    }
    r.required(result, "Body", envelope).map_err(|e| e.within("Envelope"))
}

fn read_body<'a, T: FromXml>(
    r: &mut XmlReader<'a>,
    body: &Element<'a>,
    expected: &str,
) -> Result<Result<T, Fault>, DecodeError> {
    let Some(first) = r.next_child(body)? else {
        return Err(r.error(body, DecodeErrorKind::MissingElement { element: expected.to_owned() }));
    };
    let result = match first.local_name() {
        b"Fault" => Err(read_fault(r, &first)?),
        name if name == local_part(expected).as_bytes() => Ok(r.read::<T>(&first)?),
        _ => {
            let found = first.name();
            return Err(r.error(&first, DecodeErrorKind::UnexpectedElement { expected: expected.to_owned(), found }));
        }
    };
    // Further body blocks carry nothing this operation defines.
    while let Some(extra) = r.next_child(body)? {
        r.skip(&extra)?;
    }
    Ok(result)
}

/// A SOAP 1.1 Fault. What `detail` holds is the service's business: it is kept as sent, for
/// a service layer to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode`, such as `SOAP-ENV:Client`.
    pub code: String,
    /// `faultstring`, the human-readable explanation.
    pub message: String,
    pub actor: Option<String>,
    /// The inner XML of `<detail>`, verbatim (markup, prefixes and escapes as sent), when
    /// the fault has one.
    pub detail: Option<String>,
}

impl Fault {
    /// A fault with `faultcode` `code` and `faultstring` `message`, no actor and no detail.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), actor: None, detail: None }
    }

    /// The complete fault envelope, as a server sends it. `detail` is written as it is, so it
    /// must be well-formed XML content. A character XML cannot carry in the code, message or
    /// actor is written as U+FFFD: a fault is an explanation, and must reach the client.
    pub fn to_envelope(&self) -> Vec<u8> {
        let mut w = XmlWriter::with_capacity(640);
        w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        w.raw(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV=""#);
        w.raw(ENVELOPE_NAMESPACE);
        w.raw(r#""><SOAP-ENV:Body><SOAP-ENV:Fault>"#);
        w.text_element("faultcode", &self.code);
        w.text_element("faultstring", &self.message);
        if let Some(actor) = &self.actor {
            w.text_element("faultactor", actor);
        }
        if let Some(detail) = &self.detail {
            w.raw("<detail>");
            w.raw(detail);
            w.raw("</detail>");
        }
        w.raw("</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
        w.into_bytes()
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.message)
    }
}

impl std::error::Error for Fault {}

/// Reads the `Fault` element `element`, keeping the inner XML of its `detail`.
fn read_fault<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Fault, DecodeError> {
    read_fault_fields(r, element).map_err(|e| e.within(&element.name()))
}

fn read_fault_fields<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Fault, DecodeError> {
    let (mut code, mut message, mut actor, mut detail) = (None, None, None, None);
    while let Some(child) = r.next_child(element)? {
        match child.local_name() {
            b"faultcode" => code = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"faultstring" => message = Some(r.read::<String>(&child)?),
            b"faultactor" => actor = Some(r.read::<String>(&child)?),
            b"detail" if detail.is_none() => detail = Some(r.read_inner_xml(&child)?.to_owned()),
            _ => r.skip(&child)?,
        }
    }
    Ok(Fault {
        code: r.required(code, "faultcode", element)?,
        message: r.required(message, "faultstring", element)?,
        actor,
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/examples");

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(format!("{SHARED}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn reads_a_fault_and_keeps_its_detail_verbatim() {
        let input = example("authentication-signature/response-failure-invalid-credentials.xml");
        let fault = decode_response::<String>(&input, "successGetLeadActivity").unwrap().unwrap_err();
        assert_eq!(fault.code, "SOAP-ENV:Client");
        assert!(fault.message.ends_with(" - Authentication failed"), "{fault}");
        assert_eq!(fault.actor, None);
        let detail = fault.detail.as_deref().unwrap();
        let text = String::from_utf8_lossy(&input);
        assert!(text.contains(&format!("<detail>{detail}</detail>")), "{detail}");
        assert!(detail.trim_start().starts_with("<ns1:serviceException"), "{detail}");
    }

    #[test]
    fn fault_envelopes_round_trip() {
        let detail = r#"<x:info xmlns:x="urn:x">a &amp; b<y/></x:info> tail"#;
        let faults = [
            Fault::new("SOAP-ENV:Server", "out of <order> & more"),
            Fault {
                actor: Some("urn:actor".into()),
                detail: Some(detail.into()),
                ..Fault::new("SOAP-ENV:Client", "x")
            },
            Fault { detail: Some(String::new()), ..Fault::new("SOAP-ENV:Client", "empty detail") },
        ];
        for fault in faults {
            let bytes = fault.to_envelope();
            let back = decode_response::<String>(&bytes, "x").unwrap().unwrap_err();
            assert_eq!(back, fault, "{}", String::from_utf8_lossy(&bytes));
        }
        let bare = br#"<Fault><faultcode> c </faultcode><faultstring>s</faultstring><detail/></Fault>"#;
        let fault = decode_response::<String>(bare, "x").unwrap().unwrap_err();
        assert_eq!((fault.code.as_str(), fault.detail.as_deref()), ("c", Some("")));
    }

    #[test]
    fn a_fault_without_faultstring_is_an_error_in_the_fault() {
        let doc = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><e:Fault><faultcode>c</faultcode></e:Fault></e:Body></e:Envelope>"#;
        let err = decode_response::<String>(doc, "x").unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::MissingElement { element: "faultstring".into() });
        assert_eq!(err.path(), ["Envelope", "Body", "Fault"]);
    }

    #[test]
    fn wrong_body_element_is_reported_with_its_name() {
        let doc = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><x:other xmlns:x="u"/></e:Body></e:Envelope>"#;
        let err = decode_response::<String>(doc, "successSyncLead").unwrap_err();
        assert_eq!(
            err.kind(),
            &DecodeErrorKind::UnexpectedElement { expected: "successSyncLead".into(), found: "other".into() }
        );
        assert_eq!(err.path(), ["Envelope", "Body"]);
    }

    #[test]
    fn a_byte_order_mark_and_a_utf8_declaration_in_any_case_change_nothing() {
        let input = example("authentication-signature/response-failure-invalid-credentials.xml");
        let expected = decode_response::<String>(&input, "x").unwrap().unwrap_err();
        assert_eq!(expected.message, "20014 - Authentication failed");
        let text = String::from_utf8(input).unwrap();
        let variants = [
            format!("\u{FEFF}{text}"),
            text.replace("\"UTF-8\"", "\"utf-8\""),
            format!("\u{FEFF}{}", text.replace("\"UTF-8\"", "'Utf-8'")),
        ];
        for variant in variants {
            let fault = decode_response::<String>(variant.as_bytes(), "x").unwrap().unwrap_err();
            assert_eq!(fault, expected, "{variant}");
        }
        // Positions count from after the mark, as they do without one.
        let with = decode_response::<String>("\u{FEFF}<a>\n<b></a>".as_bytes(), "a").unwrap_err();
        let without = decode_response::<String>("<a>\n<b></a>".as_bytes(), "a").unwrap_err();
        assert_eq!(with, without);
    }

    #[test]
    fn an_encoding_the_reader_cannot_read_is_an_error_naming_it() {
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xE9</a>";
        let utf16: Vec<u8> = "\u{FEFF}<a>x</a>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16_bare: Vec<u8> = "<a>x</a>".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let declared = br#"<?xml version="1.0" encoding="windows-1252"?><a>x</a>"#;
        let cases: [(&[u8], &str); 4] =
            [(latin, "ISO-8859-1"), (&utf16, "UTF-16LE"), (&utf16_bare, "UTF-16BE"), (declared, "windows-1252")];
        for (input, encoding) in cases {
            let err = decode_response::<String>(input, "a").unwrap_err();
            assert!(matches!(err.kind(), DecodeErrorKind::Malformed(_)), "{err}");
            assert!(err.to_string().contains(&format!("`{encoding}`")), "{err}");
        }
        let err = decode_response::<String>(b"<a>caf\xE9</a>", "a").unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn truncated_envelope_is_an_error_with_a_position() {
        let input = example("authentication-signature/response-success.xml");
        let err = decode_response::<String>(&input, "successGetLeadActivity").unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof), "{err}");
        assert_eq!((err.line(), err.column()), (52, 1), "{err}");
    }
}

#[cfg(test)]
mod namespace_tests {
    use super::*;

    #[test]
    fn further_namespaces_are_declared_and_prefixed_names_kept() {
        let body = String::from("x");
        let value = &body as &(dyn ToXml + Sync);
        let headers = [HeaderBlock { name: "ns2:Security", value }, HeaderBlock { name: "Plain", value }];
        let bytes = write_request("urn:a", &["urn:b", "urn:c"], &headers, "ns3:op", &body).finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#"xmlns:ns1="urn:a" xmlns:ns2="urn:b" xmlns:ns3="urn:c""#), "{text}");
        assert!(text.contains("<ns2:Security>x</ns2:Security><ns1:Plain>x</ns1:Plain>"), "{text}");
        assert!(text.contains("<SOAP-ENV:Body><ns3:op>x</ns3:op>"), "{text}");
        // A response element named with a prefix is matched by its local name.
        let answer = encode_response_in("urn:a", &["urn:b"], "ns2:answer", "y").unwrap();
        assert_eq!(decode_response::<String>(&answer, "ns2:answer").unwrap().unwrap(), "y");
    }
}
