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

/// The first byte from `from` on that the table of `ATTRIBUTE` marks. Most text needs no
/// escaping at all, so eight bytes are tested at a time with word arithmetic (no byte below
/// 0x20, none of `&<>` and 0xEF, and `"` for attributes) and only a word that may hold one
/// is looked at byte by byte.
#[inline(always)]
pub(crate) fn next_special<const ATTRIBUTE: bool>(bytes: &[u8], from: usize) -> Option<usize> {
    let table = if ATTRIBUTE { &ATTRIBUTE_SPECIAL } else { &SPECIAL };
    let exact = |start: usize, end: usize| bytes[start..end].iter().position(|&b| table[usize::from(b)]);
    let mut i = from;
    while let Some(word) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if may_be_special::<ATTRIBUTE>(word) {
            if let Some(offset) = exact(i, i + 8) {
                return Some(i + offset);
            }
        }
        i += 8;
    }
    exact(i, bytes.len()).map(|offset| i + offset)
}

/// Whether `bytes` surely hold none of the bytes text escaping looks at ([`SPECIAL`]): the
/// common case, told with no byte-by-byte loop at all. Tab and line feed (allowed, but
/// rare in values) make it say no too, and the caller then takes the exact way. The text is covered by words that may
/// overlap (the last one ends where the text does; a text of four to seven bytes is two
/// overlapping halves of one word), so only texts under four bytes go byte by byte.
#[inline(always)]
pub(crate) fn is_plain(bytes: &[u8]) -> bool {
    let n = bytes.len();
    let at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("eight bytes"));
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if may_be_special::<false>(at(i)) {
                return false;
            }
            i += 8;
        }
        !may_be_special::<false>(at(n - 8))
    } else if n >= 4 {
        let half = |i: usize| u64::from(u32::from_le_bytes(bytes[i..i + 4].try_into().expect("four bytes")));
        !may_be_special::<false>(half(0) | half(n - 4) << 32)
    } else {
        !bytes.iter().any(|&b| SPECIAL[usize::from(b)])
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `word` is below 0x20 or one of the bytes escaping looks for. Exact
/// as a yes or no (the classic "has a byte less than n" and "has a zero byte" tests).
#[inline(always)]
fn may_be_special<const ATTRIBUTE: bool>(word: u64) -> bool {
    let below = |n: u64| word.wrapping_sub(ONES * n) & !word & HIGHS;
    let equal = |byte: u8| {
        let v = word ^ (ONES * u64::from(byte));
        v.wrapping_sub(ONES) & !v & HIGHS
    };
    let quote = if ATTRIBUTE { equal(b'"') } else { 0 };
    // `<` (0x3C) and `>` (0x3E) are the two bytes that bit 1 set makes 0x3E.
    let angle = {
        let v = (word | (ONES * 0x02)) ^ (ONES * 0x3E);
        v.wrapping_sub(ONES) & !v & HIGHS
    };
    (below(0x20) | equal(b'&') | angle | equal(0xEF) | quote) != 0
}

/// The bytes text escaping looks at (and, in the reader, the bytes after which a value
/// needs more than taking as it stands): markup, carriage return, the controls XML forbids, and
/// 0xEF (which starts U+FFFE and U+FFFF, and other characters).
pub(crate) static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = is_forbidden_control(byte as u8) || matches!(byte as u8, b'&' | b'<' | b'>' | b'\r' | 0xEF);
        byte += 1;
    }
    table
};

/// The bytes attribute escaping looks at: those of text, and `"`, tab and line feed.
pub(crate) static ATTRIBUTE_SPECIAL: [bool; 256] = {
    let mut table = SPECIAL;
    table[b'"' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table
};

/// Whether every byte of `word` is a space or a line feed.
#[inline(always)]
pub(crate) fn spaces_and_line_feeds(word: u64) -> bool {
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `zeros(b)` is set exactly where `word` holds `b`.
    let zeros = |b: u8| {
        let v = word ^ (0x0101_0101_0101_0101 * u64::from(b));
        !(((v & LOWS) + LOWS) | v) & HIGHS
    };
    zeros(b' ') | zeros(b'\n') == HIGHS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_told_at_every_length_and_position() {
        for length in 0..40 {
            let plain: Vec<u8> = (0..length).map(|i| b"aZ=?;@ \x7F\xC3\xA9"[i % 10]).collect();
            assert!(is_plain(&plain) || plain.contains(&0xC3), "{plain:?}");
            let letters = vec![b'x'; length];
            assert!(is_plain(&letters));
            for at in 0..length {
                for byte in 0..=255u8 {
                    let mut text = letters.clone();
                    text[at] = byte;
                    // Never plain with a special byte; plain otherwise, but for tab, line
                    // feed and carriage return in a word, which send a text the exact way.
                    let expected = !SPECIAL[usize::from(byte)] && (byte >= 0x20 || length < 4);
                    assert_eq!(is_plain(&text), expected, "{length} {at} {byte}");
                }
            }
        }
    }

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
