//! Order numbers, validated before they go into a URL or a file name.
//!
//! An order number comes from the server, a journal file or a user's command line, and it ends
//! up in a query string and in paths like `DIR/<orderNo>.zip`. So it must be non-empty,
//! printable ASCII without path separators or spaces, and bounded in length.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::report_type::{truncate_for_message, ReportType};

/// The longest order number accepted.
pub const MAX_ORDER_NO_LEN: usize = 128;

/// A validated order number such as `JKDAY-167660123348194027`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderNo(String);

impl OrderNo {
    /// Validates `s`: 1 to 128 characters of `A-Z a-z 0-9 - _`, starting with a letter or digit.
    ///
    /// An order number names files in a shared folder (`<orderNo>.zip`, `<orderNo>/`), so no
    /// dot is allowed: `qcc-radar-journal.json` or `x.zip` as an order number would take the
    /// ledger's name or another order's archive, and a leading dot would hide among the
    /// folder's temporary files. The vendor's numbers are `JKDAY-167660123348194027`.
    pub fn new(s: impl Into<String>) -> Result<Self> {
        let s = s.into();
        let bad = || {
            Error::config(format!(
                "invalid order number {:?}: expected 1-{MAX_ORDER_NO_LEN} letters, digits, '-' or '_', starting with a letter or digit, like JKDAY-167660123348194027",
                truncate_for_message(&s)
            ))
        };
        let safe = s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
        let first_ok = s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
        if s.len() > MAX_ORDER_NO_LEN || !safe || !first_ok {
            return Err(bad());
        }
        Ok(OrderNo(s))
    }

    /// The order number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The report type its prefix implies: `JKDAY-` (the vendor's documented example), and by
    /// the same pattern `JKWEEK-` and `JKMONTH-`. `None` for any other prefix.
    pub fn report_type(&self) -> Option<ReportType> {
        let prefix = self.0.split('-').next()?;
        match prefix.to_ascii_uppercase().as_str() {
            "JKDAY" => Some(ReportType::Day),
            "JKWEEK" => Some(ReportType::Week),
            "JKMONTH" => Some(ReportType::Month),
            _ => None,
        }
    }

    /// The conventional order-number prefix for `report_type` (`JKDAY`, `JKWEEK`, `JKMONTH`).
    pub fn prefix_for(report_type: ReportType) -> &'static str {
        match report_type {
            ReportType::Day => "JKDAY",
            ReportType::Week => "JKWEEK",
            ReportType::Month => "JKMONTH",
        }
    }
}

impl fmt::Display for OrderNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for OrderNo {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        OrderNo::new(s)
    }
}

/// Written as its text, and validated again when read: a ledger file edited by hand cannot
/// smuggle a path into a file name.
impl serde::Serialize for OrderNo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for OrderNo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        OrderNo::new(text).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

impl AsRef<str> for OrderNo {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_garbled_order_number_is_quoted_without_a_signature() {
        // Found by fuzz/parse_response: createReport's orderNo holding part of a signed link.
        let e = OrderNo::new("r.zip?x&Signature=k%2FD2Yb67").unwrap_err();
        assert!(!e.message().contains("k%2FD2"), "{e}");
        assert!(e.message().contains("Signature=<redacted>"), "{e}");
    }

    #[test]
    fn accepts_vendor_example() {
        assert!(OrderNo::new("JKDAY-167660123348194027").is_ok());
    }

    #[test]
    fn type_from_prefix() {
        let o = OrderNo::new("JKWEEK-1").unwrap();
        assert_eq!(o.report_type(), Some(ReportType::Week));
        assert_eq!(OrderNo::new("X-1").unwrap().report_type(), None);
        for t in ReportType::ALL {
            let o = OrderNo::new(format!("{}-9", OrderNo::prefix_for(t))).unwrap();
            assert_eq!(o.report_type(), Some(t));
        }
    }

    #[test]
    fn rejects_unsafe() {
        for s in [
            "",
            "..",
            ".",
            "qcc-radar-journal.json",
            ".qcc-radar.lock",
            "JKDAY-1.zip",
            "-rf",
            "_x",
            "a/b",
            "a b",
            "a\0",
            "订单",
            &"x".repeat(129),
            "a\\b",
        ] {
            assert!(OrderNo::new(s).is_err(), "{s:?}");
        }
    }
}
