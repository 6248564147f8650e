//! What the generator cannot express yet, refused with the construct and its location.
//! The model holds all of it; each construct leaves this list when the plan and the
//! renderers learn it.

use mktows_wsdl::{Binding, Builtin, ComplexType, Field, Group, GroupKind, Particle, Protocol, Service, TypeRef, Wsdl};

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

/// Complex types must be a plain sequence of unqualified local elements today.
pub(crate) fn check_types(wsdl: &Wsdl) -> Result<(), Error> {
    for ty in &wsdl.schema.complex_types {
        check_content(wsdl, ty)?;
        for field in ty.fields() {
            check_field(wsdl, ty, field)?;
        }
    }
    Ok(())
}

fn check_content(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let context = format!("in complexType `{}`", ty.name.local);
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    if ty.simple_content.is_some() {
        return refuse("<xs:simpleContent>", ty.location);
    }
    if let Some(attribute) = ty.attributes.first() {
        return refuse(&format!("<xs:attribute> `{}`", attribute.name), attribute.location);
    }
    if ty.mixed {
        return refuse("mixed content", ty.location);
    }
    match &ty.particle {
        Some(group) => check_group(wsdl, group, &context),
        None => Ok(()),
    }
}

/// A sequence occurring once, of elements and of sequences like itself (they flatten into
/// one struct); anything else is refused where it stands.
fn check_group(wsdl: &Wsdl, group: &Group, context: &str) -> Result<(), Error> {
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    match group.kind {
        GroupKind::Choice => return refuse("<xs:choice>", group.location),
        GroupKind::All => return refuse("<xs:all>", group.location),
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
