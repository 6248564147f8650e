//! Checks that a type reads and writes an XML instance without loss, for the tests that
//! `cargo xtask generate --samples` writes into a crate: the sample body element is read,
//! written again, and read again; both values must be equal, and the rewritten element must
//! hold every element and attribute the sample held.

use std::collections::BTreeMap;
use std::fmt::Debug;

use quick_xml::events::Event;

use crate::client::Operation;
use crate::soap::{self, BodyLayout, Envelope, SoapVersion};
use crate::xml::{FromXml, ToXml};

/// `sample` (a SOAP envelope holding `Op`'s request) survives a round trip through
/// `Op::Input`; returns the value read.
pub fn request<Op: Operation<Input: PartialEq + Debug>>(namespace: &str, sample: &[u8]) -> Result<Op::Input, String> {
    let envelope = Envelope { version: Op::SOAP_VERSION, namespace, extra: Op::EXTRA_NAMESPACES };
    body_as::<Op::Input>(&envelope, Op::INPUT_LAYOUT, sample)
}

/// As [`request`], for the response and `Op::Output`.
pub fn response<Op: Operation<Output: PartialEq + Debug>>(
    namespace: &str,
    sample: &[u8],
) -> Result<Op::Output, String> {
    let envelope = Envelope { version: Op::SOAP_VERSION, namespace, extra: Op::EXTRA_NAMESPACES };
    // A one-way operation's output is nothing, read from no Body.
    let layout = if Op::ONE_WAY { BodyLayout::Parts } else { Op::OUTPUT_LAYOUT };
    body_as::<Op::Output>(&envelope, layout, sample)
}

/// The round trip of the body element `element` of the SOAP 1.1 envelope `sample` through `T`.
pub fn body<T: FromXml + ToXml + PartialEq + Debug>(
    namespace: &str,
    extra: &[&str],
    element: &str,
    sample: &[u8],
) -> Result<T, String> {
    body_as::<T>(&Envelope { version: SoapVersion::Soap11, namespace, extra }, BodyLayout::Element(element), sample)
}

/// The round trip of the Body of `sample`, laid out as `layout`, through `T`; written back
/// in `envelope`.
pub fn body_as<T: FromXml + ToXml + PartialEq + Debug>(
    envelope: &Envelope<'_>,
    layout: BodyLayout<'_>,
    sample: &[u8],
) -> Result<T, String> {
    let read = |xml: &[u8]| match soap::decode_response_as::<T>(xml, layout) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(fault)) => Err(format!("a fault, not the message: {fault}")),
        Err(e) => Err(e.to_string()),
    };
    let first = read(sample).map_err(|e| format!("the sample does not read: {e}"))?;
    let written = soap::encode_response_as(envelope, layout, &first).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&written);
    let again = read(&written).map_err(|e| format!("the rewritten message does not read: {e}\n{text}"))?;
    if again != first {
        return Err(format!("the value changed:\n{first:?}\nbecame\n{again:?}\n{text}"));
    }
    match lost_name(&body_names(sample)?, &body_names(&written)?) {
        Some(name) => Err(format!("`{name}` was dropped (or added) on the way:\n{text}")),
        None => Ok(first),
    }
}

/// How often each element (`name`) and attribute (`@name`) occurs inside the SOAP Body, by
/// local name; namespace declarations are not counted.
pub fn body_names(xml: &[u8]) -> Result<BTreeMap<String, usize>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut names, mut in_body, mut depth) = (BTreeMap::new(), false, 0usize);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| format!("not well-formed XML: {e}"))?;
        let (start, empty) = match &event {
            Event::Start(start) => (start, false),
            Event::Empty(start) => (start, true),
            Event::End(_) if in_body => {
                depth -= 1;
                in_body = depth > 0;
                continue;
            }
            Event::Eof => return Ok(names),
            _ => continue,
        };
        let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        if !in_body {
            in_body = local == "Body" && !empty;
            depth = usize::from(in_body);
            continue;
        }
        depth += usize::from(!empty);
        *names.entry(local).or_insert(0) += 1;
        for attribute in start.attributes().flatten() {
            let key = attribute.key;
            if key.as_namespace_binding().is_none() {
                *names.entry(format!("@{}", String::from_utf8_lossy(key.local_name().as_ref()))).or_insert(0) += 1;
            }
        }
    }
}

/// The first name whose count differs between the two.
fn lost_name(sample: &BTreeMap<String, usize>, written: &BTreeMap<String, usize>) -> Option<String> {
    sample.keys().chain(written.keys()).find(|name| sample.get(*name) != written.get(*name)).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeError;
    use crate::xml::{Element, XmlReader, XmlWriter};

    /// Reads `<text>`, `<tag>`* and drops `<extra>`, like a type that forgot a field.
    #[derive(Debug, PartialEq)]
    struct Echo {
        text: String,
        tags: Vec<String>,
    }

    impl FromXml for Echo {
        fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
            let mut echo = Echo { text: String::new(), tags: Vec::new() };
            while let Some(child) = r.next_child(element)? {
                match child.local_name() {
                    b"text" => echo.text = r.read(&child)?,
                    b"tag" => echo.tags.push(r.read(&child)?),
                    _ => r.skip(&child)?,
                }
            }
            Ok(echo)
        }
    }

    impl ToXml for Echo {
        fn write_xml(&self, w: &mut XmlWriter, name: &str) {
            w.start(name);
            self.text.write_xml(w, "text");
            for tag in &self.tags {
                tag.write_xml(w, "tag");
            }
            w.end(name);
        }
    }

    fn envelope(body: &str) -> Vec<u8> {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{body}</s:Body></s:Envelope>"#
        )
        .into_bytes()
    }

    #[test]
    fn a_complete_sample_round_trips() {
        let sample = envelope(r#"<e:Echo xmlns:e="urn:e"><text>hi</text><tag>a</tag><tag>b</tag></e:Echo>"#);
        let value = body::<Echo>("urn:e", &[], "Echo", &sample).unwrap();
        assert_eq!(value.tags, ["a", "b"]);
        let names = body_names(&sample).unwrap();
        assert_eq!(names.get("tag"), Some(&2));
        assert_eq!(names.get("Echo"), Some(&1));
        assert!(!names.contains_key("Envelope") && !names.contains_key("@e"));
    }

    #[test]
    fn an_element_the_type_drops_fails_naming_it() {
        let sample = envelope(r#"<Echo xmlns="urn:e"><text>hi</text><extra>x</extra></Echo>"#);
        let error = body::<Echo>("urn:e", &[], "Echo", &sample).unwrap_err();
        assert!(error.starts_with("`extra` was dropped"), "{error}");
        let sample = envelope(r#"<Echo xmlns="urn:e" id="1"><text>hi</text></Echo>"#);
        assert!(body::<Echo>("urn:e", &[], "Echo", &sample).unwrap_err().starts_with("`@id`"));
    }

    #[test]
    fn a_sample_that_does_not_read_is_an_error() {
        let error = body::<Echo>("urn:e", &[], "Echo", &envelope("<Other/>")).unwrap_err();
        assert!(error.starts_with("the sample does not read"), "{error}");
    }
}
