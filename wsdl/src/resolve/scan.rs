//! Just enough parsing of one document to know its kind and the documents it names.

use crate::xml::Attr;
use roxmltree::{Document as Xml, Node};

use super::DocumentKind;
use crate::{Error, ErrorKind, Location};

const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// A `location` or `schemaLocation` as written, and where its element starts.
pub(super) struct Reference {
    pub location: String,
    pub at: Location,
    /// Set for an `xs:import` that names only a namespace: the resolver may know a copy.
    pub namespace_only: bool,
}

pub(super) struct Scanned {
    pub kind: DocumentKind,
    pub references: Vec<Reference>,
}

/// Parses `text` (named `name` in errors) and lists, in document order, every `wsdl:import`
/// `location` and every `xs:import`, `xs:include`, `xs:redefine` and `xs:override`
/// `schemaLocation`, wherever they stand.
pub(super) fn scan(text: &str, name: &str) -> Result<Scanned, Error> {
    let xml = crate::xml::parse(text)
        .map_err(|e| located(e.kind, Location { document: 0, line: e.line, column: e.column }, name))?;
    let root = xml.root_element();
    let kind = kind_of(root).ok_or_else(|| root_error(&xml, root, name))?;
    let references = root
        .descendants()
        .filter_map(|node| {
            let (location, namespace_only) = match reference(node) {
                Some(written) => (written, false),
                None => (namespace_only_import(node)?, true),
            };
            Some(Reference { location: location.to_owned(), at: self::location(&xml, node), namespace_only })
        })
        .collect();
    Ok(Scanned { kind, references })
}

fn reference<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    match (node.tag_name().namespace()?, node.tag_name().name()) {
        (WSDL, "import") => node.attr("location"),
        // `override` is XML Schema 1.1's `redefine`.
        (XSD, "import" | "include" | "redefine" | "override") => node.attr("schemaLocation"),
        _ => None,
    }
}

/// The namespace of an `xs:import` without a `schemaLocation`.
fn namespace_only_import<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    let is_import = node.tag_name().namespace() == Some(XSD) && node.tag_name().name() == "import";
    (is_import && node.attr("schemaLocation").is_none()).then(|| node.attr("namespace")).flatten()
}

fn kind_of(root: Node<'_, '_>) -> Option<DocumentKind> {
    match (root.tag_name().namespace()?, root.tag_name().name()) {
        (WSDL, "definitions") => Some(DocumentKind::Wsdl),
        (XSD, "schema") => Some(DocumentKind::Schema),
        _ => None,
    }
}

fn root_error(xml: &Xml<'_>, root: Node<'_, '_>, name: &str) -> Error {
    let found = match root.tag_name().namespace() {
        Some(namespace) => format!("<{}> in namespace `{namespace}`", root.tag_name().name()),
        None => format!("<{}> in no namespace", root.tag_name().name()),
    };
    let message = format!("the root element is {found}, neither <wsdl:definitions> ({WSDL}) nor <xs:schema> ({XSD})");
    located(ErrorKind::Invalid(message), location(xml, root), name)
}

fn location(xml: &Xml<'_>, node: Node<'_, '_>) -> Location {
    let pos = xml.text_pos_at(node.range().start);
    Location { document: 0, line: pos.row, column: pos.col }
}

fn located(kind: ErrorKind, location: Location, name: &str) -> Error {
    let mut error = Error::new(kind, Some(location));
    error.source_name = Some(name.to_owned());
    error
}
