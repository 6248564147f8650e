//! The generator on small WSDLs, one feature each, and on models it must refuse.

fn wsdl(types: &str) -> mktows_wsdl::Wsdl {
    let text = wsdl_text(types);
    mktows_wsdl::parse(&text, "t.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn wsdl_text(types: &str) -> String {
    format!(
        r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><xs:schema targetNamespace="urn:t">
    <xs:complexType name="Req"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>
    <xs:complexType name="Res"><xs:sequence/></xs:complexType>
    <xs:element name="req" type="tns:Req"/><xs:element name="res" type="tns:Res"/>
    <xs:complexType name="Auth"><xs:sequence><xs:element name="u" type="xs:string"/></xs:sequence></xs:complexType>
    <xs:complexType name="Ctx"><xs:sequence><xs:element name="w" type="xs:string"/></xs:sequence></xs:complexType>
    <xs:element name="AuthenticationHeader" type="tns:Auth"/><xs:element name="ContextHeader" type="tns:Ctx"/>
    {types}
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:req"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:res"/></wsdl:message>
  <wsdl:message name="A"><wsdl:part name="authentication" element="tns:AuthenticationHeader"/></wsdl:message>
  <wsdl:message name="C"><wsdl:part name="workspaceContext" element="tns:ContextHeader"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="doThing"><wsdl:documentation>Does a thing.</wsdl:documentation>
    <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="doThing"><soap:operation soapAction="urn:t/doThing"/>
      <wsdl:input><soap:header use="literal" part="authentication" message="tns:A"/><soap:header use="literal" part="workspaceContext" message="tns:C"/><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
</wsdl:definitions>"#
    )
}

fn file<'f>(files: &'f [mktows_codegen::GeneratedFile], path: &str) -> &'f str {
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path}")).contents
}

fn squash(code: &str) -> String {
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn occurrence_decides_the_field_type() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Shapes"><xs:sequence>
            <xs:element name="required" type="xs:int"/>
            <xs:element name="optional" type="xs:long" minOccurs="0"/>
            <xs:element name="nillableOptional" type="xs:string" minOccurs="0" nillable="true"/>
            <xs:element name="nillableRequired" type="xs:boolean" nillable="true"/>
            <xs:element name="many" type="xs:dateTime" maxOccurs="unbounded"/>
            <xs:element name="type" type="xs:base64Binary"/>
        </xs:sequence></xs:complexType>
        <xs:complexType name="Dated"><xs:sequence><xs:element name="when" type="xs:dateTime"/></xs:sequence></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    let xml = squash(file(&files, "src/xml.rs"));
    for expected in [
        "pub required: i32,",
        "pub optional: Option<i64>,",
        "pub nillable_optional: Nillable<String>,",
        "pub nillable_required: Option<bool>,",
        "pub many: Vec<DateTime>,",
        "pub r#type: Base64Binary,",
    ] {
        assert!(types.contains(expected), "missing `{expected}` in\n{types}");
    }
    for expected in [
        "w.nillable(\"nillableOptional\", &self.nillable_optional);",
        "w.nil_or(\"nillableRequired\", &self.nillable_required);",
        "b\"many\" => r.push_into(&child, &mut many)?,",
    ] {
        assert!(xml.contains(expected), "missing `{expected}` in\n{xml}");
    }
    let serde = r#"#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]"#;
    assert!(
        types.contains(&format!("#[derive(Debug, Clone, PartialEq, Default)] {serde} pub struct Shapes")),
        "{types}"
    );
    // A required dateTime has no sensible default value, so no Default is derived.
    assert!(types.contains(&format!("#[derive(Debug, Clone, PartialEq)] {serde} pub struct Dated")), "{types}");
    // JSON names are the XML names; absence maps to a missing field.
    assert!(
        types.contains(r#"serde( rename = "nillableOptional", default, skip_serializing_if = "Nillable::is_absent" ) )] pub nillable_optional"#),
        "{types}"
    );
}

#[test]
fn enumerations_get_a_fallback_variant_that_does_not_collide() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:simpleType name="Mode"><xs:restriction base="xs:string">
            <xs:enumeration value="UPSERT"/><xs:enumeration value="Unknown"/></xs:restriction></xs:simpleType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub enum Mode {"), "{types}");
    assert!(types.contains("Upsert, /// `Unknown` Unknown,"), "{types}");
    assert!(types.contains("Other(String),"), "{types}");
    assert!(types.contains("other => Self::Other(other.to_owned()),"), "{types}");
}

#[test]
fn abstract_types_become_enums_over_their_extensions() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Shape" abstract="true"/>
           <xs:complexType name="Circle"><xs:complexContent><xs:extension base="tns:Shape"><xs:sequence>
             <xs:element name="radius" type="xs:double"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="Holder"><xs:sequence><xs:element name="shape" type="tns:Shape"/></xs:sequence></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub enum Shape { /// Sent as `xsi:type=\"Circle\"`. Circle(Circle), }"), "{types}");
    let xml = squash(file(&files, "src/xml.rs"));
    assert!(xml.contains("w.start_typed(name, \"Circle\");"), "{xml}");
    assert!(types.contains("pub shape: Shape,"), "{types}");
}

#[test]
fn recursive_types_are_boxed() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Node"><xs:sequence>
             <xs:element name="next" type="tns:Node" minOccurs="0"/>
             <xs:element name="children" type="tns:Node" minOccurs="0" maxOccurs="unbounded"/>
           </xs:sequence></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub next: Option<Box<Node>>,"), "{types}");
    assert!(types.contains("pub children: Vec<Node>,"), "{types}");
}

#[test]
fn a_configured_signed_header_is_left_to_the_signer_and_others_become_parameters() {
    let options = mktows_codegen::Options {
        signing: Some(mktows_codegen::Signing {
            header_element: "AuthenticationHeader".into(),
            credentials_type: "vendor::Credentials".into(),
        }),
        ..Default::default()
    };
    let files = mktows_codegen::generate_with(&wsdl(""), &options).unwrap();
    let client = squash(file(&files, "src/client.rs"));
    assert!(
        client.contains(
            "pub async fn do_thing( &self, params: &types::Req, workspace_context: Option<&types::Ctx>, ) -> Result<types::Res, Error>"
        ),
        "{client}"
    );
    assert!(client.contains("pub fn new( endpoint: &str, credentials: vendor::Credentials, )"), "{client}");
    assert!(client.contains(".with_signer(credentials)"), "{client}");
    assert!(client.contains("/// Does a thing."), "{client}");
    let operations = squash(file(&files, "src/operations.rs"));
    assert!(
        operations.contains("const SIGNED_HEADER: Option<&'static str> = Some(\"AuthenticationHeader\");"),
        "{operations}"
    );
    assert!(operations.contains("const SOAP_ACTION: &'static str = \"urn:t/doThing\";"), "{operations}");
}

#[test]
fn without_a_vendor_layer_every_header_is_a_parameter_and_nothing_is_signed() {
    let files = mktows_codegen::generate(&wsdl("")).unwrap();
    let client = squash(file(&files, "src/client.rs"));
    assert!(
        client.contains("authentication: Option<&types::Auth>, workspace_context: Option<&types::Ctx>"),
        "{client}"
    );
    assert!(client.contains("pub fn new(endpoint: &str) -> Result<Self, ConfigError>"), "{client}");
    let operations = squash(file(&files, "src/operations.rs"));
    assert!(operations.contains("const SIGNED_HEADER: Option<&'static str> = None;"), "{operations}");
    for file in &files {
        assert!(!file.contents.contains("signed with"), "{}: {}", file.path, file.contents);
    }
}

#[test]
fn client_and_server_can_be_left_out() {
    let options = mktows_codegen::Options { client: false, server: false, serde_feature: None, ..Default::default() };
    let files = mktows_codegen::generate_with(&wsdl(""), &options).unwrap();
    let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["src/lib.rs", "src/operations.rs", "src/types.rs", "src/xml.rs"]);
    let lib = file(&files, "src/lib.rs");
    assert!(!lib.contains("mod client") && !lib.contains("client::Client") && !lib.contains("mod server"), "{lib}");
    assert!(files.iter().all(|f| !f.contents.contains("serde")), "no serde code without a serde feature");
}

#[test]
fn every_file_parses_as_rust_and_carries_the_header() {
    let files = mktows_codegen::generate(&wsdl("")).unwrap();
    let paths: Vec<_> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "src/lib.rs",
            "src/client.rs",
            "src/json.rs",
            "src/operations.rs",
            "src/server.rs",
            "src/types.rs",
            "src/xml.rs"
        ]
    );
    for file in &files {
        assert!(file.contents.starts_with("// @generated by mktows-codegen from t.wsdl."), "{}", file.path);
        syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
    }
}

#[test]
fn element_names_that_map_to_one_field_name_get_a_numbered_one() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Clash"><xs:sequence>
             <xs:element name="leadId" type="xs:int"/><xs:element name="lead_id" type="xs:int"/>
           </xs:sequence></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub lead_id: i32,") && types.contains("pub lead_id_2: i32,"), "{types}");
    assert!(types.contains("Named `lead_id_2`: another element of this type takes `lead_id`."), "{types}");
}

#[test]
fn models_the_generator_cannot_express_are_errors_with_a_location() {
    // One element twice in a sequence cannot be read back by name: the type is left out.
    let twice = r#"<xs:complexType name="Twice"><xs:sequence>
             <xs:element name="a" type="xs:int"/><xs:element name="b" type="xs:int"/><xs:element name="a" type="xs:int"/>
           </xs:sequence></xs:complexType>"#;
    let report = mktows_codegen::left_out(&wsdl(twice), &Default::default()).unwrap();
    assert!(
        report.iter().any(|l| l.starts_with("type `Twice`: t.wsdl:11:")
            && l.contains("element `a` appears twice in the content of complexType `Twice` (also at line 11)")),
        "{report:?}"
    );
    // An operation reaching a type the generator cannot write is left out, with why ...
    // A wildcard alternative of a choice inside a repeated sequence: nothing tells which of
    // the children that follow belong to the wildcard and which end the group.
    let open = r#"<xs:complexType name="Open"><xs:sequence maxOccurs="unbounded"><xs:element name="k" type="xs:int"/>
        <xs:choice><xs:element name="a" type="xs:int"/><xs:any/></xs:choice></xs:sequence></xs:complexType>"#;
    let used = wsdl_text(open).replace(
        r#"<xs:complexType name="Res"><xs:sequence/></xs:complexType>"#,
        r#"<xs:complexType name="Res"><xs:sequence><xs:element name="o" type="tns:Open"/></xs:sequence></xs:complexType>"#,
    );
    let files = mktows_codegen::generate(&mktows_wsdl::parse(&used, "t.wsdl").unwrap()).unwrap();
    let lib = file(&files, "src/lib.rs");
    assert!(
        lib.contains("* `doThing`: t.wsdl:11:")
            && lib.contains("unsupported: a choice with an <xs:any> alternative inside a choice or a repeated sequence in complexType `Open`"),
        "{lib}"
    );
    assert!(!file(&files, "src/client.rs").contains("fn do_thing("), "the operation is left out");
    let report = mktows_codegen::left_out(&mktows_wsdl::parse(&used, "t.wsdl").unwrap(), &Default::default()).unwrap();
    assert!(report.iter().any(|l| l.starts_with("operation `doThing`: t.wsdl:11:")), "{report:?}");
    // ... and, when none does, left out with why (with what uses it), the rest generated.
    let unused = format!(
        r#"{open}<xs:complexType name="UsesOpen"><xs:sequence><xs:element name="o" type="tns:Open"/></xs:sequence></xs:complexType>"#
    );
    let files = mktows_codegen::generate(&wsdl(&unused)).unwrap();
    let lib = file(&files, "src/lib.rs");
    assert!(lib.contains("Schema types left out, because they use what this generator does not support yet"), "{lib}");
    assert!(lib.contains("`Open`: t.wsdl:") && lib.contains("`UsesOpen`: t.wsdl:"), "{lib}");
    assert!(!file(&files, "src/types.rs").contains("struct Open"), "left out");
}

#[test]
fn a_concrete_base_keeps_its_struct_and_fields_take_any_of_its_family() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Base"><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType>
           <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence>
             <xs:element name="d" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="Holder"><xs:sequence><xs:element name="x" type="tns:Base"/></xs:sequence></xs:complexType>
           <xs:complexType name="Lonely" abstract="true"><xs:sequence><xs:element name="l" type="xs:int"/></xs:sequence></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub struct Base { /// Element `b`, required."), "{types}");
    assert!(types.contains("pub enum AnyBase { /// Sent without `xsi:type`. Base(Base), /// Sent as `xsi:type=\"Derived\"`. Derived(Derived), }"), "{types}");
    assert!(types.contains("pub x: AnyBase,"), "{types}");
    // An abstract type nothing extends is a plain struct.
    assert!(types.contains("pub struct Lonely {"), "{types}");
    let xml = squash(file(&files, "src/xml.rs"));
    assert!(xml.contains("None => r.read_variant::<Base, _>(element, Self::Base),"), "{xml}");
}

#[test]
fn a_broken_operation_is_left_out_with_why_and_the_rest_generated() {
    let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><xs:schema targetNamespace="urn:t">
    <xs:element name="req"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:req"/></wsdl:message>
  <wsdl:message name="Lost"><wsdl:part name="p" element="tns:neverDefined"/></wsdl:message>
  <wsdl:portType name="P">
    <wsdl:operation name="works"><wsdl:input message="tns:In"/><wsdl:output message="tns:In"/></wsdl:operation>
    <wsdl:operation name="broken"><wsdl:input message="tns:Lost"/><wsdl:output message="tns:In"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="works"><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="broken"><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#;
    let wsdl = mktows_wsdl::parse(text, "t.wsdl").unwrap();
    let files = mktows_codegen::generate(&wsdl).unwrap();
    let lib = file(&files, "src/lib.rs");
    assert!(lib.contains("Operations left out, because the WSDL defines them incompletely"), "{lib}");
    assert!(lib.contains("`broken`: t.wsdl:7:") && lib.contains("unknown element `neverDefined`"), "{lib}");
    let client = file(&files, "src/client.rs");
    assert!(client.contains("pub async fn works(") && !client.contains("fn broken("), "{client}");
}

#[test]
fn an_extension_holding_its_own_base_is_boxed() {
    // Derived is a variant of AnyBase and holds an AnyBase: without a Box it would contain itself.
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Base"><xs:sequence><xs:element name="b" type="xs:int"/></xs:sequence></xs:complexType>
           <xs:complexType name="Derived"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence>
             <xs:element name="parent" type="tns:Base" minOccurs="0"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub parent: Option<Box<AnyBase>>,"), "{types}");
}

#[test]
fn a_required_wildcard_is_one_raw_element_and_its_struct_has_no_default() {
    let files = mktows_codegen::generate(&wsdl(
        r###"<xs:complexType name="Open"><xs:sequence>
             <xs:element name="id" type="xs:int"/><xs:any namespace="##other"/>
           </xs:sequence></xs:complexType>
           <xs:complexType name="Loose"><xs:sequence>
             <xs:element name="id" type="xs:int"/><xs:any minOccurs="0"/>
           </xs:sequence></xs:complexType>"###,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    let serde = r#"#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]"#;
    assert!(types.contains(&format!("#[derive(Debug, Clone, PartialEq)] {serde} pub struct Open")), "{types}");
    assert!(types.contains("pub any: AnyElement,") && types.contains("pub any: Option<AnyElement>,"), "{types}");
    assert!(
        types.contains(&format!("#[derive(Debug, Clone, PartialEq, Default)] {serde} pub struct Loose")),
        "{types}"
    );
    // A child no field names goes to the wildcard while it is empty; later ones are skipped.
    let xml = squash(file(&files, "src/xml.rs"));
    assert!(xml.contains("_ if any.is_none() => any = Some(r.read(&child)?), _ => r.skip(&child)?,"), "{xml}");
}

/// A required choice is an enum, which has no default: its struct derives no `Default` even
/// when every element in it is repeated (equifax's `FreeFormAddress`).
#[test]
fn a_required_choice_of_repeated_elements_has_no_default() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Lines"><xs:choice><xs:element name="line" type="xs:string" maxOccurs="6"/><xs:element name="text" type="xs:string"/></xs:choice></xs:complexType>
           <xs:complexType name="MaybeLines"><xs:choice minOccurs="0"><xs:element name="line" type="xs:string" maxOccurs="6"/><xs:element name="text" type="xs:string"/></xs:choice></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    let serde = r#"#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]"#;
    assert!(types.contains(&format!("#[derive(Debug, Clone, PartialEq)] {serde} pub struct Lines")), "{types}");
    assert!(
        types.contains("pub line_or_text: LinesChoice,")
            && types.contains("pub line_or_text: Option<MaybeLinesChoice>,"),
        "{types}"
    );
    assert!(
        types.contains(&format!("#[derive(Debug, Clone, PartialEq, Default)] {serde} pub struct MaybeLines")),
        "{types}"
    );
    assert!(types.contains("Line(Vec<String>),"), "{types}");
}

#[test]
fn a_choice_of_one_alternative_is_that_alternative_with_the_choices_occurrence() {
    // The shapes of EWS's ArrayOfSmtpAddressType and ConfigurationRequestDetailsType.
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Addresses"><xs:choice minOccurs="1" maxOccurs="unbounded"><xs:element name="SmtpAddress" type="xs:string"/></xs:choice></xs:complexType>
           <xs:complexType name="Details"><xs:choice><xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:choice></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub smtp_address: Vec<String>,"), "{types}");
    assert!(types.contains("Element `SmtpAddress`, repeated at least 1 times."), "{types}");
    assert!(
        types.contains("pub struct Details { /// `xs:any`") && types.contains("pub any: Vec<AnyElement>,"),
        "{types}"
    );
    assert!(!types.contains("Choice"), "{types}");
}

/// A body element of `xs:anyType` is sent and received as raw XML.
#[test]
fn a_body_element_of_any_type_is_raw_xml() {
    let text = wsdl_text("")
        .replace(r#"<xs:element name="res" type="tns:Res"/>"#, r#"<xs:element name="res" type="xs:anyType"/>"#);
    let files = mktows_codegen::generate(&mktows_wsdl::parse(&text, "t.wsdl").unwrap()).unwrap();
    assert!(!file(&files, "src/lib.rs").contains("left out"), "{}", file(&files, "src/lib.rs"));
    let operations = squash(file(&files, "src/operations.rs"));
    assert!(operations.contains("type Output = AnyXml;"), "{operations}");
    for file in &files {
        syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{}: {e}", file.path));
    }
}

#[test]
fn types_with_attributes_or_content_the_generator_cannot_write_are_left_out_by_name() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Prose" mixed="true"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence></xs:complexType>
           <xs:complexType name="Matrix" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><xs:complexContent>
             <xs:restriction base="soapenc:Array"><xs:attribute ref="soapenc:arrayType" wsdl:arrayType="xs:int[][]"/></xs:restriction>
           </xs:complexContent></xs:complexType>
           <xs:complexType name="Crowded"><xs:sequence>
             <xs:element name="id" type="xs:int"/><xs:element name="id_attribute" type="xs:int"/>
           </xs:sequence><xs:attribute name="id" type="xs:int"/></xs:complexType>
           <xs:complexType name="Boxy"><xs:simpleContent><xs:extension base="tns:Req"/></xs:simpleContent></xs:complexType>
           <xs:complexType name="Measure"><xs:simpleContent><xs:extension base="xs:decimal">
             <xs:attribute name="unit" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
           <xs:complexType name="Short"><xs:simpleContent><xs:extension base="xs:int"/></xs:simpleContent></xs:complexType>
           <xs:complexType name="Tall"><xs:complexContent><xs:extension base="tns:Short">
             <xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="Fine"><xs:simpleContent><xs:extension base="tns:Measure"/></xs:simpleContent></xs:complexType>"#,
    ))
    .unwrap();
    let lib = squash(file(&files, "src/lib.rs"));
    for reason in [
        "attribute `id` of `Crowded` becomes the field `id_attribute`, which another member has",
        "unsupported: simpleContent whose base has element content (or derives from itself) in complexType `Boxy`",
        "unsupported: complexContent extension of the simpleContent type `Short` in complexType `Tall`",
        // A base is left out with the extension its values may be.
        "`Short`: t.wsdl:",
    ] {
        assert!(lib.contains(reason), "{reason}: {lib}");
    }
    let types = squash(file(&files, "src/types.rs"));
    assert!(!types.contains("struct Tall") && !types.contains("struct Prose"), "{types}");
    // Mixed content is kept whole, as raw XML; so are the members of an array of arrays.
    assert!(types.contains("kept as raw XML. pub type Prose = AnyXml;"), "{types}");
    assert!(types.contains("pub item: Vec<Option<AnyXml>>,"), "{types}");
    assert!(!lib.contains("`Matrix`:"), "{lib}");
    assert!(!lib.contains("`Prose`:"), "{lib}");
    assert!(!lib.contains("`Measure`:") && !lib.contains("`Fine`:"), "{lib}");
    // A simple-content extension of a simple-content type is fine, its base's attributes first.
    assert!(types.contains("pub struct Fine {"), "{types}");
    assert!(
        types.contains("pub unit: Option<String>, /// The element's text (simple content of `xs:decimal`)."),
        "{types}"
    );
}

/// An extension declaring an inherited element again, of the same type (PayPal's responses
/// redeclare `MsgSubID`), has it once; of another type, the reader could not tell which the
/// child is, and the type is left out.
#[test]
fn an_element_an_extension_declares_again_is_one_field() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="Base"><xs:sequence><xs:element name="MsgSubID" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>
           <xs:complexType name="Same"><xs:complexContent><xs:extension base="tns:Base"><xs:sequence>
             <xs:element name="MsgSubID" type="xs:string" minOccurs="0"/><xs:element name="x" type="xs:int"/>
           </xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="Base2"><xs:sequence><xs:element name="MsgSubID" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType>
           <xs:complexType name="Other"><xs:complexContent><xs:extension base="tns:Base2"><xs:sequence>
             <xs:element name="MsgSubID" type="xs:int"/>
           </xs:sequence></xs:extension></xs:complexContent></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    let same = &types[types.find("pub struct Same {").unwrap()..];
    let same = &same[..same.find('}').unwrap()];
    assert_eq!(same.matches("pub msg_sub_id:").count(), 1, "{same}");
    assert!(same.contains("pub x: i32,"), "{same}");
    let lib = squash(file(&files, "src/lib.rs"));
    assert!(lib.contains("element `MsgSubID` appears twice in the content of complexType `Other`"), "{lib}");
}

/// A complexContent extension adding only attributes to a simple-content type (chromedata's
/// `bodyType`) has the base's text and attributes, then its own.
#[test]
fn attributes_added_to_simple_content_by_complex_content_keep_the_text() {
    let files = mktows_codegen::generate(&wsdl(
        r#"<xs:complexType name="IdentifiedString"><xs:simpleContent><xs:extension base="xs:string">
             <xs:attribute name="id" type="xs:int" use="required"/></xs:extension></xs:simpleContent></xs:complexType>
           <xs:complexType name="BodyType"><xs:complexContent><xs:extension base="tns:IdentifiedString">
             <xs:attribute name="primary" type="xs:boolean"/></xs:extension></xs:complexContent></xs:complexType>"#,
    ))
    .unwrap();
    let types = squash(file(&files, "src/types.rs"));
    let body = &types[types.find("pub struct BodyType {").expect(&types)..];
    let body = &body[..body.find('}').unwrap()];
    for field in ["pub id: i32,", "pub primary: Option<bool>,", "pub value: String,"] {
        assert!(body.contains(field), "{field}: {body}");
    }
}

#[test]
fn header_parameters_are_distinct_and_a_header_bound_twice_is_one() {
    // EWS's GetUserAvailability binds `RequestVersion` twice; here a header part is also
    // named like the body parameter, and two messages have a part of one name.
    let text = wsdl_text("")
        .replace(
            r#"<wsdl:message name="C"><wsdl:part name="workspaceContext" element="tns:ContextHeader"/></wsdl:message>"#,
            r#"<wsdl:message name="C"><wsdl:part name="params" element="tns:ContextHeader"/></wsdl:message>
               <wsdl:message name="D"><wsdl:part name="params" element="tns:AuthenticationHeader"/></wsdl:message>"#,
        )
        .replace(
            r#"<soap:header use="literal" part="workspaceContext" message="tns:C"/>"#,
            r#"<soap:header use="literal" part="params" message="tns:C"/><soap:header use="literal" part="params" message="tns:D"/>
               <soap:header use="literal" part="authentication" message="tns:A"/>"#,
        );
    let files = mktows_codegen::generate(&mktows_wsdl::parse(&text, "t.wsdl").unwrap()).unwrap();
    let client = squash(file(&files, "src/client.rs"));
    assert!(
        client.contains(
            "params: &types::Req, authentication: Option<&types::Auth>, params_2: Option<&types::Ctx>, params_3: Option<&types::Auth>,"
        ),
        "{client}"
    );
    assert_eq!(client.matches("authentication: Option<&types::Auth>").count(), 1, "{client}");
}

#[test]
fn names_with_nothing_an_identifier_keeps_generate_code_that_parses() {
    // `name=""` is not a legal name, but a WSDL that has it must not crash the generator.
    let types = r#"<xs:complexType name=""><xs:sequence><xs:element name="" type="xs:string"/><xs:element name="_" type="xs:int"/></xs:sequence></xs:complexType>
        <xs:complexType name="_"><xs:sequence><xs:element name="__" type="xs:string"/></xs:sequence></xs:complexType>"#;
    let files = mktows_codegen::generate(&wsdl(types)).unwrap_or_else(|e| panic!("{e}"));
    let types = squash(file(&files, "src/types.rs"));
    assert!(types.contains("pub struct Unnamed { /// Element ``, required."), "{types}");
    assert!(types.contains("pub unnamed: String, /// Element `_`, required."), "{types}");
    assert!(types.contains("pub unnamed_2: i32"), "{types}");
    assert!(types.contains("/// Schema type `_`."), "{types}");
    assert!(types.contains("pub struct UnnamedType {"), "{types}");
}

#[test]
fn a_chain_of_thousands_of_types_each_requiring_the_next_is_generated_and_sampled_in_a_test_threads_stack() {
    let mut types = String::new();
    for i in 0..2000 {
        types.push_str(&format!(
            r#"<xs:complexType name="T{i}"><xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="n" type="tns:T{}"/></xs:sequence></xs:complexType>"#,
            i + 1
        ));
    }
    types.push_str(
        r#"<xs:complexType name="T2000"><xs:sequence/></xs:complexType><xs:element name="chain" type="tns:T0"/>"#,
    );
    let text = wsdl_text(&types).replace(r#"element="tns:req""#, r#"element="tns:chain""#);
    let model = mktows_wsdl::parse(&text, "t.wsdl").unwrap_or_else(|e| panic!("{e}"));
    let files = mktows_codegen::generate(&model).unwrap_or_else(|e| panic!("{e}"));
    // Every link has a default, down to the empty end of the chain.
    assert!(squash(file(&files, "src/types.rs")).contains("#[derive(Debug, Clone, PartialEq, Default)] #[cfg_attr(feature = \"serde\", derive(serde::Serialize, serde::Deserialize))] pub struct T0 {"));
    let samples = mktows_codegen::operation_samples(&model, &Default::default()).unwrap();
    let request = &samples[0].request;
    // The sample stops, and says so, where the runtime would refuse to read on.
    assert_eq!(request.matches("<n>").count(), 63, "{}", &request[..200]);
    assert!(samples[0].left_out.iter().any(|l| l.contains("nested more than 64 deep")), "{:?}", samples[0].left_out);
}

#[test]
fn an_enumeration_of_thirty_thousand_values_is_named_and_deduplicated() {
    let mut values = String::new();
    for i in 0..30_000 {
        values.push_str(&format!(r#"<xs:enumeration value="v{i}"/>"#));
    }
    // `v-1` and `v1` map to one name: the later one is numbered.
    values.push_str(r#"<xs:enumeration value="v-1"/>"#);
    let types = format!(
        r#"<xs:simpleType name="Big"><xs:restriction base="xs:string">{values}</xs:restriction></xs:simpleType>"#
    );
    let files = mktows_codegen::generate(&wsdl(&types)).unwrap_or_else(|e| panic!("{e}"));
    let code = file(&files, "src/types.rs");
    assert!(code.contains("V29999,"));
    // The first number free after `V1`'s own: `V12` to `V19999` are values of their own.
    assert!(
        squash(code).contains("/// `v-1` /// /// Named `V110000`: another value takes `V1`. V110000,"),
        "the v-1 variant"
    );
}

#[test]
fn only_the_operations_asked_for_are_generated_with_the_types_they_reach() {
    let types = r#"<xs:complexType name="Unused"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
        <xs:complexType name="Sibling"><xs:complexContent><xs:extension base="tns:Res"/></xs:complexContent></xs:complexType>"#;
    let model = wsdl(types);
    let options = mktows_codegen::Options { operations: Some(vec!["doThing".to_owned()]), ..Default::default() };
    let files = mktows_codegen::generate_with(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let code = file(&files, "src/types.rs");
    assert!(code.contains("pub struct Req {") && code.contains("pub struct Auth {"), "body and header types stay");
    // `Res` is the response: a value of it may be a `Sibling`, which stays too.
    assert!(code.contains("pub struct Sibling {"), "{code}");
    assert!(!code.contains("Unused"), "{code}");
    let everything = mktows_codegen::generate(&model).unwrap();
    assert!(file(&everything, "src/types.rs").contains("pub struct Unused {"));

    let options = mktows_codegen::Options { operations: Some(vec!["doThings".to_owned()]), ..Default::default() };
    let error = mktows_codegen::generate_with(&model, &options).expect_err("an unknown operation is refused");
    assert!(error.to_string().starts_with("t.wsdl:"), "{error}");
    assert!(error.to_string().contains("no operation `doThings` in binding `B` (it has 1;"), "{error}");
}

#[test]
fn an_extension_reached_only_as_a_base_does_not_bring_its_siblings() {
    // `Req` extends `Common`, which a hundred other types extend too (Cisco AXL's
    // `APIRequest`): generating `doThing` alone keeps `Common`, not the others.
    let mut types = String::from(
        r#"<xs:complexType name="Common"><xs:sequence><xs:element name="c" type="xs:string"/></xs:sequence></xs:complexType>"#,
    );
    for i in 0..100 {
        types.push_str(&format!(r#"<xs:complexType name="Other{i}"><xs:complexContent><xs:extension base="tns:Common"/></xs:complexContent></xs:complexType>"#));
    }
    let text = wsdl_text(&types).replace(
        r#"<xs:complexType name="Req"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType>"#,
        r#"<xs:complexType name="Req"><xs:complexContent><xs:extension base="tns:Common"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>"#,
    );
    let model = mktows_wsdl::parse(&text, "t.wsdl").unwrap_or_else(|e| panic!("{e}"));
    let options = mktows_codegen::Options { operations: Some(vec!["doThing".to_owned()]), ..Default::default() };
    let code = squash(file(&mktows_codegen::generate_with(&model, &options).unwrap(), "src/types.rs"));
    assert!(code.contains("pub struct Req { /// Element `c`, required."), "{code}");
    assert!(!code.contains("Other"), "{code}");
}

#[test]
fn the_builder_generates_only_the_operations_asked_for() {
    let out = std::env::temp_dir().join(format!("mktows-builder-ops-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let wsdl = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/operation_names/service.wsdl");
    let path = mktows_codegen::Builder::new().operations(["ping"]).out_dir(&out).compile(wsdl).unwrap();
    let code = std::fs::read_to_string(&path).unwrap();
    assert!(code.contains("pub struct Ping;"), "{code}");
    assert!(!code.contains("GetLead"), "{code}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn anonymous_types_nested_to_the_depth_limit_are_generated_in_a_test_threads_stack() {
    // The WSDL, its types, the schema and 40 levels of element, complexType and sequence:
    // 124 elements deep, just inside `mktows_wsdl::MAX_DEPTH`.
    let levels = 40;
    let open = r#"<xs:complexType><xs:sequence><xs:element name="e">"#.repeat(levels);
    let close = "</xs:element></xs:sequence></xs:complexType>".repeat(levels);
    let types = format!(
        r#"<xs:element name="deep">{open}<xs:complexType><xs:sequence><xs:element name="leaf" type="xs:string"/></xs:sequence></xs:complexType>{close}</xs:element>"#
    );
    let text = wsdl_text(&types).replace(r#"element="tns:req""#, r#"element="tns:deep""#);
    let model = mktows_wsdl::parse(&text, "t.wsdl").unwrap_or_else(|e| panic!("{e}"));
    let files = mktows_codegen::generate(&model).unwrap_or_else(|e| panic!("{e}"));
    assert!(file(&files, "src/types.rs").contains("pub leaf: String"));
    let samples = mktows_codegen::operation_samples(&model, &Default::default()).unwrap();
    assert!(samples[0].request.contains("<leaf>"), "{}", samples[0].request);
}

#[test]
fn a_service_layer_describes_operations_instead_of_the_wsdl() {
    let model = wsdl("");
    let default = mktows_codegen::generate(&model).unwrap();
    let options = mktows_codegen::Options {
        operation_docs: vec![("doThing".to_owned(), "Does the thing, as the vendor's reference says.".to_owned())],
        ..Default::default()
    };
    let layered = mktows_codegen::generate_with(&model, &options).unwrap();
    for path in ["src/client.rs", "src/server.rs"] {
        assert!(file(&layered, path).contains("/// Does the thing, as the vendor's reference says."), "{path}");
        assert!(!file(&default, path).contains("as the vendor's reference says"), "{path}");
        assert!(file(&default, path).contains("/// Does a thing.") && !file(&layered, path).contains("Does a thing."));
    }
}

/// A WSDL of one operation that pages: `from` in the request, `next`, `left` and a list of
/// `row` items in the response.
fn paging_wsdl() -> mktows_wsdl::Wsdl {
    let text = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t">
  <wsdl:types><xs:schema targetNamespace="urn:t">
    <xs:complexType name="Row"><xs:sequence><xs:element name="id" type="xs:int"/></xs:sequence></xs:complexType>
    <xs:complexType name="Rows"><xs:sequence><xs:element name="row" type="tns:Row" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
    <xs:element name="list"><xs:complexType><xs:sequence><xs:element name="from" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
    <xs:element name="listResponse"><xs:complexType><xs:sequence>
      <xs:element name="next" type="xs:string"/><xs:element name="left" type="xs:int"/>
      <xs:element name="rows" type="tns:Rows" minOccurs="0" nillable="true"/>
      <xs:element name="tag" type="xs:string" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:list"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:listResponse"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="list"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="list"><soap:operation soapAction="urn:t/list"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
</wsdl:definitions>"#;
    mktows_wsdl::parse(text, "paging.wsdl").unwrap_or_else(|e| panic!("{e}"))
}

fn paging(items: Option<&str>, more: &str) -> mktows_codegen::Options {
    mktows_codegen::Options {
        pagination: vec![mktows_codegen::Pagination {
            operation: "list".to_owned(),
            request_position: "from".to_owned(),
            response_position: "next".to_owned(),
            more: more.to_owned(),
            items: items.map(str::to_owned),
        }],
        ..Default::default()
    }
}

#[test]
fn a_paging_operation_gets_pages_and_items_methods_of_the_item_type() {
    let model = paging_wsdl();
    let files = mktows_codegen::generate_with(&model, &paging(Some("rows"), "left")).unwrap();
    let client = squash(file(&files, "src/client.rs"));
    assert!(client.contains("pub fn list_pages<'a>"), "{client}");
    assert!(client.contains("pub fn list_items<'a>( &'a self, params: &types::List, ) -> impl mktows_runtime::paging::Stream<Item = Result<types::Row, Error>> + 'a"), "{client}");
    assert!(client.contains("|page: types::ListResponse| page.rows"), "{client}");
    // A repeated element of a built-in type is a list of items too.
    let files = mktows_codegen::generate_with(&model, &paging(Some("tag"), "left")).unwrap();
    assert!(squash(file(&files, "src/client.rs")).contains("Stream<Item = Result<String, Error>>"));
    let without = squash(file(&mktows_codegen::generate_with(&model, &paging(None, "left")).unwrap(), "src/client.rs"));
    assert!(without.contains("list_pages") && !without.contains("list_items"));
}

#[test]
fn paging_paths_that_name_no_field_are_errors_saying_which() {
    let model = paging_wsdl();
    let error = mktows_codegen::generate_with(&model, &paging(None, "lefts")).unwrap_err().to_string();
    assert_eq!(error, "pagination of `list`: `lefts`: `ListResponse` has no field `lefts`");
    let error = mktows_codegen::generate_with(&model, &paging(Some("next.row"), "left")).unwrap_err().to_string();
    assert_eq!(error, "pagination of `list`: `next.row`: `String` is not a struct");
    let error = mktows_codegen::generate_with(&model, &paging(Some("left"), "left")).unwrap_err().to_string();
    assert_eq!(error, "pagination of `list`: `left` of `ListResponse` is neither a repeated element nor a list type");
    let mut unknown = paging(None, "left");
    unknown.pagination[0].operation = "lst".to_owned();
    let error = mktows_codegen::generate_with(&model, &unknown).unwrap_err().to_string();
    assert_eq!(error, "pagination: the binding has no operation `lst`");
}

#[test]
fn the_crate_docs_carry_an_example_call_when_the_crate_has_a_name() {
    let model = wsdl("");
    let unnamed = mktows_codegen::generate(&model).unwrap();
    assert!(!file(&unnamed, "src/lib.rs").contains("# Example"), "an `include!`d crate has no docs of its own");
    let options = mktows_codegen::Options {
        crate_name: Some("things".to_owned()),
        signing: Some(mktows_codegen::Signing {
            header_element: "AuthenticationHeader".to_owned(),
            credentials_type: "things_auth::Keys".to_owned(),
        }),
        ..Default::default()
    };
    let named = mktows_codegen::generate_with(&model, &options).unwrap();
    let lib = file(&named, "src/lib.rs");
    for line in [
        "//! ```no_run",
        "//! # async fn example(credentials: things_auth::Keys) -> Result<(), Box<dyn std::error::Error>> {",
        "//! let request = things::types::Req::default(); // set its fields",
        // The signed header is the signer's; the other is a parameter, left out.
        "//! match client.do_thing(&request, None).await {",
        "//!         ErrorKind::Fault(fault) => eprintln!(\"refused: {} {}\", fault.code, fault.message),",
    ] {
        assert!(lib.contains(line), "{line}\n{lib}");
    }
    let own = mktows_codegen::Options { crate_example: Some("# fn main() {}\nlet x = 1;".to_owned()), ..options };
    let lib = file(&mktows_codegen::generate_with(&model, &own).unwrap(), "src/lib.rs").to_owned();
    assert!(lib.contains("//! ```no_run\n//! # fn main() {}\n//! let x = 1;\n//! ```"), "{lib}");
}

#[test]
fn a_ws_addressing_action_other_than_the_soap_action_is_the_operations_action() {
    let text = wsdl_text("").replace(
        r#"<wsdl:input message="tns:In"/>"#,
        r#"<wsdl:input xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" wsam:Action="urn:t/IThing/DoThing" message="tns:In"/>"#,
    );
    let model = mktows_wsdl::parse(&text, "t.wsdl").unwrap();
    let files = mktows_codegen::generate(&model).unwrap();
    assert!(
        squash(file(&files, "src/operations.rs")).contains(r#"const ACTION: &'static str = "urn:t/IThing/DoThing";"#)
    );
    // The same as the SOAP action, or none: the runtime's default (the SOAP action) stands.
    let same = wsdl_text("").replace("wsam:Action", "x").replace(r#"<wsdl:input message="tns:In"/>"#, r#"<wsdl:input xmlns:wsam="http://www.w3.org/2007/05/addressing/metadata" wsam:Action="urn:t/doThing" message="tns:In"/>"#);
    let files = mktows_codegen::generate(&mktows_wsdl::parse(&same, "t.wsdl").unwrap()).unwrap();
    assert!(!file(&files, "src/operations.rs").contains("const ACTION"));
}
