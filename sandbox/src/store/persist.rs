//! A store's state file (`mktows sandbox --state FILE`): JSON, rewritten whole after every
//! call that changes the store and before its answer goes out, so whatever a client was
//! told is on disk. Written to a new file and renamed over the old one, so a crash leaves
//! the previous state or the new one, never half of either.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use mktows::ForeignSysType;
use serde::{Deserialize, Serialize};

use super::{Lead, ObjectKey, Store};

/// A type's objects as key and attribute pairs (JSON object keys must be strings).
type SavedObjects = Vec<(ObjectKey, BTreeMap<String, String>)>;

#[derive(Serialize, Deserialize)]
struct Saved {
    next_lead_id: i32,
    leads: Vec<SavedLead>,
    objects: BTreeMap<String, SavedObjects>,
}

#[derive(Serialize, Deserialize)]
struct SavedLead {
    id: i32,
    email: Option<String>,
    foreign_sys_person_id: Option<String>,
    foreign_sys_type: Option<String>,
    attributes: BTreeMap<String, String>,
    updated_at: i64,
}

impl Store {
    /// The store saved at `path`, or an empty one when there is no such file yet.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let bytes = match std::fs::read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::new()),
            other => other?,
        };
        let saved: Saved = serde_json::from_slice(&bytes).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is not a sandbox state file: {e}", path.display()),
            )
        })?;
        let mut store = Self { next_lead_id: saved.next_lead_id, ..Self::default() };
        for lead in saved.leads {
            store.put(Lead {
                id: lead.id,
                email: lead.email,
                foreign_sys_person_id: lead.foreign_sys_person_id,
                foreign_sys_type: lead.foreign_sys_type.as_deref().map(ForeignSysType::from),
                attributes: lead.attributes,
                updated_at: lead.updated_at,
            });
        }
        store.objects = saved.objects.into_iter().map(|(ty, objects)| (ty, objects.into_iter().collect())).collect();
        Ok(store)
    }

    /// Writes the store to `path`, atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let saved = Saved {
            next_lead_id: self.next_lead_id,
            leads: self
                .leads
                .values()
                .map(|lead| SavedLead {
                    id: lead.id,
                    email: lead.email.clone(),
                    foreign_sys_person_id: lead.foreign_sys_person_id.clone(),
                    foreign_sys_type: lead.foreign_sys_type.as_ref().map(ToString::to_string),
                    attributes: lead.attributes.clone(),
                    updated_at: lead.updated_at,
                })
                .collect(),
            objects: self
                .objects
                .iter()
                .map(|(ty, objects)| (ty.clone(), objects.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
                .collect(),
        };
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".new");
        let temporary = path.with_file_name(name);
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(&serde_json::to_vec(&saved).map_err(std::io::Error::other)?)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CustomObjectType, LeadOutcome, SyncMode};
    use mktows::{LeadRecord, Nillable};

    #[test]
    fn a_saved_store_loads_with_its_leads_objects_indexes_and_next_id() {
        let path = std::env::temp_dir().join(format!("mktows-sandbox-state-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&path);
        assert_eq!(Store::load(&path).unwrap().lead_count(), 0, "no file yet: an empty store");
        let mut store = Store::new();
        let lead = LeadRecord {
            email: Nillable::from("a@x.com"),
            foreign_sys_person_id: Nillable::from("F1"),
            foreign_sys_type: Nillable::Value(ForeignSysType::Sfdc),
            ..Default::default()
        };
        let LeadOutcome::Created(id) = store.sync_lead(&lead, true, 7) else { panic!() };
        let ty = CustomObjectType::road_show();
        let keys = [("MKTOID".to_owned(), "1".to_owned()), ("rid".to_owned(), "r".to_owned())];
        store.sync_object(&ty, &keys, &[("city".into(), "Austin".into())], SyncMode::Upsert);
        store.save(&path).unwrap();

        let mut loaded = Store::load(&path).unwrap();
        assert_eq!(loaded.lead(id), store.lead(id));
        assert_eq!(loaded.leads_by_email("A@x.com").map(|l| l.id).collect::<Vec<_>>(), [id]);
        assert_eq!(loaded.lead_by_foreign_id("F1").map(|l| l.id), Some(id));
        assert_eq!(loaded.object_count(&ty), 1);
        let next = LeadRecord { email: Nillable::from("b@x.com"), ..Default::default() };
        assert_eq!(loaded.sync_lead(&next, true, 8), LeadOutcome::Created(id + 1));
        std::fs::write(&path, "{").unwrap();
        assert!(Store::load(&path).unwrap_err().to_string().contains("not a sandbox state file"));
    }
}
