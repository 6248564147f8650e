//! `wsdl:types`: the embedded XML Schema, read into [`Schema`] and then resolved.

use std::collections::HashSet;

use crate::docs::doc_for;
use crate::model::*;
use crate::{ns, qualified_name, Ctx, Error, ErrorKind, Node};

pub(crate) fn parse_types(
    ctx: &Ctx<'_, '_>,
    definitions: Node<'_, '_>,
    target_namespace: &str,
) -> Result<Schema, Error> {
    let schemas: Vec<Node<'_, '_>> = ctx
        .children(definitions)
        .filter(|n| ctx.is(*n, ns::WSDL, "types"))
        .flat_map(|types| ctx.children(types))
        .collect();
    // Types may be used before they are defined, so their names are collected first.
    let names = Names::collect(&schemas, target_namespace);
    let mut schema = Schema::default();
    {
        for &node in &schemas {
            if !ctx.is(node, ns::XSD, "schema") {
                return Err(unsupported(ctx, node, "inside wsdl:types"));
            }
            let schema_ns = node.attribute("targetNamespace").unwrap_or("");
            if schema_ns != target_namespace {
                let message = format!(
                    "a schema for namespace `{schema_ns}` besides the WSDL's target namespace `{target_namespace}`"
                );
                return Err(ctx.err(node, ErrorKind::Unsupported(message)));
            }
            if node.attribute("elementFormDefault") == Some("qualified") {
                let message = "elementFormDefault=\"qualified\" (local elements are read as unqualified)".to_owned();
                return Err(ctx.err(node, ErrorKind::Unsupported(message)));
            }
            parse_schema(ctx, node, &names, &mut schema)?;
        }
    }
    // References first: name checks walk extension chains, which must not loop.
    check_references(&schema)?;
    check_names(&schema)?;
    Ok(schema)
}

/// The named types of the target namespace, known before any field is read.
struct Names<'a> {
    tns: &'a str,
    simple: HashSet<String>,
    complex: HashSet<String>,
}

impl<'a> Names<'a> {
    fn collect(schemas: &[Node<'_, '_>], tns: &'a str) -> Self {
        let mut names = Self { tns, simple: HashSet::new(), complex: HashSet::new() };
        for node in schemas.iter().flat_map(|s| s.children()) {
            let Some(name) = node.attribute("name") else { continue };
            match xsd_name(node) {
                Some("simpleType") => names.simple.insert(name.to_owned()),
                Some("complexType") => names.complex.insert(name.to_owned()),
                _ => false,
            };
        }
        names
    }

    fn resolve(&self, namespace: &str, local: &str) -> Result<TypeRef, ErrorKind> {
        if namespace == ns::XSD {
            return Builtin::from_local_name(local)
                .map(TypeRef::Builtin)
                .ok_or_else(|| ErrorKind::Unsupported(format!("built-in type `xs:{local}`")));
        }
        if namespace == self.tns && self.simple.contains(local) {
            return Ok(TypeRef::Simple(local.to_owned()));
        }
        if namespace == self.tns && self.complex.contains(local) {
            return Ok(TypeRef::Complex(local.to_owned()));
        }
        Err(ErrorKind::UnknownReference { kind: "type", name: format!("{{{namespace}}}{local}") })
    }
}

fn parse_schema(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, names: &Names<'_>, schema: &mut Schema) -> Result<(), Error> {
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("simpleType") => schema.simple_types.push(parse_simple_type(ctx, child)?),
            Some("complexType") => schema.complex_types.push(parse_complex_type(ctx, child, names)?),
            Some("element") => schema.elements.push(parse_global_element(ctx, child, names.tns)?),
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, "at the top level of a schema")),
        }
    }
    Ok(())
}

fn parse_simple_type(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<SimpleType, Error> {
    let name = ctx.required_attr(node, "name")?.to_owned();
    let mut restriction = None;
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("restriction") if restriction.is_none() => restriction = Some(child),
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, &format!("in simpleType `{name}`"))),
        }
    }
    let restriction = restriction
        .ok_or_else(|| ctx.err(node, ErrorKind::Missing(format!("xs:restriction in simpleType `{name}`"))))?;
    let (base_ns, base_local) = ctx.resolve_qname(restriction, "base")?;
    let base = match (base_ns.as_str(), Builtin::from_local_name(&base_local)) {
        (ns::XSD, Some(builtin)) => builtin,
        _ => {
            let message = format!("simpleType `{name}` restricting `{base_local}` (only built-in bases are supported)");
            return Err(ctx.err(restriction, ErrorKind::Unsupported(message)));
        }
    };
    let mut enumeration = Vec::new();
    for facet in ctx.children(restriction) {
        match xsd_name(facet) {
            Some("enumeration") => {
                let value = ctx.required_attr(facet, "value")?.to_owned();
                if enumeration.iter().any(|v: &EnumValue| v.value == value) {
                    return Err(ctx.err(facet, ErrorKind::Duplicate { kind: "enumeration value", name: value }));
                }
                enumeration.push(EnumValue { value, doc: doc_for(facet) });
            }
            Some("annotation") => {}
            _ => {
                return Err(unsupported(
                    ctx,
                    facet,
                    &format!("facet in simpleType `{name}` (only xs:enumeration is supported)"),
                ))
            }
        }
    }
    Ok(SimpleType { doc: doc_for(node), name, base, enumeration, location: ctx.location(node) })
}

fn parse_complex_type(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, names: &Names<'_>) -> Result<ComplexType, Error> {
    let name = ctx.required_attr(node, "name")?.to_owned();
    let context = format!("in complexType `{name}`");
    let is_abstract = parse_bool(ctx, node, "abstract")?.unwrap_or(false);
    if node.attribute("mixed").is_some_and(|m| m == "true" || m == "1") {
        return Err(ctx.err(node, ErrorKind::Unsupported(format!("mixed content {context}"))));
    }
    let mut base = None;
    let mut fields = Vec::new();
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("sequence") => fields.extend(parse_sequence(ctx, child, names, &context)?),
            Some("complexContent") => {
                let (extension_base, extension_fields) = parse_complex_content(ctx, child, names, &context)?;
                base = Some(extension_base);
                fields.extend(extension_fields);
            }
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, &context)),
        }
    }
    Ok(ComplexType { doc: doc_for(node), name, is_abstract, base, fields, location: ctx.location(node) })
}

fn parse_complex_content(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    names: &Names<'_>,
    context: &str,
) -> Result<(String, Vec<Field>), Error> {
    let mut result = None;
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("extension") if result.is_none() => {
                let (base_ns, base) = ctx.resolve_qname(child, "base")?;
                if base_ns != names.tns {
                    let message = format!("extension of `{base}` from namespace `{base_ns}` {context}");
                    return Err(ctx.err(child, ErrorKind::Unsupported(message)));
                }
                let mut fields = Vec::new();
                for part in ctx.children(child) {
                    match xsd_name(part) {
                        Some("sequence") => fields.extend(parse_sequence(ctx, part, names, context)?),
                        Some("annotation") => {}
                        _ => return Err(unsupported(ctx, part, context)),
                    }
                }
                result = Some((base, fields));
            }
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, context)),
        }
    }
    result.ok_or_else(|| ctx.err(node, ErrorKind::Missing(format!("xs:extension in complexContent {context}"))))
}

fn parse_sequence(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    names: &Names<'_>,
    context: &str,
) -> Result<Vec<Field>, Error> {
    if node.attribute("minOccurs").is_some() || node.attribute("maxOccurs").is_some() {
        return Err(ctx.err(node, ErrorKind::Unsupported(format!("occurrence bounds on xs:sequence {context}"))));
    }
    let mut fields = Vec::new();
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("element") => fields.push(parse_field(ctx, child, names, context)?),
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, context)),
        }
    }
    Ok(fields)
}

fn parse_field(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, names: &Names<'_>, context: &str) -> Result<Field, Error> {
    if node.attribute("ref").is_some() {
        return Err(ctx.err(node, ErrorKind::Unsupported(format!("element references (`ref=`) {context}"))));
    }
    let name = ctx.required_attr(node, "name")?.to_owned();
    if node.attribute("form") == Some("qualified") {
        return Err(ctx.err(node, ErrorKind::Unsupported(format!("qualified local element `{name}` {context}"))));
    }
    if let Some(child) = ctx.children(node).find(|c| xsd_name(*c) != Some("annotation")) {
        let message = format!("anonymous type of element `{name}` {context} (name the type)");
        return Err(ctx.err(child, ErrorKind::Unsupported(message)));
    }
    if node.attribute("type").is_none() {
        return Err(ctx.err(node, ErrorKind::Missing(format!("attribute `type` on element `{name}` {context}"))));
    }
    let (type_ns, type_local) = ctx.resolve_qname(node, "type")?;
    let type_ref = names.resolve(&type_ns, &type_local).map_err(|kind| ctx.err(node, kind))?;
    let min_occurs = match node.attribute("minOccurs") {
        None => 1,
        Some(text) => text.parse().map_err(|_| invalid_attr(ctx, node, "minOccurs", text))?,
    };
    let max_occurs = match node.attribute("maxOccurs") {
        None => MaxOccurs::Bounded(1),
        Some("unbounded") => MaxOccurs::Unbounded,
        Some(text) => MaxOccurs::Bounded(text.parse().map_err(|_| invalid_attr(ctx, node, "maxOccurs", text))?),
    };
    if let MaxOccurs::Bounded(max) = max_occurs {
        if max == 0 || max < min_occurs {
            let message = format!("maxOccurs={max} with minOccurs={min_occurs} on element `{name}` {context}");
            return Err(ctx.err(node, ErrorKind::Invalid(message)));
        }
    }
    let nillable = parse_bool(ctx, node, "nillable")?.unwrap_or(false);
    if nillable && max_occurs != MaxOccurs::Bounded(1) {
        let message = format!("nillable repeated element `{name}` {context}");
        return Err(ctx.err(node, ErrorKind::Unsupported(message)));
    }
    Ok(Field { doc: doc_for(node), name, type_ref, min_occurs, max_occurs, nillable, location: ctx.location(node) })
}

fn parse_global_element(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, tns: &str) -> Result<GlobalElement, Error> {
    let name = ctx.required_attr(node, "name")?.to_owned();
    if ctx.children(node).any(|c| xsd_name(c) != Some("annotation")) {
        let message = format!("anonymous type of global element `{name}` (name the type)");
        return Err(ctx.err(node, ErrorKind::Unsupported(message)));
    }
    let (type_ns, type_name) = ctx.resolve_qname(node, "type")?;
    if type_ns != tns {
        let message = format!("global element `{name}` of type `{type_name}` from namespace `{type_ns}` (only complex types of the schema)");
        return Err(ctx.err(node, ErrorKind::Unsupported(message)));
    }
    Ok(GlobalElement { name, type_name, location: ctx.location(node) })
}

fn check_names(schema: &Schema) -> Result<(), Error> {
    let mut types = HashSet::new();
    let simple = schema.simple_types.iter().map(|t| (&t.name, t.location));
    for (name, location) in simple.chain(schema.complex_types.iter().map(|t| (&t.name, t.location))) {
        if !types.insert(name.as_str()) {
            return Err(Error::new(ErrorKind::Duplicate { kind: "type", name: name.clone() }, Some(location)));
        }
    }
    let mut elements = HashSet::new();
    for element in &schema.elements {
        if !elements.insert(element.name.as_str()) {
            return Err(Error::new(
                ErrorKind::Duplicate { kind: "element", name: element.name.clone() },
                Some(element.location),
            ));
        }
    }
    for ty in &schema.complex_types {
        let mut fields = HashSet::new();
        for field in schema.all_fields(ty) {
            if !fields.insert(field.name.as_str()) {
                let kind = ErrorKind::Duplicate { kind: "element", name: format!("{}/{}", ty.name, field.name) };
                return Err(Error::new(kind, Some(field.location)));
            }
        }
    }
    Ok(())
}

/// Checks what field resolution could not: extension bases, global element types, and that
/// no extension chain loops.
fn check_references(schema: &Schema) -> Result<(), Error> {
    for ty in &schema.complex_types {
        if let Some(base) = &ty.base {
            if schema.complex_type(base).is_none() {
                let kind = ErrorKind::UnknownReference { kind: "base type", name: base.clone() };
                return Err(Error::new(kind, Some(ty.location)));
            }
        }
        let mut seen = HashSet::new();
        let mut current = Some(ty);
        while let Some(t) = current {
            if !seen.insert(t.name.as_str()) {
                let message = format!("complexType `{}` extends itself", ty.name);
                return Err(Error::new(ErrorKind::Invalid(message), Some(ty.location)));
            }
            current = t.base.as_deref().and_then(|b| schema.complex_type(b));
        }
    }
    for element in &schema.elements {
        if schema.complex_type(&element.type_name).is_none() {
            let kind = if schema.simple_type(&element.type_name).is_some() {
                ErrorKind::Unsupported(format!(
                    "global element `{}` of simple type `{}`",
                    element.name, element.type_name
                ))
            } else {
                ErrorKind::UnknownReference { kind: "type", name: element.type_name.clone() }
            };
            return Err(Error::new(kind, Some(element.location)));
        }
    }
    Ok(())
}

fn xsd_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    (node.tag_name().namespace() == Some(ns::XSD)).then(|| node.tag_name().name())
}

fn unsupported(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, context: &str) -> Error {
    ctx.err(node, ErrorKind::Unsupported(format!("<{}> {context}", qualified_name(node))))
}

fn invalid_attr(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, attr: &str, value: &str) -> Error {
    ctx.err(node, ErrorKind::Invalid(format!("`{attr}=\"{value}\"` is not a valid count")))
}

fn parse_bool(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, attr: &str) -> Result<Option<bool>, Error> {
    match node.attribute(attr) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(other) => Err(ctx.err(node, ErrorKind::Invalid(format!("`{attr}=\"{other}\"` is not a boolean")))),
    }
}
