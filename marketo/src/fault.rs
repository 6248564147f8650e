//! Marketo's faults: `faultstring` `"{code} - {message}"` and a `serviceException` detail
//! holding the name, message and code.

use mktows_runtime::xml::{Element, FromXml, XmlReader, XmlWriter};
use mktows_runtime::{DecodeError, Fault};

use crate::NAMESPACE;

/// Marketo's fault detail: `<serviceException><name/><message/><code/></serviceException>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceException {
    pub name: String,
    pub message: String,
    pub code: String,
}

impl ServiceException {
    /// The `serviceException` in `fault`'s detail, when it has one that can be read.
    pub fn of(fault: &Fault) -> Option<Self> {
        let detail = format!("<detail>{}</detail>", fault.detail.as_deref()?);
        let mut r = XmlReader::new(detail.as_bytes());
        let root = r.root().ok()?;
        while let Some(item) = r.next_child(&root).ok()? {
            if item.local_name() == b"serviceException" {
                return r.read(&item).ok();
            }
            r.skip(&item).ok()?;
        }
        None
    }

    /// The detail's XML as Marketo writes it: `<ns1:serviceException xmlns:ns1="...">`.
    pub fn to_detail(&self) -> String {
        let mut w = XmlWriter::with_capacity(256);
        w.raw(r#"<ns1:serviceException xmlns:ns1=""#);
        w.text(NAMESPACE);
        w.raw(r#"">"#);
        w.text_element("name", &self.name);
        w.text_element("message", &self.message);
        w.text_element("code", &self.code);
        w.raw("</ns1:serviceException>");
        String::from_utf8(w.into_bytes()).expect("the writer writes UTF-8")
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

/// A fault in exactly the shape Marketo sends: faultcode `SOAP-ENV:Client` (or
/// `SOAP-ENV:Server` when `client` is false), faultstring `"{code} - {message}"` and an
/// `mktServiceException` detail with message `"{message} ({code})"`.
pub fn fault(client: bool, code: u32, message: &str) -> Fault {
    let detail = ServiceException {
        name: "mktServiceException".to_owned(),
        message: format!("{message} ({code})"),
        code: code.to_string(),
    };
    Fault {
        code: if client { "SOAP-ENV:Client" } else { "SOAP-ENV:Server" }.to_owned(),
        message: format!("{code} - {message}"),
        actor: None,
        detail: Some(detail.to_detail()),
        subcode: None,
    }
}

/// Marketo's numeric error code: the `serviceException` code, or failing that the number
/// that starts `faultstring`.
pub fn code_of(fault: &Fault) -> Option<u32> {
    let from_detail = ServiceException::of(fault).and_then(|detail| detail.code.trim().parse().ok());
    from_detail.or_else(|| {
        let digits: String = fault.message.trim_start().chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use mktows_runtime::soap::decode_response;

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
        let detail = ServiceException::of(&fault).unwrap();
        assert_eq!(detail.name, "mktServiceException");
        assert_eq!(detail.message, "Authentication failed (20014)");
        assert_eq!(detail.code, "20014");
        assert_eq!(code_of(&fault), Some(20014));
    }

    #[test]
    fn fault_envelope_matches_marketo_shape_and_round_trips() {
        let fault = fault(true, 20014, "Authentication failed");
        let bytes = fault.to_envelope();
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
        assert_eq!(ServiceException::of(&back).unwrap().code, "20014");
    }

    #[test]
    fn marketo_code_falls_back_to_the_fault_string() {
        let fault = Fault::new("SOAP-ENV:Server", "20023 - Rate limit");
        assert_eq!(code_of(&fault), Some(20023));
        assert_eq!(code_of(&Fault::new("SOAP-ENV:Server", "no code")), None);
        let other_detail = Fault { detail: Some("<other>20016</other>".into()), ..fault.clone() };
        assert_eq!(code_of(&other_detail), Some(20023));
        assert_eq!(ServiceException::of(&other_detail), None);
    }

    #[test]
    fn awkward_messages_are_escaped_in_the_detail() {
        let fault = fault(false, 20110, "Bad Parameter: <a> & \"b\"");
        let back = decode_response::<String>(&fault.to_envelope(), "x").unwrap().unwrap_err();
        assert_eq!(back, fault);
        assert_eq!(ServiceException::of(&back).unwrap().message, "Bad Parameter: <a> & \"b\" (20110)");
        assert_eq!(code_of(&back), Some(20110));
    }
}
