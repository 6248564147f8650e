//! One small WSDL per feature, and one per kind of failure.

use super::*;

const TNS: &str = "urn:test";

/// A complete WSDL around `schema_body`, with one operation `echo` from element `req` to
/// element `res` unless `operations` replaces the messages, port type and binding.
fn wsdl_with(schema_body: &str, operations: Option<&str>) -> String {
    let default_ops = r#"
  <wsdl:message name="EchoRequest"><wsdl:part name="body" element="tns:req"/></wsdl:message>
  <wsdl:message name="EchoResponse"><wsdl:part name="body" element="tns:res"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="echo">
      <wsdl:documentation>Echoes.</wsdl:documentation>
      <wsdl:input message="tns:EchoRequest"/><wsdl:output message="tns:EchoResponse"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="urn:test/echo"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="EchoService">
    <wsdl:port name="EchoPort" binding="tns:Binding"><soap:address location="https://example.test/echo"/></wsdl:port>
  </wsdl:service>"#;
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{TNS}" targetNamespace="{TNS}" name="test">
  <wsdl:types>
    <xs:schema targetNamespace="{TNS}">
{schema_body}
    </xs:schema>
  </wsdl:types>{}
</wsdl:definitions>"#,
        operations.unwrap_or(default_ops)
    )
}

const MINIMAL_TYPES: &str = r#"
      <xs:complexType name="Req"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Res"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="req" type="tns:Req"/>
      <xs:element name="res" type="tns:Res"/>"#;

fn parse_ok(schema_body: &str) -> Wsdl {
    parse(&wsdl_with(schema_body, None), "test.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(schema_body: &str) -> Error {
    parse(&wsdl_with(schema_body, None), "test.wsdl").expect_err("the WSDL should be rejected")
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect("needle") as u32 + 1
}

#[test]
fn operation_binding_and_service() {
    let wsdl = parse_ok(MINIMAL_TYPES);
    assert_eq!(wsdl.name.as_deref(), Some("test"));
    assert_eq!(wsdl.target_namespace, TNS);
    let [op] = wsdl.operations.as_slice() else { panic!("{:?}", wsdl.operations) };
    assert_eq!(op.name, "echo");
    assert_eq!(op.doc.as_deref(), Some("Echoes."));
    assert_eq!(op.soap_action, "urn:test/echo");
    assert_eq!((op.input_element.as_str(), op.output_element.as_str()), ("req", "res"));
    let service = wsdl.service.unwrap();
    assert_eq!((service.name.as_str(), service.port.as_str()), ("EchoService", "EchoPort"));
    assert_eq!(service.address.as_deref(), Some("https://example.test/echo"));
}

#[test]
fn enumerations_with_documentation() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <!-- Where a lead came from. -->
      <xs:simpleType name="Source">
        <xs:restriction base="xs:string">
          <xs:enumeration value="WEB"/>
          <xs:enumeration value="API"><xs:annotation><xs:documentation>Through this API.</xs:documentation></xs:annotation></xs:enumeration>
        </xs:restriction>
      </xs:simpleType>"#
    ));
    let source = wsdl.schema.simple_type("Source").unwrap();
    assert_eq!(source.base, Builtin::String);
    assert_eq!(source.doc.as_deref(), Some("Where a lead came from."));
    let values: Vec<_> = source.enumeration.iter().map(|v| (v.value.as_str(), v.doc.as_deref())).collect();
    assert_eq!(values, [("WEB", None), ("API", Some("Through this API."))]);
}

#[test]
fn occurrences_nillable_and_builtins() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="Record">
        <xs:sequence>
          <xs:element name="id" type="xs:int" minOccurs="0" maxOccurs="1" nillable="true"/>
          <!-- Must be set with id. -->
          <xs:element name="tags" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
          <xs:element name="pair" type="xs:long" minOccurs="2" maxOccurs="2"/>
          <xs:element name="when" type="xs:dateTime"/>
          <xs:element name="day" type="xs:date"/>
          <xs:element name="ok" type="xs:boolean"/>
          <xs:element name="blob" type="xs:base64Binary"/>
          <xs:element name="big" type="xs:integer"/>
          <xs:element name="ratio" type="xs:double"/>
          <xs:element name="f" type="xs:float"/>
          <xs:element name="any" type="xs:anySimpleType"/>
        </xs:sequence>
      </xs:complexType>"#
    ));
    let record = wsdl.schema.complex_type("Record").unwrap();
    let id = &record.fields[0];
    assert_eq!((id.min_occurs, id.max_occurs, id.nillable), (0, MaxOccurs::Bounded(1), true));
    let tags = &record.fields[1];
    assert_eq!(tags.doc.as_deref(), Some("Must be set with id."));
    assert_eq!((tags.min_occurs, tags.max_occurs, tags.nillable), (0, MaxOccurs::Unbounded, false));
    assert!(tags.is_repeated() && record.fields[2].is_repeated() && !id.is_repeated());
    let types: Vec<_> = record.fields.iter().map(|f| f.type_ref.clone()).collect();
    use Builtin::*;
    let expected = [Int, String, Long, DateTime, Date, Boolean, Base64Binary, Integer, Double, Float, AnySimpleType]
        .map(TypeRef::Builtin);
    assert_eq!(types, expected);
}

#[test]
fn references_resolve_forward_and_backward() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="Outer"><xs:sequence>
        <xs:element name="inner" type="tns:Inner"/>
        <xs:element name="status" type="tns:Status"/>
      </xs:sequence></xs:complexType>
      <xs:complexType name="Inner"><xs:sequence><xs:element name="outer" type="tns:Outer" minOccurs="0"/></xs:sequence></xs:complexType>
      <xs:simpleType name="Status"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>"#
    ));
    let outer = wsdl.schema.complex_type("Outer").unwrap();
    assert_eq!(outer.fields[0].type_ref, TypeRef::Complex("Inner".into()));
    assert_eq!(outer.fields[1].type_ref, TypeRef::Simple("Status".into()));
    assert_eq!(wsdl.schema.complex_type("Inner").unwrap().fields[0].type_ref, TypeRef::Complex("Outer".into()));
}

#[test]
fn abstract_base_with_extensions() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="Selector" abstract="true"/>
      <xs:complexType name="ByKey"><xs:complexContent><xs:extension base="tns:Selector">
        <xs:sequence><xs:element name="key" type="xs:string"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name="ByKeyAndDate"><xs:complexContent><xs:extension base="tns:ByKey">
        <xs:sequence><xs:element name="since" type="xs:dateTime"/></xs:sequence>
      </xs:extension></xs:complexContent></xs:complexType>"#
    ));
    let schema = &wsdl.schema;
    assert!(schema.complex_type("Selector").unwrap().is_abstract);
    let derived: Vec<_> = schema.derived_types("Selector").iter().map(|t| t.name.as_str()).collect();
    assert_eq!(derived, ["ByKey", "ByKeyAndDate"]);
    let fields: Vec<_> =
        schema.all_fields(schema.complex_type("ByKeyAndDate").unwrap()).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["key", "since"]);
}

#[test]
fn soap_headers_resolve_to_elements() {
    let ops = r#"
  <wsdl:message name="Auth"><wsdl:part name="auth" element="tns:auth"/></wsdl:message>
  <wsdl:message name="In"><wsdl:part name="body" element="tns:req"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="body" element="tns:res"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="echo"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="a"/>
      <wsdl:input><soap:header use="literal" part="auth" message="tns:Auth"/><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>"#;
    let types = format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="AuthInfo"><xs:sequence/></xs:complexType><xs:element name="auth" type="tns:AuthInfo"/>"#
    );
    let wsdl = parse(&wsdl_with(&types, Some(ops)), "t.wsdl").unwrap();
    assert_eq!(
        wsdl.operations[0].input_headers,
        [HeaderPart { message: "Auth".into(), part: "auth".into(), element: "auth".into() }]
    );
    assert_eq!(wsdl.service, None);
}

#[test]
fn unsupported_constructs_are_named_with_their_position() {
    let cases = [
        (
            r#"<xs:complexType name="C"><xs:choice><xs:element name="a" type="xs:string"/></xs:choice></xs:complexType>"#,
            "<xs:choice> in complexType `C`",
            "xs:choice",
        ),
        (
            r#"<xs:complexType name="C"><xs:attribute name="a" type="xs:string"/></xs:complexType>"#,
            "<xs:attribute> in complexType `C`",
            "xs:attribute",
        ),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:any/></xs:sequence></xs:complexType>"#,
            "<xs:any> in complexType `C`",
            "xs:any",
        ),
        (
            r#"<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>"#,
            "<xs:maxLength> facet",
            "xs:maxLength",
        ),
        (
            r#"<xs:simpleType name="S"><xs:list itemType="xs:string"/></xs:simpleType>"#,
            "<xs:list> in simpleType `S`",
            "xs:list",
        ),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:element name="d" type="xs:duration"/></xs:sequence></xs:complexType>"#,
            "built-in type `xs:duration`",
            "xs:duration",
        ),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:element ref="tns:req"/></xs:sequence></xs:complexType>"#,
            "element references",
            "ref=",
        ),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:element name="x"><xs:complexType/></xs:element></xs:sequence></xs:complexType>"#,
            "anonymous type of element `x`",
            "<xs:complexType/>",
        ),
        (r#"<xs:import namespace="urn:other"/>"#, "<xs:import> at the top level", "xs:import"),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:element name="x" type="xs:string" maxOccurs="3" nillable="true"/></xs:sequence></xs:complexType>"#,
            "nillable repeated element `x`",
            "name=\"x\"",
        ),
    ];
    for (snippet, expected_message, marker) in cases {
        let text = wsdl_with(&format!("{MINIMAL_TYPES}\n{snippet}"), None);
        let err = parse(&text, "test.wsdl").expect_err(snippet);
        assert!(matches!(err.kind, ErrorKind::Unsupported(_)), "{snippet}: {err}");
        let shown = err.to_string();
        assert!(shown.contains(expected_message), "{shown}");
        let location = err.location.expect("a location");
        assert_eq!(location.line, line_of(&text, marker), "{shown}");
        assert!(shown.starts_with(&format!("test.wsdl:{}:", location.line)), "{shown}");
    }
}

#[test]
fn unknown_references_are_errors() {
    let err = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="x" type="tns:Nope"/></xs:sequence></xs:complexType>"#
    ));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "type", name: "{urn:test}Nope".into() });
    let err = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="x" type="undeclared:T"/></xs:sequence></xs:complexType>"#
    ));
    assert!(err.to_string().contains("prefix `undeclared`"), "{err}");
    let err = parse_err(
        r#"<xs:complexType name="Req"><xs:sequence/></xs:complexType><xs:element name="req" type="tns:Req"/>"#,
    );
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "element", name: "res".into() });
}

#[test]
fn duplicates_and_cycles_are_errors() {
    let err = parse_err(&format!(r#"{MINIMAL_TYPES}<xs:complexType name="Req"><xs:sequence/></xs:complexType>"#));
    assert_eq!(err.kind, ErrorKind::Duplicate { kind: "type", name: "Req".into() });
    let err = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="a" type="xs:int"/><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>"#
    ));
    assert_eq!(err.kind, ErrorKind::Duplicate { kind: "element", name: "C/a".into() });
    let err = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"/></xs:complexContent></xs:complexType>
        <xs:complexType name="B"><xs:complexContent><xs:extension base="tns:A"/></xs:complexContent></xs:complexType>"#
    ));
    assert!(err.to_string().contains("extends itself"), "{err}");
}

#[test]
fn invalid_occurrences_are_errors() {
    for (attrs, message) in [
        ("minOccurs=\"x\"", "`minOccurs=\"x\"` is not a valid count"),
        ("minOccurs=\"2\" maxOccurs=\"1\"", "maxOccurs=1 with minOccurs=2"),
        ("nillable=\"maybe\"", "not a boolean"),
    ] {
        let err = parse_err(&format!(
            r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="a" type="xs:int" {attrs}/></xs:sequence></xs:complexType>"#
        ));
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[test]
fn rpc_and_encoded_bindings_are_rejected() {
    let rpc = wsdl_with(MINIMAL_TYPES, None).replace(r#"style="document""#, r#"style="rpc""#);
    assert!(parse(&rpc, "t").unwrap_err().to_string().contains("style=\"rpc\""));
    let encoded = wsdl_with(MINIMAL_TYPES, None).replacen(r#"use="literal""#, r#"use="encoded""#, 1);
    assert!(parse(&encoded, "t").unwrap_err().to_string().contains("use=\"encoded\""));
    let typed_part = wsdl_with(MINIMAL_TYPES, None).replace(r#"element="tns:req""#, r#"type="tns:Req""#);
    assert!(parse(&typed_part, "t").unwrap_err().to_string().contains("RPC style"));
}

#[test]
fn malformed_xml_and_wrong_root_are_located() {
    let err = parse(
        "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\">\n  <oops>\n</wsdl:definitions>",
        "bad.wsdl",
    )
    .unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Xml(_)), "{err}");
    assert_eq!(err.location.map(|l| l.line), Some(3), "{err}");
    assert!(err.to_string().starts_with("bad.wsdl:3:"), "{err}");
    let err = parse("<definitions/>", "x.wsdl").unwrap_err();
    assert!(err.to_string().contains("not <wsdl:definitions>"), "{err}");
    assert!(parse("", "empty.wsdl").is_err());
}
