//! Messages, the port type, the SOAP 1.1 binding and the service: everything that turns
//! schema elements into operations.

use std::collections::HashMap;

use crate::docs::doc_for;
use crate::model::{HeaderPart, Operation, Schema, Service};
use crate::{ns, qualified_name, Ctx, Error, ErrorKind, Node};

struct Message {
    /// `(part name, element local name)`, in order.
    parts: Vec<(String, String)>,
}

pub(crate) fn parse(
    ctx: &Ctx<'_, '_>,
    definitions: Node<'_, '_>,
    tns: &str,
    schema: &Schema,
) -> Result<(Vec<Operation>, Option<Service>), Error> {
    let messages = parse_messages(ctx, definitions, tns, schema)?;
    let wsdl_children = |local: &'static str| ctx.children(definitions).filter(move |n| ctx.is(*n, ns::WSDL, local));

    let (service, binding_name) = match wsdl_children("service").next() {
        Some(service) => {
            let (service, binding) = parse_service(ctx, service, tns)?;
            (Some(service), binding)
        }
        None => (None, None),
    };
    let soap11 = |binding: &Node<'_, '_>| ctx.children(*binding).any(|c| ctx.is(c, ns::SOAP11, "binding"));
    let binding = match &binding_name {
        Some(name) => wsdl_children("binding")
            .find(|b| b.attribute("name") == Some(name.as_str()))
            .ok_or_else(|| Error::new(ErrorKind::UnknownReference { kind: "binding", name: name.clone() }, None))?,
        None => wsdl_children("binding")
            .find(soap11)
            .ok_or_else(|| ctx.err(definitions, ErrorKind::Missing("a SOAP 1.1 wsdl:binding".into())))?,
    };
    let operations = parse_binding(ctx, binding, tns, &messages, |name| {
        wsdl_children("portType").find(|p| p.attribute("name") == Some(name))
    })?;
    Ok((operations, service))
}

fn parse_messages(
    ctx: &Ctx<'_, '_>,
    definitions: Node<'_, '_>,
    tns: &str,
    schema: &Schema,
) -> Result<HashMap<String, Message>, Error> {
    let mut messages = HashMap::new();
    for node in ctx.children(definitions).filter(|n| ctx.is(*n, ns::WSDL, "message")) {
        let name = ctx.required_attr(node, "name")?.to_owned();
        let mut parts = Vec::new();
        for part in ctx.children(node) {
            if !ctx.is(part, ns::WSDL, "part") {
                if ctx.is(part, ns::WSDL, "documentation") {
                    continue;
                }
                return Err(
                    ctx.err(part, ErrorKind::Unsupported(format!("<{}> in message `{name}`", qualified_name(part))))
                );
            }
            let part_name = ctx.required_attr(part, "name")?.to_owned();
            if part.attribute("type").is_some() {
                let message = format!("part `{part_name}` of message `{name}` uses `type=` (RPC style); only `element=` parts (document/literal) are supported");
                return Err(ctx.err(part, ErrorKind::Unsupported(message)));
            }
            let (element_ns, element) = ctx.resolve_qname(part, "element")?;
            if element_ns != tns || schema.element(&element).is_none() {
                return Err(ctx.err(part, ErrorKind::UnknownReference { kind: "element", name: element }));
            }
            parts.push((part_name, element));
        }
        if messages.insert(name.clone(), Message { parts }).is_some() {
            return Err(ctx.err(node, ErrorKind::Duplicate { kind: "message", name }));
        }
    }
    Ok(messages)
}

/// The service and, through its first SOAP 1.1 port, the binding to use.
fn parse_service(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, tns: &str) -> Result<(Service, Option<String>), Error> {
    let name = ctx.required_attr(node, "name")?.to_owned();
    for port in ctx.children(node).filter(|n| ctx.is(*n, ns::WSDL, "port")) {
        let Some(address) = ctx.children(port).find(|c| ctx.is(*c, ns::SOAP11, "address")) else { continue };
        let (binding_ns, binding) = ctx.resolve_qname(port, "binding")?;
        if binding_ns != tns {
            return Err(ctx.err(port, ErrorKind::UnknownReference { kind: "binding", name: binding }));
        }
        let service = Service {
            name,
            port: ctx.required_attr(port, "name")?.to_owned(),
            address: address.attribute("location").map(str::to_owned),
        };
        return Ok((service, Some(binding)));
    }
    Ok((Service { name, port: String::new(), address: None }, None))
}

fn parse_binding<'d, 'i>(
    ctx: &Ctx<'d, 'i>,
    binding: Node<'d, 'i>,
    tns: &str,
    messages: &HashMap<String, Message>,
    find_port_type: impl Fn(&str) -> Option<Node<'d, 'i>>,
) -> Result<Vec<Operation>, Error> {
    let binding_name = ctx.required_attr(binding, "name")?;
    let soap_binding = ctx.children(binding).find(|c| ctx.is(*c, ns::SOAP11, "binding")).ok_or_else(|| {
        ctx.err(binding, ErrorKind::Unsupported(format!("binding `{binding_name}` is not a SOAP 1.1 binding")))
    })?;
    if let Some(style) = soap_binding.attribute("style").filter(|s| *s != "document") {
        return Err(ctx.err(soap_binding, ErrorKind::Unsupported(format!("style=\"{style}\" (only document style)"))));
    }
    let (port_type_ns, port_type_name) = ctx.resolve_qname(binding, "type")?;
    let port_type = find_port_type(&port_type_name).filter(|_| port_type_ns == tns).ok_or_else(|| {
        ctx.err(binding, ErrorKind::UnknownReference { kind: "portType", name: port_type_name.clone() })
    })?;

    let mut operations = Vec::new();
    for abstract_op in ctx.children(port_type).filter(|n| ctx.is(*n, ns::WSDL, "operation")) {
        let name = ctx.required_attr(abstract_op, "name")?;
        let bound = ctx
            .children(binding)
            .find(|n| ctx.is(*n, ns::WSDL, "operation") && n.attribute("name") == Some(name))
            .ok_or_else(|| {
                ctx.err(abstract_op, ErrorKind::Missing(format!("binding of operation `{name}` in `{binding_name}`")))
            })?;
        operations.push(parse_operation(ctx, abstract_op, bound, tns, messages)?);
    }
    Ok(operations)
}

fn parse_operation(
    ctx: &Ctx<'_, '_>,
    abstract_op: Node<'_, '_>,
    bound: Node<'_, '_>,
    tns: &str,
    messages: &HashMap<String, Message>,
) -> Result<Operation, Error> {
    let name = ctx.required_attr(abstract_op, "name")?.to_owned();
    let mut input_message = None;
    let mut output_message = None;
    for child in ctx.children(abstract_op) {
        match child.tag_name().name() {
            "input" if ctx.is(child, ns::WSDL, "input") => {
                input_message = Some(message_ref(ctx, child, tns, messages)?)
            }
            "output" if ctx.is(child, ns::WSDL, "output") => {
                output_message = Some(message_ref(ctx, child, tns, messages)?)
            }
            "documentation" if ctx.is(child, ns::WSDL, "documentation") => {}
            _ => {
                let message =
                    format!("<{}> in operation `{name}` (only one-way input/output, no faults)", qualified_name(child));
                return Err(ctx.err(child, ErrorKind::Unsupported(message)));
            }
        }
    }
    let input = input_message
        .ok_or_else(|| ctx.err(abstract_op, ErrorKind::Missing(format!("wsdl:input of operation `{name}`"))))?;
    let output = output_message
        .ok_or_else(|| ctx.err(abstract_op, ErrorKind::Missing(format!("wsdl:output of operation `{name}`"))))?;

    let soap_operation = ctx.children(bound).find(|c| ctx.is(*c, ns::SOAP11, "operation"));
    if let Some(style) = soap_operation.and_then(|op| op.attribute("style")).filter(|s| *s != "document") {
        return Err(ctx.err(bound, ErrorKind::Unsupported(format!("style=\"{style}\" on operation `{name}`"))));
    }
    let soap_action = soap_operation.and_then(|op| op.attribute("soapAction")).unwrap_or("").to_owned();

    let bound_input = ctx.children(bound).find(|c| ctx.is(*c, ns::WSDL, "input"));
    let mut input_headers = Vec::new();
    for child in bound_input.iter().flat_map(|i| ctx.children(*i)) {
        if ctx.is(child, ns::SOAP11, "body") {
            check_literal(ctx, child, &name)?;
        } else if ctx.is(child, ns::SOAP11, "header") {
            check_literal(ctx, child, &name)?;
            let (message_ns, message_name) = ctx.resolve_qname(child, "message")?;
            let part = ctx.required_attr(child, "part")?.to_owned();
            let element = messages
                .get(&message_name)
                .filter(|_| message_ns == tns)
                .and_then(|m| m.parts.iter().find(|(p, _)| *p == part))
                .map(|(_, element)| element.clone())
                .ok_or_else(|| {
                    ctx.err(
                        child,
                        ErrorKind::UnknownReference { kind: "header part", name: format!("{message_name}/{part}") },
                    )
                })?;
            input_headers.push(HeaderPart { message: message_name, part, element });
        } else {
            let message = format!("<{}> in the input binding of `{name}`", qualified_name(child));
            return Err(ctx.err(child, ErrorKind::Unsupported(message)));
        }
    }
    for child in ctx.children(bound).filter(|c| ctx.is(*c, ns::WSDL, "output")).flat_map(|o| ctx.children(o)) {
        if !ctx.is(child, ns::SOAP11, "body") {
            let message = format!("<{}> in the output binding of `{name}`", qualified_name(child));
            return Err(ctx.err(child, ErrorKind::Unsupported(message)));
        }
        check_literal(ctx, child, &name)?;
    }

    Ok(Operation {
        doc: doc_for(abstract_op),
        input_element: single_part(ctx, abstract_op, &name, "input", input)?,
        output_element: single_part(ctx, abstract_op, &name, "output", output)?,
        name,
        soap_action,
        input_headers,
        location: ctx.location(abstract_op),
    })
}

fn message_ref<'m>(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    tns: &str,
    messages: &'m HashMap<String, Message>,
) -> Result<&'m Message, Error> {
    let (namespace, name) = ctx.resolve_qname(node, "message")?;
    messages
        .get(&name)
        .filter(|_| namespace == tns)
        .ok_or_else(|| ctx.err(node, ErrorKind::UnknownReference { kind: "message", name }))
}

/// Document/literal wrapped style: the body is exactly one element.
fn single_part(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    operation: &str,
    direction: &str,
    message: &Message,
) -> Result<String, Error> {
    match message.parts.as_slice() {
        [(_, element)] => Ok(element.clone()),
        parts => {
            let message =
                format!("{direction} of operation `{operation}` has {} parts (exactly one is supported)", parts.len());
            Err(ctx.err(node, ErrorKind::Unsupported(message)))
        }
    }
}

fn check_literal(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, operation: &str) -> Result<(), Error> {
    match node.attribute("use") {
        None | Some("literal") => Ok(()),
        Some(other) => Err(
            ctx.err(node, ErrorKind::Unsupported(format!("use=\"{other}\" in operation `{operation}` (only literal)")))
        ),
    }
}
