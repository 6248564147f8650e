//! Reads a WSDL 1.1 document (document/literal SOAP 1.1 binding) and the XML Schema embedded
//! in its `wsdl:types` into a resolved [`Wsdl`] model: every type reference points at a
//! built-in or a type that exists, every operation knows its body and header elements.
//!
//! The supported subset is what Marketo's mktows 2_x uses. Anything outside it is an
//! [`Error`] naming the construct and its line:column, never silently dropped.

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
}

/// Parses `text`; `source_name` (a file name or URL) names it in the model and in errors.
pub fn parse(text: &str, source_name: &str) -> Result<Wsdl, Error> {
    parse_document(text, source_name).map_err(|e| e.in_source(source_name))
}

fn parse_document(text: &str, source_name: &str) -> Result<Wsdl, Error> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Error::new(ErrorKind::Xml(e.to_string()), Some(Location { line: pos.row, column: pos.col }))
    })?;
    let ctx = Ctx { doc: &doc };
    let root = doc.root_element();
    if !ctx.is(root, ns::WSDL, "definitions") {
        let found = qualified_name(root);
        return Err(ctx.err(root, ErrorKind::Invalid(format!("the root element is <{found}>, not <wsdl:definitions>"))));
    }
    let target_namespace = ctx.required_attr(root, "targetNamespace")?.to_owned();
    let schema = schema::parse_types(&ctx, root, &target_namespace)?;
    let (operations, service) = services::parse(&ctx, root, &target_namespace, &schema)?;
    Ok(Wsdl {
        source_name: source_name.to_owned(),
        name: root.attribute("name").map(str::to_owned),
        target_namespace,
        schema,
        operations,
        service,
    })
}

/// Helpers shared by the parsing stages: positions, names, required attributes.
pub(crate) struct Ctx<'d, 'input> {
    pub doc: &'d roxmltree::Document<'input>,
}

pub(crate) type Node<'d, 'input> = roxmltree::Node<'d, 'input>;

impl<'d, 'input> Ctx<'d, 'input> {
    pub fn location(&self, node: Node<'_, '_>) -> Location {
        let pos = self.doc.text_pos_at(node.range().start);
        Location { line: pos.row, column: pos.col }
    }

    pub fn err(&self, node: Node<'_, '_>, kind: ErrorKind) -> Error {
        Error::new(kind, Some(self.location(node)))
    }

    pub fn is(&self, node: Node<'_, '_>, namespace: &str, local: &str) -> bool {
        node.is_element() && node.tag_name().namespace() == Some(namespace) && node.tag_name().name() == local
    }

    pub fn required_attr<'a>(&self, node: Node<'a, 'input>, name: &str) -> Result<&'a str, Error> {
        node.attribute(name).ok_or_else(|| {
            self.err(node, ErrorKind::Missing(format!("attribute `{name}` on <{}>", qualified_name(node))))
        })
    }

    /// Resolves a `prefix:local` reference against the namespaces in scope at `node`.
    pub fn resolve_qname(&self, node: Node<'_, '_>, attr: &str) -> Result<(String, String), Error> {
        let value = self.required_attr(node, attr)?;
        let (prefix, local) = match value.split_once(':') {
            Some((prefix, local)) => (Some(prefix), local),
            None => (None, value),
        };
        let namespace = node.lookup_namespace_uri(prefix).ok_or_else(|| {
            self.err(
                node,
                ErrorKind::Invalid(format!("prefix `{}` of `{value}` is not declared", prefix.unwrap_or(""))),
            )
        })?;
        Ok((namespace.to_owned(), local.to_owned()))
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
