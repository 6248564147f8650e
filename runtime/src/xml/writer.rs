use super::values::Nillable;
use super::ToXml;

/// Writes XML straight into a byte buffer. There is no intermediate tree and no
/// per-element allocation: text is escaped as it is copied.
///
/// Element names are written as given; the service namespace prefix (for qualified global
/// elements and `xsi:type` values) is [`XmlWriter::TNS_PREFIX`], declared once on the root.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
}

impl XmlWriter {
    /// The prefix bound to the service's target namespace on the root element.
    pub const TNS_PREFIX: &'static str = "ns1";

    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(bytes: usize) -> Self {
        Self { buf: Vec::with_capacity(bytes) }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Appends markup verbatim. The caller guarantees it is well-formed.
    pub fn raw(&mut self, markup: &str) {
        self.buf.extend_from_slice(markup.as_bytes());
    }

    pub fn start(&mut self, name: &str) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
    }

    /// A start tag carrying `xsi:type="ns1:{type_name}"`, for a value of a derived type.
    pub fn start_typed(&mut self, name: &str, type_name: &str) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b" xsi:type=\"");
        self.buf.extend_from_slice(Self::TNS_PREFIX.as_bytes());
        self.buf.push(b':');
        self.buf.extend_from_slice(type_name.as_bytes());
        self.buf.extend_from_slice(b"\">");
    }

    pub fn end(&mut self, name: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.push(b'>');
    }

    /// `<name xsi:nil="true"/>`.
    pub fn nil(&mut self, name: &str) {
        self.buf.push(b'<');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b" xsi:nil=\"true\"/>");
    }

    /// Escaped character data.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.buf, text.as_bytes());
    }

    /// `<name>text</name>`, escaping the text.
    pub fn text_element(&mut self, name: &str, text: &str) {
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
    pub fn field<T: ToXml + ?Sized>(&mut self, name: &str, value: &T) {
        value.write_xml(self, name);
    }

    /// An element with `minOccurs="0"`: nothing is written for `None`.
    pub fn optional<T: ToXml>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            value.write_xml(self, name);
        }
    }

    /// An element with `minOccurs="0"` and `nillable="true"`.
    pub fn nillable<T: ToXml>(&mut self, name: &str, value: &Nillable<T>) {
        match value {
            Nillable::Absent => {}
            Nillable::Nil => self.nil(name),
            Nillable::Value(value) => value.write_xml(self, name),
        }
    }

    /// An element with `minOccurs="1"` and `nillable="true"`: `None` is written as nil.
    pub fn nil_or<T: ToXml>(&mut self, name: &str, value: &Option<T>) {
        match value {
            None => self.nil(name),
            Some(value) => value.write_xml(self, name),
        }
    }

    /// A repeated element (`maxOccurs` above one), one element per item.
    pub fn repeated<T: ToXml>(&mut self, name: &str, values: &[T]) {
        for value in values {
            value.write_xml(self, name);
        }
    }
}

/// Copies `text` escaping `&`, `<`, `>` and carriage return (which XML would otherwise
/// normalise to a line feed), in runs between the bytes that need it.
fn escape_into(buf: &mut Vec<u8>, text: &[u8]) {
    let mut run_start = 0;
    for (i, &byte) in text.iter().enumerate() {
        let replacement: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        buf.extend_from_slice(&text[run_start..i]);
        buf.extend_from_slice(replacement);
        run_start = i + 1;
    }
    buf.extend_from_slice(&text[run_start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_carriage_returns_only() {
        let mut w = XmlWriter::new();
        w.text_element("a", "x & <y> \"q\" 'z'\r\n é");
        assert_eq!(std::str::from_utf8(w.as_bytes()).unwrap(), "<a>x &amp; &lt;y&gt; \"q\" 'z'&#13;\n é</a>");
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
