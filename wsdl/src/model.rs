//! The resolved model. Names are the WSDL's own; turning them into Rust names is codegen's job.

use crate::Location;

/// A parsed WSDL: the schema and the operations of the SOAP 1.1 port.
#[derive(Debug, Clone, PartialEq)]
pub struct Wsdl {
    /// The file name or URL the WSDL was read from.
    pub source_name: String,
    /// `wsdl:definitions/@name`.
    pub name: Option<String>,
    pub target_namespace: String,
    pub schema: Schema,
    /// In the port type's order.
    pub operations: Vec<Operation>,
    pub service: Option<Service>,
}

/// The schema in `wsdl:types`, in document order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    pub simple_types: Vec<SimpleType>,
    pub complex_types: Vec<ComplexType>,
    pub elements: Vec<GlobalElement>,
}

impl Schema {
    pub fn complex_type(&self, name: &str) -> Option<&ComplexType> {
        self.complex_types.iter().find(|t| t.name == name)
    }

    pub fn simple_type(&self, name: &str) -> Option<&SimpleType> {
        self.simple_types.iter().find(|t| t.name == name)
    }

    pub fn element(&self, name: &str) -> Option<&GlobalElement> {
        self.elements.iter().find(|e| e.name == name)
    }

    /// The complex types that extend `base`, directly or not, in document order.
    pub fn derived_types<'s>(&'s self, base: &str) -> Vec<&'s ComplexType> {
        self.complex_types.iter().filter(|t| self.extends(t, base)).collect()
    }

    fn extends(&self, ty: &ComplexType, base: &str) -> bool {
        let mut current = ty.base.as_deref();
        // The parser rejects cycles, so this terminates.
        while let Some(name) = current {
            if name == base {
                return true;
            }
            current = self.complex_type(name).and_then(|t| t.base.as_deref());
        }
        false
    }

    /// All fields of `ty`, inherited ones first, as an extension's content model defines.
    pub fn all_fields<'s>(&'s self, ty: &'s ComplexType) -> Vec<&'s Field> {
        let mut chain = vec![ty];
        while let Some(base) = chain.last().and_then(|t| t.base.as_deref()).and_then(|b| self.complex_type(b)) {
            chain.push(base);
        }
        chain.iter().rev().flat_map(|t| t.fields.iter()).collect()
    }
}

/// An `xs:simpleType` restricting a built-in, with its enumeration values (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleType {
    pub name: String,
    pub doc: Option<String>,
    pub base: Builtin,
    pub enumeration: Vec<EnumValue>,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub value: String,
    pub doc: Option<String>,
}

/// An `xs:complexType` with a sequence of elements, possibly extending another.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexType {
    pub name: String,
    pub doc: Option<String>,
    pub is_abstract: bool,
    /// The complex type this one extends (`complexContent/extension/@base`).
    pub base: Option<String>,
    /// Only the fields this type declares; see [`Schema::all_fields`].
    pub fields: Vec<Field>,
    pub location: Location,
}

/// A local element of a sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    Bounded(u32),
    Unbounded,
}

/// A resolved type reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Builtin(Builtin),
    /// A named `xs:simpleType` of the schema.
    Simple(String),
    /// A named `xs:complexType` of the schema.
    Complex(String),
}

/// The XML Schema built-in types the model supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builtin {
    String,
    NormalizedString,
    Token,
    AnyUri,
    AnySimpleType,
    Boolean,
    Byte,
    Short,
    Int,
    Long,
    Integer,
    UnsignedByte,
    UnsignedShort,
    UnsignedInt,
    UnsignedLong,
    Float,
    Double,
    DateTime,
    Date,
    Base64Binary,
}

impl Builtin {
    pub fn from_local_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "normalizedString" => Self::NormalizedString,
            "token" => Self::Token,
            "anyURI" => Self::AnyUri,
            "anySimpleType" => Self::AnySimpleType,
            "boolean" => Self::Boolean,
            "byte" => Self::Byte,
            "short" => Self::Short,
            "int" => Self::Int,
            "long" => Self::Long,
            "integer" => Self::Integer,
            "unsignedByte" => Self::UnsignedByte,
            "unsignedShort" => Self::UnsignedShort,
            "unsignedInt" => Self::UnsignedInt,
            "unsignedLong" => Self::UnsignedLong,
            "float" => Self::Float,
            "double" => Self::Double,
            "dateTime" => Self::DateTime,
            "date" => Self::Date,
            "base64Binary" => Self::Base64Binary,
            _ => return None,
        })
    }
}

/// A global `xs:element` (the bodies and headers of messages).
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalElement {
    pub name: String,
    /// The complex type of the element.
    pub type_name: String,
    pub location: Location,
}

/// One operation of the SOAP binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub name: String,
    pub doc: Option<String>,
    pub soap_action: String,
    /// The global element of the request body.
    pub input_element: String,
    /// The global element of the response body.
    pub output_element: String,
    /// Header blocks of the request, in binding order.
    pub input_headers: Vec<HeaderPart>,
    pub location: Location,
}

/// A `soap:header` of an operation's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPart {
    pub message: String,
    pub part: String,
    /// The global element the part refers to.
    pub element: String,
}

/// The service and the address of its SOAP 1.1 port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub name: String,
    pub port: String,
    pub address: Option<String>,
}
