//! The hand-written runtime shared by every client that `mktows-codegen` generates.
//!
//! Generated crates hold only what differs per service (types, operations, the client
//! facade); everything else lives here:
//!
//! * [`auth`]: Marketo credentials and the HMAC-SHA1 request signature.
//! * [`xml`]: a streaming XML writer and a pull reader on quick-xml, and the
//!   [`xml::ToXml`] / [`xml::FromXml`] traits that generated types implement.
//! * [`soap`]: SOAP 1.1 envelopes, faults and Marketo's `serviceException` detail.
//! * [`transport`]: HTTP on reqwest (rustls, connection reuse, timeouts).
//! * [`error`]: the typed errors a call can end in.
//! * [`client`]: the generic call path that ties these together.
//! * [`server`]: reading requests and writing answers, for generated dispatchers.
//! * [`codegen`]: the one prelude generated code imports.

pub mod auth;
pub mod client;
pub mod codegen;
pub mod error;
pub mod server;
pub mod soap;
pub mod transport;
pub mod xml;

pub use auth::{Credentials, SignedHeader, Timestamp};
pub use client::{ClientConfig, ConfigError, Operation, OperationInfo, SoapClient};
pub use error::{DecodeError, DecodeErrorKind, Error, ErrorKind};
pub use soap::{Fault, HeaderBlock, ServiceException};
pub use xml::{Base64Binary, Date, DateTime, FromXml, Nillable, ToXml, XmlReader, XmlWriter};
