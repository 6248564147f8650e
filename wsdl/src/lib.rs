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

pub use error::{Error, ErrorKind, Location};
pub use model::*;
pub use resolve::*;

/// Namespaces this crate understands.
pub mod ns {
    pub const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
    pub const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
    pub const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema";
    /// SOAP 1.1 encoding (`soapenc:Array`, `soapenc:arrayType`).
    pub const SOAP_ENCODING: &str = "http://schemas.xmlsoap.org/soap/encoding/";
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
    parse_documents(&sources)
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
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let mut documents = Vec::with_capacity(sources.len());
    for (index, source) in sources.iter().enumerate() {
        let doc = roxmltree::Document::parse_with_options(source.text, options).map_err(|e| {
            let pos = e.pos();
            let location = Location { document: index as u32, line: pos.row, column: pos.col };
            Error::new(ErrorKind::Xml(e.to_string()), Some(location)).in_source(source.name)
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
        name: root.attribute("name").map(str::to_owned),
        target_namespace,
        schema,
        bindings,
        services,
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

/// The byte offset of each line's first character.
pub(crate) struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let breaks = text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1);
        Self(std::iter::once(0).chain(breaks).collect())
    }

    /// 1-based line and column (in characters, as roxmltree counts them) of byte `offset`.
    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.0.partition_point(|&start| start <= offset).max(1);
        let start = self.0[line - 1];
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
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
        node.attribute(name).ok_or_else(|| {
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
