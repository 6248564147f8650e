//! Pushes two leads into Marketo with `syncMultipleLeads` and prints each lead's status.
//!
//! ```sh
//! MKTOWS_ENDPOINT=https://123-ABC-456.mktoapi.com/soap/mktows/2_2 \
//! MKTOWS_USER_ID=... MKTOWS_SECRET_KEY=... cargo run -p mktows --example sync_leads
//! ```

use mktows::{
    ArrayOfAttribute, Attribute, Client, Credentials, LeadRecord, MarketoError, Nillable, ParamsSyncMultipleLeads,
};

fn lead(email: &str, company: &str) -> LeadRecord {
    let company = Attribute { attr_name: "Company".into(), attr_value: company.into(), ..Default::default() };
    LeadRecord {
        email: email.into(),
        lead_attribute_list: ArrayOfAttribute::from(vec![company]).into(),
        ..Default::default()
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env =
        |name: &str| std::env::var(name).map_err(|_| format!("set {name} (see the comment at the top of this file)"));
    let credentials = Credentials::new(env("MKTOWS_USER_ID")?, env("MKTOWS_SECRET_KEY")?);
    let client = Client::new(&env("MKTOWS_ENDPOINT")?, credentials)?;

    let params = ParamsSyncMultipleLeads {
        lead_record_list: vec![lead("ada@example.com", "Analytical"), lead("alan@example.com", "Bletchley")].into(),
        dedup_enabled: Nillable::Value(true),
    };
    match client.sync_multiple_leads(&params).await {
        Ok(success) => {
            for status in &success.result.sync_status_list {
                println!(
                    "lead {}: {} {}",
                    status.lead_id,
                    status.status,
                    status.error.value().map_or("", String::as_str)
                );
            }
            Ok(())
        }
        // Timeouts, rate (20023) and concurrency (20024) limits are worth a retry after a pause.
        Err(e) if e.is_marketo_retryable() => Err(format!("try again later: {e}").into()),
        Err(e) => Err(e.into()),
    }
}
