//! CSV: a header row of field names, then one record per row. The file is refused whole
//! when its header is unusable or a quote never closes; a bad row is rejected alone.

use std::collections::BTreeSet;

use super::text::{utf8_error, LineCounter};
use super::validate::{self, Limits};
use super::{Fields, InputRecord};

/// The header's field names and the records, from text whose line ends are `\n`.
#[cfg(test)]
pub fn parse(text: &[u8], delimiter: u8, limits: &Limits) -> Result<(Vec<String>, Vec<InputRecord>), String> {
    if let Some(offset) = unclosed_quote(text, delimiter) {
        return Err(unclosed_quote_error(LineCounter::new(text).line_of(offset)));
    }
    let mut rows = Rows::new(delimiter);
    let records = rows.chunk(text, 1, limits)?;
    let headers = rows.finish()?;
    Ok((headers.to_vec(), records))
}

/// The refusal of a file whose quote on `line` never closes.
pub fn unclosed_quote_error(line: usize) -> String {
    format!(
        "line {line}: a quoted field opens here and never closes, so the rest of the file would be read as one value"
    )
}

/// Reads CSV a chunk at a time: the header from the first rows that are not blank, then
/// records. Every chunk must end where a record does (see `chunk`).
pub struct Rows {
    delimiter: u8,
    headers: Option<Vec<String>>,
}

impl Rows {
    pub fn new(delimiter: u8) -> Self {
        Self { delimiter, headers: None }
    }

    /// The header's names, once read.
    pub fn headers(&self) -> Option<&[String]> {
        self.headers.as_deref()
    }

    /// The records of `text`, whose first line is `first_line`; an unusable header
    /// refuses the file.
    pub fn chunk(&mut self, text: &[u8], first_line: usize, limits: &Limits) -> Result<Vec<InputRecord>, String> {
        let mut lines = LineCounter::new(text);
        let mut line_of = |offset| first_line - 1 + lines.line_of(offset);
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(self.delimiter).from_reader(text);
        let mut row = csv::ByteRecord::new();
        while self.headers.is_none() {
            match reader.read_byte_record(&mut row) {
                Ok(true) if is_blank(&row) => {}
                Ok(true) => self.headers = Some(header(&row, limits)?),
                Ok(false) => return Ok(Vec::new()),
                Err(e) => return Err(format!("cannot read the CSV header row: {e}")),
            }
        }
        let Some(headers) = &self.headers else { return Ok(Vec::new()) };
        let mut records = Vec::new();
        loop {
            match reader.read_byte_record(&mut row) {
                Ok(false) => break,
                Ok(true) if is_blank(&row) => {}
                Ok(true) => {
                    let line = line_of(record_start(text, row.position()));
                    records.push(InputRecord { line, fields: fields(headers, &row, limits) });
                }
                Err(e) => {
                    let line = line_of(record_start(text, e.position()));
                    records.push(InputRecord { line, fields: Err(format!("unparseable CSV: {e}")) });
                }
            }
        }
        Ok(records)
    }

    /// A record too large to read, on `line`: rejected, or the file refused when it would
    /// be the header.
    pub fn oversized(&self, line: usize, bytes: usize, columns: usize, limits: &Limits) -> Result<InputRecord, String> {
        if self.headers.is_none() {
            return Err(format!(
                "line {line}: the CSV header row is over {} bytes; --max-record-bytes raises the limit",
                limits.max_record_bytes
            ));
        }
        Ok(InputRecord { line, fields: Err(validate::oversized(bytes, columns, limits)) })
    }

    /// The header, at the end of the input: a file without one is refused.
    pub fn finish(&self) -> Result<&[String], String> {
        self.headers.as_deref().ok_or_else(|| "the CSV file has no header row".to_owned())
    }
}

/// Where a record's first byte is: the csv crate's position is before any blank lines that
/// precede it.
fn record_start(text: &[u8], position: Option<&csv::Position>) -> usize {
    let at = position.map_or(0, |p| p.byte() as usize).min(text.len());
    at + text[at..].iter().take_while(|b| **b == b'\n').count()
}

fn is_blank(row: &csv::ByteRecord) -> bool {
    row.len() == 1 && row[0].trim_ascii().is_empty()
}

/// The header's names, trimmed; a header that names nothing, or a name twice, is refused.
fn header(row: &csv::ByteRecord, limits: &Limits) -> Result<Vec<String>, String> {
    validate::size(0, row.len(), limits).map_err(|e| format!("the CSV header row: {e}"))?;
    let mut names = Vec::with_capacity(row.len());
    let mut seen = BTreeSet::new();
    for cell in row {
        let name = std::str::from_utf8(cell)
            .map_err(|_| "the CSV header row is not valid UTF-8; pass --encoding with the file's encoding".to_owned())?
            .trim()
            .to_owned();
        if !name.is_empty() && !seen.insert(name.clone()) {
            return Err(format!("the CSV header row names `{name}` twice; which value would be sent is unclear"));
        }
        validate::xml_text(&name).map_err(|why| format!("the CSV header row: `{}` {why}", name.escape_debug()))?;
        names.push(name);
    }
    if seen.is_empty() {
        return Err("the CSV header row names no fields".into());
    }
    Ok(names)
}

/// One row's non-empty cells by field name.
fn fields(headers: &[String], row: &csv::ByteRecord, limits: &Limits) -> Result<Fields, String> {
    validate::size(row.as_slice().len(), row.len(), limits)?;
    if row.len() != headers.len() {
        return Err(format!("the row has {} cells but the header names {} fields", row.len(), headers.len()));
    }
    let mut fields = Fields::new();
    for (name, cell) in headers.iter().zip(row.iter()) {
        let value = std::str::from_utf8(cell).map_err(|_| format!("field `{name}` is {}", utf8_error(cell)))?.trim();
        if !name.is_empty() && !value.is_empty() {
            fields.insert(name.clone(), value.to_owned());
        }
    }
    validate::fields(&fields)?;
    Ok(fields)
}

/// Where a quoted field opens that never closes, following the csv crate's rules (a quote
/// opens a field only at its start; `""` inside is a quote).
#[cfg(test)]
fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    let (mut state, mut opened) = (QuoteState::FieldStart, 0);
    for (i, &byte) in text.iter().enumerate() {
        if state.opens_quote(byte) {
            opened = i;
        }
        state = state.next(byte, delimiter);
    }
    matches!(state, QuoteState::Quoted).then_some(opened)
}

/// Where CSV text is in its fields, byte by byte: the state machine both [`unclosed_quote`]
/// and the streaming reader's record boundaries follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl QuoteState {
    /// The state after `byte`.
    pub fn next(self, byte: u8, delimiter: u8) -> Self {
        let ends_field = byte == delimiter || byte == b'\n';
        match self {
            Self::FieldStart if byte == b'"' => Self::Quoted,
            Self::FieldStart | Self::Unquoted | Self::QuoteInQuoted if ends_field => Self::FieldStart,
            Self::FieldStart | Self::Unquoted => Self::Unquoted,
            Self::Quoted if byte == b'"' => Self::QuoteInQuoted,
            Self::Quoted => Self::Quoted,
            Self::QuoteInQuoted if byte == b'"' => Self::Quoted,
            Self::QuoteInQuoted => Self::Unquoted,
        }
    }

    /// Whether `byte`, read in this state, opens a quoted field.
    pub fn opens_quote(self, byte: u8) -> bool {
        self == Self::FieldStart && byte == b'"'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<(Vec<String>, Vec<InputRecord>), String> {
        parse(text.as_bytes(), b',', &Limits::default())
    }

    #[test]
    fn rows_become_fields_with_physical_line_numbers() {
        let csv = "Email,FirstName,Company\nada@x.com,Ada,\n\n\"bob@x.com\",\"Bob,\nJr.\",Acme\nshort\n";
        let (headers, records) = parse_str(csv).unwrap();
        assert_eq!(headers, ["Email", "FirstName", "Company"]);
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4, 6]);
        let ada = records[0].fields.as_ref().unwrap();
        assert_eq!(ada.get("FirstName").map(String::as_str), Some("Ada"));
        assert!(!ada.contains_key("Company"), "empty cells are left out");
        assert_eq!(records[1].fields.as_ref().unwrap()["FirstName"], "Bob,\nJr.");
        assert!(records[2].fields.as_ref().unwrap_err().contains("1 cells"));
    }

    #[test]
    fn an_unclosed_quote_refuses_the_file_naming_its_line() {
        let error = parse_str("Email,FirstName\na@x.com,Ann\nb@x.com,\"Bob\nc@x.com,Carl\n").unwrap_err();
        assert!(error.starts_with("line 3: a quoted field opens here and never closes"), "{error}");
        // Quotes that close, doubled quotes and a quote inside an unquoted field are fine.
        assert!(parse_str("Email,Note\na@x.com,\"say \"\"hi\"\"\"\nb@x.com,5\"\n").is_ok());
    }

    #[test]
    fn headers_that_name_a_field_twice_or_nothing_are_refused() {
        assert!(parse_str("Email,FirstName,Email\na,b,c\n").unwrap_err().contains("`Email` twice"));
        assert!(parse_str(",\n1,2\n").unwrap_err().contains("names no fields"));
        assert!(parse_str("").unwrap_err().contains("no header row"));
    }

    #[test]
    fn a_row_over_the_limits_or_not_utf8_is_rejected_alone() {
        let limits = Limits { max_record_bytes: 20, max_columns: 3 };
        let text = format!("Email,A\na@x.com,{}\nb@x.com,1,2,3\nc@x.com,J\u{e9}\nd@x.com,B\u{b}ob\n", "x".repeat(30));
        let mut bytes = text.into_bytes();
        let latin1 = bytes.iter().position(|b| *b == 0xC3).unwrap();
        bytes.splice(latin1..latin1 + 2, [0xE9]);
        bytes.extend_from_slice(b"e@x.com,ok\n");
        let (_, records) = parse(&bytes, b',', &limits).unwrap();
        let errors: Vec<_> = records.iter().map(|r| r.fields.as_ref().err().cloned().unwrap_or_default()).collect();
        assert!(errors[0].contains("--max-record-bytes"), "{errors:?}");
        assert!(errors[1].contains("--max-columns"), "{errors:?}");
        assert!(errors[2].starts_with("field `A` is not valid UTF-8: byte 0xE9 at byte 2"), "{errors:?}");
        assert!(errors[3].contains("U+000B"), "{errors:?}");
        assert_eq!(errors[4], "");
    }

    #[test]
    fn other_delimiters() {
        let (headers, records) = parse(b"Email;FirstName\na@x.com;Ann\n", b';', &Limits::default()).unwrap();
        assert_eq!(headers, ["Email", "FirstName"]);
        assert_eq!(records[0].fields.as_ref().unwrap()["FirstName"], "Ann");
    }
}
