//! The real input: Marketo's published mktows 2_2 WSDL from ../shared.

use mktows_wsdl::{
    Builtin, GroupKind, MaxOccurs, Operation, OperationMessage, Part, PartContent, Protocol, QName, Style, TypeRef,
    Use, Wsdl,
};

const TNS: &str = "http://www.marketo.com/mktows/";

fn mktows() -> Wsdl {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wsdl/mktows-2_2.wsdl");
    let text = std::fs::read_to_string(path).expect("../shared/wsdl/mktows-2_2.wsdl beside the project");
    mktows_wsdl::parse(&text, "mktows-2_2.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn q(local: &str) -> QName {
    QName::new(TNS, local)
}

fn operations(wsdl: &Wsdl) -> &[Operation] {
    &wsdl.default_binding(&Protocol::Soap11).expect("a SOAP 1.1 binding").binding.operations
}

/// The element of the single `element=` part in the body of `message`.
fn body_element(message: &OperationMessage) -> &QName {
    match message.body.as_slice() {
        [Part { content: PartContent::Element(element), .. }] => element,
        other => panic!("not one element part: {other:?}"),
    }
}

fn header_elements(message: &OperationMessage) -> Vec<&str> {
    message
        .headers
        .iter()
        .map(|h| match &h.content {
            PartContent::Element(element) if element.namespace == TNS => element.local.as_str(),
            other => panic!("header {}: {other:?}", h.part),
        })
        .collect()
}

#[test]
fn has_all_23_operations_with_actions_and_elements() {
    let wsdl = mktows();
    assert_eq!(wsdl.target_namespace, TNS);
    assert_eq!(operations(&wsdl).len(), 23);
    let sync = operations(&wsdl).iter().find(|o| o.name == "syncMultipleLeads").unwrap();
    assert_eq!(sync.soap_action, "http://www.marketo.com/mktows/syncMultipleLeads");
    assert_eq!(body_element(&sync.input), &q("paramsSyncMultipleLeads"));
    assert_eq!(body_element(sync.output.as_ref().unwrap()), &q("successSyncMultipleLeads"));
    assert_eq!(sync.doc.as_deref(), Some("Create or update one or more leads."));
    assert_eq!(header_elements(&sync.input), ["AuthenticationHeader"]);
    let sync_lead = operations(&wsdl).iter().find(|o| o.name == "syncLead").unwrap();
    assert_eq!(header_elements(&sync_lead.input), ["AuthenticationHeader", "MktowsContextHeader"]);
    assert!(operations(&wsdl).iter().any(|o| o.name == "syncCustomObjects"));
    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    let port = choice.port.expect("the binding's port");
    assert_eq!(port.address.as_deref(), Some("https://na-aba.marketo.com/soap/mktows/2_2"));
    assert_eq!(choice.service.map(|s| s.name.as_str()), Some("MktMktowsApiService"));
}

#[test]
fn one_soap11_document_literal_binding_with_element_bodies_in_the_target_namespace() {
    let wsdl = mktows();
    let [binding] = wsdl.bindings.as_slice() else { panic!("{} bindings", wsdl.bindings.len()) };
    assert_eq!(
        (&binding.name, &binding.protocol, binding.style),
        (&q("MktowsApiSoapBinding"), &Protocol::Soap11, Style::Document)
    );
    assert_eq!(binding.port_type, q("MktowsPort"));
    assert_eq!(binding.operations.len(), 23);
    for op in &binding.operations {
        let output = op.output.as_ref().unwrap_or_else(|| panic!("{} is one-way", op.name));
        for message in [&op.input, output] {
            assert_eq!(body_element(message).namespace, TNS, "{}", op.name);
            assert!(wsdl.schema.element(body_element(message)).is_some(), "{}", op.name);
            assert_eq!((message.body_use, message.namespace.as_deref()), (Use::Literal, None), "{}", op.name);
        }
        assert_eq!(op.style, Style::Document, "{}", op.name);
        assert!(op.faults.is_empty(), "{}", op.name);
        assert!(op.soap_action.starts_with(TNS), "{}", op.name);
    }
    let [service] = wsdl.services.as_slice() else { panic!("{:?}", wsdl.services) };
    let [port] = service.ports.as_slice() else { panic!("{:?}", service.ports) };
    assert_eq!((port.name.as_str(), &port.binding), ("MktowsApiSoapPort", &binding.name));
    // One schema, in the target namespace, with unqualified local elements.
    let [schema] = wsdl.schema.schemas.as_slice() else { panic!("{:?}", wsdl.schema.schemas) };
    assert_eq!((schema.target_namespace.as_str(), schema.elements_qualified), (TNS, false));
}

#[test]
fn lead_record_fields_match_the_schema() {
    let wsdl = mktows();
    let lead = wsdl.schema.complex_type(&q("LeadRecord")).unwrap();
    let particle = lead.particle.as_ref().expect("a particle");
    assert_eq!(particle.kind, GroupKind::Sequence);
    assert!(particle.occurs_once() && lead.is_plain_sequence());
    let fields = lead.fields();
    let names: Vec<_> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Id", "Email", "ForeignSysPersonId", "ForeignSysType", "leadAttributeList"]);
    assert!(fields.iter().all(|f| f.min_occurs == 0 && f.nillable && f.namespace.is_none() && f.reference.is_none()));
    assert_eq!(fields[0].type_ref, TypeRef::Builtin(Builtin::Int));
    assert_eq!(fields[3].type_ref, TypeRef::Simple(q("ForeignSysType")));
    assert_eq!(fields[3].doc.as_deref(), Some("ForeignSysType must be specified when ForeignSysPersonId is present"));
    let list = wsdl.schema.complex_type(&q("ArrayOfLeadRecord")).unwrap();
    assert_eq!(list.fields()[0].max_occurs, MaxOccurs::Unbounded);
    assert_eq!(list.fields()[0].type_ref, TypeRef::Complex(q("LeadRecord")));
}

#[test]
fn lead_selector_is_abstract_with_three_extensions() {
    let wsdl = mktows();
    assert!(wsdl.schema.complex_type(&q("LeadSelector")).unwrap().is_abstract);
    let derived: Vec<_> = wsdl.schema.derived_types(&q("LeadSelector")).iter().map(|t| t.name.local.as_str()).collect();
    assert_eq!(derived, ["LastUpdateAtSelector", "StaticListSelector", "LeadKeySelector"]);
}

#[test]
fn enumerations_and_comments_become_documentation() {
    let wsdl = mktows();
    let status = wsdl.schema.simple_type(&q("MObjStatusEnum")).unwrap();
    let values: Vec<_> = status.enumeration.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["CREATED", "UPDATED", "DELETED", "FAILED", "UNCHANGED", "SKIPPED"]);
    // The section banner before the first enumeration is not documentation.
    assert_eq!(wsdl.schema.simple_type(&q("LeadKeyRef")).unwrap().doc, None);
    let auth = wsdl.schema.complex_type(&q("AuthenticationHeaderInfo")).unwrap();
    assert!(auth
        .doc
        .as_deref()
        .unwrap()
        .starts_with("The Authentication Header is a SOAP header used in all API calls."));
    let criteria = wsdl.schema.complex_type(&q("MObjCriteria")).unwrap();
    assert!(criteria.doc.as_deref().unwrap().contains("For Program, following attrNames are allowed:"));
}
