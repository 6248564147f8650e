//! From the file's bytes to the text every format reads: the encoding decoded, a byte order
//! mark dropped, and every line end made `\n`. Line ends are handled here and nowhere else,
//! so LF, CRLF and bare-CR files give the same physical line numbers.

use encoding_rs::Encoding;

/// Decodes `bytes` and normalizes their line ends. With a byte order mark, its encoding
/// wins; otherwise `encoding` (when given) decodes the whole file, which must be valid in
/// it. Without either, the bytes stay as they are: UTF-8 is checked record by record, so a
/// damaged record is rejected alone.
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
}
