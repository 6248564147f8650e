//! Operations: the marker type, client method, body types and header parameters of each,
//! from the binding the client speaks.

use mktows_wsdl::{Binding, Operation, OperationMessage, PartContent, QName, Style, TypeRef, Use, Wsdl};
use proc_macro2::Ident;

use super::ident;
use super::naming::type_ident;
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
    /// The body elements' local names (their namespace is the plan's).
    pub input_element: String,
    pub output_element: String,
    pub input_qname: QName,
    pub output_qname: QName,
    pub input_type: Ident,
    pub output_type: Ident,
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
    pub ty: Ident,
    pub element: String,
}

/// `signed_header` is the header element the client's signer fills, if any.
pub(crate) fn plan_operations(
    wsdl: &Wsdl,
    binding: &Binding,
    signed_header: Option<&str>,
) -> Result<Vec<OperationPlan>, Error> {
    binding.operations.iter().map(|op| plan_operation(wsdl, op, signed_header)).collect()
}

fn plan_operation(wsdl: &Wsdl, op: &Operation, signed_header: Option<&str>) -> Result<OperationPlan, Error> {
    let refuse =
        |what: String, location| Err(Error::unsupported(wsdl, format!("{what} in operation `{}`", op.name), location));
    if op.style == Style::Rpc {
        return refuse("style=\"rpc\" (only document style)".into(), op.location);
    }
    let Some(output) = &op.output else {
        return refuse("a one-way operation (no wsdl:output)".into(), op.location);
    };
    if let Some(header) = output.headers.first() {
        return refuse("a soap:header on the output".into(), header.location);
    }
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
            ty: element_type(wsdl, op, element)?,
            element: element.local.clone(),
        });
    }
    Ok(OperationPlan {
        name: op.name.clone(),
        doc: op.doc.clone(),
        marker: type_ident(&op.name),
        method: ident(&field_name(&op.name)),
        soap_action: op.soap_action.clone(),
        input_element: input_qname.local.clone(),
        output_element: output_qname.local.clone(),
        input_type: element_type(wsdl, op, &input_qname)?,
        output_type: element_type(wsdl, op, &output_qname)?,
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

/// The Rust type of a global element's value: a complex type of the schema.
fn element_type(wsdl: &Wsdl, op: &Operation, element: &QName) -> Result<Ident, Error> {
    match wsdl.schema.element(element).map(|e| &e.type_ref) {
        Some(TypeRef::Complex(name)) => Ok(type_ident(&name.local)),
        Some(_) => {
            let what = format!("element `{}` of a simple type as a message of `{}`", element.local, op.name);
            Err(Error::unsupported(wsdl, what, op.location))
        }
        None => {
            let message = format!("operation `{}` uses unknown element `{}`", op.name, element.local);
            Err(Error::at(wsdl, message, op.location))
        }
    }
}
