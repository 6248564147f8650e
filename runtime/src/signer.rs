//! The signing hook: a service that wants every request to carry a freshly signed header
//! block gives its client a [`HeaderSigner`].

use std::fmt;

use crate::xml::ToXml;

/// Makes the signed header block of one request.
///
/// For an operation whose [`Operation::SIGNED_HEADER`](crate::Operation::SIGNED_HEADER) is
/// `Some(name)`, the client asks for a block per request and writes it first in the SOAP
/// Header by calling [`ToXml::write_xml`] with the name `tns:{name}` (qualified with the
/// service namespace), as it does for every other header block: the value writes that
/// element and its children.
///
/// `Debug` is required so that clients stay printable; implementations must keep secrets
/// out of it.
pub trait HeaderSigner: Send + Sync + fmt::Debug {
    /// The header block for one request, signed now.
    fn signed_header(&self) -> Box<dyn ToXml + Send + Sync>;
}
