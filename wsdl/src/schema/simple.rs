//! `xs:simpleType`: a restriction of a built-in type, with its enumeration values.

use super::{unsupported, xsd_name};
use crate::docs::doc_for;
use crate::model::{Builtin, EnumValue, Facet, QName, SimpleType};
use crate::xml::Attr;
use crate::{ns, Ctx, Error, ErrorKind, Node};

/// The constraining facets besides enumeration, recorded as written.
const FACETS: [&str; 11] = [
    "length",
    "minLength",
    "maxLength",
    "pattern",
    "whiteSpace",
    "maxInclusive",
    "maxExclusive",
    "minInclusive",
    "minExclusive",
    "totalDigits",
    "fractionDigits",
];

pub(crate) fn parse(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, name: QName, anonymous: bool) -> Result<SimpleType, Error> {
    let mut restriction = None;
    let context = format!("in simpleType `{}`", name.local);
    for child in ctx.children(node) {
        match xsd_name(child) {
            Some("restriction") if restriction.is_none() => restriction = Some(child),
            // A list or union is kept as its text: a value of it is a string in XML.
            Some(kind @ ("list" | "union")) => {
                let variety = format!("an `xs:{kind}`, kept as its text");
                let location = ctx.location(node);
                let (doc, enumeration, facets) = (doc_for(node), Vec::new(), Vec::new());
                let base = Builtin::String;
                let restricts = None;
                let variety = Some(variety);
                return Ok(SimpleType {
                    name,
                    doc,
                    base,
                    restricts,
                    variety,
                    enumeration,
                    facets,
                    anonymous,
                    location,
                });
            }
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, &context)),
        }
    }
    let restriction = restriction
        .ok_or_else(|| ctx.err(node, ErrorKind::Missing(format!("xs:restriction in simpleType `{}`", name.local))))?;
    let (base, restricts) = match restriction.attr("base") {
        Some(_) => {
            let base_name = ctx.resolve_qname(restriction, "base")?;
            match (base_name.namespace.as_str(), Builtin::from_local_name(&base_name.local)) {
                (ns::XSD, Some(builtin)) => (builtin, None),
                (ns::XSD, None) => {
                    let message = format!("built-in type `xs:{}`", base_name.local);
                    return Err(ctx.err(restriction, ErrorKind::Unsupported(message)));
                }
                // Resolved once every simple type is read (see `resolve_restrictions`).
                _ => (Builtin::String, Some(base_name)),
            }
        }
        None => {
            let message = format!("a restriction of an inline simpleType in simpleType `{}`", name.local);
            return Err(ctx.err(restriction, ErrorKind::Unsupported(message)));
        }
    };
    let mut enumeration = Vec::new();
    // A set, not a scan of `enumeration`: an enumeration may have 100,000 values.
    let mut seen = std::collections::HashSet::new();
    let mut facets = Vec::new();
    for facet in ctx.children(restriction) {
        match xsd_name(facet) {
            Some("enumeration") => {
                let value = ctx.required_attr(facet, "value")?.to_owned();
                if !seen.insert(value.clone()) {
                    return Err(ctx.err(facet, ErrorKind::Duplicate { kind: "enumeration value", name: value }));
                }
                enumeration.push(EnumValue { value, doc: doc_for(facet) });
            }
            Some("annotation") => {}
            Some(kind) if FACETS.contains(&kind) => {
                let value = ctx.required_attr(facet, "value")?.to_owned();
                facets.push(Facet { kind: kind.to_owned(), value });
            }
            _ => {
                let context = format!("facet in simpleType `{}`", name.local);
                return Err(unsupported(ctx, facet, &context));
            }
        }
    }
    let (doc, location, variety) = (doc_for(node), ctx.location(node), None);
    Ok(SimpleType { doc, name, base, restricts, variety, enumeration, facets, anonymous, location })
}

/// A simple type restricting another takes its built-in base and, if it names no values of
/// its own, its enumeration.
pub(crate) fn resolve_restrictions(types: &mut [SimpleType]) -> Result<(), Error> {
    for index in 0..types.len() {
        let mut current = index;
        let mut steps = 0;
        while let Some(base) = types[current].restricts.clone() {
            let Some(next) = types.iter().position(|t| t.name == base) else {
                let kind = ErrorKind::UnknownReference { kind: "simple type", name: base.to_string() };
                return Err(Error::new(kind, Some(types[index].location)));
            };
            steps += 1;
            if steps > types.len() {
                let message = format!("simpleType `{}` restricts itself", types[index].name.local);
                return Err(Error::new(ErrorKind::Invalid(message), Some(types[index].location)));
            }
            current = next;
        }
        types[index].base = types[current].base;
        if types[index].enumeration.is_empty() && types[index].restricts.is_some() {
            types[index].enumeration = types[current].enumeration.clone();
        }
    }
    Ok(())
}
