//! The bulk-sync engine: input records -> batches -> calls with bounded concurrency under
//! a rate limit -> exactly one result line per input record.
//!
//! Nothing lost, nothing doubled:
//! * The result file is the checkpoint: a record is done once its line is written (each
//!   batch's lines are written together and flushed). `--resume` skips records that have a
//!   line, dropping a torn last line.
//! * Before a batch is first sent, its records are appended to a journal beside the result
//!   file. On resume, a journalled record without a result line may or may not have reached
//!   Marketo; it is sent again only when that cannot create a duplicate (dedup on, or keyed
//!   by Id or ForeignSysPersonId, or a custom object), and otherwise reported FAILED.
//! * Retries: rate and concurrency limit faults and connection failures are retried with
//!   exponential backoff and jitter (Marketo rejected those before doing anything); Request
//!   Expired is retried at once, since every attempt is signed anew; a timeout or a broken
//!   response may have been processed, so it is retried only when a retry cannot create
//!   duplicates. Faults that every call would get (access denied, authentication failed,
//!   daily quota) stop the run: see `mktows_marketo::codes`.

use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mktows::{
    ArrayOfAttribute, ArrayOfCustomObj, ArrayOfLeadRecord, Attribute, Client, CustomObj, ErrorKind, ForeignSysType,
    LeadRecord, MarketoError, Nillable, ParamsSyncCustomObjects, ParamsSyncMultipleLeads, SyncOperationEnum,
};
use mktows_marketo::{codes, limits};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::input::InputRecord;
use crate::progress::Progress;
use crate::rate::{RateLimit, RateLimiter};

/// What is being synced.
#[derive(Debug, Clone)]
pub enum Target {
    Leads { dedup: bool },
    CustomObjects { type_name: String, operation: SyncOperationEnum, keys: Vec<String> },
}

impl Target {
    pub fn max_batch(&self) -> usize {
        match self {
            Self::Leads { .. } => limits::MAX_LEADS_PER_CALL,
            Self::CustomObjects { .. } => limits::MAX_CUSTOM_OBJECTS_PER_CALL,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub batch_size: usize,
    pub concurrency: usize,
    pub rate_limit: Option<RateLimit>,
    pub output: PathBuf,
    pub resume: bool,
    /// Attempts per batch, the first included.
    pub max_attempts: u32,
    pub backoff: Duration,
}

/// One line of the result file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub line: usize,
    pub key: String,
    pub status: String,
    #[serde(rename = "leadId")]
    pub lead_id: Option<i64>,
    pub error: Option<String>,
}

/// Counts by status, for the summary and the exit code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub by_status: BTreeMap<String, u64>,
    pub already_done: u64,
    /// Set when the run stopped early (Ctrl-C, or a fault that every call would get).
    pub stopped: Option<String>,
}

impl Summary {
    pub fn count(&self, status: &str) -> u64 {
        self.by_status.get(status).copied().unwrap_or(0)
    }

    pub fn failures(&self) -> u64 {
        self.count("FAILED") + self.count("REJECTED")
    }
}

/// A record ready to send, or rejected.
#[derive(Debug, Clone)]
enum Item {
    Lead { line: usize, key: String, record: LeadRecord, idempotent: bool },
    Object { line: usize, key: String, object: CustomObj },
    Rejected { line: usize, key: String, reason: String },
}

impl Item {
    fn line(&self) -> usize {
        match self {
            Self::Lead { line, .. } | Self::Object { line, .. } | Self::Rejected { line, .. } => *line,
        }
    }

    fn key(&self) -> &str {
        match self {
            Self::Lead { key, .. } | Self::Object { key, .. } | Self::Rejected { key, .. } => key,
        }
    }

    /// Whether sending it twice cannot create a second record.
    fn idempotent(&self) -> bool {
        match self {
            Self::Lead { idempotent, .. } => *idempotent,
            Self::Object { .. } | Self::Rejected { .. } => true,
        }
    }
}

fn prepare(record: &InputRecord, target: &Target) -> Item {
    let line = record.line;
    let fields = match &record.fields {
        Ok(fields) => fields,
        Err(reason) => return Item::Rejected { line, key: String::new(), reason: reason.clone() },
    };
    match target {
        Target::Leads { dedup } => prepare_lead(line, fields, *dedup),
        Target::CustomObjects { keys, .. } => prepare_object(line, fields, keys),
    }
}

fn prepare_lead(line: usize, fields: &BTreeMap<String, String>, dedup: bool) -> Item {
    let email = fields.get("Email");
    let foreign_id = fields.get("ForeignSysPersonId");
    let id = match fields.get("Id").map(|id| id.parse::<i32>().map_err(|_| id)) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(bad)) => {
            return Item::Rejected { line, key: bad.clone(), reason: format!("Id `{bad}` is not a Marketo lead id") };
        }
    };
    // Marketo's precedence: Id, then ForeignSysPersonId, then Email.
    let key = match (id, foreign_id, email) {
        (Some(id), _, _) => id.to_string(),
        (None, Some(foreign_id), _) => foreign_id.clone(),
        (None, None, Some(email)) => email.clone(),
        (None, None, None) => {
            let reason = "the record has no key: set Email, Id or ForeignSysPersonId".to_owned();
            return Item::Rejected { line, key: String::new(), reason };
        }
    };
    let foreign_type = match fields.get("ForeignSysType") {
        Some(value) => Nillable::Value(ForeignSysType::from(value.to_ascii_uppercase().as_str())),
        // Marketo requires a type with a foreign id; CUSTOM is the one for other systems.
        None if foreign_id.is_some() => Nillable::Value(ForeignSysType::Custom),
        None => Nillable::Absent,
    };
    const KEY_FIELDS: [&str; 4] = ["Id", "Email", "ForeignSysPersonId", "ForeignSysType"];
    let attribute = fields
        .iter()
        .filter(|(name, _)| !KEY_FIELDS.contains(&name.as_str()))
        .map(|(name, value)| Attribute { attr_name: name.clone(), attr_value: value.clone(), ..Default::default() })
        .collect::<Vec<_>>();
    let record = LeadRecord {
        id: id.map_or(Nillable::Absent, Nillable::Value),
        email: email.cloned().map_or(Nillable::Absent, Nillable::Value),
        foreign_sys_person_id: foreign_id.cloned().map_or(Nillable::Absent, Nillable::Value),
        foreign_sys_type: foreign_type,
        lead_attribute_list: if attribute.is_empty() {
            Nillable::Absent
        } else {
            ArrayOfAttribute { attribute }.into()
        },
    };
    let idempotent = dedup || id.is_some() || foreign_id.is_some();
    Item::Lead { line, key, record, idempotent }
}

fn prepare_object(line: usize, fields: &BTreeMap<String, String>, keys: &[String]) -> Item {
    let mut key_attributes = Vec::new();
    for name in keys {
        match fields.get(name) {
            Some(value) => key_attributes.push(Attribute {
                attr_name: name.clone(),
                attr_value: value.clone(),
                ..Default::default()
            }),
            None => {
                let reason = format!("key field `{name}` is missing or empty");
                return Item::Rejected { line, key: String::new(), reason };
            }
        }
    }
    let key = key_attributes.iter().map(|a| format!("{}={}", a.attr_name, a.attr_value)).collect::<Vec<_>>().join(",");
    let attribute: Vec<Attribute> = fields
        .iter()
        .filter(|(name, _)| !keys.contains(name))
        .map(|(name, value)| Attribute { attr_name: name.clone(), attr_value: value.clone(), ..Default::default() })
        .collect();
    let object = CustomObj {
        custom_obj_key_list: ArrayOfAttribute { attribute: key_attributes }.into(),
        custom_obj_attribute_list: if attribute.is_empty() {
            Nillable::Absent
        } else {
            ArrayOfAttribute { attribute }.into()
        },
    };
    Item::Object { line, key, object }
}

/// Splits items into batches of at most `size` records to send; rejected records ride
/// along with the batch they fall in, so a batch's lines are written together.
fn batches(items: Vec<Item>, size: usize) -> Vec<Vec<Item>> {
    let mut batches = Vec::new();
    let mut current = Vec::new();
    let mut sendable = 0;
    for item in items {
        if !matches!(item, Item::Rejected { .. }) {
            if sendable == size {
                batches.push(std::mem::take(&mut current));
                sendable = 0;
            }
            sendable += 1;
        }
        current.push(item);
    }
    if !current.is_empty() {
        batches.push(current);
    }
    batches
}

/// What an earlier run left behind.
struct Resume {
    done: HashSet<usize>,
    in_doubt: HashSet<usize>,
}

pub fn journal_path(output: &Path) -> PathBuf {
    let mut name = output.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// Reads the result file and journal of an earlier run, truncating a torn last line.
fn load_resume(output: &Path) -> Result<Resume, String> {
    let mut done = HashSet::new();
    if output.exists() {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(output)
            .map_err(|e| format!("cannot open {}: {e}", output.display()))?;
        let mut good_length = 0u64;
        let mut offset = 0u64;
        for line in BufReader::new(&file).split(b'\n') {
            let line = line.map_err(|e| format!("cannot read {}: {e}", output.display()))?;
            offset += line.len() as u64 + 1;
            match serde_json::from_slice::<ResultLine>(&line) {
                Ok(result) => {
                    done.insert(result.line);
                    good_length = offset;
                }
                Err(_) if line.iter().all(u8::is_ascii_whitespace) => good_length = offset,
                Err(_) => break,
            }
        }
        let actual = file.metadata().map_err(|e| e.to_string())?.len();
        if good_length.min(actual) < actual {
            tracing::warn!("dropping a torn last line from {}", output.display());
            file.set_len(good_length.min(actual)).map_err(|e| format!("cannot truncate {}: {e}", output.display()))?;
            file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
        }
    }
    let mut in_doubt = HashSet::new();
    if let Ok(journal) = File::open(journal_path(output)) {
        for line in BufReader::new(journal).lines().map_while(Result::ok) {
            if let Ok(entry) = serde_json::from_str::<JournalEntry>(&line) {
                in_doubt.extend(entry.sending.into_iter().filter(|l| !done.contains(l)));
            }
        }
    }
    Ok(Resume { done, in_doubt })
}

#[derive(Serialize, Deserialize)]
struct JournalEntry {
    sending: Vec<usize>,
}

struct Run {
    client: Client,
    target: Target,
    options: Options,
    rate: Option<RateLimiter>,
    output: Mutex<File>,
    journal: Mutex<File>,
    counts: Mutex<BTreeMap<String, u64>>,
    stop: AtomicBool,
    stop_reason: Mutex<Option<String>>,
    progress: Progress,
    seed: AtomicU64,
}

/// Syncs `records` to `target` and writes one result line per record to
/// `options.output`.
pub async fn run(
    client: Client,
    target: Target,
    records: Vec<InputRecord>,
    options: Options,
    progress: Progress,
) -> Result<Summary, String> {
    let resume = if options.resume {
        load_resume(&options.output)?
    } else {
        if options.output.exists() {
            return Err(format!(
                "{} exists: pass --resume to continue that run, or remove it to start over",
                options.output.display()
            ));
        }
        let _ = std::fs::remove_file(journal_path(&options.output));
        Resume { done: HashSet::new(), in_doubt: HashSet::new() }
    };
    let open = |path: &Path| {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    // Consumes the input as it goes, so the parsed fields and the prepared records are not
    // both held for the whole run.
    let items: Vec<Item> = records.into_iter().map(|r| prepare(&r, &target)).collect();
    let already_done = items.iter().filter(|i| resume.done.contains(&i.line())).count() as u64;
    progress.start(items.len() as u64, already_done);
    let run = Arc::new(Run {
        client,
        rate: options.rate_limit.map(RateLimiter::new),
        output: Mutex::new(open(&options.output)?),
        journal: Mutex::new(open(&journal_path(&options.output))?),
        target,
        counts: Mutex::new(BTreeMap::new()),
        stop: AtomicBool::new(false),
        stop_reason: Mutex::new(None),
        progress,
        seed: AtomicU64::new(0x9e37_79b9_7f4a_7c15),
        options,
    });

    let pending: Vec<Item> = items.into_iter().filter(|item| !resume.done.contains(&item.line())).collect();
    tracing::info!(
        records = pending.len(),
        in_doubt = resume.in_doubt.len(),
        batch_size = run.options.batch_size,
        concurrency = run.options.concurrency,
        "syncing to {}",
        run.client.soap().endpoint()
    );
    let in_doubt = Arc::new(resume.in_doubt);
    let permits = Arc::new(Semaphore::new(run.options.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    let interrupted = {
        let run = run.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                run.halt("interrupted".into());
            }
        })
    };
    for batch in batches(pending, run.options.batch_size) {
        let permit = permits.clone().acquire_owned().await.expect("the semaphore is never closed");
        if run.stop.load(Ordering::SeqCst) {
            break;
        }
        let (run, in_doubt) = (run.clone(), in_doubt.clone());
        tasks.spawn(async move {
            let _permit = permit;
            run.batch(batch, &in_doubt).await
        });
    }
    let mut first_error = None;
    while let Some(joined) = tasks.join_next().await {
        if let Ok(Err(e)) = joined {
            first_error.get_or_insert(e);
        }
    }
    interrupted.abort();
    run.progress.finish();
    if let Some(e) = first_error {
        return Err(e);
    }
    let by_status = run.counts.lock().expect("no panics while counting").clone();
    let stopped = run.stop_reason.lock().expect("no panics while stopping").clone();
    Ok(Summary { by_status, already_done, stopped })
}

impl Run {
    fn halt(&self, reason: String) {
        self.stop.store(true, Ordering::SeqCst);
        self.stop_reason.lock().expect("no panics while stopping").get_or_insert(reason);
    }

    async fn batch(&self, items: Vec<Item>, in_doubt: &HashSet<usize>) -> Result<(), String> {
        let mut results = Vec::with_capacity(items.len());
        let mut to_send = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Item::Rejected { line, key, reason } => results.push(result(line, key, "REJECTED", None, Some(reason))),
                item if in_doubt.contains(&item.line()) && !item.idempotent() => {
                    let reason = "outcome unknown: an interrupted run may already have created this lead, and with dedup off a resend could create a duplicate; check it in Marketo".to_owned();
                    results.push(result(item.line(), item.key().to_owned(), "FAILED", None, Some(reason)));
                }
                item => to_send.push(item),
            }
        }
        if !to_send.is_empty() {
            self.journal(&to_send)?;
            let first_line = to_send[0].line();
            results.extend(self.send_with_retries(&to_send).await);
            tracing::debug!(first_line, records = to_send.len(), "batch done");
        }
        self.write(&results)
    }

    fn journal(&self, items: &[Item]) -> Result<(), String> {
        let entry = serde_json::to_string(&JournalEntry { sending: items.iter().map(Item::line).collect() })
            .expect("serializable");
        let mut journal = self.journal.lock().expect("no panics while journalling");
        writeln!(journal, "{entry}")
            .and_then(|()| journal.flush())
            .map_err(|e| format!("cannot write the journal: {e}"))
    }

    fn write(&self, results: &[ResultLine]) -> Result<(), String> {
        let mut text = String::with_capacity(results.len() * 96);
        for line in results {
            text.push_str(&serde_json::to_string(line).expect("serializable"));
            text.push('\n');
        }
        {
            let mut output = self.output.lock().expect("no panics while writing");
            output
                .write_all(text.as_bytes())
                .and_then(|()| output.flush())
                .map_err(|e| format!("cannot write results: {e}"))?;
        }
        let mut counts = self.counts.lock().expect("no panics while counting");
        for line in results {
            *counts.entry(line.status.clone()).or_default() += 1;
        }
        drop(counts);
        self.progress.advance(results.len() as u64);
        Ok(())
    }

    async fn send_with_retries(&self, items: &[Item]) -> Vec<ResultLine> {
        let idempotent = items.iter().all(Item::idempotent);
        let mut attempt = 0;
        loop {
            attempt += 1;
            // Held until the answer is in: see `RateLimiter`.
            let permit = match &self.rate {
                Some(rate) => Some(rate.acquire().await),
                None => None,
            };
            let sent = self.send(items).await;
            drop(permit);
            let error = match sent {
                Ok(results) => return results,
                Err(error) => error,
            };
            let decision = retry_decision(&error, idempotent);
            tracing::info!(attempt, ?decision, "a batch of {} records failed: {error}", items.len());
            let message = match decision {
                Retry::Fatal => {
                    self.halt(format!("{error}"));
                    error.to_string()
                }
                Retry::No(why) => format!("{error}{why}"),
                _ if attempt >= self.options.max_attempts => format!("{error} (gave up after {attempt} attempts)"),
                Retry::Now => continue,
                Retry::Backoff => {
                    tokio::time::sleep(self.backoff(attempt)).await;
                    continue;
                }
            };
            return fail_all(items, &message);
        }
    }

    /// Exponential backoff with full jitter, capped at 30 s.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self.options.backoff.saturating_mul(1 << attempt.min(16)).min(Duration::from_secs(30));
        // xorshift: jitter only has to spread retries, not be unpredictable.
        let mut x = self.seed.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.seed.store(x, Ordering::Relaxed);
        ceiling.mul_f64(0.5 + (x % 1000) as f64 / 2000.0)
    }

    async fn send(&self, items: &[Item]) -> Result<Vec<ResultLine>, mktows::Error> {
        match &self.target {
            Target::Leads { dedup } => {
                let lead_record = items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Lead { record, .. } => Some(record.clone()),
                        _ => None,
                    })
                    .collect();
                let params = ParamsSyncMultipleLeads {
                    lead_record_list: ArrayOfLeadRecord { lead_record },
                    dedup_enabled: Nillable::Value(*dedup),
                };
                let statuses = self.client.sync_multiple_leads(&params).await?.result.sync_status_list.sync_status;
                Ok(match_statuses(items, statuses.len(), |i| {
                    let status = &statuses[i];
                    let lead_id = (status.lead_id > 0).then_some(i64::from(status.lead_id));
                    (status.status.to_string(), lead_id, status.error.value().cloned())
                }))
            }
            Target::CustomObjects { type_name, operation, .. } => {
                let custom_obj = items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Object { object, .. } => Some(object.clone()),
                        _ => None,
                    })
                    .collect();
                let params = ParamsSyncCustomObjects {
                    obj_type_name: type_name.clone(),
                    custom_obj_list: ArrayOfCustomObj { custom_obj },
                    operation: Nillable::Value(operation.clone()),
                };
                let statuses = self
                    .client
                    .sync_custom_objects(&params)
                    .await?
                    .result
                    .sync_custom_obj_status_list
                    .sync_custom_obj_status;
                Ok(match_statuses(items, statuses.len(), |i| {
                    (statuses[i].status.to_string(), None, statuses[i].error.value().cloned())
                }))
            }
        }
    }
}

/// Pairs the i-th status with the i-th record; a response with the wrong count fails them all.
fn match_statuses(
    items: &[Item],
    count: usize,
    status: impl Fn(usize) -> (String, Option<i64>, Option<String>),
) -> Vec<ResultLine> {
    if count != items.len() {
        let message = format!("Marketo answered {count} statuses for {} records", items.len());
        return fail_all(items, &message);
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (status, lead_id, error) = status(i);
            result(item.line(), item.key().to_owned(), &status, lead_id, error)
        })
        .collect()
}

/// A FAILED line with `message` for every record of a batch.
fn fail_all(items: &[Item], message: &str) -> Vec<ResultLine> {
    items
        .iter()
        .map(|item| result(item.line(), item.key().to_owned(), "FAILED", None, Some(message.to_owned())))
        .collect()
}

fn result(line: usize, key: String, status: &str, lead_id: Option<i64>, error: Option<String>) -> ResultLine {
    ResultLine { line, key, status: status.to_owned(), lead_id, error }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Retry at once: the request was refused before anything happened, and a new attempt
    /// fixes the cause (a fresh signature for Request Expired).
    Now,
    /// Retry after a pause: the request was refused before anything happened.
    Backoff,
    /// Do not retry; the text says why when it is not obvious.
    No(&'static str),
    /// Every call would fail the same way: stop the run.
    Fatal,
}

fn retry_decision(error: &mktows::Error, idempotent: bool) -> Retry {
    let may_have_been_processed = match error.kind() {
        ErrorKind::Fault(_) => match error.marketo_code() {
            // A fresh signature fixes it.
            Some(codes::REQUEST_EXPIRED) => return Retry::Now,
            // The rate and concurrency limits.
            Some(code) if codes::retryable(code) => return Retry::Backoff,
            // Access denied, authentication failed, daily quota exceeded.
            Some(code) if codes::stops_run(code) => return Retry::Fatal,
            _ => return Retry::No(""),
        },
        ErrorKind::Transport(e) if e.is_connect() => return Retry::Backoff,
        ErrorKind::HttpStatus { status: 429 | 502 | 503, .. } => return Retry::Backoff,
        ErrorKind::Config(_) => return Retry::Fatal,
        ErrorKind::Timeout | ErrorKind::Transport(_) | ErrorKind::HttpStatus { .. } | ErrorKind::Decode(_) => true,
        _ => true,
    };
    match (may_have_been_processed, idempotent) {
        (true, true) => Retry::Backoff,
        _ => Retry::No(
            " (not retried: the call may have reached Marketo, and with dedup off a resend could create duplicates)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> InputRecord {
        InputRecord { line: 7, fields: Ok(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()) }
    }

    #[test]
    fn leads_take_keys_by_marketo_precedence() {
        let target = Target::Leads { dedup: false };
        let Item::Lead { key, record, idempotent, .. } =
            prepare(&fields(&[("Email", "a@x.com"), ("Id", "42"), ("Company", "X")]), &target)
        else {
            panic!()
        };
        assert_eq!((key.as_str(), idempotent), ("42", true));
        assert_eq!(record.lead_attribute_list.value().unwrap().attribute[0].attr_name, "Company");
        let Item::Lead { key, record, .. } =
            prepare(&fields(&[("Email", "a@x.com"), ("ForeignSysPersonId", "F")]), &target)
        else {
            panic!()
        };
        assert_eq!(key, "F");
        assert_eq!(record.foreign_sys_type, Nillable::Value(ForeignSysType::Custom));
        let Item::Lead { idempotent, .. } = prepare(&fields(&[("Email", "a@x.com")]), &target) else { panic!() };
        assert!(!idempotent, "email-only leads with dedup off could be duplicated by a resend");
        assert!(
            matches!(prepare(&fields(&[("Company", "X")]), &target), Item::Rejected { reason, .. } if reason.contains("no key"))
        );
        assert!(
            matches!(prepare(&fields(&[("Id", "x1")]), &target), Item::Rejected { reason, .. } if reason.contains("not a Marketo lead id"))
        );
    }

    #[test]
    fn custom_objects_need_every_key_field() {
        let target = Target::CustomObjects {
            type_name: "RoadShow".into(),
            operation: SyncOperationEnum::Upsert,
            keys: vec!["MKTOID".into(), "rid".into()],
        };
        let Item::Object { key, object, .. } =
            prepare(&fields(&[("MKTOID", "1"), ("rid", "r"), ("city", "Austin")]), &target)
        else {
            panic!()
        };
        assert_eq!(key, "MKTOID=1,rid=r");
        assert_eq!(object.custom_obj_attribute_list.value().unwrap().attribute[0].attr_value, "Austin");
        assert!(
            matches!(prepare(&fields(&[("MKTOID", "1")]), &target), Item::Rejected { reason, .. } if reason.contains("`rid`"))
        );
    }

    #[test]
    fn batches_count_only_sendable_records() {
        let target = Target::Leads { dedup: true };
        let mut records: Vec<InputRecord> = (0..7)
            .map(|i| InputRecord { line: i + 2, fields: Ok([("Email".to_owned(), format!("{i}@x.com"))].into()) })
            .collect();
        records.insert(3, InputRecord { line: 99, fields: Err("bad".into()) });
        // Consumes the input as it goes, so the parsed fields and the prepared records are not
        // both held for the whole run.
        let items: Vec<Item> = records.into_iter().map(|r| prepare(&r, &target)).collect();
        let sizes: Vec<usize> = batches(items, 3).iter().map(Vec::len).collect();
        assert_eq!(sizes, [4, 3, 1]);
    }

    #[test]
    fn retries_follow_the_duplicate_risk() {
        let fault = |code| {
            mktows::Error::new("syncMultipleLeads", ErrorKind::Fault(mktows_marketo::fault::fault(false, code, "x")))
        };
        assert_eq!(retry_decision(&fault(20023), false), Retry::Backoff);
        assert_eq!(retry_decision(&fault(20024), false), Retry::Backoff);
        assert_eq!(retry_decision(&fault(20016), false), Retry::Now);
        assert_eq!(retry_decision(&fault(20014), true), Retry::Fatal);
        assert!(matches!(retry_decision(&fault(20110), true), Retry::No(_)));
        let timeout = mktows::Error::new("syncMultipleLeads", ErrorKind::Timeout);
        assert_eq!(retry_decision(&timeout, true), Retry::Backoff);
        assert!(matches!(retry_decision(&timeout, false), Retry::No(why) if why.contains("duplicates")));
    }
}
