//! Rust type names for schema names, clear of the names generated modules import.
//!
//! Generated modules glob-import the runtime's prelude and the standard prelude is always
//! in scope; a schema type named `Element`, `Result` or `String` would hide one of them
//! (or be hidden), so it gets `Type` appended.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use mktows_wsdl::{QName, Schema};
use proc_macro2::Ident;
use quote::format_ident;

use crate::names::type_name;

/// What `mktows_runtime::codegen` exports (kept equal by a test that reads the runtime's
/// source), and the standard prelude's types and traits.
pub(crate) const RESERVED: &[&str] = &[
    // mktows_runtime::codegen
    "AnyElement",
    "AnyXml",
    "FromXmlGroup",
    "ToXmlGroup",
    "Base64Binary",
    "BodyLayout",
    "ClientConfig",
    "ConfigError",
    "Date",
    "DateTime",
    "Decimal",
    "Duration",
    "GDay",
    "GMonth",
    "GMonthDay",
    "GYear",
    "GYearMonth",
    "HexBinary",
    "Time",
    "DecodeError",
    "DecodeErrorKind",
    "Element",
    "Error",
    "Fault",
    "FromXml",
    "HeaderBlock",
    "Headers",
    "HeaderSigner",
    "Nillable",
    "Operation",
    "OperationInfo",
    "RequestContext",
    "RequestError",
    "Response",
    "SimpleValue",
    "SoapClient",
    "SoapVersion",
    "ToXml",
    "XmlReader",
    "XmlWriter",
    "Future",
    // The standard prelude.
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Fn",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    // The item type parameter of a list type's `FromIterator`.
    "I",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    // A keyword, not a type: `self` as a type or operation name.
    "Self",
    "Send",
    "Sized",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Vec",
];

/// The Rust name of a schema type or operation.
pub(crate) fn rust_type_name(schema_name: &str) -> String {
    let name = type_name(schema_name);
    if RESERVED.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

pub(crate) fn type_ident(schema_name: &str) -> Ident {
    format_ident!("{}", rust_type_name(schema_name))
}

/// The Rust name of every schema type, decided once so that two schema names never become
/// one Rust name (`CancelBets` and the anonymous type of `cancelBets`, or `Item` in two
/// namespaces): named types keep theirs in document order, and a later one that would
/// collide gets `Type`, then `Type2`, ... appended; anonymous types come after named ones.
pub(crate) struct TypeNames {
    idents: HashMap<QName, String>,
    /// Every name given: the schema's, then those of generated types (see `fresh`).
    taken: RefCell<HashSet<String>>,
}

impl TypeNames {
    pub(crate) fn new(schema: &Schema) -> Self {
        let simple = schema.simple_types.iter().map(|t| (&t.name, t.anonymous));
        let complex = schema.complex_types.iter().map(|t| (&t.name, t.anonymous));
        let all: Vec<(&QName, bool)> = simple.chain(complex).collect();
        let ordered =
            all.iter().filter(|(_, anonymous)| !anonymous).chain(all.iter().filter(|(_, anonymous)| *anonymous));
        let (mut idents, mut taken) = (HashMap::new(), HashSet::new());
        for (name, _) in ordered {
            let base = rust_type_name(&name.local);
            let mut candidates = std::iter::once(base.clone())
                .chain(std::iter::once(format!("{base}Type")))
                .chain((2..).map(|n| format!("{base}Type{n}")));
            let chosen = candidates.find(|c| !taken.contains(c)).expect("the candidates never end");
            taken.insert(chosen.clone());
            idents.insert((*name).clone(), chosen);
        }
        Self { idents, taken: RefCell::new(taken) }
    }

    /// A name for a type the generator adds (the struct of a message's parts, say) that no
    /// schema type and no earlier added type has: `base`, else with `Type`, `Type2`, ...
    pub(crate) fn fresh(&self, base: &str) -> Ident {
        let base = rust_type_name(base);
        let mut taken = self.taken.borrow_mut();
        let mut candidates = std::iter::once(base.clone())
            .chain(std::iter::once(format!("{base}Type")))
            .chain((2..).map(|n| format!("{base}Type{n}")));
        let chosen = candidates.find(|c| !taken.contains(c)).expect("the candidates never end");
        taken.insert(chosen.clone());
        format_ident!("{chosen}")
    }

    /// Every Rust name given to a schema type.
    pub(crate) fn all(&self) -> impl Iterator<Item = String> + '_ {
        self.idents.values().cloned()
    }

    pub(crate) fn ident(&self, name: &QName) -> Ident {
        match self.idents.get(name) {
            Some(ident) => format_ident!("{ident}"),
            None => type_ident(&name.local),
        }
    }
}

/// `base`, else `base{separator}2`, `base{separator}3`, ...: the first that `taken` refuses
/// not (`GetLead2`, `get_lead_2`).
pub(crate) fn first_free(base: &str, separator: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}{separator}{n}")))
        .find(|candidate| !taken(candidate))
        .expect("the candidates never end")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names `use mktows_runtime::codegen::*` brings in, read from the runtime's source.
    fn prelude_exports() -> Vec<String> {
        fn collect(tree: &syn::UseTree, out: &mut Vec<String>) {
            match tree {
                syn::UseTree::Path(path) => collect(&path.tree, out),
                syn::UseTree::Name(name) if name.ident != "self" => out.push(name.ident.to_string()),
                syn::UseTree::Name(_) => {}
                syn::UseTree::Rename(rename) => out.push(rename.rename.to_string()),
                syn::UseTree::Group(group) => group.items.iter().for_each(|t| collect(t, out)),
                syn::UseTree::Glob(_) => panic!("the prelude must name what it exports"),
            }
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime/src/codegen.rs");
        let file = syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut names = Vec::new();
        for item in file.items {
            if let syn::Item::Use(item) = item {
                collect(&item.tree, &mut names);
            }
        }
        names
    }

    #[test]
    fn every_type_name_the_prelude_exports_is_reserved() {
        let exports = prelude_exports();
        assert!(exports.contains(&"XmlReader".to_owned()), "{exports:?}");
        for name in exports.iter().filter(|n| n.starts_with(char::is_uppercase)) {
            assert!(RESERVED.contains(&name.as_str()), "`{name}` is exported by the prelude but not reserved");
        }
    }

    #[test]
    fn schema_names_that_would_hide_an_import_get_a_suffix() {
        assert_eq!(rust_type_name("Element"), "ElementType");
        assert_eq!(rust_type_name("string"), "StringType");
        assert_eq!(rust_type_name("Result"), "ResultType");
        assert_eq!(rust_type_name("LeadRecord"), "LeadRecord");
        assert_eq!(rust_type_name("self"), "SelfType");
    }
}
