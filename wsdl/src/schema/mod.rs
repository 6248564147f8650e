//! Every `xs:schema` of the documents (inside `wsdl:types`, or a document of its own) into
//! one [`Schema`], definitions known by qualified name.

mod checks;

pub use checks::MAX_EXTENSION_DEPTH;
mod complex;
mod names;
mod reusable;
mod simple;

use crate::model::{Schema, SchemaInfo};
use crate::xml::Attr;
use crate::{ns, qualified_name, Ctx, Error, ErrorKind, Node};

use names::Names;
use reusable::Reusable;

/// One `xs:schema` element and what it says about the definitions in it.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'d, 'input, 'c> {
    pub ctx: &'c Ctx<'d, 'input>,
    pub node: Node<'d, 'input>,
    pub tns: &'d str,
    pub elements_qualified: bool,
    pub attributes_qualified: bool,
}

pub(crate) fn parse(contexts: &[Ctx<'_, '_>]) -> Result<Schema, Error> {
    let scopes = scopes(contexts)?;
    // Definitions may be used before (or in another document than) where they are defined,
    // so every name is known before any content is read.
    let names = Names::collect(&scopes)?;
    let reusable = Reusable::collect(&scopes);
    let mut schema = Schema::default();
    for scope in &scopes {
        schema.schemas.push(SchemaInfo {
            target_namespace: scope.tns.to_owned(),
            elements_qualified: scope.elements_qualified,
            attributes_qualified: scope.attributes_qualified,
            location: scope.ctx.location(scope.node),
        });
        parse_schema(scope, &names, &reusable, &mut schema)?;
    }
    simple::resolve_restrictions(&mut schema.simple_types)?;
    // References first: name checks walk extension chains, which must not loop.
    checks::references(&schema)?;
    checks::names(&schema)?;
    attributes_onto_simple_content(&mut schema);
    Ok(schema)
}

/// A complexContent extension that adds only attributes to a simple-content type (as
/// chromedata's `<extension base="tns:IdentifiedString"><attribute name="primary"/>`) has
/// that type's text: it is read as the simple-content extension it amounts to.
fn attributes_onto_simple_content(schema: &mut Schema) {
    let simple_bases: Vec<crate::QName> =
        schema.complex_types.iter().filter(|t| t.simple_content.is_some()).map(|t| t.name.clone()).collect();
    for ty in &mut schema.complex_types {
        let adds_no_elements = ty.particle.as_ref().is_none_or(|g| g.particles.is_empty());
        if let Some(base) = ty.base.as_ref().filter(|b| simple_bases.contains(b) && adds_no_elements) {
            ty.simple_content = Some(crate::TypeRef::Complex(base.clone()));
            ty.base = None;
            ty.particle = None;
        }
    }
}

/// The schemas of every document, in document order.
fn scopes<'d, 'input, 'c>(contexts: &'c [Ctx<'d, 'input>]) -> Result<Vec<Scope<'d, 'input, 'c>>, Error> {
    let mut scopes: Vec<Scope<'d, 'input, 'c>> = Vec::new();
    for ctx in contexts {
        let mut chameleon = false;
        let root = ctx.doc.root_element();
        let nodes: Vec<Node<'d, 'input>> = if ctx.is(root, ns::XSD, "schema") {
            chameleon = root.attr("targetNamespace").is_none();
            vec![root]
        } else if ctx.is(root, ns::WSDL, "definitions") {
            let types = ctx.children(root).filter(|n| ctx.is(*n, ns::WSDL, "types"));
            let mut nodes = Vec::new();
            for child in types.flat_map(|t| ctx.children(t)) {
                if ctx.is(child, ns::WSDL, "documentation") {
                    continue;
                }
                if !ctx.is(child, ns::XSD, "schema") {
                    return Err(unsupported(ctx, child, "inside wsdl:types"));
                }
                nodes.push(child);
            }
            nodes
        } else {
            let message =
                format!("the root element is <{}>, not <wsdl:definitions> or <xs:schema>", qualified_name(root));
            return Err(ctx.err(root, ErrorKind::Invalid(message)));
        };
        // An included schema without a target namespace takes the includer's.
        let inherited = match (chameleon, ctx.parent) {
            (true, Some(parent)) => scopes.iter().find(|s| s.ctx.index as usize == parent).map(|s| s.tns),
            _ => None,
        };
        for node in nodes {
            scopes.push(Scope {
                ctx,
                node,
                tns: inherited.unwrap_or_else(|| node.attr("targetNamespace").unwrap_or("")),
                elements_qualified: node.attr("elementFormDefault") == Some("qualified"),
                attributes_qualified: node.attr("attributeFormDefault") == Some("qualified"),
            });
        }
    }
    Ok(scopes)
}

fn parse_schema<'d, 'input, 'c>(
    scope: &Scope<'d, 'input, 'c>,
    names: &Names,
    reusable: &Reusable<'d, 'input, 'c>,
    schema: &mut Schema,
) -> Result<(), Error> {
    let ctx = scope.ctx;
    for child in ctx.children(scope.node) {
        match xsd_name(child) {
            Some("simpleType") => {
                let name = crate::QName::new(scope.tns, ctx.required_attr(child, "name")?);
                schema.simple_types.push(simple::parse(ctx, child, name, false)?);
            }
            Some("complexType") => {
                let name = crate::QName::new(scope.tns, ctx.required_attr(child, "name")?);
                complex::parse_named(scope, child, name, names, reusable, schema)?;
            }
            Some("element") => complex::parse_global_element(scope, child, names, reusable, schema)?,
            // The resolver has read what these name; their definitions are in the scopes.
            Some("annotation" | "import" | "include" | "notation") => {}
            // Read where a `ref=` uses them.
            Some("group" | "attributeGroup" | "attribute") => {}
            _ => return Err(unsupported(ctx, child, "at the top level of a schema")),
        }
    }
    Ok(())
}

pub(crate) fn xsd_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    (node.tag_name().namespace() == Some(ns::XSD)).then(|| node.tag_name().name())
}

pub(crate) fn unsupported(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, context: &str) -> Error {
    ctx.err(node, ErrorKind::Unsupported(format!("<{}> {context}", qualified_name(node))))
}

pub(crate) fn parse_bool(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, attr: &str) -> Result<Option<bool>, Error> {
    match node.attr(attr) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(other) => Err(ctx.err(node, ErrorKind::Invalid(format!("`{attr}=\"{other}\"` is not a boolean")))),
    }
}

/// The type a message part's `type=` names, among the definitions read.
pub(crate) fn resolve_type(schema: &crate::Schema, name: &crate::QName) -> Result<crate::TypeRef, ErrorKind> {
    resolve_with(name, |n| schema.simple_type(n).is_some(), |n| schema.complex_type(n).is_some())
}

/// What a `type=` or `base=` reference names: a built-in, or a simple or complex type as
/// the two tests say (the symbol table while reading, the schema once read).
pub(crate) fn resolve_with(
    name: &crate::QName,
    is_simple: impl Fn(&crate::QName) -> bool,
    is_complex: impl Fn(&crate::QName) -> bool,
) -> Result<crate::TypeRef, ErrorKind> {
    use crate::{Builtin, TypeRef};
    if name.namespace == ns::XSD {
        return Builtin::from_local_name(&name.local)
            .map(TypeRef::Builtin)
            .ok_or_else(|| ErrorKind::Unsupported(format!("built-in type `xs:{}`", name.local)));
    }
    // SOAP encoding's schema declares a type of the same name for each XSD built-in (the
    // built-in plus `id`/`href` attributes, for multi-references); RPC/encoded WSDLs type
    // their parts with them (`soapenc:string`). On the wire they carry the built-in's text.
    if name.namespace == ns::SOAP_ENCODING {
        if let Some(builtin) = Builtin::from_local_name(&name.local) {
            return Ok(TypeRef::Builtin(builtin));
        }
    }
    if is_simple(name) {
        return Ok(TypeRef::Simple(name.clone()));
    }
    if is_complex(name) {
        return Ok(TypeRef::Complex(name.clone()));
    }
    Err(ErrorKind::UnknownReference { kind: "type", name: name.to_string() })
}
