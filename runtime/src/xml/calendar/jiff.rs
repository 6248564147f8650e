//! `DateTime` and `Date` to and from `jiff` (the `jiff` feature).
//!
//! * `jiff::Timestamp` from a `DateTime` with a zone (one without names no instant), and
//!   to a `DateTime` in UTC (`Z`).
//! * `jiff::ZonedDateTime` to a `DateTime` at its offset (or in UTC when the offset has seconds,
//!   which XML Schema cannot write).
//! * `jiff::civil::DateTime` from any `DateTime` (its zone, if any, dropped: the clock
//!   time as written) and to a `DateTime` without a zone.
//! * `jiff::civil::Date` from a `Date` (its zone dropped) and to one.
//!
//! `24:00:00` is the next day's midnight; a fraction past nanoseconds is cut off.

use jiff::civil;
use jiff::tz::Offset;

use super::{
    conversion_date, conversion_fields, format_date, format_time, format_zone, instant_offset, CalendarError, Civil,
};
use crate::xml::{Date, DateTime};

fn date(civil: Civil, text: &str) -> Result<civil::Date, CalendarError> {
    let year = i16::try_from(civil.year).map_err(|_| out_of_range(text))?;
    civil::Date::new(year, civil.month as i8, civil.day as i8).map_err(|_| out_of_range(text))
}

fn out_of_range(text: &str) -> CalendarError {
    CalendarError(format!("`{text}` is outside the years jiff represents (-9999 to 9999)"))
}

impl TryFrom<&DateTime> for civil::DateTime {
    type Error = CalendarError;

    fn try_from(value: &DateTime) -> Result<Self, CalendarError> {
        let (text, fields) = conversion_fields(value)?;
        let day = date(fields.date, text)?;
        if fields.hour == 24 {
            return day
                .tomorrow()
                .map(|next| next.to_datetime(civil::Time::midnight()))
                .map_err(|_| out_of_range(text));
        }
        let time =
            civil::Time::new(fields.hour as i8, fields.minute as i8, fields.second as i8, fields.nanosecond as i32)
                .map_err(|e| CalendarError(format!("`{text}`: {e}")))?;
        Ok(day.to_datetime(time))
    }
}

impl TryFrom<&DateTime> for jiff::Timestamp {
    type Error = CalendarError;

    fn try_from(value: &DateTime) -> Result<Self, CalendarError> {
        let clock = civil::DateTime::try_from(value)?;
        let (text, fields) = conversion_fields(value)?;
        let offset = Offset::from_seconds(instant_offset(text, &fields, "civil::DateTime")?)
            .map_err(|e| CalendarError(format!("`{text}`: {e}")))?;
        offset.to_timestamp(clock).map_err(|_| out_of_range(text))
    }
}

impl TryFrom<&Date> for civil::Date {
    type Error = CalendarError;

    fn try_from(value: &Date) -> Result<Self, CalendarError> {
        let (text, day) = conversion_date(value)?;
        date(day, text)
    }
}

owned_too!(DateTime => civil::DateTime, DateTime => jiff::Timestamp, Date => civil::Date);

fn written(clock: civil::DateTime, zone: &str) -> DateTime {
    let day = format_date(i64::from(clock.year()), clock.month() as u8, clock.day() as u8);
    let time =
        format_time(clock.hour() as u8, clock.minute() as u8, clock.second() as u8, clock.subsec_nanosecond() as u32);
    DateTime::from_checked(format!("{day}T{time}{zone}"))
}

impl From<civil::DateTime> for DateTime {
    fn from(clock: civil::DateTime) -> Self {
        written(clock, "")
    }
}

impl From<jiff::Timestamp> for DateTime {
    fn from(instant: jiff::Timestamp) -> Self {
        written(Offset::UTC.to_datetime(instant), "Z")
    }
}

impl From<&jiff::ZonedDateTime> for DateTime {
    fn from(zoned: &jiff::ZonedDateTime) -> Self {
        let offset = zoned.offset();
        match offset.seconds() % 60 {
            0 => written(zoned.datetime(), &format_zone(offset.seconds())),
            _ => DateTime::from(zoned.timestamp()),
        }
    }
}

impl From<jiff::ZonedDateTime> for DateTime {
    fn from(zoned: jiff::ZonedDateTime) -> Self {
        DateTime::from(&zoned)
    }
}

impl From<civil::Date> for Date {
    fn from(day: civil::Date) -> Self {
        Date::from_checked(format_date(i64::from(day.year()), day.month() as u8, day.day() as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: impl Into<DateTime>) -> String {
        value.into().into_string()
    }

    #[test]
    fn date_times_with_a_zone_are_instants_and_come_back_in_utc() {
        let sent = DateTime::new("2013-08-05T17:58:10.125-05:00").unwrap();
        let instant = jiff::Timestamp::try_from(&sent).unwrap();
        assert_eq!(instant.to_string(), "2013-08-05T22:58:10.125Z");
        assert_eq!(text(instant), "2013-08-05T22:58:10.125Z");
        let local = DateTime::new("2013-08-05T17:58:10").unwrap();
        let refused = jiff::Timestamp::try_from(&local).unwrap_err().to_string();
        assert!(refused.contains("has no zone"), "{refused}");
        assert_eq!(civil::DateTime::try_from(local).unwrap().to_string(), "2013-08-05T17:58:10");
        let midnight = DateTime::new("2013-12-31T24:00:00Z").unwrap();
        assert_eq!(jiff::Timestamp::try_from(midnight).unwrap().to_string(), "2014-01-01T00:00:00Z");
    }

    #[test]
    fn civil_values_zones_and_empty_elements() {
        assert_eq!(text(civil::date(2024, 2, 29).at(7, 5, 0, 0)), "2024-02-29T07:05:00");
        let zoned = civil::date(2024, 2, 29)
            .at(7, 5, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(-5)))
            .unwrap();
        assert_eq!(text(&zoned), "2024-02-29T07:05:00-05:00");
        assert_eq!(Date::from(civil::date(-44, 3, 15)).as_str(), "-0044-03-15");
        assert_eq!(civil::Date::try_from(Date::new("2016-02-29+14:00").unwrap()).unwrap(), civil::date(2016, 2, 29));
        let empty = <DateTime as crate::xml::SimpleValue>::parse_value("").unwrap();
        assert!(jiff::Timestamp::try_from(&empty).unwrap_err().to_string().contains("empty"));
        let far = DateTime::new("12013-01-01T00:00:00Z").unwrap();
        assert!(jiff::Timestamp::try_from(&far).unwrap_err().to_string().contains("outside"));
    }
}
