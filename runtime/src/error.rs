//! Typed errors. A call ends in exactly one [`Error`], which names the operation and one
//! [`ErrorKind`]; decoding problems carry line:column and the element path.

use crate::layer::{LayerError, LayerStage};
use std::fmt;

use crate::soap::Fault;

/// Why a response (or request) document could not be turned into a typed value.
///
/// Boxed, so that the `Result`s passed up through every element of a successful parse stay
/// one word wide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    kind: DecodeErrorKind,
    line: u32,
    column: u32,
    /// Outermost element first.
    path: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The bytes are not well-formed XML (or not UTF-8).
    Malformed(String),
    /// The document ended inside an element.
    UnexpectedEof,
    /// An element other than the one the schema or the SOAP envelope requires here.
    UnexpectedElement { expected: String, found: String },
    /// A required element (`minOccurs="1"`) is not there.
    MissingElement { element: String },
    /// A required attribute (`use="required"`) is not there.
    MissingAttribute { attribute: String },
    /// Text that does not parse as the element's schema type.
    InvalidValue { value: String, expected: &'static str },
    /// `xsi:nil` on an element whose schema does not allow it.
    UnexpectedNil,
    /// Character data where the schema allows only elements.
    UnexpectedText { text: String },
    /// An `xsi:type` that is not one of the types derived from the element's type.
    UnknownType { type_name: String },
    /// Values nested deeper than [`crate::xml::MAX_VALUE_DEPTH`] (a recursive type, say): each
    /// level is a call, and a hostile response must not exhaust the stack.
    TooDeep { limit: usize },
    /// An MTOM/XOP attachment problem (the `mtom` feature): a `multipart/related` body that
    /// cannot be read, an `xop:Include` naming a part the message does not hold, or one in a
    /// message that is not a package.
    Attachment(String),
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, (line, column): (u32, u32)) -> Self {
        Self(Box::new(Details { kind, line, column, path: Vec::new() }))
    }

    pub fn kind(&self) -> &DecodeErrorKind {
        &self.0.kind
    }

    /// 1-based line of the offending input.
    pub fn line(&self) -> u32 {
        self.0.line
    }

    /// 1-based column (in characters) of the offending input.
    pub fn column(&self) -> u32 {
        self.0.column
    }

    /// Element names from the document root down to where the error occurred.
    pub fn path(&self) -> &[String] {
        &self.0.path
    }

    /// Records that the error happened inside element `name` (called while unwinding, so the
    /// path is built innermost first and reversed on display).
    pub(crate) fn within(mut self, name: &str) -> Self {
        self.0.path.insert(0, name.to_owned());
        self
    }

    /// The same place and path, with another kind (a clearer account of the same fault).
    #[cfg(feature = "mtom")]
    pub(crate) fn with_kind(mut self, kind: DecodeErrorKind) -> Self {
        self.0.kind = kind;
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line(), self.column())?;
        match self.kind() {
            DecodeErrorKind::Malformed(message) => write!(f, "malformed XML: {message}")?,
            DecodeErrorKind::UnexpectedEof => f.write_str("the document ends inside an element")?,
            DecodeErrorKind::UnexpectedElement { expected, found } => {
                write!(f, "expected element <{expected}>, found <{found}>")?
            }
            DecodeErrorKind::MissingElement { element } => write!(f, "required element <{element}> is missing")?,
            DecodeErrorKind::MissingAttribute { attribute } => {
                write!(f, "required attribute `{attribute}` is missing")?
            }
            DecodeErrorKind::InvalidValue { value, expected } => write!(f, "`{value}` is not a valid {expected}")?,
            DecodeErrorKind::UnexpectedNil => f.write_str("xsi:nil on an element that is not nillable")?,
            DecodeErrorKind::UnexpectedText { text } => {
                write!(f, "unexpected text `{text}` where only elements may appear")?
            }
            DecodeErrorKind::UnknownType { type_name } => write!(f, "unknown xsi:type `{type_name}`")?,
            DecodeErrorKind::TooDeep { limit } => write!(f, "values nest more than {limit} deep here")?,
            DecodeErrorKind::Attachment(message) => write!(f, "MTOM: {message}")?,
        }
        if !self.path().is_empty() {
            write!(f, " (in /{})", self.path().join("/"))?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// Why a value could not be written as XML: its text holds a character XML 1.0 cannot
/// carry (NUL or another control character, say). Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    character: char,
    /// Outermost element first; the last is the one whose text holds the character.
    path: Vec<String>,
}

impl EncodeError {
    pub(crate) fn new(character: char, path: Vec<String>) -> Self {
        Self { character, path }
    }

    /// The first character that could not be written.
    pub fn character(&self) -> char {
        self.character
    }

    /// Local names of the elements from the document root down to the one holding it.
    pub fn path(&self) -> &[String] {
        &self.path
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (in /{})", crate::xml::describe_character(self.character), self.path.join("/"))
    }
}

impl std::error::Error for EncodeError {}

/// `text`, then each cause from `source` down, `: `-separated; a cause whose text is shown
/// already is left out (`cannot connect: tcp connect error: Connection refused`). HTTP
/// clients' own messages name only the outermost step.
pub fn with_causes(mut text: String, source: Option<&(dyn std::error::Error + 'static)>) -> String {
    let mut cause = source;
    while let Some(current) = cause {
        let cause_text = current.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        cause = current.source();
    }
    text
}

/// How far a request got when its connection failed: what a resend may duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportStage {
    /// No connection was made (the name did not resolve, the connection was refused, the
    /// TLS handshake failed): nothing was sent.
    Connect,
    /// The connection failed while the request was sent or its answer awaited or read: the
    /// service may have received the request.
    Exchange,
}

/// A failed connection: how far the request got, and why, down to the root cause
/// (`cannot connect: tcp connect error: Connection refused (os error 111)`). The HTTP
/// client's own error is kept as the [`std::error::Error::source`], not in the type.
#[derive(Debug)]
pub struct TransportError {
    stage: TransportStage,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// `message` should name the root cause; `source` is kept for `source()`.
    pub fn new(
        stage: TransportStage,
        message: impl Into<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self { stage, message: message.into(), source }
    }

    pub fn stage(&self) -> TransportStage {
        self.stage
    }

    /// No connection was made, so nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.stage == TransportStage::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The error a generated client call returns: which operation, and what went wrong.
#[derive(Debug)]
pub struct Error {
    operation: &'static str,
    kind: Box<ErrorKind>,
}

#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request did not complete within the configured timeout.
    Timeout,
    /// Connecting, sending or receiving failed: [`TransportError::stage`] says whether the
    /// request can have reached the service.
    Transport(TransportError),
    /// A non-success HTTP status whose body is not a SOAP Fault.
    HttpStatus { status: u16, body: String },
    /// The request cannot be written as XML; it was not sent.
    Encode(EncodeError),
    /// The response is not the XML the operation should return.
    Decode(DecodeError),
    /// The service answered with a SOAP Fault.
    Fault(Fault),
    /// The client was configured wrongly (an endpoint that is not a URL, say).
    Config(String),
    /// A layer (see [`crate::layer`]) refused the request, or the response (a signature
    /// that does not verify); [`LayerError::stage`] says which.
    Layer(LayerError),
}

impl Error {
    pub fn new(operation: &'static str, kind: ErrorKind) -> Self {
        Self { operation, kind: Box::new(kind) }
    }

    /// The WSDL name of the operation that failed, such as `syncMultipleLeads`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The fault, when the service answered with one.
    pub fn fault(&self) -> Option<&Fault> {
        match &*self.kind {
            ErrorKind::Fault(fault) => Some(fault),
            _ => None,
        }
    }

    /// Whether the service may have received the request and acted on it, so that sending
    /// it again could do the work twice. `false` only where it surely did not: the request
    /// was never written ([`ErrorKind::Encode`], [`ErrorKind::Config`]), no connection was
    /// made ([`TransportStage::Connect`]: the name did not resolve, the connection was
    /// refused, TLS failed), or the service answered with a 4xx status, a refusal of the
    /// request as sent (HTTP 408, 413, 429 among them). A timeout, a connection that broke
    /// after the request went out, a 5xx (a proxy's 502 does not say what its upstream did),
    /// a fault and an unreadable answer all may have been processed; a service layer that
    /// knows its faults (a rate limit refused before anything happened) can say better.
    pub fn may_have_been_processed(&self) -> bool {
        match &*self.kind {
            ErrorKind::Encode(_) | ErrorKind::Config(_) => false,
            ErrorKind::Layer(e) => e.may_have_been_processed(),
            ErrorKind::Transport(e) => e.stage() != TransportStage::Connect,
            ErrorKind::HttpStatus { status, .. } => !(400..500).contains(status),
            ErrorKind::Timeout | ErrorKind::Fault(_) | ErrorKind::Decode(_) => true,
        }
    }

    /// Whether sending the same request again later may succeed, judged by how the call
    /// failed on the way: timeouts, transport failures, and HTTP 429 or 5xx without a SOAP
    /// fault. What a fault means is the service's to say, so a fault is not retryable here;
    /// a service layer can add the fault codes it knows to be transient.
    /// Whether a retry is *safe* (cannot create duplicates) is for the caller to judge.
    pub fn is_retryable(&self) -> bool {
        match &*self.kind {
            ErrorKind::Timeout | ErrorKind::Transport(_) => true,
            ErrorKind::HttpStatus { status, .. } => *status >= 500 || *status == 429,
            ErrorKind::Fault(_) | ErrorKind::Encode(_) | ErrorKind::Decode(_) | ErrorKind::Config(_) => false,
            ErrorKind::Layer(_) => false,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Timeout => f.write_str("the request timed out"),
            ErrorKind::Transport(e) => write!(f, "transport error: {e}"),
            ErrorKind::HttpStatus { status, body } => write!(f, "HTTP status {status}: {body}"),
            ErrorKind::Encode(e) => write!(f, "the request cannot be sent: {e}"),
            ErrorKind::Decode(e) => write!(f, "unreadable response: {e}"),
            ErrorKind::Fault(fault) => write!(f, "{fault}"),
            ErrorKind::Config(message) => write!(f, "configuration error: {message}"),
            ErrorKind::Layer(e) => match e.stage() {
                LayerStage::BeforeSending => write!(f, "the request was not sent: {e}"),
                LayerStage::Refused => write!(f, "the service refused the request: {e}"),
                LayerStage::AfterSending => write!(f, "the response was refused: {e}"),
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::Encode(e) => Some(e),
            ErrorKind::Decode(e) => Some(e),
            ErrorKind::Layer(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_have_been_processed_follows_how_far_the_request_got() {
        let error = |kind| Error::new("op", kind);
        let transport = |stage| ErrorKind::Transport(TransportError::new(stage, "x", None));
        let status = |status| ErrorKind::HttpStatus { status, body: String::new() };
        assert!(!error(transport(TransportStage::Connect)).may_have_been_processed());
        assert!(error(transport(TransportStage::Exchange)).may_have_been_processed());
        assert!(error(ErrorKind::Timeout).may_have_been_processed());
        for refused in [400, 408, 413, 429] {
            assert!(!error(status(refused)).may_have_been_processed(), "{refused}");
        }
        for unknown in [500, 502, 503, 504] {
            assert!(error(status(unknown)).may_have_been_processed(), "{unknown}");
        }
        assert!(!error(ErrorKind::Config("x".into())).may_have_been_processed());
        assert!(!error(ErrorKind::Layer(LayerError::before_sending("x"))).may_have_been_processed());
        assert!(error(ErrorKind::Layer(LayerError::after_sending("x"))).may_have_been_processed());
        assert!(error(ErrorKind::Fault(Fault::new("SOAP-ENV:Server", "x"))).may_have_been_processed());
    }
}
