//! Simple values as text: what an attribute holds, and the text of a simple-content
//! element. The element impls of `ToXml`/`FromXml` for the built-ins parse and format
//! through this too, so an attribute and an element of one type accept the same text.

use std::borrow::Cow;

use base64::Engine as _;

use super::values::{trim_xml, Base64Binary};

/// A value of an XML Schema simple type, parsed from and written as text.
pub trait SimpleValue: Sized {
    /// The schema type, for messages (`xs:int`).
    const EXPECTED: &'static str;

    /// Parses the (unescaped) text; `None` when it is not a valid value.
    fn parse_value(text: &str) -> Option<Self>;

    /// The value as text, not yet escaped.
    fn value_text(&self) -> Cow<'_, str>;
}

impl SimpleValue for String {
    const EXPECTED: &'static str = "xs:string";

    fn parse_value(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }

    fn value_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl SimpleValue for bool {
    const EXPECTED: &'static str = "xs:boolean";

    fn parse_value(text: &str) -> Option<Self> {
        match trim_xml(text) {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }

    fn value_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! integer {
    ($($ty:ty => $xsd:literal),*) => {$(
        impl SimpleValue for $ty {
            const EXPECTED: &'static str = $xsd;

            // Rust's integer parsing takes one leading `+`, as the schema does.
            fn parse_value(text: &str) -> Option<Self> {
                trim_xml(text).parse().ok()
            }

            fn value_text(&self) -> Cow<'_, str> {
                Cow::Owned(itoa::Buffer::new().format(*self).to_owned())
            }
        }
    )*};
}

integer!(i8 => "xs:byte", i16 => "xs:short", i32 => "xs:int", i64 => "xs:long or xs:integer", u8 => "xs:unsignedByte", u16 => "xs:unsignedShort", u32 => "xs:unsignedInt", u64 => "xs:unsignedLong");

macro_rules! float {
    ($($ty:ty => $xsd:literal),*) => {$(
        impl SimpleValue for $ty {
            const EXPECTED: &'static str = $xsd;

            fn parse_value(text: &str) -> Option<Self> {
                match trim_xml(text) {
                    "INF" | "+INF" => Some(<$ty>::INFINITY),
                    "-INF" => Some(<$ty>::NEG_INFINITY),
                    "NaN" => Some(<$ty>::NAN),
                    other if other.bytes().any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') => None,
                    other => other.parse().ok(),
                }
            }

            fn value_text(&self) -> Cow<'_, str> {
                if self.is_nan() {
                    Cow::Borrowed("NaN")
                } else if self.is_infinite() {
                    Cow::Borrowed(if *self > 0.0 { "INF" } else { "-INF" })
                } else {
                    Cow::Owned(self.to_string())
                }
            }
        }
    )*};
}

float!(f32 => "xs:float", f64 => "xs:double");

impl SimpleValue for Base64Binary {
    const EXPECTED: &'static str = "xs:base64Binary";

    fn parse_value(text: &str) -> Option<Self> {
        let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\r')).collect();
        base64::engine::general_purpose::STANDARD.decode(compact).ok().map(Self)
    }

    fn value_text(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_their_text() {
        assert_eq!(i32::parse_value(" +7\n"), Some(7));
        assert_eq!(i32::parse_value("7x"), None);
        assert_eq!(u8::parse_value("256"), None);
        assert_eq!(bool::parse_value("1"), Some(true));
        assert_eq!(f64::parse_value("-INF"), Some(f64::NEG_INFINITY));
        assert_eq!(f64::parse_value("inf"), None);
        assert_eq!(f32::INFINITY.value_text(), "INF");
        assert_eq!((-42i64).value_text(), "-42");
        assert_eq!(Base64Binary(vec![0, 250]).value_text(), "APo=");
        assert_eq!(Base64Binary::parse_value("AP\no="), Some(Base64Binary(vec![0, 250])));
        // A string is kept as sent, white space included.
        assert_eq!(String::parse_value(" a "), Some(" a ".to_owned()));
    }
}
