//! Rendering: a [`Plan`] into the token streams of the generated files. Each concern has its
//! module (declarations, XML writing, XML reading, serde, and one per output file); none
//! of them decides a name or a shape.

mod client;
mod decls;
mod lib_rs;
mod operations;
mod read;
mod serde;
mod server;
mod write;

use std::collections::BTreeSet;

use mktows_wsdl::Builtin;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::plan::{Plan, Shape, TypePlan};

/// The files of the generated crate, as `(path, tokens)`, in a fixed order.
pub(crate) fn files(plan: &Plan) -> Vec<(&'static str, TokenStream)> {
    vec![
        ("src/lib.rs", lib_rs::file(plan)),
        ("src/types.rs", types_file(plan)),
        ("src/operations.rs", operations::file(plan)),
        ("src/client.rs", client::file(plan)),
        ("src/server.rs", server::file(plan)),
    ]
}

/// `types.rs`: every type with its conversions and XML impls, in plan order.
fn types_file(plan: &Plan) -> TokenStream {
    let items = plan.types.iter().map(|ty| match ty {
        TypePlan::Alias(alias) => decls::alias(alias),
        TypePlan::Enum(e) => {
            let (decl, write, serde, read) =
                (decls::enumeration(e), write::enumeration(e), serde::enumeration_impls(e), read::enumeration(e));
            quote!(#decl #write #serde #read)
        }
        TypePlan::Polymorphic(p) => {
            let (decl, write, read) = (decls::polymorphic(p), write::polymorphic(p), read::polymorphic(p));
            quote!(#decl #write #read)
        }
        TypePlan::Struct(s) => {
            let (decl, write, read) = (decls::structure(s), write::structure(s), read::structure(s));
            quote!(#decl #write #read)
        }
    });
    let imports = types_imports(plan);
    quote! {
        #imports
        #(#items)*
    }
}

/// Imports only what the generated code uses, so it compiles without warnings.
fn types_imports(plan: &Plan) -> TokenStream {
    let mut runtime_xml: BTreeSet<&str> = ["Element", "FromXml", "ToXml", "XmlReader", "XmlWriter"].into();
    let mut runtime: BTreeSet<&str> = ["DecodeError"].into();
    let mut value_type = |builtin: Builtin| match builtin {
        Builtin::DateTime => runtime_xml.insert("DateTime"),
        Builtin::Date => runtime_xml.insert("Date"),
        Builtin::Base64Binary => runtime_xml.insert("Base64Binary"),
        _ => false,
    };
    for field in plan.structs().flat_map(|s| s.fields.iter()) {
        field.builtin.map(&mut value_type);
    }
    for ty in &plan.types {
        match ty {
            TypePlan::Alias(alias) => value_type(alias.base),
            TypePlan::Enum(e) => value_type(e.base),
            _ => false,
        };
    }
    if plan.structs().flat_map(|s| s.fields.iter()).any(|f| f.shape == Shape::Nillable) {
        runtime_xml.insert("Nillable");
    }
    if plan.types.iter().any(|t| matches!(t, TypePlan::Polymorphic(_))) {
        runtime.insert("DecodeErrorKind");
    }
    let has_enums = plan.types.iter().any(|t| matches!(t, TypePlan::Enum(_)));
    let xml = runtime_xml.iter().map(|name| format_ident!("{name}"));
    let top = runtime.iter().map(|name| format_ident!("{name}"));
    let fmt = has_enums.then(|| {
        quote!(
            use std::fmt;
        )
    });
    quote! {
        #fmt
        use mktows_runtime::xml::{#(#xml),*};
        use mktows_runtime::{#(#top),*};
    }
}
