//! Groups: the enum of an `xs:choice`, the struct of a sequence read as a group of siblings,
//! and the struct fields that hold them or `xs:any` children.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::decls::docs;
use crate::plan::{ChoicePlan, FieldPlan, Member, Shape, StructPlan, VariantKind, READER};

pub(crate) fn declaration(plan: &ChoicePlan, serde_feature: Option<&str>) -> TokenStream {
    let (name, docs) = (&plan.ident, docs(&plan.docs));
    let variants = plan.variants.iter().map(|v| {
        let (ident, docs) = (&v.ident, self::docs(&v.docs));
        let any = quote!(AnyElement);
        let ty = match &v.kind {
            VariantKind::Element(field) => &field.rust_type,
            VariantKind::Group { rust_type, .. } => rust_type,
            VariantKind::Any => &any,
        };
        let serde = serde_feature.map(|feature| {
            let json = Literal::string(&v.json_name);
            quote!(#[cfg_attr(feature = #feature, serde(rename = #json))])
        });
        quote!(#docs #serde #ident(#ty),)
    });
    let serde = super::serde::struct_derive(serde_feature);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #serde
        pub enum #name {
            #(#variants)*
        }
    }
}

/// Reading a choice: the first child says which alternative it is.
pub(crate) fn read(plan: &ChoicePlan) -> TokenStream {
    let name = &plan.ident;
    let (r, element, child) = READER.idents();
    let arms = plan.variants.iter().filter(|v| !matches!(v.kind, VariantKind::Any)).map(|v| {
        let variant = &v.ident;
        match &v.kind {
            VariantKind::Any => unreachable!("filtered out: the any alternative is the last arm"),
            VariantKind::Element(field) => {
                let bytes = Literal::byte_string(field.xml_name.as_bytes());
                match field.shape {
                    Shape::RequiredNillable => quote!(#bytes => Ok(Self::#variant(#r.read_nil_or(#child)?)),),
                    Shape::Repeated => quote!(#bytes => Ok(Self::#variant(#r.read_run(#element, #child)?)),),
                    Shape::RepeatedNillable => quote!(#bytes => Ok(Self::#variant(#r.read_run_nil_or(#element, #child)?)),),
                    _ => quote!(#bytes => #r.read_wrapped(#child, Self::#variant),),
                }
            }
            VariantKind::Group { rust_type, starts } => {
                let patterns = starts.iter().map(|s| Literal::byte_string(s.as_bytes()));
                quote!(#(#patterns)|* => Ok(Self::#variant(<#rust_type as FromXmlGroup>::read_group(#r, #element, #child)?)),)
            }
        }
    });
    // Only a run of elements or a nested group reads on among the parent's children.
    let reads_siblings = plan.variants.iter().any(|v| match &v.kind {
        VariantKind::Element(field) => field.shape.is_repeated(),
        VariantKind::Group { .. } => true,
        VariantKind::Any => false,
    });
    let unused = (!reads_siblings).then(|| quote!(let _ = #element;));
    let rest = match plan.variants.iter().find(|v| matches!(v.kind, VariantKind::Any)) {
        Some(any) => {
            let variant = &any.ident;
            quote!(_ => #r.read_wrapped(#child, Self::#variant),)
        }
        None => quote! {
            _ => Err(#r.error(#child, DecodeErrorKind::Malformed(format!("`{}` starts no alternative of the choice", #child.name())))),
        },
    };
    quote! {
        impl FromXmlGroup for #name {
            fn read_group<'a>(#r: &mut XmlReader<'a>, #element: &Element<'a>, #child: &Element<'a>) -> Result<Self, DecodeError> {
                #unused
                match #child.local_name() {
                    #(#arms)*
                    #rest
                }
            }
        }
    }
}

pub(crate) fn write(plan: &ChoicePlan) -> TokenStream {
    let name = &plan.ident;
    let arms = plan.variants.iter().map(|v| {
        let variant = &v.ident;
        let body = match &v.kind {
            VariantKind::Element(field) => write_element(field, quote!(value)),
            VariantKind::Group { .. } => quote!(value.write_group(w);),
            VariantKind::Any => quote!(value.write_xml(w, "");),
        };
        quote!(Self::#variant(value) => { #body })
    });
    quote! {
        impl ToXmlGroup for #name {
            fn write_group(&self, w: &mut XmlWriter) {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// Reading a sequence group: its members in any order, until a child that is none of them
/// or one already read (which starts the next occurrence); that child is handed back.
pub(crate) fn read_group_struct(plan: &StructPlan) -> TokenStream {
    let name = &plan.ident;
    let (r, element, child) = READER.idents();
    let inits = plan.fields.iter().map(super::read::init);
    let arms = plan.fields.iter().map(guarded_arm);
    let finals = plan.fields.iter().map(super::read::finish);
    quote! {
        impl FromXmlGroup for #name {
            fn read_group<'a>(#r: &mut XmlReader<'a>, #element: &Element<'a>, first: &Element<'a>) -> Result<Self, DecodeError> {
                #(#inits)*
                let mut #child = first.clone();
                loop {
                    match #child.local_name() {
                        #(#arms)*
                        _ => {
                            #r.push_back(#child);
                            break;
                        }
                    }
                    match #r.next_child(#element)? {
                        Some(next) => #child = next,
                        None => {
                            // The parent's end: the parent's reader must see it too.
                            #r.push_back_end();
                            break;
                        }
                    }
                }
                Ok(Self { #(#finals)* })
            }
        }
    }
}

/// An arm of a group reader: a member that holds one value takes the child only while empty.
fn guarded_arm(field: &FieldPlan) -> TokenStream {
    let local = &field.local;
    let guard = match field.shape {
        Shape::Repeated | Shape::RepeatedNillable => quote!(),
        Shape::Nillable => quote!(if #local.is_absent()),
        _ => quote!(if #local.is_none()),
    };
    let (pattern, body) = split_arm(field);
    quote!(#pattern #guard => #body,)
}

/// The pattern and the statement of a struct reader's arm for `field`.
fn split_arm(field: &FieldPlan) -> (TokenStream, TokenStream) {
    let local = &field.local;
    let (r, element, child) = READER.idents();
    match &field.member {
        Member::Group { starts, value_type, .. } => {
            let patterns = starts.iter().map(|s| Literal::byte_string(s.as_bytes()));
            let ty = format_ident!("{value_type}");
            let value = quote!(<#ty as FromXmlGroup>::read_group(#r, #element, &#child)?);
            let body = match field.shape {
                Shape::Repeated => quote!(#local.push(#value)),
                _ => quote!(#local = Some(#value)),
            };
            (quote!(#(#patterns)|*), body)
        }
        Member::Element | Member::Any => {
            let bytes = Literal::byte_string(field.xml_name.as_bytes());
            (quote!(#bytes), super::read::read_into(field))
        }
    }
}

/// A struct reader's arm for a group member.
pub(crate) fn group_arm(field: &FieldPlan) -> TokenStream {
    let (pattern, body) = split_arm(field);
    quote!(#pattern => #body,)
}

/// The struct reader's last arms: a child no field matches goes to the `xs:any` field (or
/// the choice with an `xs:any` alternative), if there is one and it has room, else it is
/// skipped (a newer schema version's element).
pub(crate) fn fallback(fields: &[FieldPlan]) -> TokenStream {
    let (r, element, child) = READER.idents();
    let skip = quote!(_ => #r.skip(&#child)?,);
    let takes_rest = |f: &&FieldPlan| matches!(f.member, Member::Any | Member::Group { takes_any: true, .. });
    let Some(field) = fields.iter().find(takes_rest) else { return skip };
    let local = &field.local;
    let value = match &field.member {
        Member::Group { value_type, .. } => {
            let ty = format_ident!("{value_type}");
            quote!(<#ty as FromXmlGroup>::read_group(#r, #element, &#child)?)
        }
        _ => quote!(#r.read(&#child)?),
    };
    match (field.shape, &field.member) {
        (Shape::Repeated, _) => quote!(_ => #local.push(#value),),
        (Shape::Optional, Member::Any) => quote!(_ if #local.is_none() => #local = #r.read_optional(&#child)?, #skip),
        _ => quote!(_ if #local.is_none() => #local = Some(#value), #skip),
    }
}

pub(crate) fn write_group_struct(plan: &StructPlan) -> TokenStream {
    let name = &plan.ident;
    let writes = plan.fields.iter().map(super::write::write_field);
    quote! {
        impl ToXmlGroup for #name {
            fn write_group(&self, w: &mut XmlWriter) {
                #(#writes)*
            }
        }
    }
}

/// Writing a group or `xs:any` field of a struct.
pub(crate) fn write_member(field: &FieldPlan) -> TokenStream {
    let ident = &field.ident;
    match (&field.member, field.shape) {
        (Member::Any, Shape::Required) => quote!(self.#ident.write_xml(w, "");),
        (Member::Any, Shape::Optional) => quote!(w.optional("", &self.#ident);),
        (Member::Any, _) => quote!(w.repeated("", &self.#ident);),
        (_, Shape::Required) => quote!(self.#ident.write_group(w);),
        (_, Shape::Optional) => quote! {
            if let Some(value) = &self.#ident {
                value.write_group(w);
            }
        },
        _ => quote! {
            for value in &self.#ident {
                value.write_group(w);
            }
        },
    }
}

/// Writing one element alternative held in `value` (a reference).
fn write_element(field: &FieldPlan, value: TokenStream) -> TokenStream {
    let xml_name = Literal::string(&field.wire_name);
    match field.shape {
        Shape::RequiredNillable => quote!(w.nil_or(#xml_name, #value);),
        Shape::Repeated => quote!(w.repeated(#xml_name, #value);),
        Shape::RepeatedNillable => quote! {
            for item in #value {
                w.nil_or(#xml_name, item);
            }
        },
        _ => quote!(w.field(#xml_name, #value);),
    }
}
