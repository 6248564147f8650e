//! The hand-written runtime shared by every client that `mktows-codegen` generates: generic
//! SOAP 1.1, with nothing specific to one service.
//!
//! Generated crates hold only what differs per service (types, operations, the client
//! facade); a service layer adds what the WSDL cannot say (how requests are signed, what
//! fault details mean); everything else lives here:
//!
//! * [`layer`]: what every call passes through between the typed call and the wire
//!   ([`Layer`]: header blocks, changes to the written request, the exchange itself).
//! * [`signer`]: the [`HeaderSigner`] hook that fills a request's signed header block.
//! * [`xml`]: a streaming XML writer and a pull reader on quick-xml, and the
//!   [`xml::ToXml`] / [`xml::FromXml`] traits that generated types implement.
//! * [`soap`]: SOAP 1.1 envelopes and faults (the fault detail kept as sent).
//! * [`transport`]: HTTP on reqwest (rustls with ring, connection reuse, timeouts).
//! * [`error`]: the typed errors a call can end in.
//! * [`client`]: the generic call path that ties these together.
//! * [`server`]: reading requests and writing answers, for generated dispatchers.
//! * [`codegen`]: the one prelude generated code imports.
//! * [`round_trip`]: the sample round-trip check of generated crates' tests.
//! * `mtom` (the `mtom` feature): MTOM/XOP attachments, read transparently from
//!   `multipart/related` responses and sent when a client asks.
//! * `json` (the `json` feature): strict JSON input, and the generated crates' `soap`
//!   example (`soap_example!`).

pub mod client;
pub mod codegen;
pub mod error;
#[cfg(feature = "json")]
pub mod json;
pub mod layer;
#[cfg(feature = "mtom")]
pub mod mtom;
pub mod paging;
pub mod retry;
pub mod round_trip;
pub mod server;
pub mod signer;
pub mod soap;
pub mod transport;
#[cfg(feature = "wsse")]
pub mod wsse;
pub mod xml;

/// The HTTP client crate, at the version `ClientConfig::http_client` takes: build your own
/// `reqwest::Client` with [`transport::http_client_builder`] (its `Client::builder()`, with
/// rustls's crypto provider installed) without matching versions by hand.
pub use reqwest;

pub use client::{ClientConfig, ConfigError, Operation, OperationInfo, SoapClient};
pub use error::{DecodeError, DecodeErrorKind, EncodeError, Error, ErrorKind, TransportError, TransportStage};
pub use layer::{Layer, LayerError, LayerStage};
pub use retry::RetryPolicy;
pub use signer::HeaderSigner;
pub use soap::{BodyLayout, Fault, HeaderBlock, SoapVersion};
pub use xml::{AnyElement, AnyXml, FromXmlGroup, ToXmlGroup};
pub use xml::{Base64Binary, Date, DateTime, FromXml, Nillable, ToXml, XmlReader, XmlWriter};
