use super::chars::{self, next_special};
use super::simple::SimpleValue;
use super::values::Nillable;
use super::ToXml;
use crate::error::EncodeError;

/// Writes XML straight into a byte buffer. There is no intermediate tree and no
/// per-element allocation: text is escaped as it is copied.
///
/// Element names are written as given; the service namespace prefix (for qualified global
/// elements and `xsi:type` values) is [`XmlWriter::TNS_PREFIX`], declared once on the root.
///
/// XML 1.0 cannot carry some characters at all (NUL and most other control characters).
/// [`ToXml::write_xml`] cannot fail, so the writer puts U+FFFD in their place, which keeps
/// the document well-formed, and remembers the first one: [`XmlWriter::finish`] turns it
/// into an [`EncodeError`] naming the element, so that a changed value is never sent.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
    forbidden: Option<Forbidden>,
    /// An MTOM request's binary values, taken out of the envelope as they are written.
    #[cfg(feature = "mtom")]
    attachments: Option<Box<crate::mtom::OutgoingAttachments>>,
}

/// The first character the writer could not write.
#[derive(Debug, Clone, Copy)]
struct Forbidden {
    /// Where in the buffer the text holding it starts: the elements open there name it.
    at: usize,
    character: char,
}

impl XmlWriter {
    /// The prefix bound to the service's target namespace on the root element.
    pub const TNS_PREFIX: &'static str = "ns1";

    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(bytes: usize) -> Self {
        Self { buf: Vec::with_capacity(bytes), ..Self::default() }
    }

    /// A writer that takes each `Base64Binary` of at least `threshold` bytes as an MTOM
    /// attachment (see [`crate::mtom`]).
    #[cfg(feature = "mtom")]
    pub(crate) fn gathering_attachments(bytes: usize, threshold: usize) -> Self {
        let attachments = Some(Box::new(crate::mtom::OutgoingAttachments::new(threshold)));
        Self { buf: Vec::with_capacity(bytes), forbidden: None, attachments }
    }

    #[cfg(feature = "mtom")]
    pub(crate) fn attachments_mut(&mut self) -> Option<&mut crate::mtom::OutgoingAttachments> {
        self.attachments.as_deref_mut()
    }

    /// The attachments gathered so far, leaving none.
    #[cfg(feature = "mtom")]
    pub(crate) fn take_attachments(&mut self) -> Option<crate::mtom::OutgoingAttachments> {
        self.attachments.take().map(|boxed| *boxed)
    }

    /// The document as written, with U+FFFD for any character XML cannot carry (see
    /// [`XmlWriter::finish`]).
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// The document, or an error naming the first character written that XML 1.0 cannot
    /// carry and the element whose text held it.
    pub fn finish(self) -> Result<Vec<u8>, EncodeError> {
        match self.forbidden {
            None => Ok(self.buf),
            Some(Forbidden { at, character }) => Err(EncodeError::new(character, open_elements(&self.buf[..at]))),
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Appends markup verbatim. The caller guarantees it is well-formed.
    #[inline(always)]
    pub fn raw(&mut self, markup: &str) {
        put(&mut self.buf, markup.as_bytes());
    }

    #[inline(always)]
    pub fn start(&mut self, name: &str) {
        put_all(&mut self.buf, [b"<", name.as_bytes(), b">"]);
    }

    /// A start tag carrying `xsi:type="ns1:{type_name}"`, for a value of a derived type.
    #[inline]
    pub fn start_typed(&mut self, name: &str, type_name: &str) {
        self.open_typed(name, type_name);
        self.buf.push(b'>');
    }

    /// `<name`: a start tag that attributes follow, closed by [`XmlWriter::close_start`].
    /// Elements without attributes use [`XmlWriter::start`].
    #[inline]
    pub fn open(&mut self, name: &str) {
        put_all(&mut self.buf, [b"<", name.as_bytes()]);
    }

    /// `<name xsi:type="ns1:{type_name}"`, which attributes may follow.
    #[inline]
    pub fn open_typed(&mut self, name: &str, type_name: &str) {
        self.open(name);
        self.buf.extend_from_slice(b" xsi:type=\"");
        // A type of another namespace comes with its own prefix (`ns2:Circle`).
        if !type_name.contains(':') {
            self.buf.extend_from_slice(Self::TNS_PREFIX.as_bytes());
            self.buf.push(b':');
        }
        self.buf.extend_from_slice(type_name.as_bytes());
        self.buf.push(b'"');
    }

    /// Ends a start tag begun with [`XmlWriter::open`] or [`XmlWriter::open_typed`].
    #[inline]
    pub fn close_start(&mut self) {
        self.buf.push(b'>');
    }

    /// ` name="value"` inside an open start tag, the value escaped for an attribute.
    pub fn attribute<T: SimpleValue>(&mut self, name: &str, value: &T) {
        self.attribute_text(name, &value.value_text());
    }

    /// ` name="text"` inside an open start tag, escaping the text for an attribute.
    #[inline]
    pub fn attribute_text(&mut self, name: &str, text: &str) {
        put_all(&mut self.buf, [b" ", name.as_bytes(), b"=\""]);
        let at = self.buf.len();
        if let Some(character) = escape_attribute_into(&mut self.buf, text) {
            self.forbidden.get_or_insert(Forbidden { at, character });
        }
        self.buf.push(b'"');
    }

    /// An optional attribute: nothing is written for `None`.
    pub fn optional_attribute<T: SimpleValue>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.attribute(name, value);
        }
    }

    /// An attribute with a `fixed` value: the value held, else the fixed one, so it is
    /// always written.
    pub fn fixed_attribute<T: SimpleValue>(&mut self, name: &str, value: &Option<T>, fixed: &str) {
        match value {
            Some(value) => self.attribute(name, value),
            None => self.attribute_text(name, fixed),
        }
    }

    /// The escaped text of a simple value: the content of a simple-content element.
    pub fn simple_text<T: SimpleValue>(&mut self, value: &T) {
        self.text(&value.value_text());
    }

    #[inline(always)]
    pub fn end(&mut self, name: &str) {
        put_all(&mut self.buf, [b"</", name.as_bytes(), b">"]);
    }

    /// `<name xsi:nil="true"/>`.
    #[inline]
    pub fn nil(&mut self, name: &str) {
        put_all(&mut self.buf, [b"<", name.as_bytes(), b" xsi:nil=\"true\"/>"]);
    }

    /// Escaped character data.
    #[inline(always)]
    pub fn text(&mut self, text: &str) {
        // Most values need no escaping: copied whole, without the escaping loop.
        if chars::is_plain(text.as_bytes()) {
            put(&mut self.buf, text.as_bytes());
            return;
        }
        let at = self.buf.len();
        if let Some(character) = escape_into(&mut self.buf, text) {
            self.forbidden.get_or_insert(Forbidden { at, character });
        }
    }

    /// `<name>text</name>`, escaping the text.
    #[inline(always)]
    pub fn text_element(&mut self, name: &str, text: &str) {
        let (tag, bytes) = (name.as_bytes(), text.as_bytes());
        if chars::is_plain(bytes) {
            put_all(&mut self.buf, [b"<", tag, b">", bytes, b"</", tag, b">"]);
            return;
        }
        self.start(name);
        self.text(text);
        self.end(name);
    }

    /// `<name>digits</name>` for an integer, without going through `fmt`.
    pub fn integer_element(&mut self, name: &str, value: impl itoa::Integer) {
        self.start(name);
        self.buf.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        self.end(name);
    }

    /// A required element.
    #[inline]
    pub fn field<T: ToXml + ?Sized>(&mut self, name: &str, value: &T) {
        value.write_xml(self, name);
    }

    /// An element with `minOccurs="0"`: nothing is written for `None`.
    #[inline]
    pub fn optional<T: ToXml>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            value.write_xml(self, name);
        }
    }

    /// An element with `minOccurs="0"` and `nillable="true"`.
    #[inline]
    pub fn nillable<T: ToXml>(&mut self, name: &str, value: &Nillable<T>) {
        match value {
            Nillable::Absent => {}
            Nillable::Nil => self.nil(name),
            Nillable::Value(value) => value.write_xml(self, name),
        }
    }

    /// An element with `minOccurs="1"` and `nillable="true"`: `None` is written as nil.
    #[inline]
    pub fn nil_or<T: ToXml>(&mut self, name: &str, value: &Option<T>) {
        match value {
            None => self.nil(name),
            Some(value) => value.write_xml(self, name),
        }
    }

    /// A repeated element (`maxOccurs` above one), one element per item.
    #[inline]
    pub fn repeated<T: ToXml>(&mut self, name: &str, values: &[T]) {
        for value in values {
            value.write_xml(self, name);
        }
    }
}

/// Copies `text` escaping `&`, `<`, `>` and carriage return (which XML would otherwise
/// normalise to a line feed), in runs between the bytes that need it. A character XML cannot
/// carry becomes U+FFFD; the first one is returned.
#[inline(never)]
fn escape_into(buf: &mut Vec<u8>, text: &str) -> Option<char> {
    escape_with::<false>(buf, text)
}

/// Copies an attribute value, escaping as text does and also `"`, and tab and line feed as
/// character references (a reader would otherwise normalise them to spaces).
fn escape_attribute_into(buf: &mut Vec<u8>, text: &str) -> Option<char> {
    escape_with::<true>(buf, text)
}

/// The one escaping loop; `ATTRIBUTE` picks the table, so text escaping compiles as before.
#[inline(always)]
fn escape_with<const ATTRIBUTE: bool>(buf: &mut Vec<u8>, text: &str) -> Option<char> {
    let bytes = text.as_bytes();
    let mut forbidden = None;
    let mut run_start = 0;
    let mut i = 0;
    while let Some(at) = next_special::<ATTRIBUTE>(bytes, i) {
        i = at;
        let (replacement, width): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            b'\r' => (b"&#13;", 1),
            b'"' => (b"&quot;", 1),
            b'\t' => (b"&#9;", 1),
            b'\n' => (b"&#10;", 1),
            0xEF if !chars::is_noncharacter_at(bytes, i) => {
                i += 1;
                continue;
            }
            // A forbidden control, or U+FFFE/U+FFFF: `i` starts a character either way.
            byte => {
                forbidden = forbidden.or_else(|| text[i..].chars().next());
                (REPLACEMENT, if byte == 0xEF { 3 } else { 1 })
            }
        };
        buf.extend_from_slice(&bytes[run_start..i]);
        buf.extend_from_slice(replacement);
        i += width;
        run_start = i;
    }
    buf.extend_from_slice(&bytes[run_start..]);
    forbidden
}

/// Appends `bytes` to `buf`.
#[inline(always)]
fn put(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.reserve(bytes.len());
    // SAFETY: just reserved.
    unsafe { append_reserved(buf, bytes) }
}

/// Appends the pieces to `buf` with one capacity check for all of them: a tag is three or
/// four pieces, and a check per piece costs more than copying a short name.
#[inline(always)]
fn put_all<const N: usize>(buf: &mut Vec<u8>, pieces: [&[u8]; N]) {
    buf.reserve(pieces.iter().map(|piece| piece.len()).sum());
    for piece in pieces {
        // SAFETY: the reservation above covers every piece.
        unsafe { append_reserved(buf, piece) }
    }
}

/// Appends `bytes` to `buf` without a capacity check. Names and most values are a few bytes
/// long, and copying a length not known at compile time calls `memcpy`, which costs more
/// than the copy itself: up to 16 bytes are copied here as two overlapping words.
///
/// # Safety
/// `buf` must have room for `bytes.len()` more bytes (`capacity - len`).
#[inline(always)]
unsafe fn append_reserved(buf: &mut Vec<u8>, bytes: &[u8]) {
    let n = bytes.len();
    debug_assert!(buf.capacity() - buf.len() >= n);
    let len = buf.len();
    let src = bytes.as_ptr();
    // SAFETY: the caller guarantees room for `n` bytes after `len`; every write below lies
    // within `len..len + n` and every read within `bytes`, and all `n` bytes are written
    // before `set_len` makes them part of the vector. Reads and writes are unaligned, as
    // `read_unaligned` and `write_unaligned` allow.
    unsafe {
        let dst = buf.as_mut_ptr().add(len);
        if n > 16 {
            std::ptr::copy_nonoverlapping(src, dst, n);
        } else if n >= 8 {
            dst.cast::<u64>().write_unaligned(src.cast::<u64>().read_unaligned());
            dst.add(n - 8).cast::<u64>().write_unaligned(src.add(n - 8).cast::<u64>().read_unaligned());
        } else if n >= 4 {
            dst.cast::<u32>().write_unaligned(src.cast::<u32>().read_unaligned());
            dst.add(n - 4).cast::<u32>().write_unaligned(src.add(n - 4).cast::<u32>().read_unaligned());
        } else {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        buf.set_len(len + n);
    }
}

/// U+FFFD REPLACEMENT CHARACTER, in UTF-8.
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// The local names of the elements open at the end of `written` (the writer's own output,
/// so well-formed), outermost first. Runs only when there is an error to report.
fn open_elements(written: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_reader(written);
    let mut open = Vec::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(start)) => {
                let name = start.local_name();
                open.push(String::from_utf8_lossy(name.as_ref()).into_owned());
            }
            Ok(quick_xml::events::Event::End(_)) => {
                open.pop();
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return open,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl XmlWriter {
        fn empty_for_test(&mut self, name: &str) {
            self.raw(&format!("<{name}/>"));
        }
    }

    #[test]
    fn short_and_long_copies_append_exactly_the_bytes() {
        let source: Vec<u8> = (0u8..40).map(|b| b'a' + b % 26).collect();
        for start in 0..3 {
            for n in 0..=source.len() - start {
                let mut buf = b"xyz"[..start].to_vec();
                put(&mut buf, &source[start..start + n]);
                put_all(&mut buf, [&source[..n], b"", &source[start..start + n]]);
                let mut expected = b"xyz"[..start].to_vec();
                expected.extend_from_slice(&source[start..start + n]);
                expected.extend_from_slice(&source[..n]);
                expected.extend_from_slice(&source[start..start + n]);
                assert_eq!(buf, expected, "start {start}, {n} bytes");
            }
        }
    }

    #[test]
    fn the_word_test_finds_every_special_byte_wherever_it_stands() {
        for len in 0..24 {
            for at in 0..len {
                for special in [b'&', b'<', b'>', b'\r', 0x01, b'\n', b'"', 0xEF] {
                    let mut text = vec![b'a'; len];
                    text[at] = special;
                    let expected_text = chars::SPECIAL[usize::from(special)].then_some(at);
                    let expected_attribute = chars::ATTRIBUTE_SPECIAL[usize::from(special)].then_some(at);
                    assert_eq!(next_special::<false>(&text, 0), expected_text, "{len} {at} {special}");
                    assert_eq!(next_special::<true>(&text, 0), expected_attribute, "{len} {at} {special}");
                }
                // Bytes just above the thresholds are never special.
                let text: Vec<u8> = (0..len).map(|i| [0x20, 0x7F, 0x80, 0xEE, 0xF0, b'=', b'?'][i % 7]).collect();
                assert_eq!(next_special::<true>(&text, 0), None, "{text:?}");
            }
        }
    }

    #[test]
    fn escapes_markup_and_carriage_returns_only() {
        let mut w = XmlWriter::new();
        w.text_element("a", "x & <y> \"q\" 'z'\r\n é");
        assert_eq!(std::str::from_utf8(w.as_bytes()).unwrap(), "<a>x &amp; &lt;y&gt; \"q\" 'z'&#13;\n é</a>");
    }

    #[test]
    fn characters_xml_cannot_carry_are_replaced_and_the_first_is_reported_with_its_element() {
        let mut w = XmlWriter::new();
        w.raw("<?xml version=\"1.0\"?>");
        w.start("ns1:params");
        w.text_element("ok", "fine é");
        w.start("list");
        w.empty_for_test("skipped");
        w.text_element("attrValue", "a\u{0}b\u{1b}\u{FFFF}");
        w.end("list");
        w.text_element("later", "\u{b}");
        w.end("ns1:params");
        let text = String::from_utf8(w.as_bytes().to_vec()).unwrap();
        assert!(text.contains("<attrValue>a\u{FFFD}b\u{FFFD}\u{FFFD}</attrValue>"), "{text}");
        let err = w.finish().unwrap_err();
        assert_eq!(
            (err.character(), err.path()),
            ('\u{0}', &["params".to_owned(), "list".into(), "attrValue".into()][..])
        );
        assert_eq!(err.to_string(), "U+0000 is not a character XML 1.0 allows (in /params/list/attrValue)");
        let mut fine = XmlWriter::new();
        fine.text_element("a", "\t\n\u{FFFD}\u{FEFF}𝄞");
        assert!(fine.finish().is_ok());
    }

    #[test]
    fn attributes_escape_quotes_and_white_space_that_a_reader_would_normalise() {
        let mut w = XmlWriter::new();
        w.open_typed("ns1:v", "Price");
        w.attribute_text("unit", "a&b <c> \"d\" 'e'\t\n\r");
        w.optional_attribute::<i32>("none", &None);
        w.optional_attribute("n", &Some(-3i32));
        w.fixed_attribute::<String>("version", &None, "2.0");
        w.close_start();
        w.simple_text(&1.5f64);
        w.end("ns1:v");
        assert_eq!(
            std::str::from_utf8(w.as_bytes()).unwrap(),
            "<ns1:v xsi:type=\"ns1:Price\" unit=\"a&amp;b &lt;c&gt; &quot;d&quot; 'e'&#9;&#10;&#13;\" n=\"-3\" \
             version=\"2.0\">1.5</ns1:v>"
        );
        let mut bad = XmlWriter::new();
        bad.open("a");
        bad.attribute_text("x", "\u{1}");
        bad.close_start();
        bad.end("a");
        assert_eq!(bad.finish().unwrap_err().character(), '\u{1}');
    }

    #[test]
    fn writes_nil_absent_and_typed_elements() {
        let mut w = XmlWriter::new();
        w.nillable::<String>("absent", &Nillable::Absent);
        w.nillable::<String>("nil", &Nillable::Nil);
        w.nil_or::<String>("required", &None);
        w.optional::<String>("none", &None);
        w.start_typed("sel", "LeadKeySelector");
        w.end("sel");
        w.integer_element("n", -42i32);
        assert_eq!(
            std::str::from_utf8(w.as_bytes()).unwrap(),
            r#"<nil xsi:nil="true"/><required xsi:nil="true"/><sel xsi:type="ns1:LeadKeySelector"></sel><n>-42</n>"#
        );
    }
}
