//! How the generator's time grows with the WSDL: synthetic WSDLs of 1,000 to 8,000 complex
//! types (each holding the next, one per line, the last the first: a ring, the worst case
//! for deciding boxing) and of 1,000 and 5,000 operations, and the largest WSDL of the
//! corpus. Each figure is the whole path a user runs: parse, plan, render, format.

use std::time::{Duration, Instant};

use mktows_codegen::Options;

const TYPE_COUNTS: [usize; 4] = [1000, 2000, 4000, 8000];
const OPERATION_COUNTS: [usize; 2] = [1000, 5000];

pub fn run(report: fn(&str, f64, &str)) {
    let mut by_types = Vec::new();
    for count in TYPE_COUNTS {
        let time = best_of(3, &wsdl(&ring_of_types(count), &["ping"]));
        report(&format!("generate_{count}_types_ms"), ms(time), "ms");
        by_types.push(time);
    }
    let ratio = by_types[3].as_secs_f64() / by_types[0].as_secs_f64();
    report("generate_8000_vs_1000_types_ratio", ratio, "x (8 is linear)");
    let mut by_operations = Vec::new();
    for count in OPERATION_COUNTS {
        let names: Vec<String> = (0..count).map(|i| format!("op{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let time = best_of(3, &wsdl("", &names));
        report(&format!("generate_{count}_operations_ms"), ms(time), "ms");
        by_operations.push(time);
    }
    let ratio = by_operations[1].as_secs_f64() / by_operations[0].as_secs_f64();
    report("generate_5000_vs_1000_operations_ratio", ratio, "x (5 is linear)");
    let economic = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/wsdl-corpus/savon/economic.wsdl");
    match std::fs::read_to_string(economic) {
        Ok(text) => report("generate_economic_wsdl_ms", ms(best_of(3, &text)), "ms (3,268 types, 1,511 operations)"),
        Err(e) => eprintln!("# {economic}: {e}: skipping its figure"),
    }
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// The fastest of `runs` generations of `text` (the least disturbed by the machine).
fn best_of(runs: usize, text: &str) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let wsdl = mktows_wsdl::parse(text, "bench.wsdl").expect("the bench WSDL parses");
            let generated = mktows_codegen::generate_with_report(&wsdl, &Options::default()).expect("it generates");
            std::hint::black_box(generated);
            start.elapsed()
        })
        .min()
        .expect("at least one run")
}

fn ring_of_types(count: usize) -> String {
    (0..count)
        .map(|i| {
            format!(
                "<xs:complexType name=\"T{i}\"><xs:sequence><xs:element name=\"a\" type=\"xs:string\"/>\
                 <xs:element name=\"n\" type=\"t:T{}\" minOccurs=\"0\"/></xs:sequence></xs:complexType>\n",
                (i + 1) % count
            )
        })
        .collect()
}

/// A document/literal WSDL with `types` and one operation per name, each taking and
/// returning a string element.
fn wsdl(types: &str, operations: &[&str]) -> String {
    let mut elements = String::new();
    let (mut messages, mut port, mut binding) = (String::new(), String::new(), String::new());
    for op in operations {
        elements.push_str(&format!(
            "<xs:element name=\"{op}Req\" type=\"xs:string\"/><xs:element name=\"{op}Resp\" type=\"xs:string\"/>\n"
        ));
        messages.push_str(&format!(
            "<wsdl:message name=\"{op}In\"><wsdl:part name=\"p\" element=\"t:{op}Req\"/></wsdl:message>\
             <wsdl:message name=\"{op}Out\"><wsdl:part name=\"p\" element=\"t:{op}Resp\"/></wsdl:message>\n"
        ));
        port.push_str(&format!(
            "<wsdl:operation name=\"{op}\"><wsdl:input message=\"t:{op}In\"/><wsdl:output message=\"t:{op}Out\"/></wsdl:operation>\n"
        ));
        binding.push_str(&format!(
            "<wsdl:operation name=\"{op}\"><soap:operation soapAction=\"{op}\"/><wsdl:input><soap:body use=\"literal\"/></wsdl:input>\
             <wsdl:output><soap:body use=\"literal\"/></wsdl:output></wsdl:operation>\n"
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
<wsdl:types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
{elements}{types}</xs:schema></wsdl:types>
{messages}<wsdl:portType name="P">{port}</wsdl:portType>
<wsdl:binding name="B" type="t:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>{binding}</wsdl:binding>
<wsdl:service name="S"><wsdl:port name="p" binding="t:B"><soap:address location="http://localhost/"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#
    )
}
