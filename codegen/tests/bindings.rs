//! Which binding and operations a WSDL's messages and bindings lead to: SOAP 1.1 or 1.2,
//! what is left out (operations the service starts) and why, with where.

use mktows_codegen::{generate_module, generate_with, left_out, Options};

/// The crate docs of the generated `src/lib.rs` (the one-module form has none).
fn lib_docs(model: &mktows_wsdl::Wsdl, options: &Options) -> String {
    let files = generate_with(model, options).unwrap();
    files.into_iter().find(|f| f.path == "src/lib.rs").unwrap().contents
}

/// A WSDL of one port type `Port` with the operation `op`, the messages `messages`, and
/// the bindings `bindings` (their `wsdl:binding` elements) and ports `ports`.
fn wsdl(messages: &str, port_type_op: &str, bindings: &str, ports: &str) -> mktows_wsdl::Wsdl {
    let text = format!(
        r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:b" targetNamespace="urn:b">
  <wsdl:types><xs:schema targetNamespace="urn:b"><xs:element name="e" type="xs:string"/></xs:schema></wsdl:types>
  {messages}
  <wsdl:portType name="Port">{port_type_op}</wsdl:portType>
  {bindings}
  <wsdl:service name="S">{ports}</wsdl:service>
</wsdl:definitions>"#
    );
    mktows_wsdl::parse(&text, "b.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

const ELEMENT_MESSAGES: &str = r#"<wsdl:message name="M"><wsdl:part name="p" element="tns:e"/></wsdl:message>"#;
const REQUEST_RESPONSE: &str =
    r#"<wsdl:operation name="op"><wsdl:input message="tns:M"/><wsdl:output message="tns:M"/></wsdl:operation>"#;

fn binding(name: &str, prefix: &str, style: &str, body: &str) -> String {
    format!(
        r#"<wsdl:binding name="{name}" type="tns:Port"><{prefix}:binding style="{style}" transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="op"><{prefix}:operation soapAction="urn:op"/>
        <wsdl:input><{prefix}:body {body}/></wsdl:input><wsdl:output><{prefix}:body {body}/></wsdl:output></wsdl:operation></wsdl:binding>"#
    )
}

#[test]
fn soap11_is_spoken_when_there_is_one_and_12_when_asked_or_alone() {
    let both = wsdl(
        ELEMENT_MESSAGES,
        REQUEST_RESPONSE,
        &(binding("B12", "soap12", "document", r#"use="literal""#)
            + &binding("B11", "soap", "document", r#"use="literal""#)),
        r#"<wsdl:port name="P12" binding="tns:B12"><soap12:address location="http://h/12"/></wsdl:port>
           <wsdl:port name="P11" binding="tns:B11"><soap:address location="http://h/11"/></wsdl:port>"#,
    );
    let default = generate_module(&both, &Options::default()).unwrap();
    assert!(!default.contains("SoapVersion::Soap12"), "{default}");
    assert!(default.contains(r#"WSDL_ENDPOINT: &'static str = "http://h/11""#), "{default}");
    let docs = lib_docs(&both, &Options::default());
    assert!(
        docs.contains("binding `B11` (SOAP 1.1), port `P11` of service `S`, one of the WSDL's 2 SOAP bindings"),
        "{docs}"
    );
    let preferred = generate_module(&both, &Options { prefer_soap12: true, ..Options::default() }).unwrap();
    assert!(preferred.contains("const SOAP_VERSION: SoapVersion = SoapVersion::Soap12;"), "{preferred}");
    assert!(preferred.contains(r#"WSDL_ENDPOINT: &'static str = "http://h/12""#), "{preferred}");
    let docs = lib_docs(&both, &Options { prefer_soap12: true, ..Options::default() });
    assert!(docs.contains("binding `B12` (SOAP 1.2)"), "{docs}");

    let only_12 = wsdl(
        ELEMENT_MESSAGES,
        REQUEST_RESPONSE,
        &binding("B12", "soap12", "document", r#"use="literal""#),
        r#"<wsdl:port name="P12" binding="tns:B12"><soap12:address location="http://h/12"/></wsdl:port>"#,
    );
    let code = generate_module(&only_12, &Options::default()).unwrap();
    assert!(code.contains("SoapVersion::Soap12"), "{code}");
    // One SOAP binding: nothing to say about which.
    let chosen = mktows_codegen::chosen_binding(&only_12, &Options::default()).unwrap();
    assert_eq!((chosen.name.local.as_str(), chosen.operations.len()), ("B12", 1));
    let docs = lib_docs(&only_12, &Options::default());
    assert!(!docs.contains("SOAP bindings;"), "{docs}");
}

#[test]
fn soap_encoded_operations_are_generated_with_the_encodings_types_read_as_built_ins() {
    // data_exchange.wsdl (savon's fixtures, Axis 1.4) types its parts with soapenc:string,
    // which no schema in the file defines.
    let soapenc = r#"<wsdl:message name="M"><wsdl:part name="in0" type="soapenc:string"/></wsdl:message>"#;
    let xsd = r#"<wsdl:message name="M"><wsdl:part name="in0" type="xs:string"/></wsdl:message>"#;
    let body = r#"use="encoded" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" namespace="urn:b""#;
    for messages in [soapenc, xsd] {
        let model = wsdl(messages, REQUEST_RESPONSE, &binding("B", "soap", "rpc", body), "");
        assert_eq!(left_out(&model, &Options::default()).unwrap(), Vec::<String>::new());
        let code = generate_module(&model, &Options::default()).unwrap();
        assert!(code.contains("pub in0: String,"), "{code}");
        assert!(code.contains("const ENCODED: bool = true;"), "{code}");
    }
    // A literal operation resolves no references.
    let literal = wsdl(xsd, REQUEST_RESPONSE, &binding("B", "soap", "rpc", r#"use="literal""#), "");
    let code = generate_module(&literal, &Options::default()).unwrap();
    assert!(!code.contains("ENCODED"), "{code}");
}

#[test]
fn operations_the_service_starts_are_left_out_and_the_rest_kept() {
    let ops = format!(
        r#"{REQUEST_RESPONSE}
        <wsdl:operation name="notify"><wsdl:output message="tns:M"/></wsdl:operation>
        <wsdl:operation name="solicit"><wsdl:output message="tns:M"/><wsdl:input message="tns:M"/></wsdl:operation>"#
    );
    let binding = r#"<wsdl:binding name="B" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="op"><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
        <wsdl:operation name="notify"><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
        <wsdl:operation name="solicit"><wsdl:output><soap:body use="literal"/></wsdl:output><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
        </wsdl:binding>"#;
    let model = wsdl(ELEMENT_MESSAGES, &ops, binding, "");
    let left = left_out(&model, &Options::default()).unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        left[0].starts_with("operation `notify`: b.wsdl:") && left[0].contains("a notification operation"),
        "{left:?}"
    );
    assert!(left[1].starts_with("operation `solicit`: b.wsdl:") && left[1].contains("a solicit-response operation"));
    let code = generate_module(&model, &Options::default()).unwrap();
    assert!(code.contains("pub struct Op;"), "{code}");
}

#[test]
fn of_operations_whose_requests_look_alike_dispatch_reaches_the_first() {
    let messages =
        r#"<wsdl:message name="Empty"/><wsdl:message name="M"><wsdl:part name="p" element="tns:e"/></wsdl:message>"#;
    let ops = r#"<wsdl:operation name="first"><wsdl:input message="tns:Empty"/><wsdl:output message="tns:M"/></wsdl:operation>
        <wsdl:operation name="second"><wsdl:input message="tns:Empty"/><wsdl:output message="tns:M"/></wsdl:operation>"#;
    let bound = |name: &str| {
        format!(
            r#"<wsdl:operation name="{name}"><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>"#
        )
    };
    let binding = format!(
        r#"<wsdl:binding name="B" type="tns:Port"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>{}{}</wsdl:binding>"#,
        bound("first"),
        bound("second")
    );
    let code = generate_module(&wsdl(messages, ops, &binding, ""), &Options::default()).unwrap();
    assert_eq!(code.matches("\"\" => {").count(), 1, "{code}");
    assert!(code.contains("never calls this: its requests start like those of `first`"), "{code}");
    // Both clients methods exist and take no body argument.
    assert!(code.contains("pub async fn first(&self)") && code.contains("pub async fn second(&self)"), "{code}");
}
