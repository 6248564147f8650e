//! `server.rs`: a `Service` trait with one method per operation and a `dispatch` function
//! that routes a request by its body element, so that one generator serves both sides.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::docs::doc_attrs;
use crate::plan::{OperationPlan, Plan};

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let methods = plan.operations.iter().map(method);
    // SOAP 1.1 is the runtime's default; a SOAP 1.2 service answers with 1.2 faults.
    let (to_fault, fault) = match plan.soap12 {
        false => (quote!(error.to_fault()), quote!(Response::fault(&service.request_fault(error)))),
        true => (
            quote!(error.to_fault_as(SoapVersion::Soap12)),
            quote!(Response::fault_as(SoapVersion::Soap12, &service.request_fault(error))),
        ),
    };
    // An operation whose request looks like an earlier one's is not reached by routing.
    let arms = plan.operations.iter().filter(|op| op.hidden_by.is_none()).map(arm);
    let service_name = plan.service_name.as_deref().unwrap_or("the service");
    let trait_doc = format!(
        "The server side of `{service_name}`: one method per operation.\n\nImplement the operations you serve and pass requests to [`dispatch`]; the others answer with the fault [`Service::request_fault`] gives."
    );
    // An empty Body is a request only when an operation takes one.
    let read_request = match plan.accepts_empty_body {
        true => quote!(read_request_allowing_empty_body),
        false => quote!(read_request),
    };
    let prelude = super::prelude();
    // With no operation no request body is read.
    let unused = plan.operations.is_empty().then(|| quote!(let _ = request;));
    quote! {
        #prelude

        #[allow(unused_imports)]
        use super::{operations, types};

        #[doc = #trait_doc]
        pub trait Service: Send + Sync {
            /// The fault for a request this service does not serve: unreadable, naming no
            /// operation, breaking the schema, or an operation left unimplemented. Override
            /// it to answer with the service's own fault codes.
            fn request_fault(&self, error: RequestError) -> Fault {
                #to_fault
            }

            #(#methods)*
        }

        /// Reads a SOAP request, calls the [`Service`] method its body element names, and
        /// returns the envelope to send: the success element (status 200) or a fault (status
        /// 500). A request that cannot be read, names no operation, or does not match the
        /// schema is answered with the fault [`Service::request_fault`] gives.
        pub async fn dispatch<S: Service + ?Sized>(service: &S, request: &[u8]) -> Response {
            match server::#read_request(request) {
                Ok(context) => dispatch_request(service, &context, request).await,
                Err(error) => #fault,
            }
        }

        /// [`dispatch`] for a request whose envelope the caller has already read (to check
        /// its authentication header, say), so it is not read twice.
        pub async fn dispatch_request<S: Service + ?Sized>(service: &S, context: &RequestContext, request: &[u8]) -> Response {
            #unused
            match context.body_element.as_str() {
                #(#arms)*
                other => {
                    let error = RequestError::UnknownOperation { element: other.to_owned() };
                    #fault
                }
            }
        }
    }
}

fn method(op: &OperationPlan) -> TokenStream {
    let (method, input, output) = (&op.method, &op.input_type.path, &op.output_type.path);
    let name = Literal::string(&op.name);
    let summary = op.doc.clone().unwrap_or_else(|| format!("Serves `{}`.", op.name));
    let one_way = match op.one_way {
        true => "One-way: `Ok(())` is answered with HTTP 202 and no body.",
        false => "",
    };
    let hidden = match &op.hidden_by {
        Some(earlier) => {
            format!("[`dispatch`] never calls this: its requests start like those of `{earlier}`, which it calls.")
        }
        None => String::new(),
    };
    let docs = doc_attrs(&[
        &summary,
        one_way,
        &hidden,
        "The default answers with the fault [`Service::request_fault`] gives for an unimplemented operation.",
    ]);
    quote! {
        #docs
        fn #method(
            &self,
            context: &RequestContext,
            params: #input,
        ) -> impl Future<Output = Result<#output, Fault>> + Send {
            let _ = (context, params);
            let fault = self.request_fault(RequestError::NotImplemented { operation: #name });
            async { Err(fault) }
        }
    }
}

fn arm(op: &OperationPlan) -> TokenStream {
    let (method, marker, element) = (&op.method, &op.marker, Literal::string(&op.input_qname.local));
    quote! {
        #element => {
            server::respond::<operations::#marker, _>(
                super::NAMESPACE,
                request,
                |error| service.request_fault(error),
                |params| service.#method(context, params),
            )
            .await
        }
    }
}
