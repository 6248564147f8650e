//! XML reading: the `FromXml` impl of each planned type, a pull reader that matches child
//! elements by local name and skips the ones a newer schema version adds.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::plan::{EnumPlan, FieldPlan, Member, PolymorphicPlan, Shape, StructPlan, READER};

pub(crate) fn enumeration(plan: &EnumPlan) -> TokenStream {
    let name = &plan.ident;
    quote! {
        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_text(element).map(|text| Self::from(text.as_ref()))
            }
        }
    }
}

pub(crate) fn polymorphic(plan: &PolymorphicPlan) -> TokenStream {
    let name = &plan.ident;
    let variants = plan.variants.iter().map(|v| &v.ident);
    let type_names = plan.variants.iter().map(|v| Literal::string(&v.type_local));
    // A concrete base's own values come without `xsi:type`.
    let untyped =
        plan.default_variant.as_ref().map(|base| quote!(None => #base::read_xml(r, element).map(Self::#base),));
    quote! {
        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                match element.xsi_type().as_deref() {
                    #( Some(#type_names) => #variants::read_xml(r, element).map(Self::#variants), )*
                    #untyped
                    other => {
                        let type_name = other.unwrap_or("(none)").to_owned();
                        Err(r.error(element, DecodeErrorKind::UnknownType { type_name }))
                    }
                }
            }
        }
    }
}

pub(crate) fn structure(plan: &StructPlan) -> TokenStream {
    let name = &plan.ident;
    // The reader's own names come from the plan, which keeps field locals clear of them.
    let (r, element, child) = READER.idents();
    let body = if plan.fields.is_empty() {
        quote! {
            while let Some(#child) = #r.next_child(#element)? {
                #r.skip(&#child)?;
            }
            Ok(Self {})
        }
    } else {
        let inits = plan.fields.iter().map(init);
        let arms = plan.fields.iter().filter(|f| f.member != Member::Any).map(arm);
        let finals = plan.fields.iter().map(finish);
        // Elements of a newer schema version are skipped, unless an `xs:any` field takes them.
        let fallback = super::choice::fallback(plan.fields.iter().find(|f| f.member == Member::Any));
        quote! {
            #(#inits)*
            while let Some(#child) = #r.next_child(#element)? {
                match #child.local_name() {
                    #(#arms)*
                    #fallback
                }
            }
            Ok(Self { #(#finals)* })
        }
    };
    quote! {
        impl FromXml for #name {
            fn read_xml<'a>(#r: &mut XmlReader<'a>, #element: &Element<'a>) -> Result<Self, DecodeError> {
                #body
            }
        }
    }
}

/// The local that collects the field while children are read.
pub(super) fn init(field: &FieldPlan) -> TokenStream {
    let local = &field.local;
    match field.shape {
        Shape::Required | Shape::RequiredNillable | Shape::Optional => quote!(let mut #local = None;),
        Shape::Nillable => quote!(let mut #local = Nillable::Absent;),
        Shape::Repeated | Shape::RepeatedNillable => quote!(let mut #local = Vec::new();),
    }
}

/// The match arm that reads one child element into the field's local.
fn arm(field: &FieldPlan) -> TokenStream {
    if field.member != Member::Element {
        return super::choice::group_arm(field);
    }
    let (local, xml_bytes) = (&field.local, Literal::byte_string(field.xml_name.as_bytes()));
    let (r, _, child) = READER.idents();
    match field.shape {
        Shape::Required => quote!(#xml_bytes => #local = Some(#r.read(&#child)?),),
        Shape::RequiredNillable => quote!(#xml_bytes => #local = Some(#r.read_nil_or(&#child)?),),
        Shape::Optional => quote!(#xml_bytes => #local = #r.read_optional(&#child)?,),
        Shape::Nillable => quote!(#xml_bytes => #local = #r.read_nillable(&#child)?,),
        Shape::Repeated => quote!(#xml_bytes => #local.push(#r.read(&#child)?),),
        Shape::RepeatedNillable => quote!(#xml_bytes => #local.push(#r.read_nil_or(&#child)?),),
    }
}

/// The field initializer once all children are read: required fields must have been seen.
pub(super) fn finish(field: &FieldPlan) -> TokenStream {
    let (ident, local, xml_name) = (&field.ident, &field.local, Literal::string(&field.xml_name));
    let (r, element, _) = READER.idents();
    match field.shape {
        Shape::Required | Shape::RequiredNillable => quote!(#ident: #r.required(#local, #xml_name, #element)?,),
        _ if local == ident => quote!(#ident,),
        _ => quote!(#ident: #local,),
    }
}
