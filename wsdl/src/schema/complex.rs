//! `xs:complexType` and `xs:element`: content as a tree of particles, attributes, simple
//! content, and the anonymous types written inline (named after where they stand).

use super::names::Names;
use super::reusable::{Definition, Reusable};
use super::{parse_bool, simple, unsupported, xsd_name, Scope};
use crate::docs::doc_for;
use crate::model::*;
use crate::xml::Attr;
use crate::{Ctx, Error, ErrorKind, Node};

/// Where a definition stands, for messages and for naming the anonymous types inside it.
struct Owner<'a> {
    /// The type's name: anonymous types inside are named `{path}_{element}`.
    path: &'a str,
    /// "in complexType `X`", for messages.
    context: String,
}

pub(crate) fn parse_named<'d, 'input, 'c>(
    scope: &Scope<'d, 'input, 'c>,
    node: Node<'_, '_>,
    name: QName,
    names: &Names,
    reusable: &Reusable<'d, 'input, 'c>,
    schema: &mut Schema,
) -> Result<(), Error> {
    let ty = Reader { scope: *scope, names, reusable, schema: &mut *schema, depth: 0 }.complex(node, name, false)?;
    schema.complex_types.push(ty);
    Ok(())
}

pub(crate) fn parse_global_element<'d, 'input, 'c>(
    scope: &Scope<'d, 'input, 'c>,
    node: Node<'_, '_>,
    names: &Names,
    reusable: &Reusable<'d, 'input, 'c>,
    schema: &mut Schema,
) -> Result<(), Error> {
    let ctx = scope.ctx;
    let name = QName::new(scope.tns, ctx.required_attr(node, "name")?);
    let Some(decl) = names.element(&name).cloned() else {
        return Err(ctx.err(node, ErrorKind::UnknownReference { kind: "element", name: name.to_string() }));
    };
    // An inline type was given its name when the names were collected.
    if node.attr("type").is_none() && !matches!(decl.type_ref, TypeRef::Builtin(_)) {
        Reader { scope: *scope, names, reusable, schema: &mut *schema, depth: 0 }.inline_type(node, &decl.type_ref)?;
    }
    let is_abstract = parse_bool(ctx, node, "abstract")?.unwrap_or(false);
    let substitution_group = match node.attr("substitutionGroup") {
        Some(_) => Some(ctx.resolve_qname(node, "substitutionGroup")?),
        None => None,
    };
    let (type_ref, nillable, location) = (decl.type_ref, decl.nillable, ctx.location(node));
    schema.elements.push(GlobalElement { name, type_ref, nillable, is_abstract, substitution_group, location });
    Ok(())
}

/// Reads the content of one schema's definitions, adding the anonymous types it meets.
struct Reader<'r, 'd, 'input, 'c> {
    /// The schema being read: a reference to a group of another schema reads on in that one.
    scope: Scope<'d, 'input, 'c>,
    names: &'r Names,
    reusable: &'r Reusable<'d, 'input, 'c>,
    schema: &'r mut Schema,
    /// How many group references deep, so a group that contains itself stops.
    depth: usize,
}

/// More nested group references than a real schema has: a group that contains itself.
const MAX_GROUP_DEPTH: usize = 64;

impl<'d, 'input, 'c> Reader<'_, 'd, 'input, 'c> {
    /// Reads the `xs:complexType` or `xs:simpleType` child of `node` as the type `type_ref`.
    fn inline_type(&mut self, node: Node<'_, '_>, type_ref: &TypeRef) -> Result<(), Error> {
        let ctx = self.scope.ctx;
        let inline = ctx.children(node).find(|c| xsd_name(*c) != Some("annotation"));
        match (inline, type_ref) {
            (Some(child), TypeRef::Complex(name)) if xsd_name(child) == Some("complexType") => {
                let mut ty = self.complex(child, name.clone(), true)?;
                ty.doc = ty.doc.or_else(|| doc_for(node));
                self.schema.complex_types.push(ty);
            }
            (Some(child), TypeRef::Simple(name)) if xsd_name(child) == Some("simpleType") => {
                let mut ty = simple::parse(ctx, child, name.clone(), true)?;
                ty.doc = ty.doc.or_else(|| doc_for(node));
                self.schema.simple_types.push(ty);
            }
            (Some(child), _) => return Err(unsupported(ctx, child, "as the type of an element")),
            (None, _) => return Err(ctx.err(node, ErrorKind::Missing("the inline type of an element".into()))),
        }
        Ok(())
    }

    fn complex(&mut self, node: Node<'_, '_>, name: QName, anonymous: bool) -> Result<ComplexType, Error> {
        let ctx = self.scope.ctx;
        let owner = Owner { path: &name.local, context: format!("in complexType `{}`", name.local) };
        let mut ty = ComplexType {
            doc: doc_for(node),
            is_abstract: parse_bool(ctx, node, "abstract")?.unwrap_or(false),
            mixed: parse_bool(ctx, node, "mixed")?.unwrap_or(false),
            base: None,
            restriction: None,
            array_type: None,
            particle: None,
            attributes: Vec::new(),
            any_attribute: false,
            simple_content: None,
            anonymous,
            location: ctx.location(node),
            name: name.clone(),
        };
        for child in ctx.children(node) {
            match xsd_name(child) {
                Some("complexContent") => self.complex_content(child, &owner, &mut ty)?,
                Some("simpleContent") => self.simple_content(child, &owner, &mut ty)?,
                Some("annotation") => {}
                _ => self.content_item(child, &owner, &mut ty)?,
            }
        }
        Ok(ty)
    }

    /// A particle or attribute directly inside a complexType or its extension.
    fn content_item(&mut self, node: Node<'_, '_>, owner: &Owner<'_>, ty: &mut ComplexType) -> Result<(), Error> {
        let ctx = self.scope.ctx;
        match xsd_name(node) {
            Some("sequence" | "choice" | "all") if ty.particle.is_none() => {
                ty.particle = Some(self.group(node, owner)?);
            }
            Some("group") if ty.particle.is_none() && node.attr("ref").is_some() => {
                ty.particle = Some(self.group_ref(node, owner)?);
            }
            Some("attribute") => ty.attributes.push(self.attribute(node, owner)?),
            Some("attributeGroup") if node.attr("ref").is_some() => {
                let target = ctx.resolve_qname(node, "ref")?;
                let definition = self.definition(node, &target, "attributeGroup")?;
                self.within(definition, |reader| {
                    for item in definition.scope.ctx.children(definition.node) {
                        reader.content_item(item, owner, ty)?;
                    }
                    Ok(())
                })?;
            }
            Some("anyAttribute") => ty.any_attribute = true,
            Some("annotation") => {}
            _ => return Err(unsupported(ctx, node, &owner.context)),
        }
        Ok(())
    }

    /// The top-level group, attribute group or attribute a `ref=` names.
    fn definition(
        &self,
        node: Node<'_, '_>,
        target: &QName,
        kind: &'static str,
    ) -> Result<Definition<'d, 'input, 'c>, Error> {
        let ctx = self.scope.ctx;
        let table = match kind {
            "group" => &self.reusable.groups,
            "attributeGroup" => &self.reusable.attribute_groups,
            _ => &self.reusable.attributes,
        };
        let Some(definition) = table.get(target).copied() else {
            return Err(ctx.err(node, ErrorKind::UnknownReference { kind, name: target.to_string() }));
        };
        if self.depth >= MAX_GROUP_DEPTH {
            let message = format!("{kind} `{}` contains itself", target.local);
            return Err(ctx.err(node, ErrorKind::Invalid(message)));
        }
        Ok(definition)
    }

    /// Runs `read` in the schema of `definition` (its namespace and forms), one level deeper.
    fn within<T>(
        &mut self,
        definition: Definition<'d, 'input, 'c>,
        read: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let saved = std::mem::replace(&mut self.scope, definition.scope);
        self.depth += 1;
        let result = read(self);
        self.depth -= 1;
        self.scope = saved;
        result
    }

    /// `<xs:group ref=".."/>`: the group's particle, with the reference's occurrence.
    fn group_ref(&mut self, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<Group, Error> {
        let ctx = self.scope.ctx;
        let target = ctx.resolve_qname(node, "ref")?;
        let definition = self.definition(node, &target, "group")?;
        let (min_occurs, max_occurs) = parse_occurs(ctx, node, &format!("group `{}`", target.local), owner)?;
        let location = ctx.location(node);
        let inner = definition
            .scope
            .ctx
            .children(definition.node)
            .find(|c| matches!(xsd_name(*c), Some("sequence" | "choice" | "all")));
        let Some(inner) = inner else {
            return Ok(Group { kind: GroupKind::Sequence, min_occurs, max_occurs, particles: Vec::new(), location });
        };
        let mut group = self.within(definition, |reader| reader.group(inner, owner))?;
        if group.occurs_once() {
            (group.min_occurs, group.max_occurs) = (min_occurs, max_occurs);
            return Ok(group);
        }
        let particles = vec![Particle::Group(group)];
        Ok(Group { kind: GroupKind::Sequence, min_occurs, max_occurs, particles, location })
    }

    fn complex_content(&mut self, node: Node<'_, '_>, owner: &Owner<'_>, ty: &mut ComplexType) -> Result<(), Error> {
        let ctx = self.scope.ctx;
        if parse_bool(ctx, node, "mixed")? == Some(true) {
            ty.mixed = true;
        }
        let mut seen = false;
        for child in ctx.children(node) {
            match xsd_name(child) {
                Some("extension") if !seen => {
                    seen = true;
                    let base = ctx.resolve_qname(child, "base")?;
                    // Extending the ur-type adds content to nothing: there is no base to keep.
                    if !(base.namespace == crate::ns::XSD && base.local == "anyType") {
                        ty.base = Some(base);
                    }
                    for part in ctx.children(child) {
                        self.content_item(part, owner, ty)?;
                    }
                }
                Some("restriction") if !seen => {
                    seen = true;
                    let base = ctx.resolve_qname(child, "base")?;
                    let encoded_array = base.namespace == crate::ns::SOAP_ENCODING && base.local == "Array";
                    ty.restriction = Some(base);
                    for part in ctx.children(child) {
                        // The encoding's own attributes (`soapenc:arrayType`) are its business,
                        // and its schema is rarely imported: only the item type is kept.
                        if encoded_array && is_encoding_attribute(ctx, part) {
                            let array_type = part.attribute((crate::ns::WSDL, "arrayType")).map(str::trim);
                            ty.array_type = array_type.map(str::to_owned).or(ty.array_type.take());
                            continue;
                        }
                        self.content_item(part, owner, ty)?;
                    }
                    if encoded_array {
                        self.encoded_array_items(child, ty)?;
                    }
                }
                Some("annotation") => {}
                _ => return Err(unsupported(ctx, child, &format!("in complexContent {}", owner.context))),
            }
        }
        if !seen {
            let message = format!("xs:extension or xs:restriction in complexContent {}", owner.context);
            return Err(ctx.err(node, ErrorKind::Missing(message)));
        }
        Ok(())
    }

    /// The particle of a SOAP-encoded array that restates none: `item` elements of the
    /// `wsdl:arrayType`'s member type (`T[]`). A member that is itself an array (`T[][]`,
    /// or `T[,]` of several dimensions) is kept as raw XML, except `xsd:byte[]`, which the
    /// encoding sends as base64 text (SOAP 1.1 section 5.2.3: Axis's `byte[][]`).
    fn encoded_array_items(&mut self, node: Node<'_, '_>, ty: &mut ComplexType) -> Result<(), Error> {
        let ctx = self.scope.ctx;
        let restated = ty.particle.as_ref().is_some_and(|group| !group.particles.is_empty());
        let Some(dimensions_at) = ty.array_type.as_deref().and_then(|t| t.find('[')) else { return Ok(()) };
        if restated {
            return Ok(());
        }
        let array_type = ty.array_type.as_deref().unwrap_or_default();
        let (member, dimensions) = array_type.split_at(dimensions_at);
        let member_name = ctx.resolve_qname_value(node, member)?;
        let one_dimension = |d: &str| {
            d.strip_prefix('[').and_then(|d| d.strip_suffix(']')).is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        };
        let type_ref = match dimensions.trim() {
            d if one_dimension(d) => self.names.resolve(&member_name).map_err(|kind| ctx.err(node, kind))?,
            "[][]" if member_name.namespace == crate::ns::XSD && member_name.local == "byte" => {
                TypeRef::Builtin(crate::Builtin::Base64Binary)
            }
            _ => TypeRef::Builtin(crate::Builtin::AnyType),
        };
        let location = ctx.location(node);
        let item = Field {
            name: "item".to_owned(),
            namespace: None,
            reference: None,
            doc: None,
            type_ref,
            min_occurs: 0,
            max_occurs: MaxOccurs::Unbounded,
            nillable: true,
            location,
        };
        let particles = vec![Particle::Element(item)];
        ty.particle = Some(Group {
            kind: GroupKind::Sequence,
            min_occurs: 1,
            max_occurs: MaxOccurs::Bounded(1),
            particles,
            location,
        });
        Ok(())
    }

    fn simple_content(&mut self, node: Node<'_, '_>, owner: &Owner<'_>, ty: &mut ComplexType) -> Result<(), Error> {
        let ctx = self.scope.ctx;
        for child in ctx.children(node) {
            match xsd_name(child) {
                Some(kind @ ("extension" | "restriction")) if ty.simple_content.is_none() => {
                    let base = ctx.resolve_qname(child, "base")?;
                    ty.simple_content = Some(self.names.resolve(&base).map_err(|kind| ctx.err(child, kind))?);
                    if kind == "restriction" {
                        ty.restriction = Some(base);
                    }
                    for part in ctx.children(child) {
                        match xsd_name(part) {
                            Some("attribute" | "attributeGroup" | "anyAttribute" | "annotation") => {
                                self.content_item(part, owner, ty)?
                            }
                            // A restriction's facets narrow the text; they are not checked.
                            Some(facet) if kind == "restriction" && is_facet(facet) => {}
                            Some("simpleType") if kind == "restriction" => {}
                            _ => return Err(unsupported(ctx, part, &format!("in simpleContent {}", owner.context))),
                        }
                    }
                }
                Some("annotation") => {}
                _ => return Err(unsupported(ctx, child, &format!("in simpleContent {}", owner.context))),
            }
        }
        if ty.simple_content.is_none() {
            let message = format!("xs:extension or xs:restriction in simpleContent {}", owner.context);
            return Err(ctx.err(node, ErrorKind::Missing(message)));
        }
        Ok(())
    }

    fn group(&mut self, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<Group, Error> {
        let ctx = self.scope.ctx;
        let kind = match xsd_name(node) {
            Some("choice") => GroupKind::Choice,
            Some("all") => GroupKind::All,
            _ => GroupKind::Sequence,
        };
        let (min_occurs, max_occurs) = parse_occurs(ctx, node, "a group", owner)?;
        let mut particles = Vec::new();
        for child in ctx.children(node) {
            match xsd_name(child) {
                Some("element") => particles.push(Particle::Element(self.field(child, owner)?)),
                Some("sequence" | "choice") => particles.push(Particle::Group(self.group(child, owner)?)),
                Some("group") if child.attr("ref").is_some() => {
                    particles.push(Particle::Group(self.group_ref(child, owner)?))
                }
                Some("any") => particles.push(Particle::Any(parse_any(ctx, child, owner)?)),
                Some("annotation") => {}
                _ => return Err(unsupported(ctx, child, &owner.context)),
            }
        }
        Ok(Group { kind, min_occurs, max_occurs, particles, location: ctx.location(node) })
    }

    fn field(&mut self, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<Field, Error> {
        let (scope, ctx, names) = (self.scope, self.scope.ctx, self.names);
        let location = ctx.location(node);
        if node.attr("ref").is_some() {
            let target = ctx.resolve_qname(node, "ref")?;
            let decl = names.element(&target).ok_or_else(|| {
                ctx.err(node, ErrorKind::UnknownReference { kind: "element", name: target.to_string() })
            })?;
            let (min_occurs, max_occurs) = parse_occurs(ctx, node, &format!("element `{}`", target.local), owner)?;
            return Ok(Field {
                name: target.local.clone(),
                namespace: Some(target.namespace.clone()).filter(|ns| !ns.is_empty()),
                doc: doc_for(node),
                type_ref: decl.type_ref.clone(),
                min_occurs,
                max_occurs,
                nillable: decl.nillable,
                reference: Some(target),
                location,
            });
        }
        let name = ctx.required_attr(node, "name")?.to_owned();
        let (min_occurs, max_occurs) = parse_occurs(ctx, node, &format!("element `{name}`"), owner)?;
        let type_ref = match node.attr("type") {
            Some(_) => {
                let type_name = ctx.resolve_qname(node, "type")?;
                names.resolve(&type_name).map_err(|kind| ctx.err(node, kind))?
            }
            None => self.local_inline_type(node, &format!("{}_{name}", owner.path))?,
        };
        let qualified = match node.attr("form") {
            Some("qualified") => true,
            Some("unqualified") => false,
            Some(other) => {
                return Err(ctx.err(node, ErrorKind::Invalid(format!("`form=\"{other}\"` on element `{name}`"))))
            }
            None => scope.elements_qualified,
        };
        Ok(Field {
            doc: doc_for(node),
            namespace: (qualified && !scope.tns.is_empty()).then(|| scope.tns.to_owned()),
            reference: None,
            type_ref,
            min_occurs,
            max_occurs,
            nillable: parse_bool(ctx, node, "nillable")?.unwrap_or(false),
            name,
            location,
        })
    }

    /// The anonymous type of a local element or attribute, named `path`; `xs:anyType` when
    /// there is none.
    fn local_inline_type(&mut self, node: Node<'_, '_>, path: &str) -> Result<TypeRef, Error> {
        let (scope, ctx, names) = (self.scope, self.scope.ctx, self.names);
        let type_ref = match ctx.children(node).find_map(|c| xsd_name(c).filter(|n| *n != "annotation")) {
            Some("complexType") => TypeRef::Complex(names.derive(scope.tns, path)),
            Some("simpleType") => TypeRef::Simple(names.derive(scope.tns, path)),
            // No type at all is the ur-type: any content.
            _ => return Ok(TypeRef::Builtin(Builtin::AnyType)),
        };
        self.inline_type(node, &type_ref)?;
        Ok(type_ref)
    }

    fn attribute(&mut self, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<Attribute, Error> {
        let (scope, ctx, names) = (self.scope, self.scope.ctx, self.names);
        if node.attr("ref").is_some() {
            return self.attribute_ref(node, owner);
        }
        let name = ctx.required_attr(node, "name")?.to_owned();
        let type_ref = match node.attr("type") {
            Some(_) => {
                let type_name = ctx.resolve_qname(node, "type")?;
                names.resolve(&type_name).map_err(|kind| ctx.err(node, kind))?
            }
            None if ctx.children(node).any(|c| xsd_name(c) == Some("simpleType")) => {
                self.local_inline_type(node, &format!("{}_{name}", owner.path))?
            }
            // An attribute without a type holds any simple value.
            None => TypeRef::Builtin(Builtin::AnySimpleType),
        };
        let qualified = match node.attr("form") {
            Some("qualified") => true,
            Some("unqualified") => false,
            Some(other) => {
                return Err(ctx.err(node, ErrorKind::Invalid(format!("`form=\"{other}\"` on attribute `{name}`"))))
            }
            None => scope.attributes_qualified,
        };
        Ok(Attribute {
            namespace: (qualified && !scope.tns.is_empty()).then(|| scope.tns.to_owned()),
            type_ref,
            required: node.attr("use") == Some("required"),
            default: node.attr("default").map(str::to_owned),
            fixed: node.attr("fixed").map(str::to_owned),
            doc: doc_for(node),
            location: ctx.location(node),
            name,
        })
    }

    /// `<xs:attribute ref=".."/>`: the global attribute (always qualified), used as the
    /// reference says (`use`, `default`, `fixed`).
    fn attribute_ref(&mut self, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<Attribute, Error> {
        let ctx = self.scope.ctx;
        let target = ctx.resolve_qname(node, "ref")?;
        let location = ctx.location(node);
        // `xml:lang` and friends are built into XML: their namespace needs no schema.
        let mut attribute = match self.reusable.attributes.get(&target).copied() {
            Some(definition) => self.within(definition, |reader| reader.attribute(definition.node, owner))?,
            None if target.namespace == "http://www.w3.org/XML/1998/namespace" => Attribute {
                name: target.local.clone(),
                namespace: None,
                type_ref: TypeRef::Builtin(Builtin::String),
                required: false,
                default: None,
                fixed: None,
                doc: None,
                location,
            },
            None => {
                return Err(ctx.err(node, ErrorKind::UnknownReference { kind: "attribute", name: target.to_string() }))
            }
        };
        attribute.namespace = Some(target.namespace).filter(|ns| !ns.is_empty());
        attribute.required = node.attr("use") == Some("required");
        attribute.default = node.attr("default").map(str::to_owned).or(attribute.default);
        attribute.fixed = node.attr("fixed").map(str::to_owned).or(attribute.fixed);
        attribute.location = location;
        Ok(attribute)
    }
}

/// `<attribute ref="soapenc:..."/>`, such as `soapenc:arrayType`.
fn is_encoding_attribute(ctx: &Ctx<'_, '_>, node: Node<'_, '_>) -> bool {
    xsd_name(node) == Some("attribute")
        && node.attr("ref").is_some()
        && ctx.resolve_qname(node, "ref").is_ok_and(|target| target.namespace == crate::ns::SOAP_ENCODING)
}

/// The constraining facets a restriction may hold.
fn is_facet(name: &str) -> bool {
    matches!(
        name,
        "enumeration"
            | "pattern"
            | "length"
            | "minLength"
            | "maxLength"
            | "minInclusive"
            | "maxInclusive"
            | "minExclusive"
            | "maxExclusive"
            | "totalDigits"
            | "fractionDigits"
            | "whiteSpace"
    )
}

fn parse_any(ctx: &Ctx<'_, '_>, node: Node<'_, '_>, owner: &Owner<'_>) -> Result<AnyParticle, Error> {
    let (min_occurs, max_occurs) = parse_occurs(ctx, node, "xs:any", owner)?;
    Ok(AnyParticle {
        namespace: node.attr("namespace").unwrap_or("##any").to_owned(),
        process_contents: node.attr("processContents").unwrap_or("strict").to_owned(),
        min_occurs,
        max_occurs,
        location: ctx.location(node),
    })
}

/// `minOccurs` and `maxOccurs`, checked against each other.
fn parse_occurs(
    ctx: &Ctx<'_, '_>,
    node: Node<'_, '_>,
    what: &str,
    owner: &Owner<'_>,
) -> Result<(u32, MaxOccurs), Error> {
    let count = |attr: &str, text: &str| -> Result<u32, Error> {
        text.trim()
            .parse()
            .map_err(|_| ctx.err(node, ErrorKind::Invalid(format!("`{attr}=\"{text}\"` is not a valid count"))))
    };
    let min_occurs = match node.attr("minOccurs") {
        None => 1,
        Some(text) => count("minOccurs", text)?,
    };
    let max_occurs = match node.attr("maxOccurs") {
        None => MaxOccurs::Bounded(1),
        Some("unbounded") => MaxOccurs::Unbounded,
        Some(text) => MaxOccurs::Bounded(count("maxOccurs", text)?),
    };
    if let MaxOccurs::Bounded(max) = max_occurs {
        if max < min_occurs {
            let message = format!("maxOccurs={max} with minOccurs={min_occurs} on {what} {}", owner.context);
            return Err(ctx.err(node, ErrorKind::Invalid(message)));
        }
    }
    Ok((min_occurs, max_occurs))
}
