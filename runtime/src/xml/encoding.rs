//! The reader reads UTF-8 only. A UTF-8 byte order mark is dropped; any other encoding is
//! refused by name, so that a document is never read as something it is not.

use crate::error::DecodeErrorKind;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `input` without a leading UTF-8 byte order mark. quick-xml drops one too, but without
/// counting it in its positions; dropping it first keeps every position and slice on the
/// same bytes.
pub(crate) fn without_byte_order_mark(input: &[u8]) -> &[u8] {
    input.strip_prefix(UTF8_BOM).unwrap_or(input)
}

/// An encoding the first bytes give away: a UTF-16 or UTF-32 byte order mark, or `<` in one
/// of those encodings.
pub(crate) fn check_first_bytes(input: &[u8]) -> Result<(), DecodeErrorKind> {
    let encoding = match input {
        [0, 0, 0xFE, 0xFF, ..] | [0, 0, 0, b'<', ..] => "UTF-32BE",
        [0xFF, 0xFE, 0, 0, ..] | [b'<', 0, 0, 0, ..] => "UTF-32LE",
        [0xFE, 0xFF, ..] | [0, b'<', ..] => "UTF-16BE",
        [0xFF, 0xFE, ..] | [b'<', 0, ..] => "UTF-16LE",
        _ => return Ok(()),
    };
    Err(unsupported(encoding))
}

/// The encoding an XML declaration names, if any, must be UTF-8 (in any case).
/// `declaration` is the text between `<?xml` and `?>`.
pub(crate) fn check_declaration(declaration: &[u8]) -> Result<(), DecodeErrorKind> {
    let encoding = super::namespaces::attributes(declaration).find(|(name, _)| *name == b"encoding");
    match encoding {
        None => Ok(()),
        Some((_, name)) if name.eq_ignore_ascii_case(b"UTF-8") => Ok(()),
        Some((_, name)) => Err(unsupported(&String::from_utf8_lossy(name))),
    }
}

fn unsupported(encoding: &str) -> DecodeErrorKind {
    DecodeErrorKind::Malformed(format!("the document is in encoding `{encoding}`; only UTF-8 can be read"))
}
