//! JSON for any generated operation (the `json` feature): the strict input parsing that
//! `mktows encode` and every generated crate's `soap` example share, and the example's
//! `encode` / `decode` / `ops` commands. Field names are the XML names (the generated
//! types' serde feature decides the mapping); this module only refuses what would be lost.

use std::io::Read;
use std::process::ExitCode;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::client::{self, Operation, OperationInfo};
use crate::error::ErrorKind;
use crate::transport::HttpResponse;
use crate::xml::first_forbidden;

/// `json` as a value of `T`, refusing what would otherwise be lost on the way: a field the
/// type has no place for (a mistyped `Emial` would be dropped silently), and text that XML
/// 1.0 cannot carry. A missing required field is serde's error, which names it.
pub fn parse_strict<T: Serialize + DeserializeOwned>(json: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    xml_text(&value, "")?;
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let echoed = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    match unknown_field(&value, &echoed, "") {
        Some(path) => Err(format!("unknown field `{path}`")),
        None => Ok(typed),
    }
}

/// [`parse_strict`] of `Op`'s input, with the error saying which operation it was for.
pub fn parse_input<Op: Operation<Input: Serialize + DeserializeOwned>>(json: &str) -> Result<Op::Input, String> {
    parse_strict(json).map_err(|e| format!("the JSON is not a valid {} input: {e}", Op::NAME))
}

/// Every string (and name) in `value` must be XML text.
fn xml_text(value: &Value, path: &str) -> Result<(), String> {
    let check = |text: &str, path: &str| match first_forbidden(text) {
        None => Ok(()),
        Some((at, c)) => Err(format!(
            "`{path}` holds U+{:04X} at character {}, which XML 1.0 cannot carry",
            u32::from(c),
            text[..at].chars().count() + 1
        )),
    };
    match value {
        Value::String(text) => check(text, path),
        Value::Array(items) => {
            items.iter().enumerate().try_for_each(|(i, item)| xml_text(item, &format!("{path}[{i}]")))
        }
        Value::Object(fields) => fields.iter().try_for_each(|(name, item)| {
            let path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            check(name, &path)?;
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

/// `value` as pretty JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value).map_err(|e| format!("cannot write JSON: {e}"))
}

/// `value` written as JSON and read back strictly is `value` again.
pub fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) -> Result<(), String> {
    let json = to_json(value)?;
    let again: T = parse_strict(&json).map_err(|e| format!("its JSON does not read back: {e}\n{json}"))?;
    match &again == value {
        true => Ok(()),
        false => Err(format!("JSON changed the value:\n{value:?}\nbecame\n{again:?}")),
    }
}

/// One command of the `soap` example, for one operation chosen by name.
pub enum Command {
    /// The operation's input as JSON in, the request envelope out.
    Encode { namespace: &'static str, json: String },
    /// A response envelope in, the output as JSON out.
    Decode { xml: Vec<u8> },
}

impl Command {
    /// Runs the command for `Op`: what to print, or the error.
    pub fn run<Op>(self) -> Result<String, String>
    where
        Op: Operation<Input: Serialize + DeserializeOwned, Output: Serialize + DeserializeOwned>,
    {
        match self {
            Self::Encode { namespace, json } => {
                let input = parse_input::<Op>(&json)?;
                let envelope =
                    crate::soap::Envelope { version: Op::SOAP_VERSION, namespace, extra: Op::EXTRA_NAMESPACES };
                let writer = crate::soap::write_request(&envelope, &[], Op::INPUT_LAYOUT, &input, 1024);
                let envelope = writer.finish().map_err(|e| e.to_string())?;
                Ok(String::from_utf8_lossy(&envelope).into_owned())
            }
            Self::Decode { xml } => match client::decode::<Op>(&HttpResponse::new(200, xml)) {
                Ok(output) => to_json(&output),
                Err(e) => match e.kind() {
                    ErrorKind::Fault(fault) => Err(format!("the response is a SOAP fault: {fault}")),
                    _ => Err(e.to_string()),
                },
            },
        }
    }
}

const EXAMPLE_USAGE: &str =
    "usage: soap ops | soap encode OPERATION < input.json | soap decode OPERATION < response.xml";

/// The `soap` example's `main`: `ops` lists `operations`; `encode OP` and `decode OP` read
/// stdin and hand the command to `dispatch`, which runs it for the operation named (see
/// [`soap_example!`](crate::soap_example)). Errors go to stderr, with a failing exit code.
pub fn example_main(
    operations: &[OperationInfo],
    namespace: &'static str,
    dispatch: impl FnOnce(&str, Command) -> Option<Result<String, String>>,
) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run_example(&args, operations, namespace, dispatch) {
        Ok(text) => {
            println!("{}", text.trim_end());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_example(
    args: &[String],
    operations: &[OperationInfo],
    namespace: &'static str,
    dispatch: impl FnOnce(&str, Command) -> Option<Result<String, String>>,
) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (verb, name) = match args[..] {
        ["ops"] => return Ok(operations.iter().map(|op| op.name).collect::<Vec<_>>().join("\n")),
        [verb @ ("encode" | "decode"), name] => (verb, name),
        _ => return Err(EXAMPLE_USAGE.to_owned()),
    };
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).map_err(|e| format!("cannot read stdin: {e}"))?;
    let command = match verb {
        "encode" => Command::Encode {
            namespace,
            json: String::from_utf8(input).map_err(|_| "the JSON on stdin is not UTF-8".to_owned())?,
        },
        _ => Command::Decode { xml: input },
    };
    dispatch(name, command).unwrap_or_else(|| Err(format!("no operation is called `{name}`; `ops` lists them")))
}

/// The whole `examples/soap.rs` of a generated crate: `mktows_runtime::soap_example!(my_crate);`
/// (the crate's `serde` feature on, and this runtime's `json` feature).
#[macro_export]
macro_rules! soap_example {
    ($krate:ident) => {
        fn main() -> ::std::process::ExitCode {
            use $krate::operations::{JsonOperation, OperationVisitor};
            struct Run($crate::json::Command);
            impl OperationVisitor for Run {
                type Output = ::std::result::Result<String, String>;
                fn visit<Op: JsonOperation>(self) -> Self::Output {
                    self.0.run::<Op>()
                }
            }
            $crate::json::example_main(&$krate::operations::ALL, $krate::NAMESPACE, |name, command| {
                $krate::operations::visit(name, Run(command))
            })
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Lead {
        #[serde(rename = "Email")]
        email: String,
        #[serde(rename = "Tags", default)]
        tags: Vec<String>,
    }

    #[test]
    fn a_mistyped_or_missing_field_is_an_error_naming_it() {
        let lead: Lead = parse_strict(r#"{"Email":"a@b.c","Tags":["x"]}"#).unwrap();
        assert_eq!(lead, Lead { email: "a@b.c".into(), tags: vec!["x".into()] });
        let error = parse_strict::<Lead>(r#"{"Email":"a@b.c","Tgas":["x"]}"#).unwrap_err();
        assert_eq!(error, "unknown field `Tgas`");
        let error = parse_strict::<Vec<Lead>>(r#"[{"Email":"a"},{"Email":"b","x":1}]"#).unwrap_err();
        assert_eq!(error, "unknown field `[1].x`");
        let error = parse_strict::<Lead>(r#"{"Tags":[]}"#).unwrap_err();
        assert!(error.contains("missing field `Email`"), "{error}");
        // A null where nothing is kept carries nothing, so it is not an error.
        assert!(parse_strict::<Lead>(r#"{"Email":"a","Other":null}"#).is_ok());
    }

    #[test]
    fn text_xml_cannot_carry_is_refused_with_its_path() {
        let error = parse_strict::<Lead>(r#"{"Email":"a\u000bb"}"#).unwrap_err();
        assert_eq!(error, "`Email` holds U+000B at character 2, which XML 1.0 cannot carry");
    }

    #[test]
    fn json_round_trip_compares_values() {
        assert!(round_trip(&Lead { email: "a".into(), tags: vec!["b".into(), "c".into()] }).is_ok());
    }

    #[test]
    fn the_example_lists_operations_and_refuses_bad_arguments() {
        let ops = [OperationInfo {
            name: "echo",
            soap_action: "",
            input_element: "Echo",
            output_element: "EchoResponse",
            input_type: "Echo",
            output_type: "EchoResponse",
            doc: "",
        }];
        let never = |_: &str, _: Command| -> Option<Result<String, String>> { unreachable!() };
        assert_eq!(run_example(&["ops".into()], &ops, "urn:x", never), Ok("echo".into()));
        assert_eq!(run_example(&["encode".into()], &ops, "urn:x", never), Err(EXAMPLE_USAGE.into()));
    }
}
