//! What the generator cannot express yet, refused with the construct and its location.
//! The model holds all of it; each construct leaves this list when the plan and the
//! renderers learn it.

use std::collections::{HashMap, HashSet};

use mktows_wsdl::{
    Binding, Builtin, ComplexType, Field, Group, GroupKind, PartContent, Particle, Protocol, QName, Schema, Service,
    TypeRef, Wsdl,
};

use crate::Error;

/// The binding the client speaks (the model's default SOAP 1.1 binding), the service that
/// names it and the port's address.
pub(crate) fn choose_binding(wsdl: &Wsdl) -> Result<(&Binding, Option<&Service>, Option<String>), Error> {
    if let Some(choice) = wsdl.default_binding(&Protocol::Soap11) {
        return Ok((choice.binding, choice.service, choice.port.and_then(|p| p.address.clone())));
    }
    match wsdl.bindings.iter().find(|b| b.protocol == Protocol::Soap12) {
        Some(binding) => {
            let what = format!("binding `{}` is SOAP 1.2 (only SOAP 1.1 bindings yet)", binding.name.local);
            Err(Error::unsupported(wsdl, what, binding.location))
        }
        None => Err(Error {
            message: "missing a SOAP 1.1 wsdl:binding".into(),
            location: None,
            file: Some(wsdl.source_name.clone()),
        }),
    }
}

/// Complex types must be a plain sequence of local elements today.
fn check_type(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    check_content(wsdl, ty)?;
    for field in ty.fields() {
        check_field(wsdl, ty, field)?;
    }
    Ok(())
}

/// What the generator can write of a WSDL: the model without the complex types it cannot
/// write (or that use one it cannot), the binding without the operations that reach one,
/// and what was left out with why (`"X: reason"`), so that one odd type or operation does
/// not stop the rest.
pub(crate) struct Supported {
    pub wsdl: Wsdl,
    pub binding: Binding,
    pub types_left_out: Vec<String>,
    pub operations_left_out: Vec<String>,
}

pub(crate) fn supported_schema(wsdl: &Wsdl, binding: &Binding) -> Supported {
    let schema = &wsdl.schema;
    let mut excluded: HashMap<&QName, Error> = HashMap::new();
    for ty in &schema.complex_types {
        if let Err(error) = check_type(wsdl, ty) {
            excluded.insert(&ty.name, error);
        }
    }
    // A type that uses a left-out type cannot be written either.
    loop {
        let before = excluded.len();
        for ty in &schema.complex_types {
            if excluded.contains_key(&ty.name) {
                continue;
            }
            if let Some(used) = uses(schema, ty).into_iter().find(|u| excluded.contains_key(u)) {
                let error = excluded[used].clone();
                excluded.insert(&ty.name, error);
            }
        }
        if excluded.len() == before {
            break;
        }
    }
    let mut kept = binding.clone();
    let mut operations_left_out = Vec::new();
    kept.operations.retain(|op| {
        let reached = roots(wsdl, op).into_iter().flat_map(|root| reachable(schema, root));
        let blocked: Option<&Error> = reached.into_iter().find_map(|name| excluded.get(name));
        if let Some(error) = blocked {
            operations_left_out.push(format!("`{}`: {error}", op.name));
        }
        blocked.is_none()
    });
    let mut filtered = wsdl.clone();
    filtered.schema.complex_types.retain(|t| !excluded.contains_key(&t.name));
    let mut types_left_out: Vec<String> =
        excluded.iter().map(|(name, error)| format!("`{}`: {error}", name.local)).collect();
    types_left_out.sort();
    Supported { wsdl: filtered, binding: kept, types_left_out, operations_left_out }
}

/// The complex types a value of `ty` can hold directly: its fields' types, its base, and
/// the types that extend it (a field of it may hold any of them).
fn uses<'s>(schema: &'s Schema, ty: &'s ComplexType) -> Vec<&'s QName> {
    let fields = ty.fields().into_iter().filter_map(|f| match &f.type_ref {
        TypeRef::Complex(name) => Some(name),
        _ => None,
    });
    let derived = schema.complex_types.iter().filter(|t| t.base.as_ref() == Some(&ty.name)).map(|t| &t.name);
    // Simple content derived from a complex type takes its attributes.
    let text_base = match &ty.simple_content {
        Some(TypeRef::Complex(name)) => Some(name),
        _ => None,
    };
    fields.chain(ty.base.as_ref()).chain(text_base).chain(derived).collect()
}

/// The complex types of an operation's body and header elements.
fn roots<'w>(wsdl: &'w Wsdl, op: &'w mktows_wsdl::Operation) -> Vec<&'w QName> {
    let messages = std::iter::once(&op.input).chain(op.output.as_ref());
    let mut elements = Vec::new();
    for message in messages {
        let parts = message.body.iter().map(|p| &p.content).chain(message.headers.iter().map(|h| &h.content));
        elements.extend(parts.filter_map(|content| match content {
            PartContent::Element(element) => Some(element),
            PartContent::Type(_) => None,
        }));
    }
    elements
        .into_iter()
        .filter_map(|element| match wsdl.schema.element(element).map(|e| &e.type_ref) {
            Some(TypeRef::Complex(name)) => Some(name),
            _ => None,
        })
        .collect()
}

/// Every complex type a value of `root` can contain, `root` included.
fn reachable<'s>(schema: &'s Schema, root: &'s QName) -> Vec<&'s QName> {
    let mut seen: HashSet<&QName> = HashSet::new();
    let mut stack = vec![root];
    let mut order = Vec::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        order.push(name);
        if let Some(ty) = schema.complex_type(name) {
            stack.extend(uses(schema, ty));
        }
    }
    order
}

fn check_content(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let context = format!("in complexType `{}`", ty.name.local);
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    // Text between child elements has no place in a struct of fields.
    if ty.mixed {
        return refuse("mixed content", ty.location);
    }
    if let (Some(array_type), None) = (&ty.array_type, &ty.particle) {
        return refuse(&format!("a SOAP-encoded array of `{array_type}` (only `T[]` of a named type)"), ty.location);
    }
    check_simple_content(wsdl, ty, &context)?;
    check_attributes(wsdl, ty)?;
    match &ty.particle {
        Some(group) => check_group(wsdl, group, &context),
        None => Ok(()),
    }
}

/// Simple content ends at a simple type, and element content does not extend it.
fn check_simple_content(wsdl: &Wsdl, ty: &ComplexType, context: &str) -> Result<(), Error> {
    let schema = &wsdl.schema;
    let refuse = |what: String| Err(Error::unsupported(wsdl, format!("{what} {context}"), ty.location));
    if ty.simple_content.is_some() && schema.simple_content_type(ty).is_none() {
        return refuse("simpleContent whose base has element content (or derives from itself)".into());
    }
    let lineage = schema.lineage(ty);
    if let Some(base) = lineage.iter().rev().skip(1).find(|t| t.simple_content.is_some()) {
        return refuse(format!("complexContent extension of the simpleContent type `{}`", base.name.local));
    }
    Ok(())
}

/// Attributes hold simple values, and their fields have names of their own.
fn check_attributes(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let schema = &wsdl.schema;
    for attribute in schema.all_attributes(ty) {
        if let TypeRef::Complex(name) = &attribute.type_ref {
            let what = format!("attribute `{}` of the complex type `{}`", attribute.name, name.local);
            return Err(Error::unsupported(wsdl, what, attribute.location));
        }
    }
    match super::attributes::field_names(schema, ty) {
        Ok(_) => Ok(()),
        Err(message) => Err(Error::at(wsdl, message, ty.location)),
    }
}

/// A sequence or `xs:all` occurring once, of elements and of sequences like itself (they
/// flatten into one struct); anything else is refused where it stands.
fn check_group(wsdl: &Wsdl, group: &Group, context: &str) -> Result<(), Error> {
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    match group.kind {
        GroupKind::Choice => return refuse("<xs:choice>", group.location),
        // The elements of an `xs:all` come in any order: the reader matches them by name,
        // and the writer's schema order is one of the orders allowed.
        GroupKind::All if group.occurs_once() => {}
        GroupKind::All => return refuse("occurrence bounds on xs:all", group.location),
        GroupKind::Sequence if !group.occurs_once() => {
            return refuse("occurrence bounds on xs:sequence", group.location)
        }
        GroupKind::Sequence => {}
    }
    for particle in &group.particles {
        match particle {
            Particle::Element(_) => {}
            Particle::Any(any) => return refuse("<xs:any>", any.location),
            Particle::Group(inner) => check_group(wsdl, inner, context)?,
        }
    }
    Ok(())
}

fn check_field(wsdl: &Wsdl, ty: &ComplexType, field: &Field) -> Result<(), Error> {
    let context = format!("`{}` in complexType `{}`", field.name, ty.name.local);
    let refuse = |what: &str| Err(Error::unsupported(wsdl, format!("{what} {context}"), field.location));
    if field.type_ref == TypeRef::Builtin(Builtin::AnyType) {
        return refuse("an element of `xs:anyType` (any content)");
    }
    Ok(())
}
