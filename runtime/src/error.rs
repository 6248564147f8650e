//! Typed errors. A call ends in exactly one [`Error`], which names the operation and one
//! [`ErrorKind`]; decoding problems carry line:column and the element path.

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
    /// Connecting, sending or receiving failed.
    Transport(reqwest::Error),
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
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation)?;
        match &*self.kind {
            ErrorKind::Timeout => f.write_str("the request timed out"),
            ErrorKind::Transport(e) => write!(f, "transport error: {e}"),
            ErrorKind::HttpStatus { status, body } => write!(f, "HTTP status {status}: {body}"),
            ErrorKind::Encode(e) => write!(f, "the request cannot be sent: {e}"),
            ErrorKind::Decode(e) => write!(f, "unreadable response: {e}"),
            ErrorKind::Fault(fault) => write!(f, "{fault}"),
            ErrorKind::Config(message) => write!(f, "configuration error: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Transport(e) => Some(e),
            ErrorKind::Encode(e) => Some(e),
            ErrorKind::Decode(e) => Some(e),
            _ => None,
        }
    }
}
