//! Seeded mutation of Marketo's request and response examples, decoded with every `FromXml`
//! of the runtime: a decode must not panic, and must either fail or give a value that
//! writes back as XML and reads back as the same value. The types come from a schema
//! learned from each unmutated example (a leaf holding a date is read as `DateTime`, one
//! holding digits as one of the integer types, and so on), as a generated crate would.

#[path = "support/mutate.rs"]
mod mutate;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Debug;

use mktows_runtime::server::{decode_body, read_request};
use mktows_runtime::soap::{decode_response, encode_request, encode_response};
use mktows_runtime::xml::Element;
use mktows_runtime::{Base64Binary, Date, DateTime, DecodeError, FromXml, Nillable, ToXml, XmlReader, XmlWriter};
use quick_xml::events::Event;

const NAMESPACE: &str = "http://www.marketo.com/mktows/";

#[derive(Debug, Clone, Copy)]
enum Scalar {
    Text,
    BoxedText,
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    DateTime,
    Date,
    Base64,
}

/// How an element is read: the four shapes generated code uses.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Required,
    Optional,
    Nillable,
    NilOr,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Container(Shape),
    Leaf(Scalar, Shape),
}

type Schema = HashMap<String, Kind>;

thread_local! {
    /// The schema `Probe::read_xml` reads with (`FromXml` takes no context).
    static SCHEMA: RefCell<Schema> = RefCell::new(Schema::new());
}

fn hash(name: &str) -> usize {
    name.bytes().fold(5381usize, |h, b| h.wrapping_mul(33) ^ usize::from(b))
}

fn shape(name: &str) -> Shape {
    [Shape::Required, Shape::Optional, Shape::Nillable, Shape::NilOr][hash(name) % 4]
}

/// The type a leaf's text suggests; names spread over the integer and float widths.
fn scalar(name: &str, text: &str) -> Scalar {
    let h = hash(name) / 4;
    let text = text.trim();
    if text == "true" || text == "false" {
        Scalar::Bool
    } else if text.parse::<i64>().is_ok() {
        [Scalar::I8, Scalar::I16, Scalar::I32, Scalar::I64, Scalar::U8, Scalar::U16, Scalar::U32, Scalar::U64][h % 8]
    } else if text.parse::<f64>().is_ok() {
        [Scalar::F32, Scalar::F64][h % 2]
    } else if DateTime::new(text).is_ok() {
        Scalar::DateTime
    } else if Date::new(text).is_ok() {
        Scalar::Date
    } else {
        [Scalar::Text, Scalar::BoxedText, Scalar::Text, Scalar::Base64][h % 4]
    }
}

/// Every element of `doc` by local name: a container when it has child elements anywhere,
/// else a leaf of the type its text suggests.
fn learn(doc: &[u8]) -> Schema {
    let mut reader = quick_xml::Reader::from_reader(doc);
    let mut schema = Schema::new();
    // Name, text, whether it has children.
    let mut open: Vec<(String, String, bool)> = Vec::new();
    let close = |schema: &mut Schema, name: String, text: &str, container: bool| {
        let kind =
            if container { Kind::Container(shape(&name)) } else { Kind::Leaf(scalar(&name, text), shape(&name)) };
        let entry = schema.entry(name).or_insert(kind);
        if container {
            *entry = kind;
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                open.push((String::from_utf8_lossy(start.local_name().as_ref()).into_owned(), String::new(), false));
            }
            Ok(Event::Empty(start)) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                close(&mut schema, String::from_utf8_lossy(start.local_name().as_ref()).into_owned(), "", false);
            }
            Ok(Event::Text(text)) => {
                if let Some(top) = open.last_mut() {
                    top.1.push_str(&String::from_utf8_lossy(&text));
                }
            }
            Ok(Event::End(_)) => {
                if let Some((name, text, container)) = open.pop() {
                    close(&mut schema, name, &text, container);
                }
            }
            Ok(Event::Eof) | Err(_) => return schema,
            Ok(_) => {}
        }
    }
}

trait Leaf: ToXml + Debug {}
impl<T: ToXml + Debug> Leaf for T {}

#[derive(Debug)]
enum Value {
    Children(Vec<Node>),
    Absent,
    Nil,
    Leaf(Box<dyn Leaf>),
}

#[derive(Debug)]
struct Node {
    name: String,
    value: Value,
}

/// Any element, read as `SCHEMA` says: unknown children are skipped, as generated code does.
#[derive(Debug)]
struct Probe(Vec<Node>);

impl FromXml for Probe {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        let mut nodes = Vec::new();
        while let Some(child) = r.next_child(element)? {
            let name = child.name();
            let kind = SCHEMA.with(|schema| schema.borrow().get(&name).copied());
            let value = match kind {
                None => {
                    r.skip(&child)?;
                    continue;
                }
                Some(Kind::Container(shape)) => read_as::<Probe>(r, &child, shape)?,
                Some(Kind::Leaf(scalar, shape)) => read_leaf(r, &child, scalar, shape)?,
            };
            nodes.push(Node { name, value });
        }
        Ok(Self(nodes))
    }
}

impl ToXml for Probe {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        write_nodes(w, name, &self.0);
    }
}

fn write_nodes(w: &mut XmlWriter, name: &str, nodes: &[Node]) {
    w.start(name);
    for node in nodes {
        match &node.value {
            Value::Children(children) => write_nodes(w, &node.name, children),
            Value::Absent => {}
            Value::Nil => w.nil(&node.name),
            Value::Leaf(leaf) => leaf.write_xml(w, &node.name),
        }
    }
    w.end(name);
}

fn read_leaf<'a>(r: &mut XmlReader<'a>, e: &Element<'a>, scalar: Scalar, shape: Shape) -> Result<Value, DecodeError> {
    match scalar {
        Scalar::Text => read_as::<String>(r, e, shape),
        Scalar::BoxedText => read_as::<Box<String>>(r, e, shape),
        Scalar::Bool => read_as::<bool>(r, e, shape),
        Scalar::I8 => read_as::<i8>(r, e, shape),
        Scalar::I16 => read_as::<i16>(r, e, shape),
        Scalar::I32 => read_as::<i32>(r, e, shape),
        Scalar::I64 => read_as::<i64>(r, e, shape),
        Scalar::U8 => read_as::<u8>(r, e, shape),
        Scalar::U16 => read_as::<u16>(r, e, shape),
        Scalar::U32 => read_as::<u32>(r, e, shape),
        Scalar::U64 => read_as::<u64>(r, e, shape),
        Scalar::F32 => read_as::<f32>(r, e, shape),
        Scalar::F64 => read_as::<f64>(r, e, shape),
        Scalar::DateTime => read_as::<DateTime>(r, e, shape),
        Scalar::Date => read_as::<Date>(r, e, shape),
        Scalar::Base64 => read_as::<Base64Binary>(r, e, shape),
    }
}

fn read_as<'a, T>(r: &mut XmlReader<'a>, element: &Element<'a>, shape: Shape) -> Result<Value, DecodeError>
where
    T: FromXml + Into<Value>,
{
    Ok(match shape {
        Shape::Required => r.read::<T>(element)?.into(),
        Shape::Optional => r.read_optional::<T>(element)?.map_or(Value::Absent, Into::into),
        Shape::Nillable => match r.read_nillable::<T>(element)? {
            Nillable::Value(value) => value.into(),
            Nillable::Nil => Value::Nil,
            Nillable::Absent => Value::Absent,
        },
        Shape::NilOr => r.read_nil_or::<T>(element)?.map_or(Value::Nil, Into::into),
    })
}

impl From<Probe> for Value {
    fn from(probe: Probe) -> Self {
        Value::Children(probe.0)
    }
}

macro_rules! leaf_values {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                Value::Leaf(Box::new(value))
            }
        }
    )*};
}

leaf_values!(String, Box<String>, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, DateTime, Date, Base64Binary);

/// The local name of the element inside the SOAP Body (or of the root, without one).
fn body_element(doc: &[u8]) -> String {
    let mut reader = quick_xml::Reader::from_reader(doc);
    loop {
        let (start, empty) = match reader.read_event() {
            Ok(Event::Start(start)) => (start, false),
            Ok(Event::Empty(start)) => (start, true),
            Ok(Event::Eof) | Err(_) => return String::new(),
            Ok(_) => continue,
        };
        match start.local_name().as_ref() {
            b"Envelope" | b"Body" => {}
            b"Header" if !empty => drop(reader.read_to_end(start.name())),
            b"Header" => {}
            name => return String::from_utf8_lossy(name).into_owned(),
        }
    }
}

struct Seed {
    schema: Schema,
    element: String,
}

fn seeds(suffix: &str) -> (Vec<(String, Vec<u8>)>, Vec<Seed>) {
    let docs = mutate::examples(suffix);
    let learned = docs.iter().map(|(_, doc)| Seed { schema: learn(doc), element: body_element(doc) }).collect();
    (docs, learned)
}

/// Encodes `value`, which must succeed (the reader let no character through that the
/// writer refuses), decodes it again, and checks that the second encoding is the first.
fn assert_round_trip(
    value: &Probe,
    encode: impl Fn(&Probe) -> Vec<u8>,
    decode: impl Fn(&[u8]) -> Result<Probe, String>,
) {
    let first = encode(value);
    let again = decode(&first).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&first)));
    assert_eq!(String::from_utf8_lossy(&encode(&again)), String::from_utf8_lossy(&first));
}

#[test]
fn mutated_responses_decode_to_an_error_or_a_value_that_round_trips() {
    let (docs, seeds) = seeds("response.xml");
    let faults = mutate::examples("invalid-credentials.xml");
    let all: Vec<_> = docs.into_iter().chain(faults.iter().cloned()).collect();
    let fault_seed = Seed { schema: Schema::new(), element: "successGetLeadActivity".into() };
    let mut decoded = 0;
    mutate::run(&all, mutate::iterations(20_000), |index, input| {
        let seed = seeds.get(index).unwrap_or(&fault_seed);
        SCHEMA.with(|schema| schema.replace(seed.schema.clone()));
        let element = seed.element.as_str();
        match decode_response::<Probe>(input, element) {
            Ok(Ok(value)) => {
                decoded += 1;
                assert_round_trip(
                    &value,
                    |v| encode_response(NAMESPACE, element, v).expect("a decoded value can be written"),
                    |bytes| match decode_response::<Probe>(bytes, element) {
                        Ok(Ok(value)) => Ok(value),
                        other => Err(format!("{other:?}")),
                    },
                );
            }
            Ok(Err(fault)) => {
                let again = decode_response::<Probe>(&fault.to_envelope(), element).unwrap().unwrap_err();
                assert_eq!(again, fault);
            }
            Err(_) => {}
        }
    });
    assert!(decoded > 0, "no mutation decoded: the test checks nothing");
}

#[test]
fn mutated_requests_decode_to_an_error_or_a_value_that_round_trips() {
    let (docs, seeds) = seeds("request.xml");
    let mut decoded = 0;
    mutate::run(&docs, mutate::iterations(20_000), |index, input| {
        SCHEMA.with(|schema| schema.replace(seeds[index].schema.clone()));
        let element = seeds[index].element.as_str();
        if let Ok(context) = read_request(input) {
            for (name, _) in &context.headers {
                let _ = context.header::<Probe>(name);
            }
        }
        if let Ok(value) = decode_body::<Probe>(input, element) {
            decoded += 1;
            assert_round_trip(
                &value,
                |v| encode_request(NAMESPACE, &[], element, v).expect("a decoded value can be written"),
                |bytes| decode_body::<Probe>(bytes, element).map_err(|e| e.to_string()),
            );
        }
    });
    assert!(decoded > 0, "no mutation decoded: the test checks nothing");
}
