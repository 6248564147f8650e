//! Types: what each schema type becomes in Rust, with its docs, derives and boxing.

use std::collections::{HashMap, HashSet};

use mktows_wsdl::{Builtin, ComplexType, Schema, SimpleType, TypeRef, Wsdl};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{FieldPlan, Shape};
use crate::names::{field_name, type_name, variant_name};
use crate::Error;

/// One generated type.
pub(crate) enum TypePlan {
    /// A simple type without enumeration: `pub type X = base;`.
    Alias(AliasPlan),
    /// An enumeration, with a fallback variant for values a newer WSDL adds.
    Enum(EnumPlan),
    /// A concrete complex type.
    Struct(StructPlan),
    /// An abstract complex type: an enum over its extensions, told apart by `xsi:type`.
    Polymorphic(PolymorphicPlan),
}

pub(crate) struct AliasPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub base: Builtin,
    /// The Rust type of the base.
    pub rust_base: TokenStream,
}

pub(crate) struct EnumPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub base: Builtin,
    pub variants: Vec<EnumVariant>,
    /// The variant that keeps an unknown value (`Unknown`, or another name when a value
    /// takes that one).
    pub fallback: Ident,
}

pub(crate) struct EnumVariant {
    pub ident: Ident,
    /// The value as sent.
    pub value: String,
    pub docs: Vec<String>,
}

pub(crate) struct StructPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    /// Whether `Default` can be derived without inventing a value the schema rejects.
    pub derive_default: bool,
    /// Whether a polymorphic enum sends this type with `xsi:type`, and so needs its child
    /// elements written apart from its start and end tags.
    pub is_variant: bool,
    /// Inherited fields first.
    pub fields: Vec<FieldPlan>,
}

pub(crate) struct PolymorphicPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub variants: Vec<PolymorphicVariant>,
}

pub(crate) struct PolymorphicVariant {
    /// Both the variant and the struct it holds.
    pub ident: Ident,
    /// The schema type name sent as `xsi:type`.
    pub xsi_type: String,
    pub docs: Vec<String>,
}

/// What the plan needs to know about the schema as a whole: which types are polymorphic.
pub(crate) struct Analysis<'s> {
    schema: &'s Schema,
    /// Abstract types and the concrete types that extend them, in document order.
    polymorphic: HashMap<&'s str, Vec<&'s ComplexType>>,
    /// Concrete types that appear as a variant of some polymorphic enum.
    variants: HashSet<&'s str>,
}

impl<'s> Analysis<'s> {
    pub(crate) fn new(schema: &'s Schema) -> Result<Self, Error> {
        let mut polymorphic = HashMap::new();
        let mut variants = HashSet::new();
        for ty in &schema.complex_types {
            let derived: Vec<&ComplexType> =
                schema.derived_types(&ty.name).into_iter().filter(|t| !t.is_abstract).collect();
            match (ty.is_abstract, derived.is_empty()) {
                (true, true) => {
                    let message = format!(
                        "abstract complexType `{}` has no concrete extension, so no value of it can exist",
                        ty.name
                    );
                    return Err(Error::at(message, ty.location));
                }
                (false, false) => {
                    let message = format!(
                        "complexType `{}` is extended but not abstract (only abstract bases are supported)",
                        ty.name
                    );
                    return Err(Error::at(message, ty.location));
                }
                (true, false) => {
                    variants.extend(derived.iter().map(|t| t.name.as_str()));
                    polymorphic.insert(ty.name.as_str(), derived);
                }
                (false, true) => {}
            }
        }
        Ok(Self { schema, polymorphic, variants })
    }

    /// The Rust type of one value of `type_ref` (before the occurrence wrapper).
    fn value_type(&self, type_ref: &TypeRef) -> TokenStream {
        match type_ref {
            TypeRef::Builtin(builtin) => builtin_type(*builtin),
            TypeRef::Simple(name) | TypeRef::Complex(name) => {
                let ty = format_ident!("{}", type_name(name));
                quote!(#ty)
            }
        }
    }

    /// Whether a value of `from` can contain a `target` without going through a `Vec`.
    fn reaches(&self, from: &TypeRef, target: &str) -> bool {
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            let TypeRef::Complex(name) = current else { continue };
            if name == target {
                return true;
            }
            if !seen.insert(name.as_str()) {
                continue;
            }
            for ty in self.concrete_types(name) {
                for field in self.schema.all_fields(ty) {
                    if Shape::of(field) != Shape::Repeated {
                        stack.push(&field.type_ref);
                    }
                }
            }
        }
        false
    }

    /// The concrete types a value of `name` may have: its variants when it is abstract.
    fn concrete_types(&self, name: &str) -> Vec<&'s ComplexType> {
        match self.polymorphic.get(name) {
            Some(derived) => derived.clone(),
            None => self.schema.complex_type(name).into_iter().collect(),
        }
    }

    /// Whether `Default` can be derived without inventing a value the schema would reject
    /// (an enumeration value or a date, say).
    fn has_default(&self, ty: &ComplexType, visiting: &mut Vec<String>) -> bool {
        if visiting.contains(&ty.name) {
            return false;
        }
        visiting.push(ty.name.clone());
        let result = self.schema.all_fields(ty).iter().all(|field| {
            Shape::of(field) != Shape::Required
                || match &field.type_ref {
                    TypeRef::Builtin(b) => !matches!(b, Builtin::DateTime | Builtin::Date),
                    TypeRef::Simple(name) => self.schema.simple_type(name).is_some_and(|s| s.enumeration.is_empty()),
                    TypeRef::Complex(name) => {
                        !self.polymorphic.contains_key(name.as_str())
                            && self.schema.complex_type(name).is_some_and(|t| self.has_default(t, visiting))
                    }
                }
        });
        visiting.pop();
        result
    }
}

/// Where a type is used as a message body or header, for its documentation.
pub(crate) struct Usage {
    /// Type name -> lines such as "The request of [`Client::sync_lead`](crate::Client::sync_lead)".
    lines: HashMap<String, Vec<String>>,
}

impl Usage {
    pub(crate) fn of(wsdl: &Wsdl) -> Self {
        let mut lines: HashMap<String, Vec<String>> = HashMap::new();
        let element_type = |element: &str| wsdl.schema.element(element).map(|e| e.type_name.clone());
        for op in &wsdl.operations {
            let method = field_name(&op.name);
            let link = format!("[`Client::{method}`](crate::Client::{method})");
            if let Some(ty) = element_type(&op.input_element) {
                lines
                    .entry(ty)
                    .or_default()
                    .push(format!("The request of {link}: the body element `{}`.", op.input_element));
            }
            if let Some(ty) = element_type(&op.output_element) {
                lines
                    .entry(ty)
                    .or_default()
                    .push(format!("The response of {link}: the body element `{}`.", op.output_element));
            }
            for header in &op.input_headers {
                if let Some(ty) = element_type(&header.element) {
                    let line = format!("The SOAP header `{}`.", header.element);
                    let entry = lines.entry(ty).or_default();
                    if !entry.contains(&line) {
                        entry.push(line);
                    }
                }
            }
        }
        Self { lines }
    }

    fn of_type(&self, name: &str) -> &[String] {
        self.lines.get(name).map(Vec::as_slice).unwrap_or_default()
    }
}

pub(crate) fn plan_types(schema: &Schema, analysis: &Analysis<'_>, usage: &Usage) -> Vec<TypePlan> {
    let simple = schema.simple_types.iter().map(simple_type);
    let complex = schema.complex_types.iter().map(|ty| match analysis.polymorphic.get(ty.name.as_str()) {
        Some(variants) => TypePlan::Polymorphic(polymorphic(ty, variants, usage.of_type(&ty.name))),
        None => TypePlan::Struct(structure(ty, analysis, usage.of_type(&ty.name))),
    });
    simple.chain(complex).collect()
}

fn simple_type(simple: &SimpleType) -> TypePlan {
    let ident = format_ident!("{}", type_name(&simple.name));
    let schema_line = format!("Schema type `{}`, a restriction of `{}`.", simple.name, xsd_name(simple.base));
    let docs = vec![simple.doc.clone().unwrap_or_default(), schema_line];
    if simple.enumeration.is_empty() {
        return TypePlan::Alias(AliasPlan { ident, docs, base: simple.base, rust_base: builtin_type(simple.base) });
    }
    let variants: Vec<EnumVariant> = simple
        .enumeration
        .iter()
        .map(|v| EnumVariant {
            ident: format_ident!("{}", variant_name(&v.value)),
            value: v.value.clone(),
            docs: vec![v.doc.clone().unwrap_or_default(), format!("`{}`", v.value)],
        })
        .collect();
    let taken: HashSet<String> = variants.iter().map(|v| v.ident.to_string()).collect();
    let fallback = ["Unknown", "Other", "UnknownValue"].into_iter().find(|f| !taken.contains(*f));
    let fallback = format_ident!("{}", fallback.unwrap_or("UnrecognizedValue"));
    TypePlan::Enum(EnumPlan { ident, docs, base: simple.base, variants, fallback })
}

fn polymorphic(base: &ComplexType, variants: &[&ComplexType], usage: &[String]) -> PolymorphicPlan {
    let schema_line =
        format!("Schema type `{}` (abstract). A value is one of its extensions, sent with `xsi:type`.", base.name);
    let mut docs = vec![base.doc.clone().unwrap_or_default(), schema_line];
    docs.extend(usage.iter().cloned());
    let variants = variants
        .iter()
        .map(|t| PolymorphicVariant {
            ident: format_ident!("{}", type_name(&t.name)),
            xsi_type: t.name.clone(),
            docs: vec![format!("Sent as `xsi:type=\"{}\"`.", t.name)],
        })
        .collect();
    PolymorphicPlan { ident: format_ident!("{}", type_name(&base.name)), docs, variants }
}

fn structure(ty: &ComplexType, analysis: &Analysis<'_>, usage: &[String]) -> StructPlan {
    let schema_line = match &ty.base {
        Some(base) => format!("Schema type `{}`, an extension of `{base}`.", ty.name),
        None => format!("Schema type `{}`.", ty.name),
    };
    let mut docs = vec![ty.doc.clone().unwrap_or_default(), schema_line];
    docs.extend(usage.iter().cloned());
    let fields = analysis
        .schema
        .all_fields(ty)
        .into_iter()
        .map(|field| {
            let boxed = Shape::of(field) != Shape::Repeated && analysis.reaches(&field.type_ref, &ty.name);
            FieldPlan::new(field, analysis.value_type(&field.type_ref), boxed)
        })
        .collect();
    StructPlan {
        ident: format_ident!("{}", type_name(&ty.name)),
        docs,
        derive_default: analysis.has_default(ty, &mut Vec::new()),
        is_variant: analysis.variants.contains(ty.name.as_str()),
        fields,
    }
}

fn builtin_type(builtin: Builtin) -> TokenStream {
    match builtin {
        Builtin::String | Builtin::NormalizedString | Builtin::Token | Builtin::AnyUri | Builtin::AnySimpleType => {
            quote!(String)
        }
        Builtin::Boolean => quote!(bool),
        Builtin::Byte => quote!(i8),
        Builtin::Short => quote!(i16),
        Builtin::Int => quote!(i32),
        Builtin::Long | Builtin::Integer => quote!(i64),
        Builtin::UnsignedByte => quote!(u8),
        Builtin::UnsignedShort => quote!(u16),
        Builtin::UnsignedInt => quote!(u32),
        Builtin::UnsignedLong => quote!(u64),
        Builtin::Float => quote!(f32),
        Builtin::Double => quote!(f64),
        Builtin::DateTime => quote!(DateTime),
        Builtin::Date => quote!(Date),
        Builtin::Base64Binary => quote!(Base64Binary),
    }
}

fn xsd_name(builtin: Builtin) -> &'static str {
    match builtin {
        Builtin::String => "xs:string",
        Builtin::NormalizedString => "xs:normalizedString",
        Builtin::Token => "xs:token",
        Builtin::AnyUri => "xs:anyURI",
        Builtin::AnySimpleType => "xs:anySimpleType",
        Builtin::Boolean => "xs:boolean",
        Builtin::Byte => "xs:byte",
        Builtin::Short => "xs:short",
        Builtin::Int => "xs:int",
        Builtin::Long => "xs:long",
        Builtin::Integer => "xs:integer",
        Builtin::UnsignedByte => "xs:unsignedByte",
        Builtin::UnsignedShort => "xs:unsignedShort",
        Builtin::UnsignedInt => "xs:unsignedInt",
        Builtin::UnsignedLong => "xs:unsignedLong",
        Builtin::Float => "xs:float",
        Builtin::Double => "xs:double",
        Builtin::DateTime => "xs:dateTime",
        Builtin::Date => "xs:date",
        Builtin::Base64Binary => "xs:base64Binary",
    }
}
