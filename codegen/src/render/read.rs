//! XML reading: the `FromXml` impl of each planned type, a pull reader that matches child
//! elements by local name and skips the ones a newer schema version adds.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::plan::{AttributePlan, EnumPlan, FieldPlan, PolymorphicPlan, Shape, StructPlan, READER};

pub(crate) fn enumeration(plan: &EnumPlan) -> TokenStream {
    let name = &plan.ident;
    let simple_value = plan.simple_value.then(|| simple_value(plan));
    quote! {
        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_text(element).map(|text| Self::from(text.as_ref()))
            }
        }

        #simple_value
    }
}

/// An enumeration as an attribute value or simple-content text: any text is a value (an
/// unknown one lands in the fallback variant), as in an element.
fn simple_value(plan: &EnumPlan) -> TokenStream {
    let (name, schema_name) = (&plan.ident, Literal::string(&plan.schema_name));
    quote! {
        impl SimpleValue for #name {
            const EXPECTED: &'static str = #schema_name;

            fn parse_value(text: &str) -> Option<Self> {
                Some(Self::from(text))
            }

            fn value_text(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
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
    // Attributes are read from the start tag, which stays at hand while the content is read.
    let attributes: Vec<TokenStream> = plan.attributes.iter().map(attribute).collect();
    let body = if let Some(value) = &plan.value {
        let ident = &value.ident;
        quote!(Ok(Self { #(#attributes)* #ident: #r.read_simple(#element)? }))
    } else if plan.fields.is_empty() {
        quote! {
            while let Some(#child) = #r.next_child(#element)? {
                #r.skip(&#child)?;
            }
            Ok(Self { #(#attributes)* })
        }
    } else {
        let inits = plan.fields.iter().map(init);
        let arms = plan.fields.iter().map(arm);
        let finals = plan.fields.iter().map(finish);
        quote! {
            #(#inits)*
            while let Some(#child) = #r.next_child(#element)? {
                match #child.local_name() {
                    #(#arms)*
                    // Elements of a newer schema version are skipped.
                    _ => #r.skip(&#child)?,
                }
            }
            Ok(Self { #(#attributes)* #(#finals)* })
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

/// The initializer of an attribute's field, read from the start tag.
fn attribute(attribute: &AttributePlan) -> TokenStream {
    let (ident, xml_name, qualified) = (&attribute.ident, Literal::string(&attribute.xml_name), attribute.qualified);
    let (r, element, _) = READER.idents();
    match attribute.required {
        true => quote!(#ident: #r.required_attribute(#element, #xml_name, #qualified)?,),
        false => quote!(#ident: #r.attribute(#element, #xml_name, #qualified)?,),
    }
}

/// The local that collects the field while children are read.
fn init(field: &FieldPlan) -> TokenStream {
    let local = &field.local;
    match field.shape {
        Shape::Required | Shape::RequiredNillable | Shape::Optional => quote!(let mut #local = None;),
        Shape::Nillable => quote!(let mut #local = Nillable::Absent;),
        Shape::Repeated | Shape::RepeatedNillable => quote!(let mut #local = Vec::new();),
    }
}

/// The match arm that reads one child element into the field's local.
fn arm(field: &FieldPlan) -> TokenStream {
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
fn finish(field: &FieldPlan) -> TokenStream {
    let (ident, local, xml_name) = (&field.ident, &field.local, Literal::string(&field.xml_name));
    let (r, element, _) = READER.idents();
    match field.shape {
        Shape::Required | Shape::RequiredNillable => quote!(#ident: #r.required(#local, #xml_name, #element)?,),
        _ if local == ident => quote!(#ident,),
        _ => quote!(#ident: #local,),
    }
}
