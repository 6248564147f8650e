//! JSON input: NDJSON (one object per line) or one array of objects, read element by
//! element. Values are strings, numbers or booleans; null and empty strings are left out.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::text::{utf8_error, LineCounter};
use super::validate::{self, Limits};
use super::{Fields, InputRecord};

/// NDJSON: every non-blank line is a record (line ends are `\n` by now).
#[cfg(test)]
pub fn parse_lines(text: &[u8], limits: &Limits) -> Vec<InputRecord> {
    parse_lines_from(text, 1, limits)
}

/// NDJSON text whose first line is `first_line`.
pub fn parse_lines_from(text: &[u8], first_line: usize, limits: &Limits) -> Vec<InputRecord> {
    text.split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.trim_ascii().is_empty())
        .map(|(index, line)| InputRecord { line: first_line + index, fields: line_fields(line, limits) })
        .collect()
}

fn line_fields(line: &[u8], limits: &Limits) -> Result<Fields, String> {
    validate::size(line.len(), 0, limits)?;
    let line = std::str::from_utf8(line).map_err(|_| format!("the line is {}", utf8_error(line)))?;
    object_fields(line, limits)
}

/// A JSON array of objects. Its syntax must hold throughout (after an error there is no
/// telling where the next record starts), so a broken array refuses the file.
#[cfg(test)]
pub fn parse_array(text: &[u8], limits: &Limits) -> Result<Vec<InputRecord>, String> {
    let mut array = Array::new();
    let text = array_text(text, 1)?;
    let records = array.chunk(text, 1, limits)?;
    array.finish(LineCounter::new(text.as_bytes()).line_of(text.len()))?;
    Ok(records)
}

/// A JSON file must be UTF-8 throughout: the refusal names the first line that is not.
pub fn array_text(text: &[u8], first_line: usize) -> Result<&str, String> {
    std::str::from_utf8(text).map_err(|e| {
        let line = first_line - 1 + LineCounter::new(text).line_of(e.valid_up_to());
        format!("line {line}: a JSON file must be UTF-8; pass --encoding if it is in another encoding")
    })
}

/// What a JSON array reader expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Open,
    FirstElement,
    Element,
    Separator,
    End,
}

/// Reads a JSON array a chunk at a time; every chunk must end between two of the array's
/// tokens (after an element, a `,`, a bracket or white space).
pub struct Array {
    expect: Expect,
}

impl Array {
    pub fn new() -> Self {
        Self { expect: Expect::Open }
    }

    /// The elements of `text`, whose first line is `first_line`.
    pub fn chunk(&mut self, text: &str, first_line: usize, limits: &Limits) -> Result<Vec<InputRecord>, String> {
        let mut lines = LineCounter::new(text.as_bytes());
        let mut line_of = |at| first_line - 1 + lines.line_of(at);
        let mut records = Vec::new();
        let mut at = 0;
        loop {
            at = skip_space(text, at);
            let Some(next) = text[at..].chars().next() else { return Ok(records) };
            match self.expect {
                Expect::Open if next == '[' => (at, self.expect) = (at + 1, Expect::FirstElement),
                Expect::Open => return Err("a JSON input is an array of objects or one object per line".into()),
                Expect::FirstElement if next == ']' => (at, self.expect) = (at + 1, Expect::End),
                Expect::FirstElement | Expect::Element => {
                    let mut stream = serde_json::Deserializer::from_str(&text[at..]).into_iter::<&RawValue>();
                    let raw = match stream.next() {
                        Some(Ok(raw)) => raw,
                        Some(Err(e)) => return Err(format!("line {}: the JSON array is broken: {e}", line_of(at))),
                        None => return Err(format!("line {}: the JSON array never closes", line_of(at))),
                    };
                    records.push(InputRecord { line: line_of(at), fields: element_fields(raw.get(), limits) });
                    (at, self.expect) = (at + stream.byte_offset(), Expect::Separator);
                }
                Expect::Separator if next == ',' => (at, self.expect) = (at + 1, Expect::Element),
                Expect::Separator if next == ']' => (at, self.expect) = (at + 1, Expect::End),
                Expect::Separator => {
                    return Err(format!("line {}: expected `,` or `]` in the JSON array", line_of(at)));
                }
                Expect::End => return Err(format!("line {}: text after the end of the JSON array", line_of(at))),
            }
        }
    }

    /// An element on `line` too large to read: rejected, where the array has one.
    pub fn oversized(&mut self, line: usize, bytes: usize, limits: &Limits) -> Result<InputRecord, String> {
        match self.expect {
            Expect::FirstElement | Expect::Element => {
                self.expect = Expect::Separator;
                Ok(InputRecord { line, fields: Err(validate::oversized(bytes, 0, limits)) })
            }
            Expect::Open => Err("a JSON input is an array of objects or one object per line".into()),
            Expect::Separator => Err(format!("line {line}: expected `,` or `]` in the JSON array")),
            Expect::End => Err(format!("line {line}: text after the end of the JSON array")),
        }
    }

    /// At the end of the input, on `line`: the array must have closed.
    pub fn finish(&self, line: usize) -> Result<(), String> {
        match self.expect {
            Expect::End => Ok(()),
            Expect::Separator => Err(format!("line {line}: expected `,` or `]` in the JSON array")),
            Expect::Open | Expect::FirstElement | Expect::Element => {
                Err(format!("line {line}: the JSON array never closes"))
            }
        }
    }
}

fn skip_space(text: &str, at: usize) -> usize {
    at + text[at..].len() - text[at..].trim_start().len()
}

fn element_fields(raw: &str, limits: &Limits) -> Result<Fields, String> {
    validate::size(raw.len(), 0, limits)?;
    object_fields(raw, limits)
}

fn object_fields(text: &str, limits: &Limits) -> Result<Fields, String> {
    let Entries(entries) = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => "the record is not a JSON object".to_owned(),
        _ => format!("unparseable JSON: {e}"),
    })?;
    validate::size(0, entries.len(), limits)?;
    let fields = to_fields(entries)?;
    validate::fields(&fields)?;
    Ok(fields)
}

/// A JSON object's members in order, repeats included: `serde_json::Map` would keep the
/// last of two `Email`s and drop the other without a word.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

fn to_fields(entries: Vec<(String, Value)>) -> Result<Fields, String> {
    let mut fields = Fields::new();
    let mut names = std::collections::HashSet::with_capacity(entries.len());
    for (name, value) in entries {
        if !names.insert(name.clone()) {
            return Err(format!("field `{name}` appears twice in the record; which value would be sent is unclear"));
        }
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
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
    fn ndjson_lines_become_fields_and_bad_lines_are_rejected_alone() {
        let text = "{\"Email\":\"a@x.com\",\"LeadScore\":12,\"Unsubscribed\":false,\"Phone\":null}\n\n{broken\n[1,2]\n{\"Email\":\"b@x.com\"}\n";
        let records = parse_lines(text.as_bytes(), &Limits::default());
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3, 4, 5]);
        let first = records[0].fields.as_ref().unwrap();
        assert_eq!((first["LeadScore"].as_str(), first["Unsubscribed"].as_str()), ("12", "false"));
        assert!(!first.contains_key("Phone"));
        assert!(records[1].fields.as_ref().unwrap_err().starts_with("unparseable JSON"));
        assert!(records[2].fields.as_ref().unwrap_err().contains("not a JSON object"));
        assert!(records[3].fields.is_ok());
    }

    #[test]
    fn ndjson_lines_that_are_not_utf8_or_hold_control_characters_are_rejected() {
        let records = parse_lines(b"{\"FirstName\":\"B\xFFob\"}\n{\"FirstName\":\"B\\u000bob\"}\n", &Limits::default());
        assert!(records[0].fields.as_ref().unwrap_err().contains("not valid UTF-8: byte 0xFF"), "{records:?}");
        assert!(records[1].fields.as_ref().unwrap_err().contains("U+000B"), "{records:?}");
    }

    #[test]
    fn a_field_named_twice_rejects_its_record() {
        let records = parse_lines(b"{\"Email\":\"a@x.com\",\"Email\":\"b@x.com\"}\n", &Limits::default());
        assert!(records[0].fields.as_ref().unwrap_err().contains("field `Email` appears twice"), "{records:?}");
    }

    #[test]
    fn a_pretty_printed_array_gives_one_record_per_element_with_its_line() {
        let text = "[\n  {\n    \"Email\": \"a@x.com\"\n  },\n  {\"Email\": \"b@x.com\", \"Tags\": [1]},\n  7\n]\n";
        let records = parse_array(text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(records.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5, 6]);
        assert_eq!(records[0].fields.as_ref().unwrap()["Email"], "a@x.com");
        assert!(records[1].fields.as_ref().unwrap_err().contains("`Tags`"));
        assert!(records[2].fields.as_ref().unwrap_err().contains("not a JSON object"));
        assert!(parse_array(b"[]", &Limits::default()).unwrap().is_empty());
    }

    #[test]
    fn a_broken_array_refuses_the_file() {
        let limits = Limits::default();
        assert!(parse_array(b"[\n{\"a\":1},\n{\"a\":\n", &limits).unwrap_err().starts_with("line 3:"));
        assert!(parse_array(b"[{\"a\":1} {\"a\":2}]", &limits).unwrap_err().contains("expected `,`"));
        assert!(parse_array(b"[{\"a\":1}] x", &limits).unwrap_err().contains("after the end"));
        assert!(parse_array(b"[{\"a\":\"\xE9\"}]", &limits).unwrap_err().contains("must be UTF-8"));
    }
}
