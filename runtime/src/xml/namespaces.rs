//! The namespace declarations in scope while reading, so that a prefix resolves to the URI
//! it stands for where the schema needs it (an element name two namespaces share, an
//! `xsi:type` value), without a lookup for every element.

use std::borrow::Cow;

/// The namespace the `xml` prefix is bound to by definition.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// One `xmlns="..."` or `xmlns:p="..."`, with the depth of the element that declares it.
#[derive(Debug)]
struct Declaration<'a> {
    depth: u32,
    /// Empty for the default namespace.
    prefix: &'a [u8],
    /// Empty for an undeclaration (`xmlns=""`).
    uri: Cow<'a, str>,
}

/// The declarations of the open elements, innermost last. Most SOAP documents declare
/// their namespaces on the envelope alone, so this stays a handful of entries.
#[derive(Debug, Default)]
pub(crate) struct Scopes<'a> {
    declarations: Vec<Declaration<'a>>,
    /// The number of open elements.
    depth: u32,
    /// An empty-element tag's declarations apply to it alone: they go when the next event
    /// is read.
    empty_open: bool,
}

impl<'a> Scopes<'a> {
    /// Before the next event: an empty element read last is closed now.
    #[inline(always)]
    pub(crate) fn before_event(&mut self) {
        if self.empty_open {
            self.empty_open = false;
            self.leave();
        }
    }

    /// A start tag (or empty-element tag) was read from `input`, which `start` borrows.
    #[inline(always)]
    pub(crate) fn enter(&mut self, attributes: &'a [u8], empty: bool) {
        self.depth += 1;
        self.empty_open = empty;
        // Most elements carry no attributes, and most attributes are not declarations.
        if attributes.len() > 5 && memchr::memmem::find(attributes, b"xmlns").is_some() {
            self.declare(attributes);
        }
    }

    /// An end tag was read.
    #[inline(always)]
    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        while self.declarations.last().is_some_and(|d| d.depth > self.depth) {
            self.declarations.pop();
        }
    }

    fn declare(&mut self, raw: &'a [u8]) {
        for (name, value) in attributes(raw) {
            let prefix = match name {
                b"xmlns" => &name[..0],
                _ => match name.strip_prefix(b"xmlns:") {
                    Some(prefix) => prefix,
                    None => continue,
                },
            };
            let uri = match std::str::from_utf8(value) {
                Ok(text) if text.contains('&') => match quick_xml::escape::unescape(text) {
                    Ok(unescaped) => Cow::Owned(unescaped.into_owned()),
                    Err(_) => Cow::Borrowed(text),
                },
                Ok(text) => Cow::Borrowed(text),
                Err(_) => continue,
            };
            self.declarations.push(Declaration { depth: self.depth, prefix, uri });
        }
    }

    /// The namespace `prefix` stands for (the default namespace for an empty prefix), or
    /// `None` when it stands for none: no default namespace, or a prefix not declared.
    pub(crate) fn resolve(&self, prefix: &[u8]) -> Option<&str> {
        if prefix == b"xml" {
            return Some(XML_NAMESPACE);
        }
        let found = self.declarations.iter().rev().find(|d| d.prefix == prefix)?;
        (!found.uri.is_empty()).then_some(found.uri.as_ref())
    }

    /// The declarations of the open elements enclosing the one read last (not its own),
    /// each prefix once, the innermost, outermost first; values escaped for an attribute:
    /// what an element copied out of the document needs declared to mean the same.
    pub(crate) fn of_ancestors(&self) -> Vec<(String, String)> {
        let mut scope: Vec<(String, String)> = Vec::new();
        for declaration in self.declarations.iter().filter(|d| d.depth < self.depth) {
            let prefix = String::from_utf8_lossy(declaration.prefix).into_owned();
            scope.retain(|(p, _)| *p != prefix);
            let value = declaration.uri.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
            scope.push((prefix, value));
        }
        scope
    }
}

/// The `name="value"` pairs of a start tag's raw attribute text, values as written.
/// Malformed text ends the list; the tokens have already found where the tag ends.
pub(crate) fn attributes(raw: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = raw.trim_ascii_start();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let equals = rest.iter().position(|&b| b == b'=')?;
        let name = rest[..equals].trim_ascii_end();
        let after = rest[equals + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let length = after[1..].iter().position(|&b| b == quote)?;
        let value = &after[1..1 + length];
        rest = after[length + 2..].trim_ascii_start();
        Some((name, value))
    })
}

/// The prefix of a qualified name (`SOAP-ENV` of `SOAP-ENV:Body`), empty when it has none.
pub(crate) fn prefix_of(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(colon) => &name[..colon],
        None => &name[..0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::tokens::{Token, Tokens};

    /// Reads `doc` to the first start tag named `stop` and says what `prefixes` resolve to.
    fn resolved_at(doc: &'static str, stop: &str, prefixes: &[&str]) -> Vec<Option<String>> {
        let mut tokens = Tokens::new(doc.as_bytes());
        let mut scopes = Scopes::default();
        loop {
            scopes.before_event();
            match tokens.next().unwrap() {
                Token::Start { name, attributes, .. } | Token::Empty { name, attributes, .. }
                    if name == stop.as_bytes() =>
                {
                    scopes.enter(attributes, false);
                    break;
                }
                Token::Start { attributes, .. } => scopes.enter(attributes, false),
                Token::Empty { attributes, .. } => scopes.enter(attributes, true),
                Token::End => scopes.leave(),
                Token::Eof => panic!("no <{stop}>"),
                _ => {}
            }
        }
        prefixes.iter().map(|p| scopes.resolve(p.as_bytes()).map(str::to_owned)).collect()
    }

    #[test]
    fn prefixes_resolve_to_the_innermost_declaration_in_scope() {
        let doc = r#"<e xmlns="d" xmlns:a="one"><x xmlns:a="two"/><y xmlns:a="three"><z/></y><w/></e>"#;
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(resolved_at(doc, "z", &["a", ""]), [some("three"), some("d")]);
        // `x` was an empty element and `y` has closed: their declarations are gone.
        assert_eq!(resolved_at(doc, "w", &["a", "", "b"]), [some("one"), some("d"), None]);
        assert_eq!(resolved_at(doc, "x", &["xml"]), [some(XML_NAMESPACE)]);
    }

    #[test]
    fn an_empty_default_declaration_undeclares_and_entities_are_unescaped() {
        let doc = r#"<e xmlns="d" xmlns:q="urn:a&amp;b"><f xmlns=""><g/></f></e>"#;
        assert_eq!(resolved_at(doc, "g", &["", "q"]), [None, Some("urn:a&b".to_owned())]);
    }

    #[test]
    fn attribute_pairs_and_prefixes_are_split() {
        let pairs: Vec<_> = attributes(br#" a="1"  b:c = '2' "#).collect();
        assert_eq!(pairs, [(&b"a"[..], &b"1"[..]), (&b"b:c"[..], &b"2"[..])]);
        assert_eq!(attributes(b" broken=value").count(), 0);
        assert_eq!(prefix_of(b"SOAP-ENV:Body"), b"SOAP-ENV");
        assert_eq!(prefix_of(b"Body"), b"");
    }
}
