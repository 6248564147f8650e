//! The server side of a SOAP service: reading a request envelope (its signed
//! authentication header, other header blocks, the body element) and writing the answer.
//! Generated crates build a typed dispatcher on top of this.

use std::future::Future;

use crate::auth::SignedHeader;
use crate::client::Operation;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::soap::{self, Fault, AUTH_HEADER_ELEMENT};
use crate::xml::{Element, FromXml, ToXml, XmlReader};

/// Marketo's "Request Not Understood": the message is not a SOAP request we can read.
pub const REQUEST_NOT_UNDERSTOOD: u32 = 20012;
/// Marketo's "Invalid Request": a parameter is missing or has a bad value.
pub const INVALID_REQUEST: u32 = 20017;
/// Marketo's "Unsupported Operation".
pub const UNSUPPORTED_OPERATION: u32 = 20019;

/// What a request carries besides its body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    /// The `AuthenticationHeader`, when present and complete.
    pub auth: Option<SignedHeader>,
    /// Other header blocks: local name and the block's XML as sent.
    pub headers: Vec<(String, String)>,
    /// The local name of the body element, such as `paramsSyncMultipleLeads`.
    pub body_element: String,
}

impl RequestContext {
    /// Decodes the header block `name`, if the request has one.
    pub fn header<T: FromXml>(&self, name: &str) -> Option<Result<T, DecodeError>> {
        let (_, xml) = self.headers.iter().find(|(n, _)| n == name)?;
        let mut r = XmlReader::new(xml.as_bytes());
        Some(r.root().and_then(|root| r.read(&root)))
    }
}

/// A response to send: HTTP status and the SOAP envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub fn success<B: ToXml + ?Sized>(namespace: &str, body_element: &str, body: &B) -> Self {
        Self { status: 200, body: soap::encode_response(namespace, body_element, body) }
    }

    /// SOAP 1.1 sends faults with status 500.
    pub fn fault(namespace: &str, fault: &Fault) -> Self {
        Self { status: 500, body: fault.to_envelope(namespace) }
    }
}

/// Reads the envelope's headers and the name of its body element.
pub fn read_request(input: &[u8]) -> Result<RequestContext, Fault> {
    read_request_inner(input).map_err(|e| not_understood(&e))
}

fn read_request_inner(input: &[u8]) -> Result<RequestContext, DecodeError> {
    let mut r = XmlReader::new(input);
    let envelope = expect_envelope(&mut r)?;
    let mut context = RequestContext::default();
    while let Some(part) = r.next_child(&envelope)? {
        match part.local_name() {
            b"Header" => read_headers(&mut r, &part, input, &mut context)?,
            b"Body" => {
                let Some(body) = r.next_child(&part)? else {
                    return Err(
                        r.error(&part, DecodeErrorKind::MissingElement { element: "the operation element".into() })
                    );
                };
                context.body_element = body.name();
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
    input: &'a [u8],
    context: &mut RequestContext,
) -> Result<(), DecodeError> {
    while let Some(block) = r.next_child(header)? {
        if block.local_name() == AUTH_HEADER_ELEMENT.as_bytes() {
            context.auth = read_auth(r, &block)?;
        } else {
            let start = r.offset_of(&block);
            r.skip(&block)?;
            let end = r.offset();
            let xml = String::from_utf8_lossy(&input[start..end]).into_owned();
            context.headers.push((block.name(), xml));
        }
    }
    Ok(())
}

fn read_auth<'a>(r: &mut XmlReader<'a>, block: &Element<'a>) -> Result<Option<SignedHeader>, DecodeError> {
    let (mut user_id, mut signature, mut timestamp) = (None, None, None);
    while let Some(child) = r.next_child(block)? {
        match child.local_name() {
            b"mktowsUserId" => user_id = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"requestSignature" => signature = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"requestTimestamp" => timestamp = Some(r.read::<String>(&child)?.trim().to_owned()),
            _ => r.skip(&child)?,
        }
    }
    Ok(match (user_id, signature, timestamp) {
        (Some(user_id), Some(signature), Some(timestamp)) => Some(SignedHeader { user_id, signature, timestamp }),
        _ => None,
    })
}

/// Decodes the body element of a request already checked by [`read_request`]. A body that
/// does not match the schema is an Invalid Request fault naming the element and position.
pub fn decode_body<T: FromXml>(input: &[u8], element: &str) -> Result<T, Fault> {
    decode_body_inner(input, element).map_err(|e| {
        let code = match e.kind() {
            DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof => REQUEST_NOT_UNDERSTOOD,
            _ => INVALID_REQUEST,
        };
        Fault::marketo(true, code, &format!("{} in {element}: {e}", message_for(code)))
    })
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
            Some(body) if body.local_name() == element.as_bytes() => {
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

fn not_understood(error: &DecodeError) -> Fault {
    Fault::marketo(true, REQUEST_NOT_UNDERSTOOD, &format!("Request Not Understood: {error}"))
}

fn message_for(code: u32) -> &'static str {
    match code {
        REQUEST_NOT_UNDERSTOOD => "Request Not Understood",
        INVALID_REQUEST => "Invalid Request",
        _ => "Error",
    }
}

/// Decodes the body as `Op`'s input, runs `call`, and writes its success element or fault.
pub async fn respond<Op, F>(namespace: &str, request: &[u8], call: impl FnOnce(Op::Input) -> F) -> Response
where
    Op: Operation,
    F: Future<Output = Result<Op::Output, Fault>>,
{
    let params = match decode_body::<Op::Input>(request, Op::INPUT_ELEMENT) {
        Ok(params) => params,
        Err(fault) => return Response::fault(namespace, &fault),
    };
    match call(params).await {
        Ok(output) => Response::success(namespace, Op::OUTPUT_ELEMENT, &output),
        Err(fault) => Response::fault(namespace, &fault),
    }
}

/// The fault for a body element no operation takes.
pub fn unsupported_operation(element: &str) -> Fault {
    Fault::marketo(true, UNSUPPORTED_OPERATION, &format!("Unsupported Operation: no operation takes <{element}>"))
}

/// The fault for an operation this server does not implement.
pub fn not_implemented(operation: &str) -> Fault {
    Fault::marketo(
        false,
        UNSUPPORTED_OPERATION,
        &format!("Unsupported Operation: {operation} is not implemented by this server"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn reads_the_auth_header_and_body_element() {
        let context = read_request(&example("syncmultipleleads/request.xml")).unwrap();
        let auth = context.auth.unwrap();
        assert_eq!(auth.user_id, "demo17_1_809934544BFABAE58E5D27");
        assert_eq!(auth.signature, "b5e21953ae9f1b263e644da5eccce9ff33802513");
        assert_eq!(auth.timestamp, "2013-08-01T18:22:30-07:00");
        assert_eq!(context.body_element, "paramsSyncMultipleLeads");
    }

    #[test]
    fn keeps_other_header_blocks_for_typed_decoding() {
        let xml = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:m"><e:Header><m:MktowsContextHeader><targetWorkspace>Europe</targetWorkspace></m:MktowsContextHeader></e:Header><e:Body><m:paramsSyncLead/></e:Body></e:Envelope>"#;
        let context = read_request(xml).unwrap();
        assert_eq!(context.auth, None);
        assert_eq!(context.headers.len(), 1);
        assert_eq!(context.headers[0].0, "MktowsContextHeader");
        assert!(context.header::<String>("MktowsContextHeader").unwrap().unwrap().contains("Europe"));
    }

    #[test]
    fn malformed_requests_are_request_not_understood() {
        for bad in [&b"not xml"[..], b"<a/>", b"<e:Envelope xmlns:e=\"x\"><e:Body>", b""] {
            let fault = read_request(bad).unwrap_err();
            assert_eq!(fault.marketo_code(), Some(20012), "{fault}");
        }
    }

    #[test]
    fn a_body_that_misses_a_required_element_is_an_invalid_request() {
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
        let fault = decode_body::<NeedsX>(xml, "op").unwrap_err();
        assert_eq!(fault.marketo_code(), Some(20017), "{fault}");
        assert!(fault.message.contains("<x> is missing"), "{fault}");
    }
}
