//! One construct per folder of `tests/features/`: its expected code (see features_fresh.rs)
//! is compiled here as a module, against the runtime, and its example XML is read with the
//! generated type and written back to the same elements, attributes and text.

use mktows_runtime::codegen::{FromXml, ToXml, XmlReader, XmlWriter};

macro_rules! features {
    ($($name:ident: $root:ident <$element:literal> $([$extra:expr])?),* $(,)?) => {
        $(
            #[allow(dead_code, unused_imports)]
            mod $name {
                include!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/features/", stringify!($name), "/expected.rs"));
            }
        )*
        mod round_trip {
            $(
                #[test]
                fn $name() {
                    #[allow(unused_variables)]
                    let extra: &[&str] = &[];
                    $(let extra: &[&str] = $extra;)?
                    super::round_trip::<super::$name::$root>(stringify!($name), $element, extra);
                }
            )*
        }
    };
}

features! {
    all: Job<"job">,
    any: Problem<"problem">,
    anonymous: Run<"run">,
    attributes: Verification<"verification">,
    builtins: Values<"values">,
    choice: Person<"person">,
    complex_restriction: Group<"group">,
    concrete_base: Drawing<"drawing">,
    enumeration: Job<"job">,
    faults: ServiceException<"ns1:serviceException">,
    headers: Req<"req">,
    large_family: Drawing<"drawing">,
    multi_namespace: Order<"ns1:order"> [super::multi_namespace::EXTRA_NAMESPACES],
    multi_part: PlaceInput<"body">,
    nillable_repeated: ArrayOfName<"names">,
    occurrence: Shapes<"shapes">,
    one_way: Event<"ns1:log">,
    operation_names: Lead<"ns1:lead">,
    polymorphism: Drawing<"drawing">,
    qualified: Order<"order">,
    recursion: Node<"tree">,
    reserved_names: ResultType<"result">,
    rpc_encoded: GetCommentsOutput<"ns1:getCommentsResponse">,
    rpc_literal: TestOperationInput<"ns1:TestOperation">,
    shared_names: Contact<"ns1:contact"> [super::shared_names::EXTRA_NAMESPACES],
    simple_content: Item<"ns1:item">,
    soap12: Echo<"ns1:echo">,
    substitution: Drawing<"drawing">,
}

/// `extra` are the namespaces the crate binds to `ns2`, `ns3`, ... besides the service's.
fn round_trip<T: FromXml + ToXml + PartialEq + std::fmt::Debug>(feature: &str, element: &str, extra: &[&str]) {
    let path = format!("{}/tests/features/{feature}/example.xml", env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(path).unwrap();
    let value: T = read(example.trim().as_bytes()).unwrap_or_else(|e| panic!("{feature}: {e}"));
    let mut w = XmlWriter::new();
    value.write_xml(&mut w, element);
    let written = String::from_utf8(w.into_bytes()).unwrap();
    let namespace = target_namespace(feature);
    assert_eq!(
        canonical(&written, &namespace, extra),
        canonical(example.trim(), &namespace, extra),
        "{feature}: written back as\n{written}"
    );
    let declared = declare_prefixes(&written, &namespace, extra);
    assert_eq!(read::<T>(declared.as_bytes()).unwrap(), value, "{feature}: the written form reads back");
}

/// `xml` with the prefixes the writer leaves to the envelope declared on its root element,
/// as an envelope would declare them around it.
fn declare_prefixes(xml: &str, namespace: &str, extra: &[&str]) -> String {
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    let others: String = extra.iter().enumerate().map(|(i, uri)| format!(r#" xmlns:ns{}="{uri}""#, i + 2)).collect();
    let declarations = format!(r#" xmlns:xsi="{xsi}" xmlns:ns1="{namespace}"{others}"#);
    let name_end = xml.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(xml.len());
    format!("{}{declarations}{}", &xml[..name_end], &xml[name_end..])
}

fn read<T: FromXml>(xml: &[u8]) -> Result<T, mktows_runtime::DecodeError> {
    let mut r = XmlReader::new(xml);
    let root = r.root()?;
    let value = r.read(&root)?;
    r.finish()?;
    Ok(value)
}

fn target_namespace(feature: &str) -> String {
    let path = format!("{}/tests/features/{feature}/service.wsdl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    doc.root_element().attribute("targetNamespace").unwrap().to_owned()
}

/// Elements by namespace and local name, attributes by local name with prefixed values
/// reduced to their local part (`xsi:type="p:Circle"` is `Circle`), text trimmed: what
/// must survive.
fn canonical(xml: &str, namespace: &str, extra: &[&str]) -> String {
    // The writer leaves the `xsi` and service prefixes to the envelope; declare them here.
    let wrapped = declare_prefixes(&format!("<wrap>{xml}</wrap>"), namespace, extra);
    let doc = roxmltree::Document::parse(&wrapped).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let mut out = String::new();
    write_canonical(doc.root_element().first_element_child().unwrap(), &mut out);
    out
}

fn write_canonical(node: roxmltree::Node<'_, '_>, out: &mut String) {
    let namespace = node.tag_name().namespace().map(|ns| format!("{{{ns}}}")).unwrap_or_default();
    out.push_str(&format!("<{namespace}{}", node.tag_name().name()));
    for attribute in node.attributes() {
        let value = attribute.value().rsplit(':').next().unwrap_or("");
        out.push_str(&format!(" {}={value:?}", attribute.name()));
    }
    out.push('>');
    for child in node.children() {
        if child.is_element() {
            write_canonical(child, out);
        } else if let Some(text) = child.text().map(str::trim).filter(|t| !t.is_empty()) {
            out.push_str(text);
        }
    }
    out.push_str(&format!("</{}>", node.tag_name().name()));
}

/// The elements of an `xs:all` may come in any order.
#[test]
fn all_reads_its_elements_in_any_order() {
    let in_order: all::Job = read(b"<job><name>build</name><priority>2</priority><owner>ada</owner></job>").unwrap();
    let shuffled: all::Job = read(b"<job><owner>ada</owner><priority>2</priority><name>build</name></job>").unwrap();
    assert_eq!(in_order, shuffled);
    assert_eq!((shuffled.name.as_str(), shuffled.priority, shuffled.owner.as_str()), ("build", Some(2), "ada"));
}

/// One local name in two namespaces: the prefix's namespace decides the field, not the
/// prefix itself or the order, and a `name` in a third namespace is skipped.
#[test]
fn a_local_name_two_namespaces_share_is_told_apart_by_namespace() {
    let doc = br#"<contact xmlns="urn:feature:contacts" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:z="urn:feature:extension"><v:name xmlns:v="urn:feature:extension">X-1</v:name><name xmlns="urn:other">lost</name><name>Grace</name><leadId>3</leadId><label i:type="z:Tag"><text>t</text><z:vendorCode>V</z:vendorCode></label><label i:type="Tag"><text>u</text><colour>red</colour></label></contact>"#;
    let contact: shared_names::Contact = read(doc).unwrap();
    assert_eq!(contact.name, "Grace");
    assert_eq!(contact.name_2.as_deref(), Some("X-1"));
    assert_eq!((contact.lead_id, contact.lead_id_2), (3, None));
    // `Tag` from the extension namespace by its prefix; an unprefixed value takes the
    // default namespace, the service's.
    assert!(matches!(&contact.label[..], [shared_names::Label::Tag(a), shared_names::Label::TagType(b)]
        if a.vendor_code == "V" && b.colour == "red"));
    let other = br#"<contact xmlns="urn:feature:contacts" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:o="urn:other"><name>G</name><leadId>3</leadId><label xsi:type="o:Tag"><text>t</text></label></contact>"#;
    let err = read::<shared_names::Contact>(other).unwrap_err();
    assert!(err.to_string().contains("Tag"), "{err}");
}

fn example<T: FromXml>(feature: &str) -> T {
    let path = format!("{}/tests/features/{feature}/example.xml", env!("CARGO_MANIFEST_DIR"));
    read(std::fs::read_to_string(path).unwrap().trim().as_bytes()).unwrap()
}

/// Each child lands in the alternative it names, repeated choices keep document order, and a
/// repeated sequence starts a new item at each `key`.
#[test]
fn choice_reads_each_alternative_into_its_variant() {
    use choice::types::*;
    let person: Person = example("choice");
    let PersonChoice::Sequence(name) = &person.choice else { panic!("{:?}", person.choice) };
    assert_eq!((name.first_name.as_str(), name.middle_name.as_deref()), ("Ada", Some("King")));
    let family = PersonChoice2::FamilyNames(vec!["Lovelace".into(), "Byron".into()]);
    assert_eq!(name.last_name_or_family_names, family);
    assert_eq!(person.email_or_phone, Some(PersonChoice3::Phone("+44 20 7946 0000".into())));
    let history: Vec<&str> = person
        .moved_or_renamed_or_note
        .iter()
        .map(|item| match item {
            PersonChoice4::Moved(_) => "moved",
            PersonChoice4::Renamed(_) => "renamed",
            PersonChoice4::Note(None) => "nil note",
            PersonChoice4::Note(Some(_)) => "note",
        })
        .collect();
    assert_eq!(history, ["moved", "nil note", "renamed", "moved"]);
    let pairs: Vec<(&str, Option<&str>)> =
        person.key_and_value.iter().map(|p| (p.key.as_str(), p.value.as_deref())).collect();
    assert_eq!(pairs, [("field", Some("mathematics")), ("language", None), ("era", Some("Victorian"))]);
    assert!(person.since.is_some());
    // The other alternative, and a child that starts none.
    let short: Person = read(b"<person><id>1</id><fullName>Ada Lovelace</fullName></person>").unwrap();
    assert_eq!(short.choice, PersonChoice::FullName("Ada Lovelace".into()));
    assert!(short.moved_or_renamed_or_note.is_empty() && short.email_or_phone.is_none());
    let missing = read::<Person>(b"<person><id>1</id></person>").unwrap_err();
    assert!(missing.to_string().contains("choice"), "{missing}");
}

/// Wildcard children and anyType values keep their namespaces, standalone.
#[test]
fn any_keeps_raw_xml_with_its_namespaces() {
    let problem: any::types::Problem = example("any");
    assert_eq!(problem.value.content(), "503");
    assert!(problem.value.as_str().contains(r#"xsi:type="xs:int""#), "{}", problem.value);
    assert!(problem.value.as_str().contains(r#"xmlns:xs="http://www.w3.org/2001/XMLSchema""#));
    assert_eq!(problem.extra.len(), 2);
    assert_eq!(problem.extra[0].content(), r#"<d:retry after="30">soon</d:retry>"#);
    let names: Vec<&str> = problem.any.iter().map(|a| a.name()).collect();
    assert_eq!(names, ["d:trace", "x:hint"]);
    assert!(problem.any[0].as_str().starts_with(r#"<d:trace xmlns:d="urn:example:detail" id="t-1">"#));
    let hint: String = problem.any[1].parse().unwrap();
    assert_eq!(hint, "try again");
}

/// A `ref` to an abstract head reads each member into its variant.
#[test]
fn substitution_members_are_variants() {
    use substitution::types::*;
    let drawing: Drawing = example("substitution");
    let kinds: Vec<&str> = drawing
        .shape
        .iter()
        .map(|s| match s {
            DrawingShape::Circle(_) => "circle",
            DrawingShape::Label(_) => "label",
        })
        .collect();
    assert_eq!(kinds, ["circle", "label", "circle"]);
}

/// A group that reads on among its parent's children and meets the parent's end tag leaves
/// it for the parent: nothing after the parent is read as its child.
#[test]
fn a_group_ending_with_its_parent_stops_there() {
    use choice::types::*;
    let cases: [&[u8]; 3] = [
        b"<person><id>1</id><firstName>A</firstName><lastName>B</lastName></person>",
        b"<person><id>1</id><firstName>A</firstName><familyNames>B</familyNames><familyNames>C</familyNames></person>",
        b"<person><id>1</id><fullName>A</fullName><key>k</key><value>v</value></person>",
    ];
    for xml in cases {
        let person: Person = read(xml).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(xml)));
        assert_eq!(person.id, 1);
    }
    let family: Person = read(cases[1]).unwrap();
    let PersonChoice::Sequence(name) = family.choice else { panic!() };
    assert_eq!(name.last_name_or_family_names, PersonChoice2::FamilyNames(vec!["B".into(), "C".into()]));
}

/// Attributes: `xsi:type` is not the schema's `type`, a fixed attribute is written when
/// `None`, a missing required one or a bad value is an error at the element.
#[test]
fn attributes_read_write_and_fail_where_they_stand() {
    let doc = br#"<verification retryPossible="1" xmlns:p="urn:feature:attributes" p:note="x"><entry id="7" type="Answer"><id>a</id></entry></verification>"#;
    let value: attributes::Verification = read(doc).unwrap();
    assert!(value.retry_possible && value.version.is_none() && value.note.as_deref() == Some("x"));
    let attributes::AnyEntry::Entry(entry) = &value.entry[0] else { panic!("{:?}", value.entry) };
    assert_eq!((entry.id_attribute, entry.r#type.as_deref(), entry.id.as_str()), (7, Some("Answer"), "a"));
    let mut w = XmlWriter::new();
    value.write_xml(&mut w, "verification");
    let written = String::from_utf8(w.into_bytes()).unwrap();
    assert!(written.starts_with(r#"<verification retryPossible="true" version="1.0" ns1:note="x">"#), "{written}");

    let missing =
        read::<attributes::Verification>(b"<verification>\n<entry id=\"7\"><id>a</id></entry></verification>");
    assert_eq!(
        missing.unwrap_err().to_string(),
        "1:1: required attribute `retryPossible` is missing (in /verification)"
    );
    let bad = read::<attributes::Verification>(
        b"<verification retryPossible=\"true\">\n  <entry id=\"seven\"><id>a</id></entry></verification>",
    );
    assert_eq!(bad.unwrap_err().to_string(), "2:3: `id=\"seven\"` is not a valid xs:int (in /verification/entry)");
}

/// Simple content: the text is parsed as its type, attributes beside it.
#[test]
fn simple_content_text_is_typed() {
    let value: simple_content::DecimalWithUnits = read(b"<h Units=\"inches\"> 12.50 </h>").unwrap();
    assert_eq!((value.units.as_str(), value.value.as_str()), ("inches", "12.50"));
    let err = read::<simple_content::DecimalWithUnits>(b"<h Units=\"inches\">tall</h>").unwrap_err();
    assert_eq!(err.to_string(), "1:1: `tall` is not a valid xs:decimal (in /h)");
    let money: simple_content::Money = read(b"<m value=\"1.5\">GBP</m>").unwrap();
    assert_eq!(money.value, simple_content::Currency::Unknown("GBP".into()));
}
