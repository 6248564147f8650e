//! A `ref=` to the head of a substitution group becomes a choice of the elements that may
//! stand there (the head itself unless it is abstract): readers match children by name, and
//! a member's name is not the head's.
//!
//! A member that the same content model also names on its own (EWS's transitions list the
//! head and each member as fields) stays that field's alone: reading by name, a child of
//! that name is the field's, so the choice does not offer it a second time.

use std::collections::HashSet;

use mktows_wsdl::{Field, Group, GroupKind, MaxOccurs, Particle, QName, Schema};

pub(super) fn expand(original: &Schema, schema: &mut Schema) {
    for ty in &mut schema.complex_types {
        let named: HashSet<QName> = match original.complex_type(&ty.name) {
            Some(source) => original.all_fields(source).iter().filter_map(|f| f.reference.clone()).collect(),
            None => HashSet::new(),
        };
        if let Some(group) = &mut ty.particle {
            substitute(original, group, &named);
        }
    }
}

fn substitute(schema: &Schema, group: &mut Group, named: &HashSet<QName>) {
    for particle in &mut group.particles {
        match particle {
            Particle::Group(inner) => substitute(schema, inner, named),
            Particle::Any(_) => {}
            Particle::Element(field) => {
                let Some(head) = field.reference.as_ref().and_then(|r| schema.element(r)) else { continue };
                let members: Vec<_> =
                    schema.substitutes(&head.name).into_iter().filter(|m| !named.contains(&m.name)).collect();
                if members.is_empty() {
                    continue;
                }
                let elements = (!head.is_abstract).then_some(head).into_iter().chain(members);
                let alternatives = elements.map(|element| {
                    Particle::Element(Field {
                        name: element.name.local.clone(),
                        namespace: Some(element.name.namespace.clone()).filter(|n| !n.is_empty()),
                        reference: Some(element.name.clone()),
                        doc: None,
                        type_ref: element.type_ref.clone(),
                        min_occurs: 1,
                        max_occurs: MaxOccurs::Bounded(1),
                        nillable: element.nillable,
                        location: field.location,
                    })
                });
                *particle = Particle::Group(Group {
                    kind: GroupKind::Choice,
                    min_occurs: field.min_occurs,
                    max_occurs: field.max_occurs,
                    particles: alternatives.collect(),
                    location: field.location,
                });
            }
        }
    }
}
