use std::borrow::Cow;

use super::namespaces::{self, Scopes};
use super::simple::SimpleValue;
use super::tokens::{SyntaxError, Token, Tokens};
use super::values::Nillable;
use super::FromXml;
use super::{chars, encoding};
use crate::error::{DecodeError, DecodeErrorKind};

/// A pull reader over a complete UTF-8 document held in memory. Events borrow from the
/// input, so element names and unescaped-free text are never copied.
///
/// A UTF-8 byte order mark is dropped before anything else, so every offset (and every
/// line:column) counts from the first byte after it.
pub struct XmlReader<'a> {
    tokens: Tokens<'a>,
    /// The document without its byte order mark: the one slice that both the tokens'
    /// positions and the slices taken here refer to.
    input: &'a [u8],
    /// The input as text, validated once up front: tokens split only at ASCII
    /// delimiters, so every text event is a slice of this without further checks. When the
    /// input is not UTF-8 this is its valid prefix and `utf8_error` says where it stops.
    text: &'a str,
    utf8_error: Option<usize>,
    /// Where the event being read starts: a syntax error is reported there (the start of
    /// the unclosed tag, say) rather than where the parser gave up.
    event_start: usize,
    /// The namespace declarations of the open elements.
    scopes: Scopes<'a>,
    /// A child, or the parent's end, read ahead and handed back (see [`XmlReader::push_back`]).
    pending: Option<Pending<'a>>,
    /// How many typed values are being read, one inside the other.
    depth: usize,
    /// The parts of the MTOM package this document is the root of, if it is one.
    #[cfg(feature = "mtom")]
    attachments: Option<&'a crate::mtom::Attachments<'a>>,
}

/// How deep typed values may nest in one document. Each level is a few calls of generated
/// readers; at this depth a debug build stays inside a 2 MiB thread stack. Real responses
/// nest a few dozen deep.
pub const MAX_VALUE_DEPTH: usize = 256;

/// What a group read ahead of where it ends.
#[derive(Debug)]
enum Pending<'a> {
    Child(Element<'a>),
    /// The parent's end tag: the next `next_child` says there are no more children.
    End,
}

/// A start tag that has just been read: the handle a [`FromXml`] implementation receives.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    /// The qualified name.
    name: &'a [u8],
    /// The name without its prefix.
    local: &'a [u8],
    /// The start tag's text after the name, as written.
    attributes: &'a [u8],
    empty: bool,
    offset: usize,
}

impl<'a> Element<'a> {
    /// The element name without its prefix.
    #[inline]
    pub fn local_name(&self) -> &[u8] {
        self.local
    }

    /// The local name as text, for messages.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(self.local_name()).into_owned()
    }

    /// Whether the element was written `<name/>`.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The raw (not unescaped) value of the attribute with this local name, whatever its
    /// prefix. Enough for `xsi:nil` and `xsi:type`, whose values never hold entities.
    pub fn attribute(&self, local_name: &[u8]) -> Option<&[u8]> {
        raw_attribute(self.attributes, local_name)
    }

    /// `xsi:nil="true"` (or `"1"`).
    pub fn is_nil(&self) -> bool {
        // Most elements carry no attributes: skip the attribute scan for them.
        if self.attributes.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        matches!(self.instance_attribute(b"nil"), Some(b"true" | b"1"))
    }

    /// A prefixed attribute (`xsi:nil`, `xsi:type`): an unprefixed `type` or `nil` is in no
    /// namespace, so it is a schema's own attribute and never the instance namespace's.
    fn instance_attribute(&self, local_name: &[u8]) -> Option<&[u8]> {
        find_attribute(self.attributes, local_name, true)
    }

    /// The local part of `xsi:type`, such as `LeadKeySelector` for `ns1:LeadKeySelector`.
    pub fn xsi_type(&self) -> Option<String> {
        let value = self.instance_attribute(b"type")?;
        Some(String::from_utf8_lossy(local_part(value)).into_owned())
    }
}

impl<'a> XmlReader<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        let input = encoding::without_byte_order_mark(input);
        let (text, utf8_error) = match std::str::from_utf8(input) {
            Ok(text) => (text, None),
            Err(e) => (std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or(""), Some(e.valid_up_to())),
        };
        let tokens = Tokens::new(input);
        Self {
            tokens,
            input,
            text,
            utf8_error,
            event_start: 0,
            scopes: Scopes::default(),
            pending: None,
            depth: 0,
            #[cfg(feature = "mtom")]
            attachments: None,
        }
    }

    /// A reader of the root part of an MTOM package: an `xop:Include` in a `Base64Binary`
    /// element reads as the bytes of the part it names (see [`crate::mtom`]).
    #[cfg(feature = "mtom")]
    pub fn with_attachments(input: &'a [u8], attachments: &'a crate::mtom::Attachments<'a>) -> Self {
        Self { attachments: Some(attachments), ..Self::new(input) }
    }

    /// Reads up to the document's root element, skipping the declaration, comments and
    /// processing instructions before it.
    pub fn root(&mut self) -> Result<Element<'a>, DecodeError> {
        self.check_encoding()?;
        loop {
            let offset = self.position();
            match self.next_event()? {
                Token::Start { name, local, attributes } => {
                    return Ok(Element { name, local, attributes, empty: false, offset })
                }
                Token::Empty { name, local, attributes } => {
                    return Ok(Element { name, local, attributes, empty: true, offset })
                }
                Token::Text(text) if is_whitespace(text) => {}
                Token::Decl(_) | Token::Comment | Token::Pi | Token::DocType => {}
                Token::Eof => {
                    return Err(
                        self.error_at(offset, DecodeErrorKind::Malformed("the document has no root element".into()))
                    )
                }
                _ => {
                    return Err(
                        self.error_at(offset, DecodeErrorKind::Malformed("content before the root element".into()))
                    )
                }
            }
        }
    }

    /// Refuses an encoding other than UTF-8 by name, rather than misreading it: one that the
    /// first bytes show (a UTF-16 or UTF-32 byte order mark, say), or one that the XML
    /// declaration names. Then bytes that are not UTF-8 are an error where they start.
    fn check_encoding(&mut self) -> Result<(), DecodeError> {
        encoding::check_first_bytes(self.input).map_err(|kind| self.error_at(0, kind))?;
        // The declaration can only come first; the loop in `root` skips a later one.
        if self.input.starts_with(b"<?xml") {
            if let Token::Decl(declaration) = self.next_event()? {
                encoding::check_declaration(declaration).map_err(|kind| self.error_at(0, kind))?;
            }
        }
        match self.utf8_error {
            Some(offset) => Err(self.error_at(offset, DecodeErrorKind::Malformed("the document is not UTF-8".into()))),
            None => Ok(()),
        }
    }

    /// Checks that nothing but comments and white space follows the root element.
    pub fn finish(mut self) -> Result<(), DecodeError> {
        loop {
            let offset = self.position();
            match self.next_event()? {
                Token::Eof => return Ok(()),
                Token::Text(text) if is_whitespace(text) => {}
                Token::Comment | Token::Pi => {}
                _ => {
                    return Err(
                        self.error_at(offset, DecodeErrorKind::Malformed("content after the root element".into()))
                    )
                }
            }
        }
    }

    /// The next child element of `parent`, or `None` at `parent`'s end tag. Comments and
    /// white space between children are skipped.
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, DecodeError> {
        match self.pending.take() {
            Some(Pending::Child(child)) => return Ok(Some(child)),
            Some(Pending::End) => return Ok(None),
            None => {}
        }
        if parent.empty {
            return Ok(None);
        }
        loop {
            self.tokens.skip_indentation();
            let offset = self.position();
            match self.next_event()? {
                Token::Start { name, local, attributes } => {
                    return Ok(Some(Element { name, local, attributes, empty: false, offset }))
                }
                Token::Empty { name, local, attributes } => {
                    return Ok(Some(Element { name, local, attributes, empty: true, offset }))
                }
                Token::End => return Ok(None),
                Token::Text(text) if is_whitespace(text) => {}
                Token::Comment | Token::Pi => {}
                Token::Text(text) => {
                    let text = String::from_utf8_lossy(text).trim().to_owned();
                    return Err(self.error_at(offset, DecodeErrorKind::UnexpectedText { text }).within(&parent.name()));
                }
                Token::CData(_) => {
                    let text = "<![CDATA[...]]>".to_owned();
                    return Err(self.error_at(offset, DecodeErrorKind::UnexpectedText { text }).within(&parent.name()));
                }
                Token::Eof => return Err(self.error_at(offset, DecodeErrorKind::UnexpectedEof).within(&parent.name())),
                Token::Decl(_) | Token::DocType => {
                    let message = "a declaration inside an element".to_owned();
                    return Err(self.error_at(offset, DecodeErrorKind::Malformed(message)));
                }
            }
        }
    }

    /// Hands back a child whose start tag was read but that belongs to what comes next (a
    /// group ends where a child does not match it): the next [`XmlReader::next_child`]
    /// returns it again.
    pub fn push_back(&mut self, child: Element<'a>) {
        self.pending = Some(Pending::Child(child));
    }

    /// Hands back the parent's end tag, which a group reading on among its siblings met: the
    /// next [`XmlReader::next_child`] returns `None` again rather than read past the parent.
    pub fn push_back_end(&mut self) {
        self.pending = Some(Pending::End);
    }

    /// A run of repeated sibling elements named like `first`, `first` included: stops at the
    /// first sibling with another name (handed back) or at `parent`'s end.
    pub fn read_run<T: FromXml>(&mut self, parent: &Element<'a>, first: &Element<'a>) -> Result<Vec<T>, DecodeError> {
        let mut values = vec![self.read(first)?];
        loop {
            match self.next_child(parent)? {
                Some(child) if child.local_name() == first.local_name() => values.push(self.read(&child)?),
                Some(child) => {
                    self.push_back(child);
                    return Ok(values);
                }
                None => {
                    self.push_back_end();
                    return Ok(values);
                }
            }
        }
    }

    /// [`XmlReader::read_run`] for a nillable element: nil items are `None`.
    pub fn read_run_nil_or<T: FromXml>(
        &mut self,
        parent: &Element<'a>,
        first: &Element<'a>,
    ) -> Result<Vec<Option<T>>, DecodeError> {
        let mut values = vec![self.read_nil_or(first)?];
        loop {
            match self.next_child(parent)? {
                Some(child) if child.local_name() == first.local_name() => values.push(self.read_nil_or(&child)?),
                Some(child) => {
                    self.push_back(child);
                    return Ok(values);
                }
                None => {
                    self.push_back_end();
                    return Ok(values);
                }
            }
        }
    }

    /// The namespace declarations in scope at the start tag just read (those of its
    /// ancestors, not its own), each prefix once, outermost first; `""` is the default
    /// namespace.
    pub(super) fn ancestor_namespaces(&self) -> Vec<(String, String)> {
        self.scopes.of_ancestors()
    }

    /// Skips `element` and everything inside it (an element this schema version does not know).
    pub fn skip(&mut self, element: &Element<'a>) -> Result<(), DecodeError> {
        if element.empty {
            return Ok(());
        }
        self.skip_content(element.name)
    }

    /// Reads past the end tag of the element `name` whose start tag was read last. The
    /// tokens check that end tags match, so counting depth is enough.
    fn skip_content(&mut self, name: &[u8]) -> Result<(), DecodeError> {
        let mut depth = 0usize;
        loop {
            match self.next_event()? {
                Token::Start { .. } => depth += 1,
                Token::End if depth == 0 => return Ok(()),
                Token::End => depth -= 1,
                Token::Eof => {
                    let name = String::from_utf8_lossy(name).into_owned();
                    let message = format!("the document ends before </{name}>");
                    return Err(self.error_at(self.position(), DecodeErrorKind::Malformed(message)));
                }
                _ => {}
            }
        }
    }

    /// The content of `element` (whose start tag has just been read) as it stands in the
    /// document: markup, prefixes and escapes as sent. Reads past its end tag.
    pub fn read_inner_xml(&mut self, element: &Element<'a>) -> Result<&'a str, DecodeError> {
        if element.empty {
            return Ok("");
        }
        let start = self.position();
        let end = self.end_tag_start(element)?;
        self.checked_slice(start, end)
    }

    /// `element` itself as it stands in the document, from its start tag through its end
    /// tag (a header block, say). Reads past its end tag.
    pub fn read_outer_xml(&mut self, element: &Element<'a>) -> Result<&'a str, DecodeError> {
        if !element.empty {
            self.end_tag_start(element)?;
        }
        self.checked_slice(element.offset, self.position())
    }

    /// Skips to the end of `element` and says where its end tag starts.
    fn end_tag_start(&mut self, element: &Element<'a>) -> Result<usize, DecodeError> {
        self.skip_content(element.name)?;
        // The end tag is the last `</` before where the reader stands.
        let end = self.position();
        let tag = self.input[..end].windows(2).rposition(|pair| pair == b"</").unwrap_or(end);
        Ok(tag)
    }

    /// The text content of a simple-typed element, unescaped. When the element holds markup
    /// (an HTML fragment in a string field, as some services send), the inner markup is
    /// returned verbatim so that nothing is lost. A character XML 1.0 does not allow (a
    /// control character, raw or as a character reference) is an error.
    pub fn read_text(&mut self, element: &Element<'a>) -> Result<Cow<'a, str>, DecodeError> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let content_start = self.position();
        let (text, plain) = self.read_text_content(element, content_start)?;
        if !plain {
            self.check_characters(&text, content_start)?;
        }
        Ok(text)
    }

    /// The text, and whether it was all plain: text without a reference to expand or a
    /// character to check (most values), taken as it stands.
    fn read_text_content(
        &mut self,
        element: &Element<'a>,
        content_start: usize,
    ) -> Result<(Cow<'a, str>, bool), DecodeError> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        let mut has_markup = false;
        let mut plain = true;
        loop {
            let before = self.position();
            match self.next_event()? {
                Token::Text(raw) if chars::is_plain(raw) => {
                    append(&mut text, Cow::Borrowed(self.text_between(before, self.position())?));
                }
                Token::Text(_) => {
                    plain = false;
                    let raw = self.text_between(before, self.position())?;
                    let unescaped = unescape(Cow::Borrowed(raw)).map_err(|kind| self.error_at(before, kind))?;
                    append(&mut text, unescaped);
                }
                Token::CData(_) => {
                    plain = false;
                    // `<![CDATA[` and `]]>` around the content.
                    let raw = self.text_between(before + 9, self.position() - 3)?;
                    append(&mut text, Cow::Borrowed(raw));
                }
                Token::End if has_markup => {
                    return self.text_between(content_start, before).map(|markup| (Cow::Borrowed(markup), false))
                }
                Token::End => return Ok((text, plain)),
                Token::Start { name, .. } => {
                    has_markup = true;
                    self.skip_content(name)?;
                }
                Token::Empty { .. } => has_markup = true,
                Token::Comment | Token::Pi => {}
                Token::Eof => {
                    return Err(self.error_at(before, DecodeErrorKind::UnexpectedEof).within(&element.name()))
                }
                Token::Decl(_) | Token::DocType => {
                    return Err(
                        self.error_at(before, DecodeErrorKind::Malformed("a declaration inside an element".into()))
                    )
                }
            }
        }
    }

    /// Reads a simple-typed element's text and parses it with `parse`; a failure names the
    /// text and the expected type.
    pub fn read_parsed<T>(
        &mut self,
        element: &Element<'a>,
        expected: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T, DecodeError> {
        let text = self.read_text(element)?;
        parse(&text).ok_or_else(|| {
            let value = text.into_owned();
            self.error_at(element.offset, DecodeErrorKind::InvalidValue { value, expected })
        })
    }

    /// Reads a simple-typed element's text as a [`SimpleValue`].
    pub fn read_simple<T: SimpleValue>(&mut self, element: &Element<'a>) -> Result<T, DecodeError> {
        self.read_parsed(element, T::EXPECTED, T::parse_value)
    }

    /// The attribute `name` of `element`, unescaped and parsed; `None` when absent. An
    /// unqualified attribute is matched by its exact name (so `type` is never `xsi:type`),
    /// a qualified one by its local name under any prefix but `xmlns`.
    pub fn attribute<T: SimpleValue>(
        &self,
        element: &Element<'a>,
        name: &str,
        qualified: bool,
    ) -> Result<Option<T>, DecodeError> {
        let Some(raw) = find_attribute(element.attributes, name.as_bytes(), qualified) else {
            return Ok(None);
        };
        let offset = element.offset;
        let raw = std::str::from_utf8(raw)
            .map_err(|_| self.error_at(offset, DecodeErrorKind::Malformed("the document is not UTF-8".into())))?;
        let text = normalize_attribute(raw).map_err(|kind| self.error_at(offset, kind))?;
        self.check_characters(&text, offset)?;
        match T::parse_value(&text) {
            Some(value) => Ok(Some(value)),
            None => {
                let value = format!("{name}=\"{text}\"");
                Err(self.error_at(offset, DecodeErrorKind::InvalidValue { value, expected: T::EXPECTED }))
            }
        }
    }

    /// A `use="required"` attribute: absent is a `MissingAttribute` error at the element.
    pub fn required_attribute<T: SimpleValue>(
        &self,
        element: &Element<'a>,
        name: &str,
        qualified: bool,
    ) -> Result<T, DecodeError> {
        self.attribute(element, name, qualified)?.ok_or_else(|| {
            self.error_at(element.offset, DecodeErrorKind::MissingAttribute { attribute: name.to_owned() })
        })
    }

    /// A non-nillable element. `xsi:nil` on it is an error, since no value could represent it.
    pub fn read<T: FromXml>(&mut self, element: &Element<'a>) -> Result<T, DecodeError> {
        if element.is_nil() {
            return Err(self.error_at(element.offset, DecodeErrorKind::UnexpectedNil).within(&element.name()));
        }
        self.read_value(element)
    }

    /// Reads a value once `xsi:nil` has been ruled out.
    fn read_value<T: FromXml>(&mut self, element: &Element<'a>) -> Result<T, DecodeError> {
        if self.depth >= MAX_VALUE_DEPTH {
            let kind = DecodeErrorKind::TooDeep { limit: MAX_VALUE_DEPTH };
            return Err(self.error_at(element.offset, kind).within(&element.name()));
        }
        self.depth += 1;
        let value = T::read_xml(self, element).map_err(|e| e.within(&element.name()));
        self.depth -= 1;
        value
    }

    /// An optional, non-nillable element. A stray `xsi:nil` reads as absent.
    pub fn read_optional<T: FromXml>(&mut self, element: &Element<'a>) -> Result<Option<T>, DecodeError> {
        if element.is_nil() {
            self.skip(element)?;
            return Ok(None);
        }
        self.read_value(element).map(Some)
    }

    /// An element with `minOccurs="0"` and `nillable="true"`.
    pub fn read_nillable<T: FromXml>(&mut self, element: &Element<'a>) -> Result<Nillable<T>, DecodeError> {
        if element.is_nil() {
            self.skip(element)?;
            return Ok(Nillable::Nil);
        }
        self.read_value(element).map(Nillable::Value)
    }

    /// A required, nillable element: nil reads as `None`.
    pub fn read_nil_or<T: FromXml>(&mut self, element: &Element<'a>) -> Result<Option<T>, DecodeError> {
        if element.is_nil() {
            self.skip(element)?;
            return Ok(None);
        }
        self.read_value(element).map(Some)
    }

    // Generated readers go through the helpers below, which build each value in their own
    // frame and store it in the caller's local (or wrap it in the caller's variant): a reader
    // of a type with hundreds of fields, or of an enum over hundreds of types (Salesforce's
    // sObjects), would otherwise hold one temporary per field or variant in its frame in a
    // debug build, and nested values would overflow a thread's stack. Optimised builds
    // inline them away.

    /// Reads a required element into its field's local.
    pub fn read_into<T: FromXml>(&mut self, element: &Element<'a>, slot: &mut Option<T>) -> Result<(), DecodeError> {
        *slot = Some(self.read(element)?);
        Ok(())
    }

    /// Reads a required, nillable element into its field's local.
    pub fn read_nil_or_into<T: FromXml>(
        &mut self,
        element: &Element<'a>,
        slot: &mut Option<Option<T>>,
    ) -> Result<(), DecodeError> {
        *slot = Some(self.read_nil_or(element)?);
        Ok(())
    }

    /// Reads an optional element into its field's local.
    pub fn read_optional_into<T: FromXml>(
        &mut self,
        element: &Element<'a>,
        slot: &mut Option<T>,
    ) -> Result<(), DecodeError> {
        *slot = self.read_optional(element)?;
        Ok(())
    }

    /// Reads an optional, nillable element into its field's local.
    pub fn read_nillable_into<T: FromXml>(
        &mut self,
        element: &Element<'a>,
        slot: &mut Nillable<T>,
    ) -> Result<(), DecodeError> {
        *slot = self.read_nillable(element)?;
        Ok(())
    }

    /// Reads one more occurrence of a repeated element.
    pub fn push_into<T: FromXml>(&mut self, element: &Element<'a>, values: &mut Vec<T>) -> Result<(), DecodeError> {
        values.push(self.read(element)?);
        Ok(())
    }

    /// Reads one more occurrence of a repeated, nillable element.
    pub fn push_nil_or_into<T: FromXml>(
        &mut self,
        element: &Element<'a>,
        values: &mut Vec<Option<T>>,
    ) -> Result<(), DecodeError> {
        values.push(self.read_nil_or(element)?);
        Ok(())
    }

    /// Reads `element`'s content as `T` (its `xsi:type`, say) and wraps it in a variant.
    pub fn read_variant<T: FromXml, E>(&mut self, element: &Element<'a>, wrap: fn(T) -> E) -> Result<E, DecodeError> {
        T::read_xml(self, element).map(wrap)
    }

    /// Reads a non-nillable element as `T` and wraps it in a variant.
    pub fn read_wrapped<T: FromXml, E>(&mut self, element: &Element<'a>, wrap: fn(T) -> E) -> Result<E, DecodeError> {
        self.read(element).map(wrap)
    }

    /// The value of a required element, or a `MissingElement` error located at its parent.
    pub fn required<T>(&self, value: Option<T>, name: &str, parent: &Element<'a>) -> Result<T, DecodeError> {
        value.ok_or_else(|| self.error_at(parent.offset, DecodeErrorKind::MissingElement { element: name.to_owned() }))
    }

    /// The byte offset of `element`'s start tag.
    pub fn offset_of(&self, element: &Element<'a>) -> usize {
        element.offset
    }

    /// The byte offset just after the last event read.
    pub fn offset(&self) -> usize {
        self.position()
    }

    /// An error of `kind` located at `element`'s start tag.
    pub fn error(&self, element: &Element<'a>, kind: DecodeErrorKind) -> DecodeError {
        self.error_at(element.offset, kind)
    }

    /// `input[start..end]` as text; `start` and `end` are event boundaries.
    #[inline]
    fn text_between(&self, start: usize, end: usize) -> Result<&'a str, DecodeError> {
        let text = self.text;
        text.get(start..end)
            .ok_or_else(|| self.error_at(start, DecodeErrorKind::Malformed("the document is not UTF-8".into())))
    }

    /// `input[start..end]` as text, refusing characters XML 1.0 does not allow.
    fn checked_slice(&self, start: usize, end: usize) -> Result<&'a str, DecodeError> {
        let text = self.text_between(start, end)?;
        self.check_characters(text, start)?;
        Ok(text)
    }

    /// The one place the reader checks characters: every value it hands out (text, inner and
    /// outer XML) passes here, once, rather than every byte of the document.
    fn check_characters(&self, value: &str, offset: usize) -> Result<(), DecodeError> {
        match chars::first_forbidden(value) {
            None => Ok(()),
            Some((_, character)) => Err(self.error_at(offset, DecodeErrorKind::Malformed(chars::describe(character)))),
        }
    }

    // Inlined: this is the hot path of every read.
    #[inline(always)]
    fn next_event(&mut self) -> Result<Token<'a>, DecodeError> {
        self.event_start = self.position();
        self.scopes.before_event();
        let token = self.tokens.next().map_err(|e| self.syntax_error(e))?;
        match token {
            Token::Start { attributes, .. } => self.scopes.enter(attributes, false),
            Token::Empty { attributes, .. } => self.scopes.enter(attributes, true),
            Token::End => self.scopes.leave(),
            _ => {}
        }
        Ok(token)
    }

    /// The namespace of `element`'s name (from its prefix, or the default namespace), or
    /// `None` for no namespace. Asked while `element` is the last start tag read, before
    /// its content, as a generated reader does when it matches a child.
    pub fn namespace_of(&self, element: &Element<'a>) -> Option<&str> {
        self.scopes.resolve(namespaces::prefix_of(element.name))
    }

    /// `element`'s `xsi:type` as a namespace and a local name: the prefix of the value
    /// resolved as [`namespace_of`](Self::namespace_of) resolves names (an unprefixed value
    /// is in the default namespace).
    pub fn xsi_type_of(&self, element: &Element<'a>) -> Option<(Option<&str>, String)> {
        let value = element.attribute(b"type")?;
        let namespace = self.scopes.resolve(namespaces::prefix_of(value));
        Some((namespace, String::from_utf8_lossy(local_part(value)).into_owned()))
    }

    #[inline(always)]
    fn position(&self) -> usize {
        self.tokens.position()
    }

    #[cold]
    fn syntax_error(&self, error: SyntaxError) -> DecodeError {
        self.error_at(error.at, DecodeErrorKind::Malformed(error.message))
    }

    fn error_at(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, line_column(self.input, offset))
    }
}

/// What MTOM reading needs of the reader's internals (see [`crate::mtom`]).
#[cfg(feature = "mtom")]
impl<'a> XmlReader<'a> {
    pub(crate) fn attachments(&self) -> Option<&'a crate::mtom::Attachments<'a>> {
        self.attachments
    }

    /// Whether the content of the element whose start tag was just read begins, after white
    /// space, with markup other than CDATA or its end tag: an `xop:Include` if anything.
    pub(crate) fn content_starts_with_markup(&self) -> bool {
        let rest = &self.input[self.position().min(self.input.len())..];
        let rest = &rest[rest.iter().take_while(|&&b| WHITESPACE[usize::from(b)]).count()..];
        rest.starts_with(b"<") && !rest.starts_with(b"</") && !rest.starts_with(b"<![CDATA[")
    }

    /// Reads the content of `element`, which must be one `xop:Include` (white space and
    /// comments around it allowed): its `href`, unescaped, and the offset of its start tag.
    /// Reads past `element`'s end tag.
    pub(crate) fn read_include(&mut self, element: &Element<'a>) -> Result<(String, usize), DecodeError> {
        let mut include = None;
        loop {
            let before = self.position();
            let token = self.next_event()?;
            let empty = matches!(token, Token::Empty { .. });
            match token {
                Token::Text(text) if is_whitespace(text) => {}
                Token::Comment | Token::Pi => {}
                Token::End => break,
                Token::Start { name, local, attributes } | Token::Empty { name, local, attributes }
                    if include.is_none() && local == b"Include" && self.in_xop_namespace(name) =>
                {
                    include = Some((self.include_href(attributes, before)?, before));
                    // XOP 1.0 lets an Include hold elements of other namespaces: not ours to read.
                    if !empty {
                        self.skip_content(name)?;
                    }
                }
                Token::Eof => return Err(self.error_at(before, DecodeErrorKind::UnexpectedEof)),
                _ => {
                    let message = crate::mtom::NOT_BOTH.to_owned();
                    return Err(self.error_at(before, DecodeErrorKind::Attachment(message)));
                }
            }
        }
        include.ok_or_else(|| {
            let message = "a base64Binary element holds markup but no xop:Include".into();
            self.error_at(element.offset, DecodeErrorKind::Attachment(message))
        })
    }

    /// Whether the start tag just read, called `name`, is in the XOP namespace.
    fn in_xop_namespace(&self, name: &[u8]) -> bool {
        self.scopes.resolve(namespaces::prefix_of(name)) == Some(crate::mtom::XOP_NAMESPACE)
    }

    fn include_href(&self, attributes: &[u8], offset: usize) -> Result<String, DecodeError> {
        let missing = || self.error_at(offset, DecodeErrorKind::MissingAttribute { attribute: "href".into() });
        let raw = find_attribute(attributes, b"href", false).ok_or_else(missing)?;
        let raw = std::str::from_utf8(raw).map_err(|_| missing())?;
        let href = normalize_attribute(raw).map_err(|kind| self.error_at(offset, kind))?;
        Ok(href.trim().to_owned())
    }

    pub(crate) fn error_at_offset(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        self.error_at(offset, kind)
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub(crate) fn line_column(input: &[u8], offset: usize) -> (u32, u32) {
    let before = &input[..offset.min(input.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX))
}

/// The part of a qualified name after its prefix.
fn local_part(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Finds `local_name="value"` in the raw attribute text of a start tag. Malformed attribute
/// text yields `None`; quick-xml has already checked the tag itself.
fn raw_attribute<'t>(raw: &'t [u8], local_name: &[u8]) -> Option<&'t [u8]> {
    namespaces::attributes(raw).find(|(name, _)| local_part(name) == local_name).map(|(_, value)| value)
}

/// The raw value of the attribute called `name`: without a prefix when unqualified, with any
/// prefix but `xmlns` when qualified.
fn find_attribute<'t>(raw: &'t [u8], name: &[u8], qualified: bool) -> Option<&'t [u8]> {
    let mut rest = raw.trim_ascii_start();
    while !rest.is_empty() {
        let equals = rest.iter().position(|&b| b == b'=')?;
        let attribute = rest[..equals].trim_ascii_end();
        let after = rest[equals + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let length = after[1..].iter().position(|&b| b == quote)?;
        let matches = match attribute.iter().position(|&b| b == b':') {
            None => !qualified && attribute == name,
            Some(colon) => qualified && &attribute[..colon] != b"xmlns" && &attribute[colon + 1..] == name,
        };
        if matches {
            return Some(&after[1..1 + length]);
        }
        rest = after[length + 2..].trim_ascii_start();
    }
    None
}

/// Attribute-value normalization (XML 1.0 section 3.3.3): a literal tab, line feed or
/// carriage return is a space, then references are expanded (so `&#10;` stays a line feed).
fn normalize_attribute(raw: &str) -> Result<Cow<'_, str>, DecodeErrorKind> {
    let spaced: Cow<'_, str> = match raw.contains(['\t', '\n', '\r']) {
        true => Cow::Owned(raw.replace(['\t', '\n', '\r'], " ")),
        false => Cow::Borrowed(raw),
    };
    match spaced {
        Cow::Borrowed(text) => unescape(Cow::Borrowed(text)),
        Cow::Owned(text) => unescape(Cow::Borrowed(&text)).map(|t| Cow::Owned(t.into_owned())),
    }
}

/// XML white space: space, tab, line feed, carriage return (not form feed, which
/// `u8::is_ascii_whitespace` also counts and XML does not allow at all).
///
/// White space between elements is mostly indentation: a word of spaces and line feeds is
/// recognised in a few operations, anything else byte by byte.
#[inline(always)]
fn is_whitespace(text: &[u8]) -> bool {
    let byte_by_byte = |bytes: &[u8]| bytes.iter().all(|&b| WHITESPACE[usize::from(b)]);
    let mut words = text.chunks_exact(8);
    let words_ok = words.all(|word| {
        let word_bytes: [u8; 8] = word.try_into().expect("eight bytes");
        chars::spaces_and_line_feeds(u64::from_le_bytes(word_bytes)) || byte_by_byte(word)
    });
    words_ok && byte_by_byte(words.remainder())
}

static WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

fn unescape(text: Cow<'_, str>) -> Result<Cow<'_, str>, DecodeErrorKind> {
    if !text.as_bytes().contains(&b'&') {
        return Ok(text);
    }
    let unescaped = quick_xml::escape::unescape(&text).map_err(|e| DecodeErrorKind::Malformed(e.to_string()))?;
    Ok(Cow::Owned(unescaped.into_owned()))
}

#[inline]
fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recursive type, read the way generated readers read one: `<n><n>...</n></n>`.
    #[derive(Debug)]
    struct Node(Option<Box<Node>>);

    impl FromXml for Node {
        fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
            let mut inner = None;
            while let Some(child) = r.next_child(element)? {
                r.read_optional_into(&child, &mut inner)?;
            }
            Ok(Node(inner))
        }
    }

    fn nested(depth: usize) -> String {
        format!("{}{}", "<n>".repeat(depth), "</n>".repeat(depth))
    }

    fn read_nested(depth: usize) -> Result<Node, DecodeError> {
        let xml = nested(depth);
        let mut reader = XmlReader::new(xml.as_bytes());
        let root = reader.root()?;
        reader.read(&root)
    }

    #[test]
    fn values_nested_up_to_the_limit_are_read_in_a_test_threads_stack() {
        let mut node = read_nested(MAX_VALUE_DEPTH).unwrap();
        let mut depth = 1;
        while let Some(inner) = node.0 {
            (node, depth) = (*inner, depth + 1);
        }
        assert_eq!(depth, MAX_VALUE_DEPTH);
    }

    #[test]
    fn values_nested_past_the_limit_are_an_error_where_they_go_past_not_a_stack_overflow() {
        for depth in [MAX_VALUE_DEPTH + 1, 100_000] {
            let error = read_nested(depth).unwrap_err();
            assert_eq!(error.kind(), &DecodeErrorKind::TooDeep { limit: MAX_VALUE_DEPTH });
            assert_eq!((error.line(), error.column()), (1, 3 * MAX_VALUE_DEPTH as u32 + 1));
            assert_eq!(error.path().len(), MAX_VALUE_DEPTH + 1);
        }
    }

    #[test]
    fn raw_attributes_are_found_with_either_quote_and_any_prefix() {
        let raw = br#" xmlns:xsi="u"  xsi:type = 'ns1:LeadKeySelector' a:nil="true""#;
        assert_eq!(raw_attribute(raw, b"type"), Some(&b"ns1:LeadKeySelector"[..]));
        assert_eq!(raw_attribute(raw, b"nil"), Some(&b"true"[..]));
        assert_eq!(raw_attribute(raw, b"xsi"), Some(&b"u"[..]));
        assert_eq!(raw_attribute(raw, b"missing"), None);
        assert_eq!(raw_attribute(b" broken=value", b"broken"), None);
        assert_eq!(raw_attribute(b"", b"nil"), None);
        assert_eq!(local_part(b"SOAP-ENV:Body"), b"Body");
        assert_eq!(local_part(b"Body"), b"Body");
    }

    #[test]
    fn attributes_are_matched_by_form_normalised_unescaped_and_parsed() {
        let doc = "<a xsi:type=\"ns1:T\" type=\"plain\" n=' 7 ' xml:lang=\"en\" xmlns:lang=\"u\"\n s=\"x&amp;y&#10;z\tw\">\n<b/></a>";
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        assert_eq!(r.attribute::<String>(&root, "type", false).unwrap().as_deref(), Some("plain"));
        assert_eq!(r.attribute::<String>(&root, "type", true).unwrap().as_deref(), Some("ns1:T"));
        assert_eq!(r.attribute::<String>(&root, "lang", true).unwrap().as_deref(), Some("en"));
        assert_eq!(r.attribute::<String>(&root, "lang", false).unwrap(), None);
        assert_eq!(r.attribute::<i32>(&root, "n", false).unwrap(), Some(7));
        assert_eq!(r.attribute::<String>(&root, "s", false).unwrap().as_deref(), Some("x&y\nz w"));
        let err = r.attribute::<i32>(&root, "type", false).unwrap_err();
        assert_eq!(err.to_string(), "1:1: `type=\"plain\"` is not a valid xs:int");
        let err = r.required_attribute::<i32>(&root, "missing", false).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::MissingAttribute { attribute: "missing".into() });
        let mut control = XmlReader::new(b"<a c=\"&#1;\"/>");
        let root = control.root().unwrap();
        assert!(control.attribute::<String>(&root, "c", false).is_err());
    }

    #[test]
    fn white_space_is_told_from_other_text_word_by_word() {
        for length in 0..30 {
            for at in 0..length {
                let mut text: Vec<u8> = (0..length).map(|i| [b' ', b'\n', b' ', b'\t', b'\r'][i % 5]).collect();
                assert!(is_whitespace(&text), "{text:?}");
                for other in [b'!', 0x0C, 0x00, 0xA0, b'a', 0x1F, 0x21] {
                    text[at] = other;
                    assert!(!is_whitespace(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let input = "ab\nçd<x>".as_bytes();
        assert_eq!(line_column(input, 0), (1, 1));
        assert_eq!(line_column(input, 3), (2, 1));
        // After "çd" (3 bytes, 2 characters).
        assert_eq!(line_column(input, 6), (2, 3));
    }

    #[test]
    fn reads_text_with_entities_cdata_and_comments() {
        let doc = b"<a>x &amp; <!-- c -->y<![CDATA[<z>]]></a>";
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        assert_eq!(r.read_text(&root).unwrap(), "x & y<z>");
        r.finish().unwrap();
    }

    #[test]
    fn keeps_markup_inside_a_text_element_verbatim() {
        let doc = b"<v><p><span>a&amp;nbsp;b</span><br /></p></v>";
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        assert_eq!(r.read_text(&root).unwrap(), "<p><span>a&amp;nbsp;b</span><br /></p>");
    }

    #[test]
    fn mismatched_end_tag_is_located() {
        let doc = b"<a>\n  <b>text <unknown></b>\n</a>";
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        let child = r.next_child(&root).unwrap().unwrap();
        let err = r.read_text(&child).unwrap_err();
        assert!(matches!(err.kind(), DecodeErrorKind::Malformed(_)), "{err}");
        assert_eq!(err.line(), 2, "{err}");
    }

    #[test]
    fn unexpected_text_between_elements_is_an_error() {
        let mut r = XmlReader::new(b"<a><b/>stray</a>");
        let root = r.root().unwrap();
        let b = r.next_child(&root).unwrap().unwrap();
        r.skip(&b).unwrap();
        let err = r.next_child(&root).unwrap_err();
        assert_eq!(err.kind(), &DecodeErrorKind::UnexpectedText { text: "stray".into() });
        assert_eq!((err.line(), err.column()), (1, 8));
    }

    #[test]
    fn nil_and_type_attributes_are_found_by_local_name() {
        let mut r = XmlReader::new(br#"<a><b xsi:nil="true"/><c xmlns:q="u" xsi:type="q:LeadKeySelector"/><d/></a>"#);
        let root = r.root().unwrap();
        let b = r.next_child(&root).unwrap().unwrap();
        let c = r.next_child(&root).unwrap().unwrap();
        let d = r.next_child(&root).unwrap().unwrap();
        assert!(b.is_nil() && !c.is_nil() && !d.is_nil());
        assert_eq!(c.xsi_type().as_deref(), Some("LeadKeySelector"));
        assert_eq!(r.next_child(&root).unwrap().map(|e| e.name()), None);
        // A schema's own unprefixed `type` and `nil` attributes are not xsi's.
        let mut r = XmlReader::new(br#"<e type="plain" nil="true"/>"#);
        let e = r.root().unwrap();
        assert_eq!((e.xsi_type(), e.is_nil()), (None, false));
    }

    fn read_root_text(doc: &[u8]) -> Result<String, DecodeError> {
        let mut r = XmlReader::new(doc);
        let root = r.root()?;
        r.read_text(&root).map(Cow::into_owned)
    }

    #[test]
    fn characters_xml_does_not_allow_are_errors_raw_or_escaped() {
        let docs: [&[u8]; 7] = [
            b"<a>x\x00y</a>",
            b"<a>\x01</a>",
            b"<a>a&#x1b;b</a>",
            b"<a>&#11;</a>",
            b"<a><![CDATA[\x0b]]></a>",
            b"<a><p>\x1b</p></a>",
            "<a>\u{FFFE}</a>".as_bytes(),
        ];
        for doc in docs {
            let err = read_root_text(doc).unwrap_err();
            assert!(matches!(err.kind(), DecodeErrorKind::Malformed(m) if m.contains("XML 1.0")), "{err}");
        }
        assert_eq!(read_root_text("<a>\t\r\n é \u{FFFD}&#x9;</a>".as_bytes()).unwrap(), "\t\r\n é \u{FFFD}\t");
        // A form feed is not white space between elements either.
        let mut r = XmlReader::new(b"<a>\x0c<b/></a>");
        let root = r.root().unwrap();
        assert!(r.next_child(&root).is_err());
    }

    #[test]
    fn inner_and_outer_xml_are_taken_from_the_document_as_sent() {
        let doc = "\u{FEFF}<a><h:b xmlns:h=\"u\">x<c/>&amp;</h:b><d/><e>\x01</e></a>";
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        let b = r.next_child(&root).unwrap().unwrap();
        assert_eq!(r.read_outer_xml(&b).unwrap(), "<h:b xmlns:h=\"u\">x<c/>&amp;</h:b>");
        let d = r.next_child(&root).unwrap().unwrap();
        assert_eq!(r.read_inner_xml(&d).unwrap(), "");
        let e = r.next_child(&root).unwrap().unwrap();
        assert!(r.read_inner_xml(&e).is_err());
    }

    #[test]
    fn a_run_of_siblings_hands_back_what_follows_it_and_the_parents_end() {
        let mut r = XmlReader::new(b"<a><n>1</n><n>2</n><m>3</m><n>4</n></a><!-- after -->");
        let root = r.root().unwrap();
        let first = r.next_child(&root).unwrap().unwrap();
        assert_eq!(r.read_run::<i32>(&root, &first).unwrap(), [1, 2]);
        let m = r.next_child(&root).unwrap().unwrap();
        assert_eq!(m.name(), "m");
        r.skip(&m).unwrap();
        let last = r.next_child(&root).unwrap().unwrap();
        assert_eq!(r.read_run::<i32>(&root, &last).unwrap(), [4]);
        // The run met `</a>`: the parent is told it has no more children, once.
        assert!(r.next_child(&root).unwrap().is_none());
        r.finish().unwrap();
    }

    #[test]
    fn skipping_an_unclosed_element_names_it() {
        let mut r = XmlReader::new(b"<a><b><c></c>");
        let root = r.root().unwrap();
        let b = r.next_child(&root).unwrap().unwrap();
        let err = r.skip(&b).unwrap_err();
        assert!(err.to_string().contains("ends before </b>"), "{err}");
    }

    #[test]
    fn element_and_xsi_type_namespaces_resolve_through_the_open_elements() {
        let doc = br#"<s:E xmlns:s="env" xmlns="svc"><b xmlns:t="types"><c xsi:type="t:Key"/><t:d/></b><e xsi:type="Key"/></s:E>"#;
        let mut r = XmlReader::new(doc);
        let root = r.root().unwrap();
        assert_eq!(r.namespace_of(&root), Some("env"));
        let b = r.next_child(&root).unwrap().unwrap();
        assert_eq!(r.namespace_of(&b), Some("svc"));
        let c = r.next_child(&b).unwrap().unwrap();
        assert_eq!(r.xsi_type_of(&c), Some((Some("types"), "Key".to_owned())));
        let d = r.next_child(&b).unwrap().unwrap();
        assert_eq!(r.namespace_of(&d), Some("types"));
        assert!(r.next_child(&b).unwrap().is_none());
        let e = r.next_child(&root).unwrap().unwrap();
        // `t` went out of scope with `b`; an unprefixed value takes the default namespace.
        assert_eq!(r.xsi_type_of(&e), Some((Some("svc"), "Key".to_owned())));
    }
}
