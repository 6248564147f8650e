//! `lib.rs`: the crate docs, the modules and the re-exports a user needs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::Plan;

/// The crate docs, as inner attributes (left out when the code is `include!`d).
pub(crate) fn docs(plan: &Plan) -> TokenStream {
    let service = plan.service_name.as_deref().unwrap_or("the service");
    let title = format!(" Typed async client for `{service}`, generated from `{}`.", plan.source_name);
    let ops = format!(" Operations: {}.", plan.operations.len());
    let binding = plan.binding_doc.as_ref().map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = ""] #![doc = #line])
    });
    let client = plan.client.then(|| quote!(#![doc = " * [`Client`]: one async method per operation."]));
    let server = plan.server.then(|| {
        quote!(#![doc = " * [`server`]: the [`server::Service`] trait and [`server::dispatch`], for serving the API."])
    });
    let left_out = (!plan.left_out.is_empty()).then(|| {
        let lines = plan.left_out.iter().map(|line| format!(" * {line}"));
        quote! {
            #![doc = ""]
            #![doc = " Operations left out, because the WSDL defines them incompletely or they use what this generator does not support yet:"]
            #![doc = ""]
            #(#![doc = #lines])*
        }
    });
    let types_left_out = (!plan.types_left_out.is_empty()).then(|| {
        let lines = plan.types_left_out.iter().map(|line| format!(" * {line}"));
        quote! {
            #![doc = ""]
            #![doc = " Schema types left out, because they use what this generator does not support yet:"]
            #![doc = ""]
            #(#![doc = #lines])*
        }
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #client
        #![doc = " * [`types`]: one Rust type per schema type, re-exported at the root (their XML reading and writing is in the private `xml` module)."]
        #![doc = " * [`operations`]: a marker type per operation and the [`operations::ALL`] table."]
        #server
        #![doc = ""]
        #![doc = #ops]
        #binding
        #left_out
        #types_left_out
    }
}

/// The module declarations (or, for one file, the modules themselves) and re-exports.
pub(crate) fn items(plan: &Plan, modules: &[super::Module]) -> TokenStream {
    let modules = modules.iter().map(|module| {
        let (name, visibility) = (&module.name, module.public.then(|| quote!(pub)));
        let feature = plan.serde_feature.as_deref().filter(|_| module.name == "json");
        let serde = feature.map(|feature| quote!(#[cfg(feature = #feature)]));
        match &module.inline {
            Some(body) => quote!(#serde #visibility mod #name { #body }),
            None => quote!(#[rustfmt::skip] #serde #visibility mod #name;),
        }
    });
    let client = plan.client.then(|| {
        quote!(
            pub use client::Client;
        )
    });
    let reexports = plan.reexports.iter().map(|tree| quote!(pub use #tree;));
    let namespace = &plan.namespace;
    // A schema with no types re-exports nothing; the glob would be an unused import.
    let types_glob = match plan.types.is_empty() {
        false => quote!(
            pub use types::*;
        ),
        true => quote!(
            #[allow(unused_imports)]
            pub use types::*;
        ),
    };
    let extra = (!plan.extra_namespaces.is_empty()).then(|| {
        let uris = &plan.extra_namespaces;
        quote! {
            /// The other namespaces the messages use, bound to `ns2`, `ns3`, ... in this order.
            pub const EXTRA_NAMESPACES: &[&str] = &[#(#uris),*];
        }
    });
    quote! {
        #(#modules)*

        #client
        pub use mktows_runtime as runtime;
        pub use mktows_runtime::{Base64Binary, Date, DateTime, Nillable};
        pub use mktows_runtime::{ClientConfig, ConfigError, RetryPolicy};
        pub use mktows_runtime::{Error, ErrorKind, Fault};
        #(#reexports)*
        #types_glob

        /// The service's target namespace.
        pub const NAMESPACE: &str = #namespace;
        #extra
    }
}
