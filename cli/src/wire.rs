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
            match serde_json::from_str::<Op::Input>(self.json) {
                Ok(input) => {
                    let envelope = self.client.soap().encode_with::<Op>(&input, &[], Some(&self.signed));
                    Outcome::Printed(String::from_utf8_lossy(&envelope).into_owned())
                }
                Err(e) => Outcome::Failed(format!("the JSON is not a valid {} input: {e}", Op::NAME)),
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
    operations::visit(name, Decode(HttpResponse { status: 200, body: xml }))
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
                let input = match serde_json::from_str::<Op::Input>(&self.json) {
                    Ok(input) => input,
                    Err(e) => return Outcome::Failed(format!("the JSON is not a valid {} input: {e}", Op::NAME)),
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

fn to_outcome<T: serde::Serialize>(result: Result<T, mktows::Error>) -> Outcome {
    match result {
        Ok(value) => match serde_json::to_string_pretty(&value) {
            Ok(json) => Outcome::Printed(json),
            Err(e) => Outcome::Failed(format!("cannot write JSON: {e}")),
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
}
