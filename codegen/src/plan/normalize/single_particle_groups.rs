//! A choice of one alternative is a sequence of it; and a group of one particle that
//! occurs once passes its own occurrence to the particle. So EWS's
//! `<choice maxOccurs="unbounded"><element name="SmtpAddress"/></choice>` is the field
//! `SmtpAddress` repeated, and `<choice><any maxOccurs="unbounded"/></choice>` an `xs:any`
//! field, rather than an enum of one variant (or a choice the readers cannot start).

use mktows_wsdl::{Group, GroupKind, MaxOccurs, Particle, Schema};

pub(super) fn collapse(schema: &mut Schema) {
    for ty in &mut schema.complex_types {
        if let Some(group) = &mut ty.particle {
            collapse_group(group);
        }
    }
}

fn collapse_group(group: &mut Group) {
    for particle in &mut group.particles {
        if let Particle::Group(inner) = particle {
            collapse_group(inner);
        }
    }
    let [only] = group.particles.as_mut_slice() else { return };
    if group.kind == GroupKind::Choice {
        group.kind = GroupKind::Sequence;
    }
    let once = |min: u32, max: MaxOccurs| min == 1 && max == MaxOccurs::Bounded(1);
    let (min, max) = (group.min_occurs, group.max_occurs);
    let moved = match only {
        Particle::Element(field) if once(field.min_occurs, field.max_occurs) => {
            (field.min_occurs, field.max_occurs) = (min, max);
            true
        }
        Particle::Any(any) if once(any.min_occurs, any.max_occurs) => {
            (any.min_occurs, any.max_occurs) = (min, max);
            true
        }
        _ => false,
    };
    if moved {
        (group.min_occurs, group.max_occurs) = (1, MaxOccurs::Bounded(1));
    }
}
