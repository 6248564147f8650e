//! Bytes of an XML document to text, by its byte-order mark or its XML declaration.

/// Decodes an XML document: UTF-8 with or without a byte-order mark; UTF-16 with a byte-order mark
/// (or, without one, starting `<?` as XML 1.0 appendix F describes); ISO-8859-1, and every
/// other encoding the WHATWG Encoding Standard names (Shift_JIS, EUC-KR, GBK, windows-1252,
/// ...), when declared. Bytes that are not valid in the encoding are an error naming their
/// line and column.
pub fn decode_xml(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if bytes.starts_with(b"\xFF\xFE\0\0") || bytes.starts_with(b"\0\0\xFE\xFF") {
        return Err("the document is UTF-32, which this reader cannot decode".to_owned());
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    if bytes.starts_with(b"<\0?\0") {
        return utf16(bytes, u16::from_le_bytes);
    }
    if bytes.starts_with(b"\0<\0?") {
        return utf16(bytes, u16::from_be_bytes);
    }
    if bytes.is_ascii() {
        return utf8(bytes);
    }
    match declared_encoding(bytes) {
        None => utf8(bytes),
        Some(name) if is_utf8(&name) => utf8(bytes),
        // Each ISO-8859-1 byte is the code point of the same number.
        Some(name) if is_latin1(&name) => Ok(bytes.iter().map(|&byte| char::from(byte)).collect()),
        Some(name) => match encoding_rs::Encoding::for_label(name.trim().as_bytes()) {
            Some(encoding) => decode_as(bytes, encoding, &name),
            None => Err(format!("the document declares encoding `{name}`, which this reader does not know")),
        },
    }
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) = position(std::str::from_utf8(&bytes[..valid]).unwrap_or(""));
        let byte = bytes[valid];
        format!("the document is not valid UTF-8 at {line}:{column} (byte 0x{byte:02X}) and declares no other encoding")
    })
}

/// Decodes with `encoding`, naming where the first byte sequence it cannot decode stands.
fn decode_as(bytes: &[u8], encoding: &'static encoding_rs::Encoding, name: &str) -> Result<String, String> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .ok_or_else(|| format!("the document is too large to decode from {name}"))?;
    let mut text = String::with_capacity(capacity);
    match decoder.decode_to_string_without_replacement(bytes, &mut text, true).0 {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(..) | encoding_rs::DecoderResult::OutputFull => {
            let (line, column) = position(&text);
            Err(format!("the document is not valid {name} at {line}:{column}"))
        }
    }
}

/// The 1-based line and column (in characters) just past `decoded`.
fn position(decoded: &str) -> (u32, u32) {
    crate::LineStarts::new(decoded).position(decoded, decoded.len())
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    let pairs = bytes.chunks_exact(2);
    if !pairs.remainder().is_empty() {
        return Err("the UTF-16 document has an odd number of bytes".to_owned());
    }
    let units: Vec<u16> = pairs.map(|pair| unit([pair[0], pair[1]])).collect();
    String::from_utf16(&units).map_err(|_| "the UTF-16 document has an unpaired surrogate".to_owned())
}

/// The `encoding` of a leading `<?xml ...?>` declaration, as written.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|pair| pair == b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let value = declaration.split_once("encoding")?.1.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    value[1..].split(quote).next().map(str::to_owned)
}

fn is_utf8(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
}

fn is_latin1(name: &str) -> bool {
    let names = ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819"];
    names.contains(&name.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::decode_xml;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let bom = if bom { vec![0xFF, 0xFE] } else { vec![] };
        bom.into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
    }

    #[test]
    fn reads_utf8_with_and_without_a_bom() {
        assert_eq!(decode_xml("<a>é</a>".as_bytes()).unwrap(), "<a>é</a>");
        assert_eq!(decode_xml("\u{FEFF}<a>é</a>".as_bytes()).unwrap(), "<a>é</a>");
    }

    #[test]
    fn reads_utf16_by_bom_or_by_the_declaration_pattern() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é 𝄞</a>";
        assert_eq!(decode_xml(&utf16le(text, true)).unwrap(), text);
        assert_eq!(decode_xml(&utf16le(text, false)).unwrap(), text);
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode_xml(&be).unwrap(), text);
        assert!(decode_xml(&utf16le(text, true)[..9]).unwrap_err().contains("odd"));
        assert!(decode_xml(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]).unwrap_err().contains("surrogate"));
    }

    #[test]
    fn reads_declared_latin1_and_names_other_encodings() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9</a>";
        assert_eq!(decode_xml(latin1).unwrap(), "<?xml version='1.0' encoding='ISO-8859-1'?><a>café</a>");
        let cp1252 = b"<?xml version=\"1.0\" encoding = \"windows-1252\"?><a>\x80</a>";
        assert_eq!(decode_xml(cp1252).unwrap(), "<?xml version=\"1.0\" encoding = \"windows-1252\"?><a>\u{20AC}</a>");
        // 안녕 in EUC-KR, and 日本 in Shift_JIS.
        let euc_kr = b"<?xml version='1.0' encoding='EUC-KR'?>\n<a>\xBE\xC8\xB3\xE7</a>";
        assert_eq!(decode_xml(euc_kr).unwrap(), "<?xml version='1.0' encoding='EUC-KR'?>\n<a>안녕</a>");
        let sjis = b"<?xml version='1.0' encoding='Shift_JIS'?><a>\x93\xFA\x96\x7B</a>";
        assert_eq!(decode_xml(sjis).unwrap(), "<?xml version='1.0' encoding='Shift_JIS'?><a>日本</a>");
        let bad = b"<?xml version='1.0' encoding='Shift_JIS'?>\n<a>\x93\xFA\xFF</a>";
        assert_eq!(decode_xml(bad).unwrap_err(), "the document is not valid Shift_JIS at 2:5");
        let unknown = b"<?xml version='1.0' encoding='x-klingon'?><a>\xFF</a>";
        assert!(decode_xml(unknown).unwrap_err().contains("`x-klingon`, which this reader does not know"));
        let ascii = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>";
        assert_eq!(decode_xml(ascii).unwrap(), "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>");
    }

    #[test]
    fn names_the_line_of_invalid_utf8() {
        let error = decode_xml(b"<a>\n<b\xC3\xA9>\xC3\xBF\xFF</b></a>").unwrap_err();
        assert!(error.contains("not valid UTF-8 at 2:6 (byte 0xFF)"), "{error}");
        assert!(decode_xml(b"\0\0\xFE\xFF").unwrap_err().contains("UTF-32"));
    }
}
