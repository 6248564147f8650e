//! Messages: how an operation's input or output sits in the SOAP Body, and the struct
//! generated for it when its parts are not one global element.
//!
//! * Document style, one `element=` part: the Body holds that element, typed as it is.
//! * Document style, zero or several parts: the Body holds the parts' elements in order
//!   (a `type=` part as an unqualified element named after the part); the value is a struct
//!   with one field per part, written and read as the Body itself, or `()` for none.
//! * RPC style (WSDL 1.1 section 3.5, WS-I Basic Profile 1.1 R2729 and R2735): the Body
//!   holds a wrapper element named after the operation (`Response` appended for the
//!   output) in the namespace of `soap:body/@namespace`, and in it one unqualified element
//!   per part, named after the part; the wrapper's type is a struct with one field per part.

use mktows_wsdl::{
    ComplexType, Field, Group, GroupKind, MaxOccurs, Operation, OperationMessage, Part, PartContent, Particle, QName,
    Style, TypeRef, Wsdl,
};
use proc_macro2::Ident;
use quote::quote;

use super::namespaces::Namespaces;
use super::operations::{element_type, BodyType};
use super::types::{message_struct, Analysis, StructPlan};
use crate::Error;

/// Where a message's value sits in the Body (the runtime's `BodyLayout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// The one element `wire`.
    Element,
    /// The Body's whole content.
    Parts,
}

/// One direction of an operation, decided.
pub(crate) struct MessagePlan {
    pub layout: Layout,
    /// The body element; for [`Layout::Parts`] the first part's element (what a server
    /// routes by), or an empty name for no parts.
    pub qname: QName,
    /// `qname` as the runtime writes it (see `operations::wire_name`).
    pub wire: String,
    pub ty: BodyType,
    /// The struct generated for the message, when its value is not a schema type.
    pub structure: Option<StructPlan>,
    /// No parts: the value is `()`.
    pub is_unit: bool,
    /// The parts as the elements they are sent as, for an RPC wrapper or a Body of several
    /// parts (empty for one `element=` part, which `qname` names): for the samples.
    pub parts: Vec<Field>,
}

/// What planning a message needs besides the message.
pub(crate) struct MessageContext<'a> {
    pub wsdl: &'a Wsdl,
    pub analysis: &'a Analysis<'a>,
    pub namespaces: &'a Namespaces,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Input,
    Output,
}

impl Direction {
    fn noun(self) -> &'static str {
        match self {
            Self::Input => "request",
            Self::Output => "response",
        }
    }
}

pub(crate) fn plan_message(
    cx: &MessageContext<'_>,
    op: &Operation,
    message: &OperationMessage,
    direction: Direction,
    marker: &Ident,
) -> Result<MessagePlan, Error> {
    let wsdl = cx.wsdl;
    if op.style == Style::Rpc {
        return rpc_message(cx, op, message, direction, marker);
    }
    match message.body.as_slice() {
        [Part { content: PartContent::Element(element), .. }] => Ok(MessagePlan {
            layout: Layout::Element,
            wire: super::operations::wire_name(element, cx.namespaces),
            ty: element_type(wsdl, &cx.analysis.names, op, element)?,
            qname: element.clone(),
            structure: None,
            is_unit: false,
            parts: Vec::new(),
        }),
        [] => Ok(MessagePlan {
            layout: Layout::Parts,
            qname: QName::new("", ""),
            wire: String::new(),
            ty: BodyType { path: quote!(()), name: "()".into() },
            structure: None,
            is_unit: true,
            parts: Vec::new(),
        }),
        parts => {
            let fields = parts.iter().map(|part| part_field(wsdl, op, part)).collect::<Result<Vec<_>, _>>()?;
            let qname = match &fields[0].namespace {
                Some(namespace) => QName::new(namespace.clone(), fields[0].name.clone()),
                None => QName::new("", fields[0].name.clone()),
            };
            let doc = format!(
                "The {} of `{}`: its {} parts, each an element of the SOAP Body, in this order.",
                direction.noun(),
                op.name,
                parts.len()
            );
            let structure = parts_struct(cx, message, fields.clone(), direction, marker, doc);
            Ok(MessagePlan {
                parts: fields,
                layout: Layout::Parts,
                wire: super::operations::wire_name(&qname, cx.namespaces),
                qname,
                ty: struct_type(&structure.ident),
                structure: Some(structure),
                is_unit: false,
            })
        }
    }
}

/// The RPC wrapper element and the struct of its parts.
fn rpc_message(
    cx: &MessageContext<'_>,
    op: &Operation,
    message: &OperationMessage,
    direction: Direction,
    marker: &Ident,
) -> Result<MessagePlan, Error> {
    let namespace = message.namespace.clone().unwrap_or_else(|| cx.wsdl.target_namespace.clone());
    let local = match direction {
        Direction::Input => op.name.clone(),
        Direction::Output => format!("{}Response", op.name),
    };
    let qname = QName::new(namespace, local);
    let fields = message.body.iter().map(|part| part_field(cx.wsdl, op, part)).collect::<Result<Vec<_>, _>>()?;
    let doc = format!(
        "The {} of `{}` (RPC style): the element `{}` with one unqualified child per part, named after it.",
        direction.noun(),
        op.name,
        qname.local
    );
    let structure = parts_struct(cx, message, fields.clone(), direction, marker, doc);
    Ok(MessagePlan {
        parts: fields,
        layout: Layout::Element,
        wire: super::operations::wire_name(&qname, cx.namespaces),
        qname,
        ty: struct_type(&structure.ident),
        structure: Some(structure),
        is_unit: false,
    })
}

fn struct_type(ident: &Ident) -> BodyType {
    BodyType { name: ident.to_string(), path: quote!(types::#ident) }
}

/// The struct `{Operation}Input` or `{Operation}Output` (another name if the schema has
/// that one), a field per part.
fn parts_struct(
    cx: &MessageContext<'_>,
    message: &OperationMessage,
    fields: Vec<Field>,
    direction: Direction,
    marker: &Ident,
    doc: String,
) -> StructPlan {
    let suffix = match direction {
        Direction::Input => "Input",
        Direction::Output => "Output",
    };
    let ident = cx.analysis.names.fresh(&format!("{marker}{suffix}"));
    let sequence = Group {
        kind: GroupKind::Sequence,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        particles: fields.into_iter().map(Particle::Element).collect(),
        location: message.location,
    };
    let parts = ComplexType {
        name: QName::new(cx.wsdl.target_namespace.clone(), ident.to_string()),
        doc: None,
        is_abstract: false,
        mixed: false,
        base: None,
        restriction: None,
        array_type: None,
        particle: Some(sequence),
        attributes: Vec::new(),
        any_attribute: false,
        simple_content: None,
        anonymous: false,
        location: message.location,
    };
    let docs = vec![doc, format!("The `wsdl:message` `{}`.", message.message.local)];
    message_struct(&parts, ident, docs, cx.analysis, cx.namespaces)
}

/// A part as the element it is sent as: the global element of an `element=` part, or an
/// unqualified element named after a `type=` part (of `xs:anyType`: raw XML, `AnyXml`).
fn part_field(wsdl: &Wsdl, op: &Operation, part: &Part) -> Result<Field, Error> {
    let field = |name: String, namespace, reference, type_ref: TypeRef, nillable| Field {
        name,
        namespace,
        reference,
        doc: None,
        type_ref,
        min_occurs: 1,
        max_occurs: MaxOccurs::Bounded(1),
        nillable,
        location: part.location,
    };
    match &part.content {
        PartContent::Type(type_ref) => Ok(field(part.name.clone(), None, None, type_ref.clone(), false)),
        PartContent::Element(element) => {
            let Some(global) = wsdl.schema.element(element) else {
                let message = format!("operation `{}` uses unknown element `{}`", op.name, element.local);
                return Err(Error::at(wsdl, message, part.location));
            };
            let namespace = (!element.namespace.is_empty()).then(|| element.namespace.clone());
            Ok(field(element.local.clone(), namespace, Some(element.clone()), global.type_ref.clone(), global.nillable))
        }
    }
}
