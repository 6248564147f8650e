//! The SOAP Fault: read in either version's shape, written in the version asked for, and
//! its detail decoded as a declared fault's element.

use std::fmt;

use super::{local_part, SoapVersion};
use crate::error::DecodeError;
use crate::xml::{Element, FromXml, XmlReader, XmlWriter};

/// A SOAP Fault, of SOAP 1.1 or 1.2. What `detail` holds is the service's business: it is
/// kept as sent, for a service layer (or [`Fault::detail_element`]) to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// `faultcode` (1.1) or `Code/Value` (1.2), such as `SOAP-ENV:Client`.
    pub code: String,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2), the human-readable explanation.
    pub message: String,
    /// `faultactor` (1.1) or `Role` (1.2).
    pub actor: Option<String>,
    /// The inner XML of `<detail>` (1.1) or `<Detail>` (1.2), verbatim (markup, prefixes
    /// and escapes as sent), when the fault has one.
    pub detail: Option<String>,
    /// SOAP 1.2 only: the first `Code/Subcode/Value`, the service's more precise code.
    pub subcode: Option<String>,
}

impl Fault {
    /// A fault with `faultcode` `code` and `faultstring` `message`, no actor and no detail.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { code: code.into(), message: message.into(), actor: None, detail: None, subcode: None }
    }

    /// Decodes the detail's child element whose local name is `name` as a `T` (a typed
    /// `wsdl:fault` part); `None` when the fault has no detail or no such element.
    pub fn detail_element<T: FromXml>(&self, name: &str) -> Option<Result<T, DecodeError>> {
        let detail = self.detail.as_deref()?;
        // The detail is content, not a document: a wrapper makes it one. Prefixes declared
        // outside it do not matter, as elements are matched by local name.
        let document = format!("<detail>{detail}</detail>");
        let mut r = XmlReader::new(document.as_bytes());
        let found = (|| -> Result<Option<T>, DecodeError> {
            let root = r.root()?;
            while let Some(child) = r.next_child(&root)? {
                if child.local_name() == local_part(name).as_bytes() {
                    return r.read::<T>(&child).map(Some);
                }
                r.skip(&child)?;
            }
            Ok(None)
        })();
        found.transpose()
    }

    /// The complete SOAP 1.1 fault envelope, as a server sends it. `detail` is written as it
    /// is, so it must be well-formed XML content. A character XML cannot carry in the code,
    /// message or actor is written as U+FFFD: a fault is an explanation, and must reach the
    /// client.
    pub fn to_envelope(&self) -> Vec<u8> {
        self.to_envelope_as(SoapVersion::Soap11)
    }

    /// The fault envelope of `version`: for SOAP 1.2, `Code/Value` (with `Subcode`),
    /// `Reason/Text xml:lang="en"`, `Role` and `Detail`.
    pub fn to_envelope_as(&self, version: SoapVersion) -> Vec<u8> {
        let mut w = XmlWriter::with_capacity(640);
        w.raw(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        w.raw(r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV=""#);
        w.raw(version.envelope_namespace());
        w.raw(r#""><SOAP-ENV:Body><SOAP-ENV:Fault>"#);
        match version {
            SoapVersion::Soap11 => self.write_11(&mut w),
            SoapVersion::Soap12 => self.write_12(&mut w),
        }
        w.raw("</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>");
        w.into_bytes()
    }

    fn write_11(&self, w: &mut XmlWriter) {
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
    }

    fn write_12(&self, w: &mut XmlWriter) {
        w.raw("<SOAP-ENV:Code>");
        w.text_element("SOAP-ENV:Value", &self.code);
        if let Some(subcode) = &self.subcode {
            w.raw("<SOAP-ENV:Subcode>");
            w.text_element("SOAP-ENV:Value", subcode);
            w.raw("</SOAP-ENV:Subcode>");
        }
        w.raw(r#"</SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">"#);
        w.text(&self.message);
        w.raw("</SOAP-ENV:Text></SOAP-ENV:Reason>");
        if let Some(actor) = &self.actor {
            w.text_element("SOAP-ENV:Role", actor);
        }
        if let Some(detail) = &self.detail {
            w.raw("<SOAP-ENV:Detail>");
            w.raw(detail);
            w.raw("</SOAP-ENV:Detail>");
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP fault {}: {}", self.code, self.message)
    }
}

impl std::error::Error for Fault {}

/// Reads the `Fault` element `element`, keeping the inner XML of its `detail`.
pub(super) fn read_fault<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Fault, DecodeError> {
    read_fault_fields(r, element).map_err(|e| e.within(&element.name()))
}

/// The children of a 1.1 Fault (`faultcode`, ...) or of a 1.2 one (`Code`, ...), told apart
/// by their names.
fn read_fault_fields<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Fault, DecodeError> {
    let (mut code, mut message, mut actor, mut detail, mut subcode) = (None, None, None, None, None);
    let mut soap12 = false;
    while let Some(child) = r.next_child(element)? {
        match child.local_name() {
            b"faultcode" => code = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"faultstring" => message = Some(r.read::<String>(&child)?),
            b"faultactor" | b"Role" => actor = Some(r.read::<String>(&child)?),
            b"detail" | b"Detail" if detail.is_none() => detail = Some(r.read_inner_xml(&child)?.to_owned()),
            b"Code" => {
                soap12 = true;
                (code, subcode) = read_code(r, &child).map_err(|e| e.within("Code"))?;
            }
            b"Reason" => {
                soap12 = true;
                message = read_reason(r, &child).map_err(|e| e.within("Reason"))?;
            }
            _ => r.skip(&child)?,
        }
    }
    let (code_name, message_name) = if soap12 { ("Code", "Reason") } else { ("faultcode", "faultstring") };
    Ok(Fault {
        code: r.required(code, code_name, element)?,
        message: r.required(message, message_name, element)?,
        actor,
        detail,
        subcode,
    })
}

/// `Code`: its `Value`, and the `Value` of its first `Subcode`.
fn read_code<'a>(r: &mut XmlReader<'a>, code: &Element<'a>) -> Result<(Option<String>, Option<String>), DecodeError> {
    let (mut value, mut subcode) = (None, None);
    while let Some(child) = r.next_child(code)? {
        match child.local_name() {
            b"Value" => value = Some(r.read::<String>(&child)?.trim().to_owned()),
            b"Subcode" if subcode.is_none() => subcode = read_code(r, &child)?.0,
            _ => r.skip(&child)?,
        }
    }
    Ok((value, subcode))
}

/// `Reason`: its first `Text`.
fn read_reason<'a>(r: &mut XmlReader<'a>, reason: &Element<'a>) -> Result<Option<String>, DecodeError> {
    let mut text = None;
    while let Some(child) = r.next_child(reason)? {
        match child.local_name() {
            b"Text" if text.is_none() => text = Some(r.read::<String>(&child)?),
            _ => r.skip(&child)?,
        }
    }
    Ok(text)
}
