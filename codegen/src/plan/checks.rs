//! Schema names that would give Rust that does not compile, refused with where they are.

use std::collections::HashMap;

use mktows_wsdl::Wsdl;

use crate::names::{field_name, variant_name};
use crate::Error;

/// Two element or value names that map to one Rust name would not compile; say which.
pub(crate) fn unique_names(wsdl: &Wsdl) -> Result<(), Error> {
    let schema = &wsdl.schema;
    // Type names are made unique by `naming::TypeNames`; fields and values are checked here.
    for ty in &schema.complex_types {
        let mut fields: HashMap<String, &str> = HashMap::new();
        for field in schema.all_fields(ty) {
            if let Some(other) = fields.insert(field_name(&field.name), &field.name) {
                let message = format!(
                    "elements `{other}` and `{}` of `{}` both become the field `{}`",
                    field.name,
                    ty.name.local,
                    field_name(&field.name)
                );
                return Err(Error::at(wsdl, message, field.location));
            }
        }
    }
    for simple in &schema.simple_types {
        let mut variants: HashMap<String, &str> = HashMap::new();
        for value in &simple.enumeration {
            if let Some(other) = variants.insert(variant_name(&value.value), &value.value) {
                let message = format!(
                    "values `{other}` and `{}` of `{}` both become the variant `{}`",
                    value.value,
                    simple.name.local,
                    variant_name(&value.value)
                );
                return Err(Error::at(wsdl, message, simple.location));
            }
        }
    }
    Ok(())
}
