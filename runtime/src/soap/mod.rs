//! SOAP 1.1 and 1.2 envelopes: writing requests and responses, reading responses and faults.

mod fault;
mod multiref;

use fault::read_fault;
pub use fault::Fault;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter, XSI_NAMESPACE};

/// The SOAP 1.1 envelope namespace.
pub const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.2 envelope namespace.
pub const ENVELOPE_NAMESPACE_12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The SOAP version of a binding: it decides the envelope namespace, the HTTP headers and
/// the shape of a Fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml` with a `SOAPAction` header; faults are `faultcode`/`faultstring`.
    #[default]
    Soap11,
    /// SOAP 1.2: `application/soap+xml` with the action as a media type parameter; faults
    /// are `Code`/`Reason`.
    Soap12,
}

impl SoapVersion {
    pub const fn envelope_namespace(self) -> &'static str {
        match self {
            Self::Soap11 => ENVELOPE_NAMESPACE,
            Self::Soap12 => ENVELOPE_NAMESPACE_12,
        }
    }

    /// The fault code for a request at fault: `Client` in 1.1, `Sender` in 1.2.
    pub const fn client_code(self) -> &'static str {
        match self {
            Self::Soap11 => "SOAP-ENV:Client",
            Self::Soap12 => "SOAP-ENV:Sender",
        }
    }

    /// The fault code for a server at fault: `Server` in 1.1, `Receiver` in 1.2.
    pub const fn server_code(self) -> &'static str {
        match self {
            Self::Soap11 => "SOAP-ENV:Server",
            Self::Soap12 => "SOAP-ENV:Receiver",
        }
    }
}

/// How an envelope is written: the SOAP version and the namespaces it declares (the service
/// namespace as `ns1`, `extra` as `ns2`, `ns3`, ...).
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    pub version: SoapVersion,
    pub namespace: &'a str,
    pub extra: &'a [&'a str],
}

impl<'a> Envelope<'a> {
    /// A SOAP 1.1 envelope declaring only the service namespace.
    pub fn soap11(namespace: &'a str) -> Self {
        Self { version: SoapVersion::Soap11, namespace, extra: &[] }
    }
}

/// Where a message's value sits in the SOAP Body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLayout<'a> {
    /// The value is the one Body element so named (document/literal with one part, or the
    /// wrapper element of an RPC message); matched by its local name when read.
    Element(&'a str),
    /// The value is the Body's whole content, its parts' elements in order (document style
    /// with zero or several parts): it is written and read as the Body element itself.
    Parts,
}

/// A SOAP header block: the element's local name (it is qualified with the service
/// namespace; a name with a prefix, `ns2:Security`, is written as it is) and its value.
#[derive(Clone, Copy)]
pub struct HeaderBlock<'h> {
    pub name: &'h str,
    pub value: &'h (dyn ToXml + Sync),
}

/// Writes a complete SOAP 1.1 request envelope: the header blocks in order (a client's
/// signed header is the first), and `body` as the qualified element `body_element`. A value
/// holding a character XML 1.0 cannot carry is an error naming its element.
pub fn encode_request<B: ToXml + ?Sized>(
    namespace: &str,
    headers: &[HeaderBlock<'_>],
    body_element: &str,
    body: &B,
) -> Result<Vec<u8>, EncodeError> {
    write_request(&Envelope::soap11(namespace), headers, BodyLayout::Element(body_element), body, 1024).finish()
}

/// The request envelope in a writer of `capacity` bytes to start with, for the caller to
/// finish or take as written.
pub(crate) fn write_request<B: ToXml + ?Sized>(
    envelope: &Envelope<'_>,
    headers: &[HeaderBlock<'_>],
    layout: BodyLayout<'_>,
    body: &B,
    capacity: usize,
) -> XmlWriter {
    write_request_in(XmlWriter::with_capacity(capacity), envelope, headers, layout, body)
}

/// [`write_request`] into a writer of the caller's (one that gathers MTOM attachments, say).
pub(crate) fn write_request_in<B: ToXml + ?Sized>(
    mut w: XmlWriter,
    envelope: &Envelope<'_>,
    headers: &[HeaderBlock<'_>],
    layout: BodyLayout<'_>,
    body: &B,
) -> XmlWriter {
    start_envelope(&mut w, envelope);
    if !headers.is_empty() {
        w.raw("<SOAP-ENV:Header>");
        for header in headers {
            header.value.write_xml(&mut w, &qualified(header.name));
        }
        w.raw("</SOAP-ENV:Header>");
    }
    write_body(&mut w, layout, body);
    w
}

/// Writes a SOAP 1.1 response envelope holding `body` as the qualified element
/// `body_element` (the server side of an operation); an error as for [`encode_request`].
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
    let envelope = Envelope { version: SoapVersion::Soap11, namespace, extra };
    encode_response_as(&envelope, BodyLayout::Element(body_element), body)
}

/// A response envelope of any version and body layout.
pub fn encode_response_as<B: ToXml + ?Sized>(
    envelope: &Envelope<'_>,
    layout: BodyLayout<'_>,
    body: &B,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = XmlWriter::with_capacity(1024);
    start_envelope(&mut w, envelope);
    write_body(&mut w, layout, body);
    w.finish()
}

fn start_envelope(w: &mut XmlWriter, envelope: &Envelope<'_>) {
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    w.raw(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV=""#);
    w.raw(envelope.version.envelope_namespace());
    w.raw(r#"" xmlns:"#);
    w.raw(XmlWriter::TNS_PREFIX);
    w.raw(r#"=""#);
    w.text(envelope.namespace);
    for (index, uri) in envelope.extra.iter().enumerate() {
        w.raw(&format!("\" xmlns:ns{}=\"", index + 2));
        w.text(uri);
    }
    w.raw(r#"" xmlns:xsi=""#);
    w.raw(XSI_NAMESPACE);
    w.raw(r#"">"#);
}

fn write_body<B: ToXml + ?Sized>(w: &mut XmlWriter, layout: BodyLayout<'_>, body: &B) {
    match layout {
        BodyLayout::Element(element) => {
            w.raw("<SOAP-ENV:Body>");
            body.write_xml(w, &qualified(element));
            w.raw("</SOAP-ENV:Body>");
        }
        BodyLayout::Parts => body.write_xml(w, "SOAP-ENV:Body"),
    }
    w.raw("</SOAP-ENV:Envelope>");
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
    decode_response_as(input, BodyLayout::Element(expected))
}

/// [`decode_response`] for any body layout. A SOAP 1.1 or 1.2 envelope is read alike (by
/// local names), and so is a Fault of either shape.
pub fn decode_response_as<T: FromXml>(input: &[u8], layout: BodyLayout<'_>) -> Result<Result<T, Fault>, DecodeError> {
    decode_response_with_headers(input, layout).map(|(result, _)| result)
}

/// [`decode_response_as`], with the response's SOAP header blocks as sent.
pub fn decode_response_with_headers<T: FromXml>(
    input: &[u8],
    layout: BodyLayout<'_>,
) -> Result<(Result<T, Fault>, Headers), DecodeError> {
    decode_with_reader(XmlReader::new(input), input, layout)
}

/// [`decode_response_with_headers`] with a reader of the caller's over `input` (one with an
/// MTOM package's attachments, say).
pub(crate) fn decode_with_reader<'a, T: FromXml>(
    mut r: XmlReader<'a>,
    input: &'a [u8],
    layout: BodyLayout<'_>,
) -> Result<(Result<T, Fault>, Headers), DecodeError> {
    let root = r.root()?;
    let mut headers = Headers::default();
    let result = match (root.local_name(), layout) {
        (b"Envelope", _) => read_envelope_body(&mut r, &root, layout, input, &mut headers)?,
        (b"Fault", _) => Err(read_fault(&mut r, &root)?),
        (name, BodyLayout::Element(expected)) if name == local_part(expected).as_bytes() => Ok(r.read(&root)?),
        _ => {
            let found = root.name();
            return Err(r.error(&root, DecodeErrorKind::UnexpectedElement { expected: "Envelope".into(), found }));
        }
    };
    r.finish()?;
    Ok((result, headers))
}

/// [`decode_response_with_headers`] for a SOAP-encoded (`use="encoded"`) response: values
/// sent once and referenced (`href="#id"`, SOAP 1.1 section 5) are first put where they
/// are used, so the literal readers see one tree.
pub fn decode_encoded_response<T: FromXml>(
    input: &[u8],
    layout: BodyLayout<'_>,
) -> Result<(Result<T, Fault>, Headers), DecodeError> {
    match inline_multi_refs(input)? {
        Some(inlined) => decode_response_with_headers(&inlined, layout),
        None => decode_response_with_headers(input, layout),
    }
}

/// `input` with each multi-reference value where it is used, or `None` when it has none.
pub(crate) fn inline_multi_refs(input: &[u8]) -> Result<Option<Vec<u8>>, DecodeError> {
    multiref::inline(input)
}

/// SOAP header blocks as sent: each block's local name and its XML.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    pub blocks: Vec<(String, String)>,
}

impl Headers {
    /// Decodes the first block whose local name is `name`, if there is one.
    pub fn get<T: FromXml>(&self, name: &str) -> Option<Result<T, DecodeError>> {
        let (_, xml) = self.blocks.iter().find(|(n, _)| n == local_part(name))?;
        let mut r = XmlReader::new(xml.as_bytes());
        Some(r.root().and_then(|root| r.read(&root)))
    }
}

fn read_envelope_body<'a, T: FromXml>(
    r: &mut XmlReader<'a>,
    envelope: &Element<'a>,
    layout: BodyLayout<'_>,
    input: &'a [u8],
    headers: &mut Headers,
) -> Result<Result<T, Fault>, DecodeError> {
    let mut result = None;
    while let Some(child) = r.next_child(envelope)? {
        match child.local_name() {
            b"Header" => {
                while let Some(block) = r.next_child(&child)? {
                    let xml = r.read_outer_xml(&block)?.to_owned();
                    headers.blocks.push((block.name(), xml));
                }
            }
            b"Body" if result.is_none() => {
                let read = match layout {
                    BodyLayout::Element(expected) => read_body(r, &child, expected),
                    BodyLayout::Parts if body_holds_fault(input) => read_body::<T>(r, &child, "Fault"),
                    BodyLayout::Parts => r.read::<T>(&child).map(Ok),
                };
                result = Some(read.map_err(|e| e.within("Body").within("Envelope"))?);
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

/// Whether the Body's first element is a Fault: a body of parts is read as one value, so
/// this is looked at first, by a reader of its own (a malformed document is reported by the
/// reader that reads it).
fn body_holds_fault(input: &[u8]) -> bool {
    let mut r = XmlReader::new(input);
    let mut first_in_body = || -> Result<bool, DecodeError> {
        let envelope = r.root()?;
        while let Some(child) = r.next_child(&envelope)? {
            if child.local_name() == b"Body" {
                return Ok(r.next_child(&child)?.is_some_and(|first| first.local_name() == b"Fault"));
            }
            r.skip(&child)?;
        }
        Ok(false)
    };
    first_in_body().unwrap_or(false)
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
        let envelope = Envelope { version: SoapVersion::Soap11, namespace: "urn:a", extra: &["urn:b", "urn:c"] };
        let bytes = write_request(&envelope, &headers, BodyLayout::Element("ns3:op"), &body, 0).finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#"xmlns:ns1="urn:a" xmlns:ns2="urn:b" xmlns:ns3="urn:c""#), "{text}");
        assert!(text.contains("<ns2:Security>x</ns2:Security><ns1:Plain>x</ns1:Plain>"), "{text}");
        assert!(text.contains("<SOAP-ENV:Body><ns3:op>x</ns3:op>"), "{text}");
        // A response element named with a prefix is matched by its local name.
        let answer = encode_response_in("urn:a", &["urn:b"], "ns2:answer", "y").unwrap();
        assert_eq!(decode_response::<String>(&answer, "ns2:answer").unwrap().unwrap(), "y");
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    /// The fault of SOAP 1.2 Part 1, section 5.4.7 (example 4), written out by hand: a
    /// `Sender` fault with a subcode, a reason in English and a detail element.
    const SOAP12_FAULT: &str = r#"<?xml version="1.0" ?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
              xmlns:m="http://www.example.org/timeouts"
              xmlns:xml="http://www.w3.org/XML/1998/namespace">
 <env:Body>
  <env:Fault>
   <env:Code>
     <env:Value>env:Sender</env:Value>
     <env:Subcode>
      <env:Value>m:MessageTimeout</env:Value>
     </env:Subcode>
   </env:Code>
   <env:Reason>
     <env:Text xml:lang="en">Sender Timeout</env:Text>
   </env:Reason>
   <env:Detail>
     <m:MaxTime>P5M</m:MaxTime>
   </env:Detail>
  </env:Fault>
 </env:Body>
</env:Envelope>"#;

    #[test]
    fn a_soap12_fault_is_read_by_its_code_reason_and_detail() {
        let fault = decode_response::<String>(SOAP12_FAULT.as_bytes(), "x").unwrap().unwrap_err();
        assert_eq!(fault.code, "env:Sender");
        assert_eq!(fault.subcode.as_deref(), Some("m:MessageTimeout"));
        assert_eq!(fault.message, "Sender Timeout");
        assert_eq!(fault.detail.as_deref().map(str::trim), Some("<m:MaxTime>P5M</m:MaxTime>"));
        assert_eq!(fault.detail_element::<String>("MaxTime").unwrap().unwrap(), "P5M");
        assert!(fault.detail_element::<String>("Other").is_none());
    }

    #[test]
    fn soap12_fault_envelopes_round_trip_in_the_12_shape() {
        let fault = Fault {
            subcode: Some("m:MessageTimeout".into()),
            actor: Some("urn:role".into()),
            detail: Some("<m:MaxTime xmlns:m=\"urn:m\">P5M</m:MaxTime>".into()),
            ..Fault::new("SOAP-ENV:Sender", "late & slow")
        };
        let bytes = fault.to_envelope_as(SoapVersion::Soap12);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(ENVELOPE_NAMESPACE_12), "{text}");
        assert!(
            text.contains("<SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value><SOAP-ENV:Subcode>"),
            "{text}"
        );
        assert!(text.contains(r#"<SOAP-ENV:Text xml:lang="en">late &amp; slow</SOAP-ENV:Text>"#), "{text}");
        assert!(!text.contains("faultcode"), "{text}");
        assert_eq!(decode_response::<String>(&bytes, "x").unwrap().unwrap_err(), fault);
    }

    #[test]
    fn a_soap12_fault_without_reason_names_reason() {
        let doc = br#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code></e:Fault></e:Body></e:Envelope>"#;
        let err = decode_response::<String>(doc, "x").unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::MissingElement { element: "Reason".into() });
    }

    #[test]
    fn a_typed_detail_is_read_from_a_real_marketo_fault() {
        struct Code(String);
        impl FromXml for Code {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                let mut code = None;
                while let Some(child) = r.next_child(element)? {
                    match child.local_name() {
                        b"code" => code = Some(r.read::<String>(&child)?),
                        _ => r.skip(&child)?,
                    }
                }
                r.required(code, "code", element).map(Code)
            }
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/examples/authentication-signature/response-failure-invalid-credentials.xml"
        );
        let fault = decode_response::<String>(&std::fs::read(path).unwrap(), "x").unwrap().unwrap_err();
        assert_eq!(fault.detail_element::<Code>("serviceException").unwrap().unwrap().0, "20014");
        // A detail element that does not match the type is an error, not a silent `None`.
        let broken = Fault { detail: Some("<serviceException><name>x</name></serviceException>".into()), ..fault };
        let err = broken.detail_element::<Code>("ns1:serviceException").unwrap().err().unwrap();
        assert_eq!(err.kind(), &DecodeErrorKind::MissingElement { element: "code".into() });
    }

    /// Two parts straight in the Body, as a document/literal message of several parts is.
    #[derive(Debug, PartialEq)]
    struct TwoParts {
        a: String,
        b: String,
    }

    impl ToXml for TwoParts {
        fn write_xml(&self, w: &mut XmlWriter, name: &str) {
            w.start(name);
            w.text_element("ns1:a", &self.a);
            w.text_element("ns1:b", &self.b);
            w.end(name);
        }
    }

    impl FromXml for TwoParts {
        fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
            let (mut a, mut b) = (None, None);
            while let Some(child) = r.next_child(element)? {
                match child.local_name() {
                    b"a" => a = Some(r.read(&child)?),
                    b"b" => b = Some(r.read(&child)?),
                    _ => r.skip(&child)?,
                }
            }
            Ok(Self { a: r.required(a, "a", element)?, b: r.required(b, "b", element)? })
        }
    }

    #[test]
    fn a_body_of_parts_is_written_and_read_as_the_body_itself() {
        let value = TwoParts { a: "1".into(), b: "2".into() };
        let envelope = Envelope { version: SoapVersion::Soap12, namespace: "urn:p", extra: &[] };
        let bytes = encode_response_as(&envelope, BodyLayout::Parts, &value).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(ENVELOPE_NAMESPACE_12), "{text}");
        assert!(
            text.ends_with("<SOAP-ENV:Body><ns1:a>1</ns1:a><ns1:b>2</ns1:b></SOAP-ENV:Body></SOAP-ENV:Envelope>"),
            "{text}"
        );
        assert_eq!(decode_response_as::<TwoParts>(&bytes, BodyLayout::Parts).unwrap().unwrap(), value);
        // No parts: an empty Body, and `()` reads it.
        let empty = encode_response_as(&Envelope::soap11("urn:p"), BodyLayout::Parts, &()).unwrap();
        assert!(String::from_utf8_lossy(&empty).contains("<SOAP-ENV:Body></SOAP-ENV:Body>"));
        decode_response_as::<()>(&empty, BodyLayout::Parts).unwrap().unwrap();
        // A fault in a body of parts is a fault, not a value missing its parts.
        let fault = Fault::new("SOAP-ENV:Server", "no").to_envelope();
        assert_eq!(decode_response_as::<TwoParts>(&fault, BodyLayout::Parts).unwrap().unwrap_err().message, "no");
    }
}
