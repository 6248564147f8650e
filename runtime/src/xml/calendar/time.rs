//! `DateTime` and `Date` to and from `time` (the `time` feature).
//!
//! * `time::OffsetDateTime` from a `DateTime` with a zone (one without names no instant),
//!   and to a `DateTime` at its offset (in UTC when the offset has seconds, which XML
//!   Schema cannot write).
//! * `time::PrimitiveDateTime` from any `DateTime` (its zone, if any, dropped: the clock
//!   time as written) and to a `DateTime` without a zone.
//! * `time::Date` from a `Date` (its zone dropped) and to one.
//!
//! `24:00:00` is the next day's midnight; a fraction past nanoseconds is cut off.

use time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::{
    conversion_date, conversion_fields, format_date, format_time, format_zone, instant_offset, CalendarError, Civil,
};
use crate::xml::{Date, DateTime};

fn date(civil: Civil, text: &str) -> Result<time::Date, CalendarError> {
    let year = i32::try_from(civil.year).map_err(|_| out_of_range(text))?;
    let month = Month::try_from(civil.month).map_err(|e| CalendarError(format!("`{text}`: {e}")))?;
    time::Date::from_calendar_date(year, month, civil.day).map_err(|_| out_of_range(text))
}

fn out_of_range(text: &str) -> CalendarError {
    CalendarError(format!("`{text}` is outside the years time represents (-9999 to 9999)"))
}

impl TryFrom<&DateTime> for PrimitiveDateTime {
    type Error = CalendarError;

    fn try_from(value: &DateTime) -> Result<Self, CalendarError> {
        let (text, fields) = conversion_fields(value)?;
        let day = date(fields.date, text)?;
        if fields.hour == 24 {
            let next = day.next_day().ok_or_else(|| out_of_range(text))?;
            return Ok(PrimitiveDateTime::new(next, time::Time::MIDNIGHT));
        }
        let clock = time::Time::from_hms_nano(fields.hour, fields.minute, fields.second, fields.nanosecond)
            .map_err(|e| CalendarError(format!("`{text}`: {e}")))?;
        Ok(PrimitiveDateTime::new(day, clock))
    }
}

impl TryFrom<&DateTime> for OffsetDateTime {
    type Error = CalendarError;

    fn try_from(value: &DateTime) -> Result<Self, CalendarError> {
        let clock = PrimitiveDateTime::try_from(value)?;
        let (text, fields) = conversion_fields(value)?;
        let offset = UtcOffset::from_whole_seconds(instant_offset(text, &fields, "PrimitiveDateTime")?)
            .map_err(|e| CalendarError(format!("`{text}`: {e}")))?;
        Ok(clock.assume_offset(offset))
    }
}

impl TryFrom<&Date> for time::Date {
    type Error = CalendarError;

    fn try_from(value: &Date) -> Result<Self, CalendarError> {
        let (text, day) = conversion_date(value)?;
        date(day, text)
    }
}

owned_too!(DateTime => PrimitiveDateTime, DateTime => OffsetDateTime, Date => time::Date);

fn day_text(day: time::Date) -> String {
    format_date(i64::from(day.year()), u8::from(day.month()), day.day())
}

fn written(clock: PrimitiveDateTime, zone: &str) -> DateTime {
    let time = format_time(clock.hour(), clock.minute(), clock.second(), clock.nanosecond());
    DateTime::from_checked(format!("{}T{time}{zone}", day_text(clock.date())))
}

impl From<PrimitiveDateTime> for DateTime {
    fn from(clock: PrimitiveDateTime) -> Self {
        written(clock, "")
    }
}

impl From<OffsetDateTime> for DateTime {
    fn from(instant: OffsetDateTime) -> Self {
        let seconds = instant.offset().whole_seconds();
        let instant = match seconds % 60 {
            0 => instant,
            _ => instant.to_offset(UtcOffset::UTC),
        };
        let clock = PrimitiveDateTime::new(instant.date(), instant.time());
        written(clock, &format_zone(instant.offset().whole_seconds()))
    }
}

impl From<time::Date> for Date {
    fn from(day: time::Date) -> Self {
        Date::from_checked(day_text(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: impl Into<DateTime>) -> String {
        value.into().into_string()
    }

    #[test]
    fn date_times_with_a_zone_are_offset_date_times_and_back() {
        let sent = DateTime::new("2013-08-05T17:58:10.125-05:00").unwrap();
        let instant = OffsetDateTime::try_from(&sent).unwrap();
        assert_eq!(instant.unix_timestamp(), 1_375_743_490);
        assert_eq!(instant.offset().whole_hours(), -5);
        assert_eq!(text(instant), "2013-08-05T17:58:10.125-05:00");
        assert_eq!(text(instant.to_offset(UtcOffset::UTC)), "2013-08-05T22:58:10.125Z");
        let local = DateTime::new("2013-08-05T17:58:10").unwrap();
        assert!(OffsetDateTime::try_from(&local).unwrap_err().to_string().contains("has no zone"));
        assert_eq!(text(PrimitiveDateTime::try_from(local).unwrap()), "2013-08-05T17:58:10");
        let midnight = DateTime::new("2013-12-31T24:00:00Z").unwrap();
        assert_eq!(text(OffsetDateTime::try_from(midnight).unwrap()), "2014-01-01T00:00:00Z");
    }

    #[test]
    fn dates_odd_offsets_and_empty_elements() {
        let day = time::Date::from_calendar_date(2024, Month::February, 29).unwrap();
        assert_eq!(Date::from(day).as_str(), "2024-02-29");
        assert_eq!(time::Date::try_from(Date::new("2024-02-29-14:00").unwrap()).unwrap(), day);
        let odd =
            PrimitiveDateTime::new(day, time::Time::MIDNIGHT).assume_offset(UtcOffset::from_hms(0, 17, 30).unwrap());
        assert_eq!(text(odd), "2024-02-28T23:42:30Z", "an offset XML Schema cannot write is UTC");
        let empty = <DateTime as crate::xml::SimpleValue>::parse_value("").unwrap();
        assert!(OffsetDateTime::try_from(&empty).unwrap_err().to_string().contains("empty"));
    }
}
