//! `lib.rs`: the crate docs, the modules and the re-exports a user needs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::{OperationPlan, Plan, TypePlan};

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
    let example = example(plan).into_iter();
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
        #(#![doc = #example])*
    }
}

/// The crate docs' example, a doctest that `cargo test` compiles: a service layer's own,
/// else a call of the first operation whose request can be built empty (or the first one,
/// its request then a parameter of the hidden function around it), with the errors told
/// apart. None without a crate name or a client.
fn example(plan: &Plan) -> Vec<String> {
    let (Some(krate), true) = (&plan.crate_name, plan.client) else { return Vec::new() };
    let body = match &plan.crate_example {
        Some(text) => text.lines().map(str::to_owned).collect(),
        None => match call_example(plan, krate) {
            Some(lines) => lines,
            None => return Vec::new(),
        },
    };
    let mut lines = vec![String::new(), "# Example".to_owned(), String::new(), "```no_run".to_owned()];
    lines.extend(body);
    lines.push("```".to_owned());
    // Doc lines start with a space, as `///` ones do; rustdoc takes the common indentation off.
    lines.into_iter().map(|line| format!(" {line}")).collect()
}

fn call_example(plan: &Plan, krate: &str) -> Option<Vec<String>> {
    let buildable = |op: &&OperationPlan| op.input_is_unit || default_struct(plan, &op.input_type.name);
    let op = plan.operations.iter().find(buildable).or(plan.operations.first())?;
    let request_type = format!("{krate}::types::{}", op.input_type.name);
    let mut hidden_params = Vec::new();
    let credentials = plan.credentials.as_ref().map(|path| {
        hidden_params.push(format!("credentials: {}", path.to_string().replace(' ', "")));
        ", credentials"
    });
    let request = match (op.input_is_unit, buildable(&op)) {
        (true, _) => None,
        (false, true) => Some(format!("let request = {request_type}::default(); // set its fields")),
        (false, false) => {
            hidden_params.push(format!("request: {request_type}"));
            None
        }
    };
    let mut args: Vec<&str> = match op.input_is_unit {
        true => Vec::new(),
        false => vec!["&request"],
    };
    args.extend(op.headers.iter().map(|_| "None"));
    let endpoint = plan.endpoint.as_deref().unwrap_or("https://service.example/soap");
    let mut lines = vec![
        format!("# async fn example({}) -> Result<(), Box<dyn std::error::Error>> {{", hidden_params.join(", ")),
        format!("use {krate}::{{Client, ErrorKind}};"),
        String::new(),
        format!("let client = Client::new({endpoint:?}{})?;", credentials.unwrap_or_default()),
    ];
    lines.extend(request);
    lines.extend([
        format!("match client.{}({}).await {{", op.method, args.join(", ")),
        "    Ok(response) => println!(\"{response:?}\"),".to_owned(),
        "    Err(error) => match error.kind() {".to_owned(),
        "        ErrorKind::Fault(fault) => eprintln!(\"refused: {} {}\", fault.code, fault.message),".to_owned(),
        "        _ if error.may_have_been_processed() => eprintln!(\"outcome unknown: {error}\"),".to_owned(),
        "        _ => eprintln!(\"not sent: {error}\"),".to_owned(),
        "    },".to_owned(),
        "}".to_owned(),
        "# Ok(())".to_owned(),
        "# }".to_owned(),
    ]);
    Some(lines)
}

/// Whether `name` is a struct that derives `Default`.
fn default_struct(plan: &Plan, name: &str) -> bool {
    plan.types.iter().any(|ty| matches!(ty, TypePlan::Struct(s) if s.ident == name && s.derive_default))
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
