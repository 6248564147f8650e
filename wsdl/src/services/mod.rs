//! Messages, port types, bindings and services of every WSDL document: everything that
//! turns schema elements into operations.

mod bindings;
mod messages;

use crate::xml::Attr;
use std::collections::HashMap;

use crate::docs::doc_for;
use crate::model::{Binding, Port, QName, Schema, Service};
use crate::{ns, Ctx, Error, ErrorKind, Node};

use messages::Message;

/// A definition of a WSDL document, with the document it is in.
pub(crate) struct Def<'d, 'input, 'c> {
    pub ctx: &'c Ctx<'d, 'input>,
    pub node: Node<'d, 'input>,
}

/// The definitions of every WSDL document, known by qualified name.
pub(crate) struct Definitions<'d, 'input, 'c> {
    /// A message that cannot be read keeps its error: only the operations that use it fail.
    pub messages: HashMap<QName, Result<Message, Error>>,
    pub port_types: HashMap<QName, Def<'d, 'input, 'c>>,
}

pub(crate) fn parse(contexts: &[Ctx<'_, '_>], schema: &Schema) -> Result<(Vec<Binding>, Vec<Service>), Error> {
    let wsdls: Vec<(&Ctx<'_, '_>, Node<'_, '_>, &str)> = contexts
        .iter()
        .filter_map(|ctx| ctx.definitions().map(|root| (ctx, root, root.attr("targetNamespace").unwrap_or(""))))
        .collect();
    let mut defs = Definitions { messages: HashMap::new(), port_types: HashMap::new() };
    for &(ctx, root, tns) in &wsdls {
        for node in children(ctx, root, "message") {
            let name = QName::new(tns, ctx.required_attr(node, "name")?);
            let message = messages::parse(ctx, node, schema);
            if defs.messages.insert(name.clone(), message).is_some() {
                return Err(ctx.err(node, ErrorKind::Duplicate { kind: "message", name: name.local }));
            }
        }
        for node in children(ctx, root, "portType") {
            let name = QName::new(tns, ctx.required_attr(node, "name")?);
            if defs.port_types.insert(name.clone(), Def { ctx, node }).is_some() {
                return Err(ctx.err(node, ErrorKind::Duplicate { kind: "portType", name: name.local }));
            }
        }
    }
    let mut bindings = Vec::new();
    let mut services = Vec::new();
    for &(ctx, root, tns) in &wsdls {
        for node in children(ctx, root, "binding") {
            bindings.push(bindings::parse(ctx, node, tns, &defs)?);
        }
        for node in children(ctx, root, "service") {
            services.push(parse_service(ctx, node)?);
        }
    }
    // A port may name a binding no document defines (ONVIF's recording.wsdl names another
    // file's): it is kept as written and never chosen (`Wsdl::default_binding`), as zeep
    // leaves such a port out rather than refusing the WSDL.
    Ok((bindings, services))
}

pub(crate) fn children<'a, 'd, 'input>(
    ctx: &'a Ctx<'d, 'input>,
    node: Node<'d, 'input>,
    local: &'static str,
) -> impl Iterator<Item = Node<'d, 'input>> + 'a {
    ctx.children(node).filter(move |n| ctx.is(*n, ns::WSDL, local))
}

fn parse_service(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<Service, Error> {
    let name = ctx.required_attr(node, "name")?.to_owned();
    let mut ports = Vec::new();
    for port in children(ctx, node, "port") {
        // `soap:address`, `soap12:address` or `http:address`: each has a location.
        let address = ctx
            .children(port)
            .find(|c| c.tag_name().name() == "address")
            .and_then(|a| a.attr("location"))
            .map(str::to_owned);
        ports.push(Port {
            name: ctx.required_attr(port, "name")?.to_owned(),
            binding: ctx.resolve_qname(port, "binding")?,
            address,
            location: ctx.location(port),
        });
    }
    Ok(Service { name, doc: doc_for(node), ports })
}
