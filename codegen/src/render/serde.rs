//! The `serde` feature: JSON names are the XML names (`@name` for an attribute, `$value`
//! for the text of simple content), absence maps to a missing field, an enumeration is its
//! string, a polymorphic value carries `"xsi:type"`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::plan::{EnumPlan, Shape};

pub(crate) fn struct_derive(feature: Option<&str>) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize, serde::Deserialize))])
}

pub(crate) fn polymorphic_attr(feature: Option<&str>) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    quote!(#[cfg_attr(feature = #feature, derive(serde::Serialize, serde::Deserialize), serde(tag = "xsi:type"))])
}

/// A choice or group occurring once: its keys are the parent's.
pub(crate) fn flatten_attr(feature: Option<&str>) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    quote!(#[cfg_attr(feature = #feature, serde(flatten))])
}

/// The serde attributes of a field: its JSON key (the XML name), and how absence maps to JSON.
pub(crate) fn field_attr(feature: Option<&str>, json_name: &str, shape: Shape) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    let name = Literal::string(json_name);
    let extra = match shape {
        Shape::Required | Shape::RequiredNillable => quote!(),
        Shape::Optional => quote!(, default, skip_serializing_if = "Option::is_none"),
        Shape::Nillable => quote!(, default, skip_serializing_if = "Nillable::is_absent"),
        Shape::Repeated | Shape::RepeatedNillable => quote!(, default),
    };
    quote!(#[cfg_attr(feature = #feature, serde(rename = #name #extra))])
}

/// The serde attributes of an attribute's field: its `@name` key, absent when `None`.
pub(crate) fn attribute_attr(feature: Option<&str>, json_name: &str, required: bool) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    let name = Literal::string(json_name);
    let extra = (!required).then(|| quote!(, default, skip_serializing_if = "Option::is_none"));
    quote!(#[cfg_attr(feature = #feature, serde(rename = #name #extra))])
}

/// The serde attribute of a simple-content text: its `$value` key.
pub(crate) fn value_attr(feature: Option<&str>, json_name: &str) -> TokenStream {
    let Some(feature) = feature else { return quote!() };
    let name = Literal::string(json_name);
    quote!(#[cfg_attr(feature = #feature, serde(rename = #name))])
}

/// An enumeration is serialized as its value, and any string deserializes (unknown values
/// land in the fallback variant).
pub(crate) fn enumeration_impls(plan: &EnumPlan) -> TokenStream {
    let name = &plan.ident;
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }
    }
}
