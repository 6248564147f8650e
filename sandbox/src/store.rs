//! The sandbox's data: leads and custom objects in memory, with Marketo's sync rules.
//! Pure logic, no I/O: the service locks one `Store` per call, so a batch is applied
//! atomically and a rejected request never reaches it.

mod persist;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use mktows::{ForeignSysType, LeadRecord, Nillable};

/// A lead as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: i32,
    pub email: Option<String>,
    pub foreign_sys_person_id: Option<String>,
    pub foreign_sys_type: Option<ForeignSysType>,
    pub attributes: BTreeMap<String, String>,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What happened to one lead record of a sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadOutcome {
    Created(i32),
    Updated(i32),
    Failed(String),
}

/// A configured custom object type: its name and key fields, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomObjectType {
    pub name: String,
    pub keys: Vec<String>,
}

impl CustomObjectType {
    /// `RoadShow`, keyed by `MKTOID` and `rid`, as in the syncCustomObjects seed.
    pub fn road_show() -> Self {
        Self { name: "RoadShow".into(), keys: vec!["MKTOID".into(), "rid".into()] }
    }
}

/// How a custom object sync treats existing and missing objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncMode {
    Insert,
    Update,
    Upsert,
}

/// What happened to one custom object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectOutcome {
    Created,
    Updated,
    /// The values were identical to those stored.
    Unchanged,
    /// INSERT of an existing object, or UPDATE of a missing one.
    Skipped,
    Deleted,
    Failed(String),
}

/// One custom object: key values in the type's key order, and its other attributes.
pub type ObjectKey = Vec<String>;

#[derive(Debug, Default)]
pub struct Store {
    leads: BTreeMap<i32, Lead>,
    next_lead_id: i32,
    /// Lead ids by lowercased email: a bulk load looks up every record's email.
    by_email: HashMap<String, BTreeSet<i32>>,
    by_foreign_id: HashMap<String, i32>,
    objects: HashMap<String, BTreeMap<ObjectKey, BTreeMap<String, String>>>,
}

impl Store {
    pub fn new() -> Self {
        Self { next_lead_id: 1_000_001, ..Self::default() }
    }

    pub fn lead_count(&self) -> usize {
        self.leads.len()
    }

    pub fn lead(&self, id: i32) -> Option<&Lead> {
        self.leads.get(&id)
    }

    /// Leads in id order.
    pub fn leads(&self) -> impl Iterator<Item = &Lead> {
        self.leads.values()
    }

    /// Leads whose email equals `email`, ignoring ASCII case as Marketo does, in id order.
    pub fn leads_by_email<'s>(&'s self, email: &str) -> impl Iterator<Item = &'s Lead> + 's {
        let ids = self.by_email.get(&email.to_ascii_lowercase());
        ids.into_iter().flatten().filter_map(|id| self.leads.get(id))
    }

    pub fn lead_by_foreign_id(&self, foreign_id: &str) -> Option<&Lead> {
        self.by_foreign_id.get(foreign_id).and_then(|id| self.leads.get(id))
    }

    /// Stores `lead`, keeping the indexes in step with its email and foreign id.
    fn put(&mut self, lead: Lead) {
        if let Some(old) = self.leads.get(&lead.id) {
            if let Some(email) = &old.email {
                let key = email.to_ascii_lowercase();
                if let Some(ids) = self.by_email.get_mut(&key) {
                    ids.remove(&old.id);
                    if ids.is_empty() {
                        self.by_email.remove(&key);
                    }
                }
            }
            if let Some(foreign_id) = &old.foreign_sys_person_id {
                self.by_foreign_id.remove(foreign_id);
            }
        }
        if let Some(email) = &lead.email {
            self.by_email.entry(email.to_ascii_lowercase()).or_default().insert(lead.id);
        }
        if let Some(foreign_id) = &lead.foreign_sys_person_id {
            self.by_foreign_id.insert(foreign_id.clone(), lead.id);
        }
        self.leads.insert(lead.id, lead);
    }

    /// Creates or updates one lead, following Marketo's rules: the Marketo Id takes
    /// precedence, then ForeignSysPersonId (which an Id match updates), then Email, which is
    /// used for deduplication only when `dedup` is on and no other id is given. An Email used
    /// as a key is never changed; an `Email` attribute changes it.
    pub fn sync_lead(&mut self, record: &LeadRecord, dedup: bool, now: i64) -> LeadOutcome {
        let id = record.id.value().copied();
        let email = non_empty(&record.email);
        let foreign_id = non_empty(&record.foreign_sys_person_id);
        let foreign_type = record.foreign_sys_type.value().cloned();
        if foreign_id.is_some() && foreign_type.is_none() {
            return LeadOutcome::Failed("ForeignSysType must be specified when ForeignSysPersonId is present".into());
        }
        let attributes: Vec<(String, String)> = record
            .lead_attribute_list
            .value()
            .map(|list| list.attribute.iter().map(|a| (a.attr_name.clone(), a.attr_value.clone())).collect())
            .unwrap_or_default();
        if let Some((name, _)) = attributes.iter().find(|(name, _)| name == "Id") {
            return LeadOutcome::Failed(format!(
                "attribute `{name}` cannot be set: the Marketo Id is assigned by Marketo"
            ));
        }

        let existing = if let Some(id) = id {
            match self.leads.contains_key(&id) {
                true => Some(id),
                false => return LeadOutcome::Failed(format!("Lead not found: no lead has Id {id}")),
            }
        } else if let Some(foreign_id) = foreign_id {
            self.lead_by_foreign_id(foreign_id).map(|l| l.id)
        } else if let Some(email) = email {
            if dedup {
                self.leads_by_email(email).next().map(|l| l.id)
            } else {
                None
            }
        } else {
            return LeadOutcome::Failed("Lead has no key: set Id, ForeignSysPersonId or Email".into());
        };

        match existing {
            Some(id) => {
                let mut lead = self.leads.get(&id).expect("found above").clone();
                if let Some(foreign_id) = foreign_id {
                    // Found by Id (or by this very id): the foreign id is updated.
                    lead.foreign_sys_person_id = Some(foreign_id.to_owned());
                    lead.foreign_sys_type = foreign_type;
                }
                apply_attributes(&mut lead, attributes);
                lead.updated_at = now;
                self.put(lead);
                LeadOutcome::Updated(id)
            }
            None => {
                let id = self.next_lead_id;
                self.next_lead_id += 1;
                let mut lead = Lead {
                    id,
                    email: email.map(str::to_owned),
                    foreign_sys_person_id: foreign_id.map(str::to_owned),
                    foreign_sys_type: foreign_type,
                    attributes: BTreeMap::new(),
                    updated_at: now,
                };
                apply_attributes(&mut lead, attributes);
                self.put(lead);
                LeadOutcome::Created(id)
            }
        }
    }

    /// Inserts, updates or upserts one custom object of `ty`. `keys` and `attributes` are
    /// the object's key list and attribute list as sent.
    pub fn sync_object(
        &mut self,
        ty: &CustomObjectType,
        keys: &[(String, String)],
        attributes: &[(String, String)],
        mode: SyncMode,
    ) -> ObjectOutcome {
        let key = match object_key(ty, keys) {
            Ok(key) => key,
            Err(message) => return ObjectOutcome::Failed(message),
        };
        if let Some((name, _)) = attributes.iter().find(|(name, _)| ty.keys.contains(name)) {
            return ObjectOutcome::Failed(format!(
                "`{name}` is a key field of {}: send it in customObjKeyList",
                ty.name
            ));
        }
        let table = self.objects.entry(ty.name.clone()).or_default();
        match (table.get_mut(&key), mode) {
            (Some(_), SyncMode::Insert) => ObjectOutcome::Skipped,
            (None, SyncMode::Update) => ObjectOutcome::Skipped,
            (None, SyncMode::Insert | SyncMode::Upsert) => {
                table.insert(key, attributes.iter().cloned().collect());
                ObjectOutcome::Created
            }
            (Some(stored), SyncMode::Update | SyncMode::Upsert) => {
                let changed = attributes.iter().any(|(name, value)| stored.get(name) != Some(value));
                if !changed {
                    return ObjectOutcome::Unchanged;
                }
                stored.extend(attributes.iter().cloned());
                ObjectOutcome::Updated
            }
        }
    }

    pub fn delete_object(&mut self, ty: &CustomObjectType, keys: &[(String, String)]) -> ObjectOutcome {
        let key = match object_key(ty, keys) {
            Ok(key) => key,
            Err(message) => return ObjectOutcome::Failed(message),
        };
        match self.objects.get_mut(&ty.name).and_then(|table| table.remove(&key)) {
            Some(_) => ObjectOutcome::Deleted,
            None => ObjectOutcome::Failed(format!("no {} object has these keys", ty.name)),
        }
    }

    /// Objects of `ty` whose keys match every `(name, value)` of `filter` (a partial key),
    /// in key order.
    pub fn objects<'s>(
        &'s self,
        ty: &'s CustomObjectType,
        filter: &'s [(String, String)],
    ) -> impl Iterator<Item = (&'s ObjectKey, &'s BTreeMap<String, String>)> + 's {
        self.objects.get(&ty.name).into_iter().flatten().filter(move |(key, _)| {
            filter.iter().all(|(name, value)| ty.keys.iter().position(|k| k == name).is_some_and(|i| &key[i] == value))
        })
    }

    pub fn object_count(&self, ty: &CustomObjectType) -> usize {
        self.objects.get(&ty.name).map_or(0, BTreeMap::len)
    }
}

fn non_empty(value: &Nillable<String>) -> Option<&str> {
    value.value().map(|v| v.trim()).filter(|v| !v.is_empty())
}

fn apply_attributes(lead: &mut Lead, attributes: Vec<(String, String)>) {
    for (name, value) in attributes {
        match name.as_str() {
            "Email" => lead.email = Some(value),
            "ForeignSysPersonId" => lead.foreign_sys_person_id = Some(value),
            _ => {
                lead.attributes.insert(name, value);
            }
        }
    }
}

/// The key values in the type's key order; every key field must be there, and nothing else.
fn object_key(ty: &CustomObjectType, keys: &[(String, String)]) -> Result<ObjectKey, String> {
    if let Some((name, _)) = keys.iter().find(|(name, _)| !ty.keys.contains(name)) {
        return Err(format!("`{name}` is not a key field of {} (keys: {})", ty.name, ty.keys.join(", ")));
    }
    ty.keys
        .iter()
        .map(|field| {
            keys.iter()
                .find(|(name, _)| name == field)
                .map(|(_, value)| value.clone())
                .ok_or_else(|| format!("key field `{field}` of {} is missing", ty.name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mktows::{ArrayOfAttribute, Attribute};

    fn record(id: Option<i32>, email: Option<&str>, foreign: Option<&str>, attributes: &[(&str, &str)]) -> LeadRecord {
        LeadRecord {
            id: id.map_or(Nillable::Absent, Nillable::Value),
            email: email.map_or(Nillable::Absent, Nillable::from),
            foreign_sys_person_id: foreign.map_or(Nillable::Absent, Nillable::from),
            foreign_sys_type: if foreign.is_some() {
                Nillable::Value(ForeignSysType::Custom)
            } else {
                Nillable::Absent
            },
            lead_attribute_list: Nillable::Value(ArrayOfAttribute {
                attribute: attributes
                    .iter()
                    .map(|(n, v)| Attribute { attr_name: (*n).into(), attr_value: (*v).into(), ..Default::default() })
                    .collect(),
            }),
        }
    }

    #[test]
    fn email_dedups_when_on_and_duplicates_when_off() {
        let mut store = Store::new();
        let LeadOutcome::Created(first) = store.sync_lead(&record(None, Some("a@x.com"), None, &[]), true, 1) else {
            panic!()
        };
        assert_eq!(
            store.sync_lead(&record(None, Some("A@X.com"), None, &[("Company", "X")]), true, 2),
            LeadOutcome::Updated(first)
        );
        assert_eq!(store.lead(first).unwrap().attributes["Company"], "X");
        assert!(
            matches!(store.sync_lead(&record(None, Some("a@x.com"), None, &[]), false, 3), LeadOutcome::Created(id) if id != first)
        );
        assert_eq!(store.leads_by_email("a@x.com").count(), 2);
    }

    #[test]
    fn id_takes_precedence_and_updates_the_foreign_id() {
        let mut store = Store::new();
        let LeadOutcome::Created(id) = store.sync_lead(&record(None, Some("a@x.com"), Some("F1"), &[]), true, 1) else {
            panic!()
        };
        let LeadOutcome::Created(other) = store.sync_lead(&record(None, Some("b@x.com"), None, &[]), true, 1) else {
            panic!()
        };
        // Id and a new foreign id: the lead with that Id gets the foreign id.
        assert_eq!(store.sync_lead(&record(Some(other), None, Some("F2"), &[]), true, 2), LeadOutcome::Updated(other));
        assert_eq!(store.lead(other).unwrap().foreign_sys_person_id.as_deref(), Some("F2"));
        // Foreign id over email: F1 finds the first lead even with the second lead's email.
        assert_eq!(store.sync_lead(&record(None, Some("b@x.com"), Some("F1"), &[]), true, 3), LeadOutcome::Updated(id));
        // ...and that email, used as a key, is not written to it.
        assert_eq!(store.lead(id).unwrap().email.as_deref(), Some("a@x.com"));
        // An Email attribute does change it.
        store.sync_lead(&record(Some(id), None, None, &[("Email", "new@x.com")]), true, 4);
        assert_eq!(store.lead(id).unwrap().email.as_deref(), Some("new@x.com"));
        // The indexes follow: the old email no longer finds it, the new one does.
        assert_eq!(store.leads_by_email("a@x.com").count(), 0);
        assert_eq!(store.leads_by_email("NEW@x.com").map(|l| l.id).collect::<Vec<_>>(), [id]);
        assert_eq!(store.lead_by_foreign_id("F1").map(|l| l.id), Some(id));
    }

    #[test]
    fn records_without_a_usable_key_fail_alone() {
        let mut store = Store::new();
        assert!(
            matches!(store.sync_lead(&record(None, None, None, &[("Company", "X")]), true, 1), LeadOutcome::Failed(m) if m.contains("no key"))
        );
        assert!(
            matches!(store.sync_lead(&record(Some(42), None, None, &[]), true, 1), LeadOutcome::Failed(m) if m.contains("Lead not found"))
        );
        let mut no_type = record(None, None, Some("F"), &[]);
        no_type.foreign_sys_type = Nillable::Absent;
        assert!(matches!(store.sync_lead(&no_type, true, 1), LeadOutcome::Failed(m) if m.contains("ForeignSysType")));
        assert_eq!(store.lead_count(), 0);
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn custom_object_modes_give_every_status() {
        let ty = CustomObjectType::road_show();
        let mut store = Store::new();
        let keys = kv(&[("MKTOID", "1090177"), ("rid", "rid1")]);
        let city = kv(&[("city", "SanMateo")]);
        assert_eq!(store.sync_object(&ty, &keys, &city, SyncMode::Update), ObjectOutcome::Skipped);
        assert_eq!(store.sync_object(&ty, &keys, &city, SyncMode::Insert), ObjectOutcome::Created);
        assert_eq!(store.sync_object(&ty, &keys, &city, SyncMode::Insert), ObjectOutcome::Skipped);
        assert_eq!(store.sync_object(&ty, &keys, &city, SyncMode::Upsert), ObjectOutcome::Unchanged);
        assert_eq!(store.sync_object(&ty, &keys, &kv(&[("city", "Austin")]), SyncMode::Update), ObjectOutcome::Updated);
        assert!(
            matches!(store.sync_object(&ty, &kv(&[("MKTOID", "1")]), &city, SyncMode::Upsert), ObjectOutcome::Failed(m) if m.contains("`rid`"))
        );
        assert!(
            matches!(store.sync_object(&ty, &keys, &kv(&[("rid", "x")]), SyncMode::Upsert), ObjectOutcome::Failed(m) if m.contains("key field"))
        );
        assert_eq!(store.objects(&ty, &kv(&[("MKTOID", "1090177")])).count(), 1);
        assert_eq!(store.delete_object(&ty, &keys), ObjectOutcome::Deleted);
        assert!(matches!(store.delete_object(&ty, &keys), ObjectOutcome::Failed(_)));
        assert_eq!(store.object_count(&ty), 0);
    }
}
