//! A report order's processing state: `P`, `S` or `F`.

use std::fmt;

use crate::error::Error;
use crate::report_type::truncate_for_message;

/// Where the report's generation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// `P`: still being made (also how a 205 "waiting to be processed" answer is reported).
    Pending,
    /// `S`: made; the link is ready.
    Succeeded,
    /// `F`: making it failed.
    Failed,
}

impl ReportStatus {
    /// The API's letter: `P`, `S` or `F`.
    pub fn as_letter(self) -> &'static str {
        match self {
            ReportStatus::Pending => "P",
            ReportStatus::Succeeded => "S",
            ReportStatus::Failed => "F",
        }
    }

    /// Parses the API's letter. Anything else is an error that shows what arrived.
    pub fn from_letter(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "P" | "p" => Ok(ReportStatus::Pending),
            "S" | "s" => Ok(ReportStatus::Succeeded),
            "F" | "f" => Ok(ReportStatus::Failed),
            _ => Err(Error::transport(format!(
                "getReportInfo answered with an unknown reportStatus {:?}; expected P, S or F",
                truncate_for_message(s)
            ))),
        }
    }
}

impl fmt::Display for ReportStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        for s in [
            ReportStatus::Pending,
            ReportStatus::Succeeded,
            ReportStatus::Failed,
        ] {
            assert_eq!(ReportStatus::from_letter(s.as_letter()).unwrap(), s);
        }
        assert!(ReportStatus::from_letter("X").is_err());
        assert!(ReportStatus::from_letter("").is_err());
    }

    #[test]
    fn an_unknown_status_is_quoted_without_a_signature() {
        // Found by fuzz/parse_response: a garbled answer with the link in reportStatus.
        let e = ReportStatus::from_letter("https://f/r.zip?Expires=1&Signature=k%2FD2Yb67")
            .unwrap_err();
        assert!(!e.message().contains("k%2FD2"), "{e}");
        let e = ReportStatus::from_letter("r.zip&Signature=k%2FD2Yb67").unwrap_err();
        assert!(!e.message().contains("k%2FD2"), "{e}");
        assert!(e.message().contains("Signature=<redacted>"), "{e}");
    }
}
