//! `multipart/related` bodies (RFC 2046 section 5.1, RFC 2387): the media type's
//! parameters, and a body cut into its parts. Parts borrow from the body; only a part sent
//! as `Content-Transfer-Encoding: base64` is decoded into bytes of its own.

use std::borrow::Cow;

use base64::Engine as _;

/// Why a body is not a multipart message this reader can take, and where (a byte offset
/// in the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MultipartError {
    pub offset: usize,
    pub message: String,
}

impl MultipartError {
    fn at(offset: usize, message: impl Into<String>) -> Self {
        Self { offset, message: message.into() }
    }
}

/// A media type: the type and subtype in lower case, and its parameters (names in lower
/// case, values unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MediaType {
    pub essence: String,
    pub parameters: Vec<(String, String)>,
}

impl MediaType {
    /// Parses a `Content-Type` value; `None` when a quoted value is not closed or a
    /// parameter has no `=`.
    pub fn parse(value: &str) -> Option<Self> {
        let (essence, rest) = value.split_once(';').unwrap_or((value, ""));
        let essence = essence.trim().to_ascii_lowercase();
        Some(Self { essence, parameters: parameters(rest)? })
    }

    /// The parameter `name` (lower case).
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// `; name=value; name="quoted \" value"` (RFC 2045 section 5.1): semicolons inside quotes
/// do not end a value, as in `start-info="application/soap+xml; action=..."`.
fn parameters(mut rest: &str) -> Option<Vec<(String, String)>> {
    let mut parameters = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_ascii_whitespace());
        if rest.is_empty() {
            return Some(parameters);
        }
        let (name, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (value, remainder) = match after.strip_prefix('"') {
            Some(quoted) => unquote(quoted)?,
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim_end().to_owned(), &after[end..])
            }
        };
        parameters.push((name.trim().to_ascii_lowercase(), value));
        rest = remainder;
    }
}

/// The value of a quoted string whose opening quote is gone, and what follows its closing one.
fn unquote(quoted: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, &quoted[at + 1..])),
            '\\' => value.push(chars.next()?.1),
            _ => value.push(c),
        }
    }
    None
}

/// One body part: its Content-ID (without angle brackets) and its content, transfer
/// encoding undone. Its Content-Type is not looked at: an Include's element says what the
/// bytes are, and the root is named by `start`.
#[derive(Debug, Clone)]
pub(crate) struct Part<'a> {
    pub content_id: Option<String>,
    pub content: Cow<'a, [u8]>,
}

/// Cuts `body` into its parts at the delimiters of `boundary`. The preamble and the
/// epilogue are ignored; a body without a closing delimiter is an error, since its last
/// part may be cut short.
pub(crate) fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, MultipartError> {
    if boundary.is_empty() || boundary.len() > 70 {
        return Err(MultipartError::at(0, "the multipart boundary must be 1 to 70 characters"));
    }
    let dash_boundary = format!("--{boundary}");
    let delimiter = format!("\r\n{dash_boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    // The first delimiter may open the body, without the line break before it.
    let first = match body.starts_with(dash_boundary.as_bytes()) {
        true => Some(0),
        false => next_delimiter(body, 0, &finder).map(|at| at + 2),
    };
    let Some(first) = first else {
        return Err(MultipartError::at(0, format!("the body holds no delimiter `{dash_boundary}`")));
    };
    let mut parts = Vec::new();
    let mut after = first + dash_boundary.len();
    loop {
        match line_end(body, after) {
            Some(LineEnd::Close) => return Ok(parts),
            Some(LineEnd::Part(start)) => {
                let Some(end) = next_delimiter(body, start, &finder) else {
                    let message = format!("the body ends without the closing delimiter `{dash_boundary}--`");
                    return Err(MultipartError::at(body.len(), message));
                };
                parts.push(part(body, start, end)?);
                after = end + delimiter.len();
            }
            None => return Err(MultipartError::at(after, "a multipart delimiter line does not end with CR LF")),
        }
    }
}

/// What follows `--boundary`: `--` closes the body; otherwise optional white space and a
/// line break, and the next part starts after it.
enum LineEnd {
    Close,
    Part(usize),
}

fn line_end(body: &[u8], at: usize) -> Option<LineEnd> {
    let rest = body.get(at..)?;
    if rest.starts_with(b"--") {
        return Some(LineEnd::Close);
    }
    let padding = rest.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    rest[padding..].starts_with(b"\r\n").then_some(LineEnd::Part(at + padding + 2))
}

/// The next real delimiter (CR LF `--boundary` followed by `--` or a line end) at or after
/// `from`: the same bytes followed by anything else are content, as lenient readers take them.
fn next_delimiter(body: &[u8], mut from: usize, finder: &memchr::memmem::Finder<'_>) -> Option<usize> {
    loop {
        let at = from + finder.find(&body[from..])?;
        if line_end(body, at + finder.needle().len()).is_some() {
            return Some(at);
        }
        from = at + 1;
    }
}

/// The part between `start` (after its delimiter line) and `end` (the CR LF of the next
/// delimiter): headers, an empty line, the content.
fn part(body: &[u8], start: usize, end: usize) -> Result<Part<'_>, MultipartError> {
    let region = &body[start..end];
    let (head, content) = match region.strip_prefix(b"\r\n") {
        Some(content) => (&region[..0], content),
        None => match memchr::memmem::find(region, b"\r\n\r\n") {
            Some(blank) => (&region[..blank + 2], &region[blank + 4..]),
            None if region.is_empty() => (region, region),
            None => return Err(MultipartError::at(start, "the part's headers do not end with an empty line")),
        },
    };
    let mut part = Part { content_id: None, content: Cow::Borrowed(content) };
    let mut encoding = None;
    for (name, value) in header_fields(head) {
        match name.to_ascii_lowercase().as_str() {
            "content-id" => part.content_id = Some(without_angle_brackets(&value).to_owned()),
            "content-transfer-encoding" => encoding = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    match encoding.as_deref() {
        None | Some("binary" | "8bit" | "7bit") => {}
        Some("base64") => part.content = Cow::Owned(decode_base64(content, start)?),
        Some(other) => {
            let message = format!("Content-Transfer-Encoding `{other}` is not supported (binary, 8bit or base64)");
            return Err(MultipartError::at(start, message));
        }
    }
    Ok(part)
}

/// The header fields of a part's head, folded lines unfolded (RFC 5322 section 2.2.3).
fn header_fields(head: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(head);
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.split("\r\n").filter(|line| !line.is_empty()) {
        match (line.starts_with([' ', '\t']), fields.last_mut()) {
            (true, Some((_, value))) => {
                value.push(' ');
                value.push_str(line.trim());
            }
            _ => {
                if let Some((name, value)) = line.split_once(':') {
                    fields.push((name.trim().to_owned(), value.trim().to_owned()));
                }
            }
        }
    }
    fields
}

/// A Content-ID or `start` value without its `<` `>`.
pub(crate) fn without_angle_brackets(value: &str) -> &str {
    let value = value.trim();
    value.strip_prefix('<').and_then(|v| v.strip_suffix('>')).unwrap_or(value)
}

fn decode_base64(content: &[u8], offset: usize) -> Result<Vec<u8>, MultipartError> {
    let compact: Vec<u8> = content.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| MultipartError::at(offset, format!("a base64 part does not decode: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_unquoted_and_semicolons_inside_quotes_kept() {
        let value = r#"Multipart/Related;boundary=MIME_boundary;
            type="application/xop+xml"; start="<m@x>"; start-info="application/soap+xml; action=\"urn:a\"""#;
        let media = MediaType::parse(value).unwrap();
        assert_eq!(media.essence, "multipart/related");
        assert_eq!(media.parameter("boundary"), Some("MIME_boundary"));
        assert_eq!(media.parameter("start"), Some("<m@x>"));
        assert_eq!(media.parameter("start-info"), Some(r#"application/soap+xml; action="urn:a""#));
        assert_eq!(MediaType::parse(r#"multipart/related; boundary="open"#), None);
        assert_eq!(MediaType::parse("text/xml").unwrap().parameters, []);
    }

    #[test]
    fn parts_are_cut_at_real_delimiters_only() {
        let body =
            b"preamble\r\n--b \r\nContent-ID: <a>\r\n\r\nx\r\n--bx\r\n--b\r\n\r\n\r\n--b\r\n\r\n--b--\r\nepilogue";
        let parts = parts(body, "b").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!((parts[0].content_id.as_deref(), &*parts[0].content), (Some("a"), &b"x\r\n--bx"[..]));
        assert_eq!(&*parts[1].content, b"");
        assert_eq!((&*parts[2].content, parts[2].content_id.as_deref()), (&b""[..], None));
    }

    #[test]
    fn malformed_bodies_are_errors_with_an_offset() {
        let cases: [(&[u8], &str); 5] = [
            (b"no delimiter", "no delimiter"),
            (b"--b\r\n\r\nx", "closing delimiter"),
            (b"--b\r\nContent-ID: <a>\r\n--b--", "empty line"),
            (b"--b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nx\r\n--b--", "quoted-printable"),
            (b"--b\r\nContent-Transfer-Encoding: base64\r\n\r\n!!\r\n--b--", "base64"),
        ];
        for (body, expected) in cases {
            let error = parts(body, "b").unwrap_err();
            assert!(error.message.contains(expected), "{error:?}");
        }
        assert_eq!(parts(b"--b\r\n\r\nx\r\n--b--", "").unwrap_err().offset, 0);
    }
}
