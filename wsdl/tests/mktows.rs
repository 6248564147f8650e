//! The real input: Marketo's published mktows 2_2 WSDL from ../shared.

use mktows_wsdl::{Builtin, MaxOccurs, TypeRef};

fn mktows() -> mktows_wsdl::Wsdl {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wsdl/mktows-2_2.wsdl");
    let text = std::fs::read_to_string(path).expect("../shared/wsdl/mktows-2_2.wsdl beside the project");
    mktows_wsdl::parse(&text, "mktows-2_2.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn has_all_23_operations_with_actions_and_elements() {
    let wsdl = mktows();
    assert_eq!(wsdl.target_namespace, "http://www.marketo.com/mktows/");
    assert_eq!(wsdl.operations.len(), 23);
    let sync = wsdl.operations.iter().find(|o| o.name == "syncMultipleLeads").unwrap();
    assert_eq!(sync.soap_action, "http://www.marketo.com/mktows/syncMultipleLeads");
    assert_eq!(sync.input_element, "paramsSyncMultipleLeads");
    assert_eq!(sync.output_element, "successSyncMultipleLeads");
    assert_eq!(sync.doc.as_deref(), Some("Create or update one or more leads."));
    let headers: Vec<_> = sync.input_headers.iter().map(|h| h.element.as_str()).collect();
    assert_eq!(headers, ["AuthenticationHeader"]);
    let sync_lead = wsdl.operations.iter().find(|o| o.name == "syncLead").unwrap();
    let headers: Vec<_> = sync_lead.input_headers.iter().map(|h| h.element.as_str()).collect();
    assert_eq!(headers, ["AuthenticationHeader", "MktowsContextHeader"]);
    assert!(wsdl.operations.iter().any(|o| o.name == "syncCustomObjects"));
    let service = wsdl.service.unwrap();
    assert_eq!(service.address.as_deref(), Some("https://na-aba.marketo.com/soap/mktows/2_2"));
}

#[test]
fn lead_record_fields_match_the_schema() {
    let wsdl = mktows();
    let lead = wsdl.schema.complex_type("LeadRecord").unwrap();
    let names: Vec<_> = lead.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Id", "Email", "ForeignSysPersonId", "ForeignSysType", "leadAttributeList"]);
    assert!(lead.fields.iter().all(|f| f.min_occurs == 0 && f.nillable));
    assert_eq!(lead.fields[0].type_ref, TypeRef::Builtin(Builtin::Int));
    assert_eq!(lead.fields[3].type_ref, TypeRef::Simple("ForeignSysType".into()));
    assert_eq!(
        lead.fields[3].doc.as_deref(),
        Some("ForeignSysType must be specified when ForeignSysPersonId is present")
    );
    let list = wsdl.schema.complex_type("ArrayOfLeadRecord").unwrap();
    assert_eq!(list.fields[0].max_occurs, MaxOccurs::Unbounded);
}

#[test]
fn lead_selector_is_abstract_with_three_extensions() {
    let wsdl = mktows();
    assert!(wsdl.schema.complex_type("LeadSelector").unwrap().is_abstract);
    let derived: Vec<_> = wsdl.schema.derived_types("LeadSelector").iter().map(|t| t.name.as_str()).collect();
    assert_eq!(derived, ["LastUpdateAtSelector", "StaticListSelector", "LeadKeySelector"]);
}

#[test]
fn enumerations_and_comments_become_documentation() {
    let wsdl = mktows();
    let status = wsdl.schema.simple_type("MObjStatusEnum").unwrap();
    let values: Vec<_> = status.enumeration.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["CREATED", "UPDATED", "DELETED", "FAILED", "UNCHANGED", "SKIPPED"]);
    // The section banner before the first enumeration is not documentation.
    assert_eq!(wsdl.schema.simple_type("LeadKeyRef").unwrap().doc, None);
    let auth = wsdl.schema.complex_type("AuthenticationHeaderInfo").unwrap();
    assert!(auth
        .doc
        .as_deref()
        .unwrap()
        .starts_with("The Authentication Header is a SOAP header used in all API calls."));
    let criteria = wsdl.schema.complex_type("MObjCriteria").unwrap();
    assert!(criteria.doc.as_deref().unwrap().contains("For Program, following attrNames are allowed:"));
}
