//! Layers: the one extension point between a typed call and the wire. Every call of a
//! [`SoapClient`](crate::SoapClient) passes through its layers, in the order they were added:
//!
//! 1. [`Layer::headers`]: header blocks to write into the SOAP Header (WS-Security,
//!    WS-Addressing, a session header from an earlier login call, a service's signed
//!    header), before the envelope is written, so that nothing is copied to make room.
//! 2. [`Layer::prepare`]: the written request, whose envelope and HTTP headers a layer
//!    may change (a signature over the Body, an `Authorization` header).
//! 3. [`Layer::exchange`]: around the exchange itself, seeing the request as sent and the
//!    response before it is decoded (a history of exchanges, a token refreshed on a 401).
//!
//! Hooks 1 and 2 also run for [`SoapClient::encode`](crate::SoapClient::encode), so what it
//! returns is what a call sends. A retried call runs them again: each attempt gets fresh
//! nonces, timestamps and signatures.
//!
//! Why not tower's `Layer`/`Service`: a SOAP call has no readiness to poll and no stack of
//! types to compose; what a layer needs is the call's metadata, the envelope and one async
//! hook around the exchange, as reqwest-middleware's `Middleware` and `Next` give (a
//! boxed future per layer per call, nothing next to an HTTP exchange).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::ErrorKind;
use crate::soap::SoapVersion;
use crate::transport::{HttpResponse, Transport};
use crate::xml::ToXml;

#[cfg(feature = "wsa")]
pub mod addressing;
pub mod history;
pub mod http_auth;

/// A future a layer returns from [`Layer::exchange`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a layer knows about the call it is part of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallInfo {
    /// The WSDL name of the operation (`syncMultipleLeads`).
    pub operation: &'static str,
    pub soap_action: &'static str,
    pub version: SoapVersion,
    /// The service namespace, bound to `ns1` on the envelope.
    pub namespace: &'static str,
    /// The header element the operation's signed header is (see
    /// [`Operation::SIGNED_HEADER`](crate::Operation::SIGNED_HEADER)).
    pub signed_header: Option<&'static str>,
    /// The WS-Addressing action (see [`Operation::ACTION`](crate::Operation::ACTION)).
    pub action: &'static str,
    /// The endpoint, without userinfo (a credential there is not to be written anywhere).
    pub endpoint: Arc<str>,
}

/// One header block a layer adds: the element's name, as for a
/// [`HeaderBlock`](crate::HeaderBlock) (a local name is qualified with the service
/// namespace; `wsse:Security`, whose value declares `wsse` itself, is written as it is),
/// and its value.
pub struct OwnedHeaderBlock {
    pub name: String,
    pub value: Box<dyn ToXml + Send + Sync>,
}

/// The header blocks layers add to a request, around the caller's own.
#[derive(Default)]
pub struct OutgoingHeaders {
    pub(crate) first: Vec<OwnedHeaderBlock>,
    pub(crate) last: Vec<OwnedHeaderBlock>,
    caller: Vec<String>,
}

impl OutgoingHeaders {
    pub(crate) fn with_caller_names<'n>(names: impl Iterator<Item = &'n str>) -> Self {
        Self { caller: names.map(str::to_owned).collect(), ..Self::default() }
    }

    /// Whether the caller's own header blocks (typed `soap:header` parts) or a layer before
    /// this one already have a block of local name `local`: a layer then leaves its own out.
    pub fn has(&self, local: &str) -> bool {
        let local_of = |name: &str| name.rsplit(':').next() == Some(local);
        self.caller.iter().map(String::as_str).chain(self.names()).any(local_of)
    }

    /// Writes `value` as the element `name` before every other header block (after those
    /// earlier layers put first).
    pub fn push_first(&mut self, name: impl Into<String>, value: impl ToXml + Send + Sync + 'static) {
        self.first.push(OwnedHeaderBlock { name: name.into(), value: Box::new(value) });
    }

    /// Writes `value` as the element `name` after the caller's header blocks.
    pub fn push(&mut self, name: impl Into<String>, value: impl ToXml + Send + Sync + 'static) {
        self.last.push(OwnedHeaderBlock { name: name.into(), value: Box::new(value) });
    }

    /// The names of the blocks added so far, first ones first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.first.iter().chain(&self.last).map(|block| block.name.as_str())
    }
}

/// A request on its way out: the envelope as written and the HTTP headers sent besides
/// `Content-Type` and `SOAPAction`.
#[derive(Clone)]
pub struct Request {
    pub call: CallInfo,
    pub envelope: Vec<u8>,
    pub http_headers: Vec<(String, String)>,
}

impl Request {
    /// Sets the HTTP header `name` (any case), replacing one a layer before set.
    pub fn set_http_header(&mut self, name: &str, value: &str) {
        self.http_headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        self.http_headers.push((name.to_owned(), value.to_owned()));
    }
}

impl fmt::Debug for Request {
    // Envelopes and headers may hold credentials; a layer that logs them redacts them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.http_headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Request")
            .field("call", &self.call)
            .field("envelope_bytes", &self.envelope.len())
            .field("http_headers", &names)
            .finish()
    }
}

/// Why a layer stopped a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerError {
    message: String,
    stage: LayerStage,
}

/// How far a call got before a layer stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerStage {
    /// Nothing was sent.
    BeforeSending,
    /// The service refused the request before acting on it (a 401 asking for a scheme the
    /// client does not speak).
    Refused,
    /// The response was refused (a signature that does not verify): the service may have
    /// acted on the request.
    AfterSending,
}

impl LayerError {
    /// A refusal before anything was sent (no credentials to sign with, say).
    pub fn before_sending(message: impl Into<String>) -> Self {
        Self { message: message.into(), stage: LayerStage::BeforeSending }
    }

    /// The service's refusal, explained by the layer.
    pub fn refused(message: impl Into<String>) -> Self {
        Self { message: message.into(), stage: LayerStage::Refused }
    }

    /// A refusal of the response: the service may have acted on the request.
    pub fn after_sending(message: impl Into<String>) -> Self {
        Self { message: message.into(), stage: LayerStage::AfterSending }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn stage(&self) -> LayerStage {
        self.stage
    }

    /// Whether the service may have acted on the request.
    pub fn may_have_been_processed(&self) -> bool {
        self.stage == LayerStage::AfterSending
    }
}

impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LayerError {}

/// What every call passes through; each hook does nothing unless a layer says otherwise.
/// `Debug` is required so that clients stay printable: keep secrets out of it.
pub trait Layer: Send + Sync + fmt::Debug {
    /// Adds header blocks to the request about to be written.
    fn headers(&self, call: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        let _ = (call, headers);
        Ok(())
    }

    /// Changes the written request.
    fn prepare(&self, request: &mut Request) -> Result<(), LayerError> {
        let _ = request;
        Ok(())
    }

    /// Runs the exchange: `next.run(request)` sends it through the layers after this one,
    /// then the transport.
    fn exchange<'a>(&'a self, request: Request, next: Next<'a>) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        next.run(request)
    }
}

/// The layers after the current one, then the transport. `Copy`, so that a layer can send
/// a request again (with a refreshed token, say).
#[derive(Clone, Copy)]
pub struct Next<'a> {
    pub(crate) rest: &'a [Arc<dyn Layer>],
    pub(crate) transport: &'a Transport,
}

impl<'a> Next<'a> {
    pub fn run(self, request: Request) -> BoxFuture<'a, Result<HttpResponse, ErrorKind>> {
        match self.rest.split_first() {
            Some((layer, rest)) => layer.exchange(request, Next { rest, transport: self.transport }),
            None => Box::pin(self.transport.send(request)),
        }
    }
}

/// A service's signed header (Marketo's `AuthenticationHeader`) as a layer: for an
/// operation that has one, the [`HeaderSigner`](crate::HeaderSigner)'s block, signed now,
/// is the first in the SOAP Header, qualified with the service namespace.
#[derive(Debug)]
pub struct SignedHeader(pub Arc<dyn crate::HeaderSigner>);

impl Layer for SignedHeader {
    fn headers(&self, call: &CallInfo, headers: &mut OutgoingHeaders) -> Result<(), LayerError> {
        if let Some(name) = call.signed_header {
            headers.first.push(OwnedHeaderBlock { name: name.to_owned(), value: self.0.signed_header() });
        }
        Ok(())
    }
}
