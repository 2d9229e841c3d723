//! A downloaded, extracted report.

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
