//! Types: what each schema type becomes in Rust, with its docs, derives and boxing.

use std::collections::{HashMap, HashSet};

use mktows_wsdl::{Builtin, ComplexType, QName, Schema, SimpleType, TypeRef, Wsdl};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::attributes::{self, AttributePlan, ValuePlan};
use super::fields::{FieldPlan, Shape};
use super::groups::{ChoicePlan, GroupNames, Grouping, Member};
use super::namespaces::Namespaces;
use super::naming::{first_free, TypeNames};
use super::recursion::Containment;
use crate::names::variant_name;
use crate::Error;

/// One generated type.
pub(crate) enum TypePlan {
    /// A simple type without enumeration: `pub type X = base;`.
    Alias(AliasPlan),
    /// An enumeration, with a fallback variant for values a newer WSDL adds.
    Enum(EnumPlan),
    /// A concrete complex type.
    Struct(StructPlan),
    /// An abstract complex type: an enum over its extensions, told apart by `xsi:type`.
    Polymorphic(PolymorphicPlan),
    /// An `xs:choice` of a complex type: an enum over its alternatives.
    Choice(ChoicePlan),
    /// A sequence of a complex type read as a group of siblings (it repeats, or is an
    /// alternative of a choice).
    Group(StructPlan),
}

pub(crate) struct AliasPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    /// The Rust type of the base.
    pub rust_base: TokenStream,
}

pub(crate) struct EnumPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub variants: Vec<EnumVariant>,
    /// The variant that keeps an unknown value (`Unknown`, or another name when a value
    /// takes that one).
    pub fallback: Ident,
    /// Whether an attribute or a simple-content text has this type, and so the enum needs
    /// `SimpleValue`.
    pub simple_value: bool,
    /// The schema type's name, for messages on a value that does not parse.
    pub schema_name: String,
}

pub(crate) struct EnumVariant {
    pub ident: Ident,
    /// The value as sent.
    pub value: String,
    pub docs: Vec<String>,
}

pub(crate) struct StructPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    /// Whether `Default` can be derived without inventing a value the schema rejects.
    pub derive_default: bool,
    /// Whether a polymorphic enum sends this type with `xsi:type`, and so needs its child
    /// elements written apart from its start and end tags.
    pub is_variant: bool,
    /// Inherited fields first.
    pub fields: Vec<FieldPlan>,
    /// The attributes, inherited ones first; written in the start tag.
    pub attributes: Vec<AttributePlan>,
    /// For simple content, the element's text.
    pub value: Option<ValuePlan>,
    /// A SOAP-encoded array's one field takes every child element, whatever its name:
    /// toolkits name members `item`, `Item`, after their type or after the array.
    pub members_of_any_name: bool,
    /// A list: one repeated field and nothing else (`ArrayOfString { string_item: Vec<_> }`),
    /// which converts from and to its items like a `Vec`.
    pub is_list: bool,
}

/// A member a constructor takes: its field and type.
pub(crate) struct ConstructorParam<'p> {
    pub ident: &'p Ident,
    pub rust_type: &'p TokenStream,
}

impl StructPlan {
    /// What `new` takes, for a struct that cannot derive `Default`: the members that have
    /// no empty value (required elements and attributes, and the text of simple content),
    /// in declaration order. The others start empty. `None` when there is nothing to take
    /// (then there is no `new`: struct syntax says as much).
    pub(crate) fn constructor_params(&self) -> Option<Vec<ConstructorParam<'_>>> {
        if self.derive_default {
            return None;
        }
        let attributes = self.attributes.iter().filter(|a| a.required);
        let attributes = attributes.map(|a| ConstructorParam { ident: &a.ident, rust_type: &a.rust_type });
        let value = self.value.iter().map(|v| ConstructorParam { ident: &v.ident, rust_type: &v.rust_type });
        let fields = self.fields.iter().filter(|f| f.shape == Shape::Required);
        let fields = fields.map(|f| ConstructorParam { ident: &f.ident, rust_type: &f.rust_type });
        let params: Vec<_> = attributes.chain(value).chain(fields).collect();
        (!params.is_empty()).then_some(params)
    }

    /// One repeated field, no attributes, no text.
    pub(crate) fn list_shaped(fields: &[FieldPlan], attributes: &[AttributePlan], value: &Option<ValuePlan>) -> bool {
        matches!(fields, [only] if only.shape == Shape::Repeated) && attributes.is_empty() && value.is_none()
    }
}

pub(crate) struct PolymorphicPlan {
    pub ident: Ident,
    pub docs: Vec<String>,
    pub variants: Vec<PolymorphicVariant>,
    /// For a concrete base, its own variant: the one an element without `xsi:type` is.
    pub default_variant: Option<Ident>,
    /// The variants hold their structs boxed (`Account(Box<Account>)`), so that the enum is
    /// the size of a pointer rather than of its largest member (see [`boxes_variants`]).
    pub boxed: bool,
}

pub(crate) struct PolymorphicVariant {
    /// Both the variant and the struct it holds.
    pub ident: Ident,
    /// The `xsi:type` value written: the type's name, prefixed when it is not in the service
    /// namespace.
    pub xsi_type: String,
    /// The type's local name, which reading matches; and its namespace, which reading checks
    /// only where two variants share the local name.
    pub type_local: String,
    pub type_namespace: String,
    /// Whether the start tag carries `xsi:type` (not for a concrete base's own values).
    pub typed: bool,
    /// Whether the type has attributes, which its struct writes into the start tag.
    pub has_attributes: bool,
    pub docs: Vec<String>,
}

/// The types a value of an extended type may have.
struct Family<'s> {
    variants: Vec<&'s ComplexType>,
    /// A concrete base keeps its struct, and its family is an enum of its own (`AnyB`).
    concrete_base: bool,
}

/// What the plan needs to know about the schema as a whole: which types are polymorphic.
pub(crate) struct Analysis<'s> {
    pub(super) schema: &'s Schema,
    /// Every schema type's Rust name.
    pub(crate) names: TypeNames,
    /// Extended types and the concrete types a value of them may have, in document order
    /// (a concrete base first, itself).
    polymorphic: HashMap<&'s QName, Family<'s>>,
    /// Concrete types that appear as a variant of some polymorphic enum.
    variants: HashSet<&'s QName>,
    /// Which values can hold which structs inline, to decide boxing.
    containment: Containment<'s>,
    /// Whether each complex type can derive `Default`.
    defaults: HashMap<&'s QName, bool>,
}

impl<'s> Analysis<'s> {
    pub(crate) fn new(wsdl: &'s Wsdl) -> Result<Self, Error> {
        let schema = &wsdl.schema;
        let mut polymorphic = HashMap::new();
        let mut variants = HashSet::new();
        let all_derived = schema.all_derived_types();
        for ty in &schema.complex_types {
            let derived: Vec<&ComplexType> =
                all_derived.get(&ty.name).into_iter().flatten().copied().filter(|t| !t.is_abstract).collect();
            if derived.is_empty() {
                // An abstract type nothing extends is generated as a plain struct: only its
                // own fields can be sent.
                continue;
            }
            let concrete_base = !ty.is_abstract;
            let members: Vec<&ComplexType> = concrete_base.then_some(ty).into_iter().chain(derived).collect();
            variants.extend(members.iter().map(|t| &t.name));
            polymorphic.insert(&ty.name, Family { variants: members, concrete_base });
        }
        let containment = Containment::new(schema, |name| concrete_types(&polymorphic, schema, name));
        let defaults = super::defaults::defaults(schema, |name| polymorphic.contains_key(name));
        Ok(Self { schema, names: TypeNames::new(schema), polymorphic, variants, containment, defaults })
    }

    /// The Rust type of one value of `type_ref` (before the occurrence wrapper).
    pub(super) fn value_type(&self, type_ref: &TypeRef) -> TokenStream {
        match type_ref {
            TypeRef::Builtin(builtin) => builtin_type(*builtin),
            TypeRef::Complex(name) if self.polymorphic.contains_key(name) => {
                let ty = self.family_ident(name);
                quote!(#ty)
            }
            TypeRef::Simple(name) | TypeRef::Complex(name) => {
                let ty = self.names.ident(name);
                quote!(#ty)
            }
        }
    }

    /// The enum of an extended type: its own name when abstract, `AnyB` for a concrete `B`.
    fn family_ident(&self, base: &QName) -> Ident {
        let ident = self.names.ident(base);
        match self.polymorphic.get(base) {
            Some(family) if family.concrete_base => format_ident!("Any{ident}"),
            _ => ident,
        }
    }

    /// Whether a value of `from` can contain a `target` without going through a `Vec`.
    pub(super) fn reaches(&self, from: &TypeRef, target: &QName) -> bool {
        if let TypeRef::Complex(name) = from {
            if let Some(answer) = self.containment.holds_its_owner(name, target) {
                return answer;
            }
        }
        let mut stack = vec![from];
        let mut seen = HashSet::new();
        while let Some(current) = stack.pop() {
            let TypeRef::Complex(name) = current else { continue };
            if name == target {
                return true;
            }
            if !seen.insert(name) {
                continue;
            }
            for ty in self.concrete_types(name) {
                // A value of a family may be the target itself (a concrete base, or an
                // extension holding a field of its own base).
                if &ty.name == target {
                    return true;
                }
                for field in self.schema.all_fields(ty) {
                    if !Shape::of(field).is_repeated() {
                        stack.push(&field.type_ref);
                    }
                }
            }
        }
        false
    }

    /// The concrete types a value of `name` may have: its variants when it is abstract.
    fn concrete_types(&self, name: &QName) -> Vec<&'s ComplexType> {
        concrete_types(&self.polymorphic, self.schema, name)
    }

    /// Whether `Default` can be derived for `ty` (see [`defaults`](super::defaults)).
    fn has_default(&self, ty: &ComplexType) -> bool {
        // A message's struct may share a schema type's name, and is not in the table.
        let in_schema = self.schema.complex_type(&ty.name).is_some_and(|t| std::ptr::eq(t, ty));
        match self.defaults.get(&ty.name).filter(|_| in_schema) {
            Some(&decided) => decided,
            None => {
                let polymorphic = |name: &QName| self.polymorphic.contains_key(name);
                super::defaults::has_default_outside(self.schema, ty, polymorphic, &self.defaults)
            }
        }
    }
}

fn concrete_types<'s>(
    polymorphic: &HashMap<&'s QName, Family<'s>>,
    schema: &'s Schema,
    name: &QName,
) -> Vec<&'s ComplexType> {
    match polymorphic.get(name) {
        Some(family) => family.variants.clone(),
        None => schema.complex_type(name).into_iter().collect(),
    }
}

/// Where a type is used as a message body or header, for its documentation.
pub(crate) struct Usage {
    /// Type -> lines such as "The request of [`Client::sync_lead`](super::Client::sync_lead)".
    lines: HashMap<QName, Vec<String>>,
}

impl Usage {
    /// `client`: whether there is a `Client` to link to.
    pub(crate) fn of(schema: &Schema, operations: &[super::OperationPlan], client: bool) -> Self {
        let mut lines: HashMap<QName, Vec<String>> = HashMap::new();
        let element_type = |element: &QName| match schema.element(element).map(|e| &e.type_ref) {
            Some(TypeRef::Complex(name)) => Some(name.clone()),
            _ => None,
        };
        for op in operations {
            let method = op.method.to_string();
            let link = match client {
                true => format!("[`Client::{method}`](super::Client::{method})"),
                false => format!("the operation `{}`", op.name),
            };
            if let Some(ty) = element_type(&op.input_qname) {
                lines
                    .entry(ty)
                    .or_default()
                    .push(format!("The request of {link}: the body element `{}`.", op.input_qname.local));
            }
            if let Some(ty) = element_type(&op.output_qname) {
                lines
                    .entry(ty)
                    .or_default()
                    .push(format!("The response of {link}: the body element `{}`.", op.output_qname.local));
            }
            for header in &op.all_headers {
                if let Some(ty) = element_type(header) {
                    let line = format!("The SOAP header `{}`.", header.local);
                    let entry = lines.entry(ty).or_default();
                    if !entry.contains(&line) {
                        entry.push(line);
                    }
                }
            }
        }
        Self { lines }
    }

    fn of_type(&self, name: &QName) -> &[String] {
        self.lines.get(name).map(Vec::as_slice).unwrap_or_default()
    }
}

pub(crate) fn plan_types(
    schema: &Schema,
    analysis: &Analysis<'_>,
    usage: &Usage,
    namespaces: &Namespaces,
) -> Vec<TypePlan> {
    let values = simple_values(schema);
    let simple = schema.simple_types.iter().map(|simple| simple_type(simple, &analysis.names, &values));
    let mut group_names = GroupNames::new(analysis.names.all());
    let mut plans: Vec<TypePlan> = simple.collect();
    for ty in &schema.complex_types {
        let usage = usage.of_type(&ty.name);
        let mut structure = |usage| structure(ty, analysis, usage, namespaces, &mut group_names);
        if ty.mixed && !analysis.polymorphic.contains_key(&ty.name) {
            plans.push(TypePlan::Alias(mixed(ty, analysis, usage)));
            continue;
        }
        match analysis.polymorphic.get(&ty.name) {
            Some(family) => {
                let ident = analysis.family_ident(&ty.name);
                let family_plan = polymorphic(ty, family, ident, usage, namespaces, analysis);
                if family.concrete_base {
                    let (base, groups) = structure(&[]);
                    plans.push(TypePlan::Struct(base));
                    plans.extend(groups);
                }
                plans.push(TypePlan::Polymorphic(family_plan));
            }
            None => {
                let (plan, groups) = structure(usage);
                plans.push(TypePlan::Struct(plan));
                plans.extend(groups);
            }
        }
    }
    plans
}

/// A mixed-content type (text between its child elements) is kept whole: its attributes and
/// content as raw XML, which `AnyXml::content` gives and `parse` reads as any type.
fn mixed(ty: &ComplexType, analysis: &Analysis<'_>, usage: &[String]) -> AliasPlan {
    let schema_line = format!(
        "Schema type `{}`, of mixed content (text between its child elements): kept as raw XML.",
        ty.name.local
    );
    let mut docs = vec![ty.doc.clone().unwrap_or_default(), schema_line];
    docs.extend(usage.iter().cloned());
    AliasPlan { ident: analysis.names.ident(&ty.name), docs, rust_base: quote!(AnyXml) }
}

/// The simple types that attributes and simple-content texts have.
fn simple_values(schema: &Schema) -> HashSet<&QName> {
    let mut values = HashSet::new();
    for ty in &schema.complex_types {
        let attributes = ty.attributes.iter().map(|a| &a.type_ref);
        for type_ref in attributes.chain(schema.simple_content_type(ty)) {
            if let TypeRef::Simple(name) = type_ref {
                values.insert(name);
            }
        }
    }
    values
}

fn simple_type(simple: &SimpleType, names: &TypeNames, values: &HashSet<&QName>) -> TypePlan {
    let ident = names.ident(&simple.name);
    let schema_line = match (&simple.variety, &simple.restricts) {
        (Some(variety), _) => format!("Schema type `{}`, {variety}.", simple.name.local),
        (None, Some(base)) => format!(
            "Schema type `{}`, a restriction of `{}` (and so of `{}`).",
            simple.name.local,
            base.local,
            xsd_name(simple.base)
        ),
        (None, None) => format!("Schema type `{}`, a restriction of `{}`.", simple.name.local, xsd_name(simple.base)),
    };
    let mut docs = vec![simple.doc.clone().unwrap_or_default(), schema_line];
    if !simple.facets.is_empty() {
        let facets: Vec<String> = simple.facets.iter().map(|f| format!("`{}` {}", f.kind, f.value)).collect();
        docs.push(format!("Facets (not checked by this client): {}.", facets.join(", ")));
    }
    if simple.enumeration.is_empty() {
        return TypePlan::Alias(AliasPlan { ident, docs, rust_base: builtin_type(simple.base) });
    }
    let variants = enum_variants(simple);
    let taken: HashSet<String> = variants.iter().map(|v| v.ident.to_string()).collect();
    let fallback = ["Unknown", "Other", "UnknownValue"].into_iter().find(|f| !taken.contains(*f));
    let fallback = format_ident!("{}", fallback.unwrap_or("UnrecognizedValue"));
    let (simple_value, schema_name) = (values.contains(&simple.name), simple.name.local.clone());
    TypePlan::Enum(EnumPlan { ident, docs, variants, fallback, simple_value, schema_name })
}

/// One variant per distinct value. Values that map to one Rust name (`self` and `Self`,
/// `1.5` and `15`) get `SelfValue`, `SelfValue2`, ... in schema order, so names are stable.
fn enum_variants(simple: &SimpleType) -> Vec<EnumVariant> {
    let mut variants: Vec<EnumVariant> = Vec::new();
    // Sets, not scans of `variants`: an enumeration may have 100,000 values.
    let (mut values, mut names) = (HashSet::new(), HashSet::new());
    for value in &simple.enumeration {
        // A value listed twice is one value.
        if !values.insert(value.value.as_str()) {
            continue;
        }
        let base = variant_name(&value.value);
        let name = first_free(&base, "", |candidate| names.contains(candidate));
        names.insert(name.clone());
        let mut docs = vec![value.doc.clone().unwrap_or_default(), format!("`{}`", value.value)];
        if name != base {
            docs.push(format!("Named `{name}`: another value takes `{base}`."));
        }
        variants.push(EnumVariant { ident: format_ident!("{}", name), value: value.value.clone(), docs });
    }
    variants
}

fn polymorphic(
    base: &ComplexType,
    family: &Family<'_>,
    ident: Ident,
    usage: &[String],
    namespaces: &Namespaces,
    analysis: &Analysis<'_>,
) -> PolymorphicPlan {
    let names = &analysis.names;
    let schema_line = match family.concrete_base {
        false => format!(
            "Schema type `{}` (abstract). A value is one of its extensions, sent with `xsi:type`.",
            base.name.local
        ),
        true => format!(
            "Schema type `{0}` or one of its extensions: a [`{0}`] is sent as it is, an extension with `xsi:type`.",
            base.name.local
        ),
    };
    let mut docs = vec![base.doc.clone().unwrap_or_default(), schema_line];
    docs.extend(usage.iter().cloned());
    let variants: Vec<PolymorphicVariant> = family
        .variants
        .iter()
        .map(|t| {
            let typed = t.name != base.name;
            // Written with the prefix of the type's namespace unless it is the service's.
            let xsi_type = match t.name.namespace == namespaces.service() {
                true => t.name.local.clone(),
                false => namespaces.qualify(&t.name.namespace, &t.name.local),
            };
            let sent = match (typed, t.name.namespace == namespaces.service()) {
                (true, true) => format!("Sent as `xsi:type=\"{xsi_type}\"`."),
                (true, false) => {
                    format!("Sent as `xsi:type=\"{xsi_type}\"` (`{}` in `{}`).", t.name.local, t.name.namespace)
                }
                (false, _) => "Sent without `xsi:type`.".to_owned(),
            };
            let (ident, type_local) = (names.ident(&t.name), t.name.local.clone());
            let type_namespace = t.name.namespace.clone();
            let has_attributes = !analysis.schema.all_attributes(t).is_empty();
            PolymorphicVariant { ident, xsi_type, type_local, type_namespace, typed, has_attributes, docs: vec![sent] }
        })
        .collect();
    let default_variant = family.concrete_base.then(|| names.ident(&base.name));
    let boxed = boxes_variants(family, analysis.schema);
    PolymorphicPlan { ident, docs, variants, default_variant, boxed }
}

/// A family of many types, or one with a member of many fields, is boxed: Salesforce's
/// `sObject` has hundreds of extensions, the largest over 40 KB inline, which every value
/// (and every reader's frame) would otherwise carry.
fn boxes_variants(family: &Family<'_>, schema: &Schema) -> bool {
    const MANY_MEMBERS: usize = 8;
    const MANY_FIELDS: usize = 32;
    family.variants.len() > MANY_MEMBERS || family.variants.iter().any(|t| schema.all_fields(t).len() > MANY_FIELDS)
}

/// The struct of `ty`, and the types its choices and group sequences add.
fn structure<'s>(
    ty: &'s ComplexType,
    analysis: &Analysis<'s>,
    usage: &[String],
    namespaces: &Namespaces,
    group_names: &mut GroupNames,
) -> (StructPlan, Vec<TypePlan>) {
    let schema_line = match (&ty.base, &ty.restriction, ty.anonymous) {
        (Some(base), _, _) => format!("Schema type `{}`, an extension of `{}`.", ty.name.local, base.local),
        (None, Some(base), _) => match &ty.array_type {
            Some(array_type) => format!(
                "Schema type `{}`, a SOAP-encoded array (`{}`): its members are sent as `item` elements, and read whatever their name.",
                ty.name.local, array_type
            ),
            None => format!("Schema type `{}`, a restriction of `{}`.", ty.name.local, base.local),
        },
        (None, None, false) => match &ty.simple_content {
            // Simple content extending another type's simple content takes its attributes.
            Some(TypeRef::Complex(base)) => {
                format!("Schema type `{}`, an extension of `{}`.", ty.name.local, base.local)
            }
            _ => format!("Schema type `{}`.", ty.name.local),
        },
        (None, None, true) => {
            format!("An anonymous schema type, named after where it is written (`{}`).", ty.name.local)
        }
    };
    let mut docs = vec![ty.doc.clone().unwrap_or_default(), schema_line];
    if ty.any_attribute {
        docs.push("The schema allows attributes it does not name here (`xs:anyAttribute`); they are not kept.".into());
    }
    docs.extend(usage.iter().cloned());
    let mut grouping = Grouping { analysis, namespaces, owner: ty, names: group_names, types: Vec::new() };
    let particles: Vec<_> = analysis.schema.lineage(ty).into_iter().filter_map(|t| t.particle.as_ref()).collect();
    let fields = grouping.fields(&particles);
    let members_of_any_name = ty.array_type.is_some() && fields.len() == 1 && fields[0].member == Member::Element;
    let attributes = attribute_plans(ty, analysis, namespaces);
    let value =
        analysis.schema.simple_content_type(ty).map(|text| ValuePlan::new(&type_name(text), analysis.value_type(text)));
    let is_list = StructPlan::list_shaped(&fields, &attributes, &value);
    let plan = StructPlan {
        ident: analysis.names.ident(&ty.name),
        docs,
        derive_default: analysis.has_default(ty),
        is_variant: analysis.variants.contains(&ty.name),
        fields,
        attributes,
        value,
        members_of_any_name,
        is_list,
    };
    (plan, grouping.types)
}

fn attribute_plans(ty: &ComplexType, analysis: &Analysis<'_>, namespaces: &Namespaces) -> Vec<AttributePlan> {
    let schema = analysis.schema;
    let all = schema.all_attributes(ty);
    // `support` left out the types whose names clash, so the fallback is never taken.
    let names = attributes::field_names(schema, ty)
        .unwrap_or_else(|_| all.iter().map(|a| crate::names::field_name(&a.name)).collect());
    all.iter()
        .zip(names)
        .map(|(attribute, field)| {
            AttributePlan::new(attribute, &field, analysis.value_type(&attribute.type_ref), namespaces)
        })
        .collect()
}

/// A schema type's name for docs: `xs:decimal`, or the local name.
fn type_name(type_ref: &TypeRef) -> String {
    match type_ref {
        TypeRef::Builtin(builtin) => xsd_name(*builtin),
        TypeRef::Simple(name) | TypeRef::Complex(name) => name.local.clone(),
    }
}

/// The struct of a message's parts (an RPC wrapper, or a Body of several parts): planned
/// as the complex type `parts` (one sequence of them) would be, with its own name and docs.
pub(crate) fn message_struct(
    parts: &ComplexType,
    ident: Ident,
    docs: Vec<String>,
    analysis: &Analysis<'_>,
    namespaces: &Namespaces,
) -> StructPlan {
    // Parts are elements: no group of them needs a type of its own.
    let mut group_names = GroupNames::new(analysis.names.all());
    let (plan, _) = structure(parts, analysis, &[], namespaces, &mut group_names);
    StructPlan { ident, docs, ..plan }
}

/// The Rust type of a built-in: `xs:anyType` (any content) is kept as raw XML.
pub(super) fn builtin_type(builtin: Builtin) -> TokenStream {
    use Builtin::*;
    match builtin {
        String | NormalizedString | Token | Language | Name | NcName | NmToken | NmTokens | Id | IdRef | IdRefs
        | Entity | Entities | AnyUri | QName | Notation | AnySimpleType => quote!(String),
        AnyType => quote!(AnyXml),
        Boolean => quote!(bool),
        Byte => quote!(i8),
        Short => quote!(i16),
        Int => quote!(i32),
        Long | Integer | NonPositiveInteger | NegativeInteger => quote!(i64),
        UnsignedByte => quote!(u8),
        UnsignedShort => quote!(u16),
        UnsignedInt => quote!(u32),
        UnsignedLong | NonNegativeInteger | PositiveInteger => quote!(u64),
        Float => quote!(f32),
        Double => quote!(f64),
        Decimal => quote!(Decimal),
        DateTime => quote!(DateTime),
        Date => quote!(Date),
        Time => quote!(Time),
        Duration => quote!(Duration),
        GYear => quote!(GYear),
        GYearMonth => quote!(GYearMonth),
        GMonth => quote!(GMonth),
        GMonthDay => quote!(GMonthDay),
        GDay => quote!(GDay),
        Base64Binary => quote!(Base64Binary),
        HexBinary => quote!(HexBinary),
    }
}

/// Built-ins kept as checked text, and raw XML: there is no value that is right by default.
pub(super) fn has_no_default(builtin: Builtin) -> bool {
    use Builtin::*;
    matches!(
        builtin,
        DateTime | Date | Time | Duration | Decimal | GYear | GYearMonth | GMonth | GMonthDay | GDay | AnyType
    )
}

fn xsd_name(builtin: Builtin) -> String {
    format!("xs:{}", builtin.local_name())
}
