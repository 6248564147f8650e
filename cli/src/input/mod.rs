//! Reading input files: CSV with a header row of Marketo field names, or NDJSON with one
//! object per line. Every line becomes a record or a rejection with its reason, so that
//! each input record ends with exactly one result line.

use std::collections::BTreeMap;
use std::path::Path;

/// One input record: its line number and field values, or why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputRecord {
    /// 1-based line number in the input file (the CSV header is line 1).
    pub line: usize,
    pub fields: Result<BTreeMap<String, String>, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    /// `.ndjson`, `.jsonl` and `.json` files are NDJSON; everything else is CSV.
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("ndjson" | "jsonl" | "json") => Self::Ndjson,
            _ => Self::Csv,
        }
    }
}

pub fn read(path: &Path) -> Result<Vec<InputRecord>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    match Format::of(path) {
        Format::Csv => parse_csv(&bytes),
        Format::Ndjson => Ok(parse_ndjson(&bytes)),
    }
}

/// CSV: the header row names the fields; empty cells are left out (they would otherwise
/// blank the field in Marketo). A row that does not parse, or has the wrong number of
/// cells, is rejected on its own.
pub fn parse_csv(bytes: &[u8]) -> Result<Vec<InputRecord>, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header row: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err("the CSV header row names no fields".into());
    }
    let mut records = Vec::new();
    let mut row = csv::StringRecord::new();
    loop {
        let line = reader.position().line() as usize;
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) if row.len() == 1 && row[0].trim().is_empty() => {}
            Ok(true) if row.len() != headers.len() => records.push(InputRecord {
                line: row.position().map_or(line, |p| p.line() as usize),
                fields: Err(format!("the row has {} cells but the header names {} fields", row.len(), headers.len())),
            }),
            Ok(true) => {
                let fields = headers
                    .iter()
                    .zip(row.iter())
                    .filter(|(name, value)| !name.is_empty() && !value.trim().is_empty())
                    .map(|(name, value)| (name.clone(), value.trim().to_owned()))
                    .collect();
                records
                    .push(InputRecord { line: row.position().map_or(line, |p| p.line() as usize), fields: Ok(fields) });
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                records.push(InputRecord { line, fields: Err(format!("unparseable CSV: {e}")) });
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
            }
        }
    }
    Ok(records)
}

/// NDJSON: one JSON object per line, whose values are strings, numbers or booleans (null
/// and empty strings are left out). Blank lines are skipped.
pub fn parse_ndjson(bytes: &[u8]) -> Vec<InputRecord> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| InputRecord { line: index + 1, fields: parse_json_object(line) })
        .collect()
}

fn parse_json_object(line: &str) -> Result<BTreeMap<String, String>, String> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("unparseable JSON: {e}"))?;
    let serde_json::Value::Object(object) = value else {
        return Err("the line is not a JSON object".into());
    };
    let mut fields = BTreeMap::new();
    for (name, value) in object {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            other => return Err(format!("field `{name}` is {other}, not a string, number or boolean")),
        };
        if !text.trim().is_empty() {
            fields.insert(name, text.trim().to_owned());
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_become_fields_with_line_numbers() {
        let csv = "Email,FirstName,Company\nada@x.com,Ada,\n\"bob@x.com\",\"Bob, Jr.\",Acme\nshort\n";
        let records = parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[0].line, 2);
        let ada = records[0].fields.as_ref().unwrap();
        assert_eq!(ada.get("FirstName").map(String::as_str), Some("Ada"));
        assert!(!ada.contains_key("Company"), "empty cells are left out");
        assert_eq!(records[1].fields.as_ref().unwrap()["FirstName"], "Bob, Jr.");
        assert_eq!(records[2].line, 4);
        assert!(records[2].fields.as_ref().unwrap_err().contains("1 cells"));
    }

    #[test]
    fn ndjson_lines_become_fields_and_bad_lines_are_rejected_alone() {
        let text = "{\"Email\":\"a@x.com\",\"LeadScore\":12,\"Unsubscribed\":false,\"Phone\":null}\n\n{broken\n[1,2]\n{\"Email\":\"b@x.com\"}\n";
        let records = parse_ndjson(text.as_bytes());
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3, 4, 5]);
        let first = records[0].fields.as_ref().unwrap();
        assert_eq!((first["LeadScore"].as_str(), first["Unsubscribed"].as_str()), ("12", "false"));
        assert!(!first.contains_key("Phone"));
        assert!(records[1].fields.as_ref().unwrap_err().starts_with("unparseable JSON"));
        assert!(records[2].fields.as_ref().unwrap_err().contains("not a JSON object"));
        assert!(records[3].fields.is_ok());
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a/leads.ndjson")), Format::Ndjson);
        assert_eq!(Format::of(Path::new("leads.JSONL")), Format::Ndjson);
        assert_eq!(Format::of(Path::new("leads.csv")), Format::Csv);
    }
}
