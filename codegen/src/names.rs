//! Rust names for schema names: `LeadRecord` stays a type name, `leadAttributeList` becomes
//! `lead_attribute_list`, `IDNUM` becomes the variant `Idnum`, keywords are escaped.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Words reserved in any edition; `r#` escapes all but the four path keywords.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// `LeadRecord` for a type, `SyncMultipleLeads` for an operation; `Unnamed` for a name with
/// nothing an identifier can keep (`_`, or an empty name a hostile WSDL gives).
pub fn type_name(name: &str) -> String {
    let camel = sanitize(name).to_upper_camel_case();
    match camel.as_str() {
        "" => "Unnamed".to_owned(),
        _ => escape_leading_digit(camel, "T"),
    }
}

/// `lead_attribute_list` for `leadAttributeList`, `r#type` for `type`; `unnamed` for a name
/// with nothing an identifier can keep.
pub fn field_name(name: &str) -> String {
    match sanitize(name).to_snake_case().as_str() {
        "" => "unnamed".to_owned(),
        snake => escape_leading_digit(snake.to_owned(), "_"),
    }
}

/// A variant for an enumeration value: `Created` for `CREATED`, `NewSfdcOpprtnty` for
/// `NewSFDCOpprtnty`.
pub fn variant_name(value: &str) -> String {
    let camel = sanitize(value).to_upper_camel_case();
    match camel.as_str() {
        "" => "Empty".to_owned(),
        // The one keyword an upper camel case name can be (`self` as a value, vSphere's).
        "Self" => "SelfValue".to_owned(),
        _ => escape_leading_digit(camel, "V"),
    }
}

pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Characters that cannot appear in an identifier become word breaks (`-`, `.`, `·`, and
/// letters-or-digits Rust does not take, such as `²`); `_` too, since case conversion
/// puts word breaks back as `_`.
fn sanitize(name: &str) -> String {
    name.chars().map(|c| if c != '_' && unicode_ident::is_xid_continue(c) { c } else { ' ' }).collect()
}

/// Prefixes a name that cannot start an identifier (a digit, a combining mark).
fn escape_leading_digit(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| !unicode_ident::is_xid_start(c)) {
        format!("{prefix}{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_keep_their_schema_spelling() {
        for name in ["LeadRecord", "ArrayOfString", "ParamsSyncMultipleLeads", "MObjStatusEnum", "LeadKeyRef"] {
            assert_eq!(type_name(name), name);
        }
        assert_eq!(type_name("syncMultipleLeads"), "SyncMultipleLeads");
        assert_eq!(type_name("my-type.v2"), "MyTypeV2");
    }

    #[test]
    fn fields_become_snake_case() {
        assert_eq!(field_name("leadAttributeList"), "lead_attribute_list");
        assert_eq!(field_name("ForeignSysPersonId"), "foreign_sys_person_id");
        assert_eq!(field_name("Id"), "id");
        assert_eq!(field_name("mObjectList"), "m_object_list");
        assert_eq!(field_name("syncMultipleLeads"), "sync_multiple_leads");
        assert_eq!(field_name("2x"), "_2x");
    }

    #[test]
    fn names_with_nothing_an_identifier_keeps_are_unnamed() {
        for name in ["", "_", "__", "-", "·"] {
            assert_eq!(type_name(name), "Unnamed", "{name:?}");
            assert_eq!(field_name(name), "unnamed", "{name:?}");
        }
    }

    #[test]
    fn every_legal_xml_name_gives_an_identifier_proc_macro2_takes() {
        // XML name characters Rust identifiers do not all take: digits and marks after the
        // start, `·`, `²`, letters of other scripts.
        for name in ["_x", "a·b", "x²", "ǅemal", "日本語", "é", "a\u{300}b", "Ⅻ", "x-1.2", "self", "Self", "super"]
        {
            ident(&type_name(name));
            ident(&field_name(name));
            ident(&variant_name(name));
        }
        assert_eq!(type_name("x²"), "X");
        assert_eq!(field_name("日本語"), "日本語");
    }

    #[test]
    fn variants_become_upper_camel_case() {
        assert_eq!(variant_name("IDNUM"), "Idnum");
        assert_eq!(variant_name("SFDCLEADOWNERID"), "Sfdcleadownerid");
        assert_eq!(variant_name("NewSFDCOpprtnty"), "NewSfdcOpprtnty");
        assert_eq!(variant_name("VisitWebpage"), "VisitWebpage");
        assert_eq!(variant_name("7days"), "V7days");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("a b"), "AB");
        assert_eq!(variant_name("self"), "SelfValue");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("match").to_string(), "r#match");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("status").to_string(), "status");
    }
}
