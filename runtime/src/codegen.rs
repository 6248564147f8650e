//! Everything generated code uses, in one import: every generated module starts with
//! `use mktows_runtime::codegen::*;` (as tonic's generated code imports `tonic::codegen`),
//! so the generator never computes import lists and a runtime change has one place to
//! land. The generator keeps schema type names clear of these names.

pub use std::fmt;
pub use std::future::Future;

pub use crate::client::{ClientConfig, ConfigError, Operation, OperationInfo, SoapClient};
pub use crate::error::{DecodeError, DecodeErrorKind, Error};
pub use crate::server::{self, RequestContext, RequestError, Response};
pub use crate::signer::HeaderSigner;
pub use crate::soap::{BodyLayout, Fault, HeaderBlock, Headers, SoapVersion};
pub use crate::xml::{AnyElement, AnyXml, FromXmlGroup, ToXmlGroup};
pub use crate::xml::{
    Base64Binary, Date, DateTime, Element, FromXml, Nillable, SimpleValue, ToXml, XmlReader, XmlWriter,
};
pub use crate::xml::{Decimal, Duration, GDay, GMonth, GMonthDay, GYear, GYearMonth, HexBinary, Time};

/// The conversions of a generated list type (one repeated element and nothing else):
/// `From<Vec<T>>`, `From<[U; N]>` of anything `Into<T>` (`["a@b.c"].into()`), `FromIterator` of the same (`["a", "b"].iter().copied().collect()`), `IntoIterator` owned and borrowed, and `Deref` to a slice,
/// written once here rather than in every generated crate.
#[doc(hidden)]
#[macro_export]
macro_rules! list_type {
    ($name:ident, $items:ident, $item:ty) => {
        impl From<Vec<$item>> for $name {
            fn from(items: Vec<$item>) -> Self {
                Self { $items: items }
            }
        }

        impl<U: Into<$item>> FromIterator<U> for $name {
            fn from_iter<I: IntoIterator<Item = U>>(items: I) -> Self {
                Self { $items: items.into_iter().map(Into::into).collect() }
            }
        }

        impl IntoIterator for $name {
            type Item = $item;
            type IntoIter = ::std::vec::IntoIter<$item>;
            fn into_iter(self) -> Self::IntoIter {
                self.$items.into_iter()
            }
        }

        impl<'a> IntoIterator for &'a $name {
            type Item = &'a $item;
            type IntoIter = ::std::slice::Iter<'a, $item>;
            fn into_iter(self) -> Self::IntoIter {
                self.$items.iter()
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = [$item];
            fn deref(&self) -> &[$item] {
                &self.$items
            }
        }

        impl $crate::paging::IntoItems for $name {
            type Item = $item;
            fn into_items(self) -> Vec<$item> {
                self.$items
            }
        }

        impl<U: Into<$item>, const N: usize> From<[U; N]> for $name {
            fn from(items: [U; N]) -> Self {
                Self { $items: items.into_iter().map(Into::into).collect() }
            }
        }

        impl ::std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut [$item] {
                &mut self.$items
            }
        }
    };
}
