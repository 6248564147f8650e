//! Reading the input: CSV with a header row of Marketo field names, NDJSON with one object
//! per line, or a JSON array of objects, from a file or stdin. The whole input is checked
//! before anything is sent: a file that cannot be read as a whole (an unusable header, a
//! quote that never closes, a broken JSON array) is refused, and every other record becomes
//! fields or a rejection with its reason and physical line number, so that each input
//! record ends with exactly one result line.
//!
//! The input is read twice, streaming, so that memory does not grow with its size: [`scan`]
//! checks it whole and counts its records, keeping nothing per record, then
//! [`Scan::records`] reads it again for the run, a chunk of records at a time.

mod chunk;
mod csv;
mod json;
mod records;
mod source;
pub mod text;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use chunk::{ChunkFormat, CHUNK_SIZE};
use records::{ReadError, Records};
use source::{Hashing, Origin};
use text::{TextError, TextReader};
pub use validate::Limits;

pub type Fields = BTreeMap<String, String>;

/// One input record: its line number and field values, or why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRecord {
    /// 1-based physical line where the record starts (the CSV header is line 1).
    pub line: usize,
    pub fields: Result<Fields, String>,
}

/// Where the input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// `-` is stdin.
    pub fn from_arg(arg: &Path) -> Self {
        if arg == Path::new("-") {
            Self::Stdin
        } else {
            Self::File(arg.to_path_buf())
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Stdin => "stdin".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    /// One JSON object per line.
    Ndjson,
    /// A JSON array of objects, or NDJSON (told apart by the first character).
    Json,
}

impl Format {
    /// `.ndjson` and `.jsonl` are NDJSON, `.json` is JSON, anything else is CSV; stdin is
    /// JSON when it starts with `{` or `[`.
    fn of(source: &Source, text: &[u8]) -> Self {
        let extension = match source {
            Source::File(path) => path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase),
            Source::Stdin if matches!(text.trim_ascii_start().first(), Some(b'{' | b'[')) => Some("json".into()),
            Source::Stdin => None,
        };
        match extension.as_deref() {
            Some("ndjson" | "jsonl") => Self::Ndjson,
            Some("json") => Self::Json,
            _ => Self::Csv,
        }
    }
}

/// How to read the input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Option<Format>,
    /// CSV's delimiter; `None` is a comma (a tab for `.tsv` files).
    pub delimiter: Option<u8>,
    pub encoding: Option<&'static Encoding>,
    pub limits: Limits,
}

/// Which input a results file belongs to: the same path, size and checksum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub path: String,
    pub size: u64,
    pub sha1: String,
}

/// The input, checked whole: what the run needs to know before it reads the records.
pub struct Scan {
    /// How many records the input has, rejected ones included.
    pub records: u64,
    /// The field names the input uses: the CSV header, or every name a JSON record has.
    pub columns: BTreeSet<String>,
    pub fingerprint: Fingerprint,
    /// Said before anything is sent, such as records that are not valid UTF-8.
    pub warnings: Vec<String>,
    name: String,
    origin: Origin,
    format: ChunkFormat,
    encoding: Option<&'static Encoding>,
    limits: Limits,
}

/// Reads all of the input once, checking it as a whole (pass 1): nothing per record is kept.
pub fn scan(source: &Source, options: &Options) -> Result<Scan, String> {
    scan_in_chunks(source, options, CHUNK_SIZE)
}

fn scan_in_chunks(source: &Source, options: &Options, chunk_size: usize) -> Result<Scan, String> {
    let name = source.describe();
    let cannot_read = |e: std::io::Error| format!("cannot read {name}: {e}");
    let origin = Origin::of(source).map_err(cannot_read)?;
    let first = first_byte(&origin, options.encoding, &name)?;
    let format = options.format.unwrap_or_else(|| Format::of(source, first.as_slice()));
    let tsv = matches!(source, Source::File(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")));
    let delimiter = options.delimiter.unwrap_or(if tsv { b'\t' } else { b',' });
    let format = ChunkFormat::of(format, delimiter, first);
    let text = TextReader::new(Hashing::new(origin.open().map_err(cannot_read)?), options.encoding);
    let mut records = Records::new(text, format, options.limits, chunk_size);
    let mut tally = Tally::default();
    loop {
        match records.next_records() {
            Ok(Some(chunk)) => tally.add(&chunk),
            Ok(None) => break,
            Err(ReadError::Parse(syntax)) => return Err(records.refusal(syntax).describe(&name)),
            Err(e) => return Err(e.describe(&name)),
        }
    }
    let columns = match records.headers() {
        Some(headers) => headers.iter().filter(|h| !h.is_empty()).cloned().collect(),
        None => std::mem::take(&mut tally.names),
    };
    let fingerprint = Fingerprint {
        path: match source {
            Source::File(path) => std::path::absolute(path).unwrap_or_else(|_| path.clone()).display().to_string(),
            Source::Stdin => "-".into(),
        },
        size: records.source().size(),
        sha1: records.source().sha1(),
    };
    let warnings = tally.not_utf8_warning(&name).into_iter().collect();
    let limits = options.limits;
    Ok(Scan {
        records: tally.records,
        columns,
        fingerprint,
        warnings,
        name,
        origin,
        format,
        encoding: options.encoding,
        limits,
    })
}

/// The text's first byte that is not white space, which tells JSON formats apart.
fn first_byte(origin: &Origin, encoding: Option<&'static Encoding>, name: &str) -> Result<Option<u8>, String> {
    let file = origin.open().map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut text = TextReader::new(file, encoding);
    let mut piece = Vec::new();
    loop {
        piece.clear();
        let more = text.read_into(&mut piece).map_err(|e| match e {
            TextError::Io(e) => format!("cannot read {name}: {e}"),
            TextError::Encoding(why) => format!("{name}: {why}"),
        })?;
        if let Some(first) = piece.trim_ascii_start().first() {
            return Ok(Some(*first));
        }
        if !more {
            return Ok(None);
        }
    }
}

/// What pass 1 keeps: counts, and the JSON field names.
#[derive(Default)]
struct Tally {
    records: u64,
    names: BTreeSet<String>,
    not_utf8: u64,
    first_not_utf8: Option<usize>,
}

impl Tally {
    fn add(&mut self, records: &[InputRecord]) {
        self.records += records.len() as u64;
        for record in records {
            match &record.fields {
                Ok(fields) => {
                    for name in fields.keys() {
                        if !self.names.contains(name) {
                            self.names.insert(name.clone());
                        }
                    }
                }
                Err(why) if why.contains("not valid UTF-8") => {
                    self.not_utf8 += 1;
                    self.first_not_utf8.get_or_insert(record.line);
                }
                Err(_) => {}
            }
        }
    }

    /// Said up front: a file with records that are not UTF-8 is likely in another encoding.
    fn not_utf8_warning(&self, name: &str) -> Option<String> {
        let first = self.first_not_utf8?;
        let count = self.not_utf8;
        Some(format!(
            "{name} is not UTF-8: {count} record(s), the first on line {first}, will be REJECTED; if the file is in \
             another encoding, pass --encoding (such as --encoding windows-1252 for Latin-1)"
        ))
    }
}

impl Scan {
    /// Reads the input again, for the run (pass 2): its records in order, a chunk at a
    /// time. A read that fails, or an input that is no longer the one checked, ends it with
    /// an error.
    pub fn records(&self) -> Result<RecordStream, String> {
        self.records_in_chunks(CHUNK_SIZE)
    }

    fn records_in_chunks(&self, chunk_size: usize) -> Result<RecordStream, String> {
        let file = self.origin.open().map_err(|e| format!("cannot read {}: {e}", self.name))?;
        let text = TextReader::new(Hashing::new(file), self.encoding);
        Ok(RecordStream {
            records: Records::new(text, self.format, self.limits, chunk_size),
            chunk: Vec::new().into_iter(),
            name: self.name.clone(),
            fingerprint: self.fingerprint.clone(),
            ended: false,
        })
    }
}

/// The input's records as the run reads them.
pub struct RecordStream {
    records: Records<Hashing<std::fs::File>>,
    chunk: std::vec::IntoIter<InputRecord>,
    name: String,
    fingerprint: Fingerprint,
    ended: bool,
}

impl RecordStream {
    fn next_chunk(&mut self) -> Result<Option<Vec<InputRecord>>, String> {
        let read = self.records.next_records();
        let source = self.records.source();
        let same = match &read {
            Ok(None) => source.size() == self.fingerprint.size && source.sha1() == self.fingerprint.sha1,
            _ => source.size() <= self.fingerprint.size,
        };
        match read {
            Err(ReadError::Chunk(chunk::ChunkError::Text(TextError::Io(e)))) => {
                Err(format!("cannot read {}: {e}", self.name))
            }
            Err(_) => Err(self.changed()),
            Ok(_) if !same => Err(self.changed()),
            Ok(chunk) => Ok(chunk),
        }
    }

    fn changed(&self) -> String {
        format!(
            "{} changed while it was being synced: it is no longer the {} bytes with SHA-1 {} that were checked before the run",
            self.name, self.fingerprint.size, self.fingerprint.sha1
        )
    }
}

impl Iterator for RecordStream {
    type Item = Result<InputRecord, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.chunk.next() {
                return Some(Ok(record));
            }
            if self.ended {
                return None;
            }
            match self.next_chunk() {
                Ok(Some(chunk)) => self.chunk = chunk.into_iter(),
                Ok(None) => self.ended = true,
                Err(e) => {
                    self.ended = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The input, read and checked, its records all in memory: for tests.
#[cfg(test)]
#[derive(Debug)]
pub struct Input {
    pub records: Vec<InputRecord>,
    pub columns: BTreeSet<String>,
    pub fingerprint: Fingerprint,
    pub warnings: Vec<String>,
}

#[cfg(test)]
pub fn read(source: &Source, options: &Options) -> Result<Input, String> {
    read_in_chunks(source, options, CHUNK_SIZE)
}

#[cfg(test)]
fn read_in_chunks(source: &Source, options: &Options, chunk_size: usize) -> Result<Input, String> {
    let scan = scan_in_chunks(source, options, chunk_size)?;
    let records = scan.records_in_chunks(chunk_size)?.collect::<Result<Vec<_>, _>>()?;
    assert_eq!(records.len() as u64, scan.records, "both passes read the same records");
    Ok(Input { records, columns: scan.columns, fingerprint: scan.fingerprint, warnings: scan.warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(name: &str, bytes: &[u8], options: &Options) -> Result<Input, String> {
        let dir = std::env::temp_dir().join(format!("mktows-input-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        read(&Source::File(path), options)
    }

    fn lines(input: &Input) -> Vec<usize> {
        input.records.iter().map(|r| r.line).collect()
    }

    #[test]
    fn lf_crlf_and_cr_files_give_the_same_physical_lines() {
        let lf = "Email,Note\na@x.com,\"two\nlines\"\nb@x.com\nc@x.com,x\n";
        for (name, ends) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
            let input = read_text(name, lf.replace('\n', ends).as_bytes(), &Options::default()).unwrap();
            assert_eq!(lines(&input), [2, 4, 5], "{name}");
            assert!(input.records[1].fields.as_ref().unwrap_err().contains("1 cells"), "{name}");
            assert_eq!(input.records[0].fields.as_ref().unwrap()["Note"], "two\nlines", "{name}");
        }
        let ndjson = "{\"Email\":\"a@x.com\"}\n\n{\"Email\":\"b@x.com\"}\n";
        for (name, ends) in [("lf.ndjson", "\n"), ("crlf.ndjson", "\r\n"), ("cr.ndjson", "\r")] {
            let input = read_text(name, ndjson.replace('\n', ends).as_bytes(), &Options::default()).unwrap();
            assert_eq!(lines(&input), [1, 3], "{name}");
        }
    }

    #[test]
    fn a_bom_on_the_first_ndjson_line_is_not_part_of_the_record() {
        let input = read_text("bom.ndjson", b"\xEF\xBB\xBF{\"Email\":\"a@x.com\"}\n", &Options::default()).unwrap();
        assert_eq!(input.records[0].fields.as_ref().unwrap()["Email"], "a@x.com");
    }

    #[test]
    fn latin1_needs_its_encoding_and_is_named_up_front() {
        let bytes = b"Email,FirstName\na@x.com,Jos\xE9\nb@x.com,Ann\n";
        let input = read_text("latin1.csv", bytes, &Options::default()).unwrap();
        assert!(input.warnings[0].contains("1 record(s), the first on line 2"), "{:?}", input.warnings);
        assert!(input.warnings[0].contains("--encoding"));
        let options = Options { encoding: Encoding::for_label(b"latin1"), ..Options::default() };
        let input = read_text("latin1.csv", bytes, &options).unwrap();
        assert!(input.warnings.is_empty());
        assert_eq!(input.records[0].fields.as_ref().unwrap()["FirstName"], "José");
    }

    #[test]
    fn formats_follow_the_extension_or_the_first_character() {
        let array = b"[{\"Email\":\"a@x.com\"},\n{\"Email\":\"b@x.com\"}]";
        assert_eq!(lines(&read_text("a.json", array, &Options::default()).unwrap()), [1, 2]);
        assert_eq!(
            lines(&read_text("b.json", b"{\"Email\":\"a\"}\n{\"Email\":\"b\"}\n", &Options::default()).unwrap()),
            [1, 2]
        );
        let tsv = read_text("c.tsv", b"Email\tFirstName\na@x.com\tAnn\n", &Options::default()).unwrap();
        assert_eq!(tsv.columns, BTreeSet::from(["Email".to_owned(), "FirstName".to_owned()]));
        assert_eq!(Format::of(&Source::File("x.JSONL".into()), b""), Format::Ndjson);
        assert_eq!(Format::of(&Source::Stdin, b"  [1]"), Format::Json);
        assert_eq!(Format::of(&Source::Stdin, b"Email\n"), Format::Csv);
    }

    #[test]
    fn the_fingerprint_changes_with_the_content() {
        let a = read_text("f.csv", b"Email\na@x.com\n", &Options::default()).unwrap().fingerprint;
        let b = read_text("f.csv", b"Email\nb@x.com\n", &Options::default()).unwrap().fingerprint;
        assert_eq!((a.size, a.path.clone()), (b.size, b.path.clone()));
        assert_ne!(a.sha1, b.sha1);
        assert!(Path::new(&a.path).is_absolute());
    }

    /// The records (or the refusal) of the whole text read at once, as before streaming:
    /// the reference every chunk size must match.
    fn whole(name: &str, bytes: &[u8], options: &Options) -> Result<(Vec<InputRecord>, BTreeSet<String>), String> {
        let text = text::prepare(bytes.to_vec(), options.encoding)?;
        let source = Source::File(name.into());
        let format = options.format.unwrap_or_else(|| Format::of(&source, &text));
        let delimiter = options.delimiter.unwrap_or(if name.ends_with(".tsv") { b'\t' } else { b',' });
        let limits = &options.limits;
        let names = |records: &[InputRecord]| {
            records.iter().filter_map(|r| r.fields.as_ref().ok()).flat_map(|f| f.keys().cloned()).collect()
        };
        match format {
            Format::Csv => {
                let (headers, records) = csv::parse(&text, delimiter, limits)?;
                Ok((records, headers.into_iter().filter(|h| !h.is_empty()).collect()))
            }
            Format::Json if text.trim_ascii_start().starts_with(b"[") => {
                let records = json::parse_array(&text, limits)?;
                let columns = names(&records);
                Ok((records, columns))
            }
            Format::Ndjson | Format::Json => {
                let records = json::parse_lines(&text, limits);
                let columns = names(&records);
                Ok((records, columns))
            }
        }
    }

    fn streamed(name: &str, bytes: &[u8], options: &Options, chunk_size: usize) -> Result<Input, String> {
        let dir = std::env::temp_dir().join(format!("mktows-chunks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{chunk_size}-{name}"));
        std::fs::write(&path, bytes).unwrap();
        let name = path.display().to_string();
        read_in_chunks(&Source::File(path), options, chunk_size).map_err(|e| e.replacen(&format!("{name}: "), "", 1))
    }

    /// Every chunk size gives the records, line numbers, columns and refusals that reading
    /// the whole text at once gives.
    fn assert_chunk_sizes_agree(name: &str, bytes: &[u8], options: &Options) {
        let expected = whole(name, bytes, options);
        for chunk_size in [1, 2, 3, 7, 64, CHUNK_SIZE] {
            let got = streamed(name, bytes, options, chunk_size).map(|input| (input.records, input.columns));
            assert_eq!(got, expected, "{name} in chunks of {chunk_size}");
        }
    }

    #[test]
    fn chunks_of_any_size_read_the_same_records_with_the_same_lines() {
        let csv = "Email,Note\r\na@x.com,\"two\r\nlines, \"\"quoted\"\"\"\r\n\r\n\r\nb@x.com\r\n  \r\nc@x.com,\"x\ry\"\rd@x.com,last";
        for (name, bytes) in [
            ("crlf.csv", csv.as_bytes().to_vec()),
            ("lf.csv", csv.replace("\r\n", "\n").into_bytes()),
            ("cr.csv", csv.replace("\r\n", "\r").into_bytes()),
            ("bom.csv", [&b"\xEF\xBB\xBF"[..], csv.as_bytes()].concat()),
            ("semicolon.csv", b"Email;A\n\na@x.com;\"1;2\"\nb@x.com;3;4\n".to_vec()),
            ("leading-blank.csv", b"\n\n  \nEmail\n\na@x.com\n".to_vec()),
            ("t.tsv", b"Email\tA\na@x.com\t\"x\ty\"\n".to_vec()),
            ("bad.csv", b"Email,A\na@x.com,Jos\xE9\nb@x.com,\x0B\n".to_vec()),
        ] {
            let options = Options { delimiter: name.starts_with("semi").then_some(b';'), ..Options::default() };
            assert_chunk_sizes_agree(name, &bytes, &options);
        }
        let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(csv.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_chunk_sizes_agree("utf16.csv", &utf16, &Options::default());
        let latin1 = Options { encoding: Encoding::for_label(b"latin1"), ..Options::default() };
        assert_chunk_sizes_agree("latin1.csv", b"Email,FirstName\r\na@x.com,Jos\xE9\r\nb@x.com,\xC5sa\r\n", &latin1);
        let ndjson = "\u{feff}{\"Email\":\"a@x.com\"}\r\n\r\n{broken\r[1]\n  \n{\"Email\":\"b@x.com\",\"N\":2}\n{\"Email\":\"c\"}";
        assert_chunk_sizes_agree("a.ndjson", ndjson.as_bytes(), &Options::default());
        assert_chunk_sizes_agree("b.json", ndjson.replace('\u{feff}', "").as_bytes(), &Options::default());
        assert_chunk_sizes_agree("bad.ndjson", b"{\"A\":\"\xFF\"}\n{\"Email\":\"x\"}\n", &Options::default());
        let array = "\n [\r\n  {\"Email\": \"a@x.com\", \"Note\": \"] , \\\" {\\\\\"},\n   {\"Email\":\"b@x.com\",\n  \"Tags\":[1,{\"x\":\"]\"}]}, 7 ,\"s,]\" ,\r{}\n, {\"Email\":\"c\"}]\n\n";
        assert_chunk_sizes_agree("a.json", array.as_bytes(), &Options::default());
        assert_chunk_sizes_agree("empty.json", b" [ ] ", &Options::default());
    }

    #[test]
    fn chunks_of_any_size_refuse_the_same_files_for_the_same_reasons() {
        for (name, bytes) in [
            ("unclosed.csv", &b"Email,A\na@x.com,1\nb@x.com,\"Bob\nc@x.com,Carl\n"[..]),
            // An unclosed quote is named before a header that would be refused.
            ("unclosed-header.csv", b"Email,Email\na,\"b\n"),
            ("twice.csv", b"\nEmail,A,Email\na,b,c\n"),
            ("empty.csv", b"\n  \n"),
            ("no-fields.csv", b",\n1,2\n"),
            ("broken.json", b"[\n{\"a\":1},\n{\"a\":\n"),
            ("trailing-comma.json", b"[{\"a\":1},\n]"),
            ("never-closes.json", b"[{\"a\":1},\n\n"),
            ("no-comma.json", b"[{\"a\":1} {\"a\":2}]"),
            ("after.json", b"[{\"a\":1}]\n x"),
            ("no-separator.json", b"[{\"a\":1}\n"),
            // A JSON file must be UTF-8 throughout: that comes before its syntax.
            ("latin1.json", b"[{\"a\":1}} ,\n{\"a\":\"\xE9\"}]"),
            ("utf16-odd.csv", b"\xFF\xFEE\0m\0\n"),
        ] {
            assert!(whole(name, bytes, &Options::default()).is_err(), "{name}");
            assert_chunk_sizes_agree(name, bytes, &Options::default());
        }
        let latin1 = Options { encoding: Encoding::for_label(b"utf-16be"), ..Options::default() };
        assert_chunk_sizes_agree("bad-utf16.csv", b"\xD8\x00", &latin1);
    }

    /// A record far over --max-record-bytes is rejected alone, measured as the limit
    /// counts it, without the reader ever holding more than a chunk and the limit's worth.
    #[test]
    fn a_huge_record_is_rejected_alone_without_being_held() {
        let limits = Limits { max_record_bytes: 1000, max_columns: 10 };
        let options = Options { limits, ..Options::default() };
        let huge = "x".repeat(5 * 1024 * 1024);
        let inputs = [
            (
                "huge.ndjson",
                format!("{{\"Email\":\"a\"}}\n{{\"Email\":\"{huge}\"}}\n\n{{\"Email\":\"b\"}}\n"),
                huge.len() + 12,
            ),
            ("huge.csv", format!("Email,Note\na,1\nb,\"{huge}\"\"\"\n\nc,3\n"), huge.len() + 2),
            ("huge.json", format!("[{{\"Email\":\"a\"}},\n  \"{huge}\" ,\n{{\"Email\":\"b\"}}]"), huge.len() + 2),
        ];
        for (name, text, bytes) in inputs {
            let input = streamed(name, text.as_bytes(), &options, 4096).unwrap();
            let lines: Vec<_> = input.records.iter().map(|r| (r.line, r.fields.as_ref().err().cloned())).collect();
            let why = format!("the record is {bytes} bytes, over the limit of 1000 (--max-record-bytes raises it)");
            assert_eq!(lines[1..], [(lines[1].0, Some(why)), (lines[2].0, None)], "{name}");
            assert_eq!(lines[0].1, None, "{name}");
            let file = std::fs::File::open(
                std::env::temp_dir().join(format!("mktows-chunks-{}/4096-{name}", std::process::id())),
            );
            let format = ChunkFormat::of(
                Format::of(&Source::File(name.into()), b""),
                b',',
                text.bytes().find(|b| !b.is_ascii_whitespace()),
            );
            let mut records = Records::new(TextReader::new(file.unwrap(), None), format, limits, 4096);
            while records.next_records().unwrap().is_some() {}
            assert!(records.largest_buffer() < 4096 + 2 * 1000 + 3 * 10 + 2, "{name}: {}", records.largest_buffer());
        }
        // A quote that never closes near the start of a large file is refused, naming its line.
        let text = format!("Email,Note\na,\"{huge}\nb,2\n");
        let error = streamed("open.csv", text.as_bytes(), &options, 4096).unwrap_err();
        assert!(error.starts_with("line 2: a quoted field opens here and never closes"), "{error}");
    }

    /// The second pass halts on an input that is no longer the one the first checked.
    #[test]
    fn a_file_that_changes_between_the_passes_ends_the_records_with_an_error() {
        let dir = std::env::temp_dir().join(format!("mktows-changed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("leads.csv");
        for changed in ["Email\na@x.com\nb@x.com\n", "Email\na@x.com\nc@x.com\n", "Email\na@x.com\nb@x.com\nc@x.com\n"]
        {
            std::fs::write(&path, "Email\na@x.com\nb@x.com\n").unwrap();
            let scan = scan_in_chunks(&Source::File(path.clone()), &Options::default(), 8).unwrap();
            std::fs::write(&path, changed).unwrap();
            let records: Vec<_> = scan.records_in_chunks(8).unwrap().collect();
            let errors: Vec<_> = records.iter().filter_map(|r| r.as_ref().err()).collect();
            if changed == "Email\na@x.com\nb@x.com\n" {
                assert!(errors.is_empty() && records.len() == 2, "{records:?}");
            } else {
                assert_eq!(errors.len(), 1, "{records:?}");
                assert!(records.last().unwrap().is_err(), "the error ends the records: {records:?}");
                assert!(errors[0].contains("changed while it was being synced"), "{}", errors[0]);
            }
        }
    }

    /// A pipe cannot be read twice: like stdin, it is spooled.
    #[cfg(unix)]
    #[test]
    fn a_pipe_given_as_a_file_is_read_once_and_spooled() {
        let dir = std::env::temp_dir().join(format!("mktows-fifo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("leads.csv");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, "Email\na@x.com\nb@x.com\n").unwrap())
        };
        let input = read(&Source::File(fifo), &Options::default()).unwrap();
        writer.join().unwrap();
        assert_eq!(lines(&input), [2, 3]);
    }
}
