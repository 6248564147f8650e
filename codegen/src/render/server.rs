//! `server.rs`: a `Service` trait with one method per operation and a `dispatch` function
//! that routes a request by its body element, so that one generator serves both sides.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::doc_attrs;
use crate::plan::{OperationPlan, Plan};

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let methods = plan.operations.iter().map(method);
    let arms = plan.operations.iter().map(arm);
    let service_name = plan.service_name.as_deref().unwrap_or("the service");
    let trait_doc = format!(
        "The server side of `{service_name}`: one method per operation.\n\nImplement the operations you serve and pass requests to [`dispatch`]; the others answer with an Unsupported Operation fault."
    );
    quote! {
        use std::future::Future;

        use mktows_runtime::server::{self, RequestContext, Response};
        use mktows_runtime::Fault;

        use crate::operations;
        use crate::types::*;

        #[doc = #trait_doc]
        pub trait Service: Send + Sync {
            #(#methods)*
        }

        /// Reads a SOAP request, calls the [`Service`] method its body element names, and
        /// returns the envelope to send: the success element (status 200) or a fault (status
        /// 500). A request that cannot be read is answered with fault 20012, an unknown body
        /// element with 20019, a body that does not match the schema with 20017.
        pub async fn dispatch<S: Service + ?Sized>(service: &S, request: &[u8]) -> Response {
            match server::read_request(request) {
                Ok(context) => dispatch_request(service, &context, request).await,
                Err(fault) => Response::fault(crate::NAMESPACE, &fault),
            }
        }

        /// [`dispatch`] for a request whose envelope the caller has already read (to check
        /// its authentication header, say), so it is not read twice.
        pub async fn dispatch_request<S: Service + ?Sized>(service: &S, context: &RequestContext, request: &[u8]) -> Response {
            match context.body_element.as_str() {
                #(#arms)*
                other => Response::fault(crate::NAMESPACE, &server::unsupported_operation(other)),
            }
        }
    }
}

fn method(op: &OperationPlan) -> TokenStream {
    let (method, input, output, name) = (&op.method, &op.input_type, &op.output_type, Literal::string(&op.name));
    let summary = op.doc.clone().unwrap_or_else(|| format!("Serves `{}`.", op.name));
    let docs = doc_attrs(&[&summary, "The default answers with an Unsupported Operation fault (20019)."]);
    quote! {
        #docs
        fn #method(
            &self,
            context: &RequestContext,
            params: #input,
        ) -> impl Future<Output = Result<#output, Fault>> + Send {
            let _ = (context, params);
            async { Err(server::not_implemented(#name)) }
        }
    }
}

fn arm(op: &OperationPlan) -> TokenStream {
    let (method, marker, element) = (&op.method, &op.marker, Literal::string(&op.input_element));
    quote! {
        #element => {
            server::respond::<operations::#marker, _>(crate::NAMESPACE, request, |params| service.#method(context, params)).await
        }
    }
}
