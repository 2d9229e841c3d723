//! The reporting period a report belongs to, for resuming an order instead of paying twice.
//!
//! QCC is a Chinese service: its days begin at midnight Beijing time (UTC+8, no daylight
//! saving), whatever the caller's own zone. A daily report's period is that date, a weekly
//! one's the ISO week, a monthly one's the month. The current time is an argument: this crate
//! never reads the clock.

use crate::report_type::ReportType;

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// (year, month 1-12, day 1-31) of a count of days since 1970-01-01 (Howard Hinnant's
/// civil-from-days). Public so the sandbox dates its archives and XML the same way.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The period label for `report_type` at `unix_secs`, in Beijing time: `2026-11-29` (day),
/// `2026-W48` (ISO week), `2026-11` (month).
///
/// ```
/// use qcc_radar_core::{report_period, ReportType};
/// // 2026-11-29 20:00 UTC is already 2026-11-30 in Beijing.
/// assert_eq!(report_period(ReportType::Day, 1_795_982_400), "2026-11-30");
/// ```
pub fn report_period(report_type: ReportType, unix_secs: i64) -> String {
    // Saturating: a garbage timestamp from a binding gives a garbage label, not a panic.
    let days = unix_secs
        .saturating_add(BEIJING_OFFSET_SECS)
        .div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    match report_type {
        ReportType::Day => format!("{y:04}-{m:02}-{d:02}"),
        ReportType::Month => format!("{y:04}-{m:02}"),
        ReportType::Week => {
            // 1970-01-01 was a Thursday: weekday 1 = Monday … 7 = Sunday.
            let weekday = (days + 3).rem_euclid(7) + 1;
            let thursday = days - (weekday - 1) + 3;
            let (iso_year, _, _) = civil_from_days(thursday);
            let week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
            format!("{iso_year:04}-W{week:02}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32, h: i64) -> i64 {
        days_from_civil(y, m, d) * 86_400 + h * 3600
    }

    #[test]
    fn beijing_day_boundary() {
        // 15:59 UTC is 23:59 Beijing; 16:00 UTC is the next Beijing day.
        assert_eq!(
            report_period(ReportType::Day, at(2026, 11, 29, 15)),
            "2026-11-29"
        );
        assert_eq!(
            report_period(ReportType::Day, at(2026, 11, 29, 16)),
            "2026-11-30"
        );
        assert_eq!(
            report_period(ReportType::Month, at(2026, 12, 31, 16)),
            "2027-01"
        );
    }

    #[test]
    fn iso_weeks() {
        // 2026-11-29 is a Sunday in ISO week 48.
        assert_eq!(
            report_period(ReportType::Week, at(2026, 11, 29, 0)),
            "2026-W48"
        );
        // 2021-01-03 (Sunday) belongs to 2020-W53; 2024-12-30 (Monday) to 2025-W01.
        assert_eq!(
            report_period(ReportType::Week, at(2021, 1, 3, 0)),
            "2020-W53"
        );
        assert_eq!(
            report_period(ReportType::Week, at(2024, 12, 30, 0)),
            "2025-W01"
        );
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 59, 60, 365 * 56 + 14, 20_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    // Regression: timestamps near i64::MAX overflowed (a panic in debug builds).
    #[test]
    fn extreme_timestamps_do_not_panic() {
        for t in [i64::MIN, i64::MIN + 1, -1, i64::MAX - 1, i64::MAX] {
            for r in ReportType::ALL {
                assert!(!report_period(r, t).is_empty());
            }
        }
    }
}
