//! The namespaces the messages use and the prefixes generated code writes them with: the
//! service namespace is `ns1`, the others `ns2`, `ns3`, ... in the order the plan meets
//! them. The runtime declares them all on every envelope (`Operation::EXTRA_NAMESPACES`).

use std::cell::RefCell;

use super::fields::SERVICE_PREFIX;

pub(crate) struct Namespaces {
    service: String,
    extra: RefCell<Vec<String>>,
}

impl Namespaces {
    pub(crate) fn new(service: &str) -> Self {
        Self { service: service.to_owned(), extra: RefCell::new(Vec::new()) }
    }

    pub(crate) fn service(&self) -> &str {
        &self.service
    }

    /// `prefix:local` for a name in `namespace`; a name in no namespace stays unprefixed.
    pub(crate) fn qualify(&self, namespace: &str, local: &str) -> String {
        if namespace.is_empty() {
            return local.to_owned();
        }
        if namespace == self.service {
            return format!("{SERVICE_PREFIX}:{local}");
        }
        let mut extra = self.extra.borrow_mut();
        let index = match extra.iter().position(|ns| ns == namespace) {
            Some(index) => index,
            None => {
                extra.push(namespace.to_owned());
                extra.len() - 1
            }
        };
        format!("ns{}:{local}", index + 2)
    }

    /// The namespaces besides the service's, in prefix order (`ns2` first).
    pub(crate) fn extra(&self) -> Vec<String> {
        self.extra.borrow().clone()
    }
}
