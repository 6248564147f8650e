//! `operations.rs`: a marker type per operation for the runtime, the `ALL` table, and a
//! visitor that picks an operation by name at run time.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::doc_attrs;
use crate::plan::{OperationPlan, Plan};

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let items = plan.operations.iter().map(|op| marker(op, !plan.extra_namespaces.is_empty()));
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

fn marker(op: &OperationPlan, extra_namespaces: bool) -> TokenStream {
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
            #namespaces
            type Input = #input;
            type Output = #output;
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
