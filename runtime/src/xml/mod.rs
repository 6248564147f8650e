//! XML for generated types: a streaming writer, a pull reader on quick-xml, and the two
//! traits that every generated type implements.
//!
//! Element names are matched by local name: a schema's global elements are qualified with the
//! service namespace and their children are unqualified, and responses from different
//! versions of a service use different prefixes, so the prefix carries no information worth
//! checking.

mod builtins;
mod chars;
mod encoding;
mod reader;
mod values;
mod writer;

pub use builtins::{Decimal, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, HexBinary, Time};
pub use reader::{Element, XmlReader};
pub use values::{Base64Binary, Date, DateTime, Nillable};
pub use writer::XmlWriter;

pub(crate) use chars::describe as describe_character;
#[cfg(feature = "json")]
pub(crate) use chars::first_forbidden;

use crate::error::DecodeError;

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A value that can be written as one XML element named `name`.
pub trait ToXml {
    fn write_xml(&self, w: &mut XmlWriter, name: &str);
}

/// A value that can be read from the XML element `element`, whose start tag has just been
/// read. Implementations consume everything up to and including the matching end tag.
pub trait FromXml: Sized {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError>;
}

impl<T: ToXml + ?Sized> ToXml for &T {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        (**self).write_xml(w, name)
    }
}

/// Recursive schema types hold their recursive field in a `Box`.
impl<T: ToXml> ToXml for Box<T> {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        (**self).write_xml(w, name)
    }
}

impl<T: FromXml> FromXml for Box<T> {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        T::read_xml(r, element).map(Box::new)
    }
}
