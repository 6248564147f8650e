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
