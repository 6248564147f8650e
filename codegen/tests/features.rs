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
    attributes: Verification<"verification">,
    builtins: Values<"values">,
    complex_restriction: Group<"group">,
    concrete_base: Drawing<"drawing">,
    enumeration: Job<"job">,
    headers: Req<"req">,
    multi_namespace: Order<"ns1:order"> [super::multi_namespace::EXTRA_NAMESPACES],
    nillable_repeated: ArrayOfName<"names">,
    occurrence: Shapes<"shapes">,
    polymorphism: Drawing<"drawing">,
    qualified: Order<"order">,
    recursion: Node<"tree">,
    reserved_names: ResultType<"result">,
    simple_content: Item<"ns1:item">,
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
    assert_eq!(read::<T>(written.as_bytes()).unwrap(), value, "{feature}: the written form reads back");
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
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    let others: String = extra.iter().enumerate().map(|(i, uri)| format!(r#" xmlns:ns{}="{uri}""#, i + 2)).collect();
    let wrapped = format!(r#"<wrap xmlns:xsi="{xsi}" xmlns:ns1="{namespace}"{others}>{xml}</wrap>"#);
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
