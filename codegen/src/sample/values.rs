//! A lexical value of each built-in type, valid for the type and, where the schema restricts
//! it, for its facets (lengths and bounds; an enumeration uses its first value).

use mktows_wsdl::{Builtin, Facet, SimpleType};

/// The value written for an element or text of the simple type `simple`.
pub(super) fn of_simple(simple: &SimpleType) -> String {
    match simple.enumeration.first() {
        Some(first) => first.value.clone(),
        None => of_builtin(simple.base, &simple.facets),
    }
}

/// A value of `builtin` that `facets` allow (as far as lengths and bounds go; a pattern is
/// not solved).
pub(super) fn of_builtin(builtin: Builtin, facets: &[Facet]) -> String {
    if let Some(bounded) = bounded_integer(facets).filter(|_| is_integer(builtin)) {
        return bounded.to_string();
    }
    let value = lexical(builtin);
    match is_text(builtin) {
        true => fit_length(value, facets),
        false => value.to_owned(),
    }
}

fn lexical(builtin: Builtin) -> &'static str {
    use Builtin::*;
    match builtin {
        String | NormalizedString | Token | AnySimpleType | AnyType => "text",
        Language => "en",
        Name | NcName | NmToken | Id | IdRef | Entity | Notation | QName => "a1",
        NmTokens | IdRefs | Entities => "a1 b2",
        AnyUri => "http://example.com/a",
        Boolean => "true",
        Byte => "-7",
        Short => "300",
        Int => "70000",
        Long | Integer => "5000000000",
        NonNegativeInteger | UnsignedLong => "10000000000",
        PositiveInteger => "4",
        NonPositiveInteger => "0",
        NegativeInteger => "-3",
        UnsignedByte => "200",
        UnsignedShort => "60000",
        UnsignedInt => "4000000000",
        Decimal => "12.5",
        Float => "1.5",
        Double => "2.25",
        DateTime => "2024-02-29T13:45:30Z",
        Date => "2024-02-29",
        Time => "13:45:30",
        Duration => "P1Y2M3DT4H5M6S",
        GYear => "2024",
        GYearMonth => "2024-02",
        GMonth => "--02",
        GMonthDay => "--02-29",
        GDay => "---29",
        Base64Binary => "aGVsbG8=",
        HexBinary => "CAFE",
    }
}

/// Whether `length`, `minLength` and `maxLength` count characters of this type's value.
fn is_text(builtin: Builtin) -> bool {
    use Builtin::*;
    matches!(builtin, String | NormalizedString | Token | AnySimpleType | Name | NcName | NmToken | Id | IdRef)
}

/// Integer built-ins, whose bounds facets are solved.
fn is_integer(builtin: Builtin) -> bool {
    use Builtin::*;
    matches!(
        builtin,
        Byte | Short
            | Int
            | Long
            | Integer
            | NonNegativeInteger
            | PositiveInteger
            | NonPositiveInteger
            | NegativeInteger
            | UnsignedByte
            | UnsignedShort
            | UnsignedInt
            | UnsignedLong
    )
}

fn facet(facets: &[Facet], kind: &str) -> Option<i128> {
    facets.iter().find(|f| f.kind == kind).and_then(|f| f.value.trim().parse().ok())
}

/// The lowest value the bounds allow, else the highest; `None` when there are none.
fn bounded_integer(facets: &[Facet]) -> Option<i128> {
    let low = facet(facets, "minInclusive").or_else(|| facet(facets, "minExclusive").map(|v| v + 1));
    let high = facet(facets, "maxInclusive").or_else(|| facet(facets, "maxExclusive").map(|v| v - 1));
    low.or(high)
}

/// `value` repeated or cut to the length the facets ask for (`a` pads a short value).
fn fit_length(value: &str, facets: &[Facet]) -> String {
    let exact = facet(facets, "length");
    let min = exact.or_else(|| facet(facets, "minLength")).unwrap_or(0).max(0) as usize;
    let max = exact.or_else(|| facet(facets, "maxLength")).map(|m| m.max(0) as usize);
    let mut text: String = value.chars().take(max.unwrap_or(usize::MAX)).collect();
    while text.chars().count() < min {
        text.push('a');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facets(list: &[(&str, &str)]) -> Vec<Facet> {
        list.iter().map(|(kind, value)| Facet { kind: (*kind).into(), value: (*value).into() }).collect()
    }

    #[test]
    fn lengths_and_bounds_are_met() {
        assert_eq!(of_builtin(Builtin::String, &facets(&[("maxLength", "2")])), "te");
        assert_eq!(of_builtin(Builtin::String, &facets(&[("minLength", "6")])), "textaa");
        assert_eq!(of_builtin(Builtin::Token, &facets(&[("length", "3")])), "tex");
        assert_eq!(of_builtin(Builtin::Int, &facets(&[("minInclusive", "10"), ("maxInclusive", "20")])), "10");
        assert_eq!(of_builtin(Builtin::Int, &facets(&[("maxExclusive", "5")])), "4");
        assert_eq!(of_builtin(Builtin::Int, &[]), "70000");
    }

    #[test]
    fn every_value_parses_as_its_rust_type() {
        use mktows_runtime::codegen::*;
        use Builtin as B;
        fn parses<T: FromXml>(builtin: B) -> bool {
            let xml = format!("<v>{}</v>", lexical(builtin));
            let mut r = XmlReader::new(xml.as_bytes());
            let root = r.root().unwrap();
            r.read::<T>(&root).is_ok()
        }
        assert!(parses::<i8>(B::Byte) && parses::<i16>(B::Short) && parses::<i32>(B::Int));
        assert!(parses::<i64>(B::Integer) && parses::<i64>(B::NegativeInteger) && parses::<i64>(B::Long));
        assert!(parses::<u8>(B::UnsignedByte) && parses::<u16>(B::UnsignedShort));
        assert!(parses::<u32>(B::UnsignedInt) && parses::<u64>(B::NonNegativeInteger));
        assert!(parses::<u64>(B::PositiveInteger) && parses::<i64>(B::NonPositiveInteger));
        assert!(parses::<bool>(B::Boolean) && parses::<f32>(B::Float) && parses::<f64>(B::Double));
        assert!(parses::<Decimal>(B::Decimal) && parses::<DateTime>(B::DateTime));
        assert!(parses::<Date>(B::Date) && parses::<Time>(B::Time));
        assert!(parses::<Duration>(B::Duration) && parses::<GYear>(B::GYear));
        assert!(parses::<GYearMonth>(B::GYearMonth) && parses::<GMonth>(B::GMonth));
        assert!(parses::<GMonthDay>(B::GMonthDay) && parses::<GDay>(B::GDay));
        assert!(parses::<Base64Binary>(B::Base64Binary) && parses::<HexBinary>(B::HexBinary));
    }
}
