//! The named fault scenarios.
//!
//! Every test suite, in every language, names a scenario by the same snake_case string
//! (`"flaky"`, `"clock_skew"` …), so the names are part of the public contract: the CLI's
//! `--scenario`, the Python and Node `Sandbox(...)` constructors and the C tests all pass these
//! strings through [`FromStr`]. One sandbox runs one scenario for its whole life; a test that
//! needs two behaviours starts two sandboxes (a start costs a few milliseconds).

use std::error::Error;
use std::fmt;
use std::str::FromStr;

/// How the sandbox behaves. [`Scenario::Normal`] is the happy path; every other scenario
/// injects one fault a real deployment meets sooner or later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    /// `normal`: orders succeed, a few `P` answers, then `S` with a working link to a small
    /// report zip whose names are GBK-encoded.
    #[default]
    Normal,
    /// `no_change`: createReport answers 201 (no monitored company changed, so no report).
    NoChange,
    /// `fail`: after the `P` answers, getReportInfo answers `reportStatus` `F`.
    Fail,
    /// `slow`: `P` until `slow_ready_after` has passed since the order, then `S`.
    Slow,
    /// `flaky`: the first getReportInfo of each order is an HTTP 502 HTML gateway page, and the
    /// first download of each order is cut off after about half its body.
    Flaky,
    /// `expired_link`: the first `S` answer of each order carries a link that expired 60 s ago.
    ExpiredLink,
    /// `quota`: every API call answers 112 (balance exhausted).
    Quota,
    /// `bad_credentials`: the server expects a different secret, so every call answers 107.
    BadCredentials,
    /// `unsafe_archive`: the report zip holds `../escape.txt`, `/tmp/qcc-abs.txt` and a symlink
    /// `link -> /etc/passwd` beside a normal entry.
    UnsafeArchive,
    /// `zip_bomb`: the report zip holds a 64 MiB entry of zeros deflated about 1000:1.
    ZipBomb,
    /// `clock_skew`: the server's clock runs `clock_skew` ahead; a client with a correct clock
    /// gets 115 until it corrects from the `Date` header.
    ClockSkew,
    /// `large`: the report zip is a stored archive of about `large_bytes` of incompressible
    /// data, generated on the fly.
    Large,
    /// `lost_answer`: the sandbox's first createReport places the order, then the connection
    /// is closed with no answer; later createReports answer normally. A client must not order
    /// again blindly: the order exists and is billed.
    LostAnswer,
    /// `create_hangs`: the sandbox's first createReport places the order, then holds its answer
    /// for `hang` (default an hour), so the client's request timeout ends it; later
    /// createReports answer normally.
    CreateHangs,
    /// `stall`: the first download of each order trickles its first half in slow pieces
    /// (`trickle_gap` apart, ten pieces in all) and is then cut; a resume with `Range` gets
    /// the rest at full speed. A download that keeps making progress must be resumed however
    /// long it has run.
    Stall,
    /// `colliding_names`: the report zip holds `风险监控日报/Report.csv` and
    /// `风险监控日报/report.csv` beside a normal entry: two files on Linux, one on Windows and
    /// macOS, so a client must refuse the archive rather than extract it differently per system.
    CollidingNames,
    /// `encrypted`: the report zip's files are encrypted with ZipCrypto (as the older radar
    /// API's were), and getReportInfo's `S` answer carries the password as `unzipPassword`
    /// ([`crate::UNZIP_PASSWORD`]).
    Encrypted,
    /// `encrypted_aes`: like `encrypted`, with AES-256 (WinZip AE-2) instead of ZipCrypto.
    EncryptedAes,
    /// `encrypted_no_password`: the report zip is encrypted with ZipCrypto, and getReportInfo
    /// gives no `unzipPassword`: a client needs [`crate::UNZIP_PASSWORD`] from its own settings.
    EncryptedNoPassword,
    /// `tables`: like `normal`, but the report holds what a real one may: the older API's
    /// `corp.json`, `person.json` and `corp_news.json`, a GBK CSV digest with a malformed row,
    /// a two-sheet xlsx workbook, an empty file and a text file, to read as tables.
    Tables,
}

impl Scenario {
    /// Every scenario, in declaration order.
    pub const ALL: [Scenario; 20] = [
        Scenario::Normal,
        Scenario::NoChange,
        Scenario::Fail,
        Scenario::Slow,
        Scenario::Flaky,
        Scenario::ExpiredLink,
        Scenario::Quota,
        Scenario::BadCredentials,
        Scenario::UnsafeArchive,
        Scenario::ZipBomb,
        Scenario::ClockSkew,
        Scenario::Large,
        Scenario::LostAnswer,
        Scenario::CreateHangs,
        Scenario::Stall,
        Scenario::CollidingNames,
        Scenario::Encrypted,
        Scenario::EncryptedAes,
        Scenario::EncryptedNoPassword,
        Scenario::Tables,
    ];

    /// The scenario's snake_case name, as every binding and the CLI spell it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Scenario::Normal => "normal",
            Scenario::NoChange => "no_change",
            Scenario::Fail => "fail",
            Scenario::Slow => "slow",
            Scenario::Flaky => "flaky",
            Scenario::ExpiredLink => "expired_link",
            Scenario::Quota => "quota",
            Scenario::BadCredentials => "bad_credentials",
            Scenario::UnsafeArchive => "unsafe_archive",
            Scenario::ZipBomb => "zip_bomb",
            Scenario::ClockSkew => "clock_skew",
            Scenario::Large => "large",
            Scenario::LostAnswer => "lost_answer",
            Scenario::CreateHangs => "create_hangs",
            Scenario::Stall => "stall",
            Scenario::CollidingNames => "colliding_names",
            Scenario::Encrypted => "encrypted",
            Scenario::EncryptedAes => "encrypted_aes",
            Scenario::EncryptedNoPassword => "encrypted_no_password",
            Scenario::Tables => "tables",
        }
    }

    /// One line saying what the scenario does, for `--help` texts and logs.
    pub fn description(&self) -> &'static str {
        match self {
            Scenario::Normal => "orders succeed; P a few times, then S with a working link",
            Scenario::NoChange => "createReport answers 201: no risk changes, so no report",
            Scenario::Fail => "getReportInfo answers P a few times, then F (generation failed)",
            Scenario::Slow => "getReportInfo answers P until slow_ready_after has passed",
            Scenario::Flaky => {
                "first getReportInfo per order is a 502 gateway page; first download is cut short"
            }
            Scenario::ExpiredLink => "the first S answer per order carries an expired link",
            Scenario::Quota => "every API call answers 112: balance exhausted or expired",
            Scenario::BadCredentials => "the server expects another secret: every call is 107",
            Scenario::UnsafeArchive => "the zip holds ../, absolute and symlink entries",
            Scenario::ZipBomb => "the zip holds a 64 MiB entry of zeros compressed ~1000:1",
            Scenario::ClockSkew => "the server clock runs ahead: 115 until the client corrects",
            Scenario::Large => "the zip is large (large_bytes), stored, generated on the fly",
            Scenario::LostAnswer => {
                "the first createReport places the order, then hangs up without an answer"
            }
            Scenario::CreateHangs => {
                "the first createReport places the order, then holds its answer for `hang`"
            }
            Scenario::Stall => "the first download trickles half the archive slowly, then is cut",
            Scenario::CollidingNames => {
                "the zip holds Report.csv and report.csv: one file on Windows and macOS"
            }
            Scenario::Encrypted => "the zip is ZipCrypto-encrypted; S answers carry unzipPassword",
            Scenario::EncryptedAes => "the zip is AES-256-encrypted; S answers carry unzipPassword",
            Scenario::EncryptedNoPassword => {
                "the zip is ZipCrypto-encrypted; S answers carry no unzipPassword"
            }
            Scenario::Tables => {
                "the report holds JSON envelopes, a GBK CSV, a two-sheet xlsx and an empty file"
            }
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a scenario name that is not one of [`Scenario::ALL`]. Its message lists the
/// valid names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseScenarioError {
    given: String,
}

impl ParseScenarioError {
    /// The text that did not parse (at most 64 characters of it).
    pub fn given(&self) -> &str {
        &self.given
    }
}

impl fmt::Display for ParseScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown sandbox scenario {:?}; use one of: ", self.given)?;
        for (i, s) in Scenario::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(s.as_str())?;
        }
        Ok(())
    }
}

impl Error for ParseScenarioError {}

impl FromStr for Scenario {
    type Err = ParseScenarioError;

    /// Parses a scenario name: case-insensitive, surrounding spaces ignored, and `-` accepted
    /// for `_` (`no-change` is `no_change`), since command lines favour dashes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_");
        Scenario::ALL
            .into_iter()
            .find(|sc| sc.as_str().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| ParseScenarioError {
                given: s.chars().take(64).collect(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Scenario::ALL {
            assert_eq!(s.as_str().parse::<Scenario>().unwrap(), s);
            assert_eq!(s.to_string(), s.as_str());
            assert!(!s.description().is_empty());
        }
        assert_eq!(
            " No-Change ".parse::<Scenario>().unwrap(),
            Scenario::NoChange
        );
    }

    #[test]
    fn error_lists_names() {
        let e = "chaos".parse::<Scenario>().unwrap_err();
        let text = e.to_string();
        assert_eq!(e.given(), "chaos");
        for s in Scenario::ALL {
            assert!(text.contains(s.as_str()), "{text}");
        }
    }
}
