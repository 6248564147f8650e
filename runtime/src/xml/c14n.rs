//! Exclusive XML Canonicalization 1.0 without comments (W3C `xml-exc-c14n`), the form XML
//! Signature digests and signs in WS-Security: an element and its content, namespace
//! declarations only where a name visibly uses them, attributes sorted, empty elements
//! written as start and end tags, text and values escaped one way.

use std::borrow::Cow;
use std::fmt;

use super::namespaces;
use super::tokens::{Token, Tokens};

/// Why a subtree cannot be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct C14nError(String);

impl fmt::Display for C14nError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for C14nError {}

/// Namespace declarations: prefix (empty for the default namespace) and namespace.
type Declarations<'a> = Vec<(&'a [u8], Cow<'a, str>)>;

/// The in-scope namespace declarations of each open element, innermost last.
type Scopes<'a> = Vec<Declarations<'a>>;

/// The canonical form of the element whose start tag begins at byte `start` of
/// `document`, with the prefixes of `inclusive` (an `InclusiveNamespaces PrefixList`;
/// `#default` for the default namespace) treated as in inclusive canonicalization.
pub fn exclusive(document: &[u8], start: usize, inclusive: &[&str]) -> Result<Vec<u8>, C14nError> {
    let mut tokens = Tokens::new(document);
    let mut scopes: Scopes<'_> = Vec::new();
    loop {
        let at = tokens.position();
        let token = tokens.next().map_err(|e| C14nError(format!("at byte {}: {}", e.at, e.message)))?;
        match token {
            Token::Start { name, attributes, .. } | Token::Empty { name, attributes, .. } if at == start => {
                let empty = matches!(token, Token::Empty { .. });
                return Canonical::new(document, inclusive, scopes).subtree(&mut tokens, name, attributes, empty);
            }
            Token::Start { attributes, .. } => scopes.push(declarations(attributes)?),
            Token::End => {
                scopes.pop();
            }
            Token::Eof => return Err(C14nError(format!("no element starts at byte {start}"))),
            _ => {}
        }
    }
}

struct Canonical<'a, 'i> {
    document: &'a [u8],
    inclusive: &'i [&'i str],
    /// Declarations in scope, from the document's root.
    scopes: Scopes<'a>,
    /// What each output element rendered, innermost last: prefix and namespace.
    rendered: Vec<Declarations<'a>>,
    out: Vec<u8>,
}

impl<'a, 'i> Canonical<'a, 'i> {
    fn new(document: &'a [u8], inclusive: &'i [&'i str], scopes: Scopes<'a>) -> Self {
        Self { document, inclusive, scopes, rendered: Vec::new(), out: Vec::with_capacity(document.len() / 2) }
    }

    fn subtree(
        mut self,
        tokens: &mut Tokens<'a>,
        name: &'a [u8],
        attributes: &'a [u8],
        empty: bool,
    ) -> Result<Vec<u8>, C14nError> {
        let mut open = vec![name];
        self.start_tag(name, attributes)?;
        if empty {
            self.end_tag(name);
            return Ok(self.out);
        }
        while let Some(&current) = open.last() {
            let at = tokens.position();
            match tokens.next().map_err(|e| C14nError(format!("at byte {}: {}", e.at, e.message)))? {
                Token::Start { name, attributes, .. } => {
                    self.start_tag(name, attributes)?;
                    open.push(name);
                }
                Token::Empty { name, attributes, .. } => {
                    self.start_tag(name, attributes)?;
                    self.end_tag(name);
                }
                Token::End => {
                    self.end_tag(current);
                    open.pop();
                }
                Token::Text(raw) => escape_text(&mut self.out, unescape(&line_ends(raw))?.as_bytes()),
                Token::CData(raw) => escape_text(&mut self.out, &line_ends(raw)),
                Token::Pi => self.out.extend_from_slice(&line_ends(&self.document[at..tokens.position()])),
                Token::Comment | Token::Decl(_) | Token::DocType => {}
                Token::Eof => return Err(C14nError("the document ends inside the element".into())),
            }
        }
        Ok(self.out)
    }

    fn start_tag(&mut self, name: &'a [u8], attributes: &'a [u8]) -> Result<(), C14nError> {
        self.scopes.push(declarations(attributes)?);
        let mut plain: Vec<(&'a [u8], &'a [u8])> = Vec::new();
        for (qname, value) in namespaces::attributes(attributes) {
            if qname != b"xmlns" && !qname.starts_with(b"xmlns:") {
                plain.push((qname, value));
            }
        }
        // The prefixes this element visibly uses: its own, its attributes' and the
        // inclusive ones in scope.
        let mut used: Vec<&'a [u8]> = vec![prefix(name)];
        used.extend(plain.iter().map(|(qname, _)| prefix(qname)).filter(|p| !p.is_empty()));
        let inclusive: Vec<&'a [u8]> = self.inclusive_in_scope();
        used.extend(inclusive);
        used.sort_unstable();
        used.dedup();
        // `xml` is bound by definition and never declared.
        used.retain(|prefix| *prefix != b"xml");
        let mut declared = Vec::new();
        for prefix in used {
            let uri = self.in_scope(prefix);
            let shown = self.rendered.iter().rev().flatten().find(|(p, _)| *p == prefix).map(|(_, u)| u.as_ref());
            let needed = match shown {
                Some(shown) => shown != uri.as_ref(),
                None => !(prefix.is_empty() && uri.is_empty()),
            };
            if needed {
                declared.push((prefix, uri));
            }
        }
        let mut sorted = Vec::with_capacity(plain.len());
        for (qname, value) in plain {
            let uri = match prefix(qname) {
                b"" => Cow::Borrowed(""),
                p => self.in_scope(p),
            };
            sorted.push((uri, local(qname), qname, value));
        }
        sorted.sort_by(|a, b| (a.0.as_ref(), a.1).cmp(&(b.0.as_ref(), b.1)));
        self.out.push(b'<');
        self.out.extend_from_slice(name);
        for (prefix, uri) in &declared {
            self.out.extend_from_slice(if prefix.is_empty() { b" xmlns" } else { b" xmlns:" });
            self.out.extend_from_slice(prefix);
            self.out.extend_from_slice(b"=\"");
            escape_attribute(&mut self.out, uri);
            self.out.push(b'"');
        }
        for (_, _, qname, value) in sorted {
            self.out.push(b' ');
            self.out.extend_from_slice(qname);
            self.out.extend_from_slice(b"=\"");
            escape_attribute(&mut self.out, &attribute_value(value)?);
            self.out.push(b'"');
        }
        self.out.push(b'>');
        self.rendered.push(declared);
        Ok(())
    }

    fn end_tag(&mut self, name: &[u8]) {
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(name);
        self.out.push(b'>');
        self.rendered.pop();
        self.scopes.pop();
    }

    /// The namespace `prefix` is bound to where the current element is (`""` for an
    /// undeclared default namespace).
    fn in_scope(&self, prefix: &[u8]) -> Cow<'a, str> {
        let declared = self.scopes.iter().rev().flatten().find(|(p, _)| *p == prefix).map(|(_, uri)| uri.clone());
        match (declared, prefix) {
            (Some(uri), _) => uri,
            (None, b"xml") => Cow::Borrowed("http://www.w3.org/XML/1998/namespace"),
            (None, _) => Cow::Borrowed(""),
        }
    }

    fn inclusive_in_scope(&self) -> Vec<&'a [u8]> {
        let mut found = Vec::new();
        for wanted in self.inclusive {
            let wanted: &[u8] = if *wanted == "#default" { b"" } else { wanted.as_bytes() };
            if let Some((prefix, _)) = self.scopes.iter().rev().flatten().find(|(p, _)| *p == wanted) {
                found.push(*prefix);
            }
        }
        found
    }
}

/// The namespace declarations among an element's attributes: prefix (empty for the
/// default namespace) and namespace.
fn declarations(attributes: &[u8]) -> Result<Declarations<'_>, C14nError> {
    let mut found = Vec::new();
    for (qname, value) in namespaces::attributes(attributes) {
        let prefix: &[u8] = match qname {
            b"xmlns" => b"",
            _ => match qname.strip_prefix(b"xmlns:") {
                Some(prefix) => prefix,
                None => continue,
            },
        };
        found.push((prefix, attribute_value(value)?));
    }
    Ok(found)
}

fn prefix(qname: &[u8]) -> &[u8] {
    qname.iter().position(|&b| b == b':').map_or(b"", |colon| &qname[..colon])
}

fn local(qname: &[u8]) -> &[u8] {
    qname.iter().position(|&b| b == b':').map_or(qname, |colon| &qname[colon + 1..])
}

/// Line ends as an XML parser reports them: CR LF and a lone CR are LF.
fn line_ends(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'\r') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().peekable();
    while let Some(&b) = bytes.next() {
        match b {
            b'\r' => {
                bytes.next_if(|&&next| next == b'\n');
                out.push(b'\n');
            }
            _ => out.push(b),
        }
    }
    Cow::Owned(out)
}

fn unescape(raw: &[u8]) -> Result<Cow<'_, str>, C14nError> {
    let text = std::str::from_utf8(raw).map_err(|_| C14nError("the document is not UTF-8".into()))?;
    if !text.contains('&') {
        return Ok(Cow::Borrowed(text));
    }
    quick_xml::escape::unescape(text).map(|t| Cow::Owned(t.into_owned())).map_err(|e| C14nError(e.to_string()))
}

/// An attribute's value as a parser reports it: white space characters written literally
/// are spaces, then references are expanded.
fn attribute_value(raw: &[u8]) -> Result<Cow<'_, str>, C14nError> {
    let spaced = line_ends(raw);
    match spaced.iter().any(|b| matches!(b, b'\t' | b'\n')) {
        false => match spaced {
            Cow::Borrowed(raw) => unescape(raw),
            Cow::Owned(bytes) => unescape(&bytes).map(|t| Cow::Owned(t.into_owned())),
        },
        true => {
            let bytes: Vec<u8> = spaced.iter().map(|&b| if matches!(b, b'\t' | b'\n') { b' ' } else { b }).collect();
            unescape(&bytes).map(|t| Cow::Owned(t.into_owned()))
        }
    }
}

fn escape_text(out: &mut Vec<u8>, text: &[u8]) {
    for &b in text {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

fn escape_attribute(out: &mut Vec<u8>, value: &str) {
    for &b in value.as_bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(document: &str, element: &str) -> String {
        let start = document.find(element).expect("the element");
        String::from_utf8(exclusive(document.as_bytes(), start, &[]).unwrap()).unwrap()
    }

    /// The exc-c14n recommendation's example (section 2.2): the same element in two
    /// documents with different ancestors' declarations canonicalizes to one form.
    #[test]
    fn the_recommendations_example_is_independent_of_its_context() {
        let first = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>"#;
        let second = r#"<n2:pdu xmlns:n1="http://example.com" xmlns:n2="http://foo.example" xml:lang="fr" xml:space="retain"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n2:pdu>"#;
        let expected = r#"<n1:elem2 xmlns:n1="http://example.net" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>"#;
        assert_eq!(of(first, "<n1:elem2"), expected);
        assert_eq!(of(second, "<n1:elem2"), expected);
    }

    #[test]
    fn attributes_sort_by_namespace_then_name_and_text_is_escaped_one_way() {
        let document = "<r xmlns=\"urn:d\" xmlns:b=\"urn:b\" xmlns:a=\"urn:a\"><e b:x=\"1\" z=\"&#9;t&quot;\" a:y=\"2\" c=\"a\r\nb\"><!-- gone -->x &gt; y &amp; &#13;\r\n<![CDATA[<raw>]]><f/></e></r>";
        assert_eq!(
            of(document, "<e"),
            "<e xmlns=\"urn:d\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" c=\"a b\" z=\"&#x9;t&quot;\" a:y=\"2\" b:x=\"1\">x &gt; y &amp; &#xD;\n&lt;raw&gt;<f></f></e>"
        );
        // A default namespace undeclared below one that was rendered.
        assert_eq!(
            of("<a xmlns=\"urn:d\"><b xmlns=\"\"><c/></b></a>", "<a"),
            "<a xmlns=\"urn:d\"><b xmlns=\"\"><c></c></b></a>"
        );
        assert_eq!(of("<a xmlns=\"urn:d\"><b xmlns=\"\"><c/></b></a>", "<b"), "<b><c></c></b>");
    }

    #[test]
    fn inclusive_prefixes_are_rendered_where_in_scope() {
        let document = r#"<s:E xmlns:s="urn:s" xmlns:x="urn:x" xmlns:unused="urn:u"><s:Body><m>1</m></s:Body></s:E>"#;
        let start = document.find("<s:Body").unwrap();
        let with = exclusive(document.as_bytes(), start, &["x"]).unwrap();
        assert_eq!(String::from_utf8(with).unwrap(), r#"<s:Body xmlns:s="urn:s" xmlns:x="urn:x"><m>1</m></s:Body>"#);
        assert!(exclusive(document.as_bytes(), 3, &[]).is_err(), "no element starts there");
    }
}
