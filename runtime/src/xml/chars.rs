//! The characters XML 1.0 can carry: tab, line feed, carriage return, and everything from
//! U+0020 up except the surrogates (which UTF-8 cannot hold) and U+FFFE and U+FFFF. The
//! writer and the reader share this one definition, so a value the reader accepts is one
//! the writer can send, and the other way round.

/// A C0 control other than tab, line feed and carriage return.
pub(crate) const fn is_forbidden_control(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r')
}

/// Whether U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`) starts at byte `at`.
pub(crate) fn is_noncharacter_at(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at..at + 3), Some([0xEF, 0xBF, 0xBE | 0xBF]))
}

/// The first character of `text` that XML 1.0 cannot carry, and its byte offset.
pub(crate) fn first_forbidden(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut from = 0;
    // A cheap test per byte; the exact one runs only where it might match.
    while let Some(i) = bytes[from..].iter().position(|&b| b < 0x20 || b == 0xEF) {
        let at = from + i;
        if is_forbidden_control(bytes[at]) || is_noncharacter_at(bytes, at) {
            // Both candidates are the first byte of a character.
            return text[at..].chars().next().map(|c| (at, c));
        }
        from = at + 1;
    }
    None
}

/// How messages name a character: `U+0001`.
pub(crate) fn describe(character: char) -> String {
    format!("U+{:04X} is not a character XML 1.0 allows", u32::from(character))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_controls_and_the_two_noncharacters_only() {
        assert_eq!(first_forbidden("plain é € 𝄞 \t\r\n\u{FFFD}\u{FEFF}"), None);
        assert_eq!(first_forbidden("a\u{0}b"), Some((1, '\u{0}')));
        assert_eq!(first_forbidden("é\u{1b}"), Some((2, '\u{1b}')));
        assert_eq!(first_forbidden("x\u{FFFE}"), Some((1, '\u{FFFE}')));
        assert_eq!(first_forbidden("\u{FFEF}\u{FFFF}"), Some((3, '\u{FFFF}')));
        for byte in 0u8..0x20 {
            let text = char::from(byte).to_string();
            assert_eq!(first_forbidden(&text).is_some(), !matches!(byte, 9 | 10 | 13), "{byte}");
        }
        assert_eq!(describe('\u{b}'), "U+000B is not a character XML 1.0 allows");
    }
}
