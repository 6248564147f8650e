//! Raw XML kept as sent: `xs:any` (an element the schema does not name) and elements of
//! `xs:anyType` (any content). The element is kept as one standalone string: the namespace
//! declarations of its ancestors that its names use are copied onto it, so it can be
//! re-emitted, parsed or stored on its own.

use std::collections::HashSet;
use std::fmt;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use crate::error::{DecodeError, DecodeErrorKind};

/// One element matched by `xs:any`, kept as its outer XML. Writing it emits it verbatim
/// (the name the schema would give is ignored: a wildcard has none).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnyElement {
    xml: String,
}

/// The value of an element of type `xs:anyType`: its attributes (an `xsi:type` included)
/// and content, kept raw as one standalone element. Writing it emits it under the name the
/// schema gives the field.
///
/// Two values are equal when their attributes (namespace declarations aside) and content
/// are: the element's own name and prefix are the field's, not the value's.
#[derive(Debug, Clone)]
pub struct AnyXml {
    xml: String,
}

/// An attribute's name and value, as written.
type RawAttribute<'x> = (&'x [u8], &'x [u8]);

impl AnyXml {
    /// What equality compares: the attributes that are not namespace declarations, in
    /// order, and the content.
    fn significant(&self) -> (Vec<RawAttribute<'_>>, &str) {
        let tag = &self.xml[name_end(&self.xml)..start_tag_end(&self.xml)];
        let tag = tag.trim_end_matches('>').trim_end_matches('/');
        let declaration = |name: &[u8]| name == b"xmlns" || name.starts_with(b"xmlns:");
        let attributes = super::namespaces::attributes(tag.as_bytes()).filter(|(name, _)| !declaration(name));
        (attributes.collect(), self.content())
    }
}

impl PartialEq for AnyXml {
    fn eq(&self, other: &Self) -> bool {
        self.significant() == other.significant()
    }
}

impl Eq for AnyXml {}

impl std::hash::Hash for AnyXml {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.significant().hash(state);
    }
}

macro_rules! raw_xml_methods {
    ($ty:ident) => {
        impl $ty {
            /// Checks that `xml` is one well-formed element and keeps it.
            pub fn from_xml_str(xml: &str) -> Result<Self, DecodeError> {
                let mut r = XmlReader::new(xml.as_bytes());
                let root = r.root()?;
                let value = Self::read_xml(&mut r, &root)?;
                r.finish()?;
                Ok(value)
            }

            /// The element as standalone XML.
            pub fn as_str(&self) -> &str {
                &self.xml
            }

            /// The element's qualified name as written (`p:Detail`).
            pub fn name(&self) -> &str {
                &self.xml[1..name_end(&self.xml)]
            }

            /// The element's name without its prefix.
            pub fn local_name(&self) -> &str {
                let name = self.name();
                name.rsplit(':').next().unwrap_or(name)
            }

            /// Reads the element as a generated (or built-in) type.
            pub fn parse<T: FromXml>(&self) -> Result<T, DecodeError> {
                let mut r = XmlReader::new(self.xml.as_bytes());
                let root = r.root()?;
                let value = r.read(&root)?;
                r.finish()?;
                Ok(value)
            }
        }

        impl FromXml for $ty {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                Ok(Self { xml: standalone(r, element)? })
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.xml)
            }
        }

        /// With the `serde` feature: the XML as a JSON string.
        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.xml)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let xml = String::deserialize(deserializer)?;
                Self::from_xml_str(&xml).map_err(serde::de::Error::custom)
            }
        }
    };
}

raw_xml_methods!(AnyElement);
raw_xml_methods!(AnyXml);

impl AnyXml {
    /// The content between the start and end tags, as sent.
    pub fn content(&self) -> &str {
        let xml = self.xml.as_str();
        match xml.ends_with("/>") {
            true => "",
            false => {
                let open_end = start_tag_end(xml);
                let close = xml.rfind("</").unwrap_or(xml.len());
                &xml[open_end..close]
            }
        }
    }
}

impl ToXml for AnyElement {
    fn write_xml(&self, w: &mut XmlWriter, _name: &str) {
        w.raw(&self.xml);
    }
}

impl ToXml for AnyXml {
    /// The kept element renamed `name`: its attributes and content as they were.
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        let xml = self.xml.as_str();
        let after_name = &xml[name_end(xml)..];
        w.raw("<");
        w.raw(name);
        if xml.ends_with("/>") {
            w.raw(after_name);
            return;
        }
        let close = xml.rfind("</").unwrap_or(xml.len());
        w.raw(&xml[name_end(xml)..close]);
        w.end(name);
    }
}

/// Where the element name ends in a start tag (`<p:a x="1">` -> 4).
fn name_end(xml: &str) -> usize {
    xml[1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').map_or(xml.len(), |i| i + 1)
}

/// Where the start tag of a standalone element ends (after its `>`). Attribute values may
/// hold `>`, so quotes are skipped.
fn start_tag_end(xml: &str) -> usize {
    let mut quote = None;
    for (i, c) in xml.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    xml.len()
}

/// `element` as sent, with the declarations of its ancestors that it needs added to its start
/// tag. Reads past its end tag.
fn standalone<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<String, DecodeError> {
    let in_scope = r.ancestor_namespaces();
    let outer = r.read_outer_xml(element)?;
    let needed = undeclared_prefixes(outer).map_err(|message| r.error(element, DecodeErrorKind::Malformed(message)))?;
    let mut declarations = String::new();
    // In document order of the ancestors' declarations: deterministic.
    for (prefix, value) in in_scope.iter().filter(|(prefix, _)| needed.contains(prefix)) {
        match prefix.is_empty() {
            true => declarations.push_str(&format!(" xmlns=\"{value}\"")),
            false => declarations.push_str(&format!(" xmlns:{prefix}=\"{value}\"")),
        }
    }
    let at = name_end(outer);
    Ok(format!("{}{declarations}{}", &outer[..at], &outer[at..]))
}

/// The prefixes `xml` uses that it does not declare itself (`""` for the default namespace):
/// in element and attribute names, and in `xsi:type` values, which are qualified names.
fn undeclared_prefixes(xml: &str) -> Result<HashSet<String>, String> {
    let mut reader = Reader::from_str(xml);
    // One entry per open element: the prefixes it declares.
    let mut open: Vec<Vec<String>> = Vec::new();
    let mut needed = HashSet::new();
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(start) => {
                let declared = declarations(&start).into_iter().map(|(p, _)| p).collect();
                open.push(declared);
                note_used(&start, &open, &mut needed);
            }
            Event::Empty(start) => {
                open.push(declarations(&start).into_iter().map(|(p, _)| p).collect());
                note_used(&start, &open, &mut needed);
                open.pop();
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Eof => return Ok(needed),
            _ => {}
        }
    }
}

fn note_used(start: &BytesStart<'_>, open: &[Vec<String>], needed: &mut HashSet<String>) {
    let declared = |prefix: &str| open.iter().any(|scope| scope.iter().any(|p| p == prefix));
    let mut used = vec![prefix_of(start.name().into_inner()).to_owned()];
    for attribute in start.attributes().with_checks(false).flatten() {
        let key = attribute.key.into_inner();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let prefix = prefix_of(key);
        if !prefix.is_empty() {
            used.push(prefix.to_owned());
        }
        if key.ends_with(b":type") {
            let value = String::from_utf8_lossy(&attribute.value).into_owned();
            if let Some((value_prefix, _)) = value.split_once(':') {
                used.push(value_prefix.to_owned());
            }
        }
    }
    for prefix in used {
        if prefix != "xml" && !declared(&prefix) {
            needed.insert(prefix);
        }
    }
}

fn prefix_of(name: &[u8]) -> &str {
    let name = std::str::from_utf8(name).unwrap_or("");
    name.split_once(':').map_or("", |(prefix, _)| prefix)
}

/// The namespace declarations of a start tag: (`""` for `xmlns`, or the prefix, raw value).
pub(super) fn declarations(start: &BytesStart<'_>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for attribute in start.attributes().with_checks(false).flatten() {
        let key = attribute.key.into_inner();
        let prefix = match key {
            b"xmlns" => "",
            _ => match key.strip_prefix(b"xmlns:") {
                Some(prefix) => std::str::from_utf8(prefix).unwrap_or(""),
                None => continue,
            },
        };
        found.push((prefix.to_owned(), String::from_utf8_lossy(&attribute.value).into_owned()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child_of_root<T: FromXml>(doc: &str) -> T {
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        let child = r.next_child(&root).unwrap().unwrap();
        r.read(&child).unwrap()
    }

    #[test]
    fn an_element_carries_the_ancestor_declarations_its_names_use() {
        let doc = r#"<s:Envelope xmlns:s="urn:soap" xmlns:d="urn:detail" xmlns:x="urn:unused" xmlns:xsi="urn:xsi">
            <s:Body><d:Error code="1"><d:Reason xsi:type="d:Text">late &amp; lost</d:Reason></d:Error></s:Body></s:Envelope>"#;
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        let body = r.next_child(&root).unwrap().unwrap();
        let error = r.next_child(&body).unwrap().unwrap();
        let any: AnyElement = r.read(&error).unwrap();
        assert_eq!(
            any.as_str(),
            r#"<d:Error xmlns:d="urn:detail" xmlns:xsi="urn:xsi" code="1"><d:Reason xsi:type="d:Text">late &amp; lost</d:Reason></d:Error>"#
        );
        assert_eq!((any.name(), any.local_name()), ("d:Error", "Error"));
        // The rest of the document reads on.
        assert!(r.next_child(&body).unwrap().is_none());
    }

    #[test]
    fn a_default_namespace_is_carried_and_a_redeclared_prefix_is_not() {
        let doc = r#"<root xmlns="urn:a" xmlns:p="urn:outer"><item><p:x xmlns:p="urn:inner"/></item></root>"#;
        let any: AnyElement = child_of_root(doc);
        assert_eq!(any.as_str(), r#"<item xmlns="urn:a"><p:x xmlns:p="urn:inner"/></item>"#);
    }

    #[test]
    fn the_innermost_declaration_wins_and_closed_scopes_are_gone() {
        let doc = r#"<r xmlns:p="urn:1"><a xmlns:p="urn:2"/><b xmlns:q="urn:q"><c/></b><p:d/></r>"#;
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        for _ in 0..2 {
            let skipped = r.next_child(&root).unwrap().unwrap();
            r.skip(&skipped).unwrap();
        }
        let d = r.next_child(&root).unwrap().unwrap();
        let any: AnyElement = r.read(&d).unwrap();
        assert_eq!(any.as_str(), r#"<p:d xmlns:p="urn:1"/>"#);
    }

    #[test]
    fn raw_xml_round_trips_and_parses_as_a_type() {
        let any = AnyElement::from_xml_str(r#"<n:count xmlns:n="urn:n">42</n:count>"#).unwrap();
        let mut w = XmlWriter::new();
        any.write_xml(&mut w, "ignored");
        assert_eq!(String::from_utf8(w.into_bytes()).unwrap(), any.as_str());
        assert_eq!(any.parse::<i32>().unwrap(), 42);
        assert!(AnyElement::from_xml_str("<a><b></a>").is_err());
    }

    #[test]
    fn any_type_content_is_renamed_when_written_and_keeps_xsi_type() {
        let doc = r#"<r xmlns:xsi="urn:xsi" xmlns:xs="urn:xs"><value xsi:type="xs:int">7</value><empty/></r>"#;
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        let value = r.next_child(&root).unwrap().unwrap();
        let value: AnyXml = r.read(&value).unwrap();
        assert_eq!(value.content(), "7");
        let empty = r.next_child(&root).unwrap().unwrap();
        let empty: AnyXml = r.read(&empty).unwrap();
        assert_eq!(empty.content(), "");
        let mut w = XmlWriter::new();
        value.write_xml(&mut w, "ns1:value");
        empty.write_xml(&mut w, "ns1:empty");
        let written = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(
            written,
            r#"<ns1:value xmlns:xsi="urn:xsi" xmlns:xs="urn:xs" xsi:type="xs:int">7</ns1:value><ns1:empty/>"#
        );
    }

    #[test]
    fn any_xml_values_are_equal_whatever_the_element_is_named_or_declares() {
        let a = AnyXml::from_xml_str(r#"<anyType xmlns="urn:a" code="1">text</anyType>"#).unwrap();
        let b = AnyXml::from_xml_str(r#"<ns1:anyType xmlns:ns1="urn:a" xmlns="urn:a" code="1">text</ns1:anyType>"#)
            .unwrap();
        assert_eq!(a, b);
        let other = AnyXml::from_xml_str(r#"<anyType code="2">text</anyType>"#).unwrap();
        assert_ne!(a, other);
        assert_ne!(a, AnyXml::from_xml_str(r#"<anyType code="1">other</anyType>"#).unwrap());
    }
}
