//! The downstream crate against the in-process sandbox, as its own tests would run it.

use std::time::Duration;

use mktows::{Client, Credentials, LeadSyncStatus, MarketoCode, MarketoError, Nillable};
use mktows_example_downstream::{all_emails, changed_since, company, connect, explain, find, id, upsert, Person};
use mktows_sandbox::{Sandbox, SandboxConfig, DEFAULT_SECRET_KEY, DEFAULT_USER_ID};

async fn sandbox(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config, "127.0.0.1:0".parse().unwrap()).await.unwrap()
}

fn unlimited() -> SandboxConfig {
    SandboxConfig { rate_limit: None, ..SandboxConfig::default() }
}

#[tokio::test]
async fn leads_written_with_conversions_are_found_with_a_key_selector() {
    let sandbox = sandbox(unlimited()).await;
    let client = connect(&sandbox.endpoint(), DEFAULT_USER_ID, DEFAULT_SECRET_KEY).unwrap();
    let people = [
        Person { email: "ada@example.com", fields: &[("Company", "Analytical")] },
        Person { email: "grace@example.com", fields: &[("Company", "Navy"), ("FirstName", "Grace")] },
    ];
    assert_eq!(upsert(&client, &people).await.unwrap(), [LeadSyncStatus::Created, LeadSyncStatus::Created]);
    assert_eq!(upsert(&client, &people[..1]).await.unwrap(), [LeadSyncStatus::Updated]);
    let found = find(&client, ["grace@example.com", "nobody@example.com"]).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(company(&found[0]), Some("Navy"));
    assert!(id(&found[0]) > 0);
    assert_eq!(mktows_example_downstream::batch_size(None), Nillable::Absent);
}

#[tokio::test]
async fn a_thousand_leads_come_back_one_by_one_through_the_items_stream() {
    let sandbox = sandbox(unlimited()).await;
    let client = connect(&sandbox.endpoint(), DEFAULT_USER_ID, DEFAULT_SECRET_KEY).unwrap();
    let emails: Vec<String> = (0..1000).map(|i| format!("lead{i:04}@example.com")).collect();
    for chunk in emails.chunks(250) {
        let people: Vec<Person> = chunk.iter().map(|email| Person { email, fields: &[] }).collect();
        assert!(upsert(&client, &people).await.unwrap().iter().all(|s| *s == LeadSyncStatus::Created));
    }
    let mut read = all_emails(&client, 100).await.unwrap();
    read.sort();
    assert_eq!(read, emails, "each lead exactly once");
    // Pages of 100 plus the first call: the stream followed the position to the end.
    assert!(sandbox.stats().accepted >= 4 + 10, "{:?}", sandbox.stats());
}

#[tokio::test]
async fn the_retry_policy_waits_out_the_concurrency_limit() {
    let limited = SandboxConfig { max_concurrent_calls: Some(1), latency: Duration::from_millis(40), ..unlimited() };
    let sandbox = sandbox(limited).await;
    let endpoint = sandbox.endpoint();
    let run = |client: Client, run: &'static str| {
        let calls = (0..4).map(move |i| {
            let client = client.clone();
            tokio::spawn(async move {
                let emails = [format!("{run}{i}@example.com")];
                let people: Vec<Person> = emails.iter().map(|email| Person { email, fields: &[] }).collect();
                upsert(&client, &people).await
            })
        });
        futures_util::future::join_all(calls)
    };
    // Without a policy, calls that overlap one in flight are refused with 20024.
    let plain = Client::new(&endpoint, Credentials::new(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)).unwrap();
    let results: Vec<_> = run(plain, "plain").await.into_iter().map(Result::unwrap).collect();
    let refused: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(!refused.is_empty(), "four overlapping calls against a limit of one");
    for error in &refused {
        assert_eq!(error.marketo_code(), Some(MarketoCode::ConcurrencyLimitExceeded));
        assert!(explain(error).contains("Marketo is busy (20024"), "{}", explain(error));
    }
    // With `mktows::marketo::retry_policy()`, every call gets through.
    let patient = connect(&endpoint, DEFAULT_USER_ID, DEFAULT_SECRET_KEY).unwrap();
    for result in run(patient, "patient").await {
        assert_eq!(result.unwrap().unwrap(), [LeadSyncStatus::Created]);
    }
}

#[tokio::test]
async fn wrong_credentials_and_a_bad_date_say_what_is_wrong() {
    let sandbox = sandbox(unlimited()).await;
    let wrong = connect(&sandbox.endpoint(), DEFAULT_USER_ID, "not the key").unwrap();
    let error = upsert(&wrong, &[Person { email: "x@example.com", fields: &[] }]).await.unwrap_err();
    assert_eq!(error.marketo_code(), Some(MarketoCode::AuthenticationFailed));
    assert_eq!(explain(&error), "check MKTOWS_USER_ID and MKTOWS_SECRET_KEY");
    let client = connect(&sandbox.endpoint(), DEFAULT_USER_ID, DEFAULT_SECRET_KEY).unwrap();
    let calls_before = sandbox.stats();
    let refused = changed_since(&client, "2026-02-30T00:00:00Z").await.unwrap_err();
    assert!(refused.starts_with("not a time:"), "{refused}");
    assert_eq!(sandbox.stats().accepted, calls_before.accepted, "nothing was sent");
    upsert(&client, &[Person { email: "new@example.com", fields: &[] }]).await.unwrap();
    assert_eq!(changed_since(&client, "2000-01-01T00:00:00Z").await.unwrap(), 1);
}

#[tokio::test]
async fn an_endpoint_nobody_listens_on_was_never_sent_to() {
    let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client = Client::new(&format!("http://{address}/soap/mktows/2_2"), Credentials::new("u", "k")).unwrap();
    let error = upsert(&client, &[Person { email: "x@example.com", fields: &[] }]).await.unwrap_err();
    assert!(!error.may_have_been_processed());
    assert!(explain(&error).starts_with("not sent:"), "{}", explain(&error));
}
