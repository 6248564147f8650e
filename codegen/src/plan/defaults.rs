//! Which structs derive `Default`: those whose required content all has a value the schema
//! accepts by default (not an enumeration, a date, a choice, raw XML, an abstract family).
//!
//! Decided for every type at once, by one iterative walk of "requires a value of" edges:
//! a walk per type was cubic in a chain of thousands of types that each require the next,
//! and its recursion overflowed the stack there.

use std::collections::HashMap;

use mktows_wsdl::{ComplexType, QName, Schema, TypeRef};

use super::fields::Shape;
use super::types::has_no_default;

enum State {
    /// On the walk's path: meeting it again is a cycle of required values, which no finite
    /// default value has.
    Open,
    Done(bool),
}

/// One type on the walk's path: the types it requires, the next to look at, and whether all
/// so far have a default.
struct Frame<'s> {
    name: &'s QName,
    required: Vec<&'s ComplexType>,
    next: usize,
    ok: bool,
}

/// Whether each complex type of `schema` can derive `Default`; `polymorphic`: whether a
/// name is an abstract family (an enum without a default member).
pub(super) fn defaults<'s>(schema: &'s Schema, polymorphic: impl Fn(&QName) -> bool) -> HashMap<&'s QName, bool> {
    let mut state: HashMap<&QName, State> = HashMap::new();
    let frame = |ty: &'s ComplexType| {
        let required = required_types(schema, ty, &polymorphic);
        Frame { name: &ty.name, ok: required.is_some(), required: required.unwrap_or_default(), next: 0 }
    };
    for root in &schema.complex_types {
        if state.contains_key(&root.name) {
            continue;
        }
        state.insert(&root.name, State::Open);
        let mut path = vec![frame(root)];
        while let Some(top) = path.last_mut() {
            if let Some(&dependency) = top.required.get(top.next).filter(|_| top.ok) {
                top.next += 1;
                match state.get(&dependency.name) {
                    Some(State::Open) => top.ok = false,
                    Some(State::Done(ok)) => top.ok &= ok,
                    None => {
                        state.insert(&dependency.name, State::Open);
                        path.push(frame(dependency));
                    }
                }
                continue;
            }
            let done = path.pop().expect("the path has a top");
            state.insert(done.name, State::Done(done.ok));
            if let Some(parent) = path.last_mut() {
                parent.ok &= done.ok;
            }
        }
    }
    state.into_iter().map(|(name, state)| (name, matches!(state, State::Done(true)))).collect()
}

/// Whether `ty`, a type not in the schema (a message's parts as a struct), can derive
/// `Default`, given what [`defaults`] decided for the schema's types.
pub(super) fn has_default_outside(
    schema: &Schema,
    ty: &ComplexType,
    polymorphic: impl Fn(&QName) -> bool,
    defaults: &HashMap<&QName, bool>,
) -> bool {
    required_types(schema, ty, &polymorphic)
        .is_some_and(|required| required.iter().all(|t| defaults.get(&t.name) == Some(&true)))
}

/// The complex types `ty` requires a value of, or `None` when its own content already has no
/// default: raw XML, a required choice, a required enumeration or date, an abstract family.
fn required_types<'s>(
    schema: &'s Schema,
    ty: &'s ComplexType,
    polymorphic: &impl Fn(&QName) -> bool,
) -> Option<Vec<&'s ComplexType>> {
    if ty.mixed {
        return None;
    }
    let lineage = schema.lineage(ty);
    if lineage.iter().filter_map(|t| t.particle.as_ref()).any(super::groups::has_required_member) {
        return None;
    }
    let fields = schema.all_fields(ty).into_iter().filter(|f| Shape::of(f) == Shape::Required).map(|f| &f.type_ref);
    let attributes = schema.all_attributes(ty).into_iter().filter(|a| a.required).map(|a| &a.type_ref);
    let mut required = Vec::new();
    for type_ref in fields.chain(attributes).chain(schema.simple_content_type(ty)) {
        match type_ref {
            TypeRef::Builtin(builtin) if has_no_default(*builtin) => return None,
            TypeRef::Builtin(_) => {}
            TypeRef::Simple(name) => {
                schema.simple_type(name).filter(|s| s.enumeration.is_empty())?;
            }
            TypeRef::Complex(name) if polymorphic(name) => return None,
            TypeRef::Complex(name) => required.push(schema.complex_type(name)?),
        }
    }
    Some(required)
}
