//! XML for generated types: a streaming writer, a pull reader on quick-xml, and the two
//! traits that every generated type implements.
//!
//! Element names are matched by local name, and by namespace where that is not enough: the
//! reader keeps the namespace declarations in scope (`XmlReader::namespace_of`,
//! `XmlReader::xsi_type_of`), and generated readers ask for the namespace only where two
//! children or two `xsi:type` values share a local name. Prefixes themselves carry no
//! meaning: services and their versions choose them freely.

mod builtins;
#[cfg(feature = "wsse")]
pub mod c14n;
mod calendar;
mod chars;
mod encoding;
pub(crate) mod namespaces;
mod raw;
mod reader;
mod simple;
pub(crate) mod tokens;
mod values;
mod writer;

pub use builtins::{Decimal, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, HexBinary, Time};
pub use calendar::{civil_from_days, days_from_civil, is_calendar_date, CalendarError};
pub use raw::{AnyElement, AnyXml};
pub use reader::{Element, XmlReader, MAX_VALUE_DEPTH};
pub use simple::SimpleValue;
pub use values::{Base64Binary, Date, DateTime, Nillable};
pub use writer::XmlWriter;

pub(crate) use chars::describe as describe_character;
#[cfg(feature = "json")]
pub(crate) use chars::first_forbidden;
pub(crate) use encoding::without_byte_order_mark;
pub(crate) use reader::line_column;

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
    #[inline]
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

/// A group of sibling elements inside a type (a choice, or a sequence that repeats or is one
/// alternative of a choice): read from its first element and the siblings after it that
/// belong to it.
pub trait FromXmlGroup: Sized {
    /// `first` is the child of `parent` that starts the group; the first later sibling that
    /// does not belong to it is handed back with [`XmlReader::push_back`].
    fn read_group<'a>(r: &mut XmlReader<'a>, parent: &Element<'a>, first: &Element<'a>) -> Result<Self, DecodeError>;
}

/// A group of sibling elements, written inside its parent's tags.
pub trait ToXmlGroup {
    fn write_group(&self, w: &mut XmlWriter);
}

impl<T: FromXmlGroup> FromXmlGroup for Box<T> {
    fn read_group<'a>(r: &mut XmlReader<'a>, parent: &Element<'a>, first: &Element<'a>) -> Result<Self, DecodeError> {
        T::read_group(r, parent, first).map(Box::new)
    }
}

impl<T: ToXmlGroup> ToXmlGroup for Box<T> {
    fn write_group(&self, w: &mut XmlWriter) {
        (**self).write_group(w)
    }
}
