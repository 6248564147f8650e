//! Cuts the prepared text into chunks that end where a record does, so that each format's
//! reader parses a chunk at a time with its usual code while memory stays at a chunk or
//! two, whatever the file's size. A record longer than a chunk grows the buffer, but only
//! up to a little over `--max-record-bytes`: past that it is certain to be rejected, so it
//! is scanned to its end without being kept and handed out as [`Piece::Oversized`].

use super::csv::QuoteState;
use super::text::{TextError, TextReader};
use super::validate::Limits;
use super::Format;

/// The text one chunk aims at; the readers parse a chunk's records at once.
pub const CHUNK_SIZE: usize = 256 * 1024;

/// What the chunker hands out, in input order.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text from where a record starts to where one ends, its first line `first_line`.
    Text { text: Vec<u8>, first_line: usize },
    /// A record on `line` too large to keep, skipped: its size as the limits count it.
    Oversized { line: usize, size: RecordSize },
}

/// A record's size as `validate::size` counts it: a CSV row's cell bytes and cells, a
/// JSON record's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSize {
    pub bytes: usize,
    pub columns: usize,
    /// Only white space: a blank line, which is no record at all.
    pub blank: bool,
}

impl RecordSize {
    const EMPTY: Self = Self { bytes: 0, columns: 1, blank: true };

    fn add(&mut self, byte: u8) {
        self.bytes += 1;
        self.blank &= byte.is_ascii_whitespace();
    }
}

impl Default for RecordSize {
    fn default() -> Self {
        Self::EMPTY
    }
}

/// Why the text cannot be read as a whole.
#[derive(Debug)]
pub enum ChunkError {
    Text(TextError),
    /// A CSV quote that opens on `line` never closes.
    UnclosedQuote {
        line: usize,
    },
    /// A JSON array element too large to keep, from `line`, never ends.
    NeverCloses {
        line: usize,
    },
}

impl From<TextError> for ChunkError {
    fn from(error: TextError) -> Self {
        Self::Text(error)
    }
}

/// Splits prepared text into [`Piece`]s.
pub struct Chunker<R> {
    text: TextReader<R>,
    scanner: Scanner,
    /// Text read but not yet scanned, from `input_at`.
    input: Vec<u8>,
    input_at: usize,
    /// Text scanned but not yet handed out; `buffer_line` is its first byte's line.
    buffer: Vec<u8>,
    buffer_line: usize,
    /// Where the last record ended in `buffer` (0: none has), and the line after it.
    last_cut: usize,
    cut_line: usize,
    /// The line of the next byte to scan.
    line: usize,
    chunk_size: usize,
    /// The most bytes a record may take before it is certain to be rejected.
    keep_at_most: usize,
    /// While skipping an oversized record: the line it starts on.
    skipping: Option<usize>,
    read_all: bool,
    largest_buffer: usize,
}

impl<R: std::io::Read> Chunker<R> {
    pub fn new(text: TextReader<R>, format: ChunkFormat, limits: &Limits, chunk_size: usize) -> Self {
        let (scanner, keep_at_most) = match format {
            // A row's raw bytes are at most twice its cell bytes (doubled quotes) plus
            // three per cell (a delimiter and two quotes): past that, a limit is over.
            ChunkFormat::Csv { delimiter } => (
                Scanner::Csv(CsvScanner::new(delimiter)),
                limits.max_record_bytes.saturating_mul(2).saturating_add(limits.max_columns.saturating_mul(3)),
            ),
            ChunkFormat::Lines => (Scanner::Lines(RecordSize::EMPTY), limits.max_record_bytes),
            ChunkFormat::Array => (Scanner::Array(ArrayScanner::default()), limits.max_record_bytes),
        };
        Self {
            text,
            scanner,
            input: Vec::new(),
            input_at: 0,
            buffer: Vec::new(),
            buffer_line: 1,
            last_cut: 0,
            cut_line: 1,
            line: 1,
            chunk_size: chunk_size.max(1),
            keep_at_most,
            skipping: None,
            read_all: false,
            largest_buffer: 0,
        }
    }

    /// The most text the chunker has held at once, for tests of what a huge record costs.
    #[cfg(test)]
    pub fn largest_buffer(&self) -> usize {
        self.largest_buffer
    }

    /// What the text is read from.
    pub fn source(&self) -> &R {
        self.text.get_ref()
    }

    /// The line the text ends on, once it has.
    pub fn end_line(&self) -> usize {
        self.line
    }

    /// The next piece, or `None` at the end of the text.
    pub fn next_piece(&mut self) -> Result<Option<Piece>, ChunkError> {
        loop {
            if let Some(piece) = self.scan_input() {
                return Ok(Some(piece));
            }
            if self.read_all {
                return self.finish();
            }
            self.input.clear();
            self.input_at = 0;
            self.read_all = !self.text.read_into(&mut self.input)?;
        }
    }

    /// Scans the input read so far until a piece is ready.
    fn scan_input(&mut self) -> Option<Piece> {
        while self.input_at < self.input.len() {
            let piece = match self.skipping {
                None => self.keep(),
                Some(record_line) => self.skip(record_line),
            };
            if piece.is_some() {
                return piece;
            }
        }
        None
    }

    /// Scans input into the buffer (copied a run at a time, not byte by byte) until a
    /// chunk is ready, the buffer full and holding whole records, or a record turns out
    /// too large to keep.
    fn keep(&mut self) -> Option<Piece> {
        if self.buffer.is_empty() {
            self.buffer_line = self.line;
        }
        let start = self.input_at;
        let (mut scanned, mut oversized) = (self.input.len() - start, false);
        for (i, &byte) in self.input[start..].iter().enumerate() {
            let cut = self.scanner.step(byte, self.line);
            if byte == b'\n' {
                self.line += 1;
            }
            let length = self.buffer.len() + i + 1;
            if cut.is_some() {
                (self.last_cut, self.cut_line) = (length, self.line);
                self.scanner.take_size();
            } else if length - self.last_cut > self.keep_at_most {
                (scanned, oversized) = (i + 1, true);
                break;
            }
            if length >= self.chunk_size && self.last_cut > 0 {
                scanned = i + 1;
                break;
            }
        }
        self.buffer.extend_from_slice(&self.input[start..start + scanned]);
        self.input_at = start + scanned;
        self.largest_buffer = self.largest_buffer.max(self.buffer.len());
        if oversized {
            // The open record will be rejected: keep the records before it, drop it.
            self.skipping = Some(self.cut_line);
            let before = self.take_text();
            self.buffer.clear();
            return before;
        }
        (self.buffer.len() >= self.chunk_size).then(|| self.take_text()).flatten()
    }

    /// Scans an oversized record without keeping it, until it ends.
    fn skip(&mut self, record_line: usize) -> Option<Piece> {
        while let Some(&byte) = self.input.get(self.input_at) {
            self.input_at += 1;
            let byte_line = self.line;
            let cut = self.scanner.step(byte, byte_line);
            if byte == b'\n' {
                self.line += 1;
            }
            if let Some(part_of_record) = cut {
                return self.skipped(byte, byte_line, part_of_record, record_line);
            }
        }
        None
    }

    /// The oversized record from `record_line` ended at `byte`.
    fn skipped(&mut self, byte: u8, byte_line: usize, part_of_record: bool, record_line: usize) -> Option<Piece> {
        self.skipping = None;
        let size = self.scanner.take_size();
        if !part_of_record {
            // What ends the record (a line end, a `,`) belongs to the text after it.
            (self.buffer_line, self.buffer) = (byte_line, vec![byte]);
            (self.last_cut, self.cut_line) = (1, self.line);
        } else {
            self.cut_line = self.line;
        }
        (!size.blank).then_some(Piece::Oversized { line: record_line, size })
    }

    /// The buffer's whole records as a piece, if it holds any.
    fn take_text(&mut self) -> Option<Piece> {
        if self.last_cut == 0 {
            return None;
        }
        let rest = self.buffer.split_off(self.last_cut);
        let text = std::mem::replace(&mut self.buffer, rest);
        let first_line = std::mem::replace(&mut self.buffer_line, self.cut_line);
        self.last_cut = 0;
        Some(Piece::Text { text, first_line })
    }

    /// At the end of the text: a record being skipped, or the last text; a quote or
    /// element left open refuses the file.
    fn finish(&mut self) -> Result<Option<Piece>, ChunkError> {
        if let Some(record_line) = self.skipping.take() {
            self.scanner.unfinished(record_line)?;
            let size = self.scanner.take_size();
            return Ok((!size.blank).then_some(Piece::Oversized { line: record_line, size }));
        }
        if let Scanner::Csv(csv) = &self.scanner {
            csv.unclosed()?;
        }
        if self.buffer.is_empty() {
            return Ok(None);
        }
        self.last_cut = self.buffer.len();
        self.cut_line = self.line;
        Ok(self.take_text())
    }
}

/// How the chunker finds where records end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkFormat {
    Csv {
        delimiter: u8,
    },
    /// NDJSON: every line.
    Lines,
    /// A JSON array: after each element.
    Array,
}

impl ChunkFormat {
    pub fn of(format: Format, delimiter: u8, first_byte: Option<u8>) -> Self {
        match format {
            Format::Csv => Self::Csv { delimiter },
            Format::Json if first_byte == Some(b'[') => Self::Array,
            Format::Json | Format::Ndjson => Self::Lines,
        }
    }
}

/// One format's record boundaries, a byte at a time.
enum Scanner {
    Csv(CsvScanner),
    Lines(RecordSize),
    Array(ArrayScanner),
}

impl Scanner {
    /// Reads `byte`, on `line`. `None`: no chunk may end after it; `Some(part)`: one may,
    /// and `part` says whether the byte belongs to the record it ends (a `}` does, a line
    /// end does not).
    fn step(&mut self, byte: u8, line: usize) -> Option<bool> {
        match self {
            Self::Csv(csv) => csv.step(byte, line),
            Self::Lines(_) if byte == b'\n' => Some(false),
            Self::Lines(size) => {
                size.add(byte);
                None
            }
            Self::Array(array) => array.step(byte),
        }
    }

    /// The size of the record since the last boundary, which starts anew.
    fn take_size(&mut self) -> RecordSize {
        let size = match self {
            Self::Csv(csv) => &mut csv.size,
            Self::Lines(size) => size,
            Self::Array(array) => &mut array.size,
        };
        std::mem::replace(size, RecordSize::EMPTY)
    }

    /// At the end of the text, inside a record skipped from `record_line`.
    fn unfinished(&self, record_line: usize) -> Result<(), ChunkError> {
        match self {
            Self::Csv(csv) => csv.unclosed(),
            Self::Lines(_) => Ok(()),
            Self::Array(array) if array.inside() => Err(ChunkError::NeverCloses { line: record_line }),
            Self::Array(_) => Ok(()),
        }
    }
}

/// CSV: a record ends at a line end outside a quoted field, by the quote state machine
/// that `csv::unclosed_quote` follows. Counts cells and cell bytes as the csv crate does.
struct CsvScanner {
    delimiter: u8,
    state: QuoteState,
    opened_line: usize,
    size: RecordSize,
}

impl CsvScanner {
    fn new(delimiter: u8) -> Self {
        Self { delimiter, state: QuoteState::FieldStart, opened_line: 0, size: RecordSize::EMPTY }
    }

    fn step(&mut self, byte: u8, line: usize) -> Option<bool> {
        if self.state.opens_quote(byte) {
            self.opened_line = line;
        }
        let before = self.state;
        self.state = before.next(byte, self.delimiter);
        let outside_quotes = before != QuoteState::Quoted;
        match byte {
            b'\n' if outside_quotes => return Some(false),
            _ if byte == self.delimiter && outside_quotes => {
                self.size.columns += 1;
                self.size.blank = false;
            }
            // Quotes that open, close or double a quoted field are not its bytes.
            b'"' if matches!(before, QuoteState::FieldStart | QuoteState::Quoted) => {}
            _ => self.size.add(byte),
        }
        None
    }

    fn unclosed(&self) -> Result<(), ChunkError> {
        match self.state {
            QuoteState::Quoted => Err(ChunkError::UnclosedQuote { line: self.opened_line }),
            _ => Ok(()),
        }
    }
}

/// A JSON array: an element ends where its brackets balance (outside strings), or a
/// top-level scalar at the next space or punctuation; a chunk may end anywhere between
/// elements.
#[derive(Default)]
struct ArrayScanner {
    depth: usize,
    in_string: bool,
    escaped: bool,
    in_scalar: bool,
    size: RecordSize,
}

impl ArrayScanner {
    /// Inside an element (at depth 1) or below one.
    fn inside(&self) -> bool {
        self.depth >= 2 || self.in_string
    }

    fn step(&mut self, byte: u8) -> Option<bool> {
        let was_inside = self.inside() || self.in_scalar;
        let was_scalar = self.in_scalar;
        if self.in_string {
            match byte {
                _ if self.escaped => self.escaped = false,
                b'\\' => self.escaped = true,
                b'"' => self.in_string = false,
                _ => {}
            }
        } else {
            self.in_scalar = false;
            match byte {
                b'"' => self.in_string = true,
                b'[' | b'{' => self.depth += 1,
                b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => self.in_scalar = self.depth <= 1,
            }
        }
        let now_inside = self.inside() || self.in_scalar;
        // The byte that ends a scalar (a `,`, a space) is not part of it; a `}` is.
        let part_of_record = now_inside || (was_inside && !was_scalar);
        if part_of_record {
            self.size.bytes += 1;
            self.size.blank = false;
        }
        (!now_inside).then_some(part_of_record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &[u8], format: ChunkFormat, limits: &Limits, chunk_size: usize) -> Vec<Piece> {
        let mut chunker = Chunker::new(TextReader::new(text, None), format, limits, chunk_size);
        std::iter::from_fn(|| chunker.next_piece().unwrap()).collect()
    }

    #[test]
    fn chunks_end_where_records_do() {
        let limits = Limits::default();
        let csv = b"a,b\n1,\"x\ny\"\n\n2,3\n";
        let texts: Vec<_> = pieces(csv, ChunkFormat::Csv { delimiter: b',' }, &limits, 1)
            .into_iter()
            .map(|p| match p {
                Piece::Text { text, first_line } => (String::from_utf8(text).unwrap(), first_line),
                other => panic!("{other:?}"),
            })
            .collect();
        let expected = [("a,b\n", 1), ("1,\"x\ny\"\n", 2), ("\n", 4), ("2,3\n", 5)];
        assert_eq!(texts, expected.map(|(t, l)| (t.to_owned(), l)));
        let array = br#"[{"a":"],{\"}"}, 7 ,"x"]"#;
        let texts: Vec<_> = pieces(array, ChunkFormat::Array, &limits, 1)
            .into_iter()
            .map(|p| match p {
                Piece::Text { text, .. } => String::from_utf8(text).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, ["[", r#"{"a":"],{\"}"}"#, ",", " ", "7 ", ",", "\"x\"", "]"]);
    }

    #[test]
    fn oversized_records_are_measured_as_the_limits_count_them() {
        let limits = Limits { max_record_bytes: 4, max_columns: 2 };
        let csv = format!("h\n\"a\"\"bcdefghij\",k\n{}\nz\n", " ".repeat(20));
        let found = pieces(csv.as_bytes(), ChunkFormat::Csv { delimiter: b',' }, &limits, 1);
        assert_eq!(found[1], Piece::Oversized { line: 2, size: RecordSize { bytes: 12, columns: 2, blank: false } });
        // The blank line is skipped whole; the line ends around it stay, for the line numbers.
        let rest =
            [(&b"\n"[..], 2), (b"\n", 3), (b"z\n", 4)].map(|(t, l)| Piece::Text { text: t.to_vec(), first_line: l });
        assert_eq!(found[2..], rest, "{found:?}");
        let array = b"[\n 1234567 ,{\"a\":\"bcdef\"}]";
        let found = pieces(array, ChunkFormat::Array, &limits, 1);
        let sizes: Vec<_> = found
            .iter()
            .filter_map(|p| match p {
                Piece::Oversized { line, size } => Some((*line, size.bytes)),
                Piece::Text { .. } => None,
            })
            .collect();
        assert_eq!(sizes, [(2, 7), (2, 13)]);
        let rejoined: Vec<u8> = found
            .into_iter()
            .flat_map(|p| match p {
                Piece::Text { text, .. } => text,
                Piece::Oversized { .. } => b"#".to_vec(),
            })
            .collect();
        assert_eq!(rejoined, b"[\n # ,#]");
    }
}
