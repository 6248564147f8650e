//! `wsdl:message` and its parts.

use crate::model::{Part, PartContent, QName, Schema};
use crate::schema::resolve_type;
use crate::xml::Attr;
use crate::{ns, qualified_name, Ctx, Error, ErrorKind, Node};

pub(crate) struct Message {
    pub parts: Vec<Part>,
}

pub(crate) fn parse(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, schema: &Schema) -> Result<Message, Error> {
    let name = ctx.required_attr(node, "name")?;
    let mut parts = Vec::new();
    for part in ctx.children(node) {
        if ctx.is(part, ns::WSDL, "documentation") {
            continue;
        }
        if !ctx.is(part, ns::WSDL, "part") {
            let message = format!("<{}> in message `{name}`", qualified_name(part));
            return Err(ctx.err(part, ErrorKind::Unsupported(message)));
        }
        let part_name = ctx.required_attr(part, "name")?.to_owned();
        let content = if part.attr("element").is_some() {
            let element = ctx.resolve_qname(part, "element")?;
            if schema.element(&element).is_none() {
                return Err(ctx.err(part, ErrorKind::UnknownReference { kind: "element", name: element.local }));
            }
            PartContent::Element(element)
        } else if part.attr("type").is_some() {
            let type_name: QName = ctx.resolve_qname(part, "type")?;
            PartContent::Type(resolve_type(schema, &type_name).map_err(|kind| ctx.err(part, kind))?)
        } else {
            let message = format!("attribute `element` or `type` on part `{part_name}` of message `{name}`");
            return Err(ctx.err(part, ErrorKind::Missing(message)));
        };
        parts.push(Part { name: part_name, content, location: ctx.location(part) });
    }
    Ok(Message { parts })
}
