//! `types.rs` of the generated crate: one Rust type per schema type, with its XML reading and
//! writing.
//!
//! * an `xs:complexType` becomes a struct; an abstract one with extensions becomes an enum
//!   over its derived types, told apart by `xsi:type`;
//! * an enumeration becomes an enum with a fallback variant that keeps unknown values;
//! * any other `xs:simpleType` becomes a type alias of its base.
//!
//! Occurrence decides a field's Rust type: `T` (required), `Option<T>` (`minOccurs="0"`),
//! `Nillable<T>` (`minOccurs="0"` and nillable), `Option<T>` with `None` written as nil
//! (required and nillable), `Vec<T>` (`maxOccurs` above one).

use std::collections::{BTreeSet, HashMap, HashSet};

use mktows_wsdl::{Builtin, ComplexType, Field, MaxOccurs, Schema, SimpleType, TypeRef, Wsdl};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::docs::doc_attrs;
use crate::names::{field_name, ident, type_name, variant_name};
use crate::Error;

/// How a field occurs, which decides its Rust type and how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Required,
    Optional,
    Nillable,
    RequiredNillable,
    Repeated,
}

impl Shape {
    pub(crate) fn of(field: &Field) -> Self {
        match (field.min_occurs, field.max_occurs, field.nillable) {
            (_, MaxOccurs::Unbounded, _) => Self::Repeated,
            (_, MaxOccurs::Bounded(max), _) if max > 1 => Self::Repeated,
            (0, _, false) => Self::Optional,
            (0, _, true) => Self::Nillable,
            (_, _, true) => Self::RequiredNillable,
            (_, _, false) => Self::Required,
        }
    }
}

/// What the generator knows about the schema as a whole.
pub(crate) struct TypeIndex<'s> {
    schema: &'s Schema,
    /// Abstract types and the concrete types that extend them, in document order.
    polymorphic: HashMap<&'s str, Vec<&'s ComplexType>>,
    /// Concrete types that appear as a variant of some polymorphic enum.
    variants: HashSet<&'s str>,
}

impl<'s> TypeIndex<'s> {
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
    pub(crate) fn value_type(&self, type_ref: &TypeRef) -> TokenStream {
        match type_ref {
            TypeRef::Builtin(builtin) => builtin_type(*builtin),
            TypeRef::Simple(name) => {
                let ty = format_ident!("{}", type_name(name));
                quote!(#ty)
            }
            TypeRef::Complex(name) => {
                let ty = format_ident!("{}", type_name(name));
                quote!(#ty)
            }
        }
    }

    /// The field's Rust type with its occurrence wrapper, boxed where the type would
    /// otherwise contain itself.
    pub(crate) fn field_type(&self, owner: &str, field: &Field) -> TokenStream {
        let mut value = self.value_type(&field.type_ref);
        let shape = Shape::of(field);
        if shape != Shape::Repeated && self.reaches(&field.type_ref, owner) {
            value = quote!(Box<#value>);
        }
        match shape {
            Shape::Required => value,
            Shape::Optional | Shape::RequiredNillable => quote!(Option<#value>),
            Shape::Nillable => quote!(Nillable<#value>),
            Shape::Repeated => quote!(Vec<#value>),
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

/// Where a type is used as a message body, for its documentation.
pub(crate) struct Usage {
    /// Type name -> lines such as "Request body of [`Client::sync_lead`](crate::Client::sync_lead)".
    pub(crate) lines: HashMap<String, Vec<String>>,
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
}

pub(crate) fn generate(wsdl: &Wsdl, index: &TypeIndex<'_>) -> Result<TokenStream, Error> {
    check_unique_names(&wsdl.schema)?;
    let usage = Usage::of(wsdl);
    let mut items = Vec::new();
    for simple in &wsdl.schema.simple_types {
        items.push(simple_type(simple));
    }
    for ty in &wsdl.schema.complex_types {
        let usage_lines = usage.lines.get(&ty.name).map(Vec::as_slice).unwrap_or_default();
        if let Some(variants) = index.polymorphic.get(ty.name.as_str()) {
            items.push(polymorphic_enum(ty, variants, usage_lines));
        } else {
            items.push(complex_struct(ty, index, usage_lines)?);
        }
    }
    let imports = imports(&wsdl.schema, index);
    Ok(quote! {
        #imports
        #(#items)*
    })
}

/// Imports only what the generated code uses, so it compiles without warnings.
fn imports(schema: &Schema, index: &TypeIndex<'_>) -> TokenStream {
    let mut runtime_xml: BTreeSet<&str> = ["Element", "FromXml", "ToXml", "XmlReader", "XmlWriter"].into();
    let mut runtime: BTreeSet<&str> = ["DecodeError"].into();
    let fields = schema.complex_types.iter().flat_map(|t| t.fields.iter());
    for field in fields {
        if Shape::of(field) == Shape::Nillable {
            runtime_xml.insert("Nillable");
        }
        match field.type_ref {
            TypeRef::Builtin(Builtin::DateTime) => runtime_xml.insert("DateTime"),
            TypeRef::Builtin(Builtin::Date) => runtime_xml.insert("Date"),
            TypeRef::Builtin(Builtin::Base64Binary) => runtime_xml.insert("Base64Binary"),
            _ => false,
        };
    }
    for simple in &schema.simple_types {
        match simple.base {
            Builtin::DateTime => runtime_xml.insert("DateTime"),
            Builtin::Date => runtime_xml.insert("Date"),
            Builtin::Base64Binary => runtime_xml.insert("Base64Binary"),
            _ => false,
        };
    }
    if !index.polymorphic.is_empty() {
        runtime.insert("DecodeErrorKind");
    }
    let has_enums = schema.simple_types.iter().any(|s| !s.enumeration.is_empty());
    let xml = runtime_xml.iter().map(|name| format_ident!("{name}"));
    let top = runtime.iter().map(|name| format_ident!("{name}"));
    let fmt = has_enums.then(|| {
        quote!(
            use std::fmt;
        )
    });
    quote! {
        #fmt
        use mktows_runtime::xml::{#(#xml),*};
        use mktows_runtime::{#(#top),*};
    }
}

/// Two schema names that map to one Rust name would not compile; say which.
fn check_unique_names(schema: &Schema) -> Result<(), Error> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let all = schema
        .simple_types
        .iter()
        .map(|t| (&t.name, t.location))
        .chain(schema.complex_types.iter().map(|t| (&t.name, t.location)));
    for (name, location) in all {
        if let Some(other) = seen.insert(type_name(name), name) {
            return Err(Error::at(
                format!("types `{other}` and `{name}` both become the Rust type `{}`", type_name(name)),
                location,
            ));
        }
    }
    for ty in &schema.complex_types {
        let mut fields: HashMap<String, &str> = HashMap::new();
        for field in schema.all_fields(ty) {
            if let Some(other) = fields.insert(field_name(&field.name), &field.name) {
                let message = format!(
                    "elements `{other}` and `{}` of `{}` both become the field `{}`",
                    field.name,
                    ty.name,
                    field_name(&field.name)
                );
                return Err(Error::at(message, field.location));
            }
        }
    }
    for simple in &schema.simple_types {
        let mut variants: HashMap<String, &str> = HashMap::new();
        for value in &simple.enumeration {
            if let Some(other) = variants.insert(variant_name(&value.value), &value.value) {
                let message = format!(
                    "values `{other}` and `{}` of `{}` both become the variant `{}`",
                    value.value,
                    simple.name,
                    variant_name(&value.value)
                );
                return Err(Error::at(message, simple.location));
            }
        }
    }
    Ok(())
}

fn simple_type(simple: &SimpleType) -> TokenStream {
    let name = format_ident!("{}", type_name(&simple.name));
    let xsd = xsd_name(simple.base);
    let schema_line = format!("Schema type `{}`, a restriction of `{xsd}`.", simple.name);
    let docs = doc_attrs(&[simple.doc.as_deref().unwrap_or(""), &schema_line]);
    if simple.enumeration.is_empty() {
        let base = builtin_type(simple.base);
        return quote! {
            #docs
            pub type #name = #base;
        };
    }
    let variants: Vec<_> = simple.enumeration.iter().map(|v| format_ident!("{}", variant_name(&v.value))).collect();
    let values: Vec<_> = simple.enumeration.iter().map(|v| Literal::string(&v.value)).collect();
    let variant_docs: Vec<_> = simple
        .enumeration
        .iter()
        .map(|v| doc_attrs(&[v.doc.as_deref().unwrap_or(""), &format!("`{}`", v.value)]))
        .collect();
    let taken: HashSet<String> = variants.iter().map(ToString::to_string).collect();
    let fallback = format_ident!(
        "{}",
        ["Unknown", "Other", "UnknownValue"].into_iter().find(|f| !taken.contains(*f)).unwrap_or("UnrecognizedValue")
    );
    let fallback_doc = "A value that this version of the WSDL does not define, kept as sent so that a newer service does not break parsing.";
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variant_docs #variants, )*
            #[doc = #fallback_doc]
            #fallback(String),
        }

        impl #name {
            /// The value as it appears in XML.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        impl fmt::Display for #name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, self.as_str());
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_text(element).map(|text| Self::from(text.as_ref()))
            }
        }
    }
}

fn polymorphic_enum(base: &ComplexType, variants: &[&ComplexType], usage: &[String]) -> TokenStream {
    let name = format_ident!("{}", type_name(&base.name));
    let variant_idents: Vec<_> = variants.iter().map(|t| format_ident!("{}", type_name(&t.name))).collect();
    let type_names: Vec<_> = variants.iter().map(|t| Literal::string(&t.name)).collect();
    let schema_line =
        format!("Schema type `{}` (abstract). A value is one of its extensions, sent with `xsi:type`.", base.name);
    let mut lines: Vec<&str> = vec![base.doc.as_deref().unwrap_or(""), &schema_line];
    lines.extend(usage.iter().map(String::as_str));
    let docs = doc_attrs(&lines);
    let variant_docs = variants.iter().map(|t| doc_attrs(&[&format!("Sent as `xsi:type=\"{}\"`.", t.name)]));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(tag = "xsi:type"))]
        pub enum #name {
            #( #variant_docs #variant_idents(#variant_idents), )*
        }

        #(
            impl From<#variant_idents> for #name {
                fn from(value: #variant_idents) -> Self {
                    Self::#variant_idents(value)
                }
            }
        )*

        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                match self {
                    #(
                        Self::#variant_idents(value) => {
                            w.start_typed(name, #type_names);
                            value.write_fields(w);
                            w.end(name);
                        }
                    )*
                }
            }
        }

        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                match element.xsi_type().as_deref() {
                    #( Some(#type_names) => #variant_idents::read_xml(r, element).map(Self::#variant_idents), )*
                    other => {
                        let type_name = other.unwrap_or("(none)").to_owned();
                        Err(r.error(element, DecodeErrorKind::UnknownType { type_name }))
                    }
                }
            }
        }
    }
}

/// The local variable names the reader uses; fields with these names get a prefix.
const READER_LOCALS: &[&str] = &["r", "element", "child"];

fn complex_struct(ty: &ComplexType, index: &TypeIndex<'_>, usage: &[String]) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", type_name(&ty.name));
    let fields = index.schema.all_fields(ty);
    let schema_line = match &ty.base {
        Some(base) => format!("Schema type `{}`, an extension of `{base}`.", ty.name),
        None => format!("Schema type `{}`.", ty.name),
    };
    let mut lines: Vec<&str> = vec![ty.doc.as_deref().unwrap_or(""), &schema_line];
    lines.extend(usage.iter().map(String::as_str));
    let docs = doc_attrs(&lines);

    let mut declarations = Vec::new();
    let mut writes = Vec::new();
    let mut inits = Vec::new();
    let mut arms = Vec::new();
    let mut finals = Vec::new();
    for field in &fields {
        let field_ident = ident(&field_name(&field.name));
        let local = if READER_LOCALS.contains(&field_ident.to_string().as_str()) {
            format_ident!("field_{}", field_ident)
        } else {
            field_ident.clone()
        };
        let rust_type = index.field_type(&ty.name, field);
        let assign = if local == field_ident { quote!(#field_ident,) } else { quote!(#field_ident: #local,) };
        let xml_name = Literal::string(&field.name);
        let xml_bytes = Literal::byte_string(field.name.as_bytes());
        let field_docs = doc_attrs(&[field.doc.as_deref().unwrap_or(""), &occurrence_line(field)]);
        let serde = serde_field(&field.name, Shape::of(field));
        declarations.push(quote!(#field_docs #serde pub #field_ident: #rust_type,));
        let (write, init, arm, fin) = match Shape::of(field) {
            Shape::Required => (
                quote!(w.field(#xml_name, &self.#field_ident);),
                quote!(let mut #local = None;),
                quote!(#xml_bytes => #local = Some(r.read(&child)?),),
                quote!(#field_ident: r.required(#local, #xml_name, element)?,),
            ),
            Shape::RequiredNillable => (
                quote!(w.nil_or(#xml_name, &self.#field_ident);),
                quote!(let mut #local = None;),
                quote!(#xml_bytes => #local = Some(r.read_nil_or(&child)?),),
                quote!(#field_ident: r.required(#local, #xml_name, element)?,),
            ),
            Shape::Optional => (
                quote!(w.optional(#xml_name, &self.#field_ident);),
                quote!(let mut #local = None;),
                quote!(#xml_bytes => #local = r.read_optional(&child)?,),
                assign,
            ),
            Shape::Nillable => (
                quote!(w.nillable(#xml_name, &self.#field_ident);),
                quote!(let mut #local = Nillable::Absent;),
                quote!(#xml_bytes => #local = r.read_nillable(&child)?,),
                assign,
            ),
            Shape::Repeated => (
                quote!(w.repeated(#xml_name, &self.#field_ident);),
                quote!(let mut #local = Vec::new();),
                quote!(#xml_bytes => #local.push(r.read(&child)?),),
                assign,
            ),
        };
        writes.push(write);
        inits.push(init);
        arms.push(arm);
        finals.push(fin);
    }

    let derive_default = index.has_default(ty, &mut Vec::new()).then(|| quote!(Default,));
    let is_variant = index.variants.contains(ty.name.as_str());
    let (write_body, fields_fn) = if is_variant {
        let body = quote! {
            w.start(name);
            self.write_fields(w);
            w.end(name);
        };
        let fields_fn = quote! {
            impl #name {
                /// Writes the child elements, for the enum that sends this type with `xsi:type`.
                pub(crate) fn write_fields(&self, w: &mut XmlWriter) {
                    #(#writes)*
                }
            }
        };
        (body, fields_fn)
    } else {
        let body = quote! {
            w.start(name);
            #(#writes)*
            w.end(name);
        };
        (body, quote!())
    };
    let read_loop = if fields.is_empty() {
        quote! {
            while let Some(child) = r.next_child(element)? {
                r.skip(&child)?;
            }
            Ok(Self {})
        }
    } else {
        quote! {
            #(#inits)*
            while let Some(child) = r.next_child(element)? {
                match child.local_name() {
                    #(#arms)*
                    // Elements of a newer schema version are skipped.
                    _ => r.skip(&child)?,
                }
            }
            Ok(Self { #(#finals)* })
        }
    };
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct #name {
            #(#declarations)*
        }

        #fields_fn

        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                #write_body
            }
        }

        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                #read_loop
            }
        }
    })
}

/// The serde attributes of a field: its XML name, and how absence maps to JSON.
fn serde_field(xml_name: &str, shape: Shape) -> TokenStream {
    let name = Literal::string(xml_name);
    let extra = match shape {
        Shape::Required | Shape::RequiredNillable => quote!(),
        Shape::Optional => quote!(, default, skip_serializing_if = "Option::is_none"),
        Shape::Nillable => quote!(, default, skip_serializing_if = "Nillable::is_absent"),
        Shape::Repeated => quote!(, default),
    };
    quote!(#[cfg_attr(feature = "serde", serde(rename = #name #extra))])
}

/// One line on how the element occurs, for the field's documentation.
fn occurrence_line(field: &Field) -> String {
    let element = &field.name;
    match Shape::of(field) {
        Shape::Required => format!("Element `{element}`, required."),
        Shape::Optional => format!("Element `{element}`, optional: `None` leaves it out."),
        Shape::Nillable => {
            format!("Element `{element}`, optional and nillable: `Absent` leaves it out, `Nil` sends `xsi:nil`.")
        }
        Shape::RequiredNillable => format!("Element `{element}`, required and nillable: `None` sends `xsi:nil`."),
        Shape::Repeated => match (field.min_occurs, field.max_occurs) {
            (0, MaxOccurs::Unbounded) => format!("Element `{element}`, repeated any number of times."),
            (min, MaxOccurs::Unbounded) => format!("Element `{element}`, repeated at least {min} times."),
            (min, MaxOccurs::Bounded(max)) => format!("Element `{element}`, repeated {min} to {max} times."),
        },
    }
}
