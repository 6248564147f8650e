//! From input records to what is sent: Marketo's lead keys or the custom object's key
//! fields, the up-front check that the input has them at all, batches, and the params of
//! one call.

use std::collections::{BTreeMap, BTreeSet};

use mktows::{
    ArrayOfAttribute, ArrayOfCustomObj, ArrayOfLeadRecord, Attribute, CustomObj, ForeignSysType, LeadRecord, Nillable,
    ParamsSyncCustomObjects, ParamsSyncMultipleLeads, SyncOperationEnum,
};
use mktows_marketo::limits;

use crate::input::InputRecord;

/// What is being synced.
#[derive(Debug, Clone)]
pub enum Target {
    Leads { dedup: bool },
    CustomObjects { type_name: String, operation: SyncOperationEnum, keys: Vec<String> },
}

/// Marketo's lead keys, in its order of precedence.
const LEAD_KEYS: [&str; 3] = ["Id", "ForeignSysPersonId", "Email"];

/// The most bytes of values one call carries, whatever the batch size: a batch closes
/// early rather than send a request that large records make huge.
const MAX_BATCH_BYTES: usize = 8 * 1024 * 1024;

impl Target {
    pub fn max_batch(&self) -> usize {
        match self {
            Self::Leads { .. } => limits::MAX_LEADS_PER_CALL,
            Self::CustomObjects { .. } => limits::MAX_CUSTOM_OBJECTS_PER_CALL,
        }
    }

    /// What is synced, for the journal: resuming one job's results with another is refused.
    pub fn job(&self) -> String {
        match self {
            Self::Leads { .. } => "leads".into(),
            Self::CustomObjects { type_name, .. } => format!("custom objects {type_name}"),
        }
    }

    /// Refuses an input none of whose columns could key a record (for leads), or that lacks
    /// a `--keys` column: otherwise every record would be rejected one by one.
    pub fn check_columns(&self, columns: &BTreeSet<String>, records: usize) -> Result<(), String> {
        if records == 0 {
            return Ok(());
        }
        let hint = delimiter_hint(columns);
        match self {
            Self::Leads { .. } if !LEAD_KEYS.iter().any(|key| columns.contains(*key)) => Err(format!(
                "the input has none of the lead key fields Email, Id and ForeignSysPersonId (its fields: {}){hint}",
                shown(columns)
            )),
            Self::CustomObjects { keys, .. } => match keys.iter().find(|key| !columns.contains(*key)) {
                Some(key) => Err(format!("the input has no key field `{key}` (its fields: {}){hint}", shown(columns))),
                None => Ok(()),
            },
            Self::Leads { .. } => Ok(()),
        }
    }
}

fn shown(columns: &BTreeSet<String>) -> String {
    let names: Vec<&str> = columns.iter().map(String::as_str).take(10).collect();
    if names.is_empty() {
        return "none".into();
    }
    names.join(", ") + if columns.len() > 10 { ", ..." } else { "" }
}

/// A single column whose name holds another common delimiter is a CSV read with the wrong one.
fn delimiter_hint(columns: &BTreeSet<String>) -> String {
    let [only] = columns.iter().collect::<Vec<_>>()[..] else { return String::new() };
    match [';', '\t', '|'].into_iter().find(|d| only.contains(*d)) {
        Some(d) => format!("; is the delimiter `{}`? pass --delimiter '{}'", d.escape_default(), d.escape_default()),
        None => String::new(),
    }
}

/// A record ready to send, or rejected.
#[derive(Debug, Clone)]
pub enum Item {
    Lead { line: usize, key: String, record: LeadRecord, idempotent: bool, bytes: usize },
    Object { line: usize, key: String, object: CustomObj, bytes: usize },
    Rejected { line: usize, key: String, reason: String },
}

impl Item {
    pub fn line(&self) -> usize {
        match self {
            Self::Lead { line, .. } | Self::Object { line, .. } | Self::Rejected { line, .. } => *line,
        }
    }

    pub fn key(&self) -> &str {
        match self {
            Self::Lead { key, .. } | Self::Object { key, .. } | Self::Rejected { key, .. } => key,
        }
    }

    /// Whether sending it twice cannot create a second record.
    pub fn idempotent(&self) -> bool {
        match self {
            Self::Lead { idempotent, .. } => *idempotent,
            Self::Object { .. } | Self::Rejected { .. } => true,
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Self::Lead { bytes, .. } | Self::Object { bytes, .. } => *bytes,
            Self::Rejected { .. } => 0,
        }
    }
}

pub fn prepare(record: &InputRecord, target: &Target) -> Item {
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

fn value_bytes(fields: &BTreeMap<String, String>) -> usize {
    fields.iter().map(|(name, value)| name.len() + value.len()).sum()
}

fn attributes<'a>(fields: &'a BTreeMap<String, String>, skip: impl Fn(&str) -> bool + 'a) -> Vec<Attribute> {
    fields
        .iter()
        .filter(|(name, _)| !skip(name))
        .map(|(name, value)| Attribute { attr_name: name.clone(), attr_value: value.clone(), ..Default::default() })
        .collect()
}

fn attribute_list(attribute: Vec<Attribute>) -> Nillable<ArrayOfAttribute> {
    if attribute.is_empty() {
        Nillable::Absent
    } else {
        ArrayOfAttribute { attribute }.into()
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
    let record = LeadRecord {
        id: id.map_or(Nillable::Absent, Nillable::Value),
        email: email.cloned().map_or(Nillable::Absent, Nillable::Value),
        foreign_sys_person_id: foreign_id.cloned().map_or(Nillable::Absent, Nillable::Value),
        foreign_sys_type: foreign_type,
        lead_attribute_list: attribute_list(attributes(fields, |name| {
            LEAD_KEYS.contains(&name) || name == "ForeignSysType"
        })),
    };
    let idempotent = dedup || id.is_some() || foreign_id.is_some();
    Item::Lead { line, key, record, idempotent, bytes: value_bytes(fields) }
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
    let object = CustomObj {
        custom_obj_key_list: ArrayOfAttribute { attribute: key_attributes }.into(),
        custom_obj_attribute_list: attribute_list(attributes(fields, |name| keys.iter().any(|k| k == name))),
    };
    Item::Object { line, key, object, bytes: value_bytes(fields) }
}

/// Splits items into batches of at most `size` records (and [`MAX_BATCH_BYTES`]) to send;
/// rejected records ride along with the batch they fall in, so a batch's lines are
/// written together.
#[cfg(test)]
pub fn batches(items: Vec<Item>, size: usize) -> Vec<Vec<Item>> {
    let mut batcher = Batcher::new(size);
    let mut batches: Vec<_> = items.into_iter().filter_map(|item| batcher.push(item)).collect();
    batches.extend(batcher.finish());
    batches
}

/// Groups items into batches as they come, by the rules of [`batches`].
pub struct Batcher {
    size: usize,
    current: Vec<Item>,
    sendable: usize,
    bytes: usize,
}

impl Batcher {
    pub fn new(size: usize) -> Self {
        Self { size, current: Vec::new(), sendable: 0, bytes: 0 }
    }

    /// Adds `item`; returns the batch it closes, if any.
    pub fn push(&mut self, item: Item) -> Option<Vec<Item>> {
        let mut closed = None;
        if !matches!(item, Item::Rejected { .. }) {
            if self.sendable == self.size || (self.sendable > 0 && self.bytes + item.bytes() > MAX_BATCH_BYTES) {
                closed = Some(std::mem::take(&mut self.current));
                (self.sendable, self.bytes) = (0, 0);
            }
            self.sendable += 1;
            self.bytes += item.bytes();
        }
        self.current.push(item);
        closed
    }

    /// The last batch, if any items are left.
    pub fn finish(self) -> Option<Vec<Item>> {
        (!self.current.is_empty()).then_some(self.current)
    }
}

/// The call's params, for the items that are sent.
pub enum Params {
    Leads(ParamsSyncMultipleLeads),
    Objects(ParamsSyncCustomObjects),
}

impl Params {
    pub fn of(target: &Target, items: &[Item]) -> Self {
        match target {
            Target::Leads { dedup } => Self::Leads(ParamsSyncMultipleLeads {
                lead_record_list: ArrayOfLeadRecord {
                    lead_record: items
                        .iter()
                        .filter_map(|item| match item {
                            Item::Lead { record, .. } => Some(record.clone()),
                            _ => None,
                        })
                        .collect(),
                },
                dedup_enabled: Nillable::Value(*dedup),
            }),
            Target::CustomObjects { type_name, operation, .. } => Self::Objects(ParamsSyncCustomObjects {
                obj_type_name: type_name.clone(),
                custom_obj_list: ArrayOfCustomObj {
                    custom_obj: items
                        .iter()
                        .filter_map(|item| match item {
                            Item::Object { object, .. } => Some(object.clone()),
                            _ => None,
                        })
                        .collect(),
                },
                operation: Nillable::Value(operation.clone()),
            }),
        }
    }

    /// As `mktows call` takes it: `{"syncMultipleLeads": {...}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let (name, params) = match self {
            Self::Leads(params) => ("syncMultipleLeads", serde_json::to_value(params)),
            Self::Objects(params) => ("syncCustomObjects", serde_json::to_value(params)),
        };
        serde_json::json!({ name: params.expect("params are JSON") })
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
    fn an_input_without_key_columns_is_refused_up_front() {
        let columns = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<BTreeSet<_>>();
        let leads = Target::Leads { dedup: true };
        assert!(leads.check_columns(&columns(&["Email", "FirstName"]), 1).is_ok());
        let error = leads.check_columns(&columns(&["Email;FirstName"]), 1).unwrap_err();
        assert!(error.contains("none of the lead key fields") && error.contains("--delimiter ';'"), "{error}");
        let objects = Target::CustomObjects {
            type_name: "RoadShow".into(),
            operation: SyncOperationEnum::Upsert,
            keys: vec!["MKTOID".into(), "a".into()],
        };
        assert!(objects.check_columns(&columns(&["MKTOID", "rid"]), 1).unwrap_err().contains("no key field `a`"));
        assert!(objects.check_columns(&columns(&[]), 0).is_ok(), "an empty input has nothing to reject");
    }

    #[test]
    fn batches_count_only_sendable_records_and_cap_their_bytes() {
        let target = Target::Leads { dedup: true };
        let mut records: Vec<InputRecord> = (0..7)
            .map(|i| InputRecord { line: i + 2, fields: Ok([("Email".to_owned(), format!("{i}@x.com"))].into()) })
            .collect();
        records.insert(3, InputRecord { line: 99, fields: Err("bad".into()) });
        let items: Vec<Item> = records.iter().map(|r| prepare(r, &target)).collect();
        let sizes: Vec<usize> = batches(items, 3).iter().map(Vec::len).collect();
        assert_eq!(sizes, [4, 3, 1]);
        let big = "x".repeat(MAX_BATCH_BYTES / 2);
        let records: Vec<InputRecord> = (0..5)
            .map(|i| InputRecord {
                line: i,
                fields: Ok([("Email".into(), format!("{i}@x")), ("A".into(), big.clone())].into()),
            })
            .collect();
        let items: Vec<Item> = records.iter().map(|r| prepare(r, &target)).collect();
        assert_eq!(batches(items, 300).iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 1, 1, 1]);
    }
}
