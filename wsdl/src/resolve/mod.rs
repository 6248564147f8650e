//! Loads a WSDL's entry document and every document it imports (`wsdl:import`, `xs:import`,
//! `xs:include`, `xs:redefine`) through a [`Resolver`], before any parsing into the model.

mod decode;
mod resolver;
mod scan;
mod source;

use std::collections::HashSet;

pub use decode::decode_xml;
pub use resolver::{DefaultResolver, Resolver};
pub use source::Source;

use crate::{Error, ErrorKind, Location};
use scan::{scan, Reference};
use source::{document_name, identity, Identity};

/// More documents than any real service has: a bound for generated or hostile import graphs.
pub const MAX_DOCUMENTS: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// Root `wsdl:definitions`.
    Wsdl,
    /// Root `xs:schema`.
    Schema,
}

/// One document's text, read but not yet parsed into the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub source: Source,
    /// The name errors use: the entry's [`Source::display_name`], an imported file's path
    /// relative to the entry's folder, or the URL.
    pub name: String,
    pub text: String,
    pub kind: DocumentKind,
    /// The name of the document that first named this one, and where; `None` for the entry.
    pub imported_from: Option<(String, Location)>,
}

/// The entry document first, then each imported one once, depth-first in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSet {
    pub documents: Vec<Document>,
    /// What the user may want to know though nothing failed, with where: each import that
    /// names a document still being read (an import cycle, which is read once).
    pub notes: Vec<String>,
}

/// Reads `entry` and, transitively, every document it names, each distinct one once.
pub fn load(entry: &Source, resolver: &dyn Resolver) -> Result<DocumentSet, Error> {
    let mut loader =
        Loader { entry, resolver, seen: HashSet::new(), open: Vec::new(), documents: Vec::new(), notes: Vec::new() };
    let name = entry.display_name();
    let text = resolver.fetch(entry).map_err(|reason| unlocated(format!("cannot be read: {reason}"), &name))?;
    loader.seen.insert(loader.identity(entry));
    // An explicit stack rather than recursion: a long import chain must not overflow the stack.
    let mut stack = vec![loader.add(entry.clone(), name, text, None)?];
    while let Some(frame) = stack.last_mut() {
        match frame.pending.next() {
            Some(reference) => {
                if let Some(child) = loader.follow(&frame.source, &frame.name, reference)? {
                    stack.push(child);
                }
            }
            None => {
                stack.pop();
                loader.open.pop();
            }
        }
    }
    Ok(DocumentSet { documents: loader.documents, notes: loader.notes })
}

struct Loader<'a> {
    entry: &'a Source,
    resolver: &'a dyn Resolver,
    seen: HashSet<Identity>,
    /// The documents whose references are being followed, the entry first.
    open: Vec<Identity>,
    documents: Vec<Document>,
    notes: Vec<String>,
}

/// A document whose references are still being followed.
struct Frame {
    source: Source,
    name: String,
    pending: std::vec::IntoIter<Reference>,
}

impl Loader<'_> {
    /// What makes two references one document: where it is read from.
    fn identity(&self, source: &Source) -> Identity {
        identity(&self.resolver.read_from(source).unwrap_or_else(|| source.clone()))
    }

    /// Reads the document `reference` names in `parent`, unless it was read already.
    fn follow(&mut self, parent: &Source, parent_name: &str, reference: Reference) -> Result<Option<Frame>, Error> {
        // A namespace-only import is followed only when the resolver has a copy of it.
        if reference.namespace_only && !self.resolver.knows_namespace(&reference.location) {
            return Ok(None);
        }
        let written = reference.location.trim();
        let at = |message: String| located(message, reference.at, parent_name);
        let source = parent.join(written).map_err(|reason| at(format!("cannot resolve `{written}`: {reason}")))?;
        let identity = self.identity(&source);
        let name = document_name(&source, self.entry);
        if !self.seen.insert(identity.clone()) {
            if let Some(depth) = self.open.iter().position(|open| *open == identity) {
                self.notes.push(cycle_note(parent_name, reference.at, written, &name, depth + 1 == self.open.len()));
            }
            return Ok(None);
        }
        if self.documents.len() >= MAX_DOCUMENTS {
            return Err(at(format!("more than {MAX_DOCUMENTS} documents to load; stopped before `{name}`")));
        }
        let text = self.resolver.fetch(&source).map_err(|reason| at(cannot_read(written, &name, &reason)))?;
        self.add(source, name, text, Some((parent_name.to_owned(), reference.at))).map(Some)
    }

    fn add(
        &mut self,
        source: Source,
        name: String,
        text: String,
        from: Option<(String, Location)>,
    ) -> Result<Frame, Error> {
        let scanned = scan(&text, &name)?;
        self.open.push(self.identity(&source));
        let frame = Frame { source: source.clone(), name: name.clone(), pending: scanned.references.into_iter() };
        self.documents.push(Document { source, name, text, kind: scanned.kind, imported_from: from });
        Ok(frame)
    }
}

fn cycle_note(parent_name: &str, at: Location, written: &str, name: &str, itself: bool) -> String {
    let target = if written == name { format!("`{name}`") } else { format!("`{written}` (`{name}`)") };
    match itself {
        true => format!("{parent_name}:{at}: {target} is this document itself; read once"),
        false => format!("{parent_name}:{at}: {target} leads back to this document (an import cycle); read once"),
    }
}

fn cannot_read(written: &str, name: &str, reason: &str) -> String {
    if written == name {
        format!("cannot read `{name}`: {reason}")
    } else {
        format!("cannot read `{written}` (`{name}`): {reason}")
    }
}

fn located(message: String, location: Location, source_name: &str) -> Error {
    let mut error = Error::new(ErrorKind::Invalid(message), Some(location));
    error.source_name = Some(source_name.to_owned());
    error
}

fn unlocated(message: String, source_name: &str) -> Error {
    let mut error = Error::new(ErrorKind::Invalid(message), None);
    error.source_name = Some(source_name.to_owned());
    error
}
