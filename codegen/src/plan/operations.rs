//! Operations: the marker type, client method, body types and header parameters of each,
//! from the binding the client speaks.

use mktows_wsdl::{Binding, Operation, OperationMessage, PartContent, QName, Style, TypeRef, Use, Wsdl};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::namespaces::Namespaces;
use super::naming::{type_ident, TypeNames};
use crate::names::field_name;
use crate::Error;

/// One operation, decided.
pub(crate) struct OperationPlan {
    /// The WSDL name, such as `syncMultipleLeads`.
    pub name: String,
    /// The schema's documentation of the operation.
    pub doc: Option<String>,
    /// The marker type in `operations` (`SyncMultipleLeads`).
    pub marker: Ident,
    /// The method of the client and of the server trait (`sync_multiple_leads`).
    pub method: Ident,
    pub soap_action: String,
    /// The body elements as the runtime writes them (see `wire_name`); requests are matched
    /// by the local names of `input_qname` and `output_qname`.
    pub input_wire: String,
    pub output_wire: String,
    pub input_qname: QName,
    pub output_qname: QName,
    pub input_type: BodyType,
    pub output_type: BodyType,
    /// The header the client's signer fills for this operation, when the binding declares it.
    pub signed_header: Option<String>,
    /// Header blocks the caller may pass, in binding order.
    pub headers: Vec<HeaderParam>,
    /// Every header element of the input, the signed one included (for type docs).
    pub all_headers: Vec<QName>,
}

/// A `soap:header` of the input that the caller fills.
pub(crate) struct HeaderParam {
    /// The method parameter (`workspace_context`).
    pub param: Ident,
    pub ty: BodyType,
    /// The element as the runtime writes it (see `wire_name`).
    pub element: String,
}

/// The Rust type of a body or header element's value.
pub(crate) struct BodyType {
    /// As generated code names it: `types::ParamsGetLead`, or `String` for a built-in.
    pub path: TokenStream,
    /// The type's name, for the operation table: `ParamsGetLead`.
    pub name: String,
}

/// The operations the generator can write, and those it leaves out with why.
/// `signed_header` is the header element the client's signer fills, if any.
pub(crate) fn plan_operations(
    wsdl: &Wsdl,
    binding: &Binding,
    signed_header: Option<&str>,
    namespaces: &Namespaces,
    names: &TypeNames,
) -> (Vec<OperationPlan>, Vec<String>) {
    let mut plans = Vec::new();
    let mut refused = Vec::new();
    for op in &binding.operations {
        match plan_operation(wsdl, op, signed_header, namespaces, names) {
            Ok(plan) => plans.push(plan),
            // An operation the generator cannot write yet is left out, with why.
            Err(error) => refused.push(format!("`{}`: {error}", op.name)),
        }
    }
    (plans, refused)
}

/// The name the runtime writes a global element with: its local name in the service
/// namespace (the runtime adds `ns1:`), else with its own prefix.
fn wire_name(element: &QName, namespaces: &Namespaces) -> String {
    match element.namespace == namespaces.service() {
        true => element.local.clone(),
        false => namespaces.qualify(&element.namespace, &element.local),
    }
}

fn plan_operation(
    wsdl: &Wsdl,
    op: &Operation,
    signed_header: Option<&str>,
    namespaces: &Namespaces,
    names: &TypeNames,
) -> Result<OperationPlan, Error> {
    let refuse =
        |what: String, location| Err(Error::unsupported(wsdl, format!("{what} in operation `{}`", op.name), location));
    if op.style == Style::Rpc {
        return refuse("style=\"rpc\" (only document style)".into(), op.location);
    }
    let Some(output) = &op.output else {
        return refuse("a one-way operation (no wsdl:output)".into(), op.location);
    };
    // Response headers are skipped when reading; the docs say which, so none is lost unseen.
    let response_headers: Vec<String> = output
        .headers
        .iter()
        .map(|h| match &h.content {
            PartContent::Element(element) => format!("`{}`", element.local),
            PartContent::Type(_) => format!("`{}`", h.part),
        })
        .collect();
    let doc = match (&op.doc, response_headers.is_empty()) {
        (doc, true) => doc.clone(),
        (doc, false) => {
            let note = format!("The response's SOAP headers ({}) are not read.", response_headers.join(", "));
            Some(doc.as_deref().map_or(note.clone(), |d| format!("{d}\n\n{note}")))
        }
    };
    let input_qname = body_element(wsdl, op, &op.input, "input")?;
    let output_qname = body_element(wsdl, op, output, "output")?;
    let mut headers = Vec::new();
    let mut all_headers = Vec::new();
    for header in &op.input.headers {
        if header.header_use == Use::Encoded {
            return refuse("use=\"encoded\" (only literal)".into(), header.location);
        }
        let PartContent::Element(element) = &header.content else {
            return refuse(format!("header part `{}` of type= (only element= parts)", header.part), header.location);
        };
        all_headers.push(element.clone());
        if Some(element.local.as_str()) == signed_header {
            continue;
        }
        headers.push(HeaderParam {
            param: ident(&field_name(&header.part)),
            ty: element_type(wsdl, names, op, element)?,
            element: wire_name(element, namespaces),
        });
    }
    Ok(OperationPlan {
        name: op.name.clone(),
        doc,
        marker: type_ident(&op.name),
        method: ident(&field_name(&op.name)),
        soap_action: op.soap_action.clone(),
        input_wire: wire_name(&input_qname, namespaces),
        output_wire: wire_name(&output_qname, namespaces),
        input_type: element_type(wsdl, names, op, &input_qname)?,
        output_type: element_type(wsdl, names, op, &output_qname)?,
        signed_header: signed_header.filter(|s| all_headers.iter().any(|h| h.local == *s)).map(str::to_owned),
        input_qname,
        output_qname,
        headers,
        all_headers,
    })
}

/// Document/literal wrapped style: the body is exactly one global element.
fn body_element(wsdl: &Wsdl, op: &Operation, message: &OperationMessage, direction: &str) -> Result<QName, Error> {
    if message.body_use == Use::Encoded {
        let what = format!("use=\"encoded\" in operation `{}` (only literal)", op.name);
        return Err(Error::unsupported(wsdl, what, message.location));
    }
    match message.body.as_slice() {
        [part] => match &part.content {
            PartContent::Element(element) => Ok(element.clone()),
            PartContent::Type(_) => {
                let what = format!(
                    "part `{}` of the {direction} of `{}` uses `type=` (RPC style); only `element=` parts (document/literal)",
                    part.name, op.name
                );
                Err(Error::unsupported(wsdl, what, part.location))
            }
        },
        parts => {
            let what = format!(
                "{direction} of operation `{}` has {} body parts (exactly one is supported)",
                op.name,
                parts.len()
            );
            Err(Error::unsupported(wsdl, what, message.location))
        }
    }
}

/// The Rust type of a global element's value.
fn element_type(wsdl: &Wsdl, names: &TypeNames, op: &Operation, element: &QName) -> Result<BodyType, Error> {
    let named = |name: &QName| {
        let ident = names.ident(name);
        BodyType { name: ident.to_string(), path: quote!(types::#ident) }
    };
    match wsdl.schema.element(element).map(|e| &e.type_ref) {
        Some(TypeRef::Complex(name) | TypeRef::Simple(name)) => Ok(named(name)),
        Some(TypeRef::Builtin(builtin)) => {
            let path = super::types::builtin_type(*builtin);
            Ok(BodyType { name: path.to_string(), path })
        }
        None => {
            let message = format!("operation `{}` uses unknown element `{}`", op.name, element.local);
            Err(Error::at(wsdl, message, op.location))
        }
    }
}
