//! Operations: the marker type, client method, body types and header parameters of each.

use mktows_wsdl::{Operation, Wsdl};
use proc_macro2::Ident;
use quote::format_ident;

use super::ident;
use crate::names::{field_name, type_name};
use crate::Error;

/// The header block the runtime signs and writes itself (Marketo's authentication).
const SIGNED_HEADER_ELEMENT: &str = "AuthenticationHeader";

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
    pub input_element: String,
    pub output_element: String,
    pub input_type: Ident,
    pub output_type: Ident,
    /// Whether the runtime writes the signed header for this operation.
    pub signed: bool,
    /// Header blocks the caller may pass, in binding order.
    pub headers: Vec<HeaderParam>,
}

/// A `soap:header` of the input that the caller fills.
pub(crate) struct HeaderParam {
    /// The method parameter (`workspace_context`).
    pub param: Ident,
    pub ty: Ident,
    pub element: String,
}

pub(crate) fn plan_operations(wsdl: &Wsdl) -> Result<Vec<OperationPlan>, Error> {
    wsdl.operations.iter().map(|op| plan_operation(wsdl, op)).collect()
}

fn plan_operation(wsdl: &Wsdl, op: &Operation) -> Result<OperationPlan, Error> {
    let mut headers = Vec::new();
    for header in op.input_headers.iter().filter(|h| h.element != SIGNED_HEADER_ELEMENT) {
        headers.push(HeaderParam {
            param: ident(&field_name(&header.part)),
            ty: body_type(wsdl, &header.element, op)?,
            element: header.element.clone(),
        });
    }
    Ok(OperationPlan {
        name: op.name.clone(),
        doc: op.doc.clone(),
        marker: format_ident!("{}", type_name(&op.name)),
        method: ident(&field_name(&op.name)),
        soap_action: op.soap_action.clone(),
        input_element: op.input_element.clone(),
        output_element: op.output_element.clone(),
        input_type: body_type(wsdl, &op.input_element, op)?,
        output_type: body_type(wsdl, &op.output_element, op)?,
        signed: op.input_headers.iter().any(|h| h.element == SIGNED_HEADER_ELEMENT),
        headers,
    })
}

/// The Rust type of a global element's value.
fn body_type(wsdl: &Wsdl, element: &str, op: &Operation) -> Result<Ident, Error> {
    wsdl.schema
        .element(element)
        .map(|e| format_ident!("{}", type_name(&e.type_name)))
        .ok_or_else(|| Error::at(format!("operation `{}` uses unknown element `{element}`", op.name), op.location))
}
