//! `operations.rs`: a marker type per operation for the runtime, the `ALL` table, and a
//! visitor that picks an operation by name at run time.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::doc_attrs;
use crate::plan::{FaultsPlan, Layout, OperationPlan, Plan};

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let items = plan.operations.iter().map(|op| {
        let marker = marker(op, !plan.extra_namespaces.is_empty(), plan.soap12);
        let faults = op.faults.as_ref().map(|faults| fault_enum(op, faults));
        quote!(#marker #faults)
    });
    let infos = plan.operations.iter().map(info);
    let count = plan.operations.len();
    let names: Vec<_> = plan.operations.iter().map(|op| Literal::string(&op.name)).collect();
    let markers: Vec<_> = plan.operations.iter().map(|op| &op.marker).collect();
    let prelude = super::prelude();
    let visitor = visitor_trait(plan.serde_feature.as_deref());
    // With no operation the visitor is never called.
    let unused = plan.operations.is_empty().then(|| quote!(let _ = visitor;));
    quote! {
        #prelude
        #[allow(unused_imports)]
        use super::types;

        #(#items)*

        /// Every operation of the service, in WSDL order.
        pub const ALL: [OperationInfo; #count] = [#(#infos),*];

        #visitor

        /// Calls `visitor` with the marker type of the operation whose WSDL name is `name`;
        /// `None` when there is no such operation.
        pub fn visit<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            #unused
            match name {
                #( #names => Some(visitor.visit::<#markers>()), )*
                _ => None,
            }
        }
    }
}

fn marker(op: &OperationPlan, extra_namespaces: bool, soap12: bool) -> TokenStream {
    let (marker, input, output) = (&op.marker, &op.input_type.path, &op.output_type.path);
    let signed = match &op.signed_header {
        Some(element) => quote!(Some(#element)),
        None => quote!(None),
    };
    let (name, action) = (Literal::string(&op.name), Literal::string(&op.soap_action));
    let (input_element, output_element) = (Literal::string(&op.input_wire), Literal::string(&op.output_wire));
    let docs = doc_attrs(&[&format!("The `{}` operation.", op.name), op.doc.as_deref().unwrap_or("")]);
    let namespaces = extra_namespaces.then(|| {
        quote!(
            const EXTRA_NAMESPACES: &'static [&'static str] = super::EXTRA_NAMESPACES;
        )
    });
    // What differs from the runtime's defaults (SOAP 1.1, one body element, an answer).
    let version = soap12.then(|| {
        quote!(
            const SOAP_VERSION: SoapVersion = SoapVersion::Soap12;
        )
    });
    let input_layout = (op.input_layout == Layout::Parts).then(|| {
        quote!(
            const INPUT_LAYOUT: BodyLayout<'static> = BodyLayout::Parts;
        )
    });
    let output_layout = (op.output_layout == Layout::Parts && !op.one_way).then(|| {
        quote!(
            const OUTPUT_LAYOUT: BodyLayout<'static> = BodyLayout::Parts;
        )
    });
    let one_way = op.one_way.then(|| {
        quote!(
            const ONE_WAY: bool = true;
        )
    });
    let encoded = op.encoded.then(|| {
        quote!(
            const ENCODED: bool = true;
        )
    });
    let addressing_action = op.action.as_deref().map(|action| {
        quote!(
            const ACTION: &'static str = #action;
        )
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct #marker;

        impl Operation for #marker {
            const NAME: &'static str = #name;
            const SOAP_ACTION: &'static str = #action;
            const INPUT_ELEMENT: &'static str = #input_element;
            const OUTPUT_ELEMENT: &'static str = #output_element;
            const SIGNED_HEADER: Option<&'static str> = #signed;
            #addressing_action
            #namespaces
            #version
            #encoded
            #input_layout
            #output_layout
            #one_way
            type Input = #input;
            type Output = #output;
        }
    }
}

/// The enum of an operation's declared faults, read from a [`Fault`]'s detail.
fn fault_enum(op: &OperationPlan, faults: &FaultsPlan) -> TokenStream {
    let ident = &faults.ident;
    let mut lines =
        vec![format!("A fault `{}` declares (`wsdl:fault`), decoded from the SOAP Fault's detail element.", op.name)];
    lines.extend(faults.untyped.iter().map(|why| format!("Not typed: {why}.")));
    let docs = doc_attrs(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    let variants = faults.variants.iter().map(|v| {
        let (variant, ty) = (&v.ident, &v.ty.path);
        let doc = format!(" The fault `{}`: the detail element `{}`.", v.fault_name, v.element);
        quote!(#[doc = #doc] #variant(#ty),)
    });
    let reads = faults.variants.iter().map(|v| {
        let (variant, ty, element) = (&v.ident, &v.ty.path, Literal::string(&v.element));
        quote! {
            if let Some(read) = fault.detail_element::<#ty>(#element) {
                return Some(read.map(Self::#variant));
            }
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#variants)*
        }

        impl #ident {
            /// The declared fault `error` carries: `None` when the call did not fail with a
            /// SOAP Fault, or its detail holds none of the declared elements; an error when
            /// the element is there but does not match its type.
            pub fn from_error(error: &Error) -> Option<Result<Self, DecodeError>> {
                Self::from_fault(error.fault()?)
            }

            /// The declared fault in `fault`'s detail, as [`Self::from_error`].
            pub fn from_fault(fault: &Fault) -> Option<Result<Self, DecodeError>> {
                #(#reads)*
                None
            }
        }
    }
}

fn info(op: &OperationPlan) -> TokenStream {
    let (name, action) = (Literal::string(&op.name), Literal::string(&op.soap_action));
    let (input_element, output_element) =
        (Literal::string(&op.input_qname.local), Literal::string(&op.output_qname.local));
    let (input_type, output_type) = (Literal::string(&op.input_type.name), Literal::string(&op.output_type.name));
    let doc = Literal::string(op.doc.as_deref().unwrap_or("").trim());
    quote! {
        OperationInfo {
            name: #name,
            soap_action: #action,
            input_element: #input_element,
            output_element: #output_element,
            input_type: #input_type,
            output_type: #output_type,
            doc: #doc,
        }
    }
}

/// The visitor trait; with serde, the operations it sees have JSON inputs and outputs, so a
/// tool can encode and decode any operation by name.
fn visitor_trait(serde_feature: Option<&str>) -> TokenStream {
    let plain = quote! {
        /// Something to do with one operation, chosen at run time by name (see [`visit`]).
        pub trait OperationVisitor {
            type Output;
            fn visit<Op: Operation>(self) -> Self::Output;
        }
    };
    let Some(feature) = serde_feature else { return plain };
    quote! {
        /// Something to do with one operation, chosen at run time by name (see [`visit`]).
        #[cfg(not(feature = #feature))]
        pub trait OperationVisitor {
            type Output;
            fn visit<Op: Operation>(self) -> Self::Output;
        }

        /// An operation whose input and output are JSON too (the serde feature).
        #[cfg(feature = #feature)]
        pub trait JsonOperation:
            Operation<Input: serde::Serialize + serde::de::DeserializeOwned, Output: serde::Serialize + serde::de::DeserializeOwned>
        {
        }

        #[cfg(feature = #feature)]
        impl<Op> JsonOperation for Op where
            Op: Operation<Input: serde::Serialize + serde::de::DeserializeOwned, Output: serde::Serialize + serde::de::DeserializeOwned>
        {
        }

        /// Something to do with one operation, chosen at run time by name (see [`visit`]);
        /// its input and output are JSON too.
        #[cfg(feature = #feature)]
        pub trait OperationVisitor {
            type Output;
            fn visit<Op: JsonOperation>(self) -> Self::Output;
        }
    }
}
