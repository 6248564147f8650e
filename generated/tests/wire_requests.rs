//! The requests the client writes are equivalent to Marketo's own examples: same elements,
//! order, namespaces, attributes and text (prefixes and indentation may differ).

mod common;

use common::{canonical, canonical_without, example, SECRET_KEY, USER_ID};
use mktows::runtime::xml::{FromXml, XmlReader};
use mktows::runtime::{soap, Operation};
use mktows::*;

fn client() -> Client {
    Client::new("http://127.0.0.1:9/soap/mktows/2_2", Credentials::new(USER_ID, SECRET_KEY)).unwrap()
}

fn attribute(name: &str, value: &str) -> Attribute {
    Attribute { attr_name: name.into(), attr_type: Nillable::Absent, attr_value: value.into() }
}

/// The header Marketo's seed account signs at `timestamp`.
fn signed_at(timestamp: &str) -> marketo::SignedHeader {
    Credentials::new(USER_ID, SECRET_KEY).sign(&Timestamp::from_w3c(timestamp).unwrap())
}

fn encode<Op: Operation>(params: &Op::Input, timestamp: &str) -> Vec<u8> {
    client().soap().encode_with::<Op>(params, &[], Some(&signed_at(timestamp)))
}

#[test]
fn sync_multiple_leads_request_matches_the_example() {
    let lead = |n: u32| LeadRecord {
        email: format!("em{n}@etestd.marketo.net").into(),
        lead_attribute_list: ArrayOfAttribute {
            attribute: vec![attribute("Company", &format!("Marketo{n}")), attribute("Phone", &format!("650-555-{n}"))],
        }
        .into(),
        ..Default::default()
    };
    let params = ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord { lead_record: vec![lead(1000), lead(1001)] },
        dedup_enabled: Nillable::Value(true),
    };
    let ours = encode::<operations::SyncMultipleLeads>(&params, "2013-08-01T18:22:30-07:00");
    assert_eq!(canonical(&ours), canonical(&example("syncmultipleleads/request.xml")));
    // Including the signature, which is the seed's test vector.
    assert!(String::from_utf8(ours)
        .unwrap()
        .contains("<requestSignature>b5e21953ae9f1b263e644da5eccce9ff33802513</requestSignature>"));
}

/// The signer is a layer of the client: `encode`, which runs the layers as `call` does,
/// writes the seed's signature when the credentials sign at the seed's time, and the same
/// bytes as the envelope written with that header given by hand.
#[test]
fn the_seed_signature_comes_through_the_signing_layer() {
    let timestamp = "2013-08-01T18:22:30-07:00";
    let signer = Credentials::new(USER_ID, SECRET_KEY).at(Timestamp::from_w3c(timestamp).unwrap());
    let soap = runtime::SoapClient::new(NAMESPACE, "http://127.0.0.1:9/soap/mktows/2_2", &ClientConfig::default())
        .unwrap()
        .with_signer(signer);
    let client = Client::from_soap(soap);
    let params = ParamsSyncMultipleLeads {
        lead_record_list: vec![LeadRecord { email: "em1000@etestd.marketo.net".into(), ..Default::default() }].into(),
        dedup_enabled: true.into(),
    };
    let layered = client.soap().try_encode::<operations::SyncMultipleLeads>(&params, &[]).unwrap();
    let text = String::from_utf8(layered.clone()).unwrap();
    assert!(text.contains("<requestSignature>b5e21953ae9f1b263e644da5eccce9ff33802513</requestSignature>"), "{text}");
    assert_eq!(layered, encode::<operations::SyncMultipleLeads>(&params, timestamp));
    // Every call signs anew: the default credentials sign now, not at the seed's time.
    let now = String::from_utf8(self::client().soap().encode::<operations::SyncMultipleLeads>(&params, &[])).unwrap();
    assert!(now.contains("<requestSignature>") && !now.contains("b5e21953ae9f1b263e644da5eccce9ff33802513"));
}

#[test]
fn sync_custom_objects_request_matches_the_example() {
    let params = ParamsSyncCustomObjects {
        obj_type_name: "RoadShow".into(),
        custom_obj_list: ArrayOfCustomObj {
            custom_obj: vec![CustomObj {
                custom_obj_key_list: ArrayOfAttribute {
                    attribute: vec![attribute("MKTOID", "1090177"), attribute("rid", "rid1")],
                }
                .into(),
                custom_obj_attribute_list: ArrayOfAttribute {
                    attribute: vec![
                        attribute("city", "SanMateo"),
                        attribute("zip", "94404"),
                        attribute("state", "California"),
                    ],
                }
                .into(),
            }],
        },
        operation: Nillable::Value(SyncOperationEnum::Upsert),
    };
    let ours = encode::<operations::SyncCustomObjects>(&params, "2013-08-20T10:26:07-07:00");
    assert_eq!(canonical(&ours), canonical(&example("synccustomobjects/request.xml")));
    assert!(String::from_utf8(ours).unwrap().contains("ca67d597ced5bfce7f638e96204d6e1f38d3ffe7"));
}

#[test]
fn get_multiple_leads_writes_the_selector_with_xsi_type() {
    let params = ParamsGetMultipleLeads {
        lead_selector: Some(
            LeadKeySelector {
                key_type: LeadKeyRef::Email,
                key_values: ArrayOfString {
                    string_item: vec!["formtest1@marketo.com".into(), "joe@marketo.com".into()],
                },
            }
            .into(),
        ),
        batch_size: Nillable::Value(100),
        ..Default::default()
    };
    let ours = encode::<operations::GetMultipleLeads>(&params, "2013-08-02T15:47:06-07:00");
    assert_eq!(canonical(&ours), canonical(&example("getmultipleleads/request.xml")));
}

/// Reads the body of a request example into its params type (as a server would) and writes
/// it back: every request example survives, less the elements of newer API versions that
/// 2_2 does not define.
#[test]
fn every_request_example_reads_and_writes_back() {
    macro_rules! round_trip {
        ($op:ty, $dir:literal, $newer:expr) => {{
            let original = example(concat!($dir, "/request.xml"));
            let params = read_body::<<$op as Operation>::Input>(&original, <$op>::INPUT_ELEMENT);
            let header = auth_header(&original);
            let account = Credentials::new(header.0.as_str(), "any secret");
            let signed = account.sign(&Timestamp::from_w3c(header.2.as_str()).unwrap());
            let ours = client().soap().encode_with::<$op>(&params, &[], Some(&signed));
            let newer: &[&str] = $newer;
            // The example's own signature was made with its account's secret, not ours.
            let skip: Vec<&str> = newer.iter().copied().chain(["requestSignature"]).collect();
            assert_eq!(canonical_without(&ours, &skip), canonical_without(&original, &skip), "{}", $dir);
        }};
    }
    round_trip!(operations::DeleteCustomObjects, "deletecustomobjects", &[]);
    round_trip!(operations::DeleteMObjects, "deletemobjects", &[]);
    round_trip!(operations::DescribeMObject, "describemobject", &[]);
    round_trip!(operations::GetCampaignsForSource, "getcampaignsforsource", &[]);
    round_trip!(operations::GetChannels, "getchannels", &[]);
    round_trip!(operations::GetCustomObjects, "getcustomobjects", &[]);
    round_trip!(operations::GetImportToListStatus, "getimporttoliststatus", &[]);
    round_trip!(operations::GetLead, "getlead", &[]);
    round_trip!(operations::GetLeadActivity, "getleadactivity", &[]);
    round_trip!(operations::GetLeadChanges, "getleadchanges", &["activityNameFilter"]);
    round_trip!(operations::GetMObjects, "getmobjects", &[]);
    round_trip!(operations::GetMultipleLeads, "getmultipleleads", &[]);
    round_trip!(operations::GetTags, "gettags", &[]);
    round_trip!(operations::ImportToList, "importtolist", &[]);
    round_trip!(operations::ListMObjects, "listmobjects", &[]);
    round_trip!(operations::ListOperation, "listoperation", &[]);
    round_trip!(operations::MergeLeads, "mergeleads", &[]);
    round_trip!(operations::RequestCampaign, "requestcampaign", &[]);
    round_trip!(operations::ScheduleCampaign, "schedulecampaign", &["cloneToProgramName"]);
    round_trip!(operations::SyncCustomObjects, "synccustomobjects", &[]);
    round_trip!(operations::SyncLead, "synclead", &[]);
    round_trip!(operations::SyncMObjects, "syncmobjects", &[]);
    round_trip!(operations::SyncMultipleLeads, "syncmultipleleads", &[]);
}

/// The body element of a request envelope, read with the generated `FromXml`.
fn read_body<T: FromXml>(xml: &[u8], element: &str) -> T {
    let mut r = XmlReader::new(xml);
    let envelope = r.root().unwrap();
    while let Some(part) = r.next_child(&envelope).unwrap() {
        if part.local_name() != b"Body" {
            r.skip(&part).unwrap();
            continue;
        }
        let body = r.next_child(&part).unwrap().unwrap();
        assert_eq!(body.name(), element);
        return r.read(&body).unwrap_or_else(|e| panic!("{element}: {e}"));
    }
    panic!("no Body");
}

/// `(user id, signature, timestamp)` of a request example.
fn auth_header(xml: &[u8]) -> (String, String, String) {
    let doc = roxmltree::Document::parse(std::str::from_utf8(xml).unwrap()).unwrap();
    let text = |name: &str| {
        doc.descendants().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).unwrap_or_default().to_owned()
    };
    (text("mktowsUserId"), text("requestSignature"), text("requestTimestamp"))
}

#[test]
fn sync_lead_sends_the_context_header_when_given() {
    let params = ParamsSyncLead {
        lead_record: LeadRecord { email: "a@b.c".into(), ..Default::default() },
        return_lead: false,
        marketo_cookie: Nillable::Absent,
    };
    let context = MktowsContextHeaderInfo { target_workspace: "Europe".into() };
    let headers = [soap::HeaderBlock { name: "MktowsContextHeader", value: &context }];
    let signed = signed_at("2013-08-01T18:22:30-07:00");
    let xml = client().soap().encode_with::<operations::SyncLead>(&params, &headers, Some(&signed));
    let lines = canonical(&xml);
    let header_at = lines.iter().position(|l| l.contains("}MktowsContextHeader ")).expect("context header");
    assert!(lines[header_at + 1].ends_with("targetWorkspace [] \"Europe\""), "{lines:#?}");
    assert!(lines[header_at].starts_with("2 {http://www.marketo.com/mktows/}"), "{}", lines[header_at]);
}

#[test]
fn awkward_strings_survive_a_round_trip() {
    let awkward = [
        "a & b < c > d \" e ' f",
        "  leading and trailing spaces  ",
        "ünïcödé 日本語 🚀",
        "line one\nline two\r\nwith CR",
        "]]> looks like CDATA end",
        "&amp; already escaped",
        "",
    ];
    for text in awkward {
        let params = ParamsSyncMultipleLeads {
            lead_record_list: ArrayOfLeadRecord {
                lead_record: vec![LeadRecord {
                    email: text.into(),
                    lead_attribute_list: ArrayOfAttribute { attribute: vec![attribute(text, text)] }.into(),
                    ..Default::default()
                }],
            },
            dedup_enabled: Nillable::Nil,
        };
        let xml = encode::<operations::SyncMultipleLeads>(&params, "2013-08-01T18:22:30-07:00");
        let back: ParamsSyncMultipleLeads = read_body(&xml, "paramsSyncMultipleLeads");
        assert_eq!(back, params, "{text:?}");
    }
}

#[test]
fn absent_nil_and_value_are_told_apart_on_the_wire() {
    let params = ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord {
            lead_record: vec![LeadRecord { id: Nillable::Nil, email: "x@y.z".into(), ..Default::default() }],
        },
        dedup_enabled: Nillable::Absent,
    };
    let xml = String::from_utf8(encode::<operations::SyncMultipleLeads>(&params, "2013-08-01T18:22:30-07:00")).unwrap();
    assert!(xml.contains(r#"<leadRecord><Id xsi:nil="true"/><Email>x@y.z</Email></leadRecord>"#), "{xml}");
    assert!(!xml.contains("dedupEnabled") && !xml.contains("ForeignSysPersonId"), "{xml}");
    let back: ParamsSyncMultipleLeads = read_body(xml.as_bytes(), "paramsSyncMultipleLeads");
    assert_eq!(back, params);
}
