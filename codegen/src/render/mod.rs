//! Rendering: a [`Plan`] into the token streams of the generated files. Each concern has its
//! module (declarations, XML writing, XML reading, serde, and one per output file); none
//! of them decides a name or a shape.

mod choice;
mod client;
mod decls;
mod lib_rs;
mod operations;
mod read;
mod serde;
mod server;
mod write;

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::{Plan, TypePlan};

/// A module of the generated crate: its name, whether it is public, and its tokens.
pub(crate) struct Module {
    pub name: proc_macro2::Ident,
    pub public: bool,
    /// The body, when the module is written inline (one-file output).
    pub inline: Option<TokenStream>,
}

/// A file's tokens as parts, each a run of whole items (the first may open with the file's
/// inner attributes): formatted apart, and in parallel, a big WSDL's files format in a
/// fraction of the time one stream of megabytes takes.
pub(crate) type Parts = Vec<TokenStream>;

/// The modules and their tokens, in a fixed order; a part the options leave out is not
/// there.
fn modules(plan: &Plan) -> Vec<(&'static str, bool, Parts)> {
    let whole = |tokens: TokenStream| vec![tokens];
    let json = plan.serde_feature.as_ref().map(|_| whole(json_file(plan)));
    let mut modules = vec![("client", false, plan.client.then(|| whole(client::file(plan)))), ("json", false, json)];
    modules.push(("operations", true, Some(whole(operations::file(plan)))));
    modules.push(("server", true, plan.server.then(|| whole(server::file(plan)))));
    modules.push(("types", true, Some(types_file(plan))));
    modules.push(("xml", false, Some(xml_file(plan))));
    modules.into_iter().filter_map(|(name, public, parts)| Some((name, public, parts?))).collect()
}

/// The files of the generated crate, as `(path, parts)`: `src/lib.rs`, then one file per
/// module.
pub(crate) fn files(plan: &Plan) -> Vec<(String, Parts)> {
    let modules = modules(plan);
    let declared: Vec<Module> =
        modules.iter().map(|(name, public, _)| Module { name: ident(name), public: *public, inline: None }).collect();
    let (docs, items) = (lib_rs::docs(plan), lib_rs::items(plan, &declared));
    let mut files = vec![("src/lib.rs".to_owned(), vec![quote!(#docs #items)])];
    files.extend(modules.into_iter().map(|(name, _, parts)| (format!("src/{name}.rs"), parts)));
    files
}

/// Everything as one file of items, the modules inline, for `include!`.
pub(crate) fn module(plan: &Plan) -> TokenStream {
    let inline: Vec<Module> = modules(plan)
        .into_iter()
        .map(|(name, public, parts)| Module { name: ident(name), public, inline: Some(quote!(#(#parts)*)) })
        .collect();
    lib_rs::items(plan, &inline)
}

fn ident(name: &str) -> proc_macro2::Ident {
    proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
}

/// The one import of every generated module.
fn prelude() -> TokenStream {
    quote! {
        #[allow(unused_imports)]
        use mktows_runtime::codegen::*;
    }
}

/// `types.rs`: the declarations, with their docs, derives and conversions.
fn types_file(plan: &Plan) -> Parts {
    let items = plan.types.iter().map(|ty| match ty {
        TypePlan::Alias(alias) => decls::alias(alias),
        TypePlan::Enum(e) => decls::enumeration(e),
        TypePlan::Polymorphic(p) => decls::polymorphic(p, plan.serde_feature.as_deref()),
        TypePlan::Struct(s) | TypePlan::Group(s) => decls::structure(s, plan.serde_feature.as_deref()),
        TypePlan::Choice(c) => choice::declaration(c, plan.serde_feature.as_deref()),
    });
    std::iter::once(prelude()).chain(items).collect()
}

/// `xml.rs`: how every type is written and read.
fn xml_file(plan: &Plan) -> Parts {
    let items = plan.types.iter().map(|ty| match ty {
        TypePlan::Alias(_) => quote!(),
        TypePlan::Enum(e) => {
            let (write, read) = (write::enumeration(e), read::enumeration(e));
            quote!(#write #read)
        }
        TypePlan::Polymorphic(p) => {
            let (write, read) = (write::polymorphic(p), read::polymorphic(p));
            quote!(#write #read)
        }
        TypePlan::Struct(s) => {
            let (write, read) = (write::structure(s), read::structure(s));
            quote!(#write #read)
        }
        TypePlan::Group(s) => {
            let (write, read) = (choice::write_group_struct(s), choice::read_group_struct(s));
            quote!(#write #read)
        }
        TypePlan::Choice(c) => {
            let (write, read) = (choice::write(c), choice::read(c));
            quote!(#write #read)
        }
    });
    let prelude = prelude();
    let head = quote! {
        //! How every schema type is written to and read from XML.
        #prelude
        #[allow(unused_imports)]
        use super::types::*;
    };
    std::iter::once(head).chain(items).collect()
}

/// `json.rs`: the serde impls that derives cannot express (an enumeration is its value).
fn json_file(plan: &Plan) -> TokenStream {
    let items = plan.types.iter().filter_map(|ty| match ty {
        TypePlan::Enum(e) => Some(serde::enumeration_impls(e)),
        _ => None,
    });
    quote! {
        //! JSON for enumerations, with serde: a value is its XML string.
        #[allow(unused_imports)]
        use super::types::*;
        #(#items)*
    }
}
