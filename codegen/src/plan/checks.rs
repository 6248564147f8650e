//! Schema names that would give Rust that does not compile, refused with where they are.

use std::collections::HashMap;

use mktows_wsdl::Wsdl;

use crate::names::variant_name;
use crate::Error;

/// Two enumeration values that map to one Rust variant would not compile; say which.
pub(crate) fn unique_names(wsdl: &Wsdl) -> Result<(), Error> {
    let schema = &wsdl.schema;
    // Type names are made unique by `naming::TypeNames`, field names by
    // `fields::distinct_idents`; enumeration values are checked here.
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
