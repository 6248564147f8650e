//! The markup of a document held in memory, cut into tokens: tags, text, CDATA sections,
//! comments, processing instructions. Written for the reader instead of a general XML
//! parser's event layer because SOAP needs little of one (no DTD is ever expanded, text is
//! unescaped only when a value is taken) and the reader runs for every element of every
//! response: each token here is a `memchr` to its end and a slice of the input.
//!
//! Well-formedness is checked as far as the reader relies on it: every tag, comment,
//! CDATA section and processing instruction is closed, every end tag closes the element
//! that is open, and the document does not end inside an element. Entities and characters
//! are checked where values are taken (`XmlReader::read_text`), attribute syntax where
//! attributes are read.

use memchr::memmem;

use super::chars;

/// One piece of markup. Text, CDATA and the rest are told by position: the reader slices
/// the input between where a token starts and [`Tokens::position`] after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A start tag: its name, the name's local part (after any prefix), and the raw text
    /// after the name (attributes).
    Start {
        name: &'a [u8],
        local: &'a [u8],
        attributes: &'a [u8],
    },
    /// An empty-element tag, `<name/>`.
    Empty {
        name: &'a [u8],
        local: &'a [u8],
        attributes: &'a [u8],
    },
    /// The end tag of the element open last (checked).
    End,
    /// Character data up to the next markup, as written (entities unexpanded).
    Text(&'a [u8]),
    /// The content of a CDATA section.
    CData(&'a [u8]),
    Comment,
    /// A processing instruction other than the XML declaration.
    Pi,
    /// The XML declaration: the text between `<?xml` and `?>`.
    Decl(&'a [u8]),
    DocType,
    Eof,
}

/// Why the markup cannot be read, and the byte offset to report it at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) at: usize,
    pub(crate) message: String,
}

/// How deep elements may nest. Typed values stop far sooner (`MAX_VALUE_DEPTH`), but
/// elements that are skipped (unknown ones, or markup inside a text field) are only counted:
/// without a limit, a hostile document of nothing but start tags would make the list of
/// open elements as large as the document several times over.
pub(crate) const MAX_ELEMENT_DEPTH: usize = 10_000;

/// The tokens of `input`, in order, with the names of the open elements.
#[derive(Debug)]
pub(crate) struct Tokens<'a> {
    input: &'a [u8],
    position: usize,
    open: Vec<&'a [u8]>,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { input, position: 0, open: Vec::new() }
    }

    /// The byte offset just after the last token.
    #[inline(always)]
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// The next token. After an error, the tokens that follow mean nothing.
    #[inline]
    pub(crate) fn next(&mut self) -> Result<Token<'a>, SyntaxError> {
        let at = self.position;
        let rest = &self.input[at..];
        match rest {
            [] => self.end_of_document(),
            [b'<', b'/', ..] => self.end_tag(at),
            [b'<', b'!', ..] => self.bang(at),
            [b'<', b'?', ..] => self.instruction(at),
            [b'<', ..] => self.start_tag(at),
            _ => {
                let end = memchr(b'<', rest).map_or(self.input.len(), |i| at + i);
                self.position = end;
                Ok(Token::Text(&self.input[at..end]))
            }
        }
    }

    /// Moves past white space that runs up to the next markup (the indentation between
    /// elements) as if its text had been read: a reader looking for the next child would
    /// only skip it. Other text is left to be read as a token.
    #[inline(always)]
    pub(crate) fn skip_indentation(&mut self) {
        let rest = &self.input[self.position..];
        let mut length = 0;
        while let Some(word) = rest.get(length..length + 8) {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            if !chars::spaces_and_line_feeds(word) {
                break;
            }
            length += 8;
        }
        length += rest[length..].iter().take_while(|&&b| is_space(b)).count();
        if length > 0 && rest.get(length).is_none_or(|&b| b == b'<') {
            self.position += length;
        }
    }

    fn end_of_document(&self) -> Result<Token<'a>, SyntaxError> {
        match self.open.last() {
            None => Ok(Token::Eof),
            Some(name) => Err(SyntaxError {
                at: self.input.len(),
                message: format!("the document ends before </{}>", String::from_utf8_lossy(name)),
            }),
        }
    }

    /// `<name attributes>` or `<name attributes/>`: the end is the first `>` outside a
    /// quoted attribute value.
    #[inline]
    fn start_tag(&mut self, at: usize) -> Result<Token<'a>, SyntaxError> {
        let close = self.tag_end(at)?;
        let mut content = &self.input[at + 1..close];
        let empty = content.last() == Some(&b'/');
        if empty {
            content = &content[..content.len() - 1];
        }
        // The name ends at white space; its local part starts after its last colon.
        let (mut name_length, mut local_start) = (content.len(), 0);
        for (i, &byte) in content.iter().enumerate() {
            if is_space(byte) {
                name_length = i;
                break;
            }
            if byte == b':' {
                local_start = i + 1;
            }
        }
        let (name, attributes) = content.split_at(name_length);
        let local = &name[local_start..];
        if name.is_empty() {
            return Err(SyntaxError { at, message: "a tag has no name after `<`".into() });
        }
        self.position = close + 1;
        if empty {
            Ok(Token::Empty { name, local, attributes })
        } else if self.open.len() >= MAX_ELEMENT_DEPTH {
            Err(SyntaxError { at, message: format!("elements nest more than {MAX_ELEMENT_DEPTH} deep (the limit)") })
        } else {
            self.open.push(name);
            Ok(Token::Start { name, local, attributes })
        }
    }

    /// Where the `>` ending the tag that starts at `at` is.
    #[inline]
    fn tag_end(&self, at: usize) -> Result<usize, SyntaxError> {
        let mut from = at + 1;
        loop {
            let Some(found) = memchr3(b'>', b'"', b'\'', &self.input[from..]) else {
                return Err(unclosed_tag(at));
            };
            let found = from + found;
            let quote = self.input[found];
            if quote == b'>' {
                return Ok(found);
            }
            let Some(closing) = memchr(quote, &self.input[found + 1..]) else {
                return Err(unclosed_tag(at));
            };
            from = found + 1 + closing + 1;
        }
    }

    /// `</name>`, which must close the element open last (white space may follow the name).
    #[inline]
    fn end_tag(&mut self, at: usize) -> Result<Token<'a>, SyntaxError> {
        let Some(close) = memchr(b'>', &self.input[at..]).map(|i| at + i) else {
            return Err(unclosed_tag(at));
        };
        let name = trim_end(&self.input[at + 2..close]);
        match self.open.pop() {
            Some(open) if open == name => {
                self.position = close + 1;
                Ok(Token::End)
            }
            Some(open) => Err(SyntaxError {
                at,
                message: format!(
                    "the end tag </{}> does not match the open element <{}>",
                    String::from_utf8_lossy(name),
                    String::from_utf8_lossy(open)
                ),
            }),
            None => Err(SyntaxError {
                at,
                message: format!("the end tag </{}> closes no open element", String::from_utf8_lossy(name)),
            }),
        }
    }

    /// `<!--...-->`, `<![CDATA[...]]>` or `<!DOCTYPE ...>`.
    fn bang(&mut self, at: usize) -> Result<Token<'a>, SyntaxError> {
        let rest = &self.input[at..];
        if rest.starts_with(b"<!--") {
            let end = self.find(at + 4, b"-->", at, "a comment is not closed: `-->` is missing")?;
            self.position = end + 3;
            Ok(Token::Comment)
        } else if rest.starts_with(b"<![CDATA[") {
            let end = self.find(at + 9, b"]]>", at, "a CDATA section is not closed: `]]>` is missing")?;
            self.position = end + 3;
            Ok(Token::CData(&self.input[at + 9..end]))
        } else if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"DOCTYPE") {
            self.position = self.doctype_end(at)? + 1;
            Ok(Token::DocType)
        } else {
            Err(SyntaxError { at, message: "`<!` starts no comment, CDATA section or DOCTYPE".into() })
        }
    }

    /// The `>` that closes a DOCTYPE, past any `<...>` declarations of an internal subset.
    fn doctype_end(&self, at: usize) -> Result<usize, SyntaxError> {
        let mut depth = 0usize;
        for (i, &byte) in self.input[at + 1..].iter().enumerate() {
            match byte {
                b'<' => depth += 1,
                b'>' if depth == 0 => return Ok(at + 1 + i),
                b'>' => depth -= 1,
                _ => {}
            }
        }
        Err(SyntaxError { at, message: "a DOCTYPE is not closed: `>` is missing".into() })
    }

    /// `<?target ...?>`; the XML declaration when the target is `xml`.
    fn instruction(&mut self, at: usize) -> Result<Token<'a>, SyntaxError> {
        let end = self.find(at + 2, b"?>", at, "a processing instruction is not closed: `?>` is missing")?;
        self.position = end + 2;
        let content = &self.input[at + 2..end];
        match content.strip_prefix(b"xml") {
            Some(rest) if rest.first().is_none_or(|&b| is_space(b)) => Ok(Token::Decl(rest)),
            _ => Ok(Token::Pi),
        }
    }

    /// Where `needle` next occurs from `from`, or `message` located at `at`.
    fn find(&self, from: usize, needle: &[u8], at: usize, message: &str) -> Result<usize, SyntaxError> {
        let haystack = self.input.get(from..).unwrap_or_default();
        memmem::find(haystack, needle).map(|i| from + i).ok_or_else(|| SyntaxError { at, message: message.to_owned() })
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The first of `bytes` found in `haystack`. Most distances here are short (a name, a
/// number, an indentation), where `memchr`'s setup costs more than the search: the first
/// 32 bytes are searched a word at a time, the rest with `memchr`.
#[inline(always)]
fn find_any<const N: usize>(bytes: [u8; N], haystack: &[u8]) -> Option<usize> {
    const NEAR: usize = 32;
    let mut i = 0;
    while i < NEAR {
        let Some(word) = haystack.get(i..i + 8) else { break };
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // A zero byte of `word ^ b` is a `b`; the lowest flag is exact (false flags only
        // ever stand above a true one).
        let flags = bytes.iter().fold(0, |flags, &b| {
            let v = word ^ (ONES * u64::from(b));
            flags | (v.wrapping_sub(ONES) & !v & HIGHS)
        });
        if flags != 0 {
            return Some(i + flags.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    let rest = haystack.get(i..).unwrap_or_default();
    let found = match bytes.as_slice() {
        [a] => memchr::memchr(*a, rest),
        [a, b, c] => memchr::memchr3(*a, *b, *c, rest),
        _ => rest.iter().position(|byte| bytes.contains(byte)),
    };
    found.map(|at| i + at)
}

#[inline(always)]
fn memchr(byte: u8, haystack: &[u8]) -> Option<usize> {
    find_any([byte], haystack)
}

#[inline(always)]
fn memchr3(a: u8, b: u8, c: u8, haystack: &[u8]) -> Option<usize> {
    find_any([a, b, c], haystack)
}

fn unclosed_tag(at: usize) -> SyntaxError {
    SyntaxError { at, message: "a tag is not closed: `>` is missing before the end of the document".into() }
}

/// XML white space (form feed is not).
#[inline(always)]
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let length = bytes.iter().rposition(|&b| !is_space(b)).map_or(0, |i| i + 1);
    &bytes[..length]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(input: &str) -> Result<Vec<(Token<'_>, usize)>, SyntaxError> {
        let mut tokens = Tokens::new(input.as_bytes());
        let mut all = Vec::new();
        loop {
            let token = tokens.next()?;
            all.push((token, tokens.position()));
            if token == Token::Eof {
                return Ok(all);
            }
        }
    }

    #[test]
    fn tags_text_and_the_rest_with_where_each_ends() {
        let doc = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a k='1>2' j=\"q\">t &amp; u<!-- c --><![CDATA[<x>]]><p:b/><?pi x?></a >";
        let all = tokens(doc).unwrap();
        let kinds: Vec<_> = all.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            kinds,
            [
                Token::Decl(b" version=\"1.0\""),
                Token::DocType,
                Token::Start { name: b"a", local: b"a", attributes: b" k='1>2' j=\"q\"" },
                Token::Text(b"t &amp; u"),
                Token::Comment,
                Token::CData(b"<x>"),
                Token::Empty { name: b"p:b", local: b"b", attributes: b"" },
                Token::Pi,
                Token::End,
                Token::Eof,
            ]
        );
        assert_eq!(all[0].1, 21);
        assert_eq!(all.last().unwrap().1, doc.len());
        assert_eq!(tokens("<?xml-stylesheet x?><r/>").unwrap()[0].0, Token::Pi);
    }

    #[test]
    fn what_is_not_closed_or_does_not_match_is_an_error_where_it_starts() {
        let cases = [
            ("<a><b></a>", 6, "the end tag </a> does not match the open element <b>"),
            ("<a></a></b>", 7, "the end tag </b> closes no open element"),
            ("<a><b>", 6, "the document ends before </b>"),
            ("<a x='>", 0, "a tag is not closed"),
            ("<a><b", 3, "a tag is not closed"),
            ("<a></a", 3, "a tag is not closed"),
            ("<a><!-- x", 3, "a comment is not closed"),
            ("<a><![CDATA[x]>", 3, "a CDATA section is not closed"),
            ("<?xml", 0, "a processing instruction is not closed"),
            ("<!DOCTYPE a [<!ENTITY e 'x'>", 0, "a DOCTYPE is not closed"),
            ("<a><!x></a>", 3, "`<!` starts no"),
            ("< a></a>", 0, "a tag has no name"),
            ("<a>x</ a>", 4, "does not match"),
        ];
        for (doc, at, message) in cases {
            let error = tokens(doc).unwrap_err();
            assert_eq!(error.at, at, "{doc}");
            assert!(error.message.contains(message), "{doc}: {}", error.message);
        }
    }

    #[test]
    fn the_word_search_finds_the_first_occurrence_at_any_distance() {
        for length in 0..80 {
            for at in 0..length {
                let mut haystack = vec![b'a'; length];
                haystack[at] = b'<';
                if at + 3 < length {
                    haystack[at + 3] = b'>';
                }
                assert_eq!(memchr(b'<', &haystack), Some(at), "{length} {at}");
                assert_eq!(memchr3(b'>', b'"', b'<', &haystack), Some(at), "{length} {at}");
                // A byte one below or above is not found (the borrow of a subtraction).
                haystack[at] = b'=';
                assert_eq!(memchr(b'>', &haystack[..at + 1]), None);
                assert_eq!(memchr(b'<', &haystack), None, "{length} {at}");
            }
        }
    }

    #[test]
    fn elements_nested_past_the_limit_are_an_error_where_they_go_past() {
        let within = "<a>".repeat(MAX_ELEMENT_DEPTH) + &"</a>".repeat(MAX_ELEMENT_DEPTH);
        assert!(tokens(&within).is_ok());
        let past = "<a>".repeat(MAX_ELEMENT_DEPTH + 1);
        let error = tokens(&past).unwrap_err();
        assert_eq!((error.at, error.message.contains("10000 deep")), (3 * MAX_ELEMENT_DEPTH, true));
    }

    /// The same tokens as quick-xml's events, over documents put together at random from
    /// the pieces SOAP messages are made of (a second implementation nobody here wrote).
    #[test]
    fn well_formed_documents_give_the_tokens_quick_xml_gives() {
        use quick_xml::events::Event;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..300 {
            let doc = random_document(&mut next);
            let mut ours = Tokens::new(doc.as_bytes());
            let mut reader = quick_xml::Reader::from_str(&doc);
            reader.config_mut().trim_text(false);
            loop {
                let theirs = reader.read_event().unwrap();
                let token = ours.next().unwrap();
                let same = match (&theirs, token) {
                    (Event::Start(e), Token::Start { name, local, attributes })
                    | (Event::Empty(e), Token::Empty { name, local, attributes }) => {
                        let same_kind = matches!(theirs, Event::Start(_)) == matches!(token, Token::Start { .. });
                        same_kind
                            && e.name().as_ref() == name
                            && e.local_name().as_ref() == local
                            && e.attributes_raw() == attributes
                    }
                    (Event::End(_), Token::End) | (Event::Comment(_), Token::Comment) => true,
                    (Event::Text(e), Token::Text(text)) => e.as_ref() == text,
                    (Event::CData(e), Token::CData(text)) => e.as_ref() == text,
                    (Event::PI(_), Token::Pi) | (Event::Decl(_), Token::Decl(_)) => true,
                    (Event::DocType(_), Token::DocType) => true,
                    (Event::Eof, Token::Eof) => break,
                    _ => false,
                };
                assert!(same, "{doc}\nquick-xml: {theirs:?}\nours: {token:?}");
                assert_eq!(reader.buffer_position() as usize, ours.position(), "{doc}");
            }
        }
    }

    fn random_document(next: &mut impl FnMut(usize) -> usize) -> String {
        let mut doc = String::new();
        if next(2) == 0 {
            doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        }
        if next(4) == 0 {
            doc.push_str("<!-- before -->");
        }
        random_element(next, &mut doc, 0);
        doc.push_str(["", "\n", "<!-- after -->\n", "<?pi after?>"][next(4)]);
        doc
    }

    fn random_element(next: &mut impl FnMut(usize) -> usize, doc: &mut String, depth: usize) {
        let names = ["a", "s:Envelope", "ns1:syncStatus", "leadId", "x-y.z", "\u{65e5}\u{672c}"];
        let attributes =
            ["", " xmlns:s=\"urn:x\"", " xsi:nil=\"true\"", " a='1>2' b=\"'\"", "\n  k = \"v\"\t", " c=\"&amp;\""];
        let name = names[next(names.len())];
        doc.push('<');
        doc.push_str(name);
        doc.push_str(attributes[next(attributes.len())]);
        if depth > 4 || next(5) == 0 {
            doc.push_str(["/>", " />"][next(2)]);
            return;
        }
        doc.push('>');
        for _ in 0..next(5) {
            match next(7) {
                0 | 1 => random_element(next, doc, depth + 1),
                2 => doc.push_str(["\n    ", "1090000", "a &lt; b &amp; c", "caf\u{e9} > 2", " "][next(5)]),
                3 => doc.push_str("<![CDATA[<not> a ]] tag]]>"),
                4 => doc.push_str("<!-- a - comment -->"),
                5 => doc.push_str("<?target data?>"),
                _ => doc.push_str("\r\n\t"),
            }
        }
        doc.push_str("</");
        doc.push_str(name);
        doc.push_str(["", " ", "\n"][next(3)]);
        doc.push('>');
    }

    #[test]
    fn indentation_up_to_markup_is_skipped_and_other_text_is_not() {
        for (doc, skipped_to) in [
            ("<a>\n    <b/></a>", 8),
            ("<a>\r\n\t\t  \n        <b/></a>", 18),
            ("<a>\n    x<b/></a>", 3),
            ("<a>\n  \u{a0}<b/></a>", 3),
            ("<a><b/></a>", 3),
            ("<a>\n  ", 6),
        ] {
            let mut tokens = Tokens::new(doc.as_bytes());
            tokens.next().unwrap();
            tokens.skip_indentation();
            assert_eq!(tokens.position(), skipped_to, "{doc:?}");
        }
    }

    /// Every cut of a document into a prefix never panics: each is tokens, then an error or
    /// the end.
    #[test]
    fn every_prefix_of_a_document_is_tokens_then_an_error_or_the_end() {
        let doc = "<?xml version='1.0'?><s:E xmlns:s=\"u\"><!-- c --><s:B a=\"x'>\" b='\"'><v>1 &lt; 2</v><![CDATA[]]]]><e/></s:B ></s:E>";
        for end in 0..=doc.len() {
            let _ = tokens(&doc[..end]);
        }
        assert!(tokens(doc).is_ok());
    }
}
