//! What the generator cannot express yet, refused with the construct and its location.
//! The model holds all of it; each construct leaves this list when the plan and the
//! renderers learn it.

use std::collections::{HashMap, HashSet};

use mktows_wsdl::{
    Binding, Builtin, ComplexType, Field, Group, GroupKind, PartContent, Particle, Protocol, QName, Schema, Service,
    TypeRef, Wsdl,
};

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

/// Complex types must be a plain sequence of local elements today.
fn check_type(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    check_content(wsdl, ty)?;
    check_distinct_elements(wsdl, ty)?;
    for field in ty.fields() {
        check_field(wsdl, ty, field)?;
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
        let reached = roots(wsdl, op).into_iter().flat_map(|root| reachable(&uses, root));
        let blocked: Option<&Error> = reached.into_iter().find_map(|name| excluded.get(name));
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
            by_type.entry(&ty.name).or_default().extend(fields.chain(ty.base.as_ref()));
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
    let mut types = Vec::new();
    for message in messages {
        let parts = message.body.iter().map(|p| &p.content).chain(message.headers.iter().map(|h| &h.content));
        types.extend(parts.filter_map(|content| match content {
            PartContent::Element(element) => wsdl.schema.element(element).map(|e| &e.type_ref),
            PartContent::Type(type_ref) => Some(type_ref),
        }));
    }
    types
        .into_iter()
        .filter_map(|type_ref| match type_ref {
            TypeRef::Complex(name) => Some(name),
            _ => None,
        })
        .collect()
}

/// Every complex type a value of `root` can contain, `root` included.
fn reachable<'s>(uses: &Uses<'s>, root: &'s QName) -> Vec<&'s QName> {
    let mut seen: HashSet<&QName> = HashSet::new();
    let mut stack = vec![root];
    let mut order = Vec::new();
    while let Some(name) = stack.pop() {
        if !seen.insert(name) {
            continue;
        }
        order.push(name);
        stack.extend(uses.of_type(name));
    }
    order
}

fn check_content(wsdl: &Wsdl, ty: &ComplexType) -> Result<(), Error> {
    let context = format!("in complexType `{}`", ty.name.local);
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    if ty.simple_content.is_some() {
        return refuse("<xs:simpleContent>", ty.location);
    }
    if let Some(attribute) = ty.attributes.first() {
        return refuse(&format!("<xs:attribute> `{}`", attribute.name), attribute.location);
    }
    if ty.mixed {
        return refuse("mixed content", ty.location);
    }
    match &ty.particle {
        Some(group) => check_group(wsdl, group, &context),
        None => Ok(()),
    }
}

/// A sequence or `xs:all` occurring once, of elements and of sequences like itself (they
/// flatten into one struct); anything else is refused where it stands.
fn check_group(wsdl: &Wsdl, group: &Group, context: &str) -> Result<(), Error> {
    let refuse = |what: &str, location| Err(Error::unsupported(wsdl, format!("{what} {context}"), location));
    match group.kind {
        GroupKind::Choice => return refuse("<xs:choice>", group.location),
        // The elements of an `xs:all` come in any order: the reader matches them by name,
        // and the writer's schema order is one of the orders allowed.
        GroupKind::All if group.occurs_once() => {}
        GroupKind::All => return refuse("occurrence bounds on xs:all", group.location),
        GroupKind::Sequence if !group.occurs_once() => {
            return refuse("occurrence bounds on xs:sequence", group.location)
        }
        GroupKind::Sequence => {}
    }
    for particle in &group.particles {
        match particle {
            Particle::Element(_) => {}
            Particle::Any(any) => return refuse("<xs:any>", any.location),
            Particle::Group(inner) => check_group(wsdl, inner, context)?,
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
        let earlier = inherited.iter().chain(&own[..index]);
        if let Some(other) = earlier.into_iter().find(|f| f.name == field.name && f.namespace == field.namespace) {
            let what = format!(
                "element `{}` appears twice in the content of complexType `{}` (also at line {}); its children are read by name, not position",
                field.name, ty.name.local, other.location.line
            );
            return Err(Error::unsupported(wsdl, what, field.location));
        }
    }
    Ok(())
}

fn check_field(wsdl: &Wsdl, ty: &ComplexType, field: &Field) -> Result<(), Error> {
    let context = format!("`{}` in complexType `{}`", field.name, ty.name.local);
    let refuse = |what: &str| Err(Error::unsupported(wsdl, format!("{what} {context}"), field.location));
    if field.type_ref == TypeRef::Builtin(Builtin::AnyType) {
        return refuse("an element of `xs:anyType` (any content)");
    }
    Ok(())
}
