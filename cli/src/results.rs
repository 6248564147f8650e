//! The results file and its journal: where a run writes one line per input record, what
//! it says about which input and endpoint it belongs to, and what `--resume` takes from it.
//!
//! * The results file is the checkpoint: a record is done once its line is written (a
//!   batch's lines are written and flushed together). A FAILED line marked `"resend":true`
//!   failed in a way a resend fixes (the call was refused before it did anything, or the
//!   records cannot be duplicated), so `--resume` drops it and sends the record again.
//! * The journal's first line names the input (path, size, SHA-1), the endpoint and the
//!   job; `--resume` refuses a results file whose journal names another. Then, before a
//!   batch's first call, its line numbers are appended: a journalled record with no result
//!   may already be in Marketo.
//! * Files are only ever replaced whole, by renaming a new file over a regular file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::input::Fingerprint;

/// One line of the results file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub line: usize,
    pub key: String,
    pub status: String,
    #[serde(rename = "leadId")]
    pub lead_id: Option<i64>,
    pub error: Option<String>,
    /// `--resume` sends this record again: see the module doc.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub resend: bool,
}

/// What a results file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub input: Fingerprint,
    /// The endpoint without its userinfo, or the embedded sandbox and its state file.
    pub endpoint: String,
    /// What is synced, such as `leads` or `custom objects RoadShow`.
    pub job: String,
}

#[derive(Serialize, Deserialize)]
struct Sending {
    sending: Vec<usize>,
}

/// Where results go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    File(PathBuf),
    Stdout,
}

impl Output {
    pub fn describe(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Stdout => "stdout".into(),
        }
    }
}

pub fn journal_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// What an earlier run left: the lines that stand, and the records that may have been sent.
#[derive(Debug, Default)]
pub struct Previous {
    pub kept: Kept,
    pub in_doubt: HashSet<usize>,
}

impl Previous {
    #[cfg(test)]
    pub fn done(&self) -> HashSet<usize> {
        self.kept.lines.iter().collect()
    }
}

/// The result lines that stand, as much as a run needs of them: which input lines they
/// are (not sent again) and how many have each status (for the summary).
#[derive(Debug, Default)]
pub struct Kept {
    pub lines: LineSet,
    pub by_status: BTreeMap<String, u64>,
}

impl Kept {
    /// How many lines stand (counted by status, so that it holds once `lines` is taken).
    pub fn len(&self) -> u64 {
        self.by_status.values().sum()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A set of input line numbers, sorted: a word per line, however many lines a results
/// file has.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LineSet {
    lines: Vec<usize>,
}

impl LineSet {
    pub fn new(mut lines: Vec<usize>) -> Self {
        lines.sort_unstable();
        lines.dedup();
        lines.shrink_to_fit();
        Self { lines }
    }

    pub fn contains(&self, line: usize) -> bool {
        self.lines.binary_search(&line).is_ok()
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.lines.iter().copied()
    }

    /// The lines in `self` and not in `other`.
    fn difference(&self, other: &Self) -> HashSet<usize> {
        self.iter().filter(|line| !other.contains(*line)).collect()
    }
}

/// Checks, before anything is written, that `output` may be started anew (`overwrite`)
/// or created, and is a regular file if it exists.
pub fn check_fresh(output: &Path, overwrite: bool) -> Result<(), String> {
    for path in [output.to_path_buf(), journal_path(output)] {
        match std::fs::symlink_metadata(&path) {
            Err(_) => {}
            Ok(meta) if !meta.is_file() => {
                return Err(format!(
                    "{} is not a regular file, so it is not replaced; use --output - to write results to stdout",
                    path.display()
                ))
            }
            Ok(_) if overwrite => {}
            Ok(_) if path == output => {
                return Err(format!(
                    "{} exists: pass --resume to continue that run, or --overwrite to start over",
                    output.display()
                ))
            }
            Ok(_) => {}
        }
    }
    Ok(())
}

/// Starts a results file anew: the old journal goes first (so a crash in between leaves
/// nothing that a resume could mistake for this run's), then empty results and a journal
/// naming `identity` are renamed into place.
pub fn start(output: &Path, identity: &Identity) -> Result<(), String> {
    let journal = journal_path(output);
    match std::fs::remove_file(&journal) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot remove {}: {e}", journal.display()));
        }
        _ => {}
    }
    replace(output, b"")?;
    replace(&journal, &journal_text(identity, &HashSet::new()))
}

/// Reads an earlier run's results and journal for `--resume`, refusing them when they
/// belong to another input, endpoint or job, and rewrites both without the lines that
/// are to be sent again. Both files are read a line at a time, so that a results file of
/// a million lines costs a few words per line.
///
/// With neither file there, there is nothing to resume: the run starts as a fresh one.
pub fn resume(output: &Path, identity: &Identity) -> Result<Previous, String> {
    let journal = journal_path(output);
    if !output.exists() && !journal.exists() {
        start(output, identity)?;
        return Ok(Previous::default());
    }
    let sent = read_journal(&journal, output, identity)?;
    let lines = survey(output)?;
    let in_doubt = sent.difference(&lines.answered);
    // The journal first: until the results are rewritten, the dropped lines still stand.
    replace(&journal, &journal_text(identity, &in_doubt))?;
    let kept = rewrite_results(output, lines.repeated)?;
    Ok(Previous { kept, in_doubt })
}

/// The lines the journal says were sent, once its first line names this run's input,
/// endpoint and job.
fn read_journal(journal: &Path, output: &Path, identity: &Identity) -> Result<LineSet, String> {
    let unreadable = |e: std::io::Error| {
        format!("cannot resume: {} cannot be read ({e}), so which input {} belongs to is unknown; start over with --overwrite", journal.display(), output.display())
    };
    let mut lines = BufReader::new(File::open(journal).map_err(unreadable)?).lines();
    let first = lines.next().transpose().map_err(unreadable)?;
    let recorded: Identity = first.and_then(|line| serde_json::from_str(&line).ok()).ok_or_else(|| {
        format!("cannot resume: {} does not start with the run's input and endpoint", journal.display())
    })?;
    compare(&recorded, identity, output)?;
    let mut sent = Vec::new();
    for line in lines {
        if let Ok(entry) = serde_json::from_str::<Sending>(&line.map_err(unreadable)?) {
            sent.extend(entry.sending);
        }
    }
    Ok(LineSet::new(sent))
}

/// What a first read of the results file finds.
struct Survey {
    /// Every line with a result, `resend` or not.
    answered: LineSet,
    /// The lines that stand more than once, with how many times.
    repeated: HashMap<usize, usize>,
}

fn survey(output: &Path) -> Result<Survey, String> {
    let (mut answered, mut standing) = (Vec::new(), Vec::new());
    each_result(output, true, |result| {
        answered.push(result.line);
        if !result.resend {
            standing.push(result.line);
        }
        Ok(())
    })?;
    standing.sort_unstable();
    let mut repeated = HashMap::new();
    for pair in standing.windows(2).filter(|pair| pair[0] == pair[1]) {
        *repeated.entry(pair[0]).or_insert(1) += 1;
    }
    Ok(Survey { answered: LineSet::new(answered), repeated })
}

/// Rewrites the results file with the lines that stand: not `resend`, and of a line
/// written twice (by an older version), the last.
fn rewrite_results(output: &Path, mut repeated: HashMap<usize, usize>) -> Result<Kept, String> {
    let mut kept = Kept::default();
    let mut lines = Vec::new();
    replace_with(output, |file| {
        each_result(output, false, |result| {
            if result.resend {
                return Ok(());
            }
            if let Some(left) = repeated.get_mut(&result.line) {
                *left -= 1;
                if *left > 0 {
                    return Ok(());
                }
            }
            lines.push(result.line);
            *kept.by_status.entry(result.status.clone()).or_default() += 1;
            file.write_all(&results_text(std::slice::from_ref(&result)))
                .map_err(|e| format!("cannot write {}: {e}", output.display()))
        })
    })?;
    kept.lines = LineSet::new(lines);
    Ok(kept)
}

fn compare(recorded: &Identity, now: &Identity, output: &Path) -> Result<(), String> {
    let output = output.display();
    let (was, is) = (&recorded.input, &now.input);
    if was.path != is.path {
        return Err(format!("cannot resume: {output} belongs to input {}, not {}", was.path, is.path));
    }
    if (was.size, &was.sha1) != (is.size, &is.sha1) {
        return Err(format!(
            "cannot resume: {} changed since the run that wrote {output} ({} bytes, SHA-1 {}; now {} bytes, SHA-1 {}), so its line numbers no longer name the same records; start over with --overwrite",
            is.path, was.size, was.sha1, is.size, is.sha1
        ));
    }
    if recorded.endpoint != now.endpoint {
        return Err(format!("cannot resume: {output} was written against {}, not {}", recorded.endpoint, now.endpoint));
    }
    if recorded.job != now.job {
        return Err(format!("cannot resume: {output} is the results of syncing {}, not {}", recorded.job, now.job));
    }
    Ok(())
}

/// The results file's lines, without a torn last line.
#[cfg(test)]
fn read_results(output: &Path) -> Result<Vec<ResultLine>, String> {
    let mut results = Vec::new();
    each_result(output, false, |result| {
        results.push(result);
        Ok(())
    })?;
    Ok(results)
}

/// Calls `each` with every line of the results file, in order, up to a torn last line
/// (a run killed while writing it), which is dropped (with a warning when `warn`).
fn each_result(
    output: &Path,
    warn: bool,
    mut each: impl FnMut(ResultLine) -> Result<(), String>,
) -> Result<(), String> {
    let file = File::open(output).map_err(|e| format!("cannot read {}: {e}", output.display()))?;
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|e| format!("cannot read {}: {e}", output.display()))?;
        match serde_json::from_slice::<ResultLine>(&line) {
            Ok(result) => each(result)?,
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
            Err(_) => {
                if warn {
                    tracing::warn!("dropping a torn line from {}", output.display());
                }
                break;
            }
        }
    }
    Ok(())
}

fn journal_text(identity: &Identity, in_doubt: &HashSet<usize>) -> Vec<u8> {
    let mut text = serde_json::to_string(identity).expect("serializable");
    text.push('\n');
    if !in_doubt.is_empty() {
        let mut sending: Vec<usize> = in_doubt.iter().copied().collect();
        sending.sort_unstable();
        text.push_str(&serde_json::to_string(&Sending { sending }).expect("serializable"));
        text.push('\n');
    }
    text.into_bytes()
}

pub fn results_text(results: &[ResultLine]) -> Vec<u8> {
    let mut text = String::with_capacity(results.len() * 96);
    for line in results {
        text.push_str(&serde_json::to_string(line).expect("serializable"));
        text.push('\n');
    }
    text.into_bytes()
}

/// Writes `bytes` to a new file beside `path` and renames it over `path`.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), String> {
    replace_with(path, |file| file.write_all(bytes).map_err(|e| format!("cannot write {}: {e}", path.display())))
}

/// Writes a new file beside `path` with `fill`, and renames it over `path`; on an error
/// `path` is left as it was.
fn replace_with<T>(path: &Path, fill: impl FnOnce(&mut BufWriter<File>) -> Result<T, String>) -> Result<T, String> {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".new-{}", std::process::id()));
    let temporary = path.with_file_name(name);
    let cannot_write = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let written = File::create(&temporary).map_err(cannot_write).and_then(|file| {
        let mut file = BufWriter::new(file);
        let value = fill(&mut file)?;
        let file = file.into_inner().map_err(|e| cannot_write(e.into_error()))?;
        file.sync_all().and_then(|()| std::fs::rename(&temporary, path)).map_err(cannot_write)?;
        Ok(value)
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// Appends to the results file and journal of a running sync.
pub struct Writer {
    results: Option<File>,
    journal: Option<File>,
}

impl Writer {
    pub fn open(output: &Output) -> Result<Self, String> {
        let Output::File(path) = output else {
            return Ok(Self { results: None, journal: None });
        };
        let append = |path: &Path| {
            OpenOptions::new().append(true).open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))
        };
        Ok(Self { results: Some(append(path)?), journal: Some(append(&journal_path(path))?) })
    }

    /// Notes that these records are about to be sent.
    pub fn journal(&mut self, lines: Vec<usize>) -> Result<(), String> {
        let Some(journal) = &mut self.journal else { return Ok(()) };
        let entry = serde_json::to_string(&Sending { sending: lines }).expect("serializable");
        writeln!(journal, "{entry}")
            .and_then(|()| journal.flush())
            .map_err(|e| format!("cannot write the journal: {e}"))
    }

    pub fn results(&mut self, results: &[ResultLine]) -> Result<(), String> {
        let text = results_text(results);
        let written = match &mut self.results {
            Some(file) => file.write_all(&text).and_then(|()| file.flush()),
            None => {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(&text).and_then(|()| stdout.flush())
            }
        };
        written.map_err(|e| format!("cannot write results: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(sha1: &str) -> Identity {
        Identity {
            input: Fingerprint { path: "/in/leads.csv".into(), size: 10, sha1: sha1.into() },
            endpoint: "http://127.0.0.1:1/soap/mktows/2_2".into(),
            job: "leads".into(),
        }
    }

    fn line(line: usize, status: &str, resend: bool) -> ResultLine {
        ResultLine { line, key: format!("k{line}"), status: status.into(), lead_id: None, error: None, resend }
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mktows-results-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("out.ndjson")
    }

    #[test]
    fn resume_drops_resendable_lines_and_keeps_records_in_doubt() {
        let output = temp("resume");
        start(&output, &identity("a")).unwrap();
        let mut writer = Writer::open(&Output::File(output.clone())).unwrap();
        writer.journal(vec![2, 3, 4, 5]).unwrap();
        writer.results(&[line(2, "CREATED", false), line(3, "FAILED", true), line(6, "REJECTED", false)]).unwrap();
        drop(writer);
        // A torn last line is dropped.
        OpenOptions::new().append(true).open(&output).unwrap().write_all(b"{\"line\":4,\"ke").unwrap();
        let previous = resume(&output, &identity("a")).unwrap();
        assert_eq!(previous.done(), HashSet::from([2, 6]));
        assert_eq!(previous.in_doubt, HashSet::from([4, 5]));
        assert_eq!(read_results(&output).unwrap(), [line(2, "CREATED", false), line(6, "REJECTED", false)]);
        // Resuming again finds the same: the rewritten journal still names 4 and 5.
        let again = resume(&output, &identity("a")).unwrap();
        assert_eq!((again.done(), again.in_doubt), (HashSet::from([2, 6]), HashSet::from([4, 5])));
    }

    #[test]
    fn resume_with_nothing_to_resume_starts_afresh() {
        let output = temp("nothing");
        let previous = resume(&output, &identity("a")).unwrap();
        assert!(previous.kept.is_empty() && previous.in_doubt.is_empty());
        assert!(output.exists() && journal_path(&output).exists());
    }

    #[test]
    fn resume_refuses_another_input_endpoint_or_job() {
        let output = temp("identity");
        start(&output, &identity("a")).unwrap();
        assert!(resume(&output, &identity("b")).unwrap_err().contains("changed since the run"));
        let mut other = identity("a");
        other.input.path = "/in/leads.txt".into();
        assert!(resume(&output, &other).unwrap_err().contains("belongs to input /in/leads.csv"));
        let mut other = identity("a");
        other.endpoint = "https://x.mktoapi.com/soap/mktows/2_2".into();
        assert!(resume(&output, &other).unwrap_err().contains("was written against http://127.0.0.1:1"));
        std::fs::remove_file(journal_path(&output)).unwrap();
        assert!(resume(&output, &identity("a")).unwrap_err().contains("--overwrite"));
    }

    #[test]
    fn only_regular_files_are_replaced() {
        let output = temp("fresh");
        check_fresh(&output, false).unwrap();
        std::fs::write(&output, "x").unwrap();
        assert!(check_fresh(&output, false).unwrap_err().contains("--resume"));
        check_fresh(&output, true).unwrap();
        assert!(check_fresh(Path::new("/dev/null"), true).unwrap_err().contains("not a regular file"));
    }
}
