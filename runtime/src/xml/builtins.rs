//! XML Schema built-ins kept as their checked text: `xs:decimal` (no digit is lost to a
//! float), `xs:time`, `xs:duration` and the `g*` dates, whose values Rust has no standard
//! type for; and `xs:hexBinary` as bytes. Every check works on bytes, so any UTF-8 is safe.

use std::fmt;

use super::values::text_newtype;
use super::{Element, FromXml, ToXml, XmlReader, XmlWriter};
use crate::error::DecodeError;

text_newtype!(
    /// An `xs:decimal`, such as `-12.50`: the digits as sent, however many.
    Decimal,
    "xs:decimal",
    is_decimal
);
text_newtype!(
    /// An `xs:time`, such as `18:22:30.5-07:00`.
    Time,
    "xs:time",
    is_time
);
text_newtype!(
    /// An `xs:duration`, such as `P1Y2M3DT4H5M6.7S` or `-PT15M`.
    Duration,
    "xs:duration",
    is_duration
);
text_newtype!(
    /// An `xs:gYear`, such as `2013` or `2013Z`.
    GYear,
    "xs:gYear",
    is_g_year
);
text_newtype!(
    /// An `xs:gYearMonth`, such as `2013-08`.
    GYearMonth,
    "xs:gYearMonth",
    is_g_year_month
);
text_newtype!(
    /// An `xs:gMonth`, such as `--08`.
    GMonth,
    "xs:gMonth",
    is_g_month
);
text_newtype!(
    /// An `xs:gMonthDay`, such as `--08-01`.
    GMonthDay,
    "xs:gMonthDay",
    is_g_month_day
);
text_newtype!(
    /// An `xs:gDay`, such as `---01`.
    GDay,
    "xs:gDay",
    is_g_day
);

fn digits(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn is_decimal(text: &str) -> bool {
    let b = text.as_bytes();
    let b = b.strip_prefix(b"-").or_else(|| b.strip_prefix(b"+")).unwrap_or(b);
    let whole = digits(b);
    match &b[whole..] {
        [] => whole > 0,
        [b'.', fraction @ ..] => (whole > 0 || !fraction.is_empty()) && digits(fraction) == fraction.len(),
        _ => false,
    }
}

/// `Z`, `±hh:mm` or nothing.
fn is_zone(b: &[u8]) -> bool {
    match b {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn is_time(text: &str) -> bool {
    let b = text.as_bytes();
    let two = |at: usize| b.get(at..at + 2).is_some_and(|p| p.iter().all(u8::is_ascii_digit));
    if b.len() < 8 || !two(0) || b[2] != b':' || !two(3) || b[5] != b':' || !two(6) {
        return false;
    }
    let mut rest = &b[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = digits(fraction);
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    is_zone(rest)
}

/// `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n)?S)?)?` with at least one part, and a `T` only
/// before a time part.
fn is_duration(text: &str) -> bool {
    let b = text.as_bytes();
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let Some(mut rest) = b.strip_prefix(b"P") else { return false };
    let mut parts = 0;
    let mut in_time = false;
    let mut order = b"YMD".as_slice();
    while !rest.is_empty() {
        if rest[0] == b'T' && !in_time {
            (in_time, order, rest) = (true, b"HMS".as_slice(), &rest[1..]);
            if rest.is_empty() {
                return false;
            }
            continue;
        }
        let mut count = digits(rest);
        if in_time && rest.get(count) == Some(&b'.') {
            let fraction = digits(&rest[count + 1..]);
            if fraction == 0 || rest.get(count + 1 + fraction) != Some(&b'S') {
                return false;
            }
            count += 1 + fraction;
        }
        let Some(&unit) = rest.get(count).filter(|_| count > 0) else { return false };
        let Some(position) = order.iter().position(|u| *u == unit) else { return false };
        (order, rest, parts) = (&order[position + 1..], &rest[count + 1..], parts + 1);
    }
    parts > 0
}

fn is_g_year(text: &str) -> bool {
    let b = text.as_bytes();
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let year = digits(b);
    year >= 4 && is_zone(&b[year..])
}

fn is_g_year_month(text: &str) -> bool {
    let b = text.as_bytes();
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let year = digits(b);
    year >= 4 && b.get(year) == Some(&b'-') && digits(&b[year + 1..]) == 2 && is_zone(&b[year + 3..])
}

fn is_g_month(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 4 && b.starts_with(b"--") && digits(&b[2..]) == 2 && is_zone(&b[4..])
}

fn is_g_month_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 7
        && b.starts_with(b"--")
        && digits(&b[2..]) == 2
        && b[4] == b'-'
        && digits(&b[5..]) == 2
        && is_zone(&b[7..])
}

fn is_g_day(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 5 && b.starts_with(b"---") && digits(&b[3..]) == 2 && is_zone(&b[5..])
}

/// An `xs:hexBinary`: the decoded bytes, written in upper-case hex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct HexBinary(pub Vec<u8>);

impl HexBinary {
    fn encode(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02X}")).collect()
    }

    fn decode(text: &str) -> Option<Self> {
        let b = super::values::trim_xml(text).as_bytes();
        if !b.len().is_multiple_of(2) {
            return None;
        }
        let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        b.chunks(2).map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?)).collect::<Option<Vec<u8>>>().map(Self)
    }
}

impl ToXml for HexBinary {
    fn write_xml(&self, w: &mut XmlWriter, name: &str) {
        w.text_element(name, &self.encode());
    }
}

impl FromXml for HexBinary {
    fn read_xml<'a>(r: &mut XmlReader<'a>, element: &Element<'a>) -> Result<Self, DecodeError> {
        r.read_simple(element)
    }
}

impl super::simple::SimpleValue for HexBinary {
    const EXPECTED: &'static str = "xs:hexBinary";

    fn parse_value(text: &str) -> Option<Self> {
        Self::decode(text)
    }

    fn value_text(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.encode())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HexBinary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for HexBinary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::decode(&text).ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not hexBinary")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: FromXml>(xml: &str) -> Result<T, DecodeError> {
        let mut r = XmlReader::new(xml.as_bytes());
        let root = r.root()?;
        r.read(&root)
    }

    #[test]
    fn decimals_keep_every_digit() {
        let long = "-12345678901234567890.000000000000000000001";
        assert_eq!(read::<Decimal>(&format!("<d>{long}</d>")).unwrap().as_str(), long);
        for good in ["0", "+1", ".5", "5.", "-0.0"] {
            assert!(Decimal::new(good).is_ok(), "{good}");
        }
        for bad in ["", "1e5", "1.2.3", "-", ".", "1,5", "١٢"] {
            assert!(Decimal::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_durations_and_g_dates_are_checked() {
        for good in ["18:22:30", "18:22:30.5Z", "00:00:00-07:00"] {
            assert!(Time::new(good).is_ok(), "{good}");
        }
        for bad in ["18:22", "18:22:30.", "18:2é:30", "18:22:30+7"] {
            assert!(Time::new(bad).is_err(), "{bad}");
        }
        for good in ["P1Y2M3DT4H5M6.7S", "-PT15M", "P3D", "PT0S", "P1M"] {
            assert!(Duration::new(good).is_ok(), "{good}");
        }
        for bad in ["P", "PT", "P1S", "PT1D", "P1M1Y", "1Y", "P1.5Y", "PT1.S", "P٣D"] {
            assert!(Duration::new(bad).is_err(), "{bad}");
        }
        assert!(GYear::new("2013").is_ok() && GYear::new("13").is_err());
        assert!(GYearMonth::new("2013-08Z").is_ok() && GYearMonth::new("2013-8").is_err());
        assert!(GMonth::new("--08").is_ok() && GMonth::new("-08").is_err());
        assert!(GMonthDay::new("--08-01").is_ok() && GMonthDay::new("--08").is_err());
        assert!(GDay::new("---01").is_ok() && GDay::new("--01").is_err());
    }

    #[test]
    fn hex_binary_round_trips_bytes() {
        let value = read::<HexBinary>("<h>0fA0</h>").unwrap();
        assert_eq!(value.0, [0x0f, 0xa0]);
        let mut w = XmlWriter::new();
        value.write_xml(&mut w, "h");
        assert_eq!(w.as_bytes(), b"<h>0FA0</h>");
        assert!(read::<HexBinary>("<h>0fA</h>").is_err() && read::<HexBinary>("<h>zz</h>").is_err());
    }
}
