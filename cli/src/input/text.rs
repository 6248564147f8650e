//! From the file's bytes to the text every format reads: the encoding decoded, a byte order
//! mark dropped, and every line end made `\n`. Line ends are handled here and nowhere else,
//! so LF, CRLF and bare-CR files give the same physical line numbers.

use encoding_rs::Encoding;

/// Decodes `bytes` and normalizes their line ends, all at once: what [`TextReader`] does a
/// piece at a time, kept as the reference its tests compare with. With a byte order mark, its encoding
/// wins; otherwise `encoding` (when given) decodes the whole file, which must be valid in
/// it. Without either, the bytes stay as they are: UTF-8 is checked record by record, so a
/// damaged record is rejected alone.
#[cfg(test)]
pub fn prepare(mut bytes: Vec<u8>, encoding: Option<&'static Encoding>) -> Result<Vec<u8>, String> {
    let bom = Encoding::for_bom(&bytes);
    let encoding = bom.map(|(encoding, _)| encoding).or(encoding).filter(|e| *e != encoding_rs::UTF_8);
    let skip = bom.map_or(0, |(_, length)| length);
    if let Some(encoding) = encoding {
        let text = encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[skip..])
            .ok_or_else(|| format!("the file is not valid {}", encoding.name()))?;
        bytes = text.into_owned().into_bytes();
    } else if skip > 0 {
        bytes.drain(..skip);
    }
    normalize_line_ends(&mut bytes);
    Ok(bytes)
}

/// Makes CRLF and a lone CR into LF, in place. XML parsers do the same to text (XML 1.0,
/// 2.11), so a value loses nothing Marketo would have kept.
#[cfg(test)]
pub fn normalize_line_ends(bytes: &mut Vec<u8>) {
    let (mut read, mut write) = (0, 0);
    while read < bytes.len() {
        let byte = bytes[read];
        if byte == b'\r' {
            bytes[write] = b'\n';
            if bytes.get(read + 1) == Some(&b'\n') {
                read += 1;
            }
        } else {
            bytes[write] = byte;
        }
        read += 1;
        write += 1;
    }
    bytes.truncate(write);
}

/// The streaming form of [`prepare`]: reads `inner` a piece at a time and hands out the
/// same text, so that a file of any size takes only a buffer's worth of memory. A CR at the
/// end of one read and an LF at the start of the next are one line end.
pub struct TextReader<R> {
    inner: R,
    raw: Vec<u8>,
    decoder: Option<encoding_rs::Decoder>,
    /// The encoding asked for; settled, with any byte order mark, on the first read.
    encoding: Option<&'static Encoding>,
    started: bool,
    ended: bool,
    /// The last byte handed out was a CR made LF: an LF right after it is dropped.
    after_cr: bool,
    decoded: Vec<u8>,
}

/// Why the text could not be read: the source failed, or is not in its encoding.
#[derive(Debug)]
pub enum TextError {
    Io(std::io::Error),
    Encoding(String),
}

/// How much raw input one read takes.
const READ_SIZE: usize = 64 * 1024;

impl<R: std::io::Read> TextReader<R> {
    pub fn new(inner: R, encoding: Option<&'static Encoding>) -> Self {
        Self {
            inner,
            raw: Vec::with_capacity(READ_SIZE),
            decoder: None,
            encoding,
            started: false,
            ended: false,
            after_cr: false,
            decoded: Vec::new(),
        }
    }

    /// What the text is read from.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// Appends the next piece of text to `out`; `false` once the input has ended.
    pub fn read_into(&mut self, out: &mut Vec<u8>) -> Result<bool, TextError> {
        if self.ended {
            return Ok(false);
        }
        let last = self.fill()?;
        if !self.started {
            self.start();
        }
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        let text: &[u8] = match &mut self.decoder {
            None => &self.raw,
            Some(decoder) => {
                let needed = decoder.max_utf8_buffer_length_without_replacement(self.raw.len()).unwrap_or(usize::MAX);
                decoded.resize(needed, 0);
                let (result, _, written) = decoder.decode_to_utf8_without_replacement(&self.raw, &mut decoded, last);
                if let encoding_rs::DecoderResult::Malformed(..) = result {
                    return Err(TextError::Encoding(format!("the file is not valid {}", decoder.encoding().name())));
                }
                decoded.truncate(written);
                &decoded
            }
        };
        self.after_cr = normalize_onto(text, out, self.after_cr);
        self.raw.clear();
        self.decoded = decoded;
        self.ended = last;
        Ok(!last)
    }

    /// Reads the next raw piece: at least the 3 bytes a byte order mark can take, unless
    /// the input ends first. Returns whether it has ended.
    fn fill(&mut self) -> Result<bool, TextError> {
        let mut buffer = [0u8; READ_SIZE];
        loop {
            let read = match self.inner.read(&mut buffer) {
                Ok(read) => read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(TextError::Io(e)),
            };
            if read == 0 {
                return Ok(true);
            }
            self.raw.extend_from_slice(&buffer[..read]);
            if self.started || self.raw.len() >= 3 {
                return Ok(false);
            }
        }
    }

    /// As `prepare`: a byte order mark's encoding wins, UTF-8 stays as it is.
    fn start(&mut self) {
        self.started = true;
        let bom = Encoding::for_bom(&self.raw);
        let encoding = bom.map(|(encoding, _)| encoding).or(self.encoding).filter(|e| *e != encoding_rs::UTF_8);
        self.raw.drain(..bom.map_or(0, |(_, length)| length));
        self.decoder = encoding.map(Encoding::new_decoder_without_bom_handling);
    }
}

/// Appends `text` to `out` with every line end made LF, as [`normalize_line_ends`] does;
/// `after_cr` says the text before ended with a CR. Returns whether this text does.
fn normalize_onto(mut text: &[u8], out: &mut Vec<u8>, after_cr: bool) -> bool {
    if text.is_empty() {
        return after_cr;
    }
    if after_cr && text[0] == b'\n' {
        text = &text[1..];
    }
    let ends_with_cr = text.last() == Some(&b'\r');
    out.reserve(text.len());
    while let Some(at) = text.iter().position(|b| *b == b'\r') {
        out.extend_from_slice(&text[..at]);
        out.push(b'\n');
        text = &text[at + 1..];
        if text.first() == Some(&b'\n') {
            text = &text[1..];
        }
    }
    out.extend_from_slice(text);
    ends_with_cr
}

/// Physical line numbers of byte offsets, for offsets that only move forward.
pub struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        Self { text, offset: 0, line: 1 }
    }

    /// The 1-based line `offset` is on.
    pub fn line_of(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            self.line += self.text[self.offset..offset].iter().filter(|b| **b == b'\n').count();
            self.offset = offset;
        }
        self.line
    }
}

/// Why `bytes`, which are not UTF-8, are not, with where: for a record's rejection.
pub fn utf8_error(bytes: &[u8]) -> String {
    let at = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
    format!(
        "not valid UTF-8: byte 0x{:02X} at byte {}; pass --encoding if the file is in another encoding",
        bytes.get(at).copied().unwrap_or_default(),
        at + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_end_becomes_one_lf() {
        let mut bytes = b"a\r\nb\rc\nd\r\r\ne\r".to_vec();
        normalize_line_ends(&mut bytes);
        assert_eq!(bytes, b"a\nb\nc\nd\n\ne\n");
    }

    #[test]
    fn boms_and_encodings_decode_to_utf8() {
        assert_eq!(prepare(b"\xEF\xBB\xBFEmail\r\n".to_vec(), None).unwrap(), b"Email\n");
        assert_eq!(prepare(b"\xFF\xFEE\0\r\0\n\0".to_vec(), None).unwrap(), b"E\n");
        let latin1 = Encoding::for_label(b"latin1");
        assert_eq!(prepare(b"Jos\xE9".to_vec(), latin1).unwrap(), "José".as_bytes());
        // Without an encoding the bytes are left for the records to check.
        assert_eq!(prepare(b"Jos\xE9".to_vec(), None).unwrap(), b"Jos\xE9");
        assert!(prepare(b"\xD8\x00".to_vec(), Encoding::for_label(b"utf-16be")).unwrap_err().contains("UTF-16BE"));
    }

    #[test]
    fn lines_are_counted_forward() {
        let mut lines = LineCounter::new(b"a\nb\n\nc");
        assert_eq!([lines.line_of(0), lines.line_of(2), lines.line_of(5), lines.line_of(5)], [1, 2, 4, 4]);
    }

    /// Hands out its bytes `step` at a time, as a pipe might.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buffer.len()).min(self.bytes.len());
            buffer[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    fn streamed(bytes: &[u8], step: usize, encoding: Option<&'static Encoding>) -> Result<Vec<u8>, String> {
        let mut reader = TextReader::new(Trickle { bytes, step }, encoding);
        let mut out = Vec::new();
        loop {
            match reader.read_into(&mut out) {
                Ok(true) => {}
                Ok(false) => return Ok(out),
                Err(TextError::Encoding(why)) => return Err(why),
                Err(TextError::Io(e)) => return Err(e.to_string()),
            }
        }
    }

    #[test]
    fn reading_a_piece_at_a_time_prepares_the_same_text() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\r\nb\rc\u{e9}\u{1F600}\r".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let latin1 = Encoding::for_label(b"latin1");
        let cases: [(&[u8], Option<&'static Encoding>); 7] = [
            (b"a\r\nb\rc\nd\r\r\ne\r", None),
            (b"\xEF\xBB\xBFEmail\r\n", None),
            (b"\xEF\xBB", None),
            (&utf16, None),
            (b"Jos\xE9\r\n\r", latin1),
            (b"Jos\xE9", None),
            (b"\xD8\x00\x00", Encoding::for_label(b"utf-16be")),
        ];
        for (bytes, encoding) in cases {
            for step in [1, 2, 3, 5, 1024] {
                assert_eq!(streamed(bytes, step, encoding), prepare(bytes.to_vec(), encoding), "{bytes:?} by {step}");
            }
        }
    }
}
