//! Sample XML instances of each operation's request and response, for checking a generated
//! crate (and another SOAP stack) against the schema: every optional element present once,
//! a repeated one twice (the second nil when it is nillable), a valid value of each
//! built-in, an enumeration's first value, polymorphic elements with each known `xsi:type`
//! in turn, and recursion cut where the schema lets an element be left out.
//!
//! Attributes are written with a valid value each (a fixed one as fixed), a reference to an
//! abstract head as a member of its substitution group, a choice's alternatives in turn (a
//! repeated choice each of them once, a choice that occurs once the next one each time its
//! type is written). What the sampler does not write (optional wildcards, the alternatives
//! no turn reached, attributes `xs:anyAttribute` allows, optional content past a size
//! budget) is listed in [`OperationSample::left_out`], so a round trip that passes says
//! what it did not cover.

mod values;

use std::collections::HashMap;

use mktows_wsdl::{ComplexType, Field, Group, GroupKind, MaxOccurs, Particle, QName, Schema, TypeRef, Wsdl};

use crate::plan::Layout;
use crate::{Error, Options};

const ENVELOPE_NAMESPACE: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// How often one complex type may be open inside itself before optional content is cut.
const RECURSION_DEPTH: usize = 2;
/// Past this nesting only required content is written.
const MAX_NESTING: usize = 16;
/// Past this nesting nothing is written, required or not (a chain of types each requiring
/// the next): the walk stays shallow, and the sample well inside what the runtime reads.
const MAX_DEPTH: usize = 64;
/// Past this size of one envelope only required content is written: a family of hundreds
/// of derived types that hold one another (Salesforce's `sObject`s) would otherwise grow a
/// sample by a factor of the family's size at each level.
const SIZE_BUDGET: usize = 256 * 1024;

/// The sample request and response envelopes of one generated operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSample {
    /// The WSDL name of the operation.
    pub operation: String,
    /// Its marker type in the generated `operations` module (`GetLead`).
    pub marker: String,
    /// A SOAP 1.1 envelope holding the request body element.
    pub request: String,
    /// A SOAP 1.1 envelope holding the response body element.
    pub response: String,
    /// Constructs the samples do not exercise, one line each (`xs:any in type `T``).
    pub left_out: Vec<String>,
}

/// A sample of every operation the generator writes for `wsdl` with `options` (operations
/// it leaves out get none).
pub fn operation_samples(wsdl: &Wsdl, options: &Options) -> Result<Vec<OperationSample>, Error> {
    let plan = crate::plan::Plan::build(wsdl, options)?;
    Ok(plan
        .operations
        .iter()
        .map(|op| {
            let mut sampler = Sampler::new(&wsdl.schema);
            let request = sampler.envelope(&Body::of(op.rpc, op.input_layout, &op.input_qname, &op.input_parts));
            let response = sampler.envelope(&Body::of(op.rpc, op.output_layout, &op.output_qname, &op.output_parts));
            sampler.note_unwritten_branches();
            OperationSample {
                operation: op.name.clone(),
                marker: op.marker.to_string(),
                request,
                response,
                left_out: sampler.left_out,
            }
        })
        .collect())
}

/// What a message's Body holds.
enum Body<'p> {
    /// The global element so named.
    Element(&'p QName),
    /// An RPC wrapper element holding the parts.
    Wrapper(&'p QName, &'p [Field]),
    /// The parts' elements themselves (none for a message without parts).
    Parts(&'p [Field]),
}

impl<'p> Body<'p> {
    fn of(rpc: bool, layout: Layout, qname: &'p QName, parts: &'p [Field]) -> Self {
        match (layout, rpc) {
            (Layout::Element, false) => Self::Element(qname),
            (Layout::Element, true) => Self::Wrapper(qname, parts),
            (Layout::Parts, _) => Self::Parts(parts),
        }
    }
}

/// Writes one instance at a time, remembering what it could not write.
struct Sampler<'s> {
    schema: &'s Schema,
    out: String,
    /// The namespace unprefixed names are in, innermost last.
    default_namespace: Vec<String>,
    /// The complex types being written, innermost last.
    open: Vec<&'s QName>,
    /// Which member of a family the next polymorphic element of that type uses.
    turn: HashMap<&'s QName, usize>,
    /// Per choice (by where the schema writes it): the alternative it starts with next,
    /// how many it has, and its type's name, for saying which were never written.
    branch: HashMap<mktows_wsdl::Location, (usize, usize, &'s str)>,
    left_out: Vec<String>,
}

impl<'s> Sampler<'s> {
    fn new(schema: &'s Schema) -> Self {
        let (out, default_namespace, open, turn, branch, left_out) = Default::default();
        Self { schema, out, default_namespace, open, turn, branch, left_out }
    }

    /// A SOAP envelope around an instance of the message's body.
    fn envelope(&mut self, body: &Body<'s>) -> String {
        self.out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope xmlns:soapenv=\"{ENVELOPE_NAMESPACE}\" \
             xmlns:xsi=\"{XSI_NAMESPACE}\"><soapenv:Body>"
        );
        self.default_namespace = vec![String::new()];
        match body {
            Body::Element(element) => match self.schema.element(element) {
                Some(global) => self.element(&element.local, &element.namespace, &global.type_ref, false),
                None => self.note(format!("the body element `{}` (not in the schema)", element.local)),
            },
            Body::Wrapper(wrapper, parts) => {
                self.out.push_str(&format!("<{} xmlns=\"{}\">", wrapper.local, escape(&wrapper.namespace)));
                self.default_namespace.push(wrapper.namespace.clone());
                parts.iter().for_each(|part| self.field(part));
                self.default_namespace.pop();
                self.out.push_str(&format!("</{}>", wrapper.local));
            }
            Body::Parts(parts) => parts.iter().for_each(|part| self.field(part)),
        }
        self.out.push_str("</soapenv:Body></soapenv:Envelope>\n");
        std::mem::take(&mut self.out)
    }

    fn note(&mut self, line: String) {
        if !self.left_out.contains(&line) {
            self.left_out.push(line);
        }
    }

    /// One element named `local` in `namespace` (empty: unqualified) holding a value of
    /// `type_ref`, or nil.
    fn element(&mut self, local: &str, namespace: &str, type_ref: &'s TypeRef, nil: bool) {
        let declares = self.default_namespace.last().is_none_or(|current| current != namespace);
        self.out.push('<');
        self.out.push_str(local);
        if declares {
            self.out.push_str(&format!(" xmlns=\"{}\"", escape(namespace)));
        }
        self.default_namespace.push(namespace.to_owned());
        let concrete = match type_ref {
            TypeRef::Complex(name) if !nil => self.member(name),
            _ => None,
        };
        if let Some(ty) = concrete.filter(|ty| Some(&ty.name) != type_name(type_ref)) {
            let name = &ty.name;
            self.out.push_str(&format!(" xmlns:st=\"{}\" xsi:type=\"st:{}\"", escape(&name.namespace), name.local));
        }
        if let Some(ty) = concrete.filter(|_| !nil) {
            self.attributes(ty);
        }
        if nil {
            self.out.push_str(" xsi:nil=\"true\"/>");
            self.default_namespace.pop();
            return;
        }
        self.out.push('>');
        match (type_ref, concrete) {
            (_, Some(ty)) => self.complex_content(ty),
            (TypeRef::Complex(name), None) => self.note(format!("the content of unknown type `{}`", name.local)),
            (simple, _) => {
                let text = self.simple_value(simple);
                self.out.push_str(&escape(&text));
            }
        }
        self.out.push_str(&format!("</{local}>"));
        self.default_namespace.pop();
    }

    /// The concrete type the next element of the declared type `name` has: the declared one
    /// or, when extensions exist, each member of the family in turn.
    fn member(&mut self, name: &'s QName) -> Option<&'s ComplexType> {
        let declared = self.schema.complex_type(name)?;
        let members = self.family(name);
        if members.is_empty() {
            return Some(declared);
        }
        let turn = self.turn.entry(name).or_insert(0);
        let member = members[*turn % members.len()];
        *turn += 1;
        Some(member)
    }

    /// The concrete types an element declared with the complex type `name` may have, when
    /// it has extensions (the declared type first, unless abstract); empty otherwise.
    fn family(&self, name: &QName) -> Vec<&'s ComplexType> {
        let Some(declared) = self.schema.complex_type(name) else { return Vec::new() };
        let derived: Vec<&'s ComplexType> =
            self.schema.derived_types(name).into_iter().filter(|t| !t.is_abstract).collect();
        match derived.is_empty() {
            true => Vec::new(),
            false => (!declared.is_abstract).then_some(declared).into_iter().chain(derived).collect(),
        }
    }

    fn simple_value(&mut self, type_ref: &TypeRef) -> String {
        match type_ref {
            TypeRef::Builtin(builtin) => values::of_builtin(*builtin, &[]),
            TypeRef::Simple(name) => match self.schema.simple_type(name) {
                Some(simple) => values::of_simple(simple),
                None => {
                    self.note(format!("the value of unknown simple type `{}`", name.local));
                    String::new()
                }
            },
            TypeRef::Complex(_) => String::new(),
        }
    }

    /// Every attribute of `ty` (inherited ones first), with its fixed value or a valid one;
    /// a qualified one with a prefix of its own.
    fn attributes(&mut self, ty: &'s ComplexType) {
        for (index, attribute) in self.schema.all_attributes(ty).into_iter().enumerate() {
            let value = match &attribute.fixed {
                Some(fixed) => fixed.clone(),
                None => self.simple_value(&attribute.type_ref),
            };
            let name = match &attribute.namespace {
                Some(namespace) => {
                    self.out.push_str(&format!(" xmlns:sa{index}=\"{}\"", escape(namespace)));
                    format!("sa{index}:{}", attribute.name)
                }
                None => attribute.name.clone(),
            };
            self.out.push_str(&format!(" {name}=\"{}\"", escape(&value)));
        }
        if ty.any_attribute {
            self.note(format!("attributes `xs:anyAttribute` allows in type `{}`", ty.name.local));
        }
    }

    /// The simple content, then the elements of every type in the lineage, the most basic
    /// first.
    fn complex_content(&mut self, ty: &'s ComplexType) {
        if self.open.len() >= MAX_DEPTH {
            self.note(format!("the content of type `{}`, nested more than {MAX_DEPTH} deep", ty.name.local));
            return;
        }
        self.open.push(&ty.name);
        if let Some(content) = self.schema.simple_content_type(ty) {
            let text = self.simple_value(content);
            self.out.push_str(&escape(&text));
        }
        for level in self.schema.lineage(ty) {
            if let Some(group) = &level.particle {
                self.group(level, group);
            }
        }
        self.open.pop();
    }

    fn group(&mut self, ty: &'s ComplexType, group: &'s Group) {
        match group.kind {
            GroupKind::Sequence | GroupKind::All => group.particles.iter().for_each(|p| self.particle(ty, p, false)),
            GroupKind::Choice => self.choice(ty, group),
        }
    }

    fn particle(&mut self, ty: &'s ComplexType, particle: &'s Particle, chosen: bool) {
        match particle {
            Particle::Element(field) => self.field(field),
            Particle::Group(inner) => self.group(ty, inner),
            // A chosen wildcard alternative stands for one element.
            Particle::Any(any) if chosen => {
                self.wildcard(ty, &mktows_wsdl::AnyParticle { min_occurs: 1, ..any.clone() })
            }
            Particle::Any(any) if any.min_occurs > 0 => self.wildcard(ty, any),
            Particle::Any(_) => self.note(format!("xs:any in type `{}`", ty.name.local)),
        }
    }

    /// A choice's alternatives in turn: a repeated choice writes as many occurrences as it
    /// has alternatives (as the schema allows), each the next one; a choice that occurs once
    /// takes the next alternative each time its type is written again.
    fn choice(&mut self, ty: &'s ComplexType, group: &'s Group) {
        let count = group.particles.len();
        if count == 0 {
            return;
        }
        let occurrences = match group.max_occurs {
            _ if self.out.len() > SIZE_BUDGET || self.open.len() >= MAX_NESTING => 1,
            MaxOccurs::Unbounded => count,
            MaxOccurs::Bounded(max) => count.min(max as usize).max(1),
        };
        let first = self.branch.get(&group.location).map_or(0, |(next, _, _)| *next);
        self.branch.insert(group.location, (first + occurrences, count, &ty.name.local));
        for i in 0..occurrences {
            self.particle(ty, &group.particles[(first + i) % count], true);
        }
    }

    /// Notes the choices some alternative of which no sample wrote.
    fn note_unwritten_branches(&mut self) {
        let mut types: Vec<&str> =
            self.branch.values().filter(|(next, count, _)| next < count).map(|(_, _, ty)| *ty).collect();
        types.sort();
        types.dedup();
        for ty in types {
            self.note(format!("the other branches of a choice in type `{ty}`"));
        }
    }

    /// The elements a required `xs:any` needs: in a namespace it allows (one of its own for
    /// `##any` and `##other`), holding text.
    fn wildcard(&mut self, ty: &ComplexType, any: &mktows_wsdl::AnyParticle) {
        let namespace = match any.namespace.split_whitespace().next().unwrap_or("##any") {
            "##local" => "",
            "##targetNamespace" => ty.name.namespace.as_str(),
            "##any" | "##other" => "urn:mktows:sample",
            listed => listed,
        };
        for _ in 0..any.min_occurs {
            self.out.push_str(&format!("<sampleAny xmlns=\"{}\">any</sampleAny>", escape(namespace)));
        }
    }

    /// A field's occurrences: once, or twice when repeated (the second nil if nillable),
    /// none when an optional field would recurse too deep.
    fn field(&mut self, field: &'s Field) {
        let count = self.occurrences(field);
        // A reference to an abstract head stands for a member of its substitution group.
        let member = field.reference.as_ref().and_then(|head| {
            let head = self.schema.element(head).filter(|h| h.is_abstract)?;
            self.schema.substitutes(&head.name).into_iter().find(|m| !m.is_abstract)
        });
        let (local, namespace, type_ref) = match member {
            Some(member) => (&member.name.local, member.name.namespace.as_str(), &member.type_ref),
            None => (&field.name, field.namespace.as_deref().unwrap_or(""), &field.type_ref),
        };
        for index in 0..count {
            let nil = field.nillable && field.is_repeated() && index == 1;
            self.element(local, namespace, type_ref, nil);
        }
    }

    fn occurrences(&mut self, field: &Field) -> u32 {
        let (min, max) = (field.min_occurs, field.max_occurs);
        // Enough occurrences of a repeated polymorphic element for each type to appear.
        let members = match &field.type_ref {
            TypeRef::Complex(name) => self.family(name).len() as u32,
            _ => 0,
        };
        let wanted = match max {
            MaxOccurs::Unbounded => min.max(2).max(members),
            MaxOccurs::Bounded(max) => min.max(2).max(members).min(max),
        };
        let too_deep = match &field.type_ref {
            TypeRef::Complex(name) => {
                self.open.iter().filter(|open| **open == name).count() >= RECURSION_DEPTH
                    || self.open.len() >= MAX_NESTING
            }
            _ => false,
        };
        let over_budget = self.out.len() > SIZE_BUDGET;
        if over_budget && (min < wanted) {
            self.note(format!("optional content past {} KiB of one sample", SIZE_BUDGET / 1024));
        }
        if too_deep || over_budget {
            min
        } else {
            wanted
        }
    }
}

fn type_name(type_ref: &TypeRef) -> Option<&QName> {
    match type_ref {
        TypeRef::Complex(name) | TypeRef::Simple(name) => Some(name),
        TypeRef::Builtin(_) => None,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
