//! XML Schema built-in types and the `xsi:nil` tri-state.

use std::fmt;

use base64::Engine as _;

use super::calendar::{is_date, is_date_time};
use super::simple::SimpleValue;
use super::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use crate::error::DecodeError;

/// An element that may be absent (`minOccurs="0"`) and may also be explicitly nil
/// (`nillable="true"`). Services commonly treat the two differently: an absent field is left
/// alone, a nil field is cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nillable<T> {
    /// The element is not written at all.
    #[default]
    Absent,
    /// The element is written as `<name xsi:nil="true"/>`.
    Nil,
    /// The element holds a value.
    Value(T),
}

impl<T> Nillable<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Self::Nil)
    }

    pub fn as_ref(&self) -> Nillable<&T> {
        match self {
            Self::Absent => Nillable::Absent,
            Self::Nil => Nillable::Nil,
            Self::Value(value) => Nillable::Value(value),
        }
    }

    /// The value, or `None` for both absent and nil (as [`Nillable::into_value`]): for code
    /// that does not tell them apart.
    pub fn into_option(self) -> Option<T> {
        self.into_value()
    }

    /// The value converted by `f`; absent and nil stay what they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nillable<U> {
        match self {
            Self::Absent => Nillable::Absent,
            Self::Nil => Nillable::Nil,
            Self::Value(value) => Nillable::Value(f(value)),
        }
    }

    /// The value, or `default` when absent or nil.
    pub fn value_or(self, default: T) -> T {
        self.into_value().unwrap_or(default)
    }

    /// The value, or `T::default()` when absent or nil.
    pub fn value_or_default(self) -> T
    where
        T: Default,
    {
        self.into_value().unwrap_or_default()
    }
}

impl<T: std::ops::Deref> Nillable<T> {
    /// The value borrowed through `Deref` (`Nillable<String>` to `Option<&str>`).
    pub fn as_deref(&self) -> Option<&T::Target> {
        self.value().map(|value| &**value)
    }
}

/// `None` is [`Nillable::Absent`]: the element is left out, so the service leaves the field
/// alone. Clearing a field takes an explicit [`Nillable::Nil`].
impl<T> From<Option<T>> for Nillable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Absent, Self::Value)
    }
}

impl<T> From<T> for Nillable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl From<&str> for Nillable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

/// With the `serde` feature: `Nil` is `null`, `Value` is the value, and `Absent` is left out
/// by generated code (`skip_serializing_if`); a missing field reads as `Absent`.
#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for Nillable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Absent | Self::Nil => serializer.serialize_none(),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nillable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.map_or(Self::Nil, Self::Value))
    }
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $xsd:literal, $check:path) => {
        $(#[$doc])*
        ///
        /// The text is kept exactly as sent, so nothing is lost in a round trip; it is checked
        /// for the lexical form when read. One exception: an empty element reads as an empty
        /// value (some services' own examples send `<latestCreatedAt />` for "no value"), so that
        /// such input parses and writes back unchanged; see `is_empty`. There is deliberately
        /// no `Default`, and [`Self::new`] rejects the empty string.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Wraps `text`, checking its lexical form.
            pub fn new(text: impl Into<String>) -> Result<Self, String> {
                let text = text.into();
                if $check(&text) {
                    Ok(Self(text))
                } else {
                    Err(format!("`{text}` is not a valid {}", $xsd))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Wraps text this crate wrote itself in the lexical form.
            #[allow(dead_code)]
            pub(crate) fn from_checked(text: String) -> Self {
                debug_assert!($check(&text), "{text}");
                Self(text)
            }

            /// Whether this came from an empty element.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Self::new(text)
            }
        }

        impl ToXml for $name {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, &self.0);
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                if text.is_empty() {
                    return Ok(Self(text));
                }
                Self::new(text).map_err(serde::de::Error::custom)
            }
        }

        impl FromXml for $name {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_simple(element)
            }
        }

        impl super::simple::SimpleValue for $name {
            const EXPECTED: &'static str = $xsd;

            fn parse_value(text: &str) -> Option<Self> {
                let text = super::values::trim_xml(text);
                (text.is_empty() || $check(text)).then(|| Self(text.to_owned()))
            }

            fn value_text(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(&self.0)
            }
        }
    };
}

// The other checked-text built-ins (decimal, time, duration, the g* dates) are in `builtins`.
pub(super) use text_newtype;

text_newtype!(
    /// An `xs:dateTime`, such as `2013-08-01T18:22:30-07:00`, checked against the calendar
    /// and the clock.
    ///
    /// With the `jiff` feature: `jiff::Timestamp::try_from(&value)` (a value with a zone),
    /// `jiff::civil::DateTime::try_from(&value)` (the clock time as written), and
    /// `DateTime::from` a `jiff::Timestamp` (written in UTC), `jiff::ZonedDateTime` (at its
    /// offset) or `jiff::civil::DateTime` (without a zone). With the `time` feature, the same
    /// with `time::OffsetDateTime` and `time::PrimitiveDateTime`. A conversion that cannot
    /// hold the value (no zone for an instant, an empty element, a year past 9999) is a
    /// [`CalendarError`](super::CalendarError) saying so.
    DateTime,
    "xs:dateTime",
    is_date_time
);
impl DateTime {
    /// `unix_seconds` since 1970-01-01T00:00:00Z, in UTC: `2010-09-16T07:50:45Z`.
    pub fn from_unix_seconds(unix_seconds: i64) -> Self {
        Self::from_checked(super::calendar::utc_text(unix_seconds))
    }

    /// The current time, in UTC, to the second.
    pub fn now() -> Self {
        let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        Self::from_unix_seconds(since.map_or(0, |d| d.as_secs() as i64))
    }

    /// The instant this names, in seconds since the Unix epoch (a fraction dropped); `None`
    /// for a local time (no zone) or an empty value.
    pub fn unix_seconds(&self) -> Option<i64> {
        super::calendar::unix_seconds(&super::calendar::date_time_fields(self.as_str())?)
    }
}

text_newtype!(
    /// An `xs:date`, such as `2013-08-01`, checked against the calendar.
    ///
    /// With the `jiff` feature it converts to and from `jiff::civil::Date`, with the `time`
    /// feature `time::Date` (a zone, if any, is dropped on the way out).
    Date,
    "xs:date",
    is_date
);

/// Trims XML white space (space, tab, line feed, carriage return) only: `str::trim` would
/// also drop Unicode spaces such as U+00A0, which the schema types do not allow.
pub(super) fn trim_xml(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// An `xs:base64Binary`: the decoded bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Binary(pub Vec<u8>);

impl ToXml for Base64Binary {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        // An MTOM request's writer takes large values as attachments.
        #[cfg(feature = "mtom")]
        if crate::mtom::write_attachment(w, name, &self.0) {
            return;
        }
        w.text_element(name, &base64::engine::general_purpose::STANDARD.encode(&self.0));
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Base64Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Base64Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD.decode(text).map(Self).map_err(serde::de::Error::custom)
    }
}

impl FromXml for Base64Binary {
    /// With the `mtom` feature, an `xop:Include` takes the bytes of the part it names (see
    /// the runtime's `mtom` module); without it, the element's text is base64, as always.
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        #[cfg(feature = "mtom")]
        return crate::mtom::read_base64_binary(r, element);
        #[cfg(not(feature = "mtom"))]
        r.read_simple(element)
    }
}

impl ToXml for String {
    #[inline(always)]
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, self);
    }
}

impl ToXml for str {
    #[inline]
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, self);
    }
}

impl FromXml for String {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        r.read_text(element).map(|text| text.into_owned())
    }
}

/// No value: an empty element (the empty Body of a message without parts). Reading skips
/// whatever the element holds.
impl ToXml for () {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.start(name);
        w.end(name);
    }
}

impl FromXml for () {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        r.skip(element)
    }
}

impl ToXml for bool {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, if *self { "true" } else { "false" });
    }
}

impl FromXml for bool {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        r.read_simple(element)
    }
}

macro_rules! integer {
    ($($ty:ty),*) => {$(
        impl ToXml for $ty {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                w.integer_element(name, *self);
            }
        }

        impl FromXml for $ty {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_simple(element)
            }
        }
    )*};
}

integer!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float {
    ($($ty:ty),*) => {$(
        impl ToXml for $ty {
            fn write_xml(&self, w: &mut XmlWriter, name: &str) {
                w.text_element(name, &self.value_text());
            }
        }

        impl FromXml for $ty {
            fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
                r.read_simple(element)
            }
        }
    )*};
}

float!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nillable_converts_as_option_users_expect() {
        let value: Nillable<String> = Some("a".to_owned()).into();
        let none: Nillable<String> = None.into();
        assert_eq!((value.as_deref(), none.clone()), (Some("a"), Nillable::Absent));
        assert_eq!(value.clone().map(|s| s.len()), Nillable::Value(1));
        assert_eq!(Nillable::<String>::Nil.map(|s| s.len()), Nillable::Nil);
        assert_eq!((value.clone().into_option(), Nillable::<i32>::Nil.into_option()), (Some("a".to_owned()), None));
        assert_eq!((none.value_or("b".into()), Nillable::Value(3).value_or(4)), ("b".to_owned(), 3));
        assert_eq!((Nillable::<i32>::Nil.value_or_default(), Nillable::Value(7).value_or_default()), (0, 7));
    }
    use crate::error::DecodeErrorKind;

    #[cfg(feature = "serde")]
    #[test]
    fn nillable_is_null_or_the_value_in_json() {
        assert_eq!(serde_json::to_string(&Nillable::<i32>::Nil).unwrap(), "null");
        assert_eq!(serde_json::to_string(&Nillable::Value(5)).unwrap(), "5");
        assert_eq!(serde_json::from_str::<Nillable<i32>>("null").unwrap(), Nillable::Nil);
        assert_eq!(serde_json::from_str::<Nillable<i32>>("7").unwrap(), Nillable::Value(7));
        assert_eq!(
            serde_json::to_string(&DateTime::new("2013-08-01T18:22:30-07:00").unwrap()).unwrap(),
            "\"2013-08-01T18:22:30-07:00\""
        );
        assert!(serde_json::from_str::<DateTime>("\"soon\"").is_err());
        assert_eq!(serde_json::to_string(&Base64Binary(vec![1, 2])).unwrap(), "\"AQI=\"");
    }

    fn read<T: FromXml>(doc: &str) -> Result<T, DecodeError> {
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root()?;
        r.read(&root)
    }

    #[test]
    fn booleans_accept_both_lexical_forms() {
        assert!(read::<bool>("<b>true</b>").unwrap());
        assert!(read::<bool>("<b>1</b>").unwrap());
        assert!(!read::<bool>("<b> false </b>").unwrap());
        assert!(read::<bool>("<b>yes</b>").is_err());
    }

    #[test]
    fn integers_reject_garbage_and_overflow() {
        assert_eq!(read::<i32>("<n>1090240</n>").unwrap(), 1_090_240);
        assert_eq!(read::<i32>("<n>+7</n>").unwrap(), 7);
        let err = read::<i32>("<n>\n12x</n>").unwrap_err();
        assert_eq!(err.to_string(), "1:1: `\n12x` is not a valid xs:int (in /n)");
        assert!(read::<i32>("<n>4294967296</n>").is_err());
        assert!(read::<i32>("<n/>").is_err());
    }

    #[test]
    fn date_times_are_checked_and_kept_verbatim() {
        let value = read::<DateTime>("<t>2013-08-05T17:58:10-05:00</t>").unwrap();
        assert_eq!(value.as_str(), "2013-08-05T17:58:10-05:00");
        assert!(DateTime::new("2010-01-01T00:00:00.125Z").is_ok());
        assert!(DateTime::new("2010-01-01T00:00:00").is_ok());
        assert!(read::<DateTime>("<t>yesterday</t>").is_err());
        assert!(read::<DateTime>("<t />").unwrap().is_empty());
        assert!(DateTime::new("").is_err());
        assert!(Date::new("2012-04-04").is_ok() && Date::new("2012-4-04").is_err());
    }

    #[test]
    fn dates_and_times_are_checked_against_the_calendar_and_the_clock() {
        for valid in [
            "2012-02-29T00:00:00Z",
            "2000-02-29T23:59:59.999+14:00",
            "2013-08-01T24:00:00Z",
            "2013-08-01T24:00:00.000-14:00",
            "2013-12-31T12:00:00-05:30",
        ] {
            assert!(DateTime::new(valid).is_ok(), "{valid}");
        }
        for invalid in [
            "2013-13-45T99:99:99Z",
            "2013-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2013-04-31T00:00:00Z",
            "2013-00-10T00:00:00Z",
            "2013-01-00T00:00:00Z",
            "2013-08-01T24:00:01Z",
            "2013-08-01T24:00:00.5Z",
            "2013-08-01T23:60:00Z",
            "2013-08-01T23:59:60Z",
            "2013-08-01T12:00:00+14:01",
            "2013-08-01T12:00:00+15:00",
            "2013-08-01T12:00:00+05:60",
        ] {
            assert!(DateTime::new(invalid).is_err(), "{invalid}");
        }
        assert!(Date::new("2013-02-31").is_err() && Date::new("2016-02-29").is_ok());
        assert!(Date::new("2013-02-28+14:00").is_ok() && Date::new("2013-02-28+14:30").is_err());
        assert_eq!(
            read::<Date>("<d>2013-02-31</d>").unwrap_err().to_string(),
            "1:1: `2013-02-31` is not a valid xs:date (in /d)"
        );
    }

    #[test]
    fn multibyte_characters_anywhere_in_a_date_are_invalid_values_not_panics() {
        for text in ["2013-08-0é5T17:58:10Z", "2013-08-05T17:58:10\u{FEFF}Z", "2013-08-0\u{FEFF}5", "2013-08-05é"] {
            assert!(DateTime::new(text).is_err() && Date::new(text).is_err(), "{text}");
            let err = read::<DateTime>(&format!("<t>{text}</t>")).unwrap_err();
            assert!(matches!(err.kind(), DecodeErrorKind::InvalidValue { .. }), "{err}");
        }
        let valid = "2013-08-05T17:58:10.125-05:00";
        for at in 0..=valid.len() {
            for c in ['é', '\u{FEFF}', '€', '𝄞'] {
                let mut text = valid.to_owned();
                text.insert(at, c);
                assert!(DateTime::new(&text).is_err() && Date::new(&text).is_err(), "{text}");
            }
        }
    }

    #[test]
    fn only_xml_white_space_is_trimmed() {
        assert_eq!(read::<i32>("<n> \t\r\n7\n</n>").unwrap(), 7);
        assert!(read::<i32>("<n>\u{A0}7</n>").is_err());
        assert!(read::<i32>("<n>++7</n>").is_err());
        assert!(read::<bool>("<b>true\u{3000}</b>").is_err());
        assert!(read::<DateTime>("<t>\u{2003}2013-08-05T17:58:10Z</t>").is_err());
        assert!(read::<f64>("<f>\u{85}1.5</f>").is_err());
    }

    #[test]
    fn base64_round_trips() {
        let mut w = XmlWriter::new();
        Base64Binary(vec![0, 1, 2, 250, 251, 255]).write_xml(&mut w, "b");
        let doc = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(doc, "<b>AAEC+vv/</b>");
        assert_eq!(read::<Base64Binary>("<b>AAEC\n+vv/</b>").unwrap().0, vec![0, 1, 2, 250, 251, 255]);
        assert!(read::<Base64Binary>("<b>!!</b>").is_err());
    }

    #[test]
    fn floats_handle_special_values() {
        assert_eq!(read::<f64>("<f>1.5e3</f>").unwrap(), 1500.0);
        assert_eq!(read::<f32>("<f>-INF</f>").unwrap(), f32::NEG_INFINITY);
        assert!(read::<f64>("<f>NaN</f>").unwrap().is_nan());
        assert!(read::<f64>("<f>inf</f>").is_err());
    }
}
