//! The operations the sandbox serves, on the generated server trait. Every check that can
//! reject a whole call runs before the store is touched, so a rejected call changes nothing.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard};

use mktows::runtime::server::{RequestContext, RequestError};
use mktows::server::Service;
use mktows::*;
use mktows_marketo::{codes, limits};

use crate::store::{CustomObjectType, Lead, LeadOutcome, ObjectOutcome, Store, SyncMode};
use crate::SandboxConfig;

/// The largest page getMultipleLeads returns, as Marketo; getCustomObjects pages the same.
const MAX_PAGE: usize = limits::MAX_LEADS_PER_PAGE;

pub struct SandboxService {
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) config: Arc<SandboxConfig>,
}

impl SandboxService {
    fn store(&self) -> MutexGuard<'_, Store> {
        crate::lock(&self.store)
    }

    /// Saves the store to the state file, if there is one, before the call is answered.
    fn commit(&self, store: &Store) -> Result<(), Fault> {
        let Some(path) = &self.config.state_file else { return Ok(()) };
        store.save(path).map_err(|e| {
            let message = format!("Internal Error: cannot save the sandbox state to {}: {e}", path.display());
            mktows_marketo::fault::fault(false, codes::API_INTERNAL_ERROR, &message)
        })
    }

    fn object_type(&self, name: &str) -> Result<&CustomObjectType, Fault> {
        self.config.custom_object_types.iter().find(|t| t.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
            let known: Vec<_> = self.config.custom_object_types.iter().map(|t| t.name.as_str()).collect();
            bad_parameter(&format!("objTypeName `{name}` is not a custom object type (known: {})", known.join(", ")))
        })
    }
}

fn fault(code: u32, message: &str) -> Fault {
    mktows_marketo::fault::fault(true, code, message)
}

/// Also the answer to a batch over the limit: the request names more records than a call
/// takes, a bad parameter value. Retrying cannot help, so it is not a rate-limit code.
fn bad_parameter(message: &str) -> Fault {
    fault(codes::BAD_PARAMETER, &format!("Bad Parameter: {message}"))
}

/// A whole call is refused, before the store is touched, when its list is over the limit.
fn check_batch(list: &str, noun: &str, count: usize, limit: usize) -> Result<(), Fault> {
    if count > limit {
        return Err(too_many(list, noun, &count.to_string(), limit));
    }
    Ok(())
}

/// The fault for a list over its limit; `count` is how many it holds, as far as known.
pub(crate) fn too_many(list: &str, noun: &str, count: &str, limit: usize) -> Fault {
    bad_parameter(&format!("{list} holds {count} {noun}; at most {limit} per call"))
}

fn now() -> i64 {
    Timestamp::now().unix_seconds()
}

fn attributes(list: &Nillable<ArrayOfAttribute>) -> Vec<(String, String)> {
    list.value()
        .map(|l| l.attribute.iter().map(|a| (a.attr_name.clone(), a.attr_value.clone())).collect())
        .unwrap_or_default()
}

fn attribute_list(pairs: impl IntoIterator<Item = (String, String)>, attr_type: Nillable<String>) -> ArrayOfAttribute {
    ArrayOfAttribute {
        attribute: pairs
            .into_iter()
            .map(|(attr_name, attr_value)| Attribute { attr_name, attr_type: attr_type.clone(), attr_value })
            .collect(),
    }
}

fn lead_record(lead: &Lead, include: Option<&BTreeSet<String>>) -> LeadRecord {
    let wanted = |name: &String| include.is_none_or(|names| names.contains(name));
    let attributes = lead.attributes.iter().filter(|(name, _)| wanted(name)).map(|(n, v)| (n.clone(), v.clone()));
    LeadRecord {
        id: Nillable::Value(lead.id),
        email: lead.email.clone().map_or(Nillable::Nil, Nillable::Value),
        foreign_sys_person_id: lead.foreign_sys_person_id.clone().map_or(Nillable::Nil, Nillable::Value),
        foreign_sys_type: lead.foreign_sys_type.clone().map_or(Nillable::Nil, Nillable::Value),
        lead_attribute_list: Nillable::Value(attribute_list(attributes, Nillable::Value("string".into()))),
    }
}

/// `offset:N` stream positions; an empty or absent one starts at the beginning.
fn stream_offset(position: Option<&str>) -> Result<usize, Fault> {
    match position.map(str::trim).filter(|p| !p.is_empty()) {
        None => Ok(0),
        Some(position) => position
            .strip_prefix("offset:")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| fault(codes::BAD_STREAM_POSITION, &format!("Bad Stream Position: `{position}`"))),
    }
}

/// One page of `items` and the position of the next (empty when there is none).
fn page<T>(items: Vec<T>, offset: usize, batch_size: Option<i32>) -> (Vec<T>, usize, String) {
    let size = batch_size.and_then(|n| usize::try_from(n).ok()).filter(|n| *n > 0).unwrap_or(MAX_PAGE).min(MAX_PAGE);
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(offset).take(size).collect();
    let end = offset + page.len();
    let remaining = total.saturating_sub(end);
    let next = if remaining > 0 { format!("offset:{end}") } else { String::new() };
    (page, remaining, next)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Service for SandboxService {
    /// Marketo's faults (Request Not Understood, Invalid Request, Unsupported Operation).
    fn request_fault(&self, error: RequestError) -> Fault {
        mktows_marketo::server::request_fault(&error)
    }

    async fn sync_multiple_leads(
        &self,
        _context: &RequestContext,
        params: ParamsSyncMultipleLeads,
    ) -> Result<SuccessSyncMultipleLeads, Fault> {
        let records = &params.lead_record_list.lead_record;
        check_batch("leadRecordList", "leads", records.len(), self.config.max_leads_per_call)?;
        let dedup = params.dedup_enabled.value().copied().unwrap_or(true);
        let now = now();
        let mut store = self.store();
        let sync_status = records
            .iter()
            .map(|record| match store.sync_lead(record, dedup, now) {
                LeadOutcome::Created(id) => {
                    SyncStatus { lead_id: id, status: LeadSyncStatus::Created, error: Nillable::Nil }
                }
                LeadOutcome::Updated(id) => {
                    SyncStatus { lead_id: id, status: LeadSyncStatus::Updated, error: Nillable::Nil }
                }
                LeadOutcome::Failed(message) => {
                    let lead_id = record.id.value().copied().unwrap_or(0);
                    SyncStatus { lead_id, status: LeadSyncStatus::Failed, error: Nillable::Value(message) }
                }
            })
            .collect();
        self.commit(&store)?;
        Ok(SuccessSyncMultipleLeads {
            result: ResultSyncMultipleLeads { sync_status_list: ArrayOfSyncStatus { sync_status } },
        })
    }

    async fn sync_lead(&self, _context: &RequestContext, params: ParamsSyncLead) -> Result<SuccessSyncLead, Fault> {
        let mut store = self.store();
        let (lead_id, status) = match store.sync_lead(&params.lead_record, true, now()) {
            LeadOutcome::Created(id) => (id, LeadSyncStatus::Created),
            LeadOutcome::Updated(id) => (id, LeadSyncStatus::Updated),
            LeadOutcome::Failed(message) => {
                return Err(fault(codes::LEAD_SYNC_FAILED, &format!("Lead Sync Failed: {message}")));
            }
        };
        self.commit(&store)?;
        let lead_record = match params.return_lead {
            true => store.lead(lead_id).map_or(Nillable::Nil, |lead| Nillable::Value(lead_record(lead, None))),
            false => Nillable::Nil,
        };
        let sync_status = SyncStatus { lead_id, status, error: Nillable::Nil };
        Ok(SuccessSyncLead { result: ResultSyncLead { lead_id, sync_status, lead_record } })
    }

    async fn get_lead(&self, _context: &RequestContext, params: ParamsGetLead) -> Result<SuccessGetLead, Fault> {
        let store = self.store();
        let ids = find_leads(&store, &params.lead_key.key_type, std::slice::from_ref(&params.lead_key.key_value))?;
        if ids.is_empty() {
            return Err(fault(codes::LEAD_NOT_FOUND, "Lead Not Found: the lead key matched no lead"));
        }
        let lead_record = ids.iter().filter_map(|id| store.lead(*id)).map(|lead| lead_record(lead, None)).collect();
        Ok(SuccessGetLead {
            result: ResultGetLead {
                count: count(ids.len()),
                lead_record_list: Nillable::Value(ArrayOfLeadRecord { lead_record }),
            },
        })
    }

    async fn get_multiple_leads(
        &self,
        _context: &RequestContext,
        params: ParamsGetMultipleLeads,
    ) -> Result<SuccessGetMultipleLeads, Fault> {
        let offset = stream_offset(params.stream_position.value().map(String::as_str))?;
        let include: Option<BTreeSet<String>> =
            params.include_attributes.as_ref().map(|names| names.string_item.iter().cloned().collect());
        let store = self.store();
        let ids: Vec<i32> = match &params.lead_selector {
            None => store.leads().map(|l| l.id).collect(),
            Some(LeadSelector::LeadKeySelector(selector)) => {
                find_leads(&store, &selector.key_type, &selector.key_values.string_item)?
            }
            Some(LeadSelector::LastUpdateAtSelector(selector)) => {
                let bound = |value: &DateTime| mktows_marketo::auth::parse_w3c_seconds(value.as_str());
                let oldest = bound(&selector.oldest_updated_at).unwrap_or(i64::MIN);
                let latest = selector.latest_updated_at.value().and_then(bound).unwrap_or(i64::MAX);
                store.leads().filter(|l| (oldest..=latest).contains(&l.updated_at)).map(|l| l.id).collect()
            }
            Some(LeadSelector::StaticListSelector(_)) => {
                return Err(fault(codes::LIST_NOT_FOUND, "List Not Found: the sandbox keeps no static lists"));
            }
        };
        let (ids, remaining, next) = page(ids, offset, params.batch_size.value().copied());
        let lead_record: Vec<LeadRecord> =
            ids.iter().filter_map(|id| store.lead(*id)).map(|lead| lead_record(lead, include.as_ref())).collect();
        Ok(SuccessGetMultipleLeads {
            result: ResultGetMultipleLeads {
                return_count: count(lead_record.len()),
                remaining_count: count(remaining),
                new_stream_position: next,
                lead_record_list: Nillable::Value(ArrayOfLeadRecord { lead_record }),
            },
        })
    }

    async fn sync_custom_objects(
        &self,
        _context: &RequestContext,
        params: ParamsSyncCustomObjects,
    ) -> Result<SuccessSyncCustomObjects, Fault> {
        let ty = self.object_type(&params.obj_type_name)?;
        let objects = &params.custom_obj_list.custom_obj;
        check_batch("customObjList", "objects", objects.len(), self.config.max_custom_objects_per_call)?;
        let mode = match params.operation.value() {
            None | Some(SyncOperationEnum::Upsert) => SyncMode::Upsert,
            Some(SyncOperationEnum::Insert) => SyncMode::Insert,
            Some(SyncOperationEnum::Update) => SyncMode::Update,
            Some(other) => return Err(bad_parameter(&format!("operation `{other}` is not INSERT, UPDATE or UPSERT"))),
        };
        let mut store = self.store();
        let sync_custom_obj_status = objects
            .iter()
            .map(|object| {
                let keys = attributes(&object.custom_obj_key_list);
                let outcome = store.sync_object(ty, &keys, &attributes(&object.custom_obj_attribute_list), mode);
                object_status(ty, keys, outcome)
            })
            .collect();
        self.commit(&store)?;
        Ok(SuccessSyncCustomObjects {
            result: ResultSyncCustomObjects {
                sync_custom_obj_status_list: ArrayOfSyncCustomObjStatus { sync_custom_obj_status },
            },
        })
    }

    async fn delete_custom_objects(
        &self,
        _context: &RequestContext,
        params: ParamsDeleteCustomObjects,
    ) -> Result<SuccessDeleteCustomObjects, Fault> {
        let ty = self.object_type(&params.obj_type_name)?;
        let key_lists = &params.custom_obj_key_lists.key_list;
        check_batch("customObjKeyLists", "objects", key_lists.len(), self.config.max_custom_objects_per_call)?;
        let mut store = self.store();
        let sync_custom_obj_status = key_lists
            .iter()
            .map(|list| {
                let keys: Vec<(String, String)> =
                    list.attribute.iter().map(|a| (a.attr_name.clone(), a.attr_value.clone())).collect();
                let outcome = store.delete_object(ty, &keys);
                object_status(ty, keys, outcome)
            })
            .collect();
        self.commit(&store)?;
        Ok(SuccessDeleteCustomObjects {
            result: ResultDeleteCustomObjects {
                delete_custom_obj_status_list: ArrayOfSyncCustomObjStatus { sync_custom_obj_status },
            },
        })
    }

    async fn get_custom_objects(
        &self,
        _context: &RequestContext,
        params: ParamsGetCustomObjects,
    ) -> Result<SuccessGetCustomObjects, Fault> {
        let ty = self.object_type(&params.obj_type_name)?;
        let offset = stream_offset(params.stream_position.value().map(String::as_str))?;
        let filter = attributes(&params.custom_obj_key_list);
        let include: BTreeSet<&str> = params.include_attributes.string_item.iter().map(String::as_str).collect();
        let store = self.store();
        let matching: Vec<_> = store.objects(ty, &filter).collect();
        let (objects, remaining, next) = page(matching, offset, params.batch_size.value().copied());
        let custom_obj: Vec<CustomObj> = objects
            .into_iter()
            .map(|(key, values)| {
                let keys = ty.keys.iter().cloned().zip(key.iter().cloned());
                let shown = values.iter().filter(|(name, _)| include.is_empty() || include.contains(name.as_str()));
                CustomObj {
                    custom_obj_key_list: Nillable::Value(attribute_list(keys, Nillable::Nil)),
                    custom_obj_attribute_list: Nillable::Value(attribute_list(
                        shown.map(|(n, v)| (n.clone(), v.clone())),
                        Nillable::Nil,
                    )),
                }
            })
            .collect();
        Ok(SuccessGetCustomObjects {
            result: ResultGetCustomObjects {
                obj_type_name: ty.name.clone(),
                return_count: count(custom_obj.len()),
                remaining_count: count(remaining),
                new_stream_position: next,
                custom_obj_list: Nillable::Value(ArrayOfCustomObj { custom_obj }),
            },
        })
    }
}

/// The leads a key type and values name, in id order without repeats. The sandbox knows
/// Marketo ids and emails; other key types (cookies, Salesforce ids) are refused.
fn find_leads(store: &Store, key_type: &LeadKeyRef, values: &[String]) -> Result<Vec<i32>, Fault> {
    let mut ids = BTreeSet::new();
    for value in values {
        match key_type {
            LeadKeyRef::Idnum => {
                let id: i32 = value
                    .trim()
                    .parse()
                    .map_err(|_| fault(codes::LEAD_KEY_BAD, &format!("Lead Key Bad: `{value}` is not a lead id")))?;
                ids.extend(store.lead(id).map(|l| l.id));
            }
            LeadKeyRef::Email => ids.extend(store.leads_by_email(value.trim()).map(|l| l.id)),
            other => {
                return Err(fault(
                    codes::LEAD_KEY_BAD,
                    &format!("Lead Key Bad: the sandbox does not support keyType {other}"),
                ));
            }
        }
    }
    Ok(ids.into_iter().collect())
}

fn object_status(ty: &CustomObjectType, keys: Vec<(String, String)>, outcome: ObjectOutcome) -> SyncCustomObjStatus {
    let (status, error) = match outcome {
        ObjectOutcome::Created => (SyncStatusEnum::Created, Nillable::Nil),
        ObjectOutcome::Updated => (SyncStatusEnum::Updated, Nillable::Nil),
        ObjectOutcome::Deleted => (SyncStatusEnum::Deleted, Nillable::Nil),
        // Marketo sends these two although the 2_2 WSDL's enumeration lacks them; the
        // generated enum's fallback variant carries them.
        ObjectOutcome::Unchanged => (SyncStatusEnum::Unknown("UNCHANGED".into()), Nillable::Nil),
        ObjectOutcome::Skipped => (SyncStatusEnum::Unknown("SKIPPED".into()), Nillable::Nil),
        ObjectOutcome::Failed(message) => (SyncStatusEnum::Failed, Nillable::Value(message)),
    };
    SyncCustomObjStatus {
        obj_type_name: ty.name.clone(),
        custom_obj_key_list: Nillable::Value(attribute_list(keys, Nillable::Nil)),
        status,
        error,
    }
}
