//! Reading a value's type from its text, and the calendar arithmetic behind dates.
//!
//! A report's CSV has no types, so each column's type is read from its text, and only when the
//! text says it without doubt: `00123` is a code, not the number 123 (typing it would drop the
//! zeros); `12,345` and `1e5` are left alone (separators and exponents are how a number becomes
//! ambiguous); a number with more than 15 significant digits stays text, since a double cannot
//! hold it exactly (credit codes and ids look like that). Dates are `YYYY-MM-DD` or
//! `YYYY/M/D`, date-times add ` HH:MM[:SS[.fff]]` (or `T`), with no zone: the vendor writes
//! Beijing wall-clock time and says so nowhere, so a time stays a wall-clock time. The calendar
//! is proleptic Gregorian, with days counted from 1970-01-01 as Arrow's `Date32` counts them.

/// Milliseconds in a day.
pub const MS_PER_DAY: i64 = 86_400_000;

/// Days from 1970-01-01 to `year-month-day` (proleptic Gregorian; `month` 1–12, `day` 1–31,
/// not checked here: see [`parse_date`]).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    // Howard Hinnant's algorithm (`days_from_civil`), with March as the first month.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) as i32
}

/// The `(year, month, day)` of a day counted from 1970-01-01.
pub fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads 1 to `max` ASCII digits from the front of `s`.
fn digits(s: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let n = s
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if n < min {
        return None;
    }
    let v = s[..n]
        .iter()
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((v, &s[n..]))
}

/// The date at the front of `s` and what follows it: `YYYY-MM-DD` (zero-padded) or `YYYY/M/D`.
fn date_prefix(s: &[u8]) -> Option<(i32, &[u8])> {
    let (year, rest) = digits(s, 4, 4)?;
    let sep = *rest.first()?;
    let (min, max) = match sep {
        b'-' => (2, 2),
        b'/' => (1, 2),
        _ => return None,
    };
    let (month, rest) = digits(&rest[1..], min, max)?;
    if rest.first() != Some(&sep) {
        return None;
    }
    let (day, rest) = digits(&rest[1..], min, max)?;
    let year = year as i32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some((days_from_civil(year, month, day), rest))
}

/// `s` as a date (days from 1970-01-01), when it is exactly `YYYY-MM-DD` or `YYYY/M/D` and a
/// real day.
pub fn parse_date(s: &str) -> Option<i32> {
    match date_prefix(s.as_bytes())? {
        (days, []) => Some(days),
        _ => None,
    }
}

/// `s` as a wall-clock date-time (milliseconds from 1970-01-01 00:00), when it is a date as
/// [`parse_date`] reads it, then ` ` or `T`, then `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1–3
/// fraction digits); no zone.
pub fn parse_datetime(s: &str) -> Option<i64> {
    let (days, rest) = date_prefix(s.as_bytes())?;
    let rest = match rest.first()? {
        b' ' | b'T' => &rest[1..],
        _ => return None,
    };
    let (hour, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (minute, mut rest) = digits(rest, 2, 2)?;
    let (mut second, mut milli) = (0, 0);
    if let Some(r) = rest.strip_prefix(b":") {
        let (sec, r) = digits(r, 2, 2)?;
        second = sec;
        rest = r;
        if let Some(r) = rest.strip_prefix(b".") {
            let n = r.len();
            let (f, r) = digits(r, 1, 3)?;
            milli = f * 10u32.pow(3 - (n - r.len()) as u32);
            rest = r;
        }
    }
    if !rest.is_empty() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let ms = (i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)) * 1000
        + i64::from(milli);
    Some(i64::from(days) * MS_PER_DAY + ms)
}

/// Whether `s` is an integer written the one way it would be written back: an optional `-`,
/// then `0` or digits not starting with `0`, within `i64`.
pub fn is_plain_int(s: &str) -> bool {
    let b = s.as_bytes();
    let d = b.strip_prefix(b"-").unwrap_or(b);
    if d.is_empty() || d.len() > 19 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if d[0] == b'0' && (d.len() > 1 || b.len() > 1) {
        return false; // `00123` is a code; `-0` is not how anyone writes zero
    }
    d.len() < 19 || s.parse::<i64>().is_ok()
}

/// Whether `s` is a plain decimal a double holds exactly enough to write back: an optional
/// `-`, an integer part as [`is_plain_int`] allows it, optionally `.` and digits, at most 15
/// significant digits in all.
pub fn is_plain_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let d = b.strip_prefix(b"-").unwrap_or(b);
    let (int, frac) = match d.iter().position(|&c| c == b'.') {
        Some(i) => (&d[..i], Some(&d[i + 1..])),
        None => (d, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) || (int[0] == b'0' && int.len() > 1) {
        return false;
    }
    let frac = match frac {
        Some(f) if f.is_empty() || !f.iter().all(u8::is_ascii_digit) => return false,
        Some(f) => f,
        None => &[][..],
    };
    let significant = if int == b"0" {
        frac.iter().skip_while(|&&c| c == b'0').count()
    } else {
        int.len() + frac.len()
    };
    significant <= 15
}

/// `days` as `YYYY-MM-DD`.
pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `ms` (wall-clock milliseconds from 1970-01-01) as `YYYY-MM-DD HH:MM:SS`, with `.fff` when
/// there are milliseconds.
pub fn format_datetime(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let in_day = ms.rem_euclid(MS_PER_DAY);
    let (secs, milli) = (in_day / 1000, in_day % 1000);
    let date = format_date(days as i32);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if milli == 0 {
        format!("{date} {h:02}:{m:02}:{s:02}")
    } else {
        format!("{date} {h:02}:{m:02}:{s:02}.{milli:03}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(days_from_civil(1899, 12, 30), -25_569);
        for d in [-800_000, -25_569, -1, 0, 1, 19_782, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(parse_date("2024/2/29"), Some(19_782));
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-13-01",
            "2024-01-01 ",
            "24-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_datetime("1970-01-02 01:02:03.5"),
            Some(MS_PER_DAY + 3_723_500)
        );
        assert_eq!(parse_datetime("1970-01-01T00:01"), Some(60_000));
        for bad in [
            "1970-01-01",
            "1970-01-01 24:00",
            "1970-01-01 10:00Z",
            "1970-01-01 1:00",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
        assert_eq!(
            format_datetime(MS_PER_DAY + 3_723_500),
            "1970-01-02 01:02:03.500"
        );
        assert_eq!(format_datetime(-1000), "1969-12-31 23:59:59");
        assert_eq!(format_date(19_782), "2024-02-29");
    }

    #[test]
    fn numbers_are_read_strictly() {
        for ok in ["0", "7", "-12", "9223372036854775807"] {
            assert!(is_plain_int(ok), "{ok}");
        }
        for bad in [
            "",
            "-",
            "00123",
            "-0",
            "+1",
            "1.0",
            "1e3",
            "9223372036854775808",
            " 1",
        ] {
            assert!(!is_plain_int(bad), "{bad}");
        }
        for ok in [
            "0",
            "0.5",
            "-3.25",
            "12.50",
            "123456789012345",
            "0.000123456789012345",
        ] {
            assert!(is_plain_decimal(ok), "{ok}");
        }
        for bad in [
            "1.",
            ".5",
            "01.5",
            "1e5",
            "1,000",
            "1234567890123456",
            "NaN",
            "inf",
        ] {
            assert!(!is_plain_decimal(bad), "{bad}");
        }
    }
}
