//! The most common hand-rolled alternative to generated code: serde structs mirroring the
//! envelope, written and read by quick-xml's serde support. The same bytes as the typed
//! path (the same leads, the same 300-status response), so the figures compare.

use serde::{Deserialize, Serialize};

use mktows::ParamsSyncMultipleLeads;

#[derive(Serialize)]
#[serde(rename = "SOAP-ENV:Envelope")]
pub struct Envelope<'a> {
    #[serde(rename = "@xmlns:SOAP-ENV")]
    soap_namespace: &'a str,
    #[serde(rename = "@xmlns:ns1")]
    service_namespace: &'a str,
    #[serde(rename = "SOAP-ENV:Header")]
    header: Header<'a>,
    #[serde(rename = "SOAP-ENV:Body")]
    body: Body<'a>,
}

#[derive(Serialize)]
struct Header<'a> {
    #[serde(rename = "ns1:AuthenticationHeader")]
    authentication: Authentication<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Authentication<'a> {
    mktows_user_id: &'a str,
    request_signature: &'a str,
    request_timestamp: &'a str,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "ns1:paramsSyncMultipleLeads")]
    params: Params<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Params<'a> {
    lead_record_list: LeadRecordList<'a>,
    dedup_enabled: bool,
}

#[derive(Serialize)]
struct LeadRecordList<'a> {
    #[serde(rename = "leadRecord")]
    leads: Vec<Lead<'a>>,
}

#[derive(Serialize)]
struct Lead<'a> {
    #[serde(rename = "Email")]
    email: &'a str,
    #[serde(rename = "leadAttributeList")]
    attributes: AttributeList<'a>,
}

#[derive(Serialize)]
struct AttributeList<'a> {
    attribute: Vec<Attribute<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Attribute<'a> {
    attr_name: &'a str,
    attr_value: &'a str,
}

/// The serde mirror of `params`, built once (a user of serde keeps their values in it).
pub fn envelope(params: &ParamsSyncMultipleLeads) -> Envelope<'_> {
    let leads = params
        .lead_record_list
        .lead_record
        .iter()
        .map(|lead| Lead {
            email: lead.email.value().map_or("", String::as_str),
            attributes: AttributeList {
                attribute: lead
                    .lead_attribute_list
                    .value()
                    .map(|list| {
                        list.attribute
                            .iter()
                            .map(|a| Attribute { attr_name: &a.attr_name, attr_value: &a.attr_value })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        })
        .collect();
    Envelope {
        soap_namespace: "http://schemas.xmlsoap.org/soap/envelope/",
        service_namespace: "http://www.marketo.com/mktows/",
        header: Header {
            authentication: Authentication {
                mktows_user_id: "bench_user",
                request_signature: "b5e21953ae9f1b263e644da5eccce9ff33802513",
                request_timestamp: "2013-08-01T18:22:30-07:00",
            },
        },
        body: Body { params: Params { lead_record_list: LeadRecordList { leads }, dedup_enabled: true } },
    }
}

pub fn write(envelope: &Envelope<'_>) -> String {
    quick_xml::se::to_string(envelope).expect("the envelope serializes")
}

#[derive(Deserialize)]
pub struct ResponseEnvelope {
    #[serde(rename = "Body")]
    body: ResponseBody,
}

#[derive(Deserialize)]
struct ResponseBody {
    #[serde(rename = "successSyncMultipleLeads")]
    success: Success,
}

#[derive(Deserialize)]
struct Success {
    result: SyncResult,
}

#[derive(Deserialize)]
struct SyncResult {
    #[serde(rename = "syncStatusList")]
    list: StatusList,
}

#[derive(Deserialize)]
struct StatusList {
    #[serde(rename = "syncStatus")]
    statuses: Vec<Status>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub lead_id: i32,
    pub status: String,
    pub error: Option<String>,
}

pub fn read(body: &[u8]) -> Vec<Status> {
    let text = std::str::from_utf8(body).expect("UTF-8");
    let envelope: ResponseEnvelope = quick_xml::de::from_str(text).expect("the response deserializes");
    envelope.body.success.result.list.statuses
}
