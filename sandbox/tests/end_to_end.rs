//! The sandbox on an ephemeral port, driven over HTTP by the generated client.

use std::time::Duration;

use mktows::runtime::transport::{HttpResponse, Transport};
use mktows::runtime::Operation;
use mktows::*;
use mktows_sandbox::{RateLimit, Sandbox, SandboxConfig, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};

async fn start(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn client(sandbox: &Sandbox) -> Client {
    Client::new(&sandbox.endpoint(), Credentials::new(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)).unwrap()
}

fn example(path: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../shared/examples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Posts raw bytes and decodes the answer as `Op`'s.
async fn post<Op: Operation>(sandbox: &Sandbox, body: Vec<u8>) -> (u16, Result<Op::Output, mktows::Error>) {
    let transport = Transport::new(&sandbox.endpoint(), &ClientConfig::default()).unwrap();
    let response: HttpResponse = transport.post(Op::SOAP_ACTION, body).await.unwrap();
    let status = response.status;
    (status, mktows::runtime::client::decode::<Op>(&response))
}

fn attributes(pairs: &[(&str, &str)]) -> ArrayOfAttribute {
    ArrayOfAttribute {
        attribute: pairs
            .iter()
            .map(|(n, v)| Attribute { attr_name: (*n).into(), attr_value: (*v).into(), ..Default::default() })
            .collect(),
    }
}

fn lead(email: Option<&str>, pairs: &[(&str, &str)]) -> LeadRecord {
    LeadRecord {
        email: email.map_or(Nillable::Absent, Nillable::from),
        lead_attribute_list: attributes(pairs).into(),
        ..Default::default()
    }
}

fn leads(records: Vec<LeadRecord>, dedup: Option<bool>) -> ParamsSyncMultipleLeads {
    ParamsSyncMultipleLeads {
        lead_record_list: ArrayOfLeadRecord { lead_record: records },
        dedup_enabled: dedup.map_or(Nillable::Absent, Nillable::Value),
    }
}

async fn lead_by_email(client: &Client, email: &str) -> Vec<LeadRecord> {
    let key = LeadKey { key_type: LeadKeyRef::Email, key_value: email.into() };
    match client.get_lead(&ParamsGetLead { lead_key: key }).await {
        Ok(found) => found.result.lead_record_list.into_value().unwrap().lead_record,
        Err(e) if e.marketo_code() == Some(MarketoCode::LeadNotFound) => Vec::new(),
        Err(e) => panic!("{e}"),
    }
}

fn attribute<'a>(lead: &'a LeadRecord, name: &str) -> Option<&'a str> {
    lead.lead_attribute_list.value()?.attribute.iter().find(|a| a.attr_name == name).map(|a| a.attr_value.as_str())
}

#[tokio::test]
async fn the_sync_multiple_leads_seed_creates_then_updates() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    // The seed's own request, re-signed now (its 2013 signature has long expired).
    let seed =
        decode_request::<ParamsSyncMultipleLeads>(&example("syncmultipleleads/request.xml"), "paramsSyncMultipleLeads");
    let first = client.sync_multiple_leads(&seed).await.unwrap().result.sync_status_list.sync_status;
    assert_eq!(
        first.iter().map(|s| &s.status).collect::<Vec<_>>(),
        [&LeadSyncStatus::Created, &LeadSyncStatus::Created]
    );
    let again = client.sync_multiple_leads(&seed).await.unwrap().result.sync_status_list.sync_status;
    assert_eq!(
        again.iter().map(|s| (s.lead_id, &s.status)).collect::<Vec<_>>(),
        [(first[0].lead_id, &LeadSyncStatus::Updated), (first[1].lead_id, &LeadSyncStatus::Updated)]
    );
    let stored = lead_by_email(&client, "em1001@etestd.marketo.net").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(attribute(&stored[0], "Company"), Some("Marketo1001"));
    assert_eq!(attribute(&stored[0], "Phone"), Some("650-555-1001"));
}

#[tokio::test]
async fn the_seed_requests_are_accepted_byte_for_byte_with_their_own_signatures() {
    // A sandbox whose clock tolerates the seed's 2013 timestamps checks their signatures.
    let config = SandboxConfig { max_clock_skew: Duration::from_secs(20 * 365 * 86_400), ..SandboxConfig::default() };
    let sandbox = start(config).await;
    let (status, result) =
        post::<operations::SyncMultipleLeads>(&sandbox, example("syncmultipleleads/request.xml")).await;
    assert_eq!(status, 200);
    assert_eq!(result.unwrap().result.sync_status_list.sync_status.len(), 2);
    let (status, result) =
        post::<operations::SyncCustomObjects>(&sandbox, example("synccustomobjects/request.xml")).await;
    assert_eq!(status, 200);
    let statuses = result.unwrap().result.sync_custom_obj_status_list.sync_custom_obj_status;
    assert_eq!(statuses[0].status, SyncStatusEnum::Created);
    assert_eq!(statuses[0].obj_type_name, "RoadShow");
}

#[tokio::test]
async fn the_sync_custom_objects_seed_and_every_status() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let seed =
        decode_request::<ParamsSyncCustomObjects>(&example("synccustomobjects/request.xml"), "paramsSyncCustomObjects");
    let status_of = |result: SuccessSyncCustomObjects| {
        result
            .result
            .sync_custom_obj_status_list
            .sync_custom_obj_status
            .into_iter()
            .map(|s| (s.status.to_string(), s.error.into_value()))
            .collect::<Vec<_>>()
    };
    let with = |operation: SyncOperationEnum, city: &str| {
        let mut params = seed.clone();
        params.operation = Nillable::Value(operation);
        params.custom_obj_list.custom_obj[0].custom_obj_attribute_list = attributes(&[("city", city)]).into();
        params
    };
    assert_eq!(
        status_of(client.sync_custom_objects(&with(SyncOperationEnum::Update, "A")).await.unwrap()),
        [("SKIPPED".into(), None)]
    );
    assert_eq!(status_of(client.sync_custom_objects(&seed).await.unwrap()), [("CREATED".into(), None)]);
    assert_eq!(status_of(client.sync_custom_objects(&seed).await.unwrap()), [("UNCHANGED".into(), None)]);
    assert_eq!(
        status_of(client.sync_custom_objects(&with(SyncOperationEnum::Insert, "B")).await.unwrap()),
        [("SKIPPED".into(), None)]
    );
    assert_eq!(
        status_of(client.sync_custom_objects(&with(SyncOperationEnum::Update, "Austin")).await.unwrap()),
        [("UPDATED".into(), None)]
    );
    let mut no_rid = seed.clone();
    no_rid.custom_obj_list.custom_obj[0].custom_obj_key_list = attributes(&[("MKTOID", "1090177")]).into();
    let failed = status_of(client.sync_custom_objects(&no_rid).await.unwrap());
    assert_eq!(failed[0].0, "FAILED");
    assert!(failed[0].1.as_deref().unwrap().contains("`rid`"), "{failed:?}");

    // Read back what was written, then delete it.
    let get = ParamsGetCustomObjects {
        obj_type_name: "RoadShow".into(),
        custom_obj_key_list: attributes(&[("MKTOID", "1090177")]).into(),
        include_attributes: ArrayOfString::default(),
        ..Default::default()
    };
    let found = client.get_custom_objects(&get).await.unwrap().result;
    assert_eq!(found.return_count, 1);
    let object = &found.custom_obj_list.value().unwrap().custom_obj[0];
    let city =
        object.custom_obj_attribute_list.value().unwrap().attribute.iter().find(|a| a.attr_name == "city").unwrap();
    assert_eq!(city.attr_value, "Austin");
    let zip =
        object.custom_obj_attribute_list.value().unwrap().attribute.iter().find(|a| a.attr_name == "zip").unwrap();
    assert_eq!(zip.attr_value, "94404");
    let delete = ParamsDeleteCustomObjects {
        obj_type_name: "RoadShow".into(),
        custom_obj_key_lists: ArrayOfKeyList { key_list: vec![attributes(&[("MKTOID", "1090177"), ("rid", "rid1")])] },
    };
    let deleted = client
        .delete_custom_objects(&delete)
        .await
        .unwrap()
        .result
        .delete_custom_obj_status_list
        .sync_custom_obj_status;
    assert_eq!(deleted[0].status, SyncStatusEnum::Deleted);
    assert_eq!(client.get_custom_objects(&get).await.unwrap().result.return_count, 0);
}

#[tokio::test]
async fn key_precedence_id_then_foreign_id_then_email() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let created = client
        .sync_multiple_leads(&leads(vec![lead(Some("ada@x.com"), &[]), lead(Some("alan@x.com"), &[])], None))
        .await
        .unwrap();
    let [ada, alan] = [0, 1].map(|i| created.result.sync_status_list.sync_status[i].lead_id);

    // Id wins over the email of another lead, and its foreign id is updated.
    let by_id = LeadRecord {
        id: Nillable::Value(ada),
        email: "alan@x.com".into(),
        foreign_sys_person_id: "CRM-1".into(),
        foreign_sys_type: Nillable::Value(ForeignSysType::Custom),
        lead_attribute_list: attributes(&[("Company", "Analytical")]).into(),
    };
    let status =
        client.sync_multiple_leads(&leads(vec![by_id], None)).await.unwrap().result.sync_status_list.sync_status;
    assert_eq!((status[0].lead_id, &status[0].status), (ada, &LeadSyncStatus::Updated));

    // The foreign id now finds Ada, over Alan's email; the email used as a key is not written.
    let by_foreign = LeadRecord {
        email: "alan@x.com".into(),
        foreign_sys_person_id: "CRM-1".into(),
        foreign_sys_type: Nillable::Value(ForeignSysType::Custom),
        lead_attribute_list: attributes(&[("Title", "Countess")]).into(),
        ..Default::default()
    };
    let status =
        client.sync_multiple_leads(&leads(vec![by_foreign], None)).await.unwrap().result.sync_status_list.sync_status;
    assert_eq!(status[0].lead_id, ada);
    let stored = lead_by_email(&client, "ada@x.com").await;
    assert_eq!(stored[0].foreign_sys_person_id.value().map(String::as_str), Some("CRM-1"));
    assert_eq!(
        (attribute(&stored[0], "Company"), attribute(&stored[0], "Title")),
        (Some("Analytical"), Some("Countess"))
    );
    assert_eq!(lead_by_email(&client, "alan@x.com").await[0].id, Nillable::Value(alan));
}

#[tokio::test]
async fn dedup_on_updates_and_dedup_off_duplicates() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    client.sync_multiple_leads(&leads(vec![lead(Some("d@x.com"), &[("Company", "One")])], None)).await.unwrap();
    let on = client
        .sync_multiple_leads(&leads(vec![lead(Some("d@x.com"), &[("Company", "Two")])], Some(true)))
        .await
        .unwrap();
    assert_eq!(on.result.sync_status_list.sync_status[0].status, LeadSyncStatus::Updated);
    assert_eq!(lead_by_email(&client, "d@x.com").await.len(), 1);
    let off = client
        .sync_multiple_leads(&leads(vec![lead(Some("d@x.com"), &[("Company", "Three")])], Some(false)))
        .await
        .unwrap();
    assert_eq!(off.result.sync_status_list.sync_status[0].status, LeadSyncStatus::Created);
    let both = lead_by_email(&client, "d@x.com").await;
    assert_eq!(both.iter().map(|l| attribute(l, "Company")).collect::<Vec<_>>(), [Some("Two"), Some("Three")]);
}

#[tokio::test]
async fn one_bad_record_does_not_fail_the_batch() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let batch = leads(
        vec![lead(Some("ok1@x.com"), &[]), lead(None, &[("Company", "No key")]), lead(Some("ok2@x.com"), &[])],
        None,
    );
    let statuses = client.sync_multiple_leads(&batch).await.unwrap().result.sync_status_list.sync_status;
    assert_eq!(
        statuses.iter().map(|s| s.status.clone()).collect::<Vec<_>>(),
        [LeadSyncStatus::Created, LeadSyncStatus::Failed, LeadSyncStatus::Created]
    );
    assert!(statuses[1].error.value().unwrap().contains("no key"));
    assert!(statuses[0].error.is_nil());
    assert_eq!(sandbox.lead_count(), 2);
}

#[tokio::test]
async fn sync_lead_returns_the_lead_and_get_multiple_leads_pages() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let params = ParamsSyncLead {
        lead_record: lead(Some("solo@x.com"), &[("FirstName", "Solo")]),
        return_lead: true,
        marketo_cookie: Nillable::Absent,
    };
    let result = client.sync_lead(&params, None).await.unwrap().result;
    assert_eq!(result.sync_status.status, LeadSyncStatus::Created);
    assert_eq!(attribute(result.lead_record.value().unwrap(), "FirstName"), Some("Solo"));
    let batch: Vec<_> = (0..25).map(|i| lead(Some(&format!("p{i}@x.com")), &[])).collect();
    client.sync_multiple_leads(&leads(batch, None)).await.unwrap();
    let mut seen = Vec::new();
    let mut position = Nillable::Absent;
    loop {
        let params =
            ParamsGetMultipleLeads { batch_size: Nillable::Value(10), stream_position: position, ..Default::default() };
        let page = client.get_multiple_leads(&params).await.unwrap().result;
        seen.extend(
            page.lead_record_list.into_value().unwrap().lead_record.into_iter().map(|l| l.id.into_value().unwrap()),
        );
        if page.remaining_count == 0 {
            assert_eq!(page.new_stream_position, "");
            break;
        }
        position = Nillable::Value(page.new_stream_position);
    }
    assert_eq!(seen.len(), 26);
}

#[tokio::test]
async fn authentication_failures_are_marketo_faults() {
    let sandbox = start(SandboxConfig::default()).await;
    let wrong_secret = Client::new(&sandbox.endpoint(), Credentials::new(DEFAULT_USER_ID, "not the secret")).unwrap();
    let err = wrong_secret.sync_multiple_leads(&leads(vec![lead(Some("a@x.com"), &[])], None)).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::AuthenticationFailed));
    let fault = err.fault().unwrap();
    assert_eq!((fault.code.as_str(), fault.message.as_str()), ("SOAP-ENV:Client", "20014 - Authentication failed"));
    let wrong_user = Client::new(&sandbox.endpoint(), Credentials::new("someone_else", DEFAULT_SECRET_KEY)).unwrap();
    assert_eq!(
        wrong_user.get_tags(&ParamsGetTags::default()).await.unwrap_err().marketo_code(),
        Some(MarketoCode::AuthenticationFailed)
    );

    // Exactly Marketo's fault document, byte for byte once indentation is ignored.
    let unsigned = example("syncmultipleleads/request.xml");
    let without_header = String::from_utf8(unsigned)
        .unwrap()
        .replace("<mktowsUserId>", "<other>")
        .replace("</mktowsUserId>", "</other>");
    let transport = Transport::new(&sandbox.endpoint(), &ClientConfig::default()).unwrap();
    let response = transport.post("", without_header.into_bytes()).await.unwrap();
    assert_eq!(response.status, 500);
    let squash = |bytes: &[u8]| String::from_utf8_lossy(bytes).lines().map(str::trim).collect::<String>();
    let expected = squash(&example("authentication-signature/response-failure-invalid-credentials.xml"));
    assert_eq!(squash(&response.body), expected);
    assert_eq!(sandbox.lead_count(), 0);
}

#[tokio::test]
async fn an_old_timestamp_is_request_expired() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let credentials = Credentials::new(DEFAULT_USER_ID, DEFAULT_SECRET_KEY);
    let stale = Timestamp::from_unix_seconds(Timestamp::now().unix_seconds() - 16 * 60);
    let body = client.soap().encode_with::<operations::SyncMultipleLeads>(
        &leads(vec![lead(Some("a@x.com"), &[])], None),
        &[],
        Some(&credentials.sign(&stale)),
    );
    let (status, result) = post::<operations::SyncMultipleLeads>(&sandbox, body).await;
    assert_eq!((status, result.unwrap_err().marketo_code()), (500, Some(MarketoCode::RequestExpired)));
    let fresh = Timestamp::from_unix_seconds(Timestamp::now().unix_seconds() - 14 * 60);
    let body = client.soap().encode_with::<operations::SyncMultipleLeads>(
        &leads(vec![lead(Some("a@x.com"), &[])], None),
        &[],
        Some(&credentials.sign(&fresh)),
    );
    assert!(post::<operations::SyncMultipleLeads>(&sandbox, body).await.1.is_ok());
}

#[tokio::test]
async fn the_rate_limit_answers_20023_and_counts_only_accepted_calls() {
    let config = SandboxConfig {
        rate_limit: Some(RateLimit { calls: 5, window: Duration::from_secs(60) }),
        ..SandboxConfig::default()
    };
    let sandbox = start(config).await;
    let client = client(&sandbox);
    for _ in 0..5 {
        client
            .get_lead(&ParamsGetLead { lead_key: LeadKey { key_type: LeadKeyRef::Idnum, key_value: "1".into() } })
            .await
            .unwrap_err();
    }
    let err = client.sync_multiple_leads(&leads(vec![lead(Some("late@x.com"), &[])], None)).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::RateLimitExceeded));
    assert!(err.is_marketo_retryable());
    assert_eq!(sandbox.lead_count(), 0, "a rate-limited call changes nothing");
    assert_eq!(sandbox.accepted_call_times().len(), 5);
    assert_eq!(sandbox.stats().rejected, 1);
}

#[tokio::test]
async fn too_many_calls_at_once_answer_20024() {
    let config = SandboxConfig {
        max_concurrent_calls: Some(2),
        latency: Duration::from_millis(400),
        ..SandboxConfig::default()
    };
    let sandbox = start(config).await;
    let client = client(&sandbox);
    let calls = (0..6).map(|i| {
        let client = client.clone();
        async move { client.sync_multiple_leads(&leads(vec![lead(Some(&format!("c{i}@x.com")), &[])], None)).await }
    });
    let results = futures_join_all(calls.collect()).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let limited = results
        .iter()
        .filter(|r| r.as_ref().err().and_then(|e| e.marketo_code()) == Some(MarketoCode::ConcurrencyLimitExceeded))
        .count();
    assert_eq!(ok + limited, 6, "{results:?}");
    assert!(ok <= 2 && limited >= 4, "ok {ok}, limited {limited}");
    assert_eq!(sandbox.lead_count(), ok);
}

#[tokio::test]
async fn batches_over_the_limits_are_refused_whole() {
    let sandbox = start(SandboxConfig::default()).await;
    let client = client(&sandbox);
    let batch: Vec<_> = (0..301).map(|i| lead(Some(&format!("b{i}@x.com")), &[])).collect();
    let err = client.sync_multiple_leads(&leads(batch, None)).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::BadParameter));
    assert!(err.to_string().contains("301 leads; at most 300"), "{err}");
    let full: Vec<_> = (0..300).map(|i| lead(Some(&format!("b{i}@x.com")), &[])).collect();
    assert_eq!(
        client.sync_multiple_leads(&leads(full, None)).await.unwrap().result.sync_status_list.sync_status.len(),
        300
    );

    let objects: Vec<_> = (0..101)
        .map(|i| CustomObj {
            custom_obj_key_list: attributes(&[("MKTOID", "1"), ("rid", &i.to_string())]).into(),
            custom_obj_attribute_list: Nillable::Absent,
        })
        .collect();
    let params = ParamsSyncCustomObjects {
        obj_type_name: "RoadShow".into(),
        custom_obj_list: ArrayOfCustomObj { custom_obj: objects },
        operation: Nillable::Absent,
    };
    let err = client.sync_custom_objects(&params).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::BadParameter));
    assert_eq!(sandbox.lead_count(), 300);
    let count = ParamsGetCustomObjects { obj_type_name: "RoadShow".into(), ..Default::default() };
    assert_eq!(client.get_custom_objects(&count).await.unwrap().result.return_count, 0);
}

#[tokio::test]
async fn malformed_and_unknown_requests_get_faults_and_the_server_keeps_serving() {
    let sandbox = start(SandboxConfig::default()).await;
    let garbage: [&[u8]; 4] = [b"definitely not xml", b"<unclosed", b"{\"json\":1}", b"<Envelope><Body/></Envelope>"];
    for body in garbage {
        let (status, result) = post::<operations::SyncLead>(&sandbox, body.to_vec()).await;
        assert_eq!(
            (status, result.unwrap_err().marketo_code()),
            (500, Some(MarketoCode::RequestNotUnderstood)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    let client = client(&sandbox);
    let unknown = br#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Header/><e:Body><paramsDoMagic/></e:Body></e:Envelope>"#;
    let signed =
        String::from_utf8(client.soap().encode::<operations::GetTags>(&ParamsGetTags::default(), &[])).unwrap();
    let header = &signed[signed.find("<SOAP-ENV:Header>").unwrap()..signed.find("</SOAP-ENV:Header>").unwrap() + 18];
    let unknown = String::from_utf8(unknown.to_vec()).unwrap().replace("<e:Header/>", header).replace("xmlns:e=", "xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"http://www.marketo.com/mktows/\" xmlns:e=");
    let (_, result) = post::<operations::GetTags>(&sandbox, unknown.into_bytes()).await;
    assert_eq!(result.unwrap_err().marketo_code(), Some(MarketoCode::UnsupportedOperation));
    let err = client.get_tags(&ParamsGetTags::default()).await.unwrap_err();
    assert_eq!(err.marketo_code(), Some(MarketoCode::UnsupportedOperation));
    assert!(err.to_string().contains("getTags is not implemented"), "{err}");
    // Still serving.
    client.sync_multiple_leads(&leads(vec![lead(Some("after@x.com"), &[])], None)).await.unwrap();
    assert_eq!(sandbox.lead_count(), 1);
}

#[tokio::test]
async fn wrong_paths_and_methods_get_soap_faults_not_empty_errors() {
    let sandbox = start(SandboxConfig::default()).await;
    let wrong_path = format!("http://{}/soap/mktows/2_1", sandbox.local_addr());
    let response =
        Transport::new(&wrong_path, &ClientConfig::default()).unwrap().post("", b"<x/>".to_vec()).await.unwrap();
    assert_eq!(response.status, 404);
    assert!(String::from_utf8_lossy(&response.body).contains("<code>20019</code>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_clients_lose_and_double_nothing() {
    let config = SandboxConfig { max_concurrent_calls: None, rate_limit: None, ..SandboxConfig::default() };
    let sandbox = start(config).await;
    let tasks: Vec<_> = (0..20)
        .map(|worker| {
            let client = client(&sandbox);
            tokio::spawn(async move {
                for batch in 0..5 {
                    let records = (0..100)
                        .map(|i| {
                            lead(Some(&format!("w{worker}-b{batch}-{i}@x.com")), &[("Worker", &worker.to_string())])
                        })
                        .collect();
                    let statuses = client
                        .sync_multiple_leads(&leads(records, None))
                        .await
                        .unwrap()
                        .result
                        .sync_status_list
                        .sync_status;
                    assert!(statuses.iter().all(|s| s.status == LeadSyncStatus::Created));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    // Count back through the API: every email once.
    let client = client(&sandbox);
    let mut emails = std::collections::BTreeSet::new();
    let mut total = 0;
    let mut position = Nillable::Absent;
    loop {
        let params = ParamsGetMultipleLeads {
            batch_size: Nillable::Value(1000),
            stream_position: position,
            ..Default::default()
        };
        let page = client.get_multiple_leads(&params).await.unwrap().result;
        for lead in page.lead_record_list.into_value().unwrap().lead_record {
            total += 1;
            emails.insert(lead.email.into_value().unwrap());
        }
        if page.remaining_count == 0 {
            break;
        }
        position = Nillable::Value(page.new_stream_position);
    }
    assert_eq!((total, emails.len()), (10_000, 10_000));
}

/// Runs futures concurrently on this task (no extra dependency for one test).
async fn futures_join_all<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    for handle in handles {
        outputs.push(handle.await.unwrap());
    }
    outputs
}

/// A request example's body, read with the generated types (as the sandbox reads it).
fn decode_request<T: mktows::runtime::FromXml>(xml: &[u8], element: &str) -> T {
    mktows::runtime::server::decode_body(xml, element).unwrap()
}

/// The pages method follows the stream position to the end: 1,000 leads read back in pages
/// of 100, each once, with the request's other parameters kept.
#[tokio::test]
async fn a_thousand_leads_read_back_through_the_pages_stream() {
    use futures_util::StreamExt;
    let sandbox = start(SandboxConfig { rate_limit: None, ..SandboxConfig::default() }).await;
    let client = client(&sandbox);
    for batch in 0..4 {
        let leads_of_batch: Vec<_> =
            (batch * 250..(batch + 1) * 250).map(|i| lead(Some(&format!("page{i}@x.com")), &[])).collect();
        client.sync_multiple_leads(&leads(leads_of_batch, None)).await.unwrap();
    }
    let params = ParamsGetMultipleLeads { batch_size: Nillable::Value(100), ..Default::default() };
    let pages: Vec<_> = client.get_multiple_leads_pages(&params).collect().await;
    assert_eq!(pages.len(), 10);
    let mut emails = std::collections::BTreeSet::new();
    for page in pages {
        let result = page.unwrap().result;
        for lead in result.lead_record_list.into_value().unwrap() {
            assert!(emails.insert(lead.email.into_value().unwrap()), "each lead once");
        }
    }
    assert_eq!(emails.len(), 1000);
    // An error ends the stream: a position the sandbox never gave.
    let bad = ParamsGetMultipleLeads { stream_position: Nillable::Value("nonsense".into()), ..params };
    let pages: Vec<_> = client.get_multiple_leads_pages(&bad).collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap_err().marketo_code(), Some(MarketoCode::BadStreamPosition));
}
