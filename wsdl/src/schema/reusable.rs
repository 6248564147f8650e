//! Top-level definitions that are used by reference: `xs:group`, `xs:attributeGroup` and
//! `xs:attribute`. They are read where a `ref=` names them, so an unused one costs nothing
//! and cannot stop a WSDL from loading.

use crate::xml::Attr;
use std::collections::HashMap;

use super::{xsd_name, Scope};
use crate::model::QName;
use crate::Node;

/// A definition and the schema it stands in (its namespace and form defaults).
#[derive(Clone, Copy)]
pub(crate) struct Definition<'d, 'input, 'c> {
    pub scope: Scope<'d, 'input, 'c>,
    pub node: Node<'d, 'input>,
}

#[derive(Default)]
pub(crate) struct Reusable<'d, 'input, 'c> {
    pub groups: HashMap<QName, Definition<'d, 'input, 'c>>,
    pub attribute_groups: HashMap<QName, Definition<'d, 'input, 'c>>,
    pub attributes: HashMap<QName, Definition<'d, 'input, 'c>>,
}

impl<'d, 'input, 'c> Reusable<'d, 'input, 'c> {
    pub(crate) fn collect(scopes: &[Scope<'d, 'input, 'c>]) -> Self {
        let mut reusable = Self::default();
        for scope in scopes {
            for node in scope.ctx.children(scope.node) {
                let Some(local) = node.attr("name") else { continue };
                let table = match xsd_name(node) {
                    Some("group") => &mut reusable.groups,
                    Some("attributeGroup") => &mut reusable.attribute_groups,
                    Some("attribute") => &mut reusable.attributes,
                    _ => continue,
                };
                table.entry(QName::new(scope.tns, local)).or_insert(Definition { scope: *scope, node });
            }
        }
        reusable
    }
}
