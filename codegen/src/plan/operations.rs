//! Operations: the marker type, client method, body types and header parameters of each,
//! from the binding the client speaks.

use mktows_wsdl::{Binding, Operation, PartContent, QName, TypeRef, Use, Wsdl};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use super::messages::{plan_message, Direction, Layout, MessageContext, MessagePlan};
use super::namespaces::Namespaces;
use super::naming::{first_free, type_ident, TypeNames};
use super::types::{Analysis, StructPlan};
use crate::names::field_name;
use crate::Error;

/// One operation, decided.
pub(crate) struct OperationPlan {
    /// The WSDL name, such as `syncMultipleLeads`.
    pub name: String,
    /// The schema's documentation of the operation.
    pub doc: Option<String>,
    /// How it pages, when a service layer says (see [`crate::Pagination`]).
    pub pages: Option<super::paging::PagesPlan>,
    /// The marker type in `operations` (`SyncMultipleLeads`).
    pub marker: Ident,
    /// The method of the client and of the server trait (`sync_multiple_leads`).
    pub method: Ident,
    pub soap_action: String,
    /// The request's WS-Addressing action, where the WSDL names one other than the SOAP
    /// action.
    pub action: Option<String>,
    /// The body elements as the runtime writes them (see `wire_name`); requests are matched
    /// by the local names of `input_qname` and `output_qname`.
    pub input_wire: String,
    pub output_wire: String,
    pub input_qname: QName,
    pub output_qname: QName,
    pub input_type: BodyType,
    pub output_type: BodyType,
    /// Where each message sits in the Body.
    pub input_layout: Layout,
    pub output_layout: Layout,
    /// The input has no parts: the client method takes no body parameter.
    pub input_is_unit: bool,
    /// The parts of an RPC wrapper or of a Body of several parts (see `MessagePlan::parts`).
    pub input_parts: Vec<mktows_wsdl::Field>,
    pub output_parts: Vec<mktows_wsdl::Field>,
    /// No `wsdl:output`: the client sends and returns `()` on HTTP success.
    pub one_way: bool,
    /// RPC style: each message is a wrapper element holding its parts (none, perhaps).
    pub rpc: bool,
    /// A message is SOAP-encoded (`use="encoded"`): it is written as RPC/literal is (as
    /// zeep sends it), and multi-reference values are resolved when it is read.
    pub encoded: bool,
    /// The header the client's signer fills for this operation, when the binding declares it.
    pub signed_header: Option<String>,
    /// Header blocks the caller may pass, in binding order.
    pub headers: Vec<HeaderParam>,
    /// Every header element of the input, the signed one included (for type docs).
    pub all_headers: Vec<QName>,
    /// The response's `soap:header` blocks, in binding order.
    pub response_headers: Vec<ResponseHeader>,
    /// The client method that also returns the response's header blocks, when the binding
    /// declares some (`get_quote_with_headers`).
    pub with_headers_method: Option<Ident>,
    /// The operation an earlier one hides from the server's `dispatch`, which routes by the
    /// first body element: both have the same (or both an empty Body).
    pub hidden_by: Option<String>,
    /// The typed faults (`wsdl:fault` with an `element=` part), and the enum that holds
    /// one of them; `None` when the operation declares none that can be typed.
    pub faults: Option<FaultsPlan>,
}

/// The enum of an operation's declared faults, decoded from a Fault's `detail`.
pub(crate) struct FaultsPlan {
    /// `SendSmsFault`.
    pub ident: Ident,
    pub variants: Vec<FaultVariant>,
    /// Declared faults that are not typed, with why (for the enum's docs).
    pub untyped: Vec<String>,
}

pub(crate) struct FaultVariant {
    /// The variant, after `wsdl:fault/@name`.
    pub ident: Ident,
    /// `wsdl:fault/@name`.
    pub fault_name: String,
    /// The detail element's local name, which reading matches.
    pub element: String,
    pub ty: BodyType,
}

/// A `soap:header` of the output.
pub(crate) struct ResponseHeader {
    /// The element's local name, or the part's for a `type=` part.
    pub element: String,
    /// The element's Rust type, for an `element=` part the generator writes.
    pub ty: Option<BodyType>,
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

/// The operations the generator can write, the structs their messages need, and the
/// operations it leaves out with why. `signed_header` is the header element the client's
/// signer fills, if any.
pub(crate) fn plan_operations(
    wsdl: &Wsdl,
    binding: &Binding,
    signed_header: Option<&str>,
    namespaces: &Namespaces,
    analysis: &Analysis<'_>,
) -> (Vec<OperationPlan>, Vec<StructPlan>, Vec<String>) {
    let cx = MessageContext { wsdl, analysis, namespaces };
    let mut plans = Vec::new();
    let mut structs = Vec::new();
    let mut refused = Vec::new();
    let markers = distinct_markers(binding);
    for (op, marker) in binding.operations.iter().zip(&markers) {
        match plan_operation(&cx, op, marker, signed_header, &markers) {
            Ok((plan, messages)) => {
                plans.push(plan);
                structs.extend(messages);
            }
            // An operation the generator cannot write yet is left out, with why.
            Err(error) => refused.push(format!("`{}`: {error}", op.name)),
        }
    }
    mark_hidden(&mut plans);
    distinct_methods(&mut plans);
    (plans, structs, refused)
}

/// The marker type of each operation: its name in Rust, numbered where two operations map
/// to one (`getLead` and `GetLead` are `GetLead` and `GetLead2`).
fn distinct_markers(binding: &Binding) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    let mut markers = Vec::new();
    for op in &binding.operations {
        let chosen = first_free(&type_ident(&op.name).to_string(), "", |c| taken.contains(c));
        taken.insert(chosen.clone());
        markers.push(chosen);
    }
    markers
}

/// Methods the generated client and server trait have besides one per operation.
const OWN_METHODS: &[&str] = &["new", "with_config", "from_soap", "soap", "with_layer", "request_fault"];

/// The client and server methods of each operation: its name in snake case, with
/// `_operation` appended where the client has a method of that name already (`new`), and
/// numbered where two operations map to one (`get_lead`, `get_lead_2`); the methods that
/// also return response headers likewise.
fn distinct_methods(plans: &mut [OperationPlan]) {
    let mut taken: std::collections::HashSet<String> = OWN_METHODS.iter().map(|m| (*m).to_owned()).collect();
    let fresh = |base: String, taken: &mut std::collections::HashSet<String>| {
        let base = match OWN_METHODS.contains(&base.as_str()) {
            true => format!("{base}_operation"),
            false => base,
        };
        let chosen = first_free(&base, "_", |c| taken.contains(c));
        taken.insert(chosen.clone());
        (ident(&chosen), chosen)
    };
    // Names as written, not as identifiers (`move`, not `r#move`).
    let mut names = Vec::new();
    for plan in plans.iter_mut() {
        let (method, name) = fresh(field_name(&plan.name), &mut taken);
        plan.method = method;
        names.push(name);
    }
    for (plan, name) in plans.iter_mut().zip(names) {
        if plan.with_headers_method.is_some() {
            plan.with_headers_method = Some(fresh(format!("{name}_with_headers"), &mut taken).0);
        }
    }
}

/// A request is routed by its first body element, so of operations that share one only the
/// first is reachable through `dispatch`.
fn mark_hidden(plans: &mut [OperationPlan]) {
    for index in 1..plans.len() {
        let (earlier, rest) = plans.split_at_mut(index);
        let current = &mut rest[0];
        current.hidden_by = earlier
            .iter()
            .find(|op| op.hidden_by.is_none() && op.input_qname.local == current.input_qname.local)
            .map(|op| op.name.clone());
    }
}

/// The name the runtime writes a global element with: its local name in the service
/// namespace (the runtime adds `ns1:`), else with its own prefix.
pub(crate) fn wire_name(element: &QName, namespaces: &Namespaces) -> String {
    match element.namespace == namespaces.service() {
        true => element.local.clone(),
        false => namespaces.qualify(&element.namespace, &element.local),
    }
}

fn plan_operation(
    cx: &MessageContext<'_>,
    op: &Operation,
    marker: &str,
    signed_header: Option<&str>,
    markers: &[String],
) -> Result<(OperationPlan, Vec<StructPlan>), Error> {
    let wsdl = cx.wsdl;
    let names = &cx.analysis.names;
    let refuse =
        |what: String, location| Err(Error::unsupported(wsdl, format!("{what} in operation `{}`", op.name), location));
    let marker = format_ident!("{marker}");
    let doc = op.doc.clone();
    let input = plan_message(cx, op, &op.input, Direction::Input, &marker)?;
    let output = match &op.output {
        Some(output) => plan_message(cx, op, output, Direction::Output, &marker)?,
        None => one_way_output(),
    };
    let mut headers = Vec::new();
    let mut all_headers = Vec::new();
    for header in &op.input.headers {
        let PartContent::Element(element) = &header.content else {
            return refuse(format!("header part `{}` of type= (only element= parts)", header.part), header.location);
        };
        all_headers.push(element.clone());
        if Some(element.local.as_str()) == signed_header {
            continue;
        }
        // The body parameter is `params`; two header parts may share a name.
        let base = field_name(&header.part);
        let taken = |name: &str| name == "params" || headers.iter().any(|h: &HeaderParam| h.param == ident(name));
        let name = first_free(&base, "_", taken);
        headers.push(HeaderParam {
            param: ident(&name),
            ty: element_type(wsdl, names, op, element)?,
            element: wire_name(element, cx.namespaces),
        });
    }
    let faults = plan_faults(wsdl, names, op, &marker, markers);
    let response_headers: Vec<ResponseHeader> = op
        .output
        .iter()
        .flat_map(|output| &output.headers)
        .map(|h| match &h.content {
            PartContent::Element(element) => ResponseHeader {
                element: element.local.clone(),
                ty: fault_type(wsdl, names, op, element).map(|(_, ty)| ty),
            },
            PartContent::Type(_) => ResponseHeader { element: h.part.clone(), ty: None },
        })
        .collect();
    let with_headers_method =
        (!response_headers.is_empty()).then(|| ident(&format!("{}_with_headers", field_name(&op.name))));
    let structs: Vec<StructPlan> = [input.structure, output.structure].into_iter().flatten().collect();
    let (input_is_unit, input_parts, output_parts) = (input.is_unit, input.parts, output.parts);
    let MessagePlan { layout: input_layout, qname: input_qname, wire: input_wire, ty: input_type, .. } = input;
    let MessagePlan { layout: output_layout, qname: output_qname, wire: output_wire, ty: output_type, .. } = output;
    let plan = OperationPlan {
        name: op.name.clone(),
        doc,
        pages: None,
        method: ident(&field_name(&op.name)),
        marker,
        soap_action: op.soap_action.clone(),
        action: op.input.action.clone().filter(|action| *action != op.soap_action),
        input_wire,
        output_wire,
        input_type,
        output_type,
        input_layout,
        output_layout,
        input_is_unit,
        input_parts,
        output_parts,
        one_way: op.output.is_none(),
        rpc: op.style == mktows_wsdl::Style::Rpc,
        encoded: std::iter::once(&op.input).chain(&op.output).any(|m| m.body_use == Use::Encoded),
        signed_header: signed_header.filter(|s| all_headers.iter().any(|h| h.local == *s)).map(str::to_owned),
        input_qname,
        output_qname,
        headers,
        all_headers,
        response_headers,
        with_headers_method,
        hidden_by: None,
        faults,
    };
    Ok((plan, structs))
}

/// A one-way operation's output: nothing, read from nowhere.
fn one_way_output() -> MessagePlan {
    MessagePlan {
        layout: Layout::Parts,
        qname: QName::new("", ""),
        wire: String::new(),
        ty: BodyType { path: quote!(()), name: "()".into() },
        structure: None,
        is_unit: true,
        parts: Vec::new(),
    }
}

/// The enum of the operation's typed faults: one variant per `wsdl:fault` whose message
/// has one `element=` part of a type the generator writes; the others are named in its docs.
fn plan_faults(
    wsdl: &Wsdl,
    names: &TypeNames,
    op: &Operation,
    marker: &Ident,
    markers: &[String],
) -> Option<FaultsPlan> {
    let (mut variants, mut untyped) = (Vec::new(), Vec::new());
    for fault in &op.faults {
        let typed = match fault.parts.as_slice() {
            [part] => match &part.content {
                PartContent::Element(element) => fault_type(wsdl, names, op, element).ok_or("its type is left out"),
                PartContent::Type(_) => Err("its part is `type=`, not an element"),
            },
            _ => Err("its message does not have exactly one part"),
        };
        match typed {
            Ok((element, ty)) => variants.push(FaultVariant {
                ident: type_ident(&fault.name),
                fault_name: fault.name.clone(),
                element,
                ty,
            }),
            Err(why) => untyped.push(format!("`{}`: {why}", fault.name)),
        }
    }
    if variants.is_empty() {
        return None;
    }
    // The enum sits beside the operations' marker types, so it must not take one's name.
    let mut ident = format_ident!("{marker}Fault");
    while markers.contains(&ident.to_string()) {
        ident = format_ident!("{ident}s");
    }
    Some(FaultsPlan { ident, variants, untyped })
}

/// The Rust type of a fault's detail or a response header element, when its type was not
/// left out.
fn fault_type(wsdl: &Wsdl, names: &TypeNames, op: &Operation, element: &QName) -> Option<(String, BodyType)> {
    let global = wsdl.schema.element(element)?;
    if let TypeRef::Complex(name) = &global.type_ref {
        wsdl.schema.complex_type(name)?;
    }
    let ty = element_type(wsdl, names, op, element).ok()?;
    Some((element.local.clone(), ty))
}

/// The Rust type of a global element's value.
pub(crate) fn element_type(wsdl: &Wsdl, names: &TypeNames, op: &Operation, element: &QName) -> Result<BodyType, Error> {
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
