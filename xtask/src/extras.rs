//! The files `cargo xtask generate` adds around the generated sources: the `soap` example
//! (JSON in, envelope out, and back, for any operation) and, on request, a sample request
//! and response per operation with the test that round-trips them.

use mktows_codegen::{GeneratedFile, OperationSample};

/// `examples/soap.rs`: the runtime's example main over the crate's operation table.
pub fn example(crate_name: &str) -> GeneratedFile {
    let krate = crate_ident(crate_name);
    let contents = format!(
        "//! `cargo run -q --example soap --features serde -- ops | encode OP | decode OP`: lists the\n\
         //! operations, writes the request envelope of the JSON input on stdin, or reads a response\n\
         //! envelope on stdin and prints it as JSON. Written by `cargo xtask generate`.\n\n\
         mktows_runtime::soap_example!({krate});\n"
    );
    GeneratedFile { path: "examples/soap.rs".into(), contents }
}

/// `tests/samples/<op>.{{request,response}}.xml` and `tests/round_trip.rs`.
pub fn samples(crate_name: &str, samples: &[OperationSample]) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for sample in samples {
        for (direction, xml) in [("request", &sample.request), ("response", &sample.response)] {
            let path = format!("tests/samples/{}.{direction}.xml", sample.operation);
            files.push(GeneratedFile { path, contents: xml.clone() });
        }
    }
    files.push(GeneratedFile { path: "tests/round_trip.rs".into(), contents: round_trip_test(crate_name, samples) });
    files
}

const ROUND_TRIP_PRELUDE: &str = r#"//! Each operation's sample request and response (`tests/samples`, written from the schema by
//! `cargo xtask generate --samples`) read, write and read back to an equal value with no
//! element or attribute dropped; with the serde feature, the value also survives JSON.

use std::fmt::Debug;

use mktows_runtime::codegen::Operation;
use mktows_runtime::round_trip;

#[cfg(feature = "serde")]
trait Value: PartialEq + Debug + serde::Serialize + serde::de::DeserializeOwned {}
#[cfg(feature = "serde")]
impl<T: PartialEq + Debug + serde::Serialize + serde::de::DeserializeOwned> Value for T {}
#[cfg(not(feature = "serde"))]
trait Value: PartialEq + Debug {}
#[cfg(not(feature = "serde"))]
impl<T: PartialEq + Debug> Value for T {}

fn json<T: Value>(value: &T) -> Result<(), String> {
    #[cfg(feature = "serde")]
    return mktows_runtime::json::round_trip(value);
    #[cfg(not(feature = "serde"))]
    {
        let _ = value;
        Ok(())
    }
}

fn check<Op: Operation<Input: Value, Output: Value>>(request: &[u8], response: &[u8]) {
    let input = round_trip::request::<Op>(NAMESPACE, request).unwrap_or_else(|e| panic!("request: {e}"));
    json(&input).unwrap_or_else(|e| panic!("request JSON: {e}"));
    let output = round_trip::response::<Op>(NAMESPACE, response).unwrap_or_else(|e| panic!("response: {e}"));
    json(&output).unwrap_or_else(|e| panic!("response JSON: {e}"));
}
"#;

fn round_trip_test(crate_name: &str, samples: &[OperationSample]) -> String {
    let krate = crate_ident(crate_name);
    let mut out = format!("{ROUND_TRIP_PRELUDE}\nuse {krate}::NAMESPACE;\n");
    for sample in samples {
        let (marker, op) = (&sample.marker, &sample.operation);
        for line in &sample.left_out {
            out.push_str(&format!("\n// Not exercised by the `{op}` samples: {line}."));
        }
        out.push_str(&format!(
            "\n#[test]\n#[allow(non_snake_case)]\nfn {marker}() {{\n    check::<{krate}::operations::{marker}>(\n        \
             include_bytes!(\"samples/{op}.request.xml\"),\n        include_bytes!(\"samples/{op}.response.xml\"),\n    );\n}}\n"
        ));
    }
    out
}

/// The crate's name as Rust code names it.
fn crate_ident(crate_name: &str) -> String {
    crate_name.replace('-', "_")
}
