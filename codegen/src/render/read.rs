//! XML reading: the `FromXml` impl of each planned type, a pull reader that matches child
//! elements by local name and skips the ones a newer schema version adds.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::plan::{
    AttributePlan, EnumPlan, FieldPlan, Member, PolymorphicPlan, PolymorphicVariant, Shape, StructPlan, READER,
};

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
    // A concrete base's own values come without `xsi:type`.
    let untyped = plan.default_variant.as_ref().map(|base| {
        let read = read_variant(plan, base);
        quote!(None => #read,)
    });
    let arms = type_arms(plan);
    quote! {
        impl FromXml for #name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                match element.xsi_type().as_deref() {
                    #(#arms)*
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

/// One arm per `xsi:type` local name; where variants in different namespaces share one,
/// the namespace its prefix resolves to decides.
fn type_arms(plan: &PolymorphicPlan) -> Vec<TokenStream> {
    let mut locals: Vec<&str> = Vec::new();
    for variant in &plan.variants {
        if !locals.contains(&variant.type_local.as_str()) {
            locals.push(&variant.type_local);
        }
    }
    locals
        .into_iter()
        .map(|local| {
            let literal = Literal::string(local);
            let sharing: Vec<&PolymorphicVariant> = plan.variants.iter().filter(|v| v.type_local == local).collect();
            if let [variant] = sharing.as_slice() {
                let ident = &variant.ident;
                let read = read_variant(plan, ident);
                return quote!(Some(#literal) => #read,);
            }
            let by_namespace = sharing.iter().map(|variant| {
                let (ident, namespace) = (&variant.ident, Literal::string(&variant.type_namespace));
                let read = read_variant(plan, ident);
                quote!(Some(#namespace) => #read,)
            });
            quote! {
                Some(#literal) => match r.xsi_type_of(element).and_then(|(namespace, _)| namespace) {
                    #(#by_namespace)*
                    _ => {
                        let type_name = #literal.to_owned();
                        Err(r.error(element, DecodeErrorKind::UnknownType { type_name }))
                    }
                },
            }
        })
        .collect()
}

/// Reading the element's content as the variant's struct (boxed where the plan boxes them).
fn read_variant(plan: &PolymorphicPlan, variant: &Ident) -> TokenStream {
    match plan.boxed {
        true => quote!(r.read_variant::<#variant, _>(element, |value| Self::#variant(Box::new(value)))),
        false => quote!(r.read_variant::<#variant, _>(element, Self::#variant)),
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
    } else if let (true, [member]) = (plan.members_of_any_name, plan.fields.as_slice()) {
        let (init, read, finish) = (init(member), read_into(member), finish(member));
        quote! {
            #init
            while let Some(#child) = #r.next_child(#element)? {
                #read;
            }
            Ok(Self { #(#attributes)* #finish })
        }
    } else if plan.fields.is_empty() {
        quote! {
            while let Some(#child) = #r.next_child(#element)? {
                #r.skip(&#child)?;
            }
            Ok(Self { #(#attributes)* })
        }
    } else {
        let inits = plan.fields.iter().map(init);
        let arms = arms(&plan.fields);
        let finals = plan.fields.iter().map(finish);
        // Elements of a newer schema version are skipped, unless an `xs:any` field takes them.
        let fallback = super::choice::fallback(&plan.fields);
        quote! {
            #(#inits)*
            while let Some(#child) = #r.next_child(#element)? {
                match #child.local_name() {
                    #(#arms)*
                    #fallback
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
pub(super) fn init(field: &FieldPlan) -> TokenStream {
    let local = &field.local;
    match field.shape {
        Shape::Required | Shape::RequiredNillable | Shape::Optional => quote!(let mut #local = None;),
        Shape::Nillable => quote!(let mut #local = Nillable::Absent;),
        Shape::Repeated | Shape::RepeatedNillable => quote!(let mut #local = Vec::new();),
    }
}

/// The match arms on a child's local name. A name only one field has is matched by it
/// alone, whatever the prefix says, which tolerates services that qualify differently from
/// their schema; a name several fields share (in different namespaces) is told apart by
/// the namespace its prefix resolves to, and one in neither namespace is skipped.
/// A choice's or group's field has an arm of its own (see `choice`); an `xs:any` field takes
/// what no arm matches.
fn arms(fields: &[FieldPlan]) -> Vec<TokenStream> {
    let mut names: Vec<&str> = Vec::new();
    let mut arms = Vec::new();
    for field in fields {
        match field.member {
            Member::Any => {}
            Member::Element if names.contains(&field.xml_name.as_str()) => {}
            Member::Element => {
                names.push(&field.xml_name);
                arms.push(element_arm(fields, &field.xml_name));
            }
            _ => arms.push(super::choice::group_arm(field)),
        }
    }
    arms
}

/// The arm for the elements named `name` (one, or several in different namespaces).
fn element_arm(fields: &[FieldPlan], name: &str) -> TokenStream {
    let (r, _, child) = READER.idents();
    let xml_bytes = Literal::byte_string(name.as_bytes());
    let sharing: Vec<&FieldPlan> =
        fields.iter().filter(|f| f.member == Member::Element && f.xml_name == name).collect();
    if let [field] = sharing.as_slice() {
        let read = read_into(field);
        return quote!(#xml_bytes => #read,);
    }
    let by_namespace = sharing.iter().map(|field| {
        let namespace = match &field.namespace {
            Some(namespace) => {
                let namespace = Literal::string(namespace);
                quote!(Some(#namespace))
            }
            None => quote!(None),
        };
        let read = read_into(field);
        quote!(#namespace => #read,)
    });
    quote! {
        #xml_bytes => match #r.namespace_of(&#child) {
            #(#by_namespace)*
            _ => #r.skip(&#child)?,
        },
    }
}

/// Reads the current child element into the field's local.
pub(super) fn read_into(field: &FieldPlan) -> TokenStream {
    let local = &field.local;
    let (r, _, child) = READER.idents();
    match field.shape {
        Shape::Required => quote!(#r.read_into(&#child, &mut #local)?),
        Shape::RequiredNillable => quote!(#r.read_nil_or_into(&#child, &mut #local)?),
        Shape::Optional => quote!(#r.read_optional_into(&#child, &mut #local)?),
        Shape::Nillable => quote!(#r.read_nillable_into(&#child, &mut #local)?),
        Shape::Repeated => quote!(#r.push_into(&#child, &mut #local)?),
        Shape::RepeatedNillable => quote!(#r.push_nil_or_into(&#child, &mut #local)?),
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
