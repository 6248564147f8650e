//! The short forms a caller builds requests and reads responses with: list types convert
//! from and to their items like a `Vec`, and `Nillable` like an `Option`. Checked on the
//! wire, against the bytes the long forms write.

use mktows::*;

fn attribute(name: &str, value: &str) -> Attribute {
    Attribute { attr_name: name.into(), attr_value: value.into(), ..Default::default() }
}

#[test]
fn a_list_is_built_from_a_vec_or_an_iterator_and_writes_as_the_long_form() {
    let long = ArrayOfAttribute { attribute: vec![attribute("FirstName", "Ada"), attribute("Company", "A & B")] };
    let from_vec: ArrayOfAttribute = vec![attribute("FirstName", "Ada"), attribute("Company", "A & B")].into();
    let collected: ArrayOfAttribute =
        [("FirstName", "Ada"), ("Company", "A & B")].into_iter().map(|(n, v)| attribute(n, v)).collect();
    assert_eq!(from_vec, long);
    assert_eq!(collected, long);
    let lead = |list: ArrayOfAttribute| LeadRecord {
        email: "ada@example.com".into(),
        lead_attribute_list: list.into(),
        ..Default::default()
    };
    let params = |list| ParamsSyncMultipleLeads {
        lead_record_list: vec![lead(list)].into(),
        dedup_enabled: Nillable::Value(true),
    };
    let write = |p: &ParamsSyncMultipleLeads| {
        let mut w = runtime::xml::XmlWriter::new();
        runtime::xml::ToXml::write_xml(p, &mut w, "ns1:paramsSyncMultipleLeads");
        w.finish().unwrap()
    };
    assert_eq!(write(&params(collected)), write(&params(long)));
}

#[test]
fn a_list_of_strings_is_built_from_str_slices_and_a_selector_from_its_extension() {
    let long = ArrayOfString { string_item: vec!["a@b.c".to_owned(), "d@e.f".to_owned()] };
    assert_eq!(ArrayOfString::from(["a@b.c", "d@e.f"]), long);
    assert_eq!(["a@b.c", "d@e.f"].iter().copied().collect::<ArrayOfString>(), long);
    let selector: LeadSelector = LeadKeySelector::new(LeadKeyRef::Email, ["a@b.c", "d@e.f"]).into();
    assert_eq!(
        selector,
        LeadSelector::LeadKeySelector(LeadKeySelector { key_type: LeadKeyRef::Email, key_values: long })
    );
}

#[test]
fn a_list_reads_as_a_slice_and_iterates_by_reference_or_by_value() {
    let mut list: ArrayOfString = vec!["a".to_owned(), "b".to_owned()].into();
    assert_eq!((list.len(), list.first().map(String::as_str), list.is_empty()), (2, Some("a"), false));
    list[1].push('!');
    let borrowed: Vec<&str> = (&list).into_iter().map(String::as_str).collect();
    assert_eq!(borrowed, ["a", "b!"]);
    let mut seen = Vec::new();
    for item in &list {
        seen.push(item.clone());
    }
    let owned: Vec<String> = list.into_iter().collect();
    assert_eq!(owned, seen);
}

#[test]
fn nillable_fields_take_options() {
    let email: Option<String> = None;
    let lead =
        LeadRecord { email: email.into(), foreign_sys_person_id: Some("X1".to_owned()).into(), ..Default::default() };
    assert!(lead.email.is_absent());
    assert_eq!(lead.foreign_sys_person_id.as_deref(), Some("X1"));
    assert_eq!(lead.id.value_or(0), 0);
}

#[test]
fn types_without_default_are_built_from_their_required_members() {
    let long = ParamsGetLead { lead_key: LeadKey { key_type: LeadKeyRef::Email, key_value: "ada@example.com".into() } };
    let short = ParamsGetLead::new(LeadKey::new(LeadKeyRef::Email, "ada@example.com"));
    assert_eq!(short, long);
    // Optional members start empty and are set by struct update syntax.
    let selector = LeadKeySelector::new(LeadKeyRef::Email, vec!["a@x.com".to_owned(), "b@x.com".to_owned()]);
    assert_eq!(selector.key_values.len(), 2);
    let params = ParamsGetMultipleLeads {
        lead_selector: Some(selector.into()),
        batch_size: Some(100).into(),
        ..Default::default()
    };
    assert!(matches!(params.lead_selector, Some(LeadSelector::LeadKeySelector(_))));
    assert_eq!((params.batch_size, params.stream_position), (Nillable::Value(100), Nillable::Absent));
}
