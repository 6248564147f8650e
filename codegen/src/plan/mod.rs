//! The Rust-facing plan: everything the renderers need, computed once from the model.
//!
//! Names, occurrence shapes, Rust types, boxing, `Default` and documentation are decided
//! here and nowhere else; `render` only turns a [`Plan`] into tokens. Adding a schema
//! construct means extending the model, teaching this stage how it maps to Rust, and
//! rendering the new plan items.

mod attributes;
mod defaults;
mod fields;
mod groups;
mod messages;
mod namespaces;
mod naming;
mod normalize;
mod operations;
mod paging;
mod recursion;
mod support;
mod types;

use mktows_wsdl::Wsdl;
use proc_macro2::{Ident, TokenStream};

use crate::{Error, Options};

pub(crate) use attributes::{AttributePlan, ValuePlan};
pub(crate) use fields::{FieldPlan, Shape};
pub(crate) use groups::{ChoicePlan, Member, VariantKind};
pub(crate) use messages::Layout;
pub(crate) use operations::{FaultsPlan, OperationPlan};
pub(crate) use types::{AliasPlan, EnumPlan, PolymorphicPlan, PolymorphicVariant, StructPlan, TypePlan};

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
    /// Whether the chosen binding is SOAP 1.2 (else 1.1).
    pub soap12: bool,
    /// Which binding, port and service the client speaks, when the WSDL offers a choice.
    pub binding_doc: Option<String>,
    /// Simple types first, then complex types, each in document order.
    pub types: Vec<TypePlan>,
    /// In the port type's order.
    pub operations: Vec<OperationPlan>,
    /// Whether an operation's request is an empty Body (its input has no parts), so the
    /// server must take one.
    pub accepts_empty_body: bool,
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
    /// See [`Options::crate_name`] and [`Options::crate_example`].
    pub crate_name: Option<String>,
    pub crate_example: Option<String>,
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
    pub(crate) fn contains(&self, name: &str) -> bool {
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
        let choice = choose_binding(wsdl, options)?;
        let (binding, service, endpoint) = (choice.binding, choice.service, choice.endpoint.clone());
        let chosen;
        let binding = match &options.operations {
            Some(names) => {
                chosen = support::only_operations(wsdl, binding, names)?;
                &chosen
            }
            None => binding,
        };
        let mut supported = support::supported_schema(wsdl, binding);
        if options.operations.is_some() {
            support::keep_reached_types(&mut supported);
        }
        let (wsdl, binding) = (&supported.wsdl, &supported.binding);
        let analysis = types::Analysis::new(wsdl)?;
        let signed_header = options.signing.as_ref().map(|s| s.header_element.as_str());
        let namespaces = namespaces::Namespaces::new(&service_namespace(wsdl, binding));
        let (mut operations, messages, refused) =
            operations::plan_operations(wsdl, binding, signed_header, &namespaces, &analysis);
        for operation in &mut operations {
            if let Some((_, doc)) = options.operation_docs.iter().find(|(name, _)| *name == operation.name) {
                operation.doc = Some(doc.clone());
            }
        }
        let usage = types::Usage::of(&wsdl.schema, &operations, options.client);
        let mut types = types::plan_types(&wsdl.schema, &analysis, &usage, &namespaces);
        types.extend(messages.into_iter().map(TypePlan::Struct));
        let in_binding = |name: &str| choice.binding.operations.iter().any(|op| op.name == name);
        plan_paging(&mut operations, &options.pagination, &types, in_binding)?;
        let (namespace, extra_namespaces) = (namespaces.service().to_owned(), namespaces.extra());
        Ok(Self {
            source_name: wsdl.source_name.clone(),
            service_name: service.map(|s| s.name.clone()),
            namespace,
            extra_namespaces,
            endpoint,
            soap12: binding.protocol == mktows_wsdl::Protocol::Soap12,
            binding_doc: choice.doc,
            types,
            accepts_empty_body: operations.iter().any(|op| op.input_is_unit),
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
            crate_name: options.crate_name.clone(),
            crate_example: options.crate_example.clone(),
        })
    }
}

/// The paging methods a service layer asks for. An operation the binding does not have, a
/// path that names no field, or a method name taken is an error; an operation left out
/// (not chosen, or not supported) simply gets none.
fn plan_paging(
    operations: &mut [OperationPlan],
    pagination: &[crate::Pagination],
    types: &[TypePlan],
    in_binding: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    let error = |message: String| Error { message, location: None, file: None };
    for described in pagination {
        let Some(index) = operations.iter().position(|op| op.name == described.operation) else {
            match in_binding(&described.operation) {
                true => continue,
                false => {
                    return Err(error(format!("pagination: the binding has no operation `{}`", described.operation)))
                }
            }
        };
        let pages = paging::pages_plan(&operations[index], described, types)
            .map_err(|message| error(format!("pagination of `{}`: {message}", described.operation)))?;
        let taken = |method: &Ident| operations.iter().any(|op| op.method == *method);
        let names = pages.iter().flat_map(|p| std::iter::once(&p.method).chain(p.items.as_ref().map(|i| &i.method)));
        if let Some(method) = names.clone().find(|method| taken(method)) {
            return Err(error(format!(
                "pagination of `{}`: an operation's method is `{method}` already",
                described.operation
            )));
        }
        operations[index].pages = pages;
    }
    Ok(())
}

/// The binding the client speaks, as `Plan::build` chooses it.
pub(crate) fn choose_binding<'w>(wsdl: &'w Wsdl, options: &Options) -> Result<support::BindingChoice<'w>, Error> {
    support::choose_binding(wsdl, options.prefer_soap12)
}

/// The namespace bound to `ns1`: that of the first operation's request element (where
/// the body elements usually are), else that of the first RPC wrapper element
/// (`soap:body/@namespace`), else the WSDL's target namespace.
fn service_namespace(wsdl: &Wsdl, binding: &mktows_wsdl::Binding) -> String {
    let first_body = binding.operations.iter().flat_map(|op| &op.input.body).find_map(|part| match &part.content {
        mktows_wsdl::PartContent::Element(element) if !element.namespace.is_empty() => Some(element.namespace.clone()),
        _ => None,
    });
    let first_rpc = || {
        let rpc = binding.operations.iter().filter(|op| op.style == mktows_wsdl::Style::Rpc);
        rpc.filter_map(|op| op.input.namespace.clone()).find(|namespace| !namespace.is_empty())
    };
    first_body.or_else(first_rpc).unwrap_or_else(|| wsdl.target_namespace.clone())
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
