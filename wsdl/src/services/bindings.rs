//! `wsdl:binding`: the protocol, style and per-operation wire details of a port type.

use super::{children, Definitions};
use crate::docs::doc_for;
use crate::model::*;
use crate::xml::Attr;
use crate::{ns, qualified_name, Ctx, Error, ErrorKind, Node};

pub(crate) fn parse(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    tns: &str,
    defs: &Definitions<'_, '_, '_>,
) -> Result<Binding, Error> {
    let name = QName::new(tns, ctx.required_attr(node, "name")?);
    let port_type = ctx.resolve_qname(node, "type")?;
    let location = ctx.location(node);
    let extension = ctx.children(node).find(|c| c.tag_name().name() == "binding");
    let protocol = match extension.and_then(|e| e.tag_name().namespace()) {
        Some(ns::SOAP11) => Protocol::Soap11,
        Some(ns::SOAP12) => Protocol::Soap12,
        other => Protocol::Other(other.unwrap_or("").to_owned()),
    };
    let soap_ns = match protocol {
        Protocol::Soap11 => ns::SOAP11,
        Protocol::Soap12 => ns::SOAP12,
        Protocol::Other(_) => {
            let (operations, unusable) = (Vec::new(), Vec::new());
            return Ok(Binding { name, port_type, protocol, style: Style::Document, operations, unusable, location });
        }
    };
    let style = parse_style(ctx, extension.expect("a SOAP binding has its extension"))?.unwrap_or(Style::Document);
    let Some(abstract_ops) = defs.port_types.get(&port_type) else {
        return Err(ctx.err(node, ErrorKind::UnknownReference { kind: "portType", name: port_type.local }));
    };
    let wire = Wire { ctx, soap_ns, defs };
    // By name, once: a service of thousands of operations would otherwise scan them per one.
    let declared: std::collections::HashSet<&str> =
        children(abstract_ops.ctx, abstract_ops.node, "operation").filter_map(|n| n.attr("name")).collect();
    let mut bound_ops = std::collections::HashMap::new();
    // A bound operation the port type does not declare is a typo worth naming.
    for bound in children(ctx, node, "operation") {
        let op_name = ctx.required_attr(bound, "name")?;
        if !declared.contains(op_name) {
            let kind =
                ErrorKind::UnknownReference { kind: "operation", name: format!("{}/{op_name}", port_type.local) };
            return Err(ctx.err(bound, kind));
        }
        // The first binding of a name is the one used, as before.
        bound_ops.entry(op_name).or_insert(bound);
    }
    let (mut operations, mut unusable) = (Vec::new(), Vec::new());
    for abstract_op in children(abstract_ops.ctx, abstract_ops.node, "operation") {
        let op_name = abstract_ops.ctx.required_attr(abstract_op, "name")?;
        let bound = bound_ops.get(op_name).copied().ok_or_else(|| {
            let message = format!("binding of operation `{op_name}` in `{}`", name.local);
            abstract_ops.ctx.err(abstract_op, ErrorKind::Missing(message))
        });
        // A broken operation (a message the WSDL never defines, say) is recorded with why,
        // so the others stay usable.
        match bound.and_then(|bound| wire.operation(abstract_ops.ctx, abstract_op, bound, style)) {
            Ok(operation) => operations.push(operation),
            Err(error) => unusable.push(UnusableOperation { name: op_name.to_owned(), error }),
        }
    }
    Ok(Binding { name, port_type, protocol, style, operations, unusable, location })
}

/// The binding's document and SOAP namespace, and the definitions operations refer to.
struct Wire<'a, 'd, 'input, 'c> {
    ctx: &'a Ctx<'d, 'input>,
    soap_ns: &'static str,
    defs: &'a Definitions<'d, 'input, 'c>,
}

impl Wire<'_, '_, '_, '_> {
    fn operation(
        &self,
        abstract_ctx: &Ctx<'_, '_>,
        abstract_op: Node<'_, '_>,
        bound: Node<'_, '_>,
        binding_style: Style,
    ) -> Result<Operation, Error> {
        let ctx = self.ctx;
        let name = abstract_ctx.required_attr(abstract_op, "name")?.to_owned();
        let soap_operation = ctx.children(bound).find(|c| ctx.is(*c, self.soap_ns, "operation"));
        let style = match soap_operation {
            Some(op) => parse_style(ctx, op)?.unwrap_or(binding_style),
            None => binding_style,
        };
        let soap_action = soap_operation.and_then(|op| op.attr("soapAction")).unwrap_or("").to_owned();
        let bound_child = |local: &'static str| children(ctx, bound, local).next();
        let (mut input, mut output, mut faults) = (None, None, Vec::new());
        for child in abstract_ctx.children(abstract_op) {
            // A tool's extension in the abstract operation (`jaxws:bindings`, say) does not
            // change what goes on the wire; the binding's extensions are checked below.
            if !abstract_ctx.is(child, ns::WSDL, child.tag_name().name()) {
                continue;
            }
            match child.tag_name().name() {
                "input" => input = Some(self.message(abstract_ctx, child, bound_child("input"), &name)?),
                "output" => output = Some(self.message(abstract_ctx, child, bound_child("output"), &name)?),
                "fault" => faults.push(self.fault(abstract_ctx, child)?),
                "documentation" => {}
                other => {
                    let message = format!("<wsdl:{other}> in operation `{name}`");
                    return Err(abstract_ctx.err(child, ErrorKind::Unsupported(message)));
                }
            }
        }
        // WSDL 1.1 section 2.4: an output first is a solicit-response, an output alone a
        // notification; in both the service speaks first, which a client cannot wait for.
        let first =
            abstract_ctx.children(abstract_op).map(|c| c.tag_name().name()).find(|n| matches!(*n, "input" | "output"));
        if first == Some("output") {
            let kind = if input.is_some() { "solicit-response" } else { "notification" };
            let message = format!(
                "a {kind} operation (`{name}`: wsdl:output first), where the service sends first; only request-response and one-way operations"
            );
            return Err(abstract_ctx.err(abstract_op, ErrorKind::Unsupported(message)));
        }
        let input = input.ok_or_else(|| {
            abstract_ctx.err(abstract_op, ErrorKind::Missing(format!("wsdl:input of operation `{name}`")))
        })?;
        Ok(Operation {
            doc: doc_for(abstract_op),
            soap_action,
            style,
            input,
            output,
            faults,
            location: abstract_ctx.location(abstract_op),
            name,
        })
    }

    /// An operation's input or output: its message, and how the binding puts it on the wire.
    fn message(
        &self,
        abstract_ctx: &Ctx<'_, '_>,
        node: Node<'_, '_>,
        bound: Option<Node<'_, '_>>,
        operation: &str,
    ) -> Result<OperationMessage, Error> {
        let ctx = self.ctx;
        let message = abstract_ctx.resolve_qname(node, "message")?;
        let parts = &self.lookup(abstract_ctx, node, &message)?.parts;
        let mut result = OperationMessage {
            message: message.clone(),
            body: parts.clone(),
            body_use: Use::Literal,
            namespace: None,
            headers: Vec::new(),
            action: ns::ADDRESSING_ACTION
                .iter()
                .find_map(|namespace| node.attribute((*namespace, "Action")))
                .map(str::to_owned),
            location: abstract_ctx.location(node),
        };
        for child in bound.iter().flat_map(|b| ctx.children(*b)) {
            if ctx.is(child, self.soap_ns, "body") {
                result.body_use = parse_use(ctx, child)?;
                result.namespace = child.attr("namespace").map(str::to_owned);
                if let Some(names) = child.attr("parts") {
                    let names: Vec<&str> = names.split_whitespace().collect();
                    if let Some(unknown) = names.iter().find(|n| !parts.iter().any(|p| p.name == **n)) {
                        let name = format!("{}/{unknown}", message.local);
                        return Err(ctx.err(child, ErrorKind::UnknownReference { kind: "part", name }));
                    }
                    result.body = parts.iter().filter(|p| names.contains(&p.name.as_str())).cloned().collect();
                }
            } else if ctx.is(child, self.soap_ns, "header") {
                // A header bound twice (EWS's GetUserAvailability lists one so) is one header.
                let header = self.header(child)?;
                if !result.headers.iter().any(|h| (&h.message, &h.part) == (&header.message, &header.part)) {
                    result.headers.push(header);
                }
            } else if !ctx.is(child, ns::WSDL, "documentation") {
                let message = format!("<{}> in the binding of `{operation}`", qualified_name(child));
                return Err(ctx.err(child, ErrorKind::Unsupported(message)));
            }
        }
        // Parts bound as headers are not in the body.
        let header_parts: Vec<(&QName, &str)> = result.headers.iter().map(|h| (&h.message, h.part.as_str())).collect();
        result.body.retain(|p| !header_parts.contains(&(&message, p.name.as_str())));
        Ok(result)
    }

    fn header(&self, node: Node<'_, '_>) -> Result<HeaderPart, Error> {
        let ctx = self.ctx;
        let message = ctx.resolve_qname(node, "message")?;
        let part = ctx.required_attr(node, "part")?.to_owned();
        let content = self
            .defs
            .messages
            .get(&message)
            .and_then(|m| m.as_ref().ok())
            .and_then(|m| m.parts.iter().find(|p| p.name == part))
            .map(|p| p.content.clone())
            .ok_or_else(|| {
                let kind =
                    ErrorKind::UnknownReference { kind: "header part", name: format!("{}/{part}", message.local) };
                ctx.err(node, kind)
            })?;
        Ok(HeaderPart { message, part, content, header_use: parse_use(ctx, node)?, location: ctx.location(node) })
    }

    fn fault(&self, abstract_ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<FaultMessage, Error> {
        let name = abstract_ctx.required_attr(node, "name")?.to_owned();
        let message = abstract_ctx.resolve_qname(node, "message")?;
        let parts = self.lookup(abstract_ctx, node, &message)?.parts.clone();
        Ok(FaultMessage { name, message, parts, location: abstract_ctx.location(node) })
    }

    fn lookup<'m>(
        &'m self,
        ctx: &Ctx<'_, '_>,
        node: Node<'_, '_>,
        message: &QName,
    ) -> Result<&'m super::messages::Message, Error> {
        match self.defs.messages.get(message) {
            Some(Ok(found)) => Ok(found),
            Some(Err(error)) => Err(error.clone()),
            None => Err(ctx.err(node, ErrorKind::UnknownReference { kind: "message", name: message.local.clone() })),
        }
    }
}

fn parse_style(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<Option<Style>, Error> {
    match node.attr("style") {
        None => Ok(None),
        Some("document") => Ok(Some(Style::Document)),
        Some("rpc") => Ok(Some(Style::Rpc)),
        Some(other) => {
            Err(ctx.err(node, ErrorKind::Invalid(format!("`style=\"{other}\"` is neither document nor rpc"))))
        }
    }
}

fn parse_use(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> Result<Use, Error> {
    match node.attr("use") {
        None | Some("literal") => Ok(Use::Literal),
        Some("encoded") => Ok(Use::Encoded),
        Some(other) => {
            Err(ctx.err(node, ErrorKind::Invalid(format!("`use=\"{other}\"` is neither literal nor encoded"))))
        }
    }
}
