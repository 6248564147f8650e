//! XML writing: the `ToXml` impl of each planned type.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::plan::{EnumPlan, FieldPlan, Member, PolymorphicPlan, Shape, StructPlan};

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
        let start = match v.typed {
            true => quote!(w.start_typed(name, #type_name);),
            false => quote!(w.start(name);),
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
    let writes: Vec<TokenStream> = plan.fields.iter().map(write_field).collect();
    let (body, fields_fn) = if plan.is_variant {
        // A type with no child elements writes none; the writer is then unused.
        let unused = writes.is_empty().then(|| quote!(let _ = w;));
        let fields_fn = quote! {
            impl #name {
                /// Writes the child elements, for the enum that sends this type with `xsi:type`.
                pub(crate) fn write_fields(&self, w: &mut XmlWriter) {
                    #unused
                    #(#writes)*
                }
            }
        };
        (quote!(w.start(name); self.write_fields(w); w.end(name);), fields_fn)
    } else {
        (quote!(w.start(name); #(#writes)* w.end(name);), quote!())
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
