//! SOAP 1.1 encoding's multi-reference values (section 5.1 rule 5, 5.4.1): a value sent
//! once as an independent element `<multiRef id="id0">…</multiRef>` (Axis names them so;
//! the name does not matter) after the response wrapper, and used by empty accessors
//! `<item href="#id0"/>`. RPC/encoded services (Axis 1, the Apache SOAP family) send
//! every compound value this way. The generated readers read literal trees, so before
//! reading an encoded response, each accessor is given its value's attributes and content,
//! and the independent elements the Body holds beside the wrapper are dropped.
//!
//! The rewrite is bounded: a reference that leads back to itself is an error, and so is one
//! that would grow the document past [`expansion_limit`] (shared values are copied once per
//! use, so a chain of them could otherwise double the document at each link).

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::{Reader, Writer};

use crate::error::{DecodeError, DecodeErrorKind};
use crate::xml::line_column;

/// How many references may be open inside one another.
const MAX_NESTING: usize = 256;

/// The rewritten document may be this much larger than the one received.
fn expansion_limit(input: usize) -> usize {
    input.saturating_mul(16).saturating_add(1 << 20)
}

/// `input` with every `href="#id"` accessor holding its value, or `None` when it has none
/// (or is not well-formed: the reader then says where). Offsets in errors are `input`'s.
pub(crate) fn inline(input: &[u8]) -> Result<Option<Vec<u8>>, DecodeError> {
    if !contains(input, b"href") {
        return Ok(None);
    }
    let Some(document) = Document::read(input) else { return Ok(None) };
    if document.references.is_empty() {
        return Ok(None);
    }
    document.write(input).map(Some)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The document as events, with what the rewrite needs to know of them.
struct Document {
    events: Vec<Event<'static>>,
    /// Each event's byte offset in the input.
    offsets: Vec<usize>,
    /// For a start tag, the index of its end tag (an empty element is its own end).
    ends: Vec<usize>,
    /// Accessor index -> the index of the element it refers to.
    references: HashMap<usize, usize>,
    /// Referenced elements that sit directly in the Body: written only where used.
    independent: HashSet<usize>,
}

impl Document {
    fn read(input: &[u8]) -> Option<Self> {
        let text = std::str::from_utf8(crate::xml::without_byte_order_mark(input)).ok()?;
        let skipped = input.len() - text.len();
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        let (mut events, mut offsets, mut ends, mut parents) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut open: Vec<usize> = Vec::new();
        loop {
            let offset = skipped + reader.buffer_position() as usize;
            let event = reader.read_event().ok()?.into_owned();
            let index = events.len();
            parents.push(open.last().copied());
            ends.push(index);
            match &event {
                Event::Start(_) => open.push(index),
                Event::End(_) => ends[open.pop()?] = index,
                Event::Eof => break,
                _ => {}
            }
            events.push(event);
            offsets.push(offset);
        }
        let ids: HashMap<String, usize> =
            (0..events.len()).filter_map(|i| Some((attribute(start_of(&events[i])?, b"id")?, i))).collect();
        let mut references = HashMap::new();
        for (i, event) in events.iter().enumerate() {
            let Some(start) = start_of(event) else { continue };
            let empty = ends[i] == i || ends[i] == i + 1;
            let target = attribute(start, b"href").and_then(|href| ids.get(href.strip_prefix('#')?).copied());
            if let (true, Some(target)) = (empty, target) {
                references.insert(i, target);
            }
        }
        let in_body = |i: usize| {
            parents[i].and_then(|p| start_of(&events[p])).is_some_and(|p| p.local_name().as_ref() == b"Body")
        };
        let independent = references.values().copied().filter(|t| in_body(*t)).collect();
        Some(Self { events, offsets, ends, references, independent })
    }

    fn write(&self, input: &[u8]) -> Result<Vec<u8>, DecodeError> {
        let limit = expansion_limit(input.len());
        let mut writer = Writer::new(Vec::with_capacity(input.len() * 2));
        // The element ranges being written, innermost last; an inlined value closes with
        // its accessor's end tag.
        let mut frames = vec![Frame { next: 0, end: self.events.len(), close: None, target: None }];
        while let Some(frame) = frames.last_mut() {
            let i = frame.next;
            if i >= frame.end {
                if let Some(close) = frames.pop().and_then(|f| f.close) {
                    write(&mut writer, Event::End(close));
                }
                continue;
            }
            frame.next = self.ends[i] + 1;
            if let Some(&target) = self.references.get(&i) {
                let error = |what: String| {
                    DecodeError::new(DecodeErrorKind::Malformed(what), line_column(input, self.offsets[i]))
                };
                if frames.iter().any(|f| f.target == Some(target)) {
                    return Err(error("a multi-reference value (`href`) contains a reference to itself".into()));
                }
                if frames.len() > MAX_NESTING {
                    return Err(error(format!("multi-reference values nest more than {MAX_NESTING} deep")));
                }
                let (start, close) = self.merged_start(i, target);
                write(&mut writer, Event::Start(start));
                frames.push(Frame {
                    next: target + 1,
                    end: self.ends[target],
                    close: Some(close),
                    target: Some(target),
                });
                if writer.get_ref().len() > limit {
                    return Err(error(format!("multi-reference values expand the response past {limit} bytes")));
                }
            } else if self.independent.contains(&i) {
                // Written where it is used.
            } else {
                frame.next = i + 1;
                write(&mut writer, self.events[i].clone());
            }
        }
        Ok(writer.into_inner())
    }

    /// The accessor's start tag without `href`, with the value's attributes (its type,
    /// namespace declarations) except `id` and the encoding's `root`; the accessor's own
    /// attributes win where both have one.
    fn merged_start(&self, accessor: usize, target: usize) -> (BytesStart<'static>, BytesEnd<'static>) {
        let own = start_of(&self.events[accessor]).expect("an accessor is a start tag");
        let value = start_of(&self.events[target]).expect("a referenced value is a start tag");
        let name = String::from_utf8_lossy(own.name().as_ref()).into_owned();
        let mut start = BytesStart::new(name.clone());
        let mut keys: Vec<Vec<u8>> = Vec::new();
        let own_attributes = own.attributes().flatten().filter(|a| a.key.as_ref() != b"href");
        let value_attributes =
            value.attributes().flatten().filter(|a| a.key.as_ref() != b"id" && a.key.local_name().as_ref() != b"root");
        for attribute in own_attributes.chain(value_attributes) {
            if !keys.contains(&attribute.key.as_ref().to_vec()) {
                keys.push(attribute.key.as_ref().to_vec());
                start.push_attribute(attribute);
            }
        }
        (start.into_owned(), BytesEnd::new(name))
    }
}

struct Frame {
    next: usize,
    end: usize,
    close: Option<BytesEnd<'static>>,
    target: Option<usize>,
}

fn start_of<'e>(event: &'e Event<'static>) -> Option<&'e BytesStart<'static>> {
    match event {
        Event::Start(start) | Event::Empty(start) => Some(start),
        _ => None,
    }
}

/// An unqualified attribute's value, unescaped.
fn attribute(start: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let attribute = start.attributes().flatten().find(|a| a.key.as_ref() == name)?;
    attribute.unescape_value().ok().map(|v| v.into_owned())
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event<'_>) {
    // Writing into a Vec cannot fail.
    let _ = writer.write_event(event);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inlined(input: &str) -> String {
        String::from_utf8(inline(input.as_bytes()).unwrap().expect("has references")).unwrap()
    }

    #[test]
    fn an_accessor_takes_its_values_attributes_and_content_and_the_independent_element_goes() {
        // The shape of zeep's tests/test_soap_multiref.py response (mvantellingen/python-zeep).
        let input = r##"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><t:R xmlns:t="urn:t"><t:item_1 href="#id0"/><t:item_2>x</t:item_2></t:R><multiRef id="id0" xmlns:t2="urn:t" xsi:type="t2:type_1"><t:a>foo</t:a><t:b/></multiRef></e:Body></e:Envelope>"##;
        let expected = r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><t:R xmlns:t="urn:t"><t:item_1 xmlns:t2="urn:t" xsi:type="t2:type_1"><t:a>foo</t:a><t:b/></t:item_1><t:item_2>x</t:item_2></t:R></e:Body></e:Envelope>"#;
        assert_eq!(inlined(input), expected);
    }

    #[test]
    fn array_members_and_values_inside_values_are_resolved_each_where_used() {
        // As Axis 1 sends an array of beans: members are accessors, a bean refers to another,
        // and one value is shared by two members.
        let input = r##"<E><Body><r><list soapenc:arrayType="b:Bean[3]"><list href="#id0"/><list href="#id1"/><list href="#id0"></list></list></r><multiRef id="id0" soapenc:root="0"><name>a &amp; b</name><owner href="#id2"/></multiRef><multiRef id="id1" soapenc:root="0"><name>c</name></multiRef><multiRef id="id2" soapenc:root="0" xsi:type="xsd:string">ada</multiRef></Body></E>"##;
        let bean_a = r#"<name>a &amp; b</name><owner xsi:type="xsd:string">ada</owner>"#;
        let expected = format!(
            r#"<E><Body><r><list soapenc:arrayType="b:Bean[3]"><list>{bean_a}</list><list><name>c</name></list><list>{bean_a}</list></list></r></Body></E>"#
        );
        assert_eq!(inlined(input), expected);
    }

    #[test]
    fn documents_without_references_are_left_alone() {
        for input in [
            "<a><b>href</b></a>",
            r##"<a><b href="#nowhere"/></a>"##,
            r##"<a><b href="#x">text</b><c id="x"/></a>"##,
            "<a><b href=\"#x\"/>",
        ] {
            assert_eq!(inline(input.as_bytes()).unwrap(), None, "{input}");
        }
    }

    #[test]
    fn a_value_that_contains_itself_is_an_error_where_it_is_used() {
        let input = "<E><Body><r>\n  <v href=\"#a\"/></r><m id=\"a\"><n href=\"#b\"/></m><m id=\"b\"><v href=\"#a\"/></m></Body></E>";
        let error = inline(input.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("contains a reference to itself"), "{error}");
        // The innermost accessor that closes the loop, in the value `b`.
        assert_eq!((error.line(), error.column()), (2, 59));
    }

    #[test]
    fn values_shared_down_a_chain_cannot_grow_the_document_without_bound() {
        // Each value uses the next twice: written out, the document doubles per link.
        let mut input = String::from(r##"<E><Body><r href="#v0"/>"##);
        for i in 0..40 {
            input.push_str(&format!(r##"<m id="v{i}"><x href="#v{}"/><x href="#v{}"/></m>"##, i + 1, i + 1));
        }
        input.push_str(r#"<m id="v40">leaf</m></Body></E>"#);
        let error = inline(input.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("expand the response past"), "{error}");
    }
}
