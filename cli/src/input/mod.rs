//! Reading the input: CSV with a header row of Marketo field names, NDJSON with one object
//! per line, or a JSON array of objects, from a file or stdin. The whole input is checked
//! before anything is sent: a file that cannot be read as a whole (an unusable header, a
//! quote that never closes, a broken JSON array) is refused, and every other record becomes
//! fields or a rejection with its reason and physical line number, so that each input
//! record ends with exactly one result line.

mod csv;
mod json;
pub mod text;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use sha1::{Digest, Sha1};

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

/// The input, read and checked.
pub struct Input {
    pub records: Vec<InputRecord>,
    /// The field names the input uses: the CSV header, or every name a JSON record has.
    pub columns: BTreeSet<String>,
    pub fingerprint: Fingerprint,
    /// Said before anything is sent, such as records that are not valid UTF-8.
    pub warnings: Vec<String>,
}

pub fn read(source: &Source, options: &Options) -> Result<Input, String> {
    let name = source.describe();
    let bytes = read_bytes(source).map_err(|e| format!("cannot read {name}: {e}"))?;
    let fingerprint = fingerprint(source, &bytes);
    let text = text::prepare(bytes, options.encoding).map_err(|e| format!("{name}: {e}"))?;
    let format = options.format.unwrap_or_else(|| Format::of(source, &text));
    let limits = &options.limits;
    let (records, columns) = match format {
        Format::Csv => {
            let tsv = matches!(source, Source::File(p) if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")));
            let delimiter = options.delimiter.unwrap_or(if tsv { b'\t' } else { b',' });
            let (headers, records) = csv::parse(&text, delimiter, limits).map_err(|e| format!("{name}: {e}"))?;
            (records, headers.into_iter().filter(|h| !h.is_empty()).collect())
        }
        Format::Ndjson => with_names(json::parse_lines(&text, limits)),
        Format::Json if text.trim_ascii_start().starts_with(b"[") => {
            with_names(json::parse_array(&text, limits).map_err(|e| format!("{name}: {e}"))?)
        }
        Format::Json => with_names(json::parse_lines(&text, limits)),
    };
    let warnings = not_utf8_warning(&name, &records).into_iter().collect();
    Ok(Input { records, columns, fingerprint, warnings })
}

fn read_bytes(source: &Source) -> std::io::Result<Vec<u8>> {
    match source {
        Source::File(path) => std::fs::read(path),
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin().lock().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

fn fingerprint(source: &Source, bytes: &[u8]) -> Fingerprint {
    let path = match source {
        Source::File(path) => std::path::absolute(path).unwrap_or_else(|_| path.clone()).display().to_string(),
        Source::Stdin => "-".into(),
    };
    let digest = Sha1::digest(bytes);
    let sha1 = digest.iter().map(|b| format!("{b:02x}")).collect();
    Fingerprint { path, size: bytes.len() as u64, sha1 }
}

fn with_names(records: Vec<InputRecord>) -> (Vec<InputRecord>, BTreeSet<String>) {
    let names = records.iter().filter_map(|r| r.fields.as_ref().ok()).flat_map(|f| f.keys().cloned()).collect();
    (records, names)
}

/// Said up front: a file with records that are not UTF-8 is likely in another encoding.
fn not_utf8_warning(name: &str, records: &[InputRecord]) -> Option<String> {
    let mut bad = records.iter().filter(|r| r.fields.as_ref().is_err_and(|e| e.contains("not valid UTF-8")));
    let first = bad.next()?.line;
    let count = 1 + bad.count();
    Some(format!(
        "{name} is not UTF-8: {count} record(s), the first on line {first}, will be REJECTED; if the file is in \
         another encoding, pass --encoding (such as --encoding windows-1252 for Latin-1)"
    ))
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
}
