//! The three report types: daily, weekly and monthly digests.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// Which digest to order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportType {
    /// `day`: the daily report.
    Day,
    /// `week`: the weekly report.
    Week,
    /// `month`: the monthly report.
    Month,
}

impl ReportType {
    /// All three, in order.
    pub const ALL: [ReportType; 3] = [ReportType::Day, ReportType::Week, ReportType::Month];

    /// The API's spelling: `day`, `week` or `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportType::Day => "day",
            ReportType::Week => "week",
            ReportType::Month => "month",
        }
    }
}

impl fmt::Display for ReportType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportType {
    type Err = Error;

    /// Parses `day`, `week` or `month` (case-insensitive, surrounding spaces ignored).
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        ReportType::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                Error::config(format!(
                    "unknown report type {:?}; use one of: day, week, month",
                    truncate_for_message(s)
                ))
            })
    }
}

/// Written as its API spelling (`"day"`), read through [`FromStr`], as a ledger stores it.
impl serde::Serialize for ReportType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ReportType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message()))
    }
}

/// Text from outside (an argument, a server's field) as an error message quotes it: at most 64
/// characters, and never a signed link's query or signature, since a garbled answer can put the
/// link into any field.
pub(crate) fn truncate_for_message(s: &str) -> String {
    let cut: String = s.chars().take(64).collect();
    crate::redact::redact_text(&cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names_allowed_values() {
        assert_eq!("day".parse::<ReportType>().unwrap(), ReportType::Day);
        assert_eq!(" WEEK ".parse::<ReportType>().unwrap(), ReportType::Week);
        let e = "year".parse::<ReportType>().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        assert!(e.message().contains("day, week, month"));
    }
}
