//! `encode`, `decode` and `call`: one operation by name, JSON on one side and SOAP on the
//! other, for people debugging an integration.

use std::future::Future;
use std::pin::Pin;

use mktows::marketo::{fault, SignedHeader};
use mktows::operations::{self, JsonOperation, OperationVisitor};
use mktows::runtime::transport::HttpResponse;
use mktows::{Client, Credentials, ErrorKind, Timestamp};

/// Finds an operation by its WSDL name, or the same in snake or kebab case
/// (`sync-multiple-leads`, `sync_multiple_leads`).
pub fn operation_name(text: &str) -> Result<&'static str, String> {
    let squash = |s: &str| s.chars().filter(|c| *c != '_' && *c != '-').collect::<String>().to_ascii_lowercase();
    let wanted = squash(text);
    operations::ALL
        .iter()
        .find(|op| squash(op.name) == wanted)
        .map(|op| op.name)
        .ok_or_else(|| format!("no operation is called `{text}`; `mktows ops` lists them"))
}

/// How a wire command ended: output for stdout, or an error and its exit code.
pub enum Outcome {
    Printed(String),
    Fault { code: Option<u32>, message: String },
    Failed(String),
}

pub fn encode(name: &str, json: &str, credentials: Credentials, timestamp: Timestamp) -> Outcome {
    struct Encode<'a> {
        json: &'a str,
        client: Client,
        signed: SignedHeader,
    }
    impl OperationVisitor for Encode<'_> {
        type Output = Outcome;
        fn visit<Op: JsonOperation>(self) -> Outcome {
            match parse_input::<Op>(self.json) {
                // A value XML cannot carry is refused, never printed changed.
                Ok(input) => match self.client.soap().try_encode_with::<Op>(&input, &[], Some(&self.signed)) {
                    Ok(envelope) => Outcome::Printed(String::from_utf8_lossy(&envelope).into_owned()),
                    Err(e) => Outcome::Failed(e.to_string()),
                },
                Err(e) => Outcome::Failed(e),
            }
        }
    }
    // Encoding sends nothing, so any syntactically valid endpoint will do.
    let signed = credentials.sign(&timestamp);
    let client = Client::new("http://localhost/", credentials).expect("a valid placeholder endpoint");
    operations::visit(name, Encode { json, client, signed })
        .unwrap_or_else(|| Outcome::Failed(format!("unknown operation {name}")))
}

pub fn decode(name: &str, xml: Vec<u8>) -> Outcome {
    struct Decode(HttpResponse);
    impl OperationVisitor for Decode {
        type Output = Outcome;
        fn visit<Op: JsonOperation>(self) -> Outcome {
            to_outcome(mktows::runtime::client::decode::<Op>(&self.0))
        }
    }
    operations::visit(name, Decode(HttpResponse::new(200, xml)))
        .unwrap_or_else(|| Outcome::Failed(format!("unknown operation {name}")))
}

pub async fn call(name: &str, json: String, client: Client) -> Outcome {
    struct Call {
        json: String,
        client: Client,
    }
    impl OperationVisitor for Call {
        type Output = Pin<Box<dyn Future<Output = Outcome> + Send>>;
        fn visit<Op: JsonOperation>(self) -> Self::Output {
            Box::pin(async move {
                let input = match parse_input::<Op>(&self.json) {
                    Ok(input) => input,
                    Err(e) => return Outcome::Failed(e),
                };
                to_outcome(self.client.soap().call::<Op>(&input, &[]).await)
            })
        }
    }
    match operations::visit(name, Call { json, client }) {
        Some(future) => future.await,
        None => Outcome::Failed(format!("unknown operation {name}")),
    }
}

/// `json` as `Op`'s input, refusing a field the input type has no place for and text that
/// XML 1.0 cannot carry (the runtime's strict parsing, which every generated crate's `soap`
/// example shares).
fn parse_input<Op: JsonOperation>(json: &str) -> Result<Op::Input, String> {
    mktows::runtime::json::parse_input::<Op>(json)
}

fn to_outcome<T: serde::Serialize>(result: Result<T, mktows::Error>) -> Outcome {
    match result {
        Ok(value) => match mktows::runtime::json::to_json(&value) {
            Ok(json) => Outcome::Printed(json),
            Err(e) => Outcome::Failed(e),
        },
        Err(e) => match e.kind() {
            ErrorKind::Fault(f) => Outcome::Fault { code: fault::code_of(f), message: f.message.clone() },
            _ => Outcome::Failed(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_accept_wsdl_snake_and_kebab_case() {
        assert_eq!(operation_name("syncMultipleLeads"), Ok("syncMultipleLeads"));
        assert_eq!(operation_name("sync_multiple_leads"), Ok("syncMultipleLeads"));
        assert_eq!(operation_name("get-m-objects"), Ok("getMObjects"));
        assert!(operation_name("syncEverything").unwrap_err().contains("mktows ops"));
    }

    #[test]
    fn a_mistyped_field_or_a_control_character_is_an_error() {
        type Op = mktows::operations::SyncMultipleLeads;
        let ok = r#"{"leadRecordList":{"leadRecord":[{"Email":"a@b.c"}]},"dedupEnabled":true}"#;
        assert!(parse_input::<Op>(ok).is_ok());
        let typo = r#"{"leadRecordList":{"leadRecord":[{"Emial":"a@b.c"}]}}"#;
        let error = parse_input::<Op>(typo).err().unwrap();
        assert!(error.contains("unknown field `leadRecordList.leadRecord[0].Emial`"), "{error}");
        let control = r#"{"leadRecordList":{"leadRecord":[{"Email":"a\u000b@b.c"}]}}"#;
        let error = parse_input::<Op>(control).err().unwrap();
        assert!(error.contains("`leadRecordList.leadRecord[0].Email` holds U+000B"), "{error}");
    }
}
