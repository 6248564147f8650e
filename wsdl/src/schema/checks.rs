//! What reading could not check one definition at a time: duplicates, extension bases,
//! extension cycles.

use std::collections::HashSet;

use crate::model::Schema;
use crate::{Error, ErrorKind};

pub(crate) fn names(schema: &Schema) -> Result<(), Error> {
    // Elements first: a duplicate element with an inline type also duplicates its type's name.
    let mut elements = HashSet::new();
    for element in &schema.elements {
        if !elements.insert(&element.name) {
            let kind = ErrorKind::Duplicate { kind: "element", name: element.name.local.clone() };
            return Err(Error::new(kind, Some(element.location)));
        }
    }
    let mut types = HashSet::new();
    let simple = schema.simple_types.iter().map(|t| (&t.name, t.location));
    for (name, location) in simple.chain(schema.complex_types.iter().map(|t| (&t.name, t.location))) {
        if !types.insert(name) {
            let kind = ErrorKind::Duplicate { kind: "type", name: name.local.clone() };
            return Err(Error::new(kind, Some(location)));
        }
    }
    // One element twice in a type's content model (`a, b, a`) is valid XML Schema: it is
    // the generator's to say whether it can express it.
    Ok(())
}

/// How many types an extension chain may hold, the type itself included. Real schemas stay
/// under 10 (vSphere's deepest is 7); each type's struct holds every inherited field, so a
/// chain of thousands would make the generated code quadratic in size.
pub const MAX_EXTENSION_DEPTH: usize = 64;

/// Extension bases exist and are complex types, and no extension chain loops or runs past
/// [`MAX_EXTENSION_DEPTH`].
pub(crate) fn references(schema: &Schema) -> Result<(), Error> {
    for ty in &schema.complex_types {
        if let Some(base) = &ty.base {
            if schema.complex_type(base).is_none() {
                let kind = if schema.simple_type(base).is_some() || base.namespace == crate::ns::XSD {
                    ErrorKind::Unsupported(format!(
                        "complexContent extension of the simple type `{}` in complexType `{}`",
                        base.local, ty.name.local
                    ))
                } else {
                    ErrorKind::UnknownReference { kind: "base type", name: base.to_string() }
                };
                return Err(Error::new(kind, Some(ty.location)));
            }
        }
        let mut seen = HashSet::new();
        let mut current = Some(ty);
        while let Some(t) = current {
            if !seen.insert(&t.name) {
                let message = format!("complexType `{}` extends itself", ty.name.local);
                return Err(Error::new(ErrorKind::Invalid(message), Some(ty.location)));
            }
            if seen.len() > MAX_EXTENSION_DEPTH {
                let message = format!(
                    "complexType `{}` is an extension more than {MAX_EXTENSION_DEPTH} types deep (the limit)",
                    ty.name.local
                );
                return Err(Error::new(ErrorKind::Unsupported(message), Some(ty.location)));
            }
            current = t.base.as_ref().and_then(|b| schema.complex_type(b));
        }
    }
    Ok(())
}
