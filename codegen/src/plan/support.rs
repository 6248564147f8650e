//! What the generator cannot express yet, refused with the construct and its location.
//! The model holds all of it; each construct leaves this list when the plan and the
//! renderers learn it.

use std::collections::{HashMap, HashSet};

use mktows_wsdl::{
    Binding, ComplexType, Field, Group, GroupKind, MaxOccurs, PartContent, Particle, Protocol, QName, Schema, Service,
    TypeRef, Wsdl,
};

use super::groups;
use crate::Error;

/// The binding the client speaks, the service that names it, the port's address, and a
/// line saying which it is when the WSDL has several.
pub(crate) struct BindingChoice<'w> {
    pub binding: &'w Binding,
    pub service: Option<&'w Service>,
    pub endpoint: Option<String>,
    pub doc: Option<String>,
}

/// The model's default SOAP 1.1 binding (see `Wsdl::default_binding`), or its default SOAP
/// 1.2 one when there is no 1.1 binding or `prefer_soap12` asks for it. Bindings of other
/// protocols (HTTP GET/POST, say) are ignored.
pub(crate) fn choose_binding(wsdl: &Wsdl, prefer_soap12: bool) -> Result<BindingChoice<'_>, Error> {
    let order = match prefer_soap12 {
        true => [Protocol::Soap12, Protocol::Soap11],
        false => [Protocol::Soap11, Protocol::Soap12],
    };
    let Some(choice) = order.iter().find_map(|protocol| wsdl.default_binding(protocol)) else {
        return Err(Error {
            message: "missing a SOAP 1.1 or SOAP 1.2 wsdl:binding".into(),
            location: None,
            file: Some(wsdl.source_name.clone()),
        });
    };
    let soap_bindings =
        wsdl.bindings.iter().filter(|b| matches!(b.protocol, Protocol::Soap11 | Protocol::Soap12)).count();
    let doc = (soap_bindings > 1).then(|| {
        let version = if choice.binding.protocol == Protocol::Soap12 { "SOAP 1.2" } else { "SOAP 1.1" };
        let port = match (choice.service, choice.port) {
            (Some(service), Some(port)) => format!(", port `{}` of service `{}`", port.name, service.name),
            _ => String::new(),
        };
        format!(
            "The client speaks binding `{}` ({version}){port}, one of the WSDL's {soap_bindings} SOAP bindings; `Client::new` takes the endpoint, so another port's address works too.",
            choice.binding.name.local
        )
    });
    Ok(BindingChoice {
        binding: choice.binding,
        service: choice.service,
        endpoint: choice.port.and_then(|p| p.address.clone()),
        doc,
    })
}

/// What a complex type may hold today: see `check_content`.
fn check_type(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    check_content(wsdl, ty)?;
    // Choices and repeated groups are checked by `check_levels`; a flat struct here.
    if ty.particle.as_ref().is_none_or(is_flat) {
        check_distinct_elements(wsdl, ty)?;
    }
    Ok(())
}

/// What the generator can write of a WSDL: the model without the complex types it cannot
/// write (or that use one it cannot), the binding without the operations that reach one,
/// and what was left out with why (`"X: reason"`), so that one odd type or operation does
/// not stop the rest.
pub(crate) struct Supported {
    pub wsdl: Wsdl,
    pub binding: Binding,
    pub types_left_out: Vec<String>,
    pub operations_left_out: Vec<String>,
}

pub(crate) fn supported_schema(wsdl: &Wsdl, binding: &Binding) -> Supported {
    let wsdl = &super::normalize::normalized(wsdl);
    let schema = &wsdl.schema;
    let mut excluded: HashMap<&QName, Error> = HashMap::new();
    for ty in &schema.complex_types {
        if let Err(error) = check_type(wsdl, ty) {
            excluded.insert(&ty.name, error);
        }
    }
    let uses = Uses::of(schema);
    // A type that uses a left-out type cannot be written either.
    loop {
        let before = excluded.len();
        for ty in &schema.complex_types {
            if excluded.contains_key(&ty.name) {
                continue;
            }
            if let Some(used) = uses.of_type(&ty.name).iter().find(|u| excluded.contains_key(*u)) {
                let error = excluded[used].clone();
                excluded.insert(&ty.name, error);
            }
        }
        if excluded.len() == before {
            break;
        }
    }
    let mut kept = binding.clone();
    let mut operations_left_out = Vec::new();
    kept.operations.retain(|op| {
        // `excluded` holds every type that reaches a left-out one, so an operation is blocked
        // exactly when one of its own types is: no walk per operation (Cisco AXL has a
        // thousand operations, each reaching thousands of types).
        let blocked: Option<&Error> = roots(wsdl, op).into_iter().find_map(|root| excluded.get(root));
        if let Some(error) = blocked {
            operations_left_out.push(format!("`{}`: {error}", op.name));
        }
        blocked.is_none()
    });
    let mut filtered = wsdl.clone();
    filtered.schema.complex_types.retain(|t| !excluded.contains_key(&t.name));
    let mut types_left_out: Vec<String> =
        excluded.iter().map(|(name, error)| format!("`{}`: {error}", name.local)).collect();
    types_left_out.sort();
    Supported { wsdl: filtered, binding: kept, types_left_out, operations_left_out }
}

/// `binding` with only the operations `names` names, in the binding's order.
pub(crate) fn only_operations(wsdl: &Wsdl, binding: &Binding, names: &[String]) -> Result<Binding, Error> {
    let known = binding.operations.iter().map(|op| &op.name).chain(binding.unusable.iter().map(|u| &u.name));
    let known: HashSet<&String> = known.collect();
    if let Some(unknown) = names.iter().find(|name| !known.contains(name)) {
        let message = format!(
            "no operation `{unknown}` in binding `{}` (it has {}; names are the WSDL's, as `{}`)",
            binding.name.local,
            known.len(),
            binding.operations.first().map_or("getThing", |op| op.name.as_str()),
        );
        return Err(Error::at(wsdl, message, binding.location));
    }
    let mut only = binding.clone();
    only.operations.retain(|op| names.contains(&op.name));
    only.unusable.retain(|u| names.contains(&u.name));
    Ok(only)
}

/// Drops the complex types no kept operation reaches (through its body, headers and typed
/// faults, fields, bases and extensions); simple types stay, they cost little to build.
///
/// A type is reached as a value (a field of it may hold any extension, so its whole family
/// is kept) or as a base (only its own fields are inherited): Cisco AXL's responses all
/// extend one `APIResponse`, and keeping its family for every response would keep them all.
pub(crate) fn keep_reached_types(supported: &mut Supported) {
    let schema = &supported.wsdl.schema;
    let derived = schema.all_derived_types();
    let faults = supported.binding.operations.iter().flat_map(|op| &op.faults).flat_map(|f| &f.parts);
    let fault_roots = complex_types_of(&supported.wsdl, faults.map(|part| &part.content));
    let roots = supported.binding.operations.iter().flat_map(|op| roots(&supported.wsdl, op)).chain(fault_roots);
    // (type, whether reached as a value): a value also needs every extension's struct.
    let mut stack: Vec<(&QName, bool)> = roots.map(|root| (root, true)).collect();
    let (mut as_value, mut as_struct): (HashSet<&QName>, HashSet<&QName>) = (HashSet::new(), HashSet::new());
    while let Some((name, value)) = stack.pop() {
        if value && as_value.insert(name) {
            stack.extend(derived.get(name).into_iter().flatten().map(|d| (&d.name, false)));
        }
        let Some(ty) = schema.complex_type(name).filter(|_| as_struct.insert(name)) else { continue };
        stack.extend(ty.base.iter().map(|base| (base, false)));
        if let Some(TypeRef::Complex(text_base)) = &ty.simple_content {
            stack.push((text_base, false));
        }
        stack.extend(ty.fields().into_iter().filter_map(|f| match &f.type_ref {
            TypeRef::Complex(field_type) => Some((field_type, true)),
            _ => None,
        }));
    }
    let kept: HashSet<QName> = as_struct.into_iter().cloned().collect();
    supported.wsdl.schema.complex_types.retain(|t| kept.contains(&t.name));
}

/// For each complex type, the complex types a value of it can hold directly: its fields'
/// types, its base, and the types that extend it (a field of it may hold any of them).
/// Computed once: the checks below ask for every type, and for every operation's types.
struct Uses<'s> {
    by_type: HashMap<&'s QName, Vec<&'s QName>>,
}

impl<'s> Uses<'s> {
    fn of(schema: &'s Schema) -> Self {
        let mut by_type: HashMap<&'s QName, Vec<&'s QName>> = HashMap::new();
        for ty in &schema.complex_types {
            let fields = ty.fields().into_iter().filter_map(|f| match &f.type_ref {
                TypeRef::Complex(name) => Some(name),
                _ => None,
            });
            // Simple content derived from a complex type takes its attributes.
            let text_base = match &ty.simple_content {
                Some(TypeRef::Complex(name)) => Some(name),
                _ => None,
            };
            by_type.entry(&ty.name).or_default().extend(fields.chain(ty.base.as_ref()).chain(text_base));
        }
        for ty in &schema.complex_types {
            if let Some(base) = &ty.base {
                by_type.entry(base).or_default().push(&ty.name);
            }
        }
        Self { by_type }
    }

    fn of_type(&self, name: &QName) -> &[&'s QName] {
        self.by_type.get(name).map(Vec::as_slice).unwrap_or_default()
    }
}

/// The complex types of an operation's body and header parts (`element=` or `type=`).
fn roots<'w>(wsdl: &'w Wsdl, op: &'w mktows_wsdl::Operation) -> Vec<&'w QName> {
    let messages = std::iter::once(&op.input).chain(op.output.as_ref());
    let contents = messages.flat_map(|m| m.body.iter().map(|p| &p.content).chain(m.headers.iter().map(|h| &h.content)));
    complex_types_of(wsdl, contents).collect()
}

/// The complex types of parts (`element=` or `type=`).
fn complex_types_of<'w>(
    wsdl: &'w Wsdl,
    contents: impl Iterator<Item = &'w PartContent>,
) -> impl Iterator<Item = &'w QName> {
    contents
        .filter_map(|content| match content {
            PartContent::Element(element) => wsdl.schema.element(element).map(|e| &e.type_ref),
            PartContent::Type(type_ref) => Some(type_ref),
        })
        .filter_map(|type_ref| match type_ref {
            TypeRef::Complex(name) => Some(name),
            _ => None,
        })
}

fn check_content(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let context = format!("in complexType `{}`", ty.name.local);
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    // Text between child elements has no place in a struct of fields: a mixed type is kept
    // whole as raw XML (`AnyXml`, see `types`), which an extension cannot add fields to.
    let lineage = wsdl.schema.lineage(ty);
    if let Some(mixed) = lineage.iter().find(|t| t.mixed && t.name != ty.name) {
        return refuse(&format!("an extension of the mixed-content type `{}`", mixed.name.local), ty.location);
    }
    if ty.mixed && ty.base.is_some() {
        return refuse("mixed content in an extension", ty.location);
    }
    if ty.mixed {
        return Ok(());
    }
    if let (Some(array_type), None) = (&ty.array_type, &ty.particle) {
        return refuse(&format!("a SOAP-encoded array of `{array_type}` (only `T[]` of a named type)"), ty.location);
    }
    check_simple_content(wsdl, ty, &context)?;
    check_attributes(wsdl, ty)?;
    if let Some(group) = &ty.particle {
        check_group(wsdl, group, &context, 1, false)?;
    }
    let particles: Vec<&Group> = wsdl.schema.lineage(ty).into_iter().filter_map(|t| t.particle.as_ref()).collect();
    check_levels(wsdl, ty, &particles)
}

/// Simple content ends at a simple type, and element content does not extend it.
fn check_simple_content(wsdl: &Wsdl, ty: &ComplexType, context: &str) -> Result<(), Error> {
    let schema = &wsdl.schema;
    let refuse = |what: String| Err(Error::unsupported(wsdl, format!("{what} {context}"), ty.location));
    if ty.simple_content.is_some() && schema.simple_content_type(ty).is_none() {
        return refuse("simpleContent whose base has element content (or derives from itself)".into());
    }
    let lineage = schema.lineage(ty);
    if let Some(base) = lineage.iter().rev().skip(1).find(|t| t.simple_content.is_some()) {
        return refuse(format!("complexContent extension of the simpleContent type `{}`", base.name.local));
    }
    Ok(())
}

/// Attributes hold simple values, and their fields have names of their own.
fn check_attributes(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let schema = &wsdl.schema;
    for attribute in schema.all_attributes(ty) {
        if let TypeRef::Complex(name) = &attribute.type_ref {
            let what = format!("attribute `{}` of the complex type `{}`", attribute.name, name.local);
            return Err(Error::unsupported(wsdl, what, attribute.location));
        }
    }
    match super::attributes::field_names(schema, ty) {
        Ok(_) => Ok(()),
        Err(message) => Err(Error::at(wsdl, message, ty.location)),
    }
}

/// How many groups may nest in a complex type (the outermost included): a choice in a
/// sequence in a choice in the type's sequence, say.
const MAX_GROUP_DEPTH: usize = 4;

/// Sequences, `xs:all` and choices, with occurrence bounds, nested up to [`MAX_GROUP_DEPTH`];
/// `xs:any` where a struct reads it (not inside a choice or a group read as a unit).
fn check_group(wsdl: &Wsdl, group: &Group, context: &str, depth: usize, in_unit: bool) -> Result<(), Error> {
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    if depth > MAX_GROUP_DEPTH {
        return refuse(&format!("groups nested more than {MAX_GROUP_DEPTH} deep"), group.location);
    }
    if group.kind == GroupKind::All && group.max_occurs != MaxOccurs::Bounded(1) {
        return refuse("a repeated xs:all", group.location);
    }
    // A choice's `xs:any` alternative takes the children no other member of the struct
    // reading the choice names; a choice read inside another unit has no such rest.
    if groups::has_any_alternative(group) && in_unit {
        return refuse("a choice with an <xs:any> alternative inside a choice or a repeated sequence", group.location);
    }
    let alternative_any = group.kind == GroupKind::Choice;
    let in_unit = in_unit || groups::has_own_type(group);
    if group.kind == GroupKind::Choice {
        check_alternatives(wsdl, group, context)?;
    }
    for particle in &group.particles {
        match particle {
            Particle::Element(_) => {}
            Particle::Any(_) if alternative_any => {}
            Particle::Any(any) if in_unit => {
                return refuse("<xs:any> inside a choice or a repeated sequence", any.location)
            }
            Particle::Any(_) => {}
            Particle::Group(inner) => check_group(wsdl, inner, context, depth + 1, in_unit)?,
        }
    }
    Ok(())
}

/// The reader tells a type's children apart by name (and namespace, where two share a
/// local name), not by position: one element twice in a content model (`a, b, a`) cannot
/// be read back into the right field.
fn check_distinct_elements(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let own = ty.fields();
    let inherited: Vec<&Field> = match &ty.base {
        Some(base) => wsdl.schema.complex_type(base).map(|b| wsdl.schema.all_fields(b)).unwrap_or_default(),
        None => Vec::new(),
    };
    for (index, field) in own.iter().enumerate() {
        let same = |f: &&&Field| f.name == field.name && f.namespace == field.namespace;
        // An extension that declares an inherited element again, of the same type (PayPal's
        // responses do), adds nothing a reader by name could tell apart: it is one field.
        if inherited.iter().any(|f| same(&f) && f.type_ref == field.type_ref) {
            continue;
        }
        let earlier = inherited.iter().chain(&own[..index]);
        if let Some(other) = earlier.into_iter().find(same) {
            let what = format!(
                "element `{}` appears twice in the content of complexType `{}` (also at line {}); its children are read by name, not position",
                field.name, ty.name.local, other.location.line
            );
            return Err(Error::unsupported(wsdl, what, field.location));
        }
    }
    Ok(())
}

/// Whether `group` flattens into one struct: sequences and `xs:all` occurring once, all
/// the way down.
fn is_flat(group: &Group) -> bool {
    group.kind != GroupKind::Choice
        && group.occurs_once()
        && group.particles.iter().all(|p| match p {
            Particle::Group(inner) => is_flat(inner),
            Particle::Element(_) | Particle::Any(_) => true,
        })
}

/// Each alternative of a choice must start with elements of its own, so that the first
/// child says which alternative it is.
fn check_alternatives(wsdl: &Wsdl, choice: &Group, context: &str) -> Result<(), Error> {
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    let (mut seen, mut anys): (HashSet<String>, usize) = (HashSet::new(), 0);
    for particle in &choice.particles {
        let starts = match particle {
            Particle::Any(any) if any.max_occurs != MaxOccurs::Bounded(1) || anys > 0 => {
                return refuse("a repeated <xs:any>, or two, as alternatives of xs:choice", any.location)
            }
            Particle::Any(_) => {
                anys += 1;
                Vec::new()
            }
            Particle::Group(inner) if inner.max_occurs != MaxOccurs::Bounded(1) => {
                return refuse("a repeated group as an alternative of xs:choice", inner.location)
            }
            Particle::Group(inner) if groups::starts(inner).is_empty() => {
                return refuse("an alternative of xs:choice without elements", inner.location)
            }
            Particle::Group(inner) => groups::starts(inner),
            Particle::Element(field) => vec![field.name.clone()],
        };
        if let Some(name) = starts.into_iter().find(|name| !seen.insert(name.clone())) {
            return refuse(&format!("ambiguous <xs:choice> (two alternatives start with `{name}`)"), choice.location);
        }
    }
    Ok(())
}

/// Where a type has groups read as units, the names each reader matches must tell its
/// fields apart (one `xs:any` at most per struct).
fn check_levels(wsdl: &Wsdl, ty: &ComplexType, particles: &[&Group]) -> Result<(), Error> {
    let context = format!("in complexType `{}`", ty.name.local);
    let mut levels: Vec<(Vec<String>, usize)> = Vec::new();
    let (mut names, mut units, mut anys) = (Vec::new(), Vec::new(), 0);
    for group in particles {
        level(group, &mut names, &mut units, &mut anys);
    }
    if units.is_empty() {
        return Ok(());
    }
    levels.push((names, anys));
    while let Some(unit) = units.pop() {
        let (mut names, mut anys) = (Vec::new(), 0);
        match unit.kind {
            GroupKind::Choice => {
                for particle in &unit.particles {
                    if let Particle::Group(inner) = particle {
                        level(inner, &mut names, &mut units, &mut anys);
                    }
                }
            }
            _ => level_of(&unit.particles, &mut names, &mut units, &mut anys),
        }
        levels.push((names, anys));
    }
    for (names, anys) in levels {
        if anys > 1 {
            let location = ty.location;
            return Err(Error::unsupported(wsdl, format!("two <xs:any> in one group {context}"), location));
        }
        let mut seen = HashSet::new();
        if let Some(name) = names.into_iter().find(|name| !seen.insert(name.clone())) {
            let what = format!("element `{name}` that can start two members (ambiguous) {context}");
            return Err(Error::unsupported(wsdl, what, ty.location));
        }
    }
    Ok(())
}

/// The names one reader matches in `group` (flattened groups included, a group of its own
/// type by its first elements), the groups read as units of their own, and the wildcards.
fn level<'g>(group: &'g Group, names: &mut Vec<String>, units: &mut Vec<&'g Group>, anys: &mut usize) {
    if groups::has_own_type(group) {
        names.extend(groups::starts(group));
        // Its `xs:any` alternative takes what no name at this level matches.
        *anys += usize::from(groups::has_any_alternative(group));
        units.push(group);
        return;
    }
    level_of(&group.particles, names, units, anys);
}

fn level_of<'g>(particles: &'g [Particle], names: &mut Vec<String>, units: &mut Vec<&'g Group>, anys: &mut usize) {
    for particle in particles {
        match particle {
            Particle::Element(field) => names.push(field.name.clone()),
            Particle::Any(_) => *anys += 1,
            Particle::Group(inner) => level(inner, names, units, anys),
        }
    }
}
