//! The server side of a SOAP service: reading a request envelope (its header blocks and the
//! body element) and writing the answer. Generated crates build a typed dispatcher on top of
//! this.

use std::fmt;
use std::future::Future;

use crate::client::Operation;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::soap::{self, BodyLayout, Envelope, Fault, SoapVersion};
use crate::xml::{Element, FromXml, ToXml, XmlReader};

/// What a request carries besides its body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// The header blocks, in order: local name and the block's XML as sent.
    pub headers: Vec<(String, String)>,
    /// The local name of the body element, such as `paramsSyncMultipleLeads` (the first,
    /// when the Body holds several); empty for an empty Body (see
    /// [`read_request_allowing_empty_body`]).
    pub body_element: String,
}

impl RequestContext {
    /// Decodes the first header block `name`, if the request has one.
    pub fn header<T: FromXml>(&self, name: &str) -> Option<Result<T, DecodeError>> {
        let (_, xml) = self.headers.iter().find(|(n, _)| n == name)?;
        let mut r = XmlReader::new(xml.as_bytes());
        Some(r.root().and_then(|root| r.read(&root)))
    }
}

/// Why a request did not reach an operation. [`RequestError::to_fault`] makes a plain SOAP
/// 1.1 fault of it; a service can answer with its own fault instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// The message is not a SOAP envelope that can be read (malformed XML, no Envelope or
    /// no Body element, say).
    NotUnderstood(DecodeError),
    /// The body element `element` is an operation's, but its content cannot be read as that
    /// operation's input (malformed, or not what the schema says).
    InvalidBody { element: String, error: DecodeError },
    /// No operation takes the body element `element`.
    UnknownOperation { element: String },
    /// The operation exists but this server does not implement it.
    NotImplemented { operation: &'static str },
}

impl RequestError {
    /// A SOAP 1.1 fault without detail: `SOAP-ENV:Client` when the request is at fault,
    /// `SOAP-ENV:Server` for an operation the server does not implement; the faultstring is
    /// this error's `Display`.
    pub fn to_fault(&self) -> Fault {
        self.to_fault_as(SoapVersion::Soap11)
    }

    /// [`RequestError::to_fault`] with the codes of `version` (`Sender` and `Receiver` in
    /// SOAP 1.2).
    pub fn to_fault_as(&self, version: SoapVersion) -> Fault {
        let code = match self {
            Self::NotImplemented { .. } => version.server_code(),
            _ => version.client_code(),
        };
        Fault::new(code, self.to_string())
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotUnderstood(error) => write!(f, "the request is not a SOAP message this server can read: {error}"),
            Self::InvalidBody { element, error } => write!(f, "invalid <{element}>: {error}"),
            Self::UnknownOperation { element } if element.is_empty() => f.write_str("no operation takes an empty Body"),
            Self::UnknownOperation { element } => write!(f, "no operation takes <{element}>"),
            Self::NotImplemented { operation } => write!(f, "{operation} is not implemented by this server"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::NotUnderstood(error) | Self::InvalidBody { error, .. } => Some(error),
            Self::UnknownOperation { .. } | Self::NotImplemented { .. } => None,
        }
    }
}

/// A response to send: HTTP status and the SOAP envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    /// The success envelope; a `SOAP-ENV:Server` fault instead when a value holds a
    /// character XML 1.0 cannot carry, so that a malformed or changed answer is never sent.
    pub fn success<B: ToXml + ?Sized>(namespace: &str, body_element: &str, body: &B) -> Self {
        Self::success_in(namespace, &[], body_element, body)
    }

    /// [`Response::success`] for a message that also uses the namespaces `extra`.
    pub fn success_in<B: ToXml + ?Sized>(namespace: &str, extra: &[&str], body_element: &str, body: &B) -> Self {
        match soap::encode_response_in(namespace, extra, body_element, body) {
            Ok(body) => Self { status: 200, body },
            Err(e) => Self::fault(&Fault::new("SOAP-ENV:Server", format!("the answer cannot be written: {e}"))),
        }
    }

    /// The success envelope of any SOAP version and body layout; a server fault as for
    /// [`Response::success`].
    pub fn success_as<B: ToXml + ?Sized>(envelope: &Envelope<'_>, layout: BodyLayout<'_>, body: &B) -> Self {
        match soap::encode_response_as(envelope, layout, body) {
            Ok(body) => Self { status: 200, body },
            Err(e) => {
                let fault = Fault::new(envelope.version.server_code(), format!("the answer cannot be written: {e}"));
                Self::fault_as(envelope.version, &fault)
            }
        }
    }

    /// SOAP 1.1 sends faults with status 500.
    pub fn fault(fault: &Fault) -> Self {
        Self { status: 500, body: fault.to_envelope() }
    }

    /// A fault envelope of `version`, with status 500 (SOAP 1.2 also uses 500 for a
    /// `Receiver` fault; 400 for `Sender` is allowed, 500 is what clients expect).
    pub fn fault_as(version: SoapVersion, fault: &Fault) -> Self {
        Self { status: 500, body: fault.to_envelope_as(version) }
    }

    /// The answer to a one-way request: 202 Accepted with no body.
    pub fn accepted() -> Self {
        Self { status: 202, body: Vec::new() }
    }
}

/// Reads the envelope's header blocks and the name of its body element. An empty Body is
/// not understood (see [`read_request_allowing_empty_body`]).
pub fn read_request(input: &[u8]) -> Result<RequestContext, RequestError> {
    read_request_inner(input, false).map_err(RequestError::NotUnderstood)
}

/// [`read_request`] for a service with an operation whose input has no parts, whose
/// request is an empty Body (`body_element` is then empty).
pub fn read_request_allowing_empty_body(input: &[u8]) -> Result<RequestContext, RequestError> {
    read_request_inner(input, true).map_err(RequestError::NotUnderstood)
}

fn read_request_inner(input: &[u8], empty_body: bool) -> Result<RequestContext, DecodeError> {
    let mut r = XmlReader::new(input);
    let envelope = expect_envelope(&mut r)?;
    let mut context = RequestContext::default();
    while let Some(part) = r.next_child(&envelope)? {
        match part.local_name() {
            b"Header" => read_headers(&mut r, &part, &mut context)?,
            b"Body" => {
                match r.next_child(&part)? {
                    Some(body) => context.body_element = body.name(),
                    // The request of an operation whose input has no parts.
                    None if empty_body => {}
                    None => {
                        let element = "the operation element".into();
                        return Err(r.error(&part, DecodeErrorKind::MissingElement { element }));
                    }
                }
                return Ok(context);
            }
            _ => return Err(unexpected(&r, &part, "Body")),
        }
    }
    Err(r.error(&envelope, DecodeErrorKind::MissingElement { element: "Body".into() }))
}

fn read_headers<'a>(
    r: &mut XmlReader<'a>,
    header: &Element<'a>,
    context: &mut RequestContext,
) -> Result<(), DecodeError> {
    while let Some(block) = r.next_child(header)? {
        let xml = r.read_outer_xml(&block)?.to_owned();
        context.headers.push((block.name(), xml));
    }
    Ok(())
}

/// Decodes the body element of a request already checked by [`read_request`]. A body that
/// cannot be read as `T` is an [`RequestError::InvalidBody`] naming the element and position.
pub fn decode_body<T: FromXml>(input: &[u8], element: &str) -> Result<T, RequestError> {
    decode_body_as(input, BodyLayout::Element(element))
}

/// [`decode_body`] for any body layout: with [`BodyLayout::Parts`] the Body element itself
/// is read as `T`.
pub fn decode_body_as<T: FromXml>(input: &[u8], layout: BodyLayout<'_>) -> Result<T, RequestError> {
    let (result, element) = match layout {
        BodyLayout::Element(element) => (decode_body_inner(input, element), element),
        BodyLayout::Parts => (decode_parts(input), "Body"),
    };
    result.map_err(|error| RequestError::InvalidBody { element: element.to_owned(), error })
}

fn decode_parts<T: FromXml>(input: &[u8]) -> Result<T, DecodeError> {
    let mut r = XmlReader::new(input);
    let envelope = expect_envelope(&mut r)?;
    let mut value = None;
    while let Some(part) = r.next_child(&envelope)? {
        match part.local_name() {
            b"Body" if value.is_none() => value = Some(r.read::<T>(&part).map_err(|e| e.within("Envelope"))?),
            _ => r.skip(&part)?,
        }
    }
    let value = r.required(value, "Body", &envelope)?;
    r.finish()?;
    Ok(value)
}

fn decode_body_inner<T: FromXml>(input: &[u8], element: &str) -> Result<T, DecodeError> {
    let mut r = XmlReader::new(input);
    let envelope = expect_envelope(&mut r)?;
    let mut value = None;
    while let Some(part) = r.next_child(&envelope)? {
        if part.local_name() != b"Body" || value.is_some() {
            r.skip(&part)?;
            continue;
        }
        let body = r.next_child(&part)?;
        match body {
            Some(body) if body.local_name() == soap::local_part(element).as_bytes() => {
                value = Some(r.read::<T>(&body).map_err(|e| e.within("Body").within("Envelope"))?);
            }
            Some(other) => return Err(unexpected(&r, &other, element)),
            None => return Err(r.error(&part, DecodeErrorKind::MissingElement { element: element.to_owned() })),
        }
        while let Some(extra) = r.next_child(&part)? {
            r.skip(&extra)?;
        }
    }
    let value = r.required(value, "Body", &envelope)?;
    r.finish()?;
    Ok(value)
}

fn expect_envelope<'a>(r: &mut XmlReader<'a>) -> Result<Element<'a>, DecodeError> {
    let root = r.root()?;
    if root.local_name() != b"Envelope" {
        return Err(unexpected(r, &root, "Envelope"));
    }
    Ok(root)
}

fn unexpected(r: &XmlReader<'_>, found: &Element<'_>, expected: &str) -> DecodeError {
    r.error(found, DecodeErrorKind::UnexpectedElement { expected: expected.to_owned(), found: found.name() })
}

/// Decodes the body as `Op`'s input, runs `call`, and writes its success element or fault
/// (in `Op`'s SOAP version); a one-way operation's success is [`Response::accepted`].
/// A body that cannot be read is answered with the fault `request_fault` makes of the
/// [`RequestError::InvalidBody`].
pub async fn respond<Op, F>(
    namespace: &str,
    request: &[u8],
    request_fault: impl FnOnce(RequestError) -> Fault,
    call: impl FnOnce(Op::Input) -> F,
) -> Response
where
    Op: Operation,
    F: Future<Output = Result<Op::Output, Fault>>,
{
    let version = Op::SOAP_VERSION;
    // An encoded request may send values once and refer to them (see `decode_encoded_response`).
    let inlined = match Op::ENCODED {
        true => soap::inline_multi_refs(request),
        false => Ok(None),
    };
    let decoded = match inlined {
        Ok(inlined) => decode_body_as::<Op::Input>(inlined.as_deref().unwrap_or(request), Op::INPUT_LAYOUT),
        Err(error) => Err(RequestError::InvalidBody { element: Op::INPUT_ELEMENT.to_owned(), error }),
    };
    let params = match decoded {
        Ok(params) => params,
        Err(error) => return Response::fault_as(version, &request_fault(error)),
    };
    let envelope = Envelope { version, namespace, extra: Op::EXTRA_NAMESPACES };
    match call(params).await {
        // A one-way operation answers with no envelope at all.
        Ok(_) if Op::ONE_WAY => Response::accepted(),
        Ok(output) => Response::success_as(&envelope, Op::OUTPUT_LAYOUT, &output),
        Err(fault) => Response::fault_as(version, &fault),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn keeps_every_header_block_and_the_body_element() {
        let context = read_request(&example("syncmultipleleads/request.xml")).unwrap();
        assert_eq!(context.body_element, "paramsSyncMultipleLeads");
        assert_eq!(context.headers.len(), 1);
        let (name, xml) = &context.headers[0];
        assert_eq!(name, "AuthenticationHeader");
        assert!(xml.starts_with('<') && xml.ends_with("AuthenticationHeader>"), "{xml}");
        assert!(xml.contains("<requestSignature>b5e21953ae9f1b263e644da5eccce9ff33802513</requestSignature>"));
    }

    #[test]
    fn keeps_other_header_blocks_for_typed_decoding() {
        let xml = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:m"><e:Header><m:MktowsContextHeader><targetWorkspace>Europe</targetWorkspace></m:MktowsContextHeader></e:Header><e:Body><m:paramsSyncLead/></e:Body></e:Envelope>"#;
        let context = read_request(xml).unwrap();
        assert_eq!(context.headers.len(), 1);
        assert_eq!(context.headers[0].0, "MktowsContextHeader");
        assert!(context.header::<String>("MktowsContextHeader").unwrap().unwrap().contains("Europe"));
        assert!(context.header::<String>("Other").is_none());
    }

    #[test]
    fn malformed_requests_are_not_understood_client_faults() {
        for bad in [&b"not xml"[..], b"<a/>", b"<e:Envelope xmlns:e=\"x\"><e:Body>", b""] {
            let error = read_request(bad).unwrap_err();
            assert!(matches!(error, RequestError::NotUnderstood(_)), "{error:?}");
            let fault = error.to_fault();
            assert_eq!((fault.code.as_str(), fault.detail.as_ref()), ("SOAP-ENV:Client", None), "{fault}");
            assert!(fault.message.starts_with("the request is not a SOAP message"), "{fault}");
        }
    }

    #[test]
    fn a_body_that_misses_a_required_element_is_an_invalid_body() {
        #[derive(Debug)]
        struct NeedsX;
        impl FromXml for NeedsX {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                let mut x: Option<String> = None;
                while let Some(child) = r.next_child(element)? {
                    match child.local_name() {
                        b"x" => x = Some(r.read(&child)?),
                        _ => r.skip(&child)?,
                    }
                }
                r.required(x, "x", element).map(|_| NeedsX)
            }
        }
        let xml = b"<e:Envelope xmlns:e=\"x\"><e:Body><m:op xmlns:m=\"m\"><y/></m:op></e:Body></e:Envelope>";
        let error = decode_body::<NeedsX>(xml, "op").unwrap_err();
        let RequestError::InvalidBody { element, error: decode } = &error else { panic!("{error:?}") };
        assert_eq!(element, "op");
        assert_eq!(decode.kind(), &DecodeErrorKind::MissingElement { element: "x".into() });
        assert!(error.to_fault().message.contains("<x> is missing"), "{error}");
    }

    #[test]
    fn an_empty_body_is_a_request_only_where_an_operation_takes_one() {
        let empty = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>"#;
        assert!(matches!(read_request(empty), Err(RequestError::NotUnderstood(_))));
        let context = read_request_allowing_empty_body(empty).unwrap();
        assert_eq!(context.body_element, "");
        let fault = RequestError::UnknownOperation { element: context.body_element }.to_fault();
        assert_eq!(fault.message, "no operation takes an empty Body");
    }

    #[test]
    fn unknown_and_unimplemented_operations_are_client_and_server_faults() {
        let unknown = RequestError::UnknownOperation { element: "paramsDoMagic".into() }.to_fault();
        assert_eq!(unknown, Fault::new("SOAP-ENV:Client", "no operation takes <paramsDoMagic>"));
        let missing = RequestError::NotImplemented { operation: "getTags" }.to_fault();
        assert_eq!(missing, Fault::new("SOAP-ENV:Server", "getTags is not implemented by this server"));
    }

    #[test]
    fn an_answer_xml_cannot_carry_is_a_server_fault_not_malformed_xml() {
        let response = Response::success("urn:s", "answer", &String::from("bad \u{1b} value"));
        assert_eq!(response.status, 500);
        let fault = soap::decode_response::<String>(&response.body, "answer").unwrap().unwrap_err();
        assert_eq!(fault.code, "SOAP-ENV:Server");
        assert!(
            fault.message.ends_with("U+001B is not a character XML 1.0 allows (in /Envelope/Body/answer)"),
            "{fault}"
        );
        assert_eq!(Response::success("urn:s", "answer", "fine").status, 200);
    }
}
