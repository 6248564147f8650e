//! Seeded mutation of Marketo's examples, decoded as every operation's response and request
//! type: no panic, and either an error or a value that writes back and reads back the same.
//! `MKTOWS_FUZZ_ITERATIONS=1000000 cargo test -p mktows --release --test fuzz` runs longer.

#[path = "../../runtime/tests/support/mutate.rs"]
mod mutate;

use mktows::operations::{self, OperationVisitor};
use mktows::runtime::server::{decode_body, read_request};
use mktows::runtime::soap::{decode_response, encode_request, encode_response};
use mktows::runtime::Operation;
use mktows::NAMESPACE;

/// The examples of one operation: its response (and the authentication fault), or its
/// request.
fn seeds(operation: &str, file: &str) -> Vec<(String, Vec<u8>)> {
    let dir = operation.to_ascii_lowercase();
    let mut seeds: Vec<_> =
        mutate::examples(file).into_iter().filter(|(path, _)| path.contains(&format!("/{dir}/"))).collect();
    if file == "response.xml" {
        seeds.extend(mutate::examples("invalid-credentials.xml"));
    }
    assert!(!seeds.is_empty(), "no {file} example for {operation}");
    seeds
}

/// `write` must succeed on a decoded value (the reader lets no character through that the
/// writer refuses); reading that back and writing it again gives the same bytes.
fn assert_round_trip<T>(value: &T, write: impl Fn(&T) -> Vec<u8>, read: impl Fn(&[u8]) -> Result<T, String>) {
    let first = write(value);
    let again = read(&first).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&first)));
    assert_eq!(String::from_utf8_lossy(&write(&again)), String::from_utf8_lossy(&first));
}

struct Responses(usize);

impl OperationVisitor for Responses {
    type Output = usize;
    fn visit<Op: Operation>(self) -> usize {
        let mut decoded = 0;
        mutate::run(&seeds(Op::NAME, "response.xml"), self.0, |_, input| {
            match decode_response::<Op::Output>(input, Op::OUTPUT_ELEMENT) {
                Ok(Ok(value)) => {
                    decoded += 1;
                    assert_round_trip(&value, write_response::<Op>, |bytes| {
                        decode_response::<Op::Output>(bytes, Op::OUTPUT_ELEMENT)
                            .map_err(|e| e.to_string())?
                            .map_err(|f| f.to_string())
                    });
                }
                Ok(Err(fault)) => {
                    let again = decode_response::<Op::Output>(&fault.to_envelope(), Op::OUTPUT_ELEMENT);
                    assert_eq!(again.unwrap().err(), Some(fault));
                }
                Err(_) => {}
            }
        });
        decoded
    }
}

fn write_response<Op: Operation>(value: &Op::Output) -> Vec<u8> {
    encode_response(NAMESPACE, Op::OUTPUT_ELEMENT, value).expect("a decoded value can be written")
}

struct Requests(usize);

impl OperationVisitor for Requests {
    type Output = usize;
    fn visit<Op: Operation>(self) -> usize {
        let mut decoded = 0;
        mutate::run(&seeds(Op::NAME, "request.xml"), self.0, |_, input| {
            if let Ok(context) = read_request(input) {
                let _ = mktows::marketo::server::authenticate(&context);
            }
            if let Ok(value) = decode_body::<Op::Input>(input, Op::INPUT_ELEMENT) {
                decoded += 1;
                assert_round_trip(&value, write_request::<Op>, |bytes| {
                    decode_body::<Op::Input>(bytes, Op::INPUT_ELEMENT).map_err(|e| e.to_string())
                });
            }
        });
        decoded
    }
}

fn write_request<Op: Operation>(value: &Op::Input) -> Vec<u8> {
    encode_request(NAMESPACE, &[], Op::INPUT_ELEMENT, value).expect("a decoded value can be written")
}

/// Every operation of the crate, through `operations::visit`.
fn for_every_operation<V: OperationVisitor<Output = usize>>(
    visitor: impl Fn(usize) -> V,
    total: usize,
) -> Vec<(&'static str, usize)> {
    let each = total.div_ceil(operations::ALL.len());
    operations::ALL
        .iter()
        .map(|op| (op.name, operations::visit(op.name, visitor(each)).expect("a known operation")))
        .collect()
}

#[test]
fn every_response_type_survives_mutated_examples() {
    let decoded = for_every_operation(Responses, mutate::iterations(20_000));
    eprintln!("responses decoded without error, by operation: {decoded:?}");
    assert!(decoded.iter().filter(|(_, n)| *n > 0).count() > operations::ALL.len() / 2, "{decoded:?}");
}

#[test]
fn every_request_type_survives_mutated_examples() {
    let decoded = for_every_operation(Requests, mutate::iterations(20_000));
    eprintln!("requests decoded without error, by operation: {decoded:?}");
    assert!(decoded.iter().filter(|(_, n)| *n > 0).count() > operations::ALL.len() / 2, "{decoded:?}");
}
