//! The Rust-facing plan: everything the renderers need, computed once from the model.
//!
//! Names, occurrence shapes, Rust types, boxing, `Default` and documentation are decided
//! here and nowhere else; `render` only turns a [`Plan`] into tokens. Adding a schema
//! construct means extending the model, teaching this stage how it maps to Rust, and
//! rendering the new plan items.

mod attributes;
mod checks;
mod fields;
mod namespaces;
mod naming;
mod operations;
mod support;
mod types;

use mktows_wsdl::Wsdl;
use proc_macro2::{Ident, TokenStream};

use crate::{Error, Options};

pub(crate) use attributes::{AttributePlan, ValuePlan};
pub(crate) use fields::{FieldPlan, Shape};
pub(crate) use operations::OperationPlan;
pub(crate) use types::{AliasPlan, EnumPlan, PolymorphicPlan, StructPlan, TypePlan};

/// The whole generated crate, decided.
pub(crate) struct Plan {
    /// The WSDL's file name or URL, for headers and docs.
    pub source_name: String,
    /// `wsdl:service/@name`, when the WSDL has a service.
    pub service_name: Option<String>,
    /// The service namespace, bound to `ns1`.
    pub namespace: String,
    /// The other namespaces the messages use, bound to `ns2`, `ns3`, ... in this order.
    pub extra_namespaces: Vec<String>,
    /// The `soap:address` of the chosen port.
    pub endpoint: Option<String>,
    /// Simple types first, then complex types, each in document order.
    pub types: Vec<TypePlan>,
    /// In the port type's order.
    pub operations: Vec<OperationPlan>,
    /// Operations left out, with why: "`op`: file:line:column: reason" (the WSDL defines them
    /// incompletely, or they use what the generator does not support yet).
    pub left_out: Vec<String>,
    /// Schema types not generated, with why.
    pub types_left_out: Vec<String>,
    /// Which parts to write.
    pub client: bool,
    pub server: bool,
    /// The credentials type `Client::new` takes, when a signer fills a header.
    pub credentials: Option<TokenStream>,
    /// Paths `lib.rs` re-exports.
    pub reexports: Vec<TokenStream>,
    pub endpoint_doc: Option<String>,
    /// The feature gating serde code; `None` for none.
    pub serde_feature: Option<String>,
}

/// The local variable names of a generated reader: field locals are chosen so they never
/// shadow these.
pub(crate) struct ReaderNames {
    pub reader: &'static str,
    pub element: &'static str,
    pub child: &'static str,
}

pub(crate) const READER: ReaderNames = ReaderNames { reader: "r", element: "element", child: "child" };

impl ReaderNames {
    fn contains(&self, name: &str) -> bool {
        [self.reader, self.element, self.child].contains(&name)
    }

    /// The reader, the element being read and the current child, as identifiers.
    pub(crate) fn idents(&self) -> (Ident, Ident, Ident) {
        let new = |name: &str| Ident::new(name, proc_macro2::Span::call_site());
        (new(self.reader), new(self.element), new(self.child))
    }
}

impl Plan {
    pub(crate) fn build(wsdl: &Wsdl, options: &Options) -> Result<Self, Error> {
        let (binding, service, endpoint) = support::choose_binding(wsdl)?;
        let supported = support::supported_schema(wsdl, binding);
        let (wsdl, binding) = (&supported.wsdl, &supported.binding);
        let analysis = types::Analysis::new(wsdl)?;
        checks::unique_names(wsdl)?;
        let signed_header = options.signing.as_ref().map(|s| s.header_element.as_str());
        let namespaces = namespaces::Namespaces::new(&service_namespace(wsdl, binding));
        let (operations, refused) =
            operations::plan_operations(wsdl, binding, signed_header, &namespaces, &analysis.names);
        let usage = types::Usage::of(&wsdl.schema, &operations, options.client);
        let types = types::plan_types(&wsdl.schema, &analysis, &usage, &namespaces);
        let (namespace, extra_namespaces) = (namespaces.service().to_owned(), namespaces.extra());
        Ok(Self {
            source_name: wsdl.source_name.clone(),
            service_name: service.map(|s| s.name.clone()),
            namespace,
            extra_namespaces,
            endpoint,
            types,
            operations,
            left_out: binding
                .unusable
                .iter()
                .map(|u| format!("`{}`: {}", u.name, u.error))
                .chain(supported.operations_left_out.iter().cloned())
                .chain(refused)
                .collect(),
            types_left_out: supported.types_left_out.clone(),
            client: options.client,
            server: options.server,
            credentials: options.signing.as_ref().map(|s| rust_path(&s.credentials_type)).transpose()?,
            reexports: options.reexports.iter().map(|p| use_tree(p)).collect::<Result<_, _>>()?,
            endpoint_doc: options.endpoint_doc.clone(),
            serde_feature: options.serde_feature.clone(),
        })
    }
}

/// The namespace bound to `ns1`: that of the first operation's request element (where
/// the body elements usually are), else the WSDL's target namespace.
fn service_namespace(wsdl: &Wsdl, binding: &mktows_wsdl::Binding) -> String {
    let first_body = binding.operations.iter().flat_map(|op| &op.input.body).find_map(|part| match &part.content {
        mktows_wsdl::PartContent::Element(element) if !element.namespace.is_empty() => Some(element.namespace.clone()),
        _ => None,
    });
    first_body.unwrap_or_else(|| wsdl.target_namespace.clone())
}

/// A Rust path given in the options, checked.
fn rust_path(path: &str) -> Result<TokenStream, Error> {
    syn::parse_str::<syn::Path>(path).map(|p| quote::quote!(#p)).map_err(|e| Error {
        message: format!("option `{path}` is not a Rust path: {e}"),
        location: None,
        file: None,
    })
}

/// A `use` tree given in the options (`mktows_marketo::{Credentials, Timestamp}`), checked.
fn use_tree(tree: &str) -> Result<TokenStream, Error> {
    syn::parse_str::<syn::UseTree>(tree).map(|t| quote::quote!(#t)).map_err(|e| Error {
        message: format!("re-export `{tree}` is not a Rust use tree: {e}"),
        location: None,
        file: None,
    })
}

/// An identifier for generated code (`r#type` for keywords).
pub(crate) fn ident(name: &str) -> Ident {
    crate::names::ident(name)
}
