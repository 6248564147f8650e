//! `xs:simpleType`: a restriction of a built-in type, with its enumeration values.

use super::{unsupported, xsd_name};
use crate::docs::doc_for;
use crate::model::{Builtin, EnumValue, Facet, QName, SimpleType};
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
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, child, &context)),
        }
    }
    let restriction = restriction
        .ok_or_else(|| ctx.err(node, ErrorKind::Missing(format!("xs:restriction in simpleType `{}`", name.local))))?;
    let base_name = ctx.resolve_qname(restriction, "base")?;
    let base = match (base_name.namespace.as_str(), Builtin::from_local_name(&base_name.local)) {
        (ns::XSD, Some(builtin)) => builtin,
        _ => {
            let message = format!(
                "simpleType `{}` restricting `{}` (only built-in bases are supported)",
                name.local, base_name.local
            );
            return Err(ctx.err(restriction, ErrorKind::Unsupported(message)));
        }
    };
    let mut enumeration = Vec::new();
    let mut facets = Vec::new();
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
    Ok(SimpleType { doc: doc_for(node), name, base, enumeration, facets, anonymous, location: ctx.location(node) })
}
