//! The sample instances `mktows_codegen::operation_samples` writes for each construct's
//! fixture read with the fixture's compiled types, and survive a round trip (value -> XML ->
//! value, equal, no element or attribute dropped): so the samples are instances the
//! generated code accepts, and they exercise what the construct adds.

use mktows_codegen::{operation_samples, OperationSample, Options};
use mktows_runtime::codegen::Operation;
use mktows_runtime::round_trip;

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[allow(dead_code, unused_imports)]
            mod $name {
                include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/", stringify!($name), "/expected.rs"));
            }
        )*
        mod round_trip_of_the_sample {
            $(
                #[test]
                fn $name() {
                    let sample = super::sample(stringify!($name));
                    super::check::<super::$name::operations::Run>(super::$name::NAMESPACE, &sample);
                }
            )*
        }
    };
}

// Each fixture's WSDL has the one operation `run`.
fixtures! {
    all, anonymous, any, attributes, builtins, choice, complex_restriction, concrete_base, enumeration,
    headers, large_family, multi_namespace, nillable_repeated, occurrence, polymorphism, qualified, recursion,
    reserved_names, shared_names, simple_content, substitution,
}

fn sample(feature: &str) -> OperationSample {
    let path = format!("{}/tests/features/{feature}/service.wsdl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let wsdl = mktows_wsdl::parse(&text, "service.wsdl").unwrap();
    let mut samples = operation_samples(&wsdl, &Options::default()).unwrap();
    assert_eq!(samples.len(), 1, "{feature}: one operation");
    samples.pop().unwrap()
}

fn check<Op>(namespace: &str, sample: &OperationSample)
where
    Op: Operation<Input: PartialEq + std::fmt::Debug, Output: PartialEq + std::fmt::Debug>,
{
    assert_eq!(sample.operation, Op::NAME);
    round_trip::request::<Op>(namespace, sample.request.as_bytes())
        .unwrap_or_else(|e| panic!("{}: request: {e}\n{}", Op::NAME, sample.request));
    round_trip::response::<Op>(namespace, sample.response.as_bytes())
        .unwrap_or_else(|e| panic!("{}: response: {e}\n{}", Op::NAME, sample.response));
}

/// How often `needle` occurs in the request sample of the feature.
fn count(feature: &str, needle: &str) -> usize {
    sample(feature).request.matches(needle).count()
}

#[test]
fn polymorphic_elements_take_each_known_type_in_turn() {
    let request = sample("polymorphism").request;
    let wsdl =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/polymorphism/service.wsdl"))
            .unwrap();
    // Every concrete extension named in the schema appears as an xsi:type of the sample.
    let extensions: Vec<&str> = wsdl
        .split("<xs:complexType name=\"")
        .skip(1)
        .filter(|rest| rest.split("</xs:complexType>").next().is_some_and(|body| body.contains("<xs:extension")))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(!extensions.is_empty(), "the fixture has extensions");
    for extension in extensions {
        assert!(request.contains(&format!("xsi:type=\"st:{extension}\"")), "{extension} missing:\n{request}");
    }
}

#[test]
fn repeated_elements_occur_twice_the_second_nil_when_nillable_and_recursion_ends() {
    assert_eq!(count("occurrence", "<many "), 2);
    assert_eq!(count("occurrence", "<optional "), 1);
    let names = sample("nillable_repeated").request;
    assert_eq!(names.matches("<name ").count(), 2, "{names}");
    assert_eq!(names.matches("xsi:nil=\"true\"").count(), 1, "{names}");
    // `next` is optional: a node holds a node, which holds none.
    assert_eq!(count("recursion", "<next "), 1);
    assert!(sample("recursion").left_out.is_empty());
}

/// Attributes, simple content and substitution members are in the samples, not skipped.
#[test]
fn samples_carry_attributes_text_and_substitution_members() {
    assert!(count("attributes", "retryPossible=\"") >= 1, "{}", sample("attributes").request);
    let text = sample("simple_content");
    assert!(
        text.left_out.is_empty() || !text.left_out.iter().any(|l| l.contains("attributes of")),
        "{:?}",
        text.left_out
    );
    let drawing = sample("substitution").request;
    assert!(drawing.contains("<circle") || drawing.contains("<label"), "{drawing}");
}

/// A repeated choice writes each alternative once; a choice that occurs once takes the next
/// alternative each time its type is written (the request, then the response).
#[test]
fn choices_take_their_alternatives_in_turn() {
    let person = sample("choice");
    for alternative in ["<moved ", "<renamed ", "<note "] {
        assert_eq!(person.request.matches(alternative).count(), 1, "{alternative}: {}", person.request);
    }
    assert!(person.request.contains("<fullName ") && !person.request.contains("<firstName "), "{}", person.request);
    assert!(person.response.contains("<firstName ") && !person.response.contains("<fullName "), "{}", person.response);
    assert!(person.request.contains("<email ") && person.response.contains("<phone "), "{person:?}");
    // The nested choice (lastName or familyNames) is written once only: the report says so.
    assert_eq!(person.left_out, ["the other branches of a choice in type `Person`"]);
}
