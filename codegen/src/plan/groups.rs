//! Groups: what a complex type's particle tree becomes beside its plain elements.
//!
//! A sequence (or `xs:all`) occurring at most once flattens into the struct (an optional one
//! makes its elements optional). A choice becomes an enum with one variant per alternative;
//! a repeated sequence, or a sequence that is an alternative of a choice, becomes a struct
//! of its own read as a group of siblings. `xs:any` becomes [`AnyElement`] values. Each of
//! these is one field of the struct holding it ([`Member`] says which kind).

use std::collections::HashSet;

use mktows_wsdl::{
    AnyParticle, ComplexType, Field, GlobalElement, Group, GroupKind, MaxOccurs, Particle, QName, Schema,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{FieldPlan, Shape};
use super::namespaces::Namespaces;
use super::types::{Analysis, StructPlan, TypePlan};
use super::{ident, READER};
use crate::names::{field_name, type_name, variant_name};

/// What a struct field stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Member {
    /// One schema element (the plain case).
    Element,
    /// A choice or a sequence with a type of its own, read as a group from any child named
    /// in `starts` (and, for a choice with an `xs:any` alternative, `takes_any`, from any
    /// child no other field matches); `value_type` is the type of one value (before the
    /// occurrence wrapper).
    Group { starts: Vec<String>, value_type: String, takes_any: bool },
    /// `xs:any`: the children no other field matches.
    Any,
}

/// A choice, as an enum.
pub(crate) struct ChoicePlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub variants: Vec<ChoiceVariant>,
}

pub(crate) struct ChoiceVariant {
    pub ident: Ident,
    /// The JSON key (serde's externally tagged form): the element's name, or the variant's.
    pub json_name: String,
    pub docs: Vec<String>,
    pub kind: VariantKind,
}

pub(crate) enum VariantKind {
    /// An element alternative: the plan of the element, never optional (choosing the
    /// variant is sending the element); repeated or nillable as the schema says.
    Element(Box<FieldPlan>),
    /// A nested sequence (a struct) or choice (an enum), read from any child in `starts`.
    Group { rust_type: TokenStream, starts: Vec<String> },
    /// An `xs:any` alternative: one element no other alternative names, as raw XML.
    Any,
}

/// Whether one of a choice's alternatives is an `xs:any`.
pub(crate) fn has_any_alternative(group: &Group) -> bool {
    group.kind == GroupKind::Choice && group.particles.iter().any(|p| matches!(p, Particle::Any(_)))
}

/// The element names that can start `group`: a sequence's members up to the first one that
/// must be there, a choice's alternatives' all.
pub(crate) fn starts(group: &Group) -> Vec<String> {
    let mut names = Vec::new();
    match group.kind {
        GroupKind::Choice | GroupKind::All => {
            group.particles.iter().for_each(|p| names.extend(particle_starts(p)));
        }
        GroupKind::Sequence => {
            for particle in &group.particles {
                names.extend(particle_starts(particle));
                if !particle_emptiable(particle) {
                    break;
                }
            }
        }
    }
    names
}

fn particle_starts(particle: &Particle) -> Vec<String> {
    match particle {
        Particle::Element(field) => vec![field.name.clone()],
        Particle::Group(group) => starts(group),
        Particle::Any(_) => Vec::new(),
    }
}

/// Whether `particle` may match no element at all.
pub(crate) fn particle_emptiable(particle: &Particle) -> bool {
    match particle {
        Particle::Element(field) => field.min_occurs == 0,
        Particle::Any(any) => any.min_occurs == 0,
        Particle::Group(group) => emptiable(group),
    }
}

pub(crate) fn emptiable(group: &Group) -> bool {
    group.min_occurs == 0
        || match group.kind {
            GroupKind::Choice => group.particles.iter().any(particle_emptiable),
            GroupKind::Sequence | GroupKind::All => group.particles.iter().all(particle_emptiable),
        }
}

/// Whether a struct flattening `group` has a required field that is no element: an `xs:any`
/// (raw XML) or a choice or group (an enum), none of which has a value right by default.
pub(crate) fn has_required_member(group: &Group) -> bool {
    if has_own_type(group) {
        return group.max_occurs == MaxOccurs::Bounded(1) && !emptiable(group);
    }
    group.min_occurs > 0
        && group.particles.iter().any(|p| match p {
            Particle::Any(any) => any.min_occurs > 0 && any.max_occurs == MaxOccurs::Bounded(1),
            Particle::Group(inner) => has_required_member(inner),
            Particle::Element(_) => false,
        })
}

/// Whether a group is read into a type of its own (rather than flattened).
pub(crate) fn has_own_type(group: &Group) -> bool {
    group.kind == GroupKind::Choice || group.max_occurs != MaxOccurs::Bounded(1)
}

/// Names for the types groups add, clear of every schema type's and of each other.
pub(crate) struct GroupNames {
    taken: HashSet<String>,
}

impl GroupNames {
    pub(crate) fn new(taken: impl Iterator<Item = String>) -> Self {
        let mut taken: HashSet<String> = taken.collect();
        taken.extend(super::naming::RESERVED.iter().map(|s| (*s).to_owned()));
        Self { taken }
    }

    /// `base`, else `base2`, `base3`, ...
    fn fresh(&mut self, base: &str) -> Ident {
        let chosen = super::naming::first_free(base, "", |c| self.taken.contains(c));
        self.taken.insert(chosen.clone());
        format_ident!("{chosen}")
    }
}

/// Plans the fields of one complex type (and the types its groups add).
pub(crate) struct Grouping<'p, 's> {
    pub analysis: &'p Analysis<'s>,
    pub namespaces: &'p Namespaces,
    pub owner: &'s ComplexType,
    pub names: &'p mut GroupNames,
    /// The choice enums and group structs, in the order met.
    pub types: Vec<TypePlan>,
}

impl<'s> Grouping<'_, 's> {
    /// The fields of the struct for `groups` (the particles of the type's lineage, the most
    /// basic first).
    pub(crate) fn fields(&mut self, groups: &[&Group]) -> Vec<FieldPlan> {
        let mut fields = Vec::new();
        for group in groups {
            self.add_group(group, false, &mut fields);
        }
        unique_idents(&mut fields);
        fields
    }

    /// A group in a struct: flattened when it occurs at most once and is no choice, else one
    /// field of its own type.
    fn add_group(&mut self, group: &Group, optional: bool, out: &mut Vec<FieldPlan>) {
        if has_own_type(group) {
            out.push(self.group_field(group, optional));
            return;
        }
        let optional = optional || group.min_occurs == 0;
        for particle in &group.particles {
            match particle {
                Particle::Element(field) => {
                    let element = self.element(field, optional);
                    // Declared again by an extension, of the same type: one field (see `support`).
                    let again = out.iter().any(|f| {
                        f.member == Member::Element
                            && (&f.xml_name, &f.namespace) == (&element.xml_name, &element.namespace)
                            && f.rust_type.to_string() == element.rust_type.to_string()
                    });
                    if !again {
                        out.push(element);
                    }
                }
                Particle::Any(any) => out.push(any_field(any, optional)),
                Particle::Group(inner) => self.add_group(inner, optional, out),
            }
        }
    }

    fn element(&self, field: &Field, optional: bool) -> FieldPlan {
        let mut field = field.clone();
        if optional {
            field.min_occurs = 0;
        }
        let shape = Shape::of(&field);
        let boxed = !shape.is_repeated() && self.analysis.reaches(&field.type_ref, &self.owner.name);
        FieldPlan::new(&field, self.analysis.value_type(&field.type_ref), boxed, self.namespaces)
    }

    /// A choice or repeated sequence as one field: `Enum`, `Option<Enum>` or `Vec<Enum>`.
    fn group_field(&mut self, group: &Group, optional: bool) -> FieldPlan {
        let value = self.group_type(group);
        let starts = starts(group);
        let shape = match group.max_occurs {
            MaxOccurs::Bounded(1) if optional || emptiable(group) => Shape::Optional,
            MaxOccurs::Bounded(1) => Shape::Required,
            _ => Shape::Repeated,
        };
        let name = match substitution_head(self.analysis.schema, group) {
            Some(head) => head.name.local.clone(),
            None => member_name(group),
        };
        let what = match group.kind {
            GroupKind::Choice => format!("A choice of {}", element_list(&starts, "or")),
            _ => format!("A sequence starting with {}", element_list(&starts, "or")),
        };
        let rule = match shape {
            Shape::Required => "required",
            Shape::Optional => "optional: `None` sends none of them",
            _ => "repeated: one item per occurrence, in document order",
        };
        let docs = vec![format!("{what}; {rule}. See [`{value}`].")];
        let member = Member::Group { starts, value_type: value.to_string(), takes_any: has_any_alternative(group) };
        typed_field(&name, shape, quote!(#value), docs, member)
    }

    /// The enum of a choice or the struct of a sequence, planned and added to `types`.
    fn group_type(&mut self, group: &Group) -> Ident {
        let owner = self.analysis.names.ident(&self.owner.name);
        // The type comes before the ones nested in it, in the order met.
        let at = self.types.len();
        match group.kind {
            GroupKind::Choice => {
                let base = match substitution_head(self.analysis.schema, group) {
                    Some(head) => format!("{owner}{}", type_name(&head.name.local)),
                    None => format!("{owner}Choice"),
                };
                let ident = self.names.fresh(&base);
                let plan = self.choice(group, ident.clone());
                self.types.insert(at, TypePlan::Choice(plan));
                ident
            }
            GroupKind::Sequence | GroupKind::All => {
                let ident = self.names.fresh(&format!("{owner}Sequence"));
                let plan = self.sequence_of(group, ident.clone());
                self.types.insert(at, TypePlan::Group(plan));
                ident
            }
        }
    }

    fn choice(&mut self, group: &Group, ident: Ident) -> ChoicePlan {
        let mut variants: Vec<ChoiceVariant> = Vec::new();
        for particle in &group.particles {
            let variant = match particle {
                Particle::Element(field) => {
                    let mut chosen = field.clone();
                    chosen.min_occurs = chosen.min_occurs.max(1);
                    let plan = self.element(&chosen, false);
                    let docs = vec![field.doc.clone().unwrap_or_default(), format!("The element `{}`.", field.name)];
                    let (ident, json_name) = (format_ident!("{}", variant_name(&field.name)), field.name.clone());
                    ChoiceVariant { ident, json_name, docs, kind: VariantKind::Element(Box::new(plan)) }
                }
                Particle::Group(inner) => {
                    // A nested sequence gets a struct of its own; a nested choice its enum.
                    let owner = self.analysis.names.ident(&self.owner.name);
                    let inner_ident = match inner.kind {
                        GroupKind::Choice => self.group_type(inner),
                        _ => {
                            let (at, ident) = (self.types.len(), self.names.fresh(&format!("{owner}Sequence")));
                            let plan = self.sequence_of(inner, ident.clone());
                            self.types.insert(at, TypePlan::Group(plan));
                            ident
                        }
                    };
                    let starts = starts(inner);
                    let docs = vec![format!("Starts with {}. See [`{inner_ident}`].", element_list(&starts, "or"))];
                    let variant =
                        format_ident!("{}", variant_name(&inner_ident.to_string()[owner.to_string().len()..]));
                    let json_name = variant.to_string();
                    let kind = VariantKind::Group { rust_type: quote!(#inner_ident), starts };
                    ChoiceVariant { ident: variant, json_name, docs, kind }
                }
                Particle::Any(any) => {
                    let docs = vec![format!(
                        "`xs:any` (processContents `{}`): an element no other alternative names, kept as raw XML.",
                        any.process_contents
                    )];
                    ChoiceVariant { ident: format_ident!("Any"), json_name: "any".into(), docs, kind: VariantKind::Any }
                }
            };
            variants.push(variant);
        }
        unique_variants(&mut variants);
        let alternatives: Vec<String> = variants.iter().map(|v| format!("`{}`", v.ident)).collect();
        let what = match substitution_head(self.analysis.schema, group) {
            Some(head) => format!("The substitution group of element `{}`", head.name.local),
            None => "A choice".to_owned(),
        };
        let docs = vec![format!(
            "{what} in schema type `{}`: exactly one of {} (in XML, the element the variant names).",
            self.owner.name.local,
            alternatives.join(", ")
        )];
        ChoicePlan { ident, docs, variants }
    }

    /// The struct of a sequence read as a group: one occurrence of it.
    fn sequence_of(&mut self, group: &Group, ident: Ident) -> StructPlan {
        let mut fields = Vec::new();
        let once = Group { min_occurs: 1, max_occurs: MaxOccurs::Bounded(1), ..group.clone() };
        self.add_group(&once, false, &mut fields);
        unique_idents(&mut fields);
        let docs = vec![format!(
            "A group of elements in schema type `{}`, read and written together, in this order: {}.",
            self.owner.name.local,
            element_list(&fields.iter().map(|f| f.xml_name.clone()).collect::<Vec<_>>(), "then")
        )];
        StructPlan {
            ident,
            docs,
            derive_default: false,
            is_variant: false,
            fields,
            attributes: Vec::new(),
            value: None,
            members_of_any_name: false,
            is_list: false,
        }
    }
}

fn any_field(any: &AnyParticle, optional: bool) -> FieldPlan {
    let repeated = any.max_occurs != MaxOccurs::Bounded(1);
    let shape = match (repeated, optional || any.min_occurs == 0) {
        (true, _) => Shape::Repeated,
        (false, true) => Shape::Optional,
        (false, false) => Shape::Required,
    };
    let namespace = match any.namespace.as_str() {
        "##any" => "any namespace".to_owned(),
        "##other" => "a namespace other than the schema's".to_owned(),
        other => format!("namespace `{other}`"),
    };
    let docs = vec![format!(
        "`xs:any` (elements of {namespace}, processContents `{}`): every child element no other field \
         matches, kept as raw XML and written back as it is.",
        any.process_contents
    )];
    typed_field("any", shape, quote!(AnyElement), docs, Member::Any)
}

/// A field that is not one schema element: its name is its JSON name too.
fn typed_field(name: &str, shape: Shape, value_type: TokenStream, docs: Vec<String>, member: Member) -> FieldPlan {
    let ident = ident(&field_name(name));
    let local = if READER.contains(&ident.to_string()) { format_ident!("field_{}", ident) } else { ident.clone() };
    let json = ident.to_string().trim_start_matches("r#").to_owned();
    let (xml_name, json_name, wire_name, namespace) = (json.clone(), json, String::new(), None);
    let rust_type = shape.wrap(value_type.clone());
    FieldPlan { ident, local, xml_name, namespace, json_name, wire_name, shape, rust_type, value_type, docs, member }
}

/// The head of the substitution group a choice stands for (see `support`, which turns a
/// `ref` to a head into a choice of its members): the one element that all alternatives are
/// or stand in for.
fn substitution_head<'s>(schema: &'s Schema, choice: &Group) -> Option<&'s GlobalElement> {
    let references: Vec<&QName> = choice
        .particles
        .iter()
        .map(|p| match p {
            Particle::Element(field) => field.reference.as_ref(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut candidate = schema.element(references.first()?)?.substitution_group.as_ref();
    while let Some(head) = candidate.and_then(|name| schema.element(name)) {
        let members = schema.substitutes(&head.name);
        let covered = |r: &&QName| *r == &head.name || members.iter().any(|m| &m.name == *r);
        if references.iter().all(covered) {
            return Some(head);
        }
        candidate = head.substitution_group.as_ref();
    }
    None
}

/// A field named after the group's elements when there are few (`last_name_or_full_name`),
/// else `choice` or `sequence`.
fn member_name(group: &Group) -> String {
    let names: Vec<&str> = group
        .particles
        .iter()
        .map(|p| match p {
            Particle::Element(field) => Some(field.name.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    let fallback = match group.kind {
        GroupKind::Choice => "choice",
        _ => "sequence",
    };
    let joiner = match group.kind {
        GroupKind::Choice => "_or_",
        _ => "_and_",
    };
    match names.len() {
        1..=3 => names.iter().map(|n| field_name(n)).collect::<Vec<_>>().join(joiner),
        _ => fallback.to_owned(),
    }
}

fn element_list(names: &[String], joiner: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => "no element".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {joiner} {last}", rest.join(", ")),
    }
}

/// Two fields never share a Rust name: a later one gets `_2`, `_3`, ... appended.
fn unique_idents(fields: &mut [FieldPlan]) {
    super::fields::distinct_idents(fields);
}

fn unique_variants(variants: &mut [ChoiceVariant]) {
    let mut taken: HashSet<String> = HashSet::new();
    for variant in variants {
        let base = variant.ident.to_string();
        if taken.insert(base.clone()) {
            continue;
        }
        let chosen = (2..).map(|n| format!("{base}{n}")).find(|c| !taken.contains(c)).expect("endless");
        taken.insert(chosen.clone());
        variant.ident = format_ident!("{chosen}");
    }
}
