//! SOAP 1.1 envelopes: writing requests and responses, reading responses and faults.

use std::fmt;

use crate::auth::SignedHeader;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::xml::{Element, FromXml, ToXml, XmlReader, XmlWriter, XSI_NAMESPACE};

pub const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The element Marketo's signed authentication header is carried in.
pub const AUTH_HEADER_ELEMENT: &str = "AuthenticationHeader";

/// A SOAP header block besides the authentication header: the element's local name (it is
/// qualified with the service namespace) and its value.
pub struct HeaderBlock<'h> {
    pub name: &'h str,
    pub value: &'h (dyn ToXml + Sync),
}

/// Writes a complete request envelope: the signed authentication header (when `auth` is
/// given), any further header blocks, and `body` as the qualified element `body_element`.
pub fn encode_request<B: ToXml + ?Sized>(
    namespace: &str,
    auth: Option<&SignedHeader>,
    headers: &[HeaderBlock<'_>],
    body_element: &str,
    body: &B,
) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    start_envelope(&mut w, namespace);
    if auth.is_some() || !headers.is_empty() {
        w.raw("<SOAP-ENV:Header>");
        if let Some(auth) = auth {
            let name = qualified(AUTH_HEADER_ELEMENT);
            w.start(&name);
            w.text_element("mktowsUserId", &auth.user_id);
            w.text_element("requestSignature", &auth.signature);
            w.text_element("requestTimestamp", &auth.timestamp);
            w.end(&name);
        }
        for header in headers {
            header.value.write_xml(&mut w, &qualified(header.name));
        }
        w.raw("</SOAP-ENV:Header>");
    }
    write_body(&mut w, body_element, body);
    w.into_bytes()
}

/// Writes a response envelope holding `body` as the qualified element `body_element`
/// (the server side of an operation).
pub fn encode_response<B: ToXml + ?Sized>(namespace: &str, body_element: &str, body: &B) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    start_envelope(&mut w, namespace);
    write_body(&mut w, body_element, body);
    w.into_bytes()
}

fn start_envelope(w: &mut XmlWriter, namespace: &str) {
    w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    w.raw(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV=""#);
    w.raw(ENVELOPE_NAMESPACE);
    w.raw(r#"" xmlns:"#);
    w.raw(XmlWriter::TNS_PREFIX);
    w.raw(r#"=""#);
    w.text(namespace);
    w.raw(r#"" xmlns:xsi=""#);
    w.raw(XSI_NAMESPACE);
    w.raw(r#"">"#);
}

fn write_body<B: ToXml + ?Sized>(w: &mut XmlWriter, body_element: &str, body: &B) {
    w.raw("<SOAP-ENV:Body>");
    body.write_xml(w, &qualified(body_element));
    w.raw("</SOAP-ENV:Body></SOAP-ENV:Envelope>");
}

fn qualified(local_name: &str) -> String {
    format!("{}:{local_name}", XmlWriter::TNS_PREFIX)
}

/// Reads a response: the element `expected` inside the SOAP Body (or, as some of Marketo's
/// documentation shows, on its own without an envelope), or a SOAP Fault. Unknown header
/// blocks are skipped; the whole document must be well-formed.
pub fn decode_response<T: FromXml>(input: &[u8], expected: &str) -> Result<Result<T, Fault>, DecodeError> {
    let mut r = XmlReader::new(input);
    let root = r.root()?;
    let result = match root.local_name() {
        b"Envelope" => read_envelope_body(&mut r, &root, expected)?,
        name if name == expected.as_bytes() => Ok(r.read(&root)?),
        b"Fault" => Err(r.read(&root)?),
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
        b"Fault" => Err(r.read::<Fault>(&first)?),
        name if name == expected.as_bytes() => Ok(r.read::<T>(&first)?),
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

/// A SOAP 1.1 Fault, with Marketo's `serviceException` detail when present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode`, such as `SOAP-ENV:Client`.
    pub code: String,
    /// `faultstring`, such as `20014 - Authentication failed`.
    pub message: String,
    pub actor: Option<String>,
    /// Boxed: it is rarely there and would otherwise double the size of every `Result`
    /// carrying a fault.
    pub service_exception: Option<Box<ServiceException>>,
}

/// Marketo's fault detail: `<serviceException><name/><message/><code/></serviceException>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceException {
    pub name: String,
    pub message: String,
    pub code: String,
}

impl Fault {
    /// A fault in exactly the shape Marketo sends: `faultstring` `"{code} - {message}"` and a
    /// `mktServiceException` detail.
    pub fn marketo(client_fault: bool, code: u32, message: &str) -> Self {
        Self {
            code: if client_fault { "SOAP-ENV:Client" } else { "SOAP-ENV:Server" }.to_owned(),
            message: format!("{code} - {message}"),
            actor: None,
            service_exception: Some(Box::new(ServiceException {
                name: "mktServiceException".to_owned(),
                message: format!("{message} ({code})"),
                code: code.to_string(),
            })),
        }
    }

    /// Marketo's numeric error code: the `serviceException` code, or failing that the number
    /// that starts `faultstring`.
    pub fn marketo_code(&self) -> Option<u32> {
        let from_detail = self.service_exception.as_ref().and_then(|detail| detail.code.trim().parse().ok());
        from_detail.or_else(|| {
            let digits: String = self.message.trim_start().chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
    }

    /// The complete fault envelope, as a server sends it.
    pub fn to_envelope(&self, namespace: &str) -> Vec<u8> {
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
        if let Some(detail) = &self.service_exception {
            w.raw(r#"<detail><ns1:serviceException xmlns:ns1=""#);
            w.text(namespace);
            w.raw(r#"">"#);
            w.text_element("name", &detail.name);
            w.text_element("message", &detail.message);
            w.text_element("code", &detail.code);
            w.raw("</ns1:serviceException></detail>");
        }
        w.raw("</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
        w.into_bytes()
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.message)?;
        if let Some(code) = self.marketo_code() {
            write!(f, " (Marketo error {code})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Fault {}

impl FromXml for Fault {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let (mut code, mut message, mut actor, mut service_exception) = (None, None, None, None);
        while let Some(child) = r.next_child(element)? {
            match child.local_name() {
                b"faultcode" => code = Some(r.read::<String>(&child)?.trim().to_owned()),
                b"faultstring" => message = Some(r.read::<String>(&child)?),
                b"faultactor" => actor = Some(r.read::<String>(&child)?),
                b"detail" => {
                    while let Some(item) = r.next_child(&child)? {
                        if item.local_name() == b"serviceException" && service_exception.is_none() {
                            let detail = r.read::<ServiceException>(&item).map_err(|e| e.within("detail"))?;
                            service_exception = Some(Box::new(detail));
                        } else {
                            r.skip(&item)?;
                        }
                    }
                }
                _ => r.skip(&child)?,
            }
        }
        Ok(Self {
            code: r.required(code, "faultcode", element)?,
            message: r.required(message, "faultstring", element)?,
            actor,
            service_exception,
        })
    }
}

impl FromXml for ServiceException {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let (mut name, mut message, mut code) = (String::new(), String::new(), String::new());
        while let Some(child) = r.next_child(element)? {
            match child.local_name() {
                b"name" => name = r.read(&child)?,
                b"message" => message = r.read(&child)?,
                b"code" => code = r.read::<String>(&child)?.trim().to_owned(),
                _ => r.skip(&child)?,
            }
        }
        Ok(Self { name, message, code })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/examples");

    fn example(path: &str) -> Vec<u8> {
        std::fs::read(format!("{SHARED}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn reads_marketo_authentication_fault() {
        let input = example("authentication-signature/response-failure-invalid-credentials.xml");
        let fault = decode_response::<String>(&input, "successGetLeadActivity").unwrap().unwrap_err();
        assert_eq!(fault.code, "SOAP-ENV:Client");
        assert_eq!(fault.message, "20014 - Authentication failed");
        let detail = fault.service_exception.as_ref().unwrap();
        assert_eq!(detail.name, "mktServiceException");
        assert_eq!(detail.message, "Authentication failed (20014)");
        assert_eq!(fault.marketo_code(), Some(20014));
    }

    #[test]
    fn fault_envelope_matches_marketo_shape_and_round_trips() {
        let fault = Fault::marketo(true, 20014, "Authentication failed");
        let bytes = fault.to_envelope("http://www.marketo.com/mktows/");
        let expected = example("authentication-signature/response-failure-invalid-credentials.xml");
        // Same elements and text as Marketo's own fault once indentation is ignored.
        let squash = |bytes: &[u8]| -> String {
            String::from_utf8_lossy(bytes)
                .lines()
                .map(str::trim)
                .collect::<String>()
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "")
        };
        assert_eq!(squash(&bytes), squash(&expected));
        let back = decode_response::<String>(&bytes, "x").unwrap().unwrap_err();
        assert_eq!(back, fault);
    }

    #[test]
    fn marketo_code_falls_back_to_the_fault_string() {
        let fault = Fault {
            code: "SOAP-ENV:Server".into(),
            message: "20023 - Rate limit".into(),
            actor: None,
            service_exception: None,
        };
        assert_eq!(fault.marketo_code(), Some(20023));
        let fault = Fault { message: "no code".into(), ..fault };
        assert_eq!(fault.marketo_code(), None);
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
    fn truncated_envelope_is_an_error_with_a_position() {
        let input = example("authentication-signature/response-success.xml");
        let err = decode_response::<String>(&input, "successGetLeadActivity").unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Malformed(_) | DecodeErrorKind::UnexpectedEof), "{err}");
        assert_eq!((err.line(), err.column()), (52, 1), "{err}");
    }
}
