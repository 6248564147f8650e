//! What every record must be before it is sent, whatever format it came in: within the
//! size and column limits, and made only of characters XML 1.0 can carry.

use super::Fields;

/// Limits on one record, so that one huge record is rejected alone instead of failing (or
/// swelling) the batch it would travel in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes a record may take in the input.
    pub max_record_bytes: usize,
    /// The most fields (columns) a record may have.
    pub max_columns: usize,
}

impl Limits {
    pub const DEFAULT_MAX_RECORD_BYTES: usize = 1024 * 1024;
    pub const DEFAULT_MAX_COLUMNS: usize = 1000;
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_record_bytes: Self::DEFAULT_MAX_RECORD_BYTES, max_columns: Self::DEFAULT_MAX_COLUMNS }
    }
}

/// A record of `bytes` bytes and `columns` fields, checked before its fields are built.
pub fn size(bytes: usize, columns: usize, limits: &Limits) -> Result<(), String> {
    if bytes > limits.max_record_bytes {
        return Err(format!(
            "the record is {bytes} bytes, over the limit of {} (--max-record-bytes raises it)",
            limits.max_record_bytes
        ));
    }
    if columns > limits.max_columns {
        return Err(format!(
            "the record has {columns} fields, over the limit of {} (--max-columns raises it)",
            limits.max_columns
        ));
    }
    Ok(())
}

/// Why a record of `bytes` bytes and `columns` fields, too large to read whole, is
/// rejected: as [`size`] says (the streaming reader only skips records it must refuse).
pub fn oversized(bytes: usize, columns: usize, limits: &Limits) -> String {
    size(bytes, columns, limits).err().unwrap_or_else(|| {
        format!(
            "the record is {bytes} bytes, too large to read (--max-record-bytes raises the limit of {})",
            limits.max_record_bytes
        )
    })
}

/// Every field name and value must be XML 1.0 text.
pub fn fields(fields: &Fields) -> Result<(), String> {
    for (name, value) in fields {
        xml_text(name).map_err(|why| format!("field name `{}` {why}", name.escape_debug()))?;
        xml_text(value).map_err(|why| format!("field `{name}` {why}"))?;
    }
    Ok(())
}

/// Whether XML 1.0 can carry `text`: its `Char` production allows tab, LF, CR and
/// everything from U+0020 except U+FFFE and U+FFFF (Rust strings hold no surrogates). No
/// escape helps: `&#x0B;` is just as ill-formed, so such text must not be sent at all.
pub fn xml_text(text: &str) -> Result<(), String> {
    let bad = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    match text.char_indices().find(|(_, c)| bad(*c)) {
        None => Ok(()),
        Some((at, c)) => Err(format!(
            "holds U+{:04X} at character {}, which XML 1.0 cannot carry",
            u32::from(c),
            text[..at].chars().count() + 1
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_whitespace_is_not() {
        assert!(xml_text("Tab\there\nand\r\u{20AC}\u{10FFFF}").is_ok());
        for (text, code) in [("a\0", "U+0000"), ("\u{1}", "U+0001"), ("B\u{b}ob", "U+000B"), ("\u{1b}[31m", "U+001B")] {
            assert!(xml_text(text).unwrap_err().contains(code), "{text:?}");
        }
        assert!(xml_text("x\u{FFFF}").is_err());
        assert!(xml_text("B\u{b}ob").unwrap_err().contains("character 2"));
        let bad: Fields = [("FirstName".to_owned(), "B\u{b}ob".to_owned())].into();
        assert!(fields(&bad).unwrap_err().starts_with("field `FirstName` holds U+000B"));
    }

    #[test]
    fn sizes_and_column_counts_have_limits() {
        let limits = Limits { max_record_bytes: 10, max_columns: 2 };
        assert!(size(10, 2, &limits).is_ok());
        assert!(size(11, 1, &limits).unwrap_err().contains("--max-record-bytes"));
        assert!(size(5, 3, &limits).unwrap_err().contains("--max-columns"));
    }
}
