use std::fmt;

/// A 1-based position in one of the documents read ([`crate::Wsdl::documents`] names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// The document's index: 0 is the entry document.
    pub document: u32,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A WSDL that cannot be read into the model, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Option<Location>,
    pub source_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Not well-formed XML.
    Xml(String),
    /// A WSDL or XML Schema construct outside the supported subset.
    Unsupported(String),
    /// Something required is missing.
    Missing(String),
    /// Something present is wrong.
    Invalid(String),
    /// A reference to a type, element, message, part, binding or port type that does not exist.
    UnknownReference { kind: &'static str, name: String },
    /// Two definitions share a name.
    Duplicate { kind: &'static str, name: String },
}

impl Error {
    pub fn new(kind: ErrorKind, location: Option<Location>) -> Self {
        Self { kind, location, source_name: None }
    }

    /// Names the document the error is in, unless an inner stage already did.
    pub(crate) fn in_source(mut self, source_name: &str) -> Self {
        self.source_name.get_or_insert_with(|| source_name.to_owned());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.source_name, &self.location) {
            (Some(source), Some(location)) => write!(f, "{source}:{location}: ")?,
            (Some(source), None) => write!(f, "{source}: ")?,
            (None, Some(location)) => write!(f, "{location}: ")?,
            (None, None) => {}
        }
        match &self.kind {
            ErrorKind::Xml(message) => write!(f, "malformed XML: {message}"),
            ErrorKind::Unsupported(construct) => write!(f, "unsupported: {construct}"),
            ErrorKind::Missing(what) => write!(f, "missing {what}"),
            ErrorKind::Invalid(message) => f.write_str(message),
            ErrorKind::UnknownReference { kind, name } => write!(f, "unknown {kind} `{name}`"),
            ErrorKind::Duplicate { kind, name } => write!(f, "duplicate {kind} `{name}`"),
        }
    }
}

impl std::error::Error for Error {}
