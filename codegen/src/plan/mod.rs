//! The Rust-facing plan: everything the renderers need, computed once from the model.
//!
//! Names, occurrence shapes, Rust types, boxing, `Default` and documentation are decided
//! here and nowhere else; `render` only turns a [`Plan`] into tokens. Adding a schema
//! construct means extending the model, teaching this stage how it maps to Rust, and
//! rendering the new plan items.

mod checks;
mod fields;
mod operations;
mod types;

use mktows_wsdl::Wsdl;
use proc_macro2::Ident;

use crate::Error;

pub(crate) use fields::{FieldPlan, Shape};
pub(crate) use operations::OperationPlan;
pub(crate) use types::{AliasPlan, EnumPlan, PolymorphicPlan, StructPlan, TypePlan};

/// The whole generated crate, decided.
pub(crate) struct Plan {
    /// The WSDL's file name or URL, for headers and docs.
    pub source_name: String,
    /// `wsdl:service/@name`, when the WSDL has a service.
    pub service_name: Option<String>,
    /// The service namespace: body elements and `xsi:type` values are qualified with it.
    pub namespace: String,
    /// The `soap:address` of the chosen port.
    pub endpoint: Option<String>,
    /// Simple types first, then complex types, each in document order.
    pub types: Vec<TypePlan>,
    /// In the port type's order.
    pub operations: Vec<OperationPlan>,
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
    pub(crate) fn build(wsdl: &Wsdl) -> Result<Self, Error> {
        let analysis = types::Analysis::new(&wsdl.schema)?;
        checks::unique_names(&wsdl.schema)?;
        let usage = types::Usage::of(wsdl);
        let types = types::plan_types(&wsdl.schema, &analysis, &usage);
        let operations = operations::plan_operations(wsdl)?;
        Ok(Self {
            source_name: wsdl.source_name.clone(),
            service_name: wsdl.service.as_ref().map(|s| s.name.clone()),
            namespace: wsdl.target_namespace.clone(),
            endpoint: wsdl.service.as_ref().and_then(|s| s.address.clone()),
            types,
            operations,
        })
    }

    pub(crate) fn structs(&self) -> impl Iterator<Item = &StructPlan> {
        self.types.iter().filter_map(|t| match t {
            TypePlan::Struct(s) => Some(s),
            _ => None,
        })
    }
}

/// An identifier for generated code (`r#type` for keywords).
pub(crate) fn ident(name: &str) -> Ident {
    crate::names::ident(name)
}
