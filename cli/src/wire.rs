//! `encode`, `decode` and `call`: one operation by name, JSON on one side and SOAP on the
//! other, for people debugging an integration.

use std::future::Future;
use std::pin::Pin;

use mktows::marketo::{fault, SignedHeader};
use mktows::operations::{self, JsonOperation, OperationVisitor};
use mktows::runtime::transport::HttpResponse;
use mktows::{Client, Credentials, ErrorKind, Timestamp};
use serde_json::Value;

use crate::input::validate;

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

/// `json` as `Op`'s input, refusing what would otherwise be lost on the way: a field the
/// input type has no place for (a mistyped `Emial` would be dropped silently), and text
/// that XML 1.0 cannot carry.
fn parse_input<Op: JsonOperation>(json: &str) -> Result<Op::Input, String> {
    let invalid = |e: &dyn std::fmt::Display| format!("the JSON is not a valid {} input: {e}", Op::NAME);
    let value: Value = serde_json::from_str(json).map_err(|e| invalid(&e))?;
    xml_text(&value, "").map_err(|e| invalid(&e))?;
    let input: Op::Input = serde_json::from_value(value.clone()).map_err(|e| invalid(&e))?;
    let echoed = serde_json::to_value(&input).map_err(|e| invalid(&e))?;
    match unknown_field(&value, &echoed, "") {
        Some(path) => Err(invalid(&format!("unknown field `{path}`"))),
        None => Ok(input),
    }
}

/// Every string (and name) in `value` must be XML text.
fn xml_text(value: &Value, path: &str) -> Result<(), String> {
    match value {
        Value::String(text) => validate::xml_text(text).map_err(|why| format!("`{path}` {why}")),
        Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, item)| xml_text(item, &format!("{path}[{i}]")))
        }
        Value::Object(fields) => fields.iter().try_for_each(|(name, item)| {
            let path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            validate::xml_text(name).map_err(|why| format!("`{path}` {why}"))?;
            xml_text(item, &path)
        }),
        _ => Ok(()),
    }
}

/// The path of a field of `given` that the typed value, written back as `echoed`, lost.
fn unknown_field(given: &Value, echoed: &Value, path: &str) -> Option<String> {
    match (given, echoed) {
        (Value::Object(given), Value::Object(echoed)) => given.iter().find_map(|(name, value)| {
            let path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            match echoed.get(name) {
                None if !value.is_null() => Some(path),
                None => None,
                Some(kept) => unknown_field(value, kept, &path),
            }
        }),
        (Value::Array(given), Value::Array(echoed)) => {
            given.iter().zip(echoed).enumerate().find_map(|(i, (g, e))| unknown_field(g, e, &format!("{path}[{i}]")))
        }
        _ => None,
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
