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
    // Without operations the helpers would be unused, which is a warning.
    if samples.is_empty() {
        return "//! The crate has no operation (all are left out), so no sample to round-trip.\n".to_owned();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(operation: &str, left_out: &[&str]) -> OperationSample {
        OperationSample {
            operation: operation.into(),
            marker: operation.to_uppercase(),
            request: "<q/>".into(),
            response: "<r/>".into(),
            left_out: left_out.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn one_test_per_operation_reading_its_two_samples() {
        let files = samples("my-client", &[sample("get", &["xs:any in type `T`"]), sample("put", &[])]);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "tests/samples/get.request.xml",
                "tests/samples/get.response.xml",
                "tests/samples/put.request.xml",
                "tests/samples/put.response.xml",
                "tests/round_trip.rs"
            ]
        );
        let test = &files[4].contents;
        assert!(test.contains("use my_client::NAMESPACE;"), "{test}");
        assert!(test.contains("fn GET() {\n    check::<my_client::operations::GET>("), "{test}");
        assert!(test.contains("include_bytes!(\"samples/put.response.xml\")"), "{test}");
        assert!(test.contains("// Not exercised by the `get` samples: xs:any in type `T`."), "{test}");
    }

    #[test]
    fn a_crate_without_operations_gets_a_test_file_without_helpers() {
        let files = samples("empty", &[]);
        assert_eq!(files.len(), 1);
        assert!(!files[0].contents.contains("fn check"), "{}", files[0].contents);
    }

    #[test]
    fn the_example_names_the_crate_as_rust_does() {
        assert!(example("my-client").contents.ends_with("mktows_runtime::soap_example!(my_client);\n"));
    }
}
