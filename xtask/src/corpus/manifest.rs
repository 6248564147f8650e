//! Reading a corpus's `MANIFEST.tsv`: the columns are found by their header names, so a
//! manifest may add columns (such as `zeep`) in any place.

use std::fs;
use std::path::Path;

/// One entry WSDL of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the corpus folder; may be in a subfolder.
    pub file: String,
    /// What the `zeep` column says (whether zeep loads the file), when there is one.
    pub zeep: Option<bool>,
}

/// The entry files of the corpus at `root`, in manifest order.
pub fn entries(root: &Path) -> Result<Vec<Entry>, String> {
    let manifest = root.join("MANIFEST.tsv");
    let text = fs::read_to_string(&manifest).map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    Ok(parse(&text))
}

/// The entries of a manifest's text.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap_or("").split('\t').map(|c| c.trim().to_ascii_lowercase()).collect();
    let column = |name: &str| header.iter().position(|c| c == name);
    let (file, role, zeep) = (column("file").unwrap_or(0), column("role").unwrap_or(1), column("zeep"));
    lines
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').map(str::trim).collect();
            let entry = columns.get(role) == Some(&"entry");
            let zeep = zeep.and_then(|z| columns.get(z)).and_then(|value| loads(value));
            entry.then(|| Entry { file: columns.get(file).copied().unwrap_or_default().to_owned(), zeep })
        })
        .filter(|entry| !entry.file.is_empty())
        .collect()
}

/// A `zeep` cell: whether zeep loads the file; `None` when the cell says neither.
fn loads(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "ok" | "loads" | "1" => Some(true),
        "no" | "n" | "false" | "fails" | "error" | "0" => Some(false),
        other if other.starts_with("ok") || other.starts_with("yes") => Some(true),
        other if other.starts_with("no") || other.starts_with("fail") || other.starts_with("error") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name_and_only_entries_count() {
        let text = "file\trole\trepo\tzeep\tnotes\n\
                    a/b.wsdl\tentry\tr\tyes\tx\n\
                    a/c.xsd\timport\tr\t\t\n\
                    d.wsdl\tentry\tr\tno: TypeError\ty\n\
                    e.wsdl\tentry\tr\t\tz\n";
        let entries = parse(text);
        let files: Vec<(&str, Option<bool>)> = entries.iter().map(|e| (e.file.as_str(), e.zeep)).collect();
        assert_eq!(files, [("a/b.wsdl", Some(true)), ("d.wsdl", Some(false)), ("e.wsdl", None)]);
    }

    #[test]
    fn a_manifest_without_zeep_column_has_no_zeep_answers() {
        let entries = parse("file\trole\trepo\tpath\tcommit\tsize\tnotes\nx.wsdl\tentry\tr\tp\tc\t1\tn\n");
        assert_eq!(entries, [Entry { file: "x.wsdl".into(), zeep: None }]);
    }
}
