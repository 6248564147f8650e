//! One small WSDL per feature, and one per kind of failure.

use super::*;

const TNS: &str = "urn:test";
const OTHER: &str = "urn:other";
const HTTP: &str = "http://schemas.xmlsoap.org/wsdl/http/";

/// The operations of [`wsdl_with`] unless a test replaces them: one operation `echo` from
/// element `req` to element `res`, a SOAP 1.1 binding and a service.
const DEFAULT_OPS: &str = r#"
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

/// A complete WSDL whose `wsdl:types` holds `types` (one or more `xs:schema`s), with
/// `operations` (messages, port types, bindings, services) or [`DEFAULT_OPS`].
fn wsdl_with_types(types: &str, operations: Option<&str>) -> String {
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="{HTTP}"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{TNS}" targetNamespace="{TNS}" name="test">
  <wsdl:types>
{types}
  </wsdl:types>{}
</wsdl:definitions>"#,
        operations.unwrap_or(DEFAULT_OPS)
    )
}

/// A complete WSDL around `schema_body`, one schema in the target namespace.
fn wsdl_with(schema_body: &str, operations: Option<&str>) -> String {
    wsdl_with_types(&format!("    <xs:schema targetNamespace=\"{TNS}\">\n{schema_body}\n    </xs:schema>"), operations)
}

const MINIMAL_TYPES: &str = r#"
      <xs:complexType name="Req"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:complexType name="Res"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="req" type="tns:Req"/>
      <xs:element name="res" type="tns:Res"/>"#;

fn parse_ok(schema_body: &str) -> Wsdl {
    parse(&wsdl_with(schema_body, None), "test.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn parse_text(text: &str) -> Wsdl {
    parse(text, "test.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(schema_body: &str) -> Error {
    broken(parse(&wsdl_with(schema_body, None), "test.wsdl"))
}

/// The error of a WSDL that cannot be read, or of its first operation that cannot be used.
fn broken(result: Result<Wsdl, Error>) -> Error {
    match result {
        Err(error) => error,
        Ok(wsdl) => match wsdl.bindings.iter().flat_map(|b| &b.unusable).next() {
            Some(unusable) => unusable.error.clone(),
            None => panic!("the WSDL should be rejected, or one of its operations"),
        },
    }
}

fn q(local: &str) -> QName {
    QName::new(TNS, local)
}

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} not in the text")) as u32 + 1
}

/// The 1-based line and column where `needle` first starts in `text` (ASCII text).
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let line = line_of(text, needle);
    let column = text.lines().nth(line as usize - 1).unwrap().find(needle).unwrap() as u32 + 1;
    (line, column)
}

fn complex<'w>(wsdl: &'w Wsdl, name: &QName) -> &'w ComplexType {
    wsdl.schema.complex_type(name).unwrap_or_else(|| panic!("no complexType {name}"))
}

/// The operations of the binding a SOAP 1.1 client uses.
fn soap11_operations(wsdl: &Wsdl) -> &[Operation] {
    &wsdl.default_binding(&Protocol::Soap11).expect("a SOAP 1.1 binding").binding.operations
}

/// The element of the single `element=` part in the body of `message`.
fn body_element(message: &OperationMessage) -> &QName {
    match message.body.as_slice() {
        [Part { content: PartContent::Element(element), .. }] => element,
        other => panic!("not one element part: {other:?}"),
    }
}

#[test]
fn operation_binding_and_service() {
    let wsdl = parse_ok(MINIMAL_TYPES);
    assert_eq!(wsdl.name.as_deref(), Some("test"));
    assert_eq!(wsdl.target_namespace, TNS);
    assert_eq!(wsdl.documents, ["test.wsdl"]);
    let [binding] = wsdl.bindings.as_slice() else { panic!("{:?}", wsdl.bindings) };
    assert_eq!((&binding.name, &binding.port_type), (&q("Binding"), &q("Port")));
    assert_eq!((&binding.protocol, binding.style), (&Protocol::Soap11, Style::Document));
    let [op] = soap11_operations(&wsdl) else { panic!("{:?}", wsdl.bindings) };
    assert_eq!(op.name, "echo");
    assert_eq!(op.doc.as_deref(), Some("Echoes."));
    assert_eq!(op.soap_action, "urn:test/echo");
    assert_eq!(op.style, Style::Document);
    let output = op.output.as_ref().expect("an output");
    assert_eq!((body_element(&op.input), body_element(output)), (&q("req"), &q("res")));
    assert_eq!((&op.input.message, &output.message), (&q("EchoRequest"), &q("EchoResponse")));
    assert_eq!((op.input.body_use, op.input.namespace.as_deref()), (Use::Literal, None));
    assert!(op.input.headers.is_empty() && op.faults.is_empty());
    let [service] = wsdl.services.as_slice() else { panic!("{:?}", wsdl.services) };
    let [port] = service.ports.as_slice() else { panic!("{:?}", service.ports) };
    assert_eq!((service.name.as_str(), port.name.as_str()), ("EchoService", "EchoPort"));
    assert_eq!(port.binding, q("Binding"));
    assert_eq!(port.address.as_deref(), Some("https://example.test/echo"));
    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    assert_eq!(choice.port.map(|p| p.name.as_str()), Some("EchoPort"));
    assert_eq!(choice.service.map(|s| s.name.as_str()), Some("EchoService"));
    assert!(wsdl.default_binding(&Protocol::Soap12).is_none());
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
    let source = wsdl.schema.simple_type(&q("Source")).unwrap();
    assert_eq!(source.base, Builtin::String);
    assert!(!source.anonymous);
    assert_eq!(source.doc.as_deref(), Some("Where a lead came from."));
    let values: Vec<_> = source.enumeration.iter().map(|v| (v.value.as_str(), v.doc.as_deref())).collect();
    assert_eq!(values, [("WEB", None), ("API", Some("Through this API."))]);
    // Lookups are by qualified name: the same local name in no namespace is another type.
    assert!(wsdl.schema.simple_type(&QName::new("", "Source")).is_none());
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
    let record = complex(&wsdl, &q("Record"));
    assert!(record.is_plain_sequence());
    let fields = record.fields();
    let id = fields[0];
    assert_eq!((id.min_occurs, id.max_occurs, id.nillable), (0, MaxOccurs::Bounded(1), true));
    // Unqualified local elements (no elementFormDefault) have no namespace.
    assert_eq!((id.namespace.as_deref(), id.reference.as_ref()), (None, None));
    let tags = fields[1];
    assert_eq!(tags.doc.as_deref(), Some("Must be set with id."));
    assert_eq!((tags.min_occurs, tags.max_occurs, tags.nillable), (0, MaxOccurs::Unbounded, false));
    assert!(tags.is_repeated() && fields[2].is_repeated() && !id.is_repeated());
    let types: Vec<_> = fields.iter().map(|f| f.type_ref.clone()).collect();
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
    let outer = complex(&wsdl, &q("Outer")).fields();
    assert_eq!(outer[0].type_ref, TypeRef::Complex(q("Inner")));
    assert_eq!(outer[1].type_ref, TypeRef::Simple(q("Status")));
    assert_eq!(complex(&wsdl, &q("Inner")).fields()[0].type_ref, TypeRef::Complex(q("Outer")));
    assert_eq!(wsdl.schema.element(&q("req")).unwrap().type_ref, TypeRef::Complex(q("Req")));
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
    let selector = complex(&wsdl, &q("Selector"));
    assert!(selector.is_abstract && selector.particle.is_none());
    let derived: Vec<_> = schema.derived_types(&q("Selector")).iter().map(|t| t.name.local.as_str()).collect();
    assert_eq!(derived, ["ByKey", "ByKeyAndDate"]);
    let by_key_and_date = complex(&wsdl, &q("ByKeyAndDate"));
    assert_eq!(by_key_and_date.base, Some(q("ByKey")));
    // The type's own particle holds only what the extension adds.
    let own: Vec<_> = by_key_and_date.fields().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(own, ["since"]);
    let fields: Vec<_> = schema.all_fields(by_key_and_date).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["key", "since"]);
    let lineage: Vec<_> = schema.lineage(by_key_and_date).iter().map(|t| t.name.local.as_str()).collect();
    assert_eq!(lineage, ["Selector", "ByKey", "ByKeyAndDate"]);
}

#[test]
fn substitution_groups_are_recorded_with_their_members() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:element name="shape" type="xs:string" abstract="true"/>
      <xs:element name="circle" type="xs:int" substitutionGroup="tns:shape"/>
      <xs:element name="polygon" type="xs:string" substitutionGroup="tns:shape"/>
      <xs:element name="square" type="xs:int" substitutionGroup="tns:polygon"/>
      <xs:element name="other" type="xs:int"/>"#
    ));
    let schema = &wsdl.schema;
    let shape = schema.element(&q("shape")).unwrap();
    assert!(shape.is_abstract && shape.substitution_group.is_none());
    assert_eq!(schema.element(&q("square")).unwrap().substitution_group, Some(q("polygon")));
    let members: Vec<_> = schema.substitutes(&q("shape")).iter().map(|e| e.name.local.as_str()).collect();
    // Transitive, in document order.
    assert_eq!(members, ["circle", "polygon", "square"]);
    assert!(schema.substitutes(&q("other")).is_empty());
}

#[test]
fn soap_headers_resolve_to_elements() {
    let ops = r#"
  <wsdl:message name="Auth"><wsdl:part name="auth" element="tns:auth"/></wsdl:message>
  <wsdl:message name="In"><wsdl:part name="body" element="tns:req"/><wsdl:part name="trace" element="tns:auth"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="body" element="tns:res"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="echo"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="a"/>
      <wsdl:input>
        <soap:header use="literal" part="auth" message="tns:Auth"/>
        <soap:header use="literal" part="trace" message="tns:In"/>
        <soap:body use="literal"/>
      </wsdl:input>
      <wsdl:output><soap:body use="literal"/><soap:header use="literal" part="auth" message="tns:Auth"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>"#;
    let types = format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="AuthInfo"><xs:sequence/></xs:complexType><xs:element name="auth" type="tns:AuthInfo"/>"#
    );
    let text = wsdl_with(&types, Some(ops));
    let wsdl = parse(&text, "t.wsdl").unwrap();
    let op = &soap11_operations(&wsdl)[0];
    let headers: Vec<_> =
        op.input.headers.iter().map(|h| (&h.message, h.part.as_str(), &h.content, h.header_use)).collect();
    let auth = PartContent::Element(q("auth"));
    assert_eq!(headers, [(&q("Auth"), "auth", &auth, Use::Literal), (&q("In"), "trace", &auth, Use::Literal)]);
    assert_eq!(op.input.headers[0].location.line, line_of(&text, r#"part="auth" message="tns:Auth"/>"#));
    // A part of the input message bound as a header is not in the body.
    assert_eq!(body_element(&op.input), &q("req"));
    let output = op.output.as_ref().unwrap();
    let output_headers: Vec<_> = output.headers.iter().map(|h| (&h.message, h.part.as_str(), &h.content)).collect();
    assert_eq!(output_headers, [(&q("Auth"), "auth", &auth)]);
    assert_eq!(body_element(output), &q("res"));
    assert!(wsdl.services.is_empty());
    // Without a service the binding is still the default, reached through no port.
    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    assert_eq!(choice.binding.name, q("Binding"));
    assert!(choice.port.is_none() && choice.service.is_none());
}

#[test]
fn unsupported_constructs_are_named_with_their_position() {
    let cases = [
        (
            r#"<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:assertion test="1"/></xs:restriction></xs:simpleType>"#,
            "<xs:assertion> facet in simpleType `S`",
            "xs:assertion",
        ),
        (
            r#"<xs:complexType name="C"><xs:sequence><xs:element name="d" type="xs:nonsense"/></xs:sequence></xs:complexType>"#,
            "built-in type `xs:nonsense`",
            "xs:nonsense",
        ),
        (
            r#"<xs:redefine schemaLocation="other.xsd"/>"#,
            "<xs:redefine> at the top level of a schema",
            "xs:redefine",
        ),
        (
            "<xs:complexType name=\"C\"><xs:simpleContent><xs:extension base=\"xs:string\">\n  <xs:all/>\n</xs:extension></xs:simpleContent></xs:complexType>",
            "<xs:all> in simpleContent in complexType `C`",
            "xs:all",
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
        assert_eq!(location.document, 0, "{shown}");
        assert!(shown.starts_with(&format!("test.wsdl:{}:", location.line)), "{shown}");
    }
}

/// The constructs the parser once refused are now in the model, where they were written.
#[test]
fn choice_attribute_any_ref_anonymous_import_and_nillable_repeated_are_recorded() {
    let parse_case = |snippet: &str| {
        let text = wsdl_with(&format!("{MINIMAL_TYPES}\n{snippet}"), None);
        (parse_text(&text), text)
    };

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\">\n  <xs:choice minOccurs=\"0\">\n    <xs:element name=\"a\" type=\"xs:string\"/>\n  </xs:choice>\n</xs:complexType>",
    );
    let c = complex(&wsdl, &q("C"));
    let group = c.particle.as_ref().expect("a particle");
    assert_eq!((group.kind, group.min_occurs, group.max_occurs), (GroupKind::Choice, 0, MaxOccurs::Bounded(1)));
    let (line, column) = position_of(&text, "<xs:choice");
    assert_eq!((group.location.line, group.location.column), (line, column));
    let [Particle::Element(a)] = group.particles.as_slice() else { panic!("{:?}", group.particles) };
    assert_eq!((a.name.as_str(), &a.type_ref), ("a", &TypeRef::Builtin(Builtin::String)));
    assert_eq!(a.location.line, line_of(&text, "name=\"a\""));
    assert_eq!(c.fields(), [a]);
    assert!(!c.is_plain_sequence());

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\">\n  <xs:attribute name=\"a\" type=\"xs:string\" use=\"required\" default=\"x\"/>\n</xs:complexType>",
    );
    let c = complex(&wsdl, &q("C"));
    let [attribute] = c.attributes.as_slice() else { panic!("{:?}", c.attributes) };
    assert_eq!((attribute.name.as_str(), &attribute.type_ref), ("a", &TypeRef::Builtin(Builtin::String)));
    assert_eq!(
        (attribute.required, attribute.default.as_deref(), attribute.namespace.as_deref()),
        (true, Some("x"), None)
    );
    assert_eq!(attribute.location.line, line_of(&text, "xs:attribute"));
    assert!(c.particle.is_none() && !c.is_plain_sequence());

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\"><xs:sequence>\n  <xs:any namespace=\"##other\" processContents=\"lax\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\n</xs:sequence></xs:complexType>",
    );
    let c = complex(&wsdl, &q("C"));
    let group = c.particle.as_ref().unwrap();
    assert_eq!(group.kind, GroupKind::Sequence);
    let [Particle::Any(any)] = group.particles.as_slice() else { panic!("{:?}", group.particles) };
    assert_eq!((any.namespace.as_str(), any.process_contents.as_str()), ("##other", "lax"));
    assert_eq!((any.min_occurs, any.max_occurs), (0, MaxOccurs::Unbounded));
    assert_eq!(any.location.line, line_of(&text, "xs:any "));
    assert!(c.fields().is_empty() && !c.is_plain_sequence());
    let (wsdl, _) = parse_case(r#"<xs:complexType name="C"><xs:sequence><xs:any/></xs:sequence></xs:complexType>"#);
    let Some(Particle::Any(any)) = complex(&wsdl, &q("C")).particle.as_ref().unwrap().particles.first() else {
        panic!("no xs:any")
    };
    assert_eq!((any.namespace.as_str(), any.process_contents.as_str()), ("##any", "strict"));
    assert_eq!((any.min_occurs, any.max_occurs), (1, MaxOccurs::Bounded(1)));

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\"><xs:sequence>\n  <xs:element ref=\"tns:req\" minOccurs=\"0\"/>\n</xs:sequence></xs:complexType>",
    );
    let [field] = complex(&wsdl, &q("C")).fields()[..] else { panic!() };
    assert_eq!((field.name.as_str(), field.namespace.as_deref()), ("req", Some(TNS)));
    assert_eq!(field.reference, Some(q("req")));
    assert_eq!(field.type_ref, TypeRef::Complex(q("Req")));
    assert_eq!((field.min_occurs, field.location.line), (0, line_of(&text, "ref=\"tns:req\"")));

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\"><xs:sequence><xs:element name=\"x\">\n  <xs:complexType/>\n</xs:element></xs:sequence></xs:complexType>",
    );
    let [x] = complex(&wsdl, &q("C")).fields()[..] else { panic!() };
    assert_eq!(x.type_ref, TypeRef::Complex(q("C_x")));
    let anonymous = complex(&wsdl, &q("C_x"));
    assert!(anonymous.anonymous && !complex(&wsdl, &q("C")).anonymous);
    assert!(anonymous.particle.is_none() && anonymous.is_plain_sequence());
    assert_eq!(anonymous.location.line, line_of(&text, "<xs:complexType/>"));

    let (wsdl, _) = parse_case(r#"<xs:import namespace="urn:other"/>"#);
    let without_import = parse_ok(MINIMAL_TYPES);
    assert_eq!(wsdl.schema.schemas.len(), 1);
    assert_eq!(wsdl.schema.complex_types, without_import.schema.complex_types);
    assert_eq!(wsdl.schema.elements, without_import.schema.elements);

    let (wsdl, text) = parse_case(
        "<xs:complexType name=\"C\"><xs:sequence>\n  <xs:element name=\"x\" type=\"xs:string\" maxOccurs=\"3\" nillable=\"true\"/>\n</xs:sequence></xs:complexType>",
    );
    let [x] = complex(&wsdl, &q("C")).fields()[..] else { panic!() };
    assert_eq!((x.nillable, x.max_occurs, x.is_repeated()), (true, MaxOccurs::Bounded(3), true));
    assert_eq!(x.location.line, line_of(&text, "name=\"x\""));
}

#[test]
fn all_nested_groups_mixed_any_attribute_and_simple_content() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="Unordered"><xs:all>
        <xs:element name="a" type="xs:int"/><xs:element name="b" type="xs:int" minOccurs="0"/>
      </xs:all></xs:complexType>
      <xs:complexType name="Nested" mixed="true"><xs:sequence>
        <xs:element name="first" type="xs:string"/>
        <xs:choice maxOccurs="unbounded">
          <xs:element name="left" type="xs:string"/>
          <xs:sequence><xs:element name="right" type="xs:string"/><xs:element name="up" type="xs:int"/></xs:sequence>
        </xs:choice>
        <xs:element name="last" type="xs:string"/>
      </xs:sequence><xs:anyAttribute/></xs:complexType>
      <xs:simpleType name="Currency"><xs:restriction base="xs:token"><xs:enumeration value="EUR"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Amount"><xs:simpleContent><xs:extension base="xs:int"/></xs:simpleContent></xs:complexType>
      <xs:complexType name="Price"><xs:simpleContent><xs:extension base="tns:Currency">
        <xs:attribute name="value" type="xs:double" use="required"/>
      </xs:extension></xs:simpleContent></xs:complexType>"#
    ));
    let names = |ty: &ComplexType| ty.fields().iter().map(|f| f.name.clone()).collect::<Vec<_>>();

    let unordered = complex(&wsdl, &q("Unordered"));
    assert_eq!(unordered.particle.as_ref().map(|g| g.kind), Some(GroupKind::All));
    assert_eq!(names(unordered), ["a", "b"]);
    assert!(!unordered.is_plain_sequence());

    let nested = complex(&wsdl, &q("Nested"));
    assert!(nested.mixed && nested.any_attribute && nested.attributes.is_empty());
    assert!(!nested.is_plain_sequence());
    let top = nested.particle.as_ref().unwrap();
    let [Particle::Element(first), Particle::Group(choice), Particle::Element(last)] = top.particles.as_slice() else {
        panic!("{:?}", top.particles)
    };
    assert_eq!((first.name.as_str(), last.name.as_str()), ("first", "last"));
    assert_eq!((choice.kind, choice.min_occurs, choice.max_occurs), (GroupKind::Choice, 1, MaxOccurs::Unbounded));
    let [Particle::Element(left), Particle::Group(inner)] = choice.particles.as_slice() else {
        panic!("{:?}", choice.particles)
    };
    assert_eq!((left.name.as_str(), inner.kind, inner.particles.len()), ("left", GroupKind::Sequence, 2));
    // Every element particle at any depth, in document order.
    assert_eq!(names(nested), ["first", "left", "right", "up", "last"]);

    let amount = complex(&wsdl, &q("Amount"));
    assert_eq!(amount.simple_content, Some(TypeRef::Builtin(Builtin::Int)));
    assert!(amount.particle.is_none() && amount.attributes.is_empty() && !amount.is_plain_sequence());
    let price = complex(&wsdl, &q("Price"));
    assert_eq!(price.simple_content, Some(TypeRef::Simple(q("Currency"))));
    let [value] = price.attributes.as_slice() else { panic!("{:?}", price.attributes) };
    assert_eq!(
        (value.name.as_str(), &value.type_ref, value.required),
        ("value", &TypeRef::Builtin(Builtin::Double), true)
    );
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
    let text = wsdl_with(
        &format!("{MINIMAL_TYPES}\n<xs:complexType name=\"C\"><xs:sequence><xs:element ref=\"tns:nothing\"/></xs:sequence></xs:complexType>"),
        None,
    );
    let err = broken(parse(&text, "test.wsdl"));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "element", name: "{urn:test}nothing".into() });
    assert!(err.to_string().starts_with(&format!("test.wsdl:{}:", line_of(&text, "tns:nothing"))), "{err}");
    // A port naming a binding that does not exist is kept but never chosen: the binding
    // is still used, without the port's address.
    let text =
        wsdl_with(MINIMAL_TYPES, Some(&DEFAULT_OPS.replace(r#"binding="tns:Binding""#, r#"binding="tns:Gone""#)));
    let wsdl = parse_text(&text);
    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    assert_eq!((choice.binding.name.local.as_str(), choice.port.is_none()), ("Binding", true));
}

#[test]
fn duplicates_and_cycles_are_errors() {
    let err = parse_err(&format!(r#"{MINIMAL_TYPES}<xs:complexType name="Req"><xs:sequence/></xs:complexType>"#));
    assert_eq!(err.kind, ErrorKind::Duplicate { kind: "type", name: "Req".into() });
    // An element twice in one content model is valid XML Schema, and read.
    let text = wsdl_with(
        &format!(
            r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="a" type="xs:int"/><xs:element name="a" type="xs:int"/></xs:sequence></xs:complexType>"#
        ),
        None,
    );
    let wsdl = parse_text(&text);
    let c = wsdl.schema.complex_types.iter().find(|t| t.name.local == "C").unwrap();
    assert_eq!(c.fields().len(), 2);
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
fn rpc_encoded_and_typed_parts_are_recorded() {
    let rpc = wsdl_with(MINIMAL_TYPES, None).replace(r#"style="document""#, r#"style="rpc""#).replace(
        r#"<soap:body use="literal"/></wsdl:input>"#,
        r#"<soap:body use="literal" namespace="urn:rpc"/></wsdl:input>"#,
    );
    let wsdl = parse_text(&rpc);
    assert_eq!(wsdl.bindings[0].style, Style::Rpc);
    let op = &soap11_operations(&wsdl)[0];
    assert_eq!((op.style, op.input.namespace.as_deref()), (Style::Rpc, Some("urn:rpc")));

    // An operation's own style overrides the binding's.
    let mixed = wsdl_with(MINIMAL_TYPES, None)
        .replace(r#"soapAction="urn:test/echo""#, r#"soapAction="urn:test/echo" style="rpc""#);
    let wsdl = parse_text(&mixed);
    assert_eq!((wsdl.bindings[0].style, soap11_operations(&wsdl)[0].style), (Style::Document, Style::Rpc));

    let encoded = wsdl_with(MINIMAL_TYPES, None).replacen(r#"use="literal""#, r#"use="encoded""#, 1);
    let wsdl = parse_text(&encoded);
    let op = &soap11_operations(&wsdl)[0];
    assert_eq!((op.input.body_use, op.output.as_ref().unwrap().body_use), (Use::Encoded, Use::Literal));

    let typed_part = wsdl_with(MINIMAL_TYPES, None)
        .replace(r#"element="tns:req""#, r#"type="tns:Req""#)
        .replace(r#"element="tns:res""#, r#"type="xs:string""#);
    let wsdl = parse_text(&typed_part);
    let op = &soap11_operations(&wsdl)[0];
    let [part] = op.input.body.as_slice() else { panic!("{:?}", op.input.body) };
    assert_eq!((part.name.as_str(), &part.content), ("body", &PartContent::Type(TypeRef::Complex(q("Req")))));
    assert_eq!(part.location.line, line_of(&typed_part, r#"name="body" type="tns:Req""#));
    let output = &op.output.as_ref().unwrap().body;
    assert_eq!(output[0].content, PartContent::Type(TypeRef::Builtin(Builtin::String)));

    for (from, to, message) in [
        (r#"style="document""#, r#"style="fancy""#, "`style=\"fancy\"` is neither document nor rpc"),
        (r#"use="literal""#, r#"use="odd""#, "`use=\"odd\"` is neither literal nor encoded"),
        (r#"element="tns:req""#, r#"type="tns:Nope""#, "unknown type `{urn:test}Nope`"),
        (r#"element="tns:req""#, r#"type="xs:timestamp""#, "unsupported: built-in type `xs:timestamp`"),
    ] {
        let text = wsdl_with(MINIMAL_TYPES, None).replacen(from, to, 1);
        let err = broken(parse(&text, "t.wsdl"));
        let expected = format!("t.wsdl:{}:", line_of(&text, to));
        assert!(err.to_string().contains(message) && err.to_string().starts_with(&expected), "{err}");
    }
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
    let err = broken(parse("<definitions/>", "x.wsdl"));
    assert!(err.to_string().contains("not <wsdl:definitions>"), "{err}");
    assert!(parse("", "empty.wsdl").is_err());
    assert!(matches!(parse_documents(&[]).unwrap_err().kind, ErrorKind::Missing(_)));
}

/// Two schemas in one `wsdl:types`: each refers to the other's types through a prefix, and
/// the same local name in both namespaces is two types.
#[test]
fn two_schemas_in_different_namespaces_refer_to_each_other() {
    let types = format!(
        r#"    <xs:schema targetNamespace="{TNS}" xmlns:o="{OTHER}">
{MINIMAL_TYPES}
      <xs:complexType name="Order"><xs:sequence>
        <xs:element name="ship" type="o:Address"/>
        <xs:element name="item" type="tns:Item"/>
        <xs:element name="otherItem" type="o:Item"/>
      </xs:sequence></xs:complexType>
      <xs:complexType name="Item"><xs:sequence><xs:element name="sku" type="xs:string"/></xs:sequence></xs:complexType>
    </xs:schema>
    <xs:schema targetNamespace="{OTHER}" xmlns:o="{OTHER}" xmlns:t="{TNS}">
      <xs:complexType name="Address"><xs:sequence>
        <xs:element name="country" type="o:Country"/>
        <xs:element name="order" type="t:Order" minOccurs="0"/>
      </xs:sequence></xs:complexType>
      <xs:simpleType name="Country"><xs:restriction base="xs:string"><xs:enumeration value="FR"/></xs:restriction></xs:simpleType>
      <xs:complexType name="Item"><xs:sequence><xs:element name="code" type="xs:int"/></xs:sequence></xs:complexType>
    </xs:schema>"#
    );
    let text = wsdl_with_types(&types, None);
    let wsdl = parse_text(&text);
    let namespaces: Vec<_> = wsdl.schema.schemas.iter().map(|s| s.target_namespace.as_str()).collect();
    assert_eq!(namespaces, [TNS, OTHER]);
    assert_eq!(wsdl.schema.schemas[1].location.line, line_of(&text, &format!("targetNamespace=\"{OTHER}\" xmlns:o")));
    let other = |local: &str| QName::new(OTHER, local);
    let order = complex(&wsdl, &q("Order")).fields();
    let types: Vec<_> = order.iter().map(|f| &f.type_ref).collect();
    assert_eq!(
        types,
        [&TypeRef::Complex(other("Address")), &TypeRef::Complex(q("Item")), &TypeRef::Complex(other("Item"))]
    );
    let address = complex(&wsdl, &other("Address"));
    assert_eq!(address.name, other("Address"));
    let address_types: Vec<_> = address.fields().iter().map(|f| f.type_ref.clone()).collect();
    assert_eq!(address_types, [TypeRef::Simple(other("Country")), TypeRef::Complex(q("Order"))]);
    assert!(wsdl.schema.complex_type(&q("Address")).is_none());
    assert_eq!(complex(&wsdl, &q("Item")).fields()[0].name, "sku");
    assert_eq!(complex(&wsdl, &other("Item")).fields()[0].name, "code");
    assert!(wsdl.schema.simple_type(&other("Country")).is_some());
}

#[test]
fn element_form_default_qualified_and_form_overrides() {
    let types = format!(
        r#"    <xs:schema targetNamespace="{TNS}" elementFormDefault="qualified" attributeFormDefault="unqualified">
{MINIMAL_TYPES}
      <xs:complexType name="Q"><xs:sequence>
        <xs:element name="plain" type="xs:string"/>
        <xs:element name="local" type="xs:string" form="unqualified"/>
        <xs:element name="inline"><xs:complexType><xs:sequence><xs:element name="deep" type="xs:int"/></xs:sequence></xs:complexType></xs:element>
      </xs:sequence><xs:attribute name="a" type="xs:string"/><xs:attribute name="b" type="xs:string" form="qualified"/></xs:complexType>
    </xs:schema>
    <xs:schema targetNamespace="{OTHER}">
      <xs:complexType name="U"><xs:sequence>
        <xs:element name="plain" type="xs:string"/>
        <xs:element name="forced" type="xs:string" form="qualified"/>
      </xs:sequence></xs:complexType>
    </xs:schema>"#
    );
    let wsdl = parse_text(&wsdl_with_types(&types, None));
    let infos: Vec<_> = wsdl.schema.schemas.iter().map(|s| (s.elements_qualified, s.attributes_qualified)).collect();
    assert_eq!(infos, [(true, false), (false, false)]);
    let namespaces = |ty: &QName| -> Vec<(String, Option<String>)> {
        complex(&wsdl, ty).fields().iter().map(|f| (f.name.clone(), f.namespace.clone())).collect()
    };
    let tns = Some(TNS.to_owned());
    assert_eq!(
        namespaces(&q("Q")),
        [("plain".into(), tns.clone()), ("local".into(), None), ("inline".into(), tns.clone())]
    );
    // The local elements of an anonymous type follow the same schema's default.
    assert_eq!(namespaces(&q("Q_inline")), [("deep".into(), tns.clone())]);
    let attributes: Vec<_> = complex(&wsdl, &q("Q")).attributes.iter().map(|a| a.namespace.clone()).collect();
    assert_eq!(attributes, [None, tns]);
    let other = QName::new(OTHER, "U");
    assert_eq!(namespaces(&other), [("plain".into(), None), ("forced".into(), Some(OTHER.to_owned()))]);
    // Global elements are always in their schema's namespace.
    assert!(wsdl.schema.element(&q("req")).is_some());

    let err = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:sequence><xs:element name="a" type="xs:int" form="sometimes"/></xs:sequence></xs:complexType>"#
    ));
    assert!(err.to_string().contains("`form=\"sometimes\"` on element `a`"), "{err}");
}

#[test]
fn ref_to_a_global_element_in_another_namespace() {
    let types = format!(
        r#"    <xs:schema targetNamespace="{TNS}" xmlns:o="{OTHER}">
{MINIMAL_TYPES}
      <xs:complexType name="Envelope"><xs:sequence>
        <xs:element ref="o:note" minOccurs="0" maxOccurs="unbounded"/>
        <xs:element ref="o:stamp"/>
        <xs:element name="note" type="xs:int"/>
      </xs:sequence></xs:complexType>
    </xs:schema>
    <xs:schema targetNamespace="{OTHER}" xmlns:o="{OTHER}">
      <xs:complexType name="Stamp"><xs:sequence><xs:element name="at" type="xs:dateTime"/></xs:sequence></xs:complexType>
      <xs:element name="note" type="xs:string" nillable="true"/>
      <xs:element name="stamp" type="o:Stamp"/>
    </xs:schema>"#
    );
    let text = wsdl_with_types(&types, None);
    let wsdl = parse_text(&text);
    let fields = complex(&wsdl, &q("Envelope")).fields();
    let [note, stamp, local_note] = fields[..] else { panic!("{fields:?}") };
    assert_eq!((note.name.as_str(), note.namespace.as_deref()), ("note", Some(OTHER)));
    assert_eq!(note.reference, Some(QName::new(OTHER, "note")));
    assert_eq!((&note.type_ref, note.nillable), (&TypeRef::Builtin(Builtin::String), true));
    assert_eq!((note.min_occurs, note.max_occurs), (0, MaxOccurs::Unbounded));
    assert_eq!(note.location.line, line_of(&text, "ref=\"o:note\""));
    assert_eq!((stamp.name.as_str(), stamp.namespace.as_deref()), ("stamp", Some(OTHER)));
    assert_eq!(stamp.reference, Some(QName::new(OTHER, "stamp")));
    assert_eq!((&stamp.type_ref, stamp.nillable), (&TypeRef::Complex(QName::new(OTHER, "Stamp")), false));
    // A local element with the referenced element's local name but no namespace is another element.
    assert_eq!(
        (local_note.name.as_str(), local_note.namespace.as_deref(), &local_note.reference),
        ("note", None, &None)
    );

    // The same reference with the wrong prefix names an element that does not exist.
    let wrong = text.replacen("ref=\"o:note\"", "ref=\"tns:note\"", 1);
    let err = broken(parse(&wrong, "test.wsdl"));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "element", name: "{urn:test}note".into() });
    assert_eq!(err.location.map(|l| l.line), Some(line_of(&wrong, "ref=\"tns:note\"")));
}

#[test]
fn nested_anonymous_types_get_derived_names() {
    let text = wsdl_with(
        &format!(
            r#"{MINIMAL_TYPES}
      <xs:complexType name="Outer"><xs:sequence>
        <xs:element name="inner">
          <xs:complexType><xs:sequence>
            <xs:element name="deep" minOccurs="0">
              <xs:complexType name-marker="deep"><xs:sequence><xs:element name="leaf" type="xs:int"/></xs:sequence></xs:complexType>
            </xs:element>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="level">
          <xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="HIGH"/></xs:restriction></xs:simpleType>
        </xs:element>
      </xs:sequence></xs:complexType>
      <xs:complexType name="Thing"><xs:sequence/></xs:complexType>
      <xs:element name="Thing"><xs:complexType><xs:sequence>
        <xs:element name="part"><xs:complexType/></xs:element>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="Wrapper">
        <xs:annotation><xs:documentation>Wraps.</xs:documentation></xs:annotation>
        <xs:complexType><xs:sequence><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType>
      </xs:element>
      <xs:complexType name="Box_item"><xs:sequence/></xs:complexType>
      <xs:complexType name="Box"><xs:sequence><xs:element name="item"><xs:complexType/></xs:element></xs:sequence></xs:complexType>"#
        ),
        None,
    );
    // Unknown attributes on schema elements are ignored: `name-marker` only marks a line.
    let wsdl = parse_text(&text);
    let field_type = |ty: &str, field: &str| {
        let ty = complex(&wsdl, &q(ty));
        ty.fields().iter().find(|f| f.name == field).unwrap_or_else(|| panic!("no {field}")).type_ref.clone()
    };
    assert_eq!(field_type("Outer", "inner"), TypeRef::Complex(q("Outer_inner")));
    assert_eq!(field_type("Outer_inner", "deep"), TypeRef::Complex(q("Outer_inner_deep")));
    assert_eq!(field_type("Outer_inner_deep", "leaf"), TypeRef::Builtin(Builtin::Int));
    assert_eq!(field_type("Outer", "level"), TypeRef::Simple(q("Outer_level")));
    for name in ["Outer_inner", "Outer_inner_deep"] {
        assert!(complex(&wsdl, &q(name)).anonymous, "{name}");
    }
    assert!(!complex(&wsdl, &q("Outer")).anonymous);
    assert_eq!(complex(&wsdl, &q("Outer_inner_deep")).location.line, line_of(&text, "name-marker=\"deep\""));
    let level = wsdl.schema.simple_type(&q("Outer_level")).unwrap();
    assert!(level.anonymous);
    assert_eq!((level.base, level.enumeration[0].value.as_str()), (Builtin::String, "HIGH"));

    // A global element's inline type has the element's name, unless a named type has it.
    let thing = wsdl.schema.element(&q("Thing")).unwrap();
    assert_eq!(thing.type_ref, TypeRef::Complex(q("Thing_Type")));
    assert!(!complex(&wsdl, &q("Thing")).anonymous && complex(&wsdl, &q("Thing_Type")).anonymous);
    assert_eq!(field_type("Thing_Type", "part"), TypeRef::Complex(q("Thing_Type_part")));
    assert!(complex(&wsdl, &q("Thing_Type_part")).anonymous);
    let wrapper = wsdl.schema.element(&q("Wrapper")).unwrap();
    assert_eq!(wrapper.type_ref, TypeRef::Complex(q("Wrapper")));
    let wrapper_type = complex(&wsdl, &q("Wrapper"));
    assert!(wrapper_type.anonymous);
    assert_eq!(wrapper_type.doc.as_deref(), Some("Wraps."));
    // The same for a local element's type.
    assert_eq!(field_type("Box", "item"), TypeRef::Complex(q("Box_item_Type")));
    assert!(!complex(&wsdl, &q("Box_item")).anonymous && complex(&wsdl, &q("Box_item_Type")).anonymous);
}

#[test]
fn soap11_soap12_and_http_bindings_with_the_soap11_port_by_default() {
    let ops = r#"
  <wsdl:message name="EchoRequest"><wsdl:part name="body" element="tns:req"/></wsdl:message>
  <wsdl:message name="EchoResponse"><wsdl:part name="body" element="tns:res"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="echo"><wsdl:input message="tns:EchoRequest"/><wsdl:output message="tns:EchoResponse"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Soap12Binding" type="tns:Port">
    <soap12:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap12:operation soapAction="urn:test/echo12"/>
      <wsdl:input><soap12:body use="literal"/></wsdl:input>
      <wsdl:output><soap12:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="HttpBinding" type="tns:Port">
    <http:binding verb="POST"/>
    <wsdl:operation name="echo">
      <http:operation location="/echo"/>
      <wsdl:input><http:urlEncoded/></wsdl:input>
      <wsdl:output><mime:mimeXml xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" part="body"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:binding name="Soap11Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="urn:test/echo11"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="HttpService">
    <wsdl:port name="HttpPort" binding="tns:HttpBinding"><http:address location="https://example.test/http"/></wsdl:port>
  </wsdl:service>
  <wsdl:service name="EchoService">
    <wsdl:documentation>Echoes, twice.</wsdl:documentation>
    <wsdl:port name="Soap12Port" binding="tns:Soap12Binding"><soap12:address location="https://example.test/soap12"/></wsdl:port>
    <wsdl:port name="Soap11Port" binding="tns:Soap11Binding"><soap:address location="https://example.test/soap11"/></wsdl:port>
  </wsdl:service>"#;
    let text = wsdl_with(MINIMAL_TYPES, Some(ops));
    let wsdl = parse_text(&text);
    let protocols: Vec<_> = wsdl.bindings.iter().map(|b| (b.name.local.as_str(), &b.protocol)).collect();
    let http = Protocol::Other(HTTP.to_owned());
    assert_eq!(
        protocols,
        [("Soap12Binding", &Protocol::Soap12), ("HttpBinding", &http), ("Soap11Binding", &Protocol::Soap11)]
    );
    assert_eq!(wsdl.bindings[1].operations, []);
    assert_eq!(wsdl.bindings[1].location.line, line_of(&text, "name=\"HttpBinding\""));
    let actions: Vec<_> = [0, 2].map(|i| wsdl.bindings[i].operations[0].soap_action.as_str()).to_vec();
    assert_eq!(actions, ["urn:test/echo12", "urn:test/echo11"]);
    assert_eq!(body_element(&wsdl.bindings[0].operations[0].input), &q("req"));

    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    assert_eq!(choice.binding.name, q("Soap11Binding"));
    assert_eq!(choice.service.map(|s| s.name.as_str()), Some("EchoService"));
    let port = choice.port.unwrap();
    assert_eq!((port.name.as_str(), port.address.as_deref()), ("Soap11Port", Some("https://example.test/soap11")));
    assert_eq!(port.location.line, line_of(&text, "name=\"Soap11Port\""));
    assert_eq!(soap11_operations(&wsdl)[0].soap_action, "urn:test/echo11");
    let soap12 = wsdl.default_binding(&Protocol::Soap12).unwrap();
    assert_eq!(soap12.port.and_then(|p| p.address.as_deref()), Some("https://example.test/soap12"));
    let by_http = wsdl.default_binding(&http).unwrap();
    assert_eq!(by_http.service.map(|s| s.name.as_str()), Some("HttpService"));
    assert_eq!(by_http.port.and_then(|p| p.address.as_deref()), Some("https://example.test/http"));
    assert_eq!(wsdl.services[1].doc.as_deref(), Some("Echoes, twice."));
    assert_eq!(wsdl.binding(&q("HttpBinding")).map(|b| &b.protocol), Some(&http));
    assert!(wsdl.binding(&QName::new(OTHER, "HttpBinding")).is_none());
}

/// An operation with a fault, and a one-way operation.
const FAULT_AND_ONE_WAY_OPS: &str = r#"
  <wsdl:message name="EchoRequest"><wsdl:part name="body" element="tns:req"/></wsdl:message>
  <wsdl:message name="EchoResponse"><wsdl:part name="body" element="tns:res"/></wsdl:message>
  <wsdl:message name="EchoFault"><wsdl:part name="detail" element="tns:oops"/></wsdl:message>
  <wsdl:message name="NotifyRequest"><wsdl:part name="body" element="tns:req"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="echo">
      <wsdl:input message="tns:EchoRequest"/><wsdl:output message="tns:EchoResponse"/>
      <wsdl:fault name="oops" message="tns:EchoFault"/>
    </wsdl:operation>
    <wsdl:operation name="notify"><wsdl:input message="tns:NotifyRequest"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="urn:test/echo"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
      <wsdl:fault name="oops"><soap:fault name="oops" use="literal"/></wsdl:fault>
    </wsdl:operation>
    <wsdl:operation name="notify">
      <soap:operation soapAction="urn:test/notify"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
    </wsdl:operation>
  </wsdl:binding>"#;

const OOPS_TYPES: &str = r#"
      <xs:complexType name="Oops"><xs:sequence><xs:element name="code" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:element name="oops" type="tns:Oops"/>"#;

#[test]
fn faults_are_recorded_with_their_message_parts() {
    let text = wsdl_with(&format!("{MINIMAL_TYPES}{OOPS_TYPES}"), Some(FAULT_AND_ONE_WAY_OPS));
    let wsdl = parse_text(&text);
    let echo = &soap11_operations(&wsdl)[0];
    let [fault] = echo.faults.as_slice() else { panic!("{:?}", echo.faults) };
    assert_eq!((fault.name.as_str(), &fault.message), ("oops", &q("EchoFault")));
    assert_eq!(fault.location.line, line_of(&text, "<wsdl:fault name=\"oops\" message"));
    let [detail] = fault.parts.as_slice() else { panic!("{:?}", fault.parts) };
    assert_eq!((detail.name.as_str(), &detail.content), ("detail", &PartContent::Element(q("oops"))));
    assert_eq!(detail.location.line, line_of(&text, "name=\"detail\""));
    assert!(soap11_operations(&wsdl)[1].faults.is_empty());

    let missing = text.replace(r#"message="tns:EchoFault"/>"#, r#"message="tns:NoSuchFault"/>"#);
    let err = broken(parse(&missing, "test.wsdl"));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "message", name: "NoSuchFault".into() });
    assert_eq!(err.location.map(|l| l.line), Some(line_of(&missing, "tns:NoSuchFault")));
}

#[test]
fn one_way_operation_has_no_output() {
    let wsdl = parse_text(&wsdl_with(&format!("{MINIMAL_TYPES}{OOPS_TYPES}"), Some(FAULT_AND_ONE_WAY_OPS)));
    let [echo, notify] = soap11_operations(&wsdl) else { panic!("{:?}", wsdl.bindings) };
    assert!(echo.output.is_some());
    assert_eq!((notify.name.as_str(), notify.soap_action.as_str()), ("notify", "urn:test/notify"));
    assert_eq!(notify.output, None);
    assert_eq!((&notify.input.message, body_element(&notify.input)), (&q("NotifyRequest"), &q("req")));
}

/// The entry WSDL of [`parse_documents`] tests: its schema imports `urn:types` from
/// `types.xsd`, and its messages and a type of its own use that namespace's definitions.
const ENTRY_WSDL: &str = r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:test" xmlns:t="urn:types" targetNamespace="urn:test">
  <wsdl:types>
    <xs:schema targetNamespace="urn:test">
      <xs:import namespace="urn:types" schemaLocation="types.xsd"/>
      <xs:complexType name="Log"><xs:sequence><xs:element name="last" type="t:Req"/></xs:sequence></xs:complexType>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="body" element="t:req"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="body" element="t:res"/></wsdl:message>
  <wsdl:portType name="Port"><wsdl:operation name="echo"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="echo">
      <soap:operation soapAction="urn:test/echo"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#;

const TYPES_NS: &str = "urn:types";

/// `types.xsd` with `extra` definitions at the end.
fn types_xsd(extra: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:types" targetNamespace="urn:types"
    elementFormDefault="qualified">
  <xs:complexType name="Req"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:complexType name="Res"><xs:sequence><xs:element name="text" type="xs:string"/></xs:sequence></xs:complexType>
  <xs:element name="req" type="t:Req"/>
  <xs:element name="res" type="t:Res"/>
{extra}
</xs:schema>"#
    )
}

fn parse_with_xsd(xsd: &str) -> Result<Wsdl, Error> {
    parse_documents(&[
        SourceText { name: "service.wsdl", text: ENTRY_WSDL, parent: None },
        SourceText { name: "types.xsd", text: xsd, parent: None },
    ])
}

#[test]
fn an_imported_xsd_passed_as_a_second_document_is_read() {
    let xsd = types_xsd("");
    let wsdl = parse_with_xsd(&xsd).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wsdl.documents, ["service.wsdl", "types.xsd"]);
    assert_eq!(wsdl.source_name, "service.wsdl");
    let types = |local: &str| QName::new(TYPES_NS, local);
    let req = complex(&wsdl, &types("Req"));
    assert_eq!((req.location.document, req.location.line), (1, line_of(&xsd, "name=\"Req\"")));
    assert_eq!(wsdl.describe(req.location), format!("types.xsd:{}:3", req.location.line));
    // The XSD's elementFormDefault applies to its own local elements.
    assert_eq!(req.fields()[0].namespace.as_deref(), Some(TYPES_NS));
    let infos: Vec<_> = wsdl
        .schema
        .schemas
        .iter()
        .map(|s| (s.target_namespace.as_str(), s.location.document, s.elements_qualified))
        .collect();
    assert_eq!(infos, [(TNS, 0, false), (TYPES_NS, 1, true)]);
    assert_eq!(complex(&wsdl, &q("Log")).fields()[0].type_ref, TypeRef::Complex(types("Req")));
    let op = &soap11_operations(&wsdl)[0];
    assert_eq!((body_element(&op.input), body_element(op.output.as_ref().unwrap())), (&types("req"), &types("res")));

    // Without the XSD, the entry's references to it dangle.
    let err = broken(parse(ENTRY_WSDL, "service.wsdl"));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "type", name: "{urn:types}Req".into() });
    assert!(err.to_string().starts_with(&format!("service.wsdl:{}:", line_of(ENTRY_WSDL, "name=\"last\""))), "{err}");
}

#[test]
fn documents_may_come_in_any_order_after_the_entry() {
    let common = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common">
  <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:enumeration value="A"/></xs:restriction></xs:simpleType>
</xs:schema>"#;
    let xsd = types_xsd(
        r#"  <xs:import namespace="urn:common" schemaLocation="common.xsd"/>
  <xs:complexType name="Coded" xmlns:c="urn:common"><xs:sequence><xs:element name="code" type="c:Code"/></xs:sequence></xs:complexType>"#,
    );
    let wsdl = parse_documents(&[
        SourceText { name: "service.wsdl", text: ENTRY_WSDL, parent: None },
        SourceText { name: "types.xsd", text: &xsd, parent: None },
        SourceText { name: "common.xsd", text: common, parent: None },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let coded = complex(&wsdl, &QName::new(TYPES_NS, "Coded"));
    assert_eq!(coded.fields()[0].type_ref, TypeRef::Simple(QName::new("urn:common", "Code")));
    assert_eq!(wsdl.schema.simple_type(&QName::new("urn:common", "Code")).unwrap().location.document, 2);
    assert_eq!(wsdl.documents, ["service.wsdl", "types.xsd", "common.xsd"]);
}

#[test]
fn errors_inside_an_imported_xsd_name_that_document() {
    let cases = [
        (
            r#"  <xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:assertion test="1"/></xs:restriction></xs:simpleType>"#,
            "xs:assertion",
            "<xs:assertion> facet in simpleType `Code`",
        ),
        // Found when the definitions are checked as a whole, not while reading the XSD.
        (r#"  <xs:complexType name="Req"/>"#, "name=\"Req\"/>", "duplicate type `Req`"),
        (
            "  <xs:element name=\"broken\"\n    nillable=\"perhaps\" type=\"xs:string\"/>",
            "name=\"broken\"",
            "not a boolean",
        ),
        ("  <xs:complexType name=\"Broken\">\n  <xs:sequence>\n", "<xs:sequence>\n", "malformed XML"),
    ];
    for (extra, marker, message) in cases {
        let xsd = types_xsd(extra);
        let err = parse_with_xsd(&xsd).expect_err(extra);
        let shown = err.to_string();
        let line = match marker.strip_suffix('\n') {
            // The XML error is found where the document ends unclosed.
            Some(_) => xsd.lines().count() as u32,
            None => line_of(&xsd, marker),
        };
        assert!(shown.starts_with(&format!("types.xsd:{line}:")), "{shown}");
        assert!(shown.contains(message), "{shown}");
        assert_eq!(err.location.map(|l| l.document), Some(1), "{shown}");
        assert_eq!(err.source_name.as_deref(), Some("types.xsd"), "{shown}");
    }
}

#[test]
fn an_unknown_type_in_the_second_document_names_that_document() {
    for extra in [
        r#"  <xs:complexType name="Bad"><xs:sequence><xs:element name="x" type="t:Nope"/></xs:sequence></xs:complexType>"#,
        r#"  <xs:element name="bad" type="t:Nope"/>"#,
        r#"  <xs:complexType name="Bad"><xs:complexContent><xs:extension base="t:Nope"/></xs:complexContent></xs:complexType>"#,
    ] {
        let xsd = types_xsd(extra);
        let err = parse_with_xsd(&xsd).expect_err(extra);
        let name = match &err.kind {
            ErrorKind::UnknownReference { name, .. } => name.as_str(),
            other => panic!("{other:?}"),
        };
        assert_eq!(name, "{urn:types}Nope", "{err}");
        let line = line_of(&xsd, extra.trim_start());
        assert!(err.to_string().starts_with(&format!("types.xsd:{line}:")), "{err}");
    }
    // An element the entry's message names, missing from the XSD, is the entry's error.
    let xsd = types_xsd("").replace(r#"<xs:element name="res" type="t:Res"/>"#, "");
    let err = broken(parse_with_xsd(&xsd));
    assert_eq!(err.kind, ErrorKind::UnknownReference { kind: "element", name: "res".into() });
    assert!(err.to_string().starts_with(&format!("service.wsdl:{}:", line_of(ENTRY_WSDL, "t:res"))), "{err}");
}

#[test]
fn bindings_use_the_port_types_and_messages_of_an_imported_wsdl() {
    let interface = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:i="urn:interface" targetNamespace="urn:interface">
  <wsdl:types><xs:schema targetNamespace="urn:interface">
    <xs:element name="ping" type="xs:string"/>
  </xs:schema></wsdl:types>
  <wsdl:message name="Ping"><wsdl:part name="body" element="i:ping"/></wsdl:message>
  <wsdl:portType name="Pinger">
    <wsdl:operation name="ping"><wsdl:documentation>Pings.</wsdl:documentation><wsdl:input message="i:Ping"/></wsdl:operation>
  </wsdl:portType>
</wsdl:definitions>"#;
    let service = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:i="urn:interface" xmlns:tns="urn:test" targetNamespace="urn:test">
  <wsdl:import namespace="urn:interface" location="interface.wsdl"/>
  <wsdl:binding name="Binding" type="i:Pinger">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="ping"><soap:operation soapAction="ping"/><wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:Binding"><soap:address location="https://example.test/ping"/></wsdl:port></wsdl:service>
</wsdl:definitions>"#;
    let wsdl = parse_documents(&[
        SourceText { name: "service.wsdl", text: service, parent: None },
        SourceText { name: "interface.wsdl", text: interface, parent: None },
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(wsdl.target_namespace, TNS);
    let choice = wsdl.default_binding(&Protocol::Soap11).unwrap();
    assert_eq!(
        (&choice.binding.name, &choice.binding.port_type),
        (&q("Binding"), &QName::new("urn:interface", "Pinger"))
    );
    let [ping] = choice.binding.operations.as_slice() else { panic!() };
    assert_eq!((ping.doc.as_deref(), ping.output.as_ref()), (Some("Pings."), None));
    assert_eq!(body_element(&ping.input), &QName::new("urn:interface", "ping"));
    assert_eq!(ping.location.document, 1);
    assert_eq!(
        wsdl.describe(ping.location),
        format!("interface.wsdl:{}:5", line_of(interface, "<wsdl:operation name=\"ping\""))
    );
}

#[test]
fn every_builtin_and_the_ur_type_are_recorded() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="C"><xs:sequence>
        <xs:element name="d" type="xs:duration"/>
        <xs:element name="m" type="xs:decimal"/>
        <xs:element name="p" type="xs:positiveInteger"/>
        <xs:element name="h" type="xs:hexBinary"/>
        <xs:element name="a" type="xs:anyType"/>
        <xs:element name="untyped"/>
      </xs:sequence></xs:complexType>
      <xs:element name="g"/>"#
    ));
    let c = complex(&wsdl, &q("C"));
    let types: Vec<_> = c.fields().iter().map(|f| f.type_ref.clone()).collect();
    use Builtin::*;
    assert_eq!(types, [Duration, Decimal, PositiveInteger, HexBinary, AnyType, AnyType].map(TypeRef::Builtin));
    assert_eq!(wsdl.schema.element(&q("g")).unwrap().type_ref, TypeRef::Builtin(AnyType));
    assert_eq!(Builtin::from_local_name("NCName"), Some(NcName));
    assert_eq!(Builtin::Decimal.local_name(), "decimal");
}

#[test]
fn facets_are_recorded_as_written() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:simpleType name="Code"><xs:restriction base="xs:string">
        <xs:minLength value="2"/><xs:maxLength value="3"/><xs:pattern value="[A-Z]+"/>
      </xs:restriction></xs:simpleType>"#
    ));
    let code = wsdl.schema.simple_type(&q("Code")).unwrap();
    let facets: Vec<_> = code.facets.iter().map(|f| (f.kind.as_str(), f.value.as_str())).collect();
    assert_eq!(facets, [("minLength", "2"), ("maxLength", "3"), ("pattern", "[A-Z]+")]);
}

#[test]
fn groups_attribute_groups_and_attribute_refs_are_read_where_they_are_used() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:group name="Names"><xs:sequence>
        <xs:element name="first" type="xs:string"/><xs:element name="last" type="xs:string"/>
      </xs:sequence></xs:group>
      <xs:attributeGroup name="Audit"><xs:attribute name="by" type="xs:string"/><xs:attribute ref="tns:stamp"/></xs:attributeGroup>
      <xs:attribute name="stamp" type="xs:dateTime"/>
      <xs:attribute name="unused" type="xs:int"/>
      <xs:complexType name="Person">
        <xs:sequence><xs:element name="id" type="xs:int"/><xs:group ref="tns:Names" minOccurs="0"/></xs:sequence>
        <xs:attributeGroup ref="tns:Audit"/>
        <xs:attribute ref="xml:lang" use="required"/>
      </xs:complexType>
      <xs:complexType name="Loop"><xs:group ref="tns:Loopy"/></xs:complexType>
      <xs:group name="Loopy"><xs:sequence><xs:group ref="tns:Loopy"/></xs:sequence></xs:group>"#
    )
    .replace("<xs:complexType name=\"Loop\"><xs:group ref=\"tns:Loopy\"/></xs:complexType>", ""));
    let person = complex(&wsdl, &q("Person"));
    let fields: Vec<_> = person.fields().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["id", "first", "last"]);
    let Some(Group { particles, .. }) = &person.particle else { panic!() };
    let Particle::Group(names) = &particles[1] else { panic!("{particles:?}") };
    assert_eq!((names.min_occurs, names.kind), (0, GroupKind::Sequence));
    let attributes: Vec<_> =
        person.attributes.iter().map(|a| (a.name.as_str(), a.namespace.as_deref(), a.required)).collect();
    assert_eq!(
        attributes,
        [("by", None), ("stamp", Some(TNS)), ("lang", Some("http://www.w3.org/XML/1998/namespace"))].map(|(n, ns)| (
            n,
            ns,
            n == "lang"
        ))
    );
    assert_eq!(person.attributes[1].type_ref, TypeRef::Builtin(Builtin::DateTime));

    // A group that contains itself is an error where it is used, not a stack overflow.
    let looping = format!(
        r#"{MINIMAL_TYPES}
      <xs:group name="Loopy"><xs:sequence><xs:group ref="tns:Loopy"/></xs:sequence></xs:group>
      <xs:complexType name="Loop"><xs:group ref="tns:Loopy"/></xs:complexType>"#
    );
    let err = parse_err(&looping);
    assert!(err.to_string().contains("group `Loopy` contains itself"), "{err}");
    let err =
        parse_err(&format!(r#"{MINIMAL_TYPES}<xs:complexType name="C"><xs:group ref="tns:Nope"/></xs:complexType>"#));
    assert!(matches!(err.kind, ErrorKind::UnknownReference { kind: "group", .. }), "{err}");
}

#[test]
fn lists_unions_and_restrictions_of_simple_types() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:simpleType name="Codes"><xs:list itemType="xs:string"/></xs:simpleType>
      <xs:simpleType name="Either"><xs:union memberTypes="xs:string xs:int"/></xs:simpleType>
      <xs:simpleType name="Short"><xs:restriction base="tns:Colour"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
      <xs:simpleType name="Colour"><xs:restriction base="xs:token"><xs:enumeration value="red"/></xs:restriction></xs:simpleType>"#
    ));
    let simple = |name: &str| wsdl.schema.simple_type(&q(name)).unwrap();
    assert_eq!(
        (simple("Codes").base, simple("Codes").variety.as_deref()),
        (Builtin::String, Some("an `xs:list`, kept as its text"))
    );
    assert!(simple("Either").variety.as_deref().unwrap().contains("xs:union"));
    // A restriction of a restriction takes the built-in base and the values it names.
    assert_eq!(simple("Short").base, Builtin::Token);
    assert_eq!(simple("Short").restricts, Some(q("Colour")));
    assert_eq!(simple("Short").enumeration.len(), 1);
    let looped = parse_err(&format!(
        r#"{MINIMAL_TYPES}<xs:simpleType name="A"><xs:restriction base="tns:B"/></xs:simpleType><xs:simpleType name="B"><xs:restriction base="tns:A"/></xs:simpleType>"#
    ));
    assert!(looped.to_string().contains("restricts itself"), "{looped}");
}

#[test]
fn locations_agree_with_roxmltree_at_every_element() {
    let text = "<?xml version=\"1.0\"?>\r\n<a>\n  <é/>\t<b>ü\n\n<c/></b>\r\n<d\n/></a>";
    let doc = roxmltree::Document::parse(text).unwrap();
    let lines = crate::LineStarts::new(text);
    for node in doc.descendants().filter(|n| n.is_element()) {
        let expected = doc.text_pos_at(node.range().start);
        assert_eq!(lines.position(text, node.range().start), (expected.row, expected.col), "{node:?}");
    }
}

#[test]
fn lookups_by_name_follow_changes_to_the_public_lists() {
    let types = r#"<xs:complexType name="A"><xs:sequence/></xs:complexType>
        <xs:complexType name="B"><xs:complexContent><xs:extension base="tns:A"/></xs:complexContent></xs:complexType>
        <xs:complexType name="C"><xs:complexContent><xs:extension base="tns:B"/></xs:complexContent></xs:complexType>"#;
    let mut schema = parse_text(&wsdl_with(&format!("{MINIMAL_TYPES}{types}"), None)).schema;
    assert!(schema.complex_type(&q("B")).is_some());
    let derived: Vec<&str> = schema.all_derived_types()[&q("A")].iter().map(|t| t.name.local.as_str()).collect();
    assert_eq!(derived, ["B", "C"]);
    // Filtered: the index is rebuilt.
    schema.complex_types.retain(|t| t.name.local != "A");
    assert!(schema.complex_type(&q("A")).is_none());
    assert_eq!(schema.complex_type(&q("C")).map(|t| t.name.local.as_str()), Some("C"));
    // Renamed in place: the old name is not found (the name found is checked); the new one
    // is found in a clone, which indexes afresh.
    let position = schema.complex_types.iter().position(|t| t.name.local == "B").unwrap();
    schema.complex_types[position].name = q("D");
    assert!(schema.complex_type(&q("B")).is_none());
    assert!(schema.clone().complex_type(&q("D")).is_some());
}

/// A complexContent restriction is its own content model; a SOAP-encoded array that
/// restates no particle gets `item` elements of its `wsdl:arrayType` (jira.wsdl, iws.wsdl).
#[test]
fn complex_content_restrictions_and_encoded_arrays() {
    let text = wsdl_with_types(
        &format!(
            r#"    <xs:schema targetNamespace="{TNS}" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">
      <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/"/>
{MINIMAL_TYPES}
      <xs:complexType name="Base"><xs:sequence>
        <xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:int" minOccurs="0"/>
      </xs:sequence><xs:attribute name="id" type="xs:int"/></xs:complexType>
      <xs:complexType name="Narrow"><xs:complexContent><xs:restriction base="tns:Base">
        <xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence>
        <xs:attribute name="id" type="xs:int" use="required"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="ArrayOfReq"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="tns:Req[]"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="ListOfStrings"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:sequence/>
        <xs:attribute ref="soapenc:arrayType" n1:arrayType="xs:string[]" xmlns:n1="http://schemas.xmlsoap.org/wsdl/"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="Restated"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:sequence><xs:element name="entry" type="xs:int" maxOccurs="unbounded"/></xs:sequence>
        <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:int[]"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="Matrix"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:int[][]"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="ArrayOfBytes"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:byte[][]"/>
      </xs:restriction></xs:complexContent></xs:complexType>
      <xs:complexType name="Sized"><xs:complexContent><xs:restriction base="soapenc:Array">
        <xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:int[3]"/>
      </xs:restriction></xs:complexContent></xs:complexType>
    </xs:schema>"#
        ),
        None,
    );
    let wsdl = parse_text(&text);
    let names = |ty: &ComplexType| ty.fields().iter().map(|f| f.name.clone()).collect::<Vec<_>>();

    let narrow = complex(&wsdl, &q("Narrow"));
    assert_eq!((narrow.base.as_ref(), narrow.restriction.as_ref()), (None, Some(&q("Base"))));
    assert_eq!(names(narrow), ["a"]);
    assert_eq!(wsdl.schema.all_fields(narrow).len(), 1, "nothing is inherited through a restriction");
    assert!(narrow.attributes[0].required);

    let encoding = |local: &str| QName::new("http://schemas.xmlsoap.org/soap/encoding/", local);
    let array = complex(&wsdl, &q("ArrayOfReq"));
    assert_eq!(array.restriction, Some(encoding("Array")));
    assert_eq!(array.array_type.as_deref(), Some("tns:Req[]"));
    assert!(array.attributes.is_empty(), "soapenc:arrayType is the encoding's, not a field");
    let [item] = array.fields()[..] else { panic!("{:?}", array.fields()) };
    assert_eq!((item.name.as_str(), &item.type_ref), ("item", &TypeRef::Complex(q("Req"))));
    assert_eq!((item.min_occurs, item.max_occurs, item.namespace.as_ref()), (0, MaxOccurs::Unbounded, None));
    assert!(item.nillable, "a member of an encoded array may be xsi:nil");
    assert_eq!(item.location.line, line_of(&text, "name=\"ArrayOfReq\""));

    let strings = complex(&wsdl, &q("ListOfStrings"));
    assert_eq!(strings.fields()[0].type_ref, TypeRef::Builtin(Builtin::String));
    assert_eq!(names(complex(&wsdl, &q("Restated"))), ["entry"]);
    // An array of arrays keeps its members as raw XML; Axis's `byte[][]` has base64 ones.
    let matrix = complex(&wsdl, &q("Matrix"));
    assert_eq!(matrix.array_type.as_deref(), Some("xs:int[][]"));
    assert_eq!(matrix.fields()[0].type_ref, TypeRef::Builtin(Builtin::AnyType));
    let bytes = complex(&wsdl, &q("ArrayOfBytes"));
    assert_eq!(bytes.fields()[0].type_ref, TypeRef::Builtin(Builtin::Base64Binary));
    assert_eq!(complex(&wsdl, &q("Sized")).fields()[0].type_ref, TypeRef::Builtin(Builtin::Int));
}

#[test]
fn simple_content_restriction_keeps_the_text_type_and_its_attributes() {
    let wsdl = parse_ok(&format!(
        r#"{MINIMAL_TYPES}
      <xs:complexType name="Measure"><xs:simpleContent><xs:extension base="xs:decimal">
        <xs:attribute name="unit" type="xs:string" use="required"/>
      </xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Length"><xs:simpleContent><xs:restriction base="tns:Measure">
        <xs:minInclusive value="0"/>
        <xs:attribute name="unit" type="xs:string" fixed="m"/>
      </xs:restriction></xs:simpleContent></xs:complexType>"#
    ));
    let length = complex(&wsdl, &q("Length"));
    assert_eq!(length.simple_content, Some(TypeRef::Complex(q("Measure"))));
    assert_eq!(length.restriction, Some(q("Measure")));
    assert_eq!(length.attributes[0].fixed.as_deref(), Some("m"));
    let measure = complex(&wsdl, &q("Measure"));
    assert_eq!(
        (measure.simple_content.as_ref(), measure.restriction.as_ref()),
        (Some(&TypeRef::Builtin(Builtin::Decimal)), None)
    );
}

#[test]
fn an_extension_chain_past_the_limit_is_refused_at_the_type_that_goes_past() {
    let chain = |length: usize| {
        let mut types = String::from(r#"<xs:complexType name="E0"><xs:sequence/></xs:complexType>"#);
        for i in 1..length {
            types.push_str(&format!(
                "\n<xs:complexType name=\"E{i}\"><xs:complexContent><xs:extension base=\"tns:E{}\"/></xs:complexContent></xs:complexType>",
                i - 1
            ));
        }
        format!("{MINIMAL_TYPES}{types}")
    };
    let wsdl = parse_ok(&chain(crate::schema::MAX_EXTENSION_DEPTH));
    let last = wsdl.schema.complex_types.last().unwrap();
    assert_eq!(wsdl.schema.lineage(last).len(), crate::schema::MAX_EXTENSION_DEPTH);
    let err = parse_err(&chain(5000));
    let message = err.to_string();
    assert!(message.contains("complexType `E64` is an extension more than 64 types deep"), "{message}");
    assert!(err.location.is_some_and(|at| at.line > 1), "{message}");
}

#[test]
fn a_message_keeps_its_ws_addressing_action() {
    let ops = DEFAULT_OPS.replace(
        r#"<wsdl:input message="tns:EchoRequest"/><wsdl:output message="tns:EchoResponse"/>"#,
        r#"<wsdl:input xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl" wsaw:Action="urn:test/IEcho/Echo" message="tns:EchoRequest"/>
           <wsdl:output xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" wsam:Action="urn:test/IEcho/EchoResponse" message="tns:EchoResponse"/>"#,
    );
    let wsdl = parse_text(&wsdl_with(MINIMAL_TYPES, Some(&ops)));
    let op = &soap11_operations(&wsdl)[0];
    assert_eq!(op.input.action.as_deref(), Some("urn:test/IEcho/Echo"));
    assert_eq!(op.output.as_ref().unwrap().action.as_deref(), Some("urn:test/IEcho/EchoResponse"));
    // An attribute named Action in no addressing namespace is not an action.
    let plain = DEFAULT_OPS.replace(r#"<wsdl:input message"#, r#"<wsdl:input Action="urn:x" message"#);
    assert_eq!(soap11_operations(&parse_text(&wsdl_with(MINIMAL_TYPES, Some(&plain))))[0].input.action, None);
}
