//! The resolved model. Names are the WSDL's own, qualified with their namespace; turning
//! them into Rust names is codegen's job. Every reference in the model points at something
//! that exists: a built-in, or a type or element of the schema set.
//!
//! The model holds more than the generator supports today (choice, attributes, RPC style,
//! SOAP 1.2 ...): what the parser can represent it records, and the generator refuses what
//! it cannot express, with the construct's location.

use std::fmt;

use crate::Location;

/// A name qualified with its namespace: how XML Schema and WSDL identify definitions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// The namespace URI; empty for no namespace.
    pub namespace: String,
    pub local: String,
}

impl QName {
    pub fn new(namespace: impl Into<String>, local: impl Into<String>) -> Self {
        Self { namespace: namespace.into(), local: local.into() }
    }
}

/// `{namespace}local`, James Clark's notation.
impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.namespace, self.local)
    }
}

/// A parsed WSDL with every document it imports.
#[derive(Debug, Clone, PartialEq)]
pub struct Wsdl {
    /// The entry document's file name or URL.
    pub source_name: String,
    /// Every document read, the entry first; a [`Location`]'s `document` indexes this.
    pub documents: Vec<String>,
    /// `wsdl:definitions/@name` of the entry document.
    pub name: Option<String>,
    /// `wsdl:definitions/@targetNamespace` of the entry document.
    pub target_namespace: String,
    pub schema: Schema,
    /// Every binding of every document, SOAP or not, in document order.
    pub bindings: Vec<Binding>,
    /// Every service, in document order.
    pub services: Vec<Service>,
    /// What the reader noted though nothing failed (see [`crate::DocumentSet::notes`]).
    pub notes: Vec<String>,
}

impl Wsdl {
    /// `file:line:column` for a location in one of the documents.
    pub fn describe(&self, location: Location) -> String {
        let document = self.documents.get(location.document as usize).map_or("?", String::as_str);
        format!("{document}:{location}")
    }

    pub fn binding(&self, name: &QName) -> Option<&Binding> {
        self.bindings.iter().find(|b| &b.name == name)
    }

    /// The binding of `protocol` a client speaks unless told otherwise: the first such port
    /// of the first service that has one, else the first binding of that protocol.
    pub fn default_binding(&self, protocol: &Protocol) -> Option<BindingChoice<'_>> {
        for service in &self.services {
            for port in &service.ports {
                if let Some(binding) = self.binding(&port.binding).filter(|b| &b.protocol == protocol) {
                    return Some(BindingChoice { binding, service: Some(service), port: Some(port) });
                }
            }
        }
        let binding = self.bindings.iter().find(|b| &b.protocol == protocol)?;
        Some(BindingChoice { binding, service: None, port: None })
    }
}

/// A binding and, when one names it, the service and port it is reached through.
#[derive(Debug, Clone, Copy)]
pub struct BindingChoice<'w> {
    pub binding: &'w Binding,
    pub service: Option<&'w Service>,
    pub port: Option<&'w Port>,
}

/// All schemas of the WSDL (embedded, imported and included), merged: definitions are
/// known by qualified name, in document order.
///
/// Look-ups by name ([`complex_type`](Self::complex_type) and the like) use an index; the
/// lists may be filtered or extended freely, but a definition renamed in place is found by
/// its new name only in a clone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// One entry per `xs:schema` element read.
    pub schemas: Vec<SchemaInfo>,
    pub simple_types: Vec<SimpleType>,
    pub complex_types: Vec<ComplexType>,
    pub elements: Vec<GlobalElement>,
    /// Positions by name, so that looking a definition up does not scan the lists.
    lookups: Lookups,
}

/// Where each definition stands in its list, built on first use and again whenever a list
/// has changed length or moved since (the lists are public: a tool may filter them). A
/// definition renamed in place is not found under its new name until the list changes
/// (a clone starts afresh); under its old name it is not found either.
#[derive(Default)]
struct Lookups {
    simple: NameIndex,
    complex: NameIndex,
    elements: NameIndex,
}

#[derive(Default)]
struct NameIndex(std::sync::Mutex<Option<Built>>);

/// An index and the list it was built from: its buffer and length, which change when the
/// list does (entries replaced in place are caught by checking the name found).
struct Built {
    list: (usize, usize),
    positions: std::collections::HashMap<QName, usize>,
}

impl NameIndex {
    fn find<'v, T>(&self, items: &'v [T], name: &QName, name_of: impl Fn(&T) -> &QName) -> Option<&'v T> {
        let list = (items.as_ptr() as usize, items.len());
        let mut built = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if built.as_ref().is_none_or(|b| b.list != list) {
            let mut positions = std::collections::HashMap::with_capacity(items.len());
            for (position, item) in items.iter().enumerate() {
                positions.entry(name_of(item).clone()).or_insert(position);
            }
            *built = Some(Built { list, positions });
        }
        let position = built.as_ref().and_then(|b| b.positions.get(name).copied());
        match position.and_then(|p| items.get(p)) {
            Some(item) if name_of(item) == name => Some(item),
            // Replaced in place since: the slow way, still right.
            Some(_) => items.iter().find(|item| name_of(item) == name),
            None => None,
        }
    }
}

impl Clone for Lookups {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for Lookups {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Lookups {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lookups")
    }
}

/// What one `xs:schema` element says about the definitions in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaInfo {
    /// Empty for a schema without a target namespace.
    pub target_namespace: String,
    /// `elementFormDefault`: whether local elements are qualified unless they say.
    pub elements_qualified: bool,
    /// `attributeFormDefault`.
    pub attributes_qualified: bool,
    pub location: Location,
}

impl Schema {
    pub fn complex_type(&self, name: &QName) -> Option<&ComplexType> {
        self.lookups.complex.find(&self.complex_types, name, |t| &t.name)
    }

    pub fn simple_type(&self, name: &QName) -> Option<&SimpleType> {
        self.lookups.simple.find(&self.simple_types, name, |t| &t.name)
    }

    pub fn element(&self, name: &QName) -> Option<&GlobalElement> {
        self.lookups.elements.find(&self.elements, name, |e| &e.name)
    }

    /// The elements that may stand in for `head`, directly or through another member, in
    /// document order (`substitutionGroup`).
    pub fn substitutes<'s>(&'s self, head: &QName) -> Vec<&'s GlobalElement> {
        let mut members: Vec<&GlobalElement> = Vec::new();
        let mut heads = vec![head];
        // Transitive: a member of a member's group is a member too. Each element is taken once.
        while let Some(current) = heads.pop() {
            for element in self.elements.iter().filter(|e| e.substitution_group.as_ref() == Some(current)) {
                if &element.name != head && !members.iter().any(|m| m.name == element.name) {
                    members.push(element);
                    heads.push(&element.name);
                }
            }
        }
        members.sort_by_key(|m| self.elements.iter().position(|e| e.name == m.name));
        members
    }

    /// The complex types that extend `base`, directly or not, in document order.
    pub fn derived_types<'s>(&'s self, base: &QName) -> Vec<&'s ComplexType> {
        self.complex_types.iter().filter(|t| self.extends(t, base)).collect()
    }

    /// [`derived_types`](Self::derived_types) of every type at once, in one pass over the
    /// extension chains rather than one pass over all types per base.
    pub fn all_derived_types(&self) -> std::collections::HashMap<&QName, Vec<&ComplexType>> {
        let mut derived: std::collections::HashMap<&QName, Vec<&ComplexType>> = std::collections::HashMap::new();
        for ty in &self.complex_types {
            let mut current = ty.base.as_ref();
            let mut seen = 0;
            // The parser rejects cycles; the count bounds a model a tool built by hand.
            while let Some(base) = current.filter(|_| seen <= self.complex_types.len()) {
                derived.entry(base).or_default().push(ty);
                current = self.complex_type(base).and_then(|t| t.base.as_ref());
                seen += 1;
            }
        }
        derived
    }

    fn extends(&self, ty: &ComplexType, base: &QName) -> bool {
        let mut current = ty.base.as_ref();
        // The parser rejects cycles, so this terminates.
        while let Some(name) = current {
            if name == base {
                return true;
            }
            current = self.complex_type(name).and_then(|t| t.base.as_ref());
        }
        false
    }

    /// The extension chain of `ty`, the most basic type first and `ty` last.
    pub fn lineage<'s>(&'s self, ty: &'s ComplexType) -> Vec<&'s ComplexType> {
        let mut chain = vec![ty];
        while let Some(base) = chain.last().and_then(|t| t.base.as_ref()).and_then(|b| self.complex_type(b)) {
            chain.push(base);
        }
        chain.reverse();
        chain
    }

    /// Every element particle of `ty`, inherited ones first, in document order, at any
    /// depth of its groups.
    pub fn all_fields<'s>(&'s self, ty: &'s ComplexType) -> Vec<&'s Field> {
        self.lineage(ty).into_iter().flat_map(ComplexType::fields).collect()
    }

    /// The complex types whose simple content `ty` extends or restricts, the most basic
    /// first and `ty` last (just `ty` without simple content). Stops at a loop.
    pub fn simple_content_chain<'s>(&'s self, ty: &'s ComplexType) -> Vec<&'s ComplexType> {
        let mut chain = vec![ty];
        while let Some(TypeRef::Complex(base)) = chain.last().and_then(|t| t.simple_content.as_ref()) {
            match self.complex_type(base) {
                Some(base) if !chain.iter().any(|t| t.name == base.name) => chain.push(base),
                _ => break,
            }
        }
        chain.reverse();
        chain
    }

    /// The type of the text of a simple-content type, through the complex types it derives
    /// from; `None` for element content, or when the chain ends at a complex type without
    /// simple content (or loops).
    pub fn simple_content_type<'s>(&'s self, ty: &'s ComplexType) -> Option<&'s TypeRef> {
        let chain = self.simple_content_chain(ty);
        chain.first()?.simple_content.as_ref().filter(|t| !matches!(t, TypeRef::Complex(_)))
    }

    /// Every attribute of `ty`: inherited ones first (through extensions, or through the
    /// simple content it derives from), in document order. An attribute a derived type
    /// restates (by name and namespace) takes the inherited one's place.
    pub fn all_attributes<'s>(&'s self, ty: &'s ComplexType) -> Vec<&'s Attribute> {
        let chain = match ty.simple_content {
            Some(_) => self.simple_content_chain(ty),
            None => self.lineage(ty),
        };
        let mut attributes: Vec<&Attribute> = Vec::new();
        for attribute in chain.into_iter().flat_map(|t| &t.attributes) {
            let same = |a: &&Attribute| a.name == attribute.name && a.namespace == attribute.namespace;
            match attributes.iter().position(same) {
                Some(index) => attributes[index] = attribute,
                None => attributes.push(attribute),
            }
        }
        attributes
    }
}

/// An `xs:simpleType` restricting a built-in, with its enumeration values (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleType {
    pub name: QName,
    pub doc: Option<String>,
    /// The built-in the type restricts, directly or through the types it names.
    pub base: Builtin,
    /// The simple type this one restricts, when it is not a built-in.
    pub restricts: Option<QName>,
    /// For an `xs:list` or `xs:union`, what it is (it is read and written as its text).
    pub variety: Option<String>,
    pub enumeration: Vec<EnumValue>,
    /// The other constraining facets (`maxLength`, `pattern`, ...), in document order.
    pub facets: Vec<Facet>,
    /// Set for a type written inline, whose name the parser derived.
    pub anonymous: bool,
    pub location: Location,
}

/// A constraining facet of a simple type, as written: `maxLength` and `3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub value: String,
    pub doc: Option<String>,
}

/// An `xs:complexType`: a tree of particles, attributes, or simple content.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexType {
    pub name: QName,
    pub doc: Option<String>,
    pub is_abstract: bool,
    /// `mixed="true"`: character data may appear between the child elements.
    pub mixed: bool,
    /// The complex type this one extends (`complexContent/extension/@base`).
    pub base: Option<QName>,
    /// The type this one restricts (`complexContent/restriction/@base` or
    /// `simpleContent/restriction/@base`). A complexContent restriction restates the content
    /// it keeps, so nothing is inherited through it: its particle and attributes are its own.
    pub restriction: Option<QName>,
    /// For a SOAP-encoded array (a restriction of `soapenc:Array`), the `wsdl:arrayType` as
    /// written (`tns:Item[]`). When it names one dimension of a known type and the
    /// restriction restates no particle, the parser gives the type the particle such arrays
    /// are sent with: any number of `item` elements of that type (the accessor name Axis,
    /// Delphi and PHP toolkits write; SOAP 1.1 section 5.4.2 leaves it free).
    pub array_type: Option<String>,
    /// The particle this type declares (after its base's, for an extension); `None` for
    /// empty or simple content.
    pub particle: Option<Group>,
    /// The attributes this type declares.
    pub attributes: Vec<Attribute>,
    /// `xs:anyAttribute`: attributes the schema does not name may appear.
    pub any_attribute: bool,
    /// `simpleContent/extension/@base` or `simpleContent/restriction/@base`: the element
    /// holds text of this type (a complex type here has simple content itself, whose
    /// attributes come first).
    pub simple_content: Option<TypeRef>,
    /// Set for a type written inline, whose name the parser derived.
    pub anonymous: bool,
    pub location: Location,
}

impl ComplexType {
    /// The element particles this type declares, at any depth of its groups.
    pub fn fields(&self) -> Vec<&Field> {
        let mut fields = Vec::new();
        let mut stack: Vec<&Particle> = Vec::new();
        if let Some(group) = &self.particle {
            stack.extend(group.particles.iter().rev());
        }
        while let Some(particle) = stack.pop() {
            match particle {
                Particle::Element(field) => fields.push(field),
                Particle::Group(group) => stack.extend(group.particles.iter().rev()),
                Particle::Any(_) => {}
            }
        }
        fields
    }

    /// Whether the content is only a sequence, occurring once, of child elements (sequences
    /// nested in it, occurring once, included): the shape a struct with one field per
    /// element expresses directly.
    pub fn is_plain_sequence(&self) -> bool {
        let no_extras = self.simple_content.is_none() && self.attributes.is_empty() && !self.mixed;
        no_extras && self.particle.as_ref().is_none_or(Group::is_plain_sequence)
    }
}

/// `xs:sequence`, `xs:choice` or `xs:all`, with its occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kind: GroupKind,
    pub min_occurs: u32,
    pub max_occurs: MaxOccurs,
    pub particles: Vec<Particle>,
    pub location: Location,
}

impl Group {
    pub fn occurs_once(&self) -> bool {
        self.min_occurs == 1 && self.max_occurs == MaxOccurs::Bounded(1)
    }

    /// A sequence occurring once whose members are elements or plain sequences themselves.
    pub fn is_plain_sequence(&self) -> bool {
        self.kind == GroupKind::Sequence
            && self.occurs_once()
            && self.particles.iter().all(|p| match p {
                Particle::Element(_) => true,
                Particle::Group(inner) => inner.is_plain_sequence(),
                Particle::Any(_) => false,
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    Sequence,
    Choice,
    All,
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq)]
pub enum Particle {
    Element(Field),
    Group(Group),
    Any(AnyParticle),
}

/// `xs:any`: elements the schema does not name.
#[derive(Debug, Clone, PartialEq)]
pub struct AnyParticle {
    /// The `namespace` attribute as written (`##any` when absent).
    pub namespace: String,
    /// `processContents`: `strict` (the default), `lax` or `skip`.
    pub process_contents: String,
    pub min_occurs: u32,
    pub max_occurs: MaxOccurs,
    pub location: Location,
}

/// An element particle: a local element, or a reference to a global one (`ref=`).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The element's local name as sent.
    pub name: String,
    /// The element's namespace when it is qualified (a `ref=`, `form="qualified"` or
    /// `elementFormDefault="qualified"`); `None` for an unqualified local element.
    pub namespace: Option<String>,
    /// Set when the particle is `ref=` to this global element.
    pub reference: Option<QName>,
    pub doc: Option<String>,
    pub type_ref: TypeRef,
    pub min_occurs: u32,
    pub max_occurs: MaxOccurs,
    pub nillable: bool,
    pub location: Location,
}

impl Field {
    pub fn is_repeated(&self) -> bool {
        self.max_occurs != MaxOccurs::Bounded(1)
    }
}

/// An `xs:attribute` of a complex type.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub name: String,
    /// The namespace when the attribute is qualified.
    pub namespace: Option<String>,
    pub type_ref: TypeRef,
    /// `use="required"`.
    pub required: bool,
    pub default: Option<String>,
    pub fixed: Option<String>,
    pub doc: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    Bounded(u32),
    Unbounded,
}

/// A resolved type reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Builtin(Builtin),
    /// A `xs:simpleType` of the schema set.
    Simple(QName),
    /// A `xs:complexType` of the schema set.
    Complex(QName),
}

/// The XML Schema built-in types, by their local name in the XSD namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    NmToken,
    NmTokens,
    Id,
    IdRef,
    IdRefs,
    Entity,
    Entities,
    AnyUri,
    QName,
    Notation,
    AnySimpleType,
    /// `xs:anyType`, and an element declared without a type: any content.
    AnyType,
    Boolean,
    Byte,
    Short,
    Int,
    Long,
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    UnsignedByte,
    UnsignedShort,
    UnsignedInt,
    UnsignedLong,
    Decimal,
    Float,
    Double,
    DateTime,
    Date,
    Time,
    Duration,
    GYear,
    GYearMonth,
    GMonth,
    GMonthDay,
    GDay,
    Base64Binary,
    HexBinary,
}

impl Builtin {
    const ALL: [(&'static str, Builtin); 47] = [
        ("string", Self::String),
        ("normalizedString", Self::NormalizedString),
        ("token", Self::Token),
        ("language", Self::Language),
        ("Name", Self::Name),
        ("NCName", Self::NcName),
        ("NMTOKEN", Self::NmToken),
        ("NMTOKENS", Self::NmTokens),
        ("ID", Self::Id),
        ("IDREF", Self::IdRef),
        ("IDREFS", Self::IdRefs),
        ("ENTITY", Self::Entity),
        ("ENTITIES", Self::Entities),
        ("anyURI", Self::AnyUri),
        ("QName", Self::QName),
        ("NOTATION", Self::Notation),
        ("anySimpleType", Self::AnySimpleType),
        ("anyType", Self::AnyType),
        ("boolean", Self::Boolean),
        ("byte", Self::Byte),
        ("short", Self::Short),
        ("int", Self::Int),
        ("long", Self::Long),
        ("integer", Self::Integer),
        ("nonNegativeInteger", Self::NonNegativeInteger),
        ("positiveInteger", Self::PositiveInteger),
        ("nonPositiveInteger", Self::NonPositiveInteger),
        ("negativeInteger", Self::NegativeInteger),
        ("unsignedByte", Self::UnsignedByte),
        ("unsignedShort", Self::UnsignedShort),
        ("unsignedInt", Self::UnsignedInt),
        ("unsignedLong", Self::UnsignedLong),
        ("decimal", Self::Decimal),
        ("float", Self::Float),
        ("double", Self::Double),
        ("dateTime", Self::DateTime),
        ("date", Self::Date),
        ("time", Self::Time),
        ("duration", Self::Duration),
        ("gYear", Self::GYear),
        ("gYearMonth", Self::GYearMonth),
        ("gMonth", Self::GMonth),
        ("gMonthDay", Self::GMonthDay),
        ("gDay", Self::GDay),
        ("base64Binary", Self::Base64Binary),
        ("hexBinary", Self::HexBinary),
        ("dateTimeStamp", Self::DateTime),
    ];

    pub fn from_local_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(local, _)| *local == name).map(|(_, builtin)| *builtin)
    }

    /// The local name in the XSD namespace (`decimal`).
    pub fn local_name(self) -> &'static str {
        Self::ALL.iter().find(|(_, builtin)| *builtin == self).map_or("anyType", |(local, _)| local)
    }
}

/// A global `xs:element` (the bodies and headers of messages).
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalElement {
    pub name: QName,
    pub type_ref: TypeRef,
    pub nillable: bool,
    /// `abstract="true"`: the element never appears itself, only the members of its
    /// substitution group do.
    pub is_abstract: bool,
    /// `substitutionGroup`: the head element this one may stand in for.
    pub substitution_group: Option<QName>,
    pub location: Location,
}

/// The protocol a `wsdl:binding` binds its port type to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    Soap11,
    Soap12,
    /// Another binding (HTTP GET/POST, say), by the namespace of its extension element.
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Document,
    Rpc,
}

/// `use` of a `soap:body` or `soap:header`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Literal,
    Encoded,
}

/// A `wsdl:binding` with the operations of its port type.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub name: QName,
    pub port_type: QName,
    pub protocol: Protocol,
    /// The binding's default style (`document` when unsaid).
    pub style: Style,
    /// In the port type's order. Empty for a non-SOAP binding.
    pub operations: Vec<Operation>,
    /// Operations of the port type that cannot be used, with why: the rest of the binding
    /// works without them.
    pub unusable: Vec<UnusableOperation>,
    pub location: Location,
}

/// An operation whose definition is broken (it names a message or element the WSDL does not
/// define, say), with the error that says where.
#[derive(Debug, Clone, PartialEq)]
pub struct UnusableOperation {
    pub name: String,
    pub error: crate::Error,
}

/// One operation of a SOAP binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: String,
    pub doc: Option<String>,
    pub soap_action: String,
    pub style: Style,
    pub input: OperationMessage,
    /// `None` for a one-way operation.
    pub output: Option<OperationMessage>,
    pub faults: Vec<FaultMessage>,
    pub location: Location,
}

/// The request or response of an operation: the message's parts as bound.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationMessage {
    /// The `wsdl:message` name.
    pub message: QName,
    /// The parts that go in the body, in message order (all of them unless `soap:body`
    /// names some).
    pub body: Vec<Part>,
    pub body_use: Use,
    /// `soap:body/@namespace` (RPC style).
    pub namespace: Option<String>,
    /// `soap:header` blocks, in binding order.
    pub headers: Vec<HeaderPart>,
    /// The message's WS-Addressing action (`wsam:Action` on the abstract `wsdl:input` or
    /// `wsdl:output`, or `wsaw:Action`), when the WSDL names one.
    pub action: Option<String>,
    pub location: Location,
}

/// A `wsdl:part`.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub content: PartContent,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartContent {
    /// `element=`: a global element (document style).
    Element(QName),
    /// `type=`: a value of a type, wrapped in an element named after the part (RPC style).
    Type(TypeRef),
}

/// A `soap:header` of an operation's input or output.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderPart {
    pub message: QName,
    pub part: String,
    pub content: PartContent,
    pub header_use: Use,
    pub location: Location,
}

/// A `wsdl:fault` of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultMessage {
    pub name: String,
    pub message: QName,
    /// The parts of the fault message (the detail's elements).
    pub parts: Vec<Part>,
    pub location: Location,
}

/// A `wsdl:service` and its ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub doc: Option<String>,
    pub ports: Vec<Port>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub name: String,
    /// May name a binding that no document defines; such a port is never chosen.
    pub binding: QName,
    /// The `soap:address` or `soap12:address` location.
    pub address: Option<String>,
    pub location: Location,
}
