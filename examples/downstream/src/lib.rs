//! What a downstream crate of `mktows` looks like: a small lead directory over Marketo,
//! written from README and `cargo doc -p mktows` alone. `tests/against_sandbox.rs` runs it
//! against the in-process sandbox.
//!
//! Each function shows one of the generated client's conveniences in use: list
//! conversions and constructors ([`upsert`], [`find`]), paging ([`all_emails`]), a retry
//! policy and an HTTP client of one's own ([`connect`]), matching on [`MarketoCode`]
//! ([`explain`]), and dates checked when they are made ([`changed_since`]).

use futures_util::StreamExt;
use mktows::runtime::reqwest;
use mktows::{
    Attribute, Client, ClientConfig, ConfigError, Credentials, DateTime, Error, LeadKeyRef, LeadKeySelector,
    LeadRecord, LeadSelector, LeadSyncStatus, MarketoCode, MarketoError, Nillable, ParamsGetMultipleLeads,
    ParamsSyncMultipleLeads,
};

/// A client that waits out Marketo's rate and concurrency limits, and tags every request
/// with the application's name (an HTTP client of its own, begun with the runtime's
/// `http_client_builder`: the reqwest it takes, its TLS provider installed).
pub fn connect(endpoint: &str, user_id: &str, secret_key: &str) -> Result<Client, ConfigError> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-application", reqwest::header::HeaderValue::from_static("lead-directory"));
    let http = mktows::runtime::transport::http_client_builder()
        .default_headers(headers)
        .build()
        .map_err(|e| ConfigError(format!("HTTP client: {e}")))?;
    let config = ClientConfig {
        http_client: Some(http),
        retry: Some(mktows::marketo::retry_policy()),
        ..ClientConfig::default()
    };
    Client::with_config(endpoint, Credentials::new(user_id, secret_key), &config)
}

/// One lead to create or update: its email and other fields by Marketo name.
pub struct Person<'a> {
    pub email: &'a str,
    pub fields: &'a [(&'a str, &'a str)],
}

/// Creates or updates `people` in one call (at most 300), deduplicated by email; the
/// status of each, in order.
pub async fn upsert(client: &Client, people: &[Person<'_>]) -> Result<Vec<LeadSyncStatus>, Error> {
    let leads: Vec<LeadRecord> = people
        .iter()
        .map(|person| LeadRecord {
            email: person.email.into(),
            lead_attribute_list: person
                .fields
                .iter()
                .map(|(name, value)| Attribute {
                    attr_name: (*name).into(),
                    attr_value: (*value).into(),
                    ..Default::default()
                })
                .collect::<mktows::ArrayOfAttribute>()
                .into(),
            ..Default::default()
        })
        .collect();
    let params = ParamsSyncMultipleLeads { lead_record_list: leads.into(), dedup_enabled: true.into() };
    let success = client.sync_multiple_leads(&params).await?;
    Ok(success.result.sync_status_list.iter().map(|status| status.status.clone()).collect())
}

/// The leads with these emails (those that exist), by a lead key selector.
pub async fn find<const N: usize>(client: &Client, emails: [&str; N]) -> Result<Vec<LeadRecord>, Error> {
    let selector: LeadSelector = LeadKeySelector::new(LeadKeyRef::Email, emails).into();
    let params = ParamsGetMultipleLeads { lead_selector: Some(selector), ..Default::default() };
    let found = client.get_multiple_leads(&params).await?;
    Ok(found.result.lead_record_list.into_option().map(Vec::from_iter).unwrap_or_default())
}

/// The email of every lead, however many pages that takes (`page_size` leads per call).
pub async fn all_emails(client: &Client, page_size: i32) -> Result<Vec<String>, Error> {
    let params = ParamsGetMultipleLeads { batch_size: page_size.into(), ..Default::default() };
    let mut leads = std::pin::pin!(client.get_multiple_leads_items(&params));
    let mut emails = Vec::new();
    while let Some(lead) = leads.next().await {
        emails.extend(lead?.email.into_option());
    }
    Ok(emails)
}

/// The leads changed since `since` (`2026-11-30T00:00:00Z`), by last update time; a time
/// that is not one (`2026-02-30T00:00:00Z`) is refused before anything is sent.
pub async fn changed_since(client: &Client, since: &str) -> Result<usize, String> {
    let since = DateTime::new(since).map_err(|e| format!("not a time: {e}"))?;
    let selector = mktows::LastUpdateAtSelector::new(since);
    let params = ParamsGetMultipleLeads { lead_selector: Some(selector.into()), ..Default::default() };
    let mut pages = std::pin::pin!(client.get_multiple_leads_pages(&params));
    let mut count = 0;
    while let Some(page) = pages.next().await {
        count += page.map_err(|e| explain(&e))?.result.return_count as usize;
    }
    Ok(count)
}

/// A line for the operator: what went wrong, in Marketo's terms where it has some.
pub fn explain(error: &Error) -> String {
    match error.marketo_code() {
        Some(MarketoCode::AuthenticationFailed) => "check MKTOWS_USER_ID and MKTOWS_SECRET_KEY".to_owned(),
        Some(MarketoCode::LeadNotFound) => "no such lead".to_owned(),
        Some(code @ (MarketoCode::RateLimitExceeded | MarketoCode::ConcurrencyLimitExceeded)) => {
            format!(
                "Marketo is busy ({} {}): try again later",
                code.code(),
                code.message().unwrap_or("an unlisted code")
            )
        }
        Some(code) => format!(
            "Marketo refused the call: {} {} ({error})",
            code.code(),
            code.message().unwrap_or("an unlisted code")
        ),
        None if error.may_have_been_processed() => format!("unknown outcome, check before resending: {error}"),
        None => format!("not sent: {error}"),
    }
}

/// A lead's `Company` field, if it has one: a `Nillable` list reads like an `Option`.
pub fn company(lead: &LeadRecord) -> Option<&str> {
    let attributes = lead.lead_attribute_list.value()?;
    attributes.iter().find(|a| a.attr_name == "Company").map(|a| a.attr_value.as_str())
}

/// A lead's id, or 0 for a lead not yet stored.
pub fn id(lead: &LeadRecord) -> i32 {
    lead.id.clone().value_or(0)
}

/// `Nillable` from an `Option`: `None` leaves the element out.
pub fn batch_size(size: Option<i32>) -> Nillable<i32> {
    size.into()
}
