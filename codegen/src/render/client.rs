//! `client.rs`: the typed `Client` facade, one async method per operation.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::doc_attrs;
use crate::plan::{Layout, OperationPlan, Plan};

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let methods = plan.operations.iter().map(method);
    let pages = plan.operations.iter().flat_map(|op| pages_method(op).into_iter().chain(items_method(op)));
    let service_name = plan.service_name.as_deref().unwrap_or("service");
    let signing = match plan.credentials {
        Some(_) => " Every request is signed with the current time.",
        None => "",
    };
    let client_doc = format!(
        "A client for `{service_name}`, with one async method per operation.\n\nCheap to clone: clones share the connection pool.{signing}"
    );
    let default_endpoint = plan.endpoint.as_deref().map(|address| {
        let docs =
            doc_attrs(&["The address the WSDL's `soap:address` names.", plan.endpoint_doc.as_deref().unwrap_or("")]);
        quote! {
            #docs
            pub const WSDL_ENDPOINT: &'static str = #address;
        }
    });
    let constructors = constructors(plan);
    let prelude = super::prelude();
    quote! {
        #prelude

        #[allow(unused_imports)]
        use super::{operations, types};

        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            soap: SoapClient,
        }

        impl Client {
            #default_endpoint

            #constructors

            /// A client over a [`SoapClient`] built by hand (with a signer of your own, say).
            pub fn from_soap(soap: SoapClient) -> Self {
                Self { soap }
            }

            /// The untyped machinery underneath, for encoding a request without sending it
            /// or calling an operation through its marker type.
            pub fn soap(&self) -> &SoapClient {
                &self.soap
            }

            /// Adds `layer` after the client's other layers: every call passes through it
            /// (header blocks such as WS-Security, HTTP headers, the exchange itself; see
            /// [`mktows_runtime::layer`]).
            pub fn with_layer(self, layer: impl mktows_runtime::Layer + 'static) -> Self {
                Self { soap: self.soap.with_layer(layer) }
            }

            #(#methods)*

            #(#pages)*
        }
    }
}

/// `new` and `with_config`, taking the credentials that sign requests when there are any.
fn constructors(plan: &Plan) -> TokenStream {
    match &plan.credentials {
        Some(credentials) => quote! {
            /// A client for `endpoint` with the default [`ClientConfig`].
            pub fn new(endpoint: &str, credentials: #credentials) -> Result<Self, ConfigError> {
                Self::with_config(endpoint, credentials, &ClientConfig::default())
            }

            pub fn with_config(endpoint: &str, credentials: #credentials, config: &ClientConfig) -> Result<Self, ConfigError> {
                Ok(Self { soap: SoapClient::new(super::NAMESPACE, endpoint, config)?.with_signer(credentials) })
            }
        },
        None => quote! {
            /// A client for `endpoint` with the default [`ClientConfig`].
            pub fn new(endpoint: &str) -> Result<Self, ConfigError> {
                Self::with_config(endpoint, &ClientConfig::default())
            }

            pub fn with_config(endpoint: &str, config: &ClientConfig) -> Result<Self, ConfigError> {
                Ok(Self { soap: SoapClient::new(super::NAMESPACE, endpoint, config)? })
            }
        },
    }
}

/// `<method>_pages`: the operation called again and again, each request's position taken
/// from the response before it, while the response says more follow.
fn pages_method(op: &OperationPlan) -> Option<TokenStream> {
    let pages = op.pages.as_ref()?;
    let (method, name, input, output) = (&op.method, &pages.method, &op.input_type.path, &op.output_type.path);
    let (position, next_position, more) = (&pages.request_position, &pages.response_position, &pages.more);
    let described = &pages.described;
    let docs = doc_attrs(&[
        &format!("Every page of [`Client::{method}`], as a `Stream` of its responses (read it with `futures::StreamExt`)."),
        &format!(
            "Each request is `params` with `{}` set from the response before it (`{}`), while `{}` says more follow; the stream ends after the last page, after an error, or when a response would repeat the request.",
            described.request_position, described.response_position, described.more
        ),
    ]);
    Some(quote! {
        #docs
        // The position's `.into()` is the identity where both fields have one type.
        #[allow(clippy::useless_conversion)]
        pub fn #name<'a>(&'a self, params: &#input) -> impl mktows_runtime::paging::Stream<Item = Result<#output, Error>> + 'a {
            let fetch = move |request: #input| async move { self.#method(&request).await };
            let next = |request: &#input, page: &#output| {
                if !mktows_runtime::paging::More::more(&page.#(#more).*) {
                    return None;
                }
                let mut next = request.clone();
                next.#(#position).* = page.#(#next_position).*.clone().into();
                (next.#(#position).* != request.#(#position).*).then_some(next)
            };
            mktows_runtime::paging::pages(params.clone(), fetch, next)
        }
    })
}

/// `<method>_items`: the items of every page of `<method>_pages`, one by one.
fn items_method(op: &OperationPlan) -> Option<TokenStream> {
    let pages = op.pages.as_ref()?;
    let items = pages.items.as_ref()?;
    let (input, output, pages_method) = (&op.input_type.path, &op.output_type.path, &pages.method);
    let (name, path, item) = (&items.method, &items.path, &items.item);
    let docs = doc_attrs(&[
        &format!(
            "Every item (`{}`) of every page of [`Client::{pages_method}`], one by one, as a `Stream` (read it with `futures::StreamExt`).",
            pages.described.items.as_deref().unwrap_or_default()
        ),
        "An absent or nil list is a page without items; an error is the stream's last item, after the items of the pages before it.",
    ]);
    Some(quote! {
        #docs
        pub fn #name<'a>(&'a self, params: &#input) -> impl mktows_runtime::paging::Stream<Item = Result<#item, Error>> + 'a {
            mktows_runtime::paging::items(self.#pages_method(params), |page: #output| page.#(#path).*)
        }
    })
}

fn method(op: &OperationPlan) -> TokenStream {
    let (method, marker, input, output) = (&op.method, &op.marker, &op.input_type.path, &op.output_type.path);
    let header_params = op.headers.iter().map(|h| {
        let (param, ty) = (&h.param, &h.ty.path);
        quote!(#param: Option<&#ty>)
    });
    let summary = op.doc.clone().unwrap_or_else(|| format!("Calls `{}`.", op.name));
    let wire = wire_doc(op);
    let mut extra_docs: Vec<String> =
        op.headers.iter().map(|h| format!("`{}` is the optional `{}` SOAP header.", h.param, h.element)).collect();
    if let Some(faults) = &op.faults {
        let ident = &faults.ident;
        extra_docs.push(format!(
            "A declared fault is read from the error with [`operations::{ident}::from_error`](super::operations::{ident}::from_error)."
        ));
    }
    if let Some(with_headers) = &op.with_headers_method {
        let names: Vec<String> = op.response_headers.iter().map(|h| format!("`{}`", h.element)).collect();
        extra_docs.push(format!(
            "The response's SOAP headers ({}) are not returned here; [`Client::{with_headers}`] returns them too.",
            names.join(", ")
        ));
    }
    let mut lines: Vec<&str> = vec![&summary, &wire];
    lines.extend(extra_docs.iter().map(String::as_str));
    let docs = doc_attrs(&lines);
    let call = match op.one_way {
        true => quote!(call_one_way),
        false => quote!(call),
    };
    // A message without parts is `()`: the method takes no body parameter.
    let (params_param, params) = match op.input_is_unit {
        true => (None, quote!(&())),
        false => (Some(quote!(params: &#input)), quote!(params)),
    };
    let all_params: Vec<TokenStream> = params_param.into_iter().chain(header_params).collect();
    let body = match header_pushes(op) {
        None => quote!(self.soap.#call::<operations::#marker>(#params, &[]).await),
        Some(pushes) => quote! {
            #pushes
            self.soap.#call::<operations::#marker>(#params, &headers).await
        },
    };
    let with_headers = op.with_headers_method.as_ref().map(|with_headers| {
        let docs = with_headers_docs(op);
        let call = quote!(call_with_headers::<operations::#marker>);
        let body = match op.headers.is_empty() {
            true => quote!(self.soap.#call(#params, &[]).await),
            false => quote!(self.soap.#call(#params, &headers).await),
        };
        let pushes = header_pushes(op);
        quote! {
            #docs
            pub async fn #with_headers(&self #(, #all_params)*) -> Result<(#output, Headers), Error> {
                #pushes
                #body
            }
        }
    });
    quote! {
        #docs
        pub async fn #method(&self #(, #all_params)*) -> Result<#output, Error> {
            #body
        }
        #with_headers
    }
}

/// The docs of `<method>_with_headers`: which blocks the response declares, and how to read each.
fn with_headers_docs(op: &OperationPlan) -> TokenStream {
    let mut lines = vec![format!("[`Client::{}`], with the response's SOAP header blocks as sent.", op.method)];
    for header in &op.response_headers {
        lines.push(match &header.ty {
            Some(ty) => {
                format!("`{0}`: `headers.get::<{1}>(\"{0}\")`.", header.element, ty.path.to_string().replace(' ', ""))
            }
            None => format!("`{}`: its XML is in `headers.blocks`.", header.element),
        });
    }
    doc_attrs(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The statements that collect the caller's header blocks into `headers`.
fn header_pushes(op: &OperationPlan) -> Option<TokenStream> {
    if op.headers.is_empty() {
        return None;
    }
    let capacity = op.headers.len();
    let pushes = op.headers.iter().map(|h| {
        let (param, element) = (&h.param, Literal::string(&h.element));
        quote! {
            if let Some(value) = #param {
                headers.push(HeaderBlock { name: #element, value });
            }
        }
    });
    Some(quote! {
        let mut headers = Vec::with_capacity(#capacity);
        #(#pushes)*
    })
}

/// What the method sends and what it returns, on the wire.
fn wire_doc(op: &OperationPlan) -> String {
    let sends = match (op.input_is_unit, op.input_layout) {
        (true, _) => "Sends an empty SOAP Body".to_owned(),
        (false, Layout::Parts) => {
            format!("Sends the message's parts as the SOAP Body (`{}` first)", op.input_qname.local)
        }
        (false, Layout::Element) => format!("Sends `{}`", op.input_qname.local),
    };
    let returns = match (op.one_way, op.output_layout) {
        (true, _) => {
            "returns `()` once the service accepts it: the operation is one-way, so no response is read".to_owned()
        }
        (false, Layout::Parts) if op.output_type.name == "()" => "expects an empty SOAP Body back".to_owned(),
        (false, Layout::Parts) => "returns the response's parts".to_owned(),
        (false, Layout::Element) => format!("returns the `{}` element", op.output_qname.local),
    };
    format!("{sends} and {returns} (SOAP action `{}`).", op.soap_action)
}
