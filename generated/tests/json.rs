//! The `serde` feature: JSON field names are the XML element names, a repeated element is
//! an array, nil is null, and an absent element is left out.

mod common;

use mktows::*;
use serde_json::json;

#[test]
fn the_issue_example_is_a_valid_sync_multiple_leads_input() {
    let params: ParamsSyncMultipleLeads =
        serde_json::from_str(r#"{"leadRecordList":{"leadRecord":[{"Email":"a@b.c"}]},"dedupEnabled":true}"#).unwrap();
    assert_eq!(params.lead_record_list.lead_record[0].email, Nillable::Value("a@b.c".into()));
    assert!(params.lead_record_list.lead_record[0].id.is_absent());
    assert_eq!(params.dedup_enabled, Nillable::Value(true));
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({"leadRecordList":{"leadRecord":[{"Email":"a@b.c"}]},"dedupEnabled":true})
    );
}

#[test]
fn a_decoded_response_becomes_json_with_nulls_for_nil() {
    let success = common::decode::<operations::SyncMultipleLeads>("syncmultipleleads/response.xml").unwrap();
    let value = serde_json::to_value(&success).unwrap();
    assert_eq!(
        value,
        json!({"result":{"syncStatusList":{"syncStatus":[
            {"leadId":1090240,"status":"UPDATED","error":null},
            {"leadId":1090239,"status":"UPDATED","error":null}
        ]}}})
    );
    let back: SuccessSyncMultipleLeads = serde_json::from_value(value).unwrap();
    assert_eq!(back, success);
}

#[test]
fn selectors_carry_their_xsi_type_and_enums_keep_unknown_values() {
    let params: ParamsGetMultipleLeads = serde_json::from_value(json!({
        "leadSelector": {"xsi:type": "LeadKeySelector", "keyType": "EMAIL", "keyValues": {"stringItem": ["joe@marketo.com"]}},
        "batchSize": 100
    }))
    .unwrap();
    let Some(LeadSelector::LeadKeySelector(selector)) = &params.lead_selector else { panic!("{params:?}") };
    assert_eq!(selector.key_type, LeadKeyRef::Email);
    let status: SyncStatusEnum = serde_json::from_value(json!("UNCHANGED")).unwrap();
    assert_eq!(status, SyncStatusEnum::Unknown("UNCHANGED".into()));
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("UNCHANGED"));
}

#[test]
fn every_operation_can_be_visited_by_name() {
    struct Elements;
    impl operations::OperationVisitor for Elements {
        type Output = (&'static str, &'static str);
        fn visit<Op: runtime::Operation>(self) -> Self::Output {
            (Op::INPUT_ELEMENT, Op::OUTPUT_ELEMENT)
        }
    }
    for info in operations::ALL {
        assert_eq!(operations::visit(info.name, Elements), Some((info.input_element, info.output_element)));
    }
    assert_eq!(operations::visit("noSuchOperation", Elements), None);
}
