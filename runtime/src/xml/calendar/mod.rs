//! `xs:dateTime` and `xs:date`: the lexical checks `DateTime` and `Date` make, the
//! fields of a checked value, and (behind the `jiff` and `time` features) conversions to
//! and from those crates' types.
//!
//! The checks work on bytes: a value may hold any character, and slicing a `str` at a
//! fixed offset would panic inside a multibyte one.

/// `TryFrom<T>` for each `TryFrom<&T>` a conversion module writes.
#[cfg(any(feature = "jiff", feature = "time"))]
macro_rules! owned_too {
    ($($from:ty => $to:ty),*) => {$(
        impl TryFrom<$from> for $to {
            type Error = CalendarError;
            fn try_from(value: $from) -> Result<Self, CalendarError> {
                <$to>::try_from(&value)
            }
        }
    )*};
}

#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "time")]
mod time;

use std::fmt;

/// A date of the proleptic Gregorian calendar, as an `xs:date` or `xs:dateTime` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

/// The fields of an `xs:dateTime`; `24:00:00` (the end of the day) is kept as hour 24.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTimeFields {
    pub date: Civil,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// The fraction of the second, cut to nanoseconds.
    pub nanosecond: u32,
    /// The offset from UTC in minutes; `None` for a local time (no zone).
    pub offset_minutes: Option<i32>,
}

/// The fields of an `xs:date`; its zone, if any, does not change the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateFields {
    pub date: Civil,
    pub offset_minutes: Option<i32>,
}

/// Why a `DateTime` or `Date` is not a value of another crate's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub(crate) String);

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CalendarError {}

/// The fields of a `DateTime` for a conversion: refused when empty (an element sent
/// without a value).
#[cfg(any(feature = "jiff", feature = "time"))]
pub(crate) fn conversion_fields(value: &crate::xml::DateTime) -> Result<(&str, DateTimeFields), CalendarError> {
    let text = value.as_str();
    let fields = match text.is_empty() {
        true => return Err(CalendarError("an empty xs:dateTime (an element sent without a value) is no time".into())),
        false => date_time_fields(text).ok_or_else(|| CalendarError(format!("`{text}` is not a valid xs:dateTime")))?,
    };
    Ok((text, fields))
}

/// [`conversion_fields`] of a `Date`.
#[cfg(any(feature = "jiff", feature = "time"))]
pub(crate) fn conversion_date(value: &crate::xml::Date) -> Result<(&str, Civil), CalendarError> {
    let text = value.as_str();
    match text.is_empty() {
        true => Err(CalendarError("an empty xs:date (an element sent without a value) is no time".into())),
        false => date_fields(text)
            .map(|f| (text, f.date))
            .ok_or_else(|| CalendarError(format!("`{text}` is not a valid xs:date"))),
    }
}

/// The offset of a `DateTime` that converts to an instant, in seconds; `local` names the
/// type a value without a zone converts to instead.
#[cfg(any(feature = "jiff", feature = "time"))]
pub(crate) fn instant_offset(text: &str, fields: &DateTimeFields, local: &str) -> Result<i32, CalendarError> {
    match fields.offset_minutes {
        Some(minutes) => Ok(minutes * 60),
        None => Err(CalendarError(format!("`{text}` has no zone, so it is no instant (read it as a {local})"))),
    }
}

pub(super) fn is_date(text: &str) -> bool {
    date_fields(text).is_some()
}

pub(super) fn is_date_time(text: &str) -> bool {
    date_time_fields(text).is_some()
}

/// `-?YYYY-MM-DD` and an optional zone.
pub(crate) fn date_fields(text: &str) -> Option<DateFields> {
    let (date, rest) = civil(text.as_bytes())?;
    Some(DateFields { date, offset_minutes: zone(rest)? })
}

/// `-?YYYY-MM-DDThh:mm:ss(.s+)?` and an optional zone.
pub(crate) fn date_time_fields(text: &str) -> Option<DateTimeFields> {
    let (date, rest) = civil(text.as_bytes())?;
    let (time, mut rest) = rest.strip_prefix(b"T")?.split_at_checked(8)?;
    let (hour, minute, second) = hours_minutes_seconds(time)?;
    let mut nanosecond = 0;
    let mut fraction_is_zero = true;
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        fraction_is_zero = fraction[..count].iter().all(|&d| d == b'0');
        let nine: Vec<u8> = fraction[..count].iter().copied().chain(std::iter::repeat(b'0')).take(9).collect();
        nanosecond = number(&nine);
        rest = &fraction[count..];
    }
    // 24:00:00 is the end of the day (XML Schema allows it); any later time is not a time.
    let end_of_day = (hour, minute, second) == (24, 0, 0) && fraction_is_zero;
    if !(hour < 24 && minute < 60 && second < 60 || end_of_day) {
        return None;
    }
    let offset_minutes = zone(rest)?;
    Some(DateTimeFields {
        date,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanosecond,
        offset_minutes,
    })
}

/// The date at the start of `b` and what follows it. The year has four digits or more
/// (more only without a leading zero) and may be negative, as XML Schema allows; `-0000`
/// is not a year.
fn civil(b: &[u8]) -> Option<(Civil, &[u8])> {
    let (negative, b) = match b.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, b),
    };
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=18).contains(&digits) || digits > 4 && b[0] == b'0' {
        return None;
    }
    let magnitude = b[..digits].iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    if negative && magnitude == 0 {
        return None;
    }
    let year = if negative { -magnitude } else { magnitude };
    match &b[digits..] {
        [b'-', m1, m2, b'-', d1, d2, rest @ ..] if all_digits(&[m1, m2, d1, d2]) => {
            let (month, day) = (number(&[*m1, *m2]), number(&[*d1, *d2]));
            is_calendar_date(year, month, day).then_some((Civil { year, month: month as u8, day: day as u8 }, rest))
        }
        _ => None,
    }
}

/// Whether `month` (1-12) of `year` has a day `day`: February has 29 in leap years (every
/// fourth, but not centuries other than every fourth one).
pub fn is_calendar_date(year: i64, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

// Howard Hinnant's civil calendar algorithms: exact for the proleptic Gregorian calendar.

/// The date `days` after 1970-01-01 (before it when negative): year, month, day.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

/// The days from 1970-01-01 to `year`-`month`-`day` (negative before it).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `unix_seconds` as an `xs:dateTime` in UTC: `2010-09-16T07:50:45Z`.
pub(crate) fn utc_text(unix_seconds: i64) -> String {
    let (days, second) = (unix_seconds.div_euclid(86_400), unix_seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (second / 3600, second % 3600 / 60, second % 60);
    format!("{}T{h:02}:{m:02}:{s:02}Z", format_date(year, month as u8, day as u8))
}

/// The instant a checked `xs:dateTime` names, in seconds since the Unix epoch (the
/// fraction dropped); `None` for a local time (no zone).
pub(crate) fn unix_seconds(fields: &DateTimeFields) -> Option<i64> {
    let Civil { year, month, day } = fields.date;
    let days = days_from_civil(year, u32::from(month), u32::from(day));
    let clock = i64::from(fields.hour) * 3600 + i64::from(fields.minute) * 60 + i64::from(fields.second);
    Some(days * 86_400 + clock - i64::from(fields.offset_minutes?) * 60)
}

/// `hh:mm:ss`, exactly eight bytes, as numbers (not checked against the clock).
fn hours_minutes_seconds(b: &[u8]) -> Option<(u32, u32, u32)> {
    match b {
        [h1, h2, b':', m1, m2, b':', s1, s2] if all_digits(&[h1, h2, m1, m2, s1, s2]) => {
            Some((number(&[*h1, *h2]), number(&[*m1, *m2]), number(&[*s1, *s2])))
        }
        _ => None,
    }
}

/// No zone (`Some(None)`), `Z`, or an offset from `-14:00` to `+14:00`, in minutes.
fn zone(zone: &[u8]) -> Option<Option<i32>> {
    match zone {
        [] => Some(None),
        [b'Z'] => Some(Some(0)),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] if all_digits(&[h1, h2, m1, m2]) => {
            let (hours, minutes) = (number(&[*h1, *h2]), number(&[*m1, *m2]));
            let in_range = minutes < 60 && (hours < 14 || hours == 14 && minutes == 0);
            let offset = (hours * 60 + minutes) as i32;
            in_range.then_some(Some(if *sign == b'-' { -offset } else { offset }))
        }
        _ => None,
    }
}

fn all_digits(bytes: &[&u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_digit())
}

/// The number ASCII digits spell.
fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

/// `date` as XML Schema spells it: four digits at least, a `-` before a year before 1.
pub(crate) fn format_date(year: i64, month: u8, day: u8) -> String {
    let sign = if year < 0 { "-" } else { "" };
    format!("{sign}{:04}-{month:02}-{day:02}", year.unsigned_abs())
}

/// `hh:mm:ss` and the fraction of the second, without trailing zeros.
#[cfg_attr(not(any(feature = "jiff", feature = "time")), allow(dead_code))]
pub(crate) fn format_time(hour: u8, minute: u8, second: u8, nanosecond: u32) -> String {
    let mut text = format!("{hour:02}:{minute:02}:{second:02}");
    if nanosecond > 0 {
        let fraction = format!("{nanosecond:09}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text
}

/// `Z` for UTC, else `±hh:mm`.
#[cfg_attr(not(any(feature = "jiff", feature = "time")), allow(dead_code))]
pub(crate) fn format_zone(offset_seconds: i32) -> String {
    if offset_seconds == 0 {
        return "Z".to_owned();
    }
    let sign = if offset_seconds < 0 { '-' } else { '+' };
    let minutes = offset_seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_of_checked_values() {
        let fields = date_time_fields("2013-08-05T17:58:10.1250-05:30").unwrap();
        assert_eq!(fields.date, Civil { year: 2013, month: 8, day: 5 });
        assert_eq!((fields.hour, fields.minute, fields.second, fields.nanosecond), (17, 58, 10, 125_000_000));
        assert_eq!(fields.offset_minutes, Some(-330));
        assert_eq!(date_time_fields("2013-08-05T17:58:10.1234567891Z").unwrap().nanosecond, 123_456_789);
        assert_eq!(date_time_fields("2013-08-05T17:58:10").unwrap().offset_minutes, None);
        assert_eq!(date_fields("2013-08-05+14:00").unwrap().offset_minutes, Some(840));
        // Years as XML Schema writes them: negative, or more than four digits.
        assert_eq!(date_fields("-0044-03-15").unwrap().date.year, -44);
        assert_eq!(date_fields("12013-08-05").unwrap().date.year, 12013);
        for invalid in ["-0000-01-01", "02013-08-05", "013-08-05", "+2013-08-05", "2013-08-05T17:58:10.Z"] {
            assert!(date_fields(invalid).is_none() && date_time_fields(invalid).is_none(), "{invalid}");
        }
        assert!(is_calendar_date(-4, 2, 29) && !is_calendar_date(-1, 2, 29));
    }

    #[test]
    fn unix_seconds_both_ways() {
        assert_eq!(utc_text(1_284_623_445), "2010-09-16T07:50:45Z");
        assert_eq!(utc_text(-1), "1969-12-31T23:59:59Z");
        let fields = date_time_fields("2010-09-16T09:50:45.9+02:00").unwrap();
        assert_eq!(unix_seconds(&fields), Some(1_284_623_445));
        assert_eq!(unix_seconds(&date_time_fields("2010-09-16T24:00:00Z").unwrap()), Some(1_284_681_600));
        assert_eq!(unix_seconds(&date_time_fields("2010-09-16T07:50:45").unwrap()), None);
        for days in [-800_000, -1, 0, 1, 11_000, 3_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert!(is_calendar_date(y, m, d) && days_from_civil(y, m, d) == days, "{days}");
        }
    }

    #[test]
    fn formatting_writes_what_the_checks_accept() {
        let text =
            format!("{}T{}{}", format_date(-44, 3, 15), format_time(9, 5, 0, 120_000_000), format_zone(-330 * 60));
        assert_eq!(text, "-0044-03-15T09:05:00.12-05:30");
        assert!(is_date_time(&text));
        assert_eq!(
            format!("{}T{}{}", format_date(2013, 8, 5), format_time(0, 0, 0, 0), format_zone(0)),
            "2013-08-05T00:00:00Z"
        );
    }
}
