//! Every well-formed response example in ../shared/examples parses into its typed success
//! value with the right field values; the malformed ones fail with line:column.

mod common;

use common::decode;
use mktows::runtime::{DecodeErrorKind, ErrorKind};
use mktows::*;

fn attr<'a>(list: &'a Nillable<ArrayOfAttribute>, name: &str) -> Option<&'a str> {
    list.value()?.attribute.iter().find(|a| a.attr_name == name).map(|a| a.attr_value.as_str())
}

#[test]
fn sync_multiple_leads() {
    let result = decode::<operations::SyncMultipleLeads>("syncmultipleleads/response.xml").unwrap().result;
    let statuses = &result.sync_status_list.sync_status;
    assert_eq!(statuses.len(), 2);
    assert_eq!((statuses[0].lead_id, &statuses[0].status), (1_090_240, &LeadSyncStatus::Updated));
    assert_eq!((statuses[1].lead_id, &statuses[1].status), (1_090_239, &LeadSyncStatus::Updated));
    assert!(statuses[0].error.is_nil());
}

#[test]
fn sync_custom_objects() {
    let result = decode::<operations::SyncCustomObjects>("synccustomobjects/response.xml").unwrap().result;
    let [status] = result.sync_custom_obj_status_list.sync_custom_obj_status.as_slice() else { panic!() };
    assert_eq!(status.obj_type_name, "Roadshow");
    assert_eq!(status.status, SyncStatusEnum::Updated);
    assert_eq!(attr(&status.custom_obj_key_list, "MKTOID"), Some("1090177"));
    assert_eq!(attr(&status.custom_obj_key_list, "rid"), Some("rid1"));
    let keys = status.custom_obj_key_list.value().unwrap();
    assert!(keys.attribute[0].attr_type.is_nil());
    assert!(status.error.is_nil());
}

#[test]
fn sync_lead() {
    let result = decode::<operations::SyncLead>("synclead/response.xml").unwrap().result;
    assert_eq!(result.lead_id, 1_089_965);
    assert_eq!(result.sync_status.status, LeadSyncStatus::Updated);
    assert!(result.lead_record.is_nil());
}

#[test]
fn get_lead_with_comments_between_elements() {
    let result = decode::<operations::GetLead>("getlead/response.xml").unwrap().result;
    assert_eq!(result.count, 1);
    let lead = &result.lead_record_list.value().unwrap().lead_record[0];
    assert_eq!(lead.id, Nillable::Value(1_089_965));
    assert_eq!(lead.email.value().map(String::as_str), Some("rufus@marketo.com"));
    assert!(lead.foreign_sys_person_id.is_nil() && lead.foreign_sys_type.is_nil());
    assert_eq!(attr(&lead.lead_attribute_list, "InferredCompany"), Some("Time Warner Cable"));
    let score =
        lead.lead_attribute_list.value().unwrap().attribute.iter().find(|a| a.attr_name == "LeadScore").unwrap();
    assert_eq!((score.attr_type.value().map(String::as_str), score.attr_value.as_str()), (Some("integer"), "62"));
}

#[test]
fn get_multiple_leads() {
    let result = decode::<operations::GetMultipleLeads>("getmultipleleads/response.xml").unwrap().result;
    assert_eq!((result.return_count, result.remaining_count), (2, 0));
    assert_eq!(result.new_stream_position, "");
    let leads = &result.lead_record_list.value().unwrap().lead_record;
    assert_eq!(leads[1].email.value().map(String::as_str), Some("joe@marketo.com"));
    assert_eq!(attr(&leads[1].lead_attribute_list, "Date_of_purchase"), Some("2012-04-04"));
}

#[test]
fn get_lead_activity() {
    let list = decode::<operations::GetLeadActivity>("getleadactivity/response.xml").unwrap().lead_activity_list;
    assert_eq!((list.return_count, list.remaining_count), (10, 4));
    assert_eq!(list.new_start_position.offset.value().map(String::as_str), Some("ID:1024814"));
    assert_eq!(
        list.new_start_position.latest_created_at.value().map(DateTime::as_str),
        Some("2013-07-31T21:33:59-05:00")
    );
    assert!(list.new_start_position.oldest_created_at.is_nil());
    let records = &list.activity_record_list.value().unwrap().activity_record;
    assert_eq!(records.len(), 10);
    assert_eq!(records[0].id, 1_030_680);
    assert_eq!(records[0].activity_date_time.as_str(), "2013-07-09T16:44:28-05:00");
    assert_eq!(records[0].activity_type, "Visit Webpage");
    assert_eq!(attr(&records[0].activity_attributes, "Webpage URL"), Some("/ClickDemo.html"));
}

#[test]
fn get_custom_objects() {
    let result = decode::<operations::GetCustomObjects>("getcustomobjects/response.xml").unwrap().result;
    assert_eq!(result.obj_type_name, "Roadshow");
    assert_eq!((result.return_count, result.remaining_count), (6, 0));
    assert_eq!(result.new_stream_position, r#"{"ky":["1090177"],"os":6}"#);
    let objects = &result.custom_obj_list.value().unwrap().custom_obj;
    assert_eq!(objects.len(), 6);
    assert_eq!(attr(&objects[0].custom_obj_key_list, "rid"), Some("123456"));
    assert_eq!(attr(&objects[0].custom_obj_attribute_list, "city"), Some("city4"));
}

#[test]
fn delete_custom_objects() {
    let result = decode::<operations::DeleteCustomObjects>("deletecustomobjects/response.xml").unwrap().result;
    let status = &result.delete_custom_obj_status_list.sync_custom_obj_status[0];
    assert_eq!(status.status, SyncStatusEnum::Deleted);
    assert_eq!(attr(&status.custom_obj_key_list, "MKTOID"), Some("1090177"));
}

#[test]
fn get_import_to_list_status_with_comments() {
    let result = decode::<operations::GetImportToListStatus>("getimporttoliststatus/response.xml").unwrap().result;
    assert_eq!(result.status, ImportToListStatusEnum::Processing);
    assert_eq!(result.started_time.value().map(DateTime::as_str), Some("2013-08-05T17:58:10-05:00"));
    assert!(result.ended_time.is_nil() && result.estimated_time.is_nil());
    assert_eq!((result.estimated_rows.value(), result.rows_ignored.value()), (Some(&2), Some(&2)));
}

#[test]
fn import_to_list_with_comment() {
    let result = decode::<operations::ImportToList>("importtolist/response.xml").unwrap().result;
    assert_eq!(result.import_status, ImportToListStatusEnum::Processing);
}

#[test]
fn list_operation() {
    let result = decode::<operations::ListOperation>("listoperation/response.xml").unwrap().result;
    assert!(!result.success);
    let statuses = &result.status_list.value().unwrap().lead_status;
    assert_eq!(statuses[0].lead_key.key_type, LeadKeyRef::Idnum);
    assert_eq!((statuses[0].lead_key.key_value.as_str(), statuses[0].status), ("87710", false));
    assert_eq!((statuses[1].lead_key.key_value.as_str(), statuses[1].status), ("1089946", true));
}

#[test]
fn merge_leads() {
    let status = decode::<operations::MergeLeads>("mergeleads/response.xml").unwrap().result.merge_status;
    assert_eq!(status.winning_lead_id, Nillable::Value(2));
    assert_eq!(status.losing_lead_id_list.value().unwrap().integer_item, [15, 16]);
    assert_eq!(status.status, LeadMergeStatusEnum::Merged);
}

#[test]
fn campaigns() {
    let result = decode::<operations::GetCampaignsForSource>("getcampaignsforsource/response.xml").unwrap().result;
    assert_eq!(result.return_count, 13);
    let campaigns = &result.campaign_record_list.value().unwrap().campaign_record;
    assert_eq!(campaigns.len(), 13);
    assert_eq!(
        (campaigns[0].id, campaigns[0].name.as_str(), campaigns[0].description.as_str()),
        (3374, "ER Demo.Triggered Campaign", "")
    );
    assert!(decode::<operations::RequestCampaign>("requestcampaign/response.xml").unwrap().result.success);
    assert!(decode::<operations::ScheduleCampaign>("schedulecampaign/response.xml").unwrap().result.success);
}

#[test]
fn m_objects() {
    let deleted = decode::<operations::DeleteMObjects>("deletemobjects/response.xml").unwrap().result;
    let ids: Vec<_> = deleted.m_obj_status_list.m_obj_status.iter().map(|s| (s.id, s.status.clone())).collect();
    assert_eq!(ids, [(4, MObjStatusEnum::Deleted), (7, MObjStatusEnum::Deleted)]);
    let synced = decode::<operations::SyncMObjects>("syncmobjects/response.xml").unwrap().result;
    assert_eq!(
        (synced.m_obj_status_list.m_obj_status[0].id, &synced.m_obj_status_list.m_obj_status[0].status),
        (1970, &MObjStatusEnum::Updated)
    );
    let listed = decode::<operations::ListMObjects>("listmobjects/response.xml").unwrap().result;
    assert_eq!(listed.objects, ["ActivityRecord", "LeadRecord", "Opportunity", "OpportunityPersonRole"]);
    let described = decode::<operations::DescribeMObject>("describemobject/response.xml").unwrap().result.metadata;
    assert_eq!((described.name.as_str(), described.is_virtual), ("ActivityRecord", true));
    let fields = &described.field_list.field;
    assert_eq!(fields.len(), 11);
    assert_eq!((fields[0].name.as_str(), fields[0].size, fields[1].size), ("id", Some(10), None));
    assert_eq!(fields[0].display_name, None);
    assert_eq!(fields[0].updated_at.as_str(), "2010-01-01T00:00:00+00:00");
}

#[test]
fn get_m_objects_keeps_html_inside_a_string_value() {
    let result = decode::<operations::GetMObjects>("getmobjects/response.xml").unwrap().result;
    assert_eq!((result.return_count, result.has_more), (6, false));
    assert!(result.new_stream_position.starts_with("8UJZetaMb1V6"));
    let objects = &result.m_object_list.as_ref().unwrap().m_object;
    assert_eq!(objects.len(), 6);
    assert_eq!((objects[0].r#type.as_str(), objects[0].id), ("Program", Some(1001)));
    let html = objects
        .iter()
        .flat_map(|o| o.type_attrib_list.iter().flat_map(|l| &l.type_attrib))
        .flat_map(|t| t.attr_list.iter().flat_map(|l| &l.attrib))
        .find(|a| a.value.starts_with("<p>"))
        .expect("the HTML value");
    assert!(
        html.value.starts_with("<p><span>This email was sent by&amp;nbsp;</span><tt>campaign.Name</tt>"),
        "{}",
        html.value
    );
    assert!(html.value.ends_with("<span>Click this link: Yahoo.com</span></p>"), "{}", html.value);
}

#[test]
fn get_tags_without_an_envelope() {
    let tags = decode::<operations::GetTags>("gettags/response.xml").unwrap().result.tag_list.tag;
    assert_eq!(tags.len(), 25);
    assert_eq!(tags[0].r#type.as_deref(), Some("Regions"));
    assert_eq!(tags[0].values.as_ref().unwrap().string_item[..3], ["North", "South", "East"]);
}

#[test]
fn authentication_fault_is_a_typed_error_with_the_marketo_code() {
    let err =
        decode::<operations::GetLeadActivity>("authentication-signature/response-failure-invalid-credentials.xml")
            .unwrap_err();
    assert_eq!(err.operation(), "getLeadActivity");
    assert_eq!(err.marketo_code(), Some(MarketoCode::AuthenticationFailed));
    let fault = err.fault().unwrap();
    assert_eq!((fault.code.as_str(), fault.message.as_str()), ("SOAP-ENV:Client", "20014 - Authentication failed"));
    assert!(err.to_string().contains("20014"), "{err}");
}

fn decode_error(err: &mktows::Error) -> &mktows::runtime::DecodeError {
    match err.kind() {
        ErrorKind::Decode(e) => e,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn truncated_get_lead_activity_response_fails_at_its_end() {
    let err = decode::<operations::GetLeadActivity>("authentication-signature/response-success.xml").unwrap_err();
    let decode = decode_error(&err);
    assert!(matches!(decode.kind(), DecodeErrorKind::Malformed(_)), "{err}");
    // Line 52 is `</SOAP-ENV:Envelope` with its `>` missing.
    assert_eq!((decode.line(), decode.column()), (52, 1), "{err}");
    assert!(err.to_string().starts_with("getLeadActivity: unreadable response: 52:1: malformed XML"), "{err}");
}

#[test]
fn get_channels_response_cut_short_fails_with_a_position() {
    let err = decode::<operations::GetChannels>("getchannels/response.xml").unwrap_err();
    let decode = decode_error(&err);
    assert!(matches!(decode.kind(), DecodeErrorKind::UnexpectedEof | DecodeErrorKind::Malformed(_)), "{err}");
    assert_eq!(decode.line(), 310, "{err}");
}

#[test]
fn get_lead_changes_with_unescaped_markup_fails_at_the_bad_tag() {
    let err = decode::<operations::GetLeadChanges>("getleadchanges/response.xml").unwrap_err();
    let decode = decode_error(&err);
    assert!(matches!(decode.kind(), DecodeErrorKind::Malformed(_)), "{err}");
    assert_eq!(decode.line(), 84, "{err}");
    assert!(
        decode.path().ends_with(&["attribute".to_owned(), "attrValue".to_owned()]) || decode.path().is_empty(),
        "{err}"
    );
}

#[test]
fn a_response_for_another_operation_is_an_unexpected_element() {
    let err = decode::<operations::SyncLead>("syncmultipleleads/response.xml").unwrap_err();
    let decode = decode_error(&err);
    assert_eq!(
        decode.kind(),
        &DecodeErrorKind::UnexpectedElement {
            expected: "successSyncLead".into(),
            found: "successSyncMultipleLeads".into()
        }
    );
    assert_eq!((decode.line(), decode.column()), (4, 5));
}

/// The example as it is, after a UTF-8 byte order mark, and declaring `utf-8` in lower case.
fn with_byte_order_marks(path: &str) -> Vec<Vec<u8>> {
    let text = String::from_utf8(common::example(path)).unwrap();
    vec![format!("\u{FEFF}{text}").into_bytes(), text.replace("\"UTF-8\"", "\"utf-8\"").into_bytes()]
}

fn decode_bytes<Op: mktows::runtime::Operation>(body: Vec<u8>) -> Result<Op::Output, mktows::Error> {
    mktows::runtime::client::decode::<Op>(&mktows::runtime::transport::HttpResponse::new(200, body))
}

#[test]
fn a_byte_order_mark_shifts_no_value() {
    for body in with_byte_order_marks("synccustomobjects/response.xml") {
        let result = decode_bytes::<operations::SyncCustomObjects>(body).unwrap().result;
        let [status] = result.sync_custom_obj_status_list.sync_custom_obj_status.as_slice() else { panic!() };
        assert_eq!((status.obj_type_name.as_str(), &status.status), ("Roadshow", &SyncStatusEnum::Updated));
        assert_eq!(attr(&status.custom_obj_key_list, "rid"), Some("rid1"));
    }
    let fault = "authentication-signature/response-failure-invalid-credentials.xml";
    for body in with_byte_order_marks(fault) {
        let err = decode_bytes::<operations::GetLeadActivity>(body).unwrap_err();
        assert_eq!(err.marketo_code(), Some(MarketoCode::AuthenticationFailed), "{err}");
        assert_eq!(err.fault().unwrap().message, "20014 - Authentication failed");
    }
}
