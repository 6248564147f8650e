//! Attributes and simple content: the struct members that come from the start tag and from
//! the element's text rather than from child elements.

use std::collections::HashSet;

use mktows_wsdl::{Attribute, ComplexType, Schema};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::namespaces::Namespaces;
use crate::names::field_name;

/// The namespace of `xml:lang` and friends, whose prefix XML itself binds.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// The Rust field of a simple-content type's text.
pub(crate) const VALUE_FIELD: &str = "value";

/// What an attribute's field is called when an element (or the text) already has its name.
const CLASH_SUFFIX: &str = "_attribute";

/// One attribute of a struct, decided.
pub(crate) struct AttributePlan {
    pub ident: Ident,
    /// The attribute's local name, which the reader matches.
    pub xml_name: String,
    /// The name the writer writes: prefixed when the attribute is qualified.
    pub wire_name: String,
    /// Whether it is qualified: read under any prefix, rather than only without one.
    pub qualified: bool,
    /// `use="required"`: the field is `T` and reading fails without it.
    pub required: bool,
    /// `fixed=`: written when the field is `None`.
    pub fixed: Option<String>,
    /// The key in JSON: `@name`, so it never meets an element's key.
    pub json_name: String,
    /// `T` or `Option<T>`.
    pub rust_type: TokenStream,
    pub docs: Vec<String>,
}

/// The text of a simple-content type.
pub(crate) struct ValuePlan {
    pub ident: Ident,
    pub rust_type: TokenStream,
    /// The key in JSON: `$value`.
    pub json_name: &'static str,
    pub docs: Vec<String>,
}

/// The Rust field names of the attributes of `ty` (see [`Schema::all_attributes`]), in
/// order: an attribute named like an element field (or like `value`, the text of simple
/// content) gets the suffix `_attribute`. A name still taken is an error naming both.
pub(crate) fn field_names(schema: &Schema, ty: &ComplexType) -> Result<Vec<String>, String> {
    let mut taken: HashSet<String> = schema.all_fields(ty).iter().map(|f| field_name(&f.name)).collect();
    if ty.simple_content.is_some() {
        taken.insert(VALUE_FIELD.to_owned());
    }
    let mut names = Vec::new();
    for attribute in schema.all_attributes(ty) {
        let plain = field_name(&attribute.name);
        let name = match taken.contains(&plain) {
            true => format!("{plain}{CLASH_SUFFIX}"),
            false => plain,
        };
        if !taken.insert(name.clone()) {
            return Err(format!(
                "attribute `{}` of `{}` becomes the field `{name}`, which another member has",
                attribute.name, ty.name.local
            ));
        }
        names.push(name);
    }
    Ok(names)
}

impl AttributePlan {
    /// `field`: the name [`field_names`] chose; `value_type`: the Rust type of one value.
    pub(crate) fn new(attribute: &Attribute, field: &str, value_type: TokenStream, namespaces: &Namespaces) -> Self {
        let wire_name = match attribute.namespace.as_deref() {
            None => attribute.name.clone(),
            Some(XML_NAMESPACE) => format!("xml:{}", attribute.name),
            Some(namespace) => namespaces.qualify(namespace, &attribute.name),
        };
        let rust_type = match attribute.required {
            true => value_type,
            false => quote!(Option<#value_type>),
        };
        let mut docs = vec![attribute.doc.clone().unwrap_or_default(), use_line(attribute)];
        if field != field_name(&attribute.name) {
            docs.push(format!(
                "The field is `{field}` because another member of the type is `{}`.",
                field_name(&attribute.name)
            ));
        }
        Self {
            ident: ident(field),
            xml_name: attribute.name.clone(),
            wire_name,
            qualified: attribute.namespace.is_some(),
            required: attribute.required,
            fixed: attribute.fixed.clone(),
            json_name: format!("@{}", attribute.name),
            rust_type,
            docs,
        }
    }
}

impl ValuePlan {
    pub(crate) fn new(schema_type: &str, rust_type: TokenStream) -> Self {
        let docs = vec![format!("The element's text (simple content of `{schema_type}`).")];
        Self { ident: ident(VALUE_FIELD), rust_type, json_name: "$value", docs }
    }
}

/// One line on how the attribute is used, for the field's documentation.
fn use_line(attribute: &Attribute) -> String {
    let name = &attribute.name;
    match (attribute.required, &attribute.fixed, &attribute.default) {
        (true, Some(fixed), _) => format!("Attribute `{name}`, required, fixed to `{fixed}`."),
        (true, None, _) => format!("Attribute `{name}`, required."),
        (false, Some(fixed), _) => format!("Attribute `{name}`, fixed to `{fixed}`: `None` writes `{fixed}`."),
        (false, None, Some(default)) => format!(
            "Attribute `{name}`, optional: `None` leaves it out, and the service then takes the schema's default \
             `{default}`. Reading an absent attribute gives `None`, not the default."
        ),
        (false, None, None) => format!("Attribute `{name}`, optional: `None` leaves it out."),
    }
}
