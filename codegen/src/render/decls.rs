//! Declarations and docs: the struct or enum of each planned type, its derives, and the
//! conversions that belong to the type itself (`as_str`, `From`, `Display`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::serde::{attribute_attr as serde_attribute, value_attr as serde_value};
use super::serde::{field_attr as serde_field, polymorphic_attr as serde_polymorphic, struct_derive as serde_derive};
use crate::docs::doc_attrs;
use crate::plan::{AliasPlan, EnumPlan, Member, PolymorphicPlan, StructPlan};

const FALLBACK_DOC: &str =
    "A value that this version of the WSDL does not define, kept as sent so that a newer service does not break parsing.";

pub(super) fn docs(paragraphs: &[String]) -> TokenStream {
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    doc_attrs(&refs)
}

pub(crate) fn alias(plan: &AliasPlan) -> TokenStream {
    let (name, docs) = (&plan.ident, docs(&plan.docs));
    let base = &plan.rust_base;
    quote! {
        #docs
        pub type #name = #base;
    }
}

pub(crate) fn enumeration(plan: &EnumPlan) -> TokenStream {
    let (name, docs, fallback) = (&plan.ident, docs(&plan.docs), &plan.fallback);
    let variants: Vec<_> = plan.variants.iter().map(|v| &v.ident).collect();
    let values: Vec<_> = plan.variants.iter().map(|v| Literal::string(&v.value)).collect();
    let variant_docs = plan.variants.iter().map(|v| self::docs(&v.docs));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variant_docs #variants, )*
            #[doc = #FALLBACK_DOC]
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
    }
}

pub(crate) fn polymorphic(plan: &PolymorphicPlan, serde_feature: Option<&str>) -> TokenStream {
    let (name, docs) = (&plan.ident, docs(&plan.docs));
    let variants: Vec<_> = plan.variants.iter().map(|v| &v.ident).collect();
    let variant_docs = plan.variants.iter().map(|v| self::docs(&v.docs));
    let serde = serde_polymorphic(serde_feature);
    let (held, wrap) = match plan.boxed {
        true => (variants.iter().map(|v| quote!(Box<#v>)).collect::<Vec<_>>(), quote!(Box::new(value))),
        false => (variants.iter().map(|v| quote!(#v)).collect(), quote!(value)),
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #serde
        pub enum #name {
            #( #variant_docs #variants(#held), )*
        }

        #(
            impl From<#variants> for #name {
                fn from(value: #variants) -> Self {
                    Self::#variants(#wrap)
                }
            }
        )*
    }
}

pub(crate) fn structure(plan: &StructPlan, serde_feature: Option<&str>) -> TokenStream {
    let (name, docs) = (&plan.ident, docs(&plan.docs));
    let fields = plan.fields.iter().map(|field| {
        let (ident, ty) = (&field.ident, &field.rust_type);
        let docs = self::docs(&field.docs);
        let serde = match &field.member {
            // A choice or group occurring once is flattened: its element is a key of the parent.
            Member::Group { .. } if !field.shape.is_repeated() => super::serde::flatten_attr(serde_feature),
            _ => serde_field(serde_feature, &field.json_name, field.shape),
        };
        quote!(#docs #serde pub #ident: #ty,)
    });
    let derive_default = plan.derive_default.then(|| quote!(Default,));
    let serde = serde_derive(serde_feature);
    let start_tag = start_tag_members(plan, serde_feature);
    let list = plan.is_list.then(|| list_conversions(plan));
    let constructor = constructor(plan);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #serde
        pub struct #name {
            #start_tag
            #(#fields)*
        }

        #list
        #constructor
    }
}

/// `new(required...)` for a struct without `Default`: every member that has no empty value
/// is a parameter (taking anything that converts into it), the others start empty.
fn constructor(plan: &StructPlan) -> Option<TokenStream> {
    let params = plan.constructor_params()?;
    let name = &plan.ident;
    let taken: Vec<_> = params.iter().map(|p| p.ident).collect();
    let types = params.iter().map(|p| p.rust_type);
    let attributes = plan.attributes.iter().map(|a| &a.ident);
    let value = plan.value.iter().map(|v| &v.ident);
    let all: Vec<_> = attributes.chain(value).chain(plan.fields.iter().map(|f| &f.ident)).collect();
    let inits = all.iter().map(|member| match taken.contains(member) {
        true => quote!(#member: #member.into()),
        false => quote!(#member: Default::default()),
    });
    let doc = format!(
        " `{name}` from its required members; the optional ones start empty (`None`, `Nillable::Absent`, \
         no items), to be set by struct update syntax (`{name} {{ field: x, ..{name}::new(...) }}`) or by \
         assigning the field."
    );
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#( #taken: impl Into<#types> ),*) -> Self {
                Self { #( #inits, )* }
            }
        }
    })
}

/// A list type converts from and to its items as a `Vec` does, and reads as a slice, so
/// that `vec![a, b].into()`, `.collect()`, `for item in &list` and `list.len()` work: the
/// impls are the runtime's `list_type!`.
fn list_conversions(plan: &StructPlan) -> TokenStream {
    let (name, field) = (&plan.ident, &plan.fields[0]);
    let (items, item) = (&field.ident, &field.value_type);
    quote!(mktows_runtime::list_type!(#name, #items, #item);)
}

/// The attribute fields, then the text of simple content: the members that are not child
/// elements.
fn start_tag_members(plan: &StructPlan, serde_feature: Option<&str>) -> TokenStream {
    let attributes = plan.attributes.iter().map(|attribute| {
        let (ident, ty) = (&attribute.ident, &attribute.rust_type);
        let docs = self::docs(&attribute.docs);
        let serde = serde_attribute(serde_feature, &attribute.json_name, attribute.required);
        quote!(#docs #serde pub #ident: #ty,)
    });
    let value = plan.value.as_ref().map(|value| {
        let (ident, ty) = (&value.ident, &value.rust_type);
        let docs = self::docs(&value.docs);
        let serde = serde_value(serde_feature, value.json_name);
        quote!(#docs #serde pub #ident: #ty,)
    });
    quote!(#(#attributes)* #value)
}
