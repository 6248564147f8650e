//! The Marketo layer of the generated `mktows` crate: the generic generator, told which
//! header Marketo signs, which credentials type signs it, and what to re-export. A WSDL
//! generated without these options has no Marketo in it.

use mktows_codegen::{Options, Pagination, Signing};

pub fn options() -> Options {
    Options {
        regenerate_hint: "run `cargo xtask regenerate`".to_owned(),
        signing: Some(Signing {
            header_element: "AuthenticationHeader".to_owned(),
            credentials_type: "mktows_marketo::Credentials".to_owned(),
        }),
        reexports: vec![
            "mktows_marketo as marketo".to_owned(),
            "mktows_marketo::{Credentials, MarketoCode, MarketoError, Timestamp}".to_owned(),
        ],
        endpoint_doc: Some(
            "Marketo accounts each have their own endpoint, shown in the admin console; pass that to [`Client::new`]."
                .to_owned(),
        ),
        operation_docs: OPERATION_DOCS.iter().map(|(name, doc)| ((*name).to_owned(), (*doc).to_owned())).collect(),
        pagination: PAGINATION
            .iter()
            .map(|(operation, request, response, more, items)| Pagination {
                operation: (*operation).to_owned(),
                request_position: (*request).to_owned(),
                response_position: (*response).to_owned(),
                more: (*more).to_owned(),
                items: Some((*items).to_owned()),
            })
            .collect(),
        crate_name: Some("mktows".to_owned()),
        crate_example: Some(CRATE_EXAMPLE.to_owned()),
        ..Options::default()
    }
}

/// The crate docs' example: a batch sync, and Marketo's errors told apart.
const CRATE_EXAMPLE: &str = r#"# async fn example() -> Result<(), Box<dyn std::error::Error>> {
use mktows::{ArrayOfAttribute, Attribute, Client, Credentials, LeadRecord, MarketoCode, MarketoError, ParamsSyncMultipleLeads};

let client = Client::new(
    "https://123-ABC-456.mktoapi.com/soap/mktows/2_2",
    Credentials::new("bigcorp1_461839624B16E06BA2D663", "your secret key"),
)?;
let company = Attribute { attr_name: "Company".into(), attr_value: "Analytical".into(), ..Default::default() };
let lead = LeadRecord {
    email: "ada@example.com".into(),
    lead_attribute_list: ArrayOfAttribute::from([company]).into(),
    ..Default::default()
};
let params = ParamsSyncMultipleLeads { lead_record_list: vec![lead].into(), dedup_enabled: true.into() };
match client.sync_multiple_leads(&params).await {
    Ok(success) => {
        for status in &success.result.sync_status_list {
            println!("lead {}: {}", status.lead_id, status.status);
        }
    }
    Err(e) => match e.marketo_code() {
        Some(MarketoCode::RateLimitExceeded) => eprintln!("rate limited, try again in 20 s: {e}"),
        Some(code) => eprintln!("Marketo refused the call ({}): {e}", code.code()),
        None if e.may_have_been_processed() => eprintln!("outcome unknown, check before resending: {e}"),
        None => eprintln!("not sent: {e}"),
    },
}
# Ok(())
# }"#;

/// The operations that page with a stream position (see ../shared/marketo-soap-docs/
/// stream-position.md): the request's position field, the response's next position, and
/// what says more follow, and the list of a page's items.
const PAGINATION: &[(&str, &str, &str, &str, &str)] = &[
    (
        "getMultipleLeads",
        "stream_position",
        "result.new_stream_position",
        "result.remaining_count",
        "result.lead_record_list",
    ),
    (
        "getLeadChanges",
        "start_position",
        "result.new_start_position",
        "result.remaining_count",
        "result.lead_change_record_list",
    ),
    (
        "getLeadActivity",
        "start_position",
        "lead_activity_list.new_start_position",
        "lead_activity_list.remaining_count",
        "lead_activity_list.activity_record_list",
    ),
    (
        "getCustomObjects",
        "stream_position",
        "result.new_stream_position",
        "result.remaining_count",
        "result.custom_obj_list",
    ),
    ("getMObjects", "stream_position", "result.new_stream_position", "result.has_more", "result.m_object_list"),
];

/// What each operation does, from Marketo's reference pages (../shared/marketo-soap-docs):
/// the WSDL's own descriptions are copied and pasted in places (`listMObjects`: "Send a
/// Marketo email.", `getChannels`: "Get Tags").
const OPERATION_DOCS: &[(&str, &str)] = &[
    ("deleteMObjects", "Deletes MObjects (opportunities and their person roles) by id, with an outcome for each: DELETED, UNCHANGED or FAILED."),
    ("describeMObject", "The fields of one MObject type (standard or virtual), with their attributes: schema discovery, after `listMObjects`."),
    ("getMObjects", "MObjects matching an id, external id or field criteria, a page at a time (`streamPosition`)."),
    ("syncMObjects", "Creates or updates up to 100 MObjects (INSERT, UPDATE or UPSERT), with each one's status and Marketo id."),
    ("getCampaignsForSource", "The Smart Campaigns `requestCampaign` can run: those with a \"Campaign is Requested\" trigger whose source includes Web Service API."),
    ("getImportToListStatus", "The status of an `importToList` call. Poll it at most once a minute."),
    ("getLead", "One lead, by a lead key (id, email, cookie, SFDC or foreign system id), with its attributes; several when the key matches several."),
    ("getLeadActivity", "The activity history of one lead, filtered by activity type, a page at a time (`streamPosition`)."),
    ("getLeadChanges", "New leads, field changes and other activities across all leads since a time, a page at a time (`streamPosition`): `getLeadActivity` for many leads at once."),
    ("getMultipleLeads", "Leads chosen by last update time, static list or lead keys, a page at a time (`streamPosition`)."),
    ("importToList", "Imports a CSV of leads into an existing static list, as the Marketo UI's list import does (the header row names fields by display name)."),
    ("listMObjects", "The names of the MObject types, the input `describeMObject` takes. It has no parameters."),
    ("listOperation", "Adds leads to a static list, removes them from it, or asks whether they are members: up to 1,000 leads per call."),
    ("requestCampaign", "Runs existing leads through a Smart Campaign that has a \"Campaign is Requested\" trigger with the Web Service API source."),
    ("scheduleCampaign", "Schedules a batch Smart Campaign to run now or later, optionally with My Tokens that override the program's for that run."),
    ("syncLead", "Creates or updates one lead, found by its key; returns its id and whether it was created or updated."),
    ("syncMultipleLeads", "Creates or updates up to 300 leads in one call, with a status for each, in order."),
    ("syncCustomObjects", "Inserts, updates or upserts up to 100 custom object records, with a status for each."),
    ("deleteCustomObjects", "Deletes custom object records by their key fields."),
    ("getCustomObjects", "Custom object records matching key fields, a page at a time (`streamPosition`)."),
    ("mergeLeads", "Merges losing leads into a winning one, given their keys; returns the ids and the status."),
    ("getChannels", "The program channels and the progression statuses of each."),
    ("getTags", "The tag types that are not channels, and the values each allows."),
];
