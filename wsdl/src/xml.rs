//! Parsing one document's XML, with a bound on its nesting.
//!
//! The walks of the tree here recurse, one call per level of element nesting (and so did
//! roxmltree's parser before 0.21.2): a few thousand nested elements (inside
//! `wsdl:documentation`, say) would overflow a thread's stack and abort the process. A scan
//! of the markup first refuses documents nested past [`MAX_DEPTH`], so that every walk of
//! the tree stays well inside any thread's stack.

use crate::ErrorKind;

/// How deep elements may nest in a WSDL or schema document. The deepest of the 161 real
/// documents in the corpora nests 17 deep (Cisco AXL's schema); at 128, roxmltree and the
/// schema reader fit a debug build's 2 MiB test thread with room to spare (about 5 KiB of
/// stack per level there, 0.7 KiB in release).
pub const MAX_DEPTH: usize = 128;

/// An unqualified attribute's value. roxmltree (0.21 on) matches a plain name against an
/// attribute of any namespace, `attribute("type")` finding `x:type` as well; the XML Schema
/// and WSDL attributes read here are unqualified ones, so they are looked up only as such.
pub(crate) trait Attr<'a> {
    fn attr(&self, name: &str) -> Option<&'a str>;
}

impl<'a> Attr<'a> for roxmltree::Node<'a, '_> {
    fn attr(&self, name: &str) -> Option<&'a str> {
        self.attributes().find(|a| a.namespace().is_none() && a.name() == name).map(|a| a.value())
    }
}

/// Why a document could not be parsed, and where (1-based, columns in characters).
pub(crate) struct XmlError {
    /// [`ErrorKind::Xml`] for malformed XML, [`ErrorKind::Invalid`] past the depth limit.
    pub kind: ErrorKind,
    pub line: u32,
    pub column: u32,
}

/// Parses `text` as XML without a DTD, refusing nesting past [`MAX_DEPTH`].
pub(crate) fn parse(text: &str) -> Result<roxmltree::Document<'_>, XmlError> {
    if let Some(offset) = too_deep(text.as_bytes()) {
        let (line, column) = crate::LineStarts::new(text).position(text, offset);
        let message = format!("elements nest more than {MAX_DEPTH} deep here (the limit for a WSDL or schema)");
        return Err(XmlError { kind: ErrorKind::Invalid(message), line, column });
    }
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        XmlError { kind: ErrorKind::Xml(e.to_string()), line: pos.row, column: pos.col }
    })
}

/// The offset of the first start tag nested deeper than [`MAX_DEPTH`]. Malformed markup is
/// counted as well as it can be: the parser that follows reports what is wrong with it.
fn too_deep(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(found) = text[at..].iter().position(|&b| b == b'<') {
        let start = at + found;
        let rest = &text[start..];
        let (skip_to, change) = if rest.starts_with(b"<!--") {
            (find(text, start + 4, b"-->"), 0)
        } else if rest.starts_with(b"<![CDATA[") {
            (find(text, start + 9, b"]]>"), 0)
        } else if rest.starts_with(b"<?") {
            (find(text, start + 2, b"?>"), 0)
        } else if rest.starts_with(b"<!") {
            (find(text, start + 2, b">"), 0)
        } else if rest.starts_with(b"</") {
            (find(text, start + 2, b">"), -1)
        } else {
            let end = tag_end(text, start + 1);
            let self_closing = end.is_some_and(|end| text[end - 1] == b'/');
            (end.map(|end| end + 1), if self_closing { 0 } else { 1 })
        };
        match change {
            1 => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(start);
                }
            }
            -1 => depth = depth.saturating_sub(1),
            _ => {}
        }
        at = skip_to?;
    }
    None
}

/// The offset just past the first `needle` at or after `from`.
fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = text.get(from..)?;
    hay.windows(needle.len()).position(|w| w == needle).map(|i| from + i + needle.len())
}

/// The offset of the `>` that closes a start tag, outside quoted attribute values.
fn tag_end(text: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in text.get(from..)?.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("<r>\n{}{}</r>", "<x a='>' b=\"/>\">".repeat(depth - 1), "</x>".repeat(depth - 1))
    }

    #[test]
    fn attributes_are_read_unqualified_only() {
        let doc = parse(r#"<e xmlns:x="urn:x" x:type="x:Other" type="xs:string" x:name="n"/>"#).ok().unwrap();
        let e = doc.root_element();
        assert_eq!(e.attr("type"), Some("xs:string"));
        assert_eq!(e.attr("name"), None);
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
    }

    #[test]
    fn nesting_past_the_limit_is_refused_where_it_goes_past() {
        let error = parse(&nested(MAX_DEPTH + 1)).expect_err("refused");
        let ErrorKind::Invalid(message) = &error.kind else { panic!("{:?}", error.kind) };
        assert!(message.contains("nest more than 128 deep"), "{message}");
        let opening = "<x a='>' b=\"/>\">".chars().count() as u32;
        assert_eq!((error.line, error.column), (2, (MAX_DEPTH as u32 - 1) * opening + 1));
    }

    #[test]
    fn a_hundred_thousand_levels_are_refused_not_a_stack_overflow() {
        let deep = format!("<r>{}{}</r>", "<x>".repeat(100_000), "</x>".repeat(100_000));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn comments_cdata_empty_elements_and_instructions_do_not_count() {
        let inner = "<!-- <a><a> --><![CDATA[<b><b>]]><?pi <c>?><e/><e a='1'/>";
        let doc = format!("<r>{}</r>", inner.repeat(MAX_DEPTH * 2));
        assert!(parse(&doc).is_ok());
    }

    #[test]
    fn siblings_do_not_add_up() {
        let doc = format!("<r>{}</r>", "<a><b/></a>".repeat(10_000));
        assert!(parse(&doc).is_ok());
    }
}
