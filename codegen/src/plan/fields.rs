//! Fields: how an element occurs decides its Rust type and how it is read and written.

use mktows_wsdl::{Field, MaxOccurs};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::groups::Member;
use super::namespaces::Namespaces;
use super::{ident, READER};
use crate::names::field_name;

/// The prefix the runtime binds to the service namespace on every envelope
/// (`XmlWriter::TNS_PREFIX`; a test keeps them equal).
pub(crate) const SERVICE_PREFIX: &str = "ns1";

/// How a field occurs, which decides its Rust type and how it is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `T`.
    Required,
    /// `Option<T>`: `minOccurs="0"`.
    Optional,
    /// `Nillable<T>`: `minOccurs="0"` and nillable.
    Nillable,
    /// `Option<T>` with `None` written as nil: required and nillable.
    RequiredNillable,
    /// `Vec<T>`: `maxOccurs` above one.
    Repeated,
    /// `Vec<Option<T>>`: repeated and nillable, `None` written as nil.
    RepeatedNillable,
}

impl Shape {
    pub(crate) fn of(field: &Field) -> Self {
        match (field.min_occurs, field.max_occurs, field.nillable) {
            (_, MaxOccurs::Unbounded, true) => Self::RepeatedNillable,
            (_, MaxOccurs::Bounded(max), true) if max > 1 => Self::RepeatedNillable,
            (_, MaxOccurs::Unbounded, _) => Self::Repeated,
            (_, MaxOccurs::Bounded(max), _) if max > 1 => Self::Repeated,
            (0, _, false) => Self::Optional,
            (0, _, true) => Self::Nillable,
            (_, _, true) => Self::RequiredNillable,
            (_, _, false) => Self::Required,
        }
    }

    /// The Rust type of a field of this shape holding `value`.
    pub(super) fn wrap(self, value: TokenStream) -> TokenStream {
        match self {
            Self::Required => value,
            Self::Optional | Self::RequiredNillable => quote!(Option<#value>),
            Self::Nillable => quote!(Nillable<#value>),
            Self::Repeated => quote!(Vec<#value>),
            Self::RepeatedNillable => quote!(Vec<Option<#value>>),
        }
    }

    /// Whether the field holds any number of values (so a recursive type needs no `Box`).
    pub(crate) fn is_repeated(self) -> bool {
        matches!(self, Self::Repeated | Self::RepeatedNillable)
    }
}

/// One element of a struct, decided.
pub(crate) struct FieldPlan {
    /// The Rust field (`lead_attribute_list`, `r#type`).
    pub ident: Ident,
    /// The reader's local variable for the field; never one of the reader's own names.
    pub local: Ident,
    /// The element's local name, which the reader matches.
    pub xml_name: String,
    /// The element's namespace when it is qualified: the reader checks it only where two
    /// children of a type share a local name (see `render::read`).
    pub namespace: Option<String>,
    /// The key in JSON (the serde feature): the local name, unless an earlier field of the
    /// type has it too (in another namespace); then the Rust field name.
    pub json_name: String,
    /// The name the writer writes: the local name, with the service prefix when the element
    /// is qualified.
    pub wire_name: String,
    pub shape: Shape,
    /// The field's full Rust type, occurrence wrapper and `Box` included.
    pub rust_type: TokenStream,
    /// The type of one value, before the occurrence wrapper (`Box` included).
    pub value_type: TokenStream,
    /// Paragraphs: the schema's documentation, then the occurrence rule.
    pub docs: Vec<String>,
    /// What the field stands for: one element, or a group or wildcard (see `groups`).
    pub member: Member,
}

impl FieldPlan {
    pub(crate) fn new(field: &Field, value_type: TokenStream, boxed: bool, namespaces: &Namespaces) -> Self {
        let ident = ident(&field_name(&field.name));
        let local = if READER.contains(&ident.to_string()) { format_ident!("field_{}", ident) } else { ident.clone() };
        let shape = Shape::of(field);
        let value = if boxed { quote!(Box<#value_type>) } else { value_type };
        let docs = vec![field.doc.clone().unwrap_or_default(), occurrence_line(field, shape)];
        let wire_name = match &field.namespace {
            Some(namespace) => namespaces.qualify(namespace, &field.name),
            None => field.name.clone(),
        };
        let (xml_name, namespace, json_name) = (field.name.clone(), field.namespace.clone(), field.name.clone());
        let member = Member::Element;
        Self {
            ident,
            local,
            xml_name,
            namespace,
            json_name,
            wire_name,
            shape,
            rust_type: shape.wrap(value.clone()),
            value_type: value,
            docs,
            member,
        }
    }
}

/// Gives fields whose names map to one Rust name (`lead_id` for `leadId` and `lead_id`, or
/// one local name in two namespaces) distinct ones: the first keeps it, the next become
/// `lead_id_2`, `lead_id_3`, ... in schema order, so the names are stable.
pub(crate) fn distinct_idents(fields: &mut [FieldPlan]) {
    let mut taken: Vec<String> = Vec::new();
    let mut local_names: Vec<String> = Vec::new();
    for field in fields.iter_mut() {
        let base = field.ident.to_string();
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{}_{n}", base.trim_start_matches("r#"));
        }
        if name != base && field.member != Member::Element {
            // A group's or wildcard's field: its name is its JSON key too.
            field.ident = ident(&name);
            field.local = field.ident.clone();
            field.xml_name = name.clone();
            field.json_name = name.clone();
        } else if name != base {
            field.ident = ident(&name);
            field.local = field.ident.clone();
            let mut line = format!("Named `{name}`: another element of this type takes `{base}`.");
            if local_names.contains(&field.xml_name) {
                field.json_name = name.clone();
                line.push_str(&format!(" Its JSON key is `{name}`."));
            }
            field.docs.push(line);
        }
        local_names.push(field.xml_name.clone());
        taken.push(name);
    }
}

/// One line on how the element occurs, for the field's documentation.
fn occurrence_line(field: &Field, shape: Shape) -> String {
    let element = &field.name;
    match shape {
        Shape::Required => format!("Element `{element}`, required."),
        Shape::Optional => format!("Element `{element}`, optional: `None` leaves it out."),
        Shape::Nillable => {
            format!("Element `{element}`, optional and nillable: `Absent` leaves it out, `Nil` sends `xsi:nil`.")
        }
        Shape::RequiredNillable => format!("Element `{element}`, required and nillable: `None` sends `xsi:nil`."),
        Shape::RepeatedNillable => {
            format!("{}; an item that is `None` sends `xsi:nil`.", repeated_line(field).trim_end_matches('.'))
        }
        Shape::Repeated => repeated_line(field),
    }
}

fn repeated_line(field: &Field) -> String {
    let element = &field.name;
    match (field.min_occurs, field.max_occurs) {
        (0, MaxOccurs::Unbounded) => format!("Element `{element}`, repeated any number of times."),
        (min, MaxOccurs::Unbounded) => format!("Element `{element}`, repeated at least {min} times."),
        (min, MaxOccurs::Bounded(max)) => format!("Element `{element}`, repeated {min} to {max} times."),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_service_prefix_is_the_runtimes() {
        assert_eq!(super::SERVICE_PREFIX, mktows_runtime::XmlWriter::TNS_PREFIX);
    }
}
