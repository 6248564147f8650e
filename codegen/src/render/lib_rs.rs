//! `lib.rs`: the crate docs, the modules and the re-exports a user needs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::Plan;

pub(crate) fn file(plan: &Plan) -> TokenStream {
    let service = plan.service_name.as_deref().unwrap_or("the service");
    let title = format!(" Typed async client for `{service}`, generated from `{}`.", plan.source_name);
    let ops = format!(" Operations: {}.", plan.operations.len());
    let namespace = &plan.namespace;
    quote! {
        #![doc = #title]
        #![doc = ""]
        #![doc = " * [`Client`]: one async method per operation."]
        #![doc = " * [`types`]: one Rust type per schema type, re-exported at the root."]
        #![doc = " * [`operations`]: a marker type per operation and the [`operations::ALL`] table."]
        #![doc = " * [`server`]: the [`server::Service`] trait and [`server::dispatch`], for serving the API."]
        #![doc = ""]
        #![doc = #ops]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod server;
        #[rustfmt::skip]
        pub mod types;

        pub use client::Client;
        pub use mktows_runtime as runtime;
        pub use mktows_runtime::{Base64Binary, Date, DateTime, Nillable};
        pub use mktows_runtime::{ClientConfig, ConfigError, Credentials};
        pub use mktows_runtime::{Error, ErrorKind, Fault, Timestamp};
        pub use types::*;

        /// The service's target namespace.
        pub const NAMESPACE: &str = #namespace;
    }
}
