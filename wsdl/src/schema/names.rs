//! The symbol table: every named type and global element of every schema, known before any
//! content is read, and the names given to anonymous types.

use crate::xml::Attr;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::{xsd_name, Scope};
use crate::model::{Builtin, QName, TypeRef};
use crate::{Error, ErrorKind};

/// What a global element holds, for `ref=` particles and message parts.
#[derive(Debug, Clone)]
pub(crate) struct GlobalDecl {
    pub type_ref: TypeRef,
    pub nillable: bool,
}

pub(crate) struct Names {
    simple: HashSet<QName>,
    complex: HashSet<QName>,
    elements: HashMap<QName, GlobalDecl>,
    /// Every type name in use, named or derived, so a derived name never takes one.
    taken: RefCell<HashSet<QName>>,
}

impl Names {
    pub(crate) fn collect(scopes: &[Scope<'_, '_, '_>]) -> Result<Self, Error> {
        let mut names = Self {
            simple: HashSet::new(),
            complex: HashSet::new(),
            elements: HashMap::new(),
            taken: RefCell::new(HashSet::new()),
        };
        for scope in scopes {
            for node in scope.ctx.children(scope.node) {
                let Some(local) = node.attr("name") else { continue };
                let name = QName::new(scope.tns, local);
                match xsd_name(node) {
                    Some("simpleType") => names.simple.insert(name.clone()),
                    Some("complexType") => names.complex.insert(name.clone()),
                    _ => continue,
                };
                names.taken.borrow_mut().insert(name);
            }
        }
        // Elements second: their types may be any of the above, or anonymous.
        for scope in scopes {
            for node in scope.ctx.children(scope.node).filter(|n| xsd_name(*n) == Some("element")) {
                let Some(local) = node.attr("name") else { continue };
                let type_ref = match node.attr("type") {
                    Some(_) => {
                        let type_name = scope.ctx.resolve_qname(node, "type")?;
                        names.resolve(&type_name).map_err(|kind| scope.ctx.err(node, kind))?
                    }
                    None => match scope.ctx.children(node).find_map(|c| xsd_name(c).filter(|n| *n != "annotation")) {
                        Some("simpleType") => TypeRef::Simple(names.derive(scope.tns, local)),
                        Some("complexType") => TypeRef::Complex(names.derive(scope.tns, local)),
                        // No type at all is the ur-type: any content.
                        _ => TypeRef::Builtin(Builtin::AnyType),
                    },
                };
                let nillable = super::parse_bool(scope.ctx, node, "nillable")?.unwrap_or(false);
                names.elements.insert(QName::new(scope.tns, local), GlobalDecl { type_ref, nillable });
            }
        }
        Ok(names)
    }

    /// The type a `type=` or `base=` reference names.
    pub(crate) fn resolve(&self, name: &QName) -> Result<TypeRef, ErrorKind> {
        super::resolve_with(name, |n| self.simple.contains(n), |n| self.complex.contains(n))
    }

    pub(crate) fn element(&self, name: &QName) -> Option<&GlobalDecl> {
        self.elements.get(name)
    }

    /// A name for an anonymous type written at `path` (`Order_item` for the element `item`
    /// of the type `Order`): stable, and never one that another type has.
    pub(crate) fn derive(&self, namespace: &str, path: &str) -> QName {
        let mut taken = self.taken.borrow_mut();
        let candidates = std::iter::once(path.to_owned())
            .chain(std::iter::once(format!("{path}_Type")))
            .chain((2..).map(|n| format!("{path}_Type{n}")));
        for candidate in candidates {
            let name = QName::new(namespace, candidate);
            if taken.insert(name.clone()) {
                return name;
            }
        }
        unreachable!("the candidates never end")
    }
}
