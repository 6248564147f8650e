//! Reads a WSDL 1.1 document, the documents it imports and the XML Schemas they hold into a
//! resolved [`Wsdl`] model: every type reference points at a built-in or a type that
//! exists, every binding knows its operations' parts and headers.
//!
//! The stages, one module each:
//! * [`load`]: the documents to read, the entry first, through a [`Resolver`];
//! * `schema`: every `xs:schema` into [`Schema`], names qualified, content as a
//!   particle tree, anonymous types named after where they stand;
//! * `services`: messages, port types, bindings and services.
//!
//! What the XML cannot mean (a dangling reference, a duplicate) and what the model cannot
//! hold are [`Error`]s naming the construct and its `file:line:column`, never silently
//! dropped. Deciding what the generator supports is the generator's job.

mod docs;
mod error;
mod model;
mod resolve;
mod schema;
mod services;
mod xml;

pub use error::{Error, ErrorKind, Location};
pub use model::*;
pub use resolve::*;
pub use schema::MAX_EXTENSION_DEPTH;
use xml::Attr;
pub use xml::MAX_DEPTH;

/// Namespaces this crate understands.
pub mod ns {
    pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
    pub const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    /// SOAP 1.1 encoding (`soapenc:Array`, `soapenc:arrayType`).
    pub const SOAP_ENCODING: &str = "http://schemas.xmlsoap.org/soap/encoding/";
    /// Where WSDLs put a message's WS-Addressing action (`wsam:Action`, the W3C
    /// recommendation's; `wsaw:Action`, its candidate WCF writes; `wsa:Action`, the 2004
    /// submission's), in the order they are looked for.
    pub const ADDRESSING_ACTION: &[&str] = &[
        "http://www.w3.org/2007/05/addressing/metadata",
        "http://www.w3.org/2006/05/addressing/wsdl",
        "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    ];
}

/// One document's text and the name that stands for it in errors and in the model.
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// The index of the document that first named this one; a schema without a target
    /// namespace that is included takes the includer's (a "chameleon" include).
    pub parent: Option<usize>,
}

/// Reads the WSDL at `entry` and every document it imports through `resolver`, and
/// parses them into one model.
pub fn load_wsdl(entry: &Source, resolver: &dyn Resolver) -> Result<Wsdl, Error> {
    let set = load(entry, resolver)?;
    let docs = &set.documents;
    let sources: Vec<SourceText<'_>> = docs
        .iter()
        .map(|doc| SourceText {
            name: &doc.name,
            text: &doc.text,
            parent: doc.imported_from.as_ref().and_then(|(from, _)| docs.iter().position(|d| &d.name == from)),
        })
        .collect();
    let mut wsdl = parse_documents(&sources)?;
    wsdl.notes = set.notes;
    Ok(wsdl)
}

/// Parses one self-contained WSDL; `source_name` (a file name or URL) names it in the model
/// and in errors.
pub fn parse(text: &str, source_name: &str) -> Result<Wsdl, Error> {
    parse_documents(&[SourceText { name: source_name, text, parent: None }])
}

/// Parses a WSDL made of several documents: the entry WSDL first, then the WSDLs and
/// schemas it imports, in any order.
pub fn parse_documents(sources: &[SourceText<'_>]) -> Result<Wsdl, Error> {
    let Some(entry) = sources.first() else {
        return Err(Error::new(ErrorKind::Missing("a WSDL document".into()), None));
    };
    let mut documents = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        let doc = xml::parse(source.text).map_err(|e| {
            let location = Location { document: index as u32, line: e.line, column: e.column };
            Error::new(e.kind, Some(location)).in_source(source.name)
        })?;
        documents.push(doc);
    }
    let contexts: Vec<Ctx<'_, '_>> = documents
        .iter()
        .zip(sources)
        .enumerate()
        .map(|(index, (doc, source))| Ctx {
            doc,
            index: index as u32,
            name: source.name,
            parent: source.parent,
            lines: LineStarts::new(doc.input_text()),
        })
        .collect();
    let root = contexts[0].doc.root_element();
    if !contexts[0].is(root, ns::WSDL, "definitions") {
        let found = qualified_name(root);
        let kind = ErrorKind::Invalid(format!("the root element is <{found}>, not <wsdl:definitions>"));
        return Err(contexts[0].err(root, kind));
    }
    let target_namespace = contexts[0].required_attr(root, "targetNamespace")?.to_owned();
    let in_document = |e: Error| match e.location {
        Some(location) => e.in_source(sources.get(location.document as usize).map_or(entry.name, |s| s.name)),
        None => e.in_source(entry.name),
    };
    let schema = schema::parse(&contexts).map_err(in_document)?;
    let (bindings, services) = services::parse(&contexts, &schema).map_err(in_document)?;
    Ok(Wsdl {
        source_name: entry.name.to_owned(),
        documents: sources.iter().map(|s| s.name.to_owned()).collect(),
        name: root.attr("name").map(str::to_owned),
        target_namespace,
        schema,
        bindings,
        services,
        notes: Vec::new(),
    })
}

/// One parsed document and the helpers every stage needs: positions, names, attributes.
pub(crate) struct Ctx<'d, 'input> {
    pub doc: &'d roxmltree::Document<'input>,
    /// The document's index in [`Wsdl::documents`].
    pub index: u32,
    pub name: &'d str,
    /// The index of the document that first named this one.
    pub parent: Option<usize>,
    /// Where each line starts, for locations: roxmltree's own `text_pos_at` scans from the
    /// start of the document each time, which made a multi-megabyte WSDL take a minute.
    pub lines: LineStarts,
}

/// The byte offset of each line's first character, and checkpoints inside long lines.
pub(crate) struct LineStarts {
    starts: Vec<usize>,
    /// Every [`Self::STRIDE`] bytes or so, `(offset, characters since its line's start)`:
    /// a WSDL written on one line would otherwise cost a scan of the line per location.
    checkpoints: Vec<(usize, usize)>,
}

impl LineStarts {
    const STRIDE: usize = 1024;

    fn new(text: &str) -> Self {
        let (mut starts, mut checkpoints) = (vec![0], Vec::new());
        let (mut column, mut next_checkpoint) = (0, Self::STRIDE);
        for (offset, c) in text.char_indices() {
            if offset >= next_checkpoint {
                checkpoints.push((offset, column));
                next_checkpoint = offset + Self::STRIDE;
            }
            column += 1;
            if c == '\n' {
                starts.push(offset + 1);
                column = 0;
            }
        }
        Self { starts, checkpoints }
    }

    /// 1-based line and column (in characters, as roxmltree counts them) of byte `offset`.
    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&start| start <= offset).max(1);
        let start = self.starts[line - 1];
        let checkpoint = self.checkpoints.partition_point(|&(at, _)| at <= offset);
        let (from, counted) = match checkpoint.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some((at, column)) if at >= start => (at, column),
            _ => (start, 0),
        };
        let column = counted + text.get(from..offset).map_or(0, |s| s.chars().count()) + 1;
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod line_start_tests {
    use super::LineStarts;

    /// Every offset's position, counted the slow way from the start of the text.
    fn counted(text: &str, offset: usize) -> (u32, u32) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line as u32, column as u32)
    }

    #[test]
    fn positions_in_long_lines_and_multibyte_text_match_a_count_from_the_start() {
        let long_line = "<a b=\"é\"/>".repeat(700);
        let text = format!("<?xml?>\n{long_line}\nx\n\n{long_line}ü");
        let lines = LineStarts::new(&text);
        for (offset, _) in text.char_indices() {
            assert_eq!(lines.position(&text, offset), counted(&text, offset), "offset {offset}");
        }
    }
}

pub(crate) type Node<'d, 'input> = roxmltree::Node<'d, 'input>;

impl<'d, 'input> Ctx<'d, 'input> {
    pub fn location(&self, node: Node<'_, '_>) -> Location {
        let (line, column) = self.lines.position(self.doc.input_text(), node.range().start);
        Location { document: self.index, line, column }
    }

    pub fn err(&self, node: Node<'_, '_>, kind: ErrorKind) -> Error {
        Error::new(kind, Some(self.location(node))).in_source(self.name)
    }

    pub fn is(&self, node: Node<'_, '_>, namespace: &str, local: &str) -> bool {
        node.is_element() && node.tag_name().namespace() == Some(namespace) && node.tag_name().name() == local
    }

    /// The documents's `wsdl:definitions` root, when it is a WSDL.
    pub fn definitions(&self) -> Option<Node<'d, 'input>> {
        let root = self.doc.root_element();
        self.is(root, ns::WSDL, "definitions").then_some(root)
    }

    pub fn required_attr<'a>(&self, node: Node<'a, 'input>, name: &str) -> Result<&'a str, Error> {
        node.attr(name).ok_or_else(|| {
            self.err(node, ErrorKind::Missing(format!("attribute `{name}` on <{}>", qualified_name(node))))
        })
    }

    /// Resolves a `prefix:local` reference against the namespaces in scope at `node`.
    pub fn resolve_qname(&self, node: Node<'_, '_>, attr: &str) -> Result<QName, Error> {
        let value = self.required_attr(node, attr)?;
        self.resolve_qname_value(node, value)
    }

    /// Resolves `prefix:local` text (such as the value of `wsdl:arrayType`) at `node`.
    pub fn resolve_qname_value(&self, node: Node<'_, '_>, value: &str) -> Result<QName, Error> {
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value),
        };
        let namespace = match node.lookup_namespace_uri(prefix) {
            Some(namespace) => namespace,
            // `xml` is bound by the XML specification itself, declared or not.
            None if prefix == Some("xml") => "http://www.w3.org/XML/1998/namespace",
            // An unprefixed name with no default namespace is in no namespace.
            None if prefix.is_none() => "",
            None => {
                let message = format!("prefix `{}` of `{value}` is not declared", prefix.unwrap_or(""));
                return Err(self.err(node, ErrorKind::Invalid(message)));
            }
        };
        Ok(QName::new(namespace, local))
    }

    /// The element children of `node`, skipping text and comments.
    pub fn children<'a>(&self, node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
        node.children().filter(Node::is_element)
    }
}

/// `prefix:local` as written, for messages.
pub(crate) fn qualified_name(node: Node<'_, '_>) -> String {
    let tag = node.tag_name();
    match tag.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", tag.name()),
        _ => tag.name().to_owned(),
    }
}

#[cfg(test)]
mod tests;
