//! XML writing: the `ToXml` impl of each planned type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::plan::{AttributePlan, EnumPlan, FieldPlan, Member, PolymorphicPlan, Shape, StructPlan, ValuePlan};

pub(crate) fn enumeration(plan: &EnumPlan) -> TokenStream {
    let name = &plan.ident;
    quote! {
        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, self.as_str());
            }
        }
    }
}

pub(crate) fn polymorphic(plan: &PolymorphicPlan) -> TokenStream {
    let name = &plan.ident;
    let arms = plan.variants.iter().map(|v| {
        let (variant, type_name) = (&v.ident, Literal::string(&v.xsi_type));
        let start = match (v.typed, v.has_attributes) {
            (true, false) => quote!(w.start_typed(name, #type_name);),
            (false, false) => quote!(w.start(name);),
            // The struct writes its attributes into the start tag the enum opens.
            (true, true) => quote!(w.open_typed(name, #type_name); value.write_attributes(w); w.close_start();),
            (false, true) => quote!(w.open(name); value.write_attributes(w); w.close_start();),
        };
        quote! {
            Self::#variant(value) => {
                #start
                value.write_fields(w);
                w.end(name);
            }
        }
    });
    quote! {
        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// A struct's `ToXml`; a type sent with `xsi:type` also gets `write_fields`, so that its
/// enum can write the children inside its own typed start tag.
pub(crate) fn structure(plan: &StructPlan) -> TokenStream {
    let name = &plan.ident;
    let writes: Vec<TokenStream> =
        plan.value.iter().map(write_value).chain(plan.fields.iter().map(write_field)).collect();
    let attributes: Vec<TokenStream> = plan.attributes.iter().map(write_attribute).collect();
    let (body, fields_fn) = if plan.is_variant {
        // A type with no child elements writes none; the writer is then unused.
        let unused = writes.is_empty().then(|| quote!(let _ = w;));
        let attributes_fn = (!attributes.is_empty()).then(|| {
            quote! {
                /// Writes the attributes into the open start tag, for the enum that sends this
                /// type with `xsi:type`.
                pub(crate) fn write_attributes(&self, w: &mut XmlWriter) {
                    #(#attributes)*
                }
            }
        });
        let fields_fn = quote! {
            impl #name {
                #attributes_fn

                /// Writes the child elements, for the enum that sends this type with `xsi:type`.
                pub(crate) fn write_fields(&self, w: &mut XmlWriter) {
                    #unused
                    #(#writes)*
                }
            }
        };
        let start = start_tag(&attributes, quote!(self.write_attributes(w);));
        (quote!(#start self.write_fields(w); w.end(name);), fields_fn)
    } else {
        let start = start_tag(&attributes, quote!(#(#attributes)*));
        (quote!(#start #(#writes)* w.end(name);), quote!())
    };
    quote! {
        #fields_fn

        impl ToXml for #name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                #body
            }
        }
    }
}

/// The start tag: the plain one without attributes (the writer's fast path), else opened,
/// `write_attributes`, and closed.
fn start_tag(attributes: &[TokenStream], write_attributes: TokenStream) -> TokenStream {
    match attributes.is_empty() {
        true => quote!(w.start(name);),
        false => quote!(w.open(name); #write_attributes w.close_start();),
    }
}

fn write_attribute(attribute: &AttributePlan) -> TokenStream {
    let (ident, wire_name) = (&attribute.ident, Literal::string(&attribute.wire_name));
    match (attribute.required, &attribute.fixed) {
        (true, _) => quote!(w.attribute(#wire_name, &self.#ident);),
        (false, Some(fixed)) => {
            let fixed = Literal::string(fixed);
            quote!(w.fixed_attribute(#wire_name, &self.#ident, #fixed);)
        }
        (false, None) => quote!(w.optional_attribute(#wire_name, &self.#ident);),
    }
}

fn write_value(value: &ValuePlan) -> TokenStream {
    let ident = &value.ident;
    quote!(w.simple_text(&self.#ident);)
}

pub(super) fn write_field(field: &FieldPlan) -> TokenStream {
    if field.member != Member::Element {
        return super::choice::write_member(field);
    }
    let (ident, xml_name) = (&field.ident, Literal::string(&field.wire_name));
    match field.shape {
        Shape::Required => quote!(w.field(#xml_name, &self.#ident);),
        Shape::RequiredNillable => quote!(w.nil_or(#xml_name, &self.#ident);),
        Shape::Optional => quote!(w.optional(#xml_name, &self.#ident);),
        Shape::Nillable => quote!(w.nillable(#xml_name, &self.#ident);),
        Shape::Repeated => quote!(w.repeated(#xml_name, &self.#ident);),
        Shape::RepeatedNillable => quote! {
            for value in &self.#ident {
                w.nil_or(#xml_name, value);
            }
        },
    }
}
