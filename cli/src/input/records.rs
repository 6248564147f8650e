//! From chunks of text to records, with each format's reader, a chunk at a time.

use super::chunk::{ChunkError, ChunkFormat, Chunker, Piece};
use super::csv::{unclosed_quote_error, Rows};
use super::json::{array_text, parse_lines_from, Array};
use super::text::{TextError, TextReader};
use super::validate::{self, Limits};
use super::InputRecord;

/// Why the records cannot be read, from what refuses the file first to what refuses it
/// last: the whole text is decoded and checked for unclosed quotes (and, for a JSON array,
/// UTF-8) before any record's syntax counts.
#[derive(Debug)]
pub enum ReadError {
    Chunk(ChunkError),
    Utf8(String),
    Parse(String),
}

impl ReadError {
    /// As the run says it, for the input called `name`.
    pub fn describe(&self, name: &str) -> String {
        match self {
            Self::Chunk(ChunkError::Text(TextError::Io(e))) => format!("cannot read {name}: {e}"),
            Self::Chunk(ChunkError::Text(TextError::Encoding(why))) => format!("{name}: {why}"),
            Self::Chunk(ChunkError::UnclosedQuote { line }) => format!("{name}: {}", unclosed_quote_error(*line)),
            Self::Chunk(ChunkError::NeverCloses { line }) => {
                format!("{name}: line {line}: the JSON array never closes")
            }
            Self::Utf8(why) | Self::Parse(why) => format!("{name}: {why}"),
        }
    }
}

/// Each format's reader of chunks.
enum Parser {
    Csv(Rows),
    Lines,
    Array(Array),
}

/// An input's records, a chunk's worth at a time.
pub struct Records<R> {
    chunker: Chunker<R>,
    parser: Parser,
    limits: Limits,
}

impl<R: std::io::Read> Records<R> {
    pub fn new(text: TextReader<R>, format: ChunkFormat, limits: Limits, chunk_size: usize) -> Self {
        let parser = match format {
            ChunkFormat::Csv { delimiter } => Parser::Csv(Rows::new(delimiter)),
            ChunkFormat::Lines => Parser::Lines,
            ChunkFormat::Array => Parser::Array(Array::new()),
        };
        Self { chunker: Chunker::new(text, format, &limits, chunk_size), parser, limits }
    }

    pub fn source(&self) -> &R {
        self.chunker.source()
    }

    /// The CSV header's names, once read.
    pub fn headers(&self) -> Option<&[String]> {
        match &self.parser {
            Parser::Csv(rows) => rows.headers(),
            Parser::Lines | Parser::Array(_) => None,
        }
    }

    #[cfg(test)]
    pub fn largest_buffer(&self) -> usize {
        self.chunker.largest_buffer()
    }

    /// The next chunk's records (possibly none); `None` once the input ended as it should.
    pub fn next_records(&mut self) -> Result<Option<Vec<InputRecord>>, ReadError> {
        let limits = &self.limits;
        let records = match self.chunker.next_piece().map_err(ReadError::Chunk)? {
            None => return self.finish().map(|()| None),
            Some(Piece::Text { text, first_line }) => match &mut self.parser {
                Parser::Csv(rows) => rows.chunk(&text, first_line, limits).map_err(ReadError::Parse)?,
                Parser::Lines => parse_lines_from(&text, first_line, limits),
                Parser::Array(array) => {
                    let text = array_text(&text, first_line).map_err(ReadError::Utf8)?;
                    array.chunk(text, first_line, limits).map_err(ReadError::Parse)?
                }
            },
            Some(Piece::Oversized { line, size }) => vec![match &mut self.parser {
                Parser::Csv(rows) => {
                    rows.oversized(line, size.bytes, size.columns, limits).map_err(ReadError::Parse)?
                }
                Parser::Lines => InputRecord { line, fields: Err(validate::oversized(size.bytes, 0, limits)) },
                Parser::Array(array) => array.oversized(line, size.bytes, limits).map_err(ReadError::Parse)?,
            }],
        };
        Ok(Some(records))
    }

    fn finish(&self) -> Result<(), ReadError> {
        match &self.parser {
            Parser::Csv(rows) => rows.finish().map(|_| ()).map_err(ReadError::Parse),
            Parser::Lines => Ok(()),
            Parser::Array(array) => array.finish(self.chunker.end_line()).map_err(ReadError::Parse),
        }
    }

    /// After a record's syntax refused the file: reads the rest of the input for what
    /// would refuse it first (see [`ReadError`]), which is then the reason given.
    pub fn refusal(&mut self, syntax: String) -> ReadError {
        loop {
            match self.chunker.next_piece() {
                Err(e) => return ReadError::Chunk(e),
                Ok(None) => return ReadError::Parse(syntax),
                Ok(Some(Piece::Text { text, first_line })) if matches!(self.parser, Parser::Array(_)) => {
                    if let Err(e) = array_text(&text, first_line) {
                        return ReadError::Utf8(e);
                    }
                }
                Ok(Some(_)) => {}
            }
        }
    }
}
