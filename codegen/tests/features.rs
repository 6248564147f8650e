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
    anonymous: Run<"run">,
    builtins: Values<"values">,
    concrete_base: Drawing<"drawing">,
    enumeration: Job<"job">,
    faults: ServiceException<"ns1:serviceException">,
    headers: Req<"req">,
    multi_namespace: Order<"ns1:order"> [super::multi_namespace::EXTRA_NAMESPACES],
    multi_part: PlaceInput<"body">,
    nillable_repeated: ArrayOfName<"names">,
    occurrence: Shapes<"shapes">,
    one_way: Event<"ns1:log">,
    polymorphism: Drawing<"drawing">,
    qualified: Order<"order">,
    recursion: Node<"tree">,
    reserved_names: ResultType<"result">,
    rpc_literal: TestOperationInput<"ns1:TestOperation">,
    shared_names: Contact<"ns1:contact"> [super::shared_names::EXTRA_NAMESPACES],
    soap12: Echo<"ns1:echo">,
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
