//! The `<method>_pages` and `<method>_items` methods of operations that page: the field
//! paths a service layer names (see [`crate::Pagination`]), checked against the planned
//! types, so that a wrong path is an error here rather than generated code that does not
//! compile.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{FieldPlan, Shape};
use super::operations::OperationPlan;
use super::types::{StructPlan, TypePlan};
use crate::Pagination;

/// A `<method>_pages` method: the fields it follows, as paths of Rust fields.
pub(crate) struct PagesPlan {
    pub method: Ident,
    pub request_position: Vec<Ident>,
    pub response_position: Vec<Ident>,
    pub more: Vec<Ident>,
    /// The `<method>_items` method, when the layer names where a page's items are.
    pub items: Option<ItemsPlan>,
    /// The paths as the layer wrote them, for the docs.
    pub described: Pagination,
}

/// A `<method>_items` method: every item of every page, one by one.
pub(crate) struct ItemsPlan {
    pub method: Ident,
    /// The response's list of items (`result.lead_record_list`).
    pub path: Vec<Ident>,
    /// One item, as the client names it (`types::LeadRecord`).
    pub item: TokenStream,
}

/// The paging methods of `op`, or `None` when it cannot page: a one-way operation, one
/// without a request value of its own, or one that takes header parameters. A path that
/// names no field is an error saying which.
pub(crate) fn pages_plan(
    op: &OperationPlan,
    pagination: &Pagination,
    types: &[TypePlan],
) -> Result<Option<PagesPlan>, String> {
    if op.one_way || op.input_is_unit || !op.headers.is_empty() {
        return Ok(None);
    }
    let (input, output) = (op.input_type.name.as_str(), op.output_type.name.as_str());
    let check = |start: &str, path: &str| field_at(types, start, path).map(|_| idents(path));
    let base = op.method.to_string().trim_start_matches("r#").to_owned();
    let items = match &pagination.items {
        None => None,
        Some(path) => Some(ItemsPlan {
            method: format_ident!("{base}_items"),
            path: idents(path),
            item: item_type(types, field_at(types, output, path)?)
                .ok_or_else(|| format!("`{path}` of `{output}` is neither a repeated element nor a list type"))?,
        }),
    };
    Ok(Some(PagesPlan {
        method: format_ident!("{base}_pages"),
        request_position: check(input, &pagination.request_position)?,
        response_position: check(output, &pagination.response_position)?,
        more: check(output, &pagination.more)?,
        items,
        described: pagination.clone(),
    }))
}

fn idents(path: &str) -> Vec<Ident> {
    path.split('.').map(|field| format_ident!("{}", field)).collect()
}

/// The field `path` (`result.new_stream_position`) leads to from the struct `start`.
fn field_at<'p>(types: &'p [TypePlan], start: &str, path: &str) -> Result<&'p FieldPlan, String> {
    let mut holder = start.to_owned();
    let mut found = None;
    for segment in path.split('.') {
        let plan = struct_named(types, &holder).ok_or_else(|| format!("`{path}`: `{holder}` is not a struct"))?;
        let field = plan.fields.iter().find(|f| f.ident == segment);
        let field = field.ok_or_else(|| format!("`{path}`: `{holder}` has no field `{segment}`"))?;
        holder = unboxed(&field.value_type);
        found = Some(field);
    }
    found.ok_or_else(|| "an empty field path".to_owned())
}

fn struct_named<'p>(types: &'p [TypePlan], name: &str) -> Option<&'p StructPlan> {
    types.iter().find_map(|plan| match plan {
        TypePlan::Struct(s) if s.ident == name => Some(s),
        _ => None,
    })
}

/// `X` of a field's value type `X` or `Box<X>`.
fn unboxed(value_type: &TokenStream) -> String {
    let text = value_type.to_string().replace(' ', "");
    text.strip_prefix("Box<").and_then(|t| t.strip_suffix('>')).map(str::to_owned).unwrap_or(text)
}

/// The item of a list field, as the client module names it: the value of a repeated
/// element, or of the one repeated element of a list type (in any wrapper but a `Vec`).
fn item_type(types: &[TypePlan], field: &FieldPlan) -> Option<TokenStream> {
    let item = match field.shape {
        Shape::Repeated => field.value_type.clone(),
        Shape::RepeatedNillable => return None,
        _ => {
            let list = struct_named(types, &unboxed(&field.value_type)).filter(|s| s.is_list)?;
            list.fields[0].value_type.clone()
        }
    };
    Some(client_path(types, item))
}

/// A schema type is `types::X` in the client module; a built-in (`String`, `DateTime`) is
/// in scope as it is.
fn client_path(types: &[TypePlan], ty: TokenStream) -> TokenStream {
    let name = unboxed(&ty);
    let boxed = name != ty.to_string().replace(' ', "");
    let Some(ident) = types.iter().map(type_ident).find(|ident| **ident == name) else {
        return ty;
    };
    match boxed {
        true => quote!(Box<types::#ident>),
        false => quote!(types::#ident),
    }
}

fn type_ident(plan: &TypePlan) -> &Ident {
    match plan {
        TypePlan::Alias(p) => &p.ident,
        TypePlan::Enum(p) => &p.ident,
        TypePlan::Struct(p) | TypePlan::Group(p) => &p.ident,
        TypePlan::Polymorphic(p) => &p.ident,
        TypePlan::Choice(p) => &p.ident,
    }
}
