//! A downloaded, extracted report.
//!
//! `Report` is plain data (paths), so it can be rebuilt from a ledger entry or sent across a
//! binding; reading its contents as tables is a method on it rather than something done at
//! download time, so a caller who only wants the files pays nothing for parsing.

use std::path::PathBuf;

use qcc_radar_core::{OrderNo, ReportType};

/// A report on disk: the kept archive and the files extracted from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The order it was made for.
    pub order_no: OrderNo,
    /// Its type, when known (from the order, or the order number's prefix).
    pub report_type: Option<ReportType>,
    /// The kept zip: `DIR/<orderNo>.zip`.
    pub archive: PathBuf,
    /// The folder it was extracted into: `DIR/<orderNo>/`.
    pub folder: PathBuf,
    /// The extracted files (not folders), sorted.
    pub files: Vec<PathBuf>,
}

#[cfg(feature = "tables")]
impl Report {
    /// The report's files as tables, read from [`Report::folder`] with no further request:
    /// one per JSON or CSV file and per workbook sheet, and the files that are not tables with
    /// the reason (see [`crate::tables`]). Fails (kind `io`) only when the folder cannot be
    /// listed.
    pub fn tables(&self) -> qcc_radar_core::Result<crate::tables::Tables> {
        crate::tables::read_tables(&self.folder)
    }
}
