//! `operations.rs` and `client.rs` of the generated crate: one marker type per operation
//! for the runtime, and the typed `Client` facade with one async method per operation.

use mktows_wsdl::{Operation, Wsdl};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::docs::doc_attrs;
use crate::names::{field_name, ident, type_name};
use crate::Error;

/// The header block the runtime signs and writes itself (Marketo's authentication).
pub(crate) const SIGNED_HEADER_ELEMENT: &str = "AuthenticationHeader";

/// The body element's type name for an operation's input or output element.
pub(crate) fn body_type(wsdl: &Wsdl, element: &str, op: &Operation) -> Result<String, Error> {
    wsdl.schema
        .element(element)
        .map(|e| type_name(&e.type_name))
        .ok_or_else(|| Error::at(format!("operation `{}` uses unknown element `{element}`", op.name), op.location))
}

pub(crate) fn operations(wsdl: &Wsdl) -> Result<TokenStream, Error> {
    let mut items = Vec::new();
    let mut infos = Vec::new();
    for op in &wsdl.operations {
        let marker = format_ident!("{}", type_name(&op.name));
        let input = format_ident!("{}", body_type(wsdl, &op.input_element, op)?);
        let output = format_ident!("{}", body_type(wsdl, &op.output_element, op)?);
        let (name, action) = (Literal::string(&op.name), Literal::string(&op.soap_action));
        let (input_element, output_element) = (Literal::string(&op.input_element), Literal::string(&op.output_element));
        let signed = op.input_headers.iter().any(|h| h.element == SIGNED_HEADER_ELEMENT);
        let doc_text = op.doc.clone().unwrap_or_default();
        let docs = doc_attrs(&[&format!("The `{}` operation.", op.name), &doc_text]);
        items.push(quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct #marker;

            impl Operation for #marker {
                const NAME: &'static str = #name;
                const SOAP_ACTION: &'static str = #action;
                const INPUT_ELEMENT: &'static str = #input_element;
                const OUTPUT_ELEMENT: &'static str = #output_element;
                const SIGNED: bool = #signed;
                type Input = #input;
                type Output = #output;
            }
        });
        let (input_type, output_type) = (Literal::string(&input.to_string()), Literal::string(&output.to_string()));
        let doc_literal = Literal::string(doc_text.trim());
        infos.push(quote! {
            OperationInfo {
                name: #name,
                soap_action: #action,
                input_element: #input_element,
                output_element: #output_element,
                input_type: #input_type,
                output_type: #output_type,
                doc: #doc_literal,
            }
        });
    }
    let count = wsdl.operations.len();
    let names: Vec<_> = wsdl.operations.iter().map(|op| Literal::string(&op.name)).collect();
    let markers: Vec<_> = wsdl.operations.iter().map(|op| format_ident!("{}", type_name(&op.name))).collect();
    Ok(quote! {
        use mktows_runtime::{Operation, OperationInfo};

        use crate::types::*;

        #(#items)*

        /// Every operation of the service, in WSDL order.
        pub const ALL: [OperationInfo; #count] = [#(#infos),*];

        /// Something to do with one operation, chosen at run time by name (see [`visit`]).
        pub trait OperationVisitor {
            type Output;
            fn visit<Op: Operation>(self) -> Self::Output;
        }

        /// Calls `visitor` with the marker type of the operation whose WSDL name is `name`;
        /// `None` when there is no such operation.
        pub fn visit<V: OperationVisitor>(name: &str, visitor: V) -> Option<V::Output> {
            match name {
                #( #names => Some(visitor.visit::<#markers>()), )*
                _ => None,
            }
        }
    })
}

pub(crate) fn client(wsdl: &Wsdl) -> Result<TokenStream, Error> {
    let mut methods = Vec::new();
    let mut uses_headers = false;
    for op in &wsdl.operations {
        let method = ident(&field_name(&op.name));
        let marker = format_ident!("{}", type_name(&op.name));
        let input = format_ident!("{}", body_type(wsdl, &op.input_element, op)?);
        let output = format_ident!("{}", body_type(wsdl, &op.output_element, op)?);
        let mut header_params = Vec::new();
        let mut header_pushes = Vec::new();
        let mut header_docs = Vec::new();
        for header in op.input_headers.iter().filter(|h| h.element != SIGNED_HEADER_ELEMENT) {
            let param = ident(&field_name(&header.part));
            let ty = format_ident!("{}", body_type(wsdl, &header.element, op)?);
            let element = Literal::string(&header.element);
            header_params.push(quote!(#param: Option<&#ty>));
            header_pushes.push(quote! {
                if let Some(value) = #param {
                    headers.push(HeaderBlock { name: #element, value });
                }
            });
            header_docs.push(format!("`{param}` is the optional `{}` SOAP header.", header.element));
        }
        let summary = op.doc.clone().unwrap_or_else(|| format!("Calls `{}`.", op.name));
        let wire = format!(
            "Sends `{}` and returns the `{}` element (SOAP action `{}`).",
            op.input_element, op.output_element, op.soap_action
        );
        let mut lines: Vec<&str> = vec![&summary, &wire];
        lines.extend(header_docs.iter().map(String::as_str));
        let docs = doc_attrs(&lines);
        let body = if header_params.is_empty() {
            quote!(self.soap.call::<operations::#marker>(params, &[]).await)
        } else {
            uses_headers = true;
            let capacity = header_pushes.len();
            quote! {
                let mut headers = Vec::with_capacity(#capacity);
                #(#header_pushes)*
                self.soap.call::<operations::#marker>(params, &headers).await
            }
        };
        methods.push(quote! {
            #docs
            pub async fn #method(&self, params: &#input #(, #header_params)*) -> Result<#output, Error> {
                #body
            }
        });
    }
    let service_name = wsdl.service.as_ref().map(|s| s.name.clone()).unwrap_or_else(|| "service".to_owned());
    let client_doc = format!(
        "A client for `{service_name}`, with one async method per operation.\n\nCheap to clone: clones share the connection pool. Every request is signed with the current time."
    );
    let default_endpoint = match wsdl.service.as_ref().and_then(|s| s.address.as_deref()) {
        Some(address) => {
            let address = Literal::string(address);
            quote! {
                /// The address the WSDL's `soap:address` names. Marketo accounts each have their
                /// own endpoint, shown in the admin console; pass that to [`Client::new`].
                pub const WSDL_ENDPOINT: &'static str = #address;
            }
        }
        None => quote!(),
    };
    let header_import = uses_headers.then(|| quote!(HeaderBlock,));
    Ok(quote! {
        use mktows_runtime::{ClientConfig, ConfigError, Credentials, Error, #header_import SoapClient};

        use crate::operations;
        use crate::types::*;

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            soap: SoapClient,
        }

        impl Client {
            #default_endpoint

            /// A client for `endpoint` with the default [`ClientConfig`].
            pub fn new(endpoint: &str, credentials: Credentials) -> Result<Self, ConfigError> {
                Self::with_config(endpoint, credentials, &ClientConfig::default())
            }

            pub fn with_config(endpoint: &str, credentials: Credentials, config: &ClientConfig) -> Result<Self, ConfigError> {
                Ok(Self { soap: SoapClient::new(crate::NAMESPACE, endpoint, credentials, config)? })
            }

            /// The untyped machinery underneath, for encoding a request without sending it
            /// or calling an operation through its marker type.
            pub fn soap(&self) -> &SoapClient {
                &self.soap
            }

            #(#methods)*
        }
    })
}
