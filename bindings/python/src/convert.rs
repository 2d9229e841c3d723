//! Results of the client as the package's Python objects.
//!
//! One enum covers what every operation returns, so the sync and async paths share one
//! conversion. The Python classes (`Report`, `ReportInfo` in `qcc_radar/_types.py`) are built by
//! their `_from_native` constructors: paths arrive as `pathlib.Path` and the expiry as Unix
//! seconds, which Python turns into an aware UTC `datetime`. The report link is handed over in
//! full, because it is what the caller asked for; `ReportInfo.__repr__` redacts its query.

use std::future::Future;
use std::pin::Pin;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::IntoPyObjectExt;
use qcc_radar::{OrderNo, Report, ReportInfo};

/// What an operation produced.
pub(crate) enum Outcome {
    /// createReport: an order number, or `None` for "no risk changes".
    Ordered(Option<OrderNo>),
    /// getReportInfo or a wait.
    Info(ReportInfo),
    /// A download.
    Report(Report),
    /// The whole flow: a report, or `None` for "no risk changes".
    Fetched(Option<Report>),
}

/// An operation's future, ready to run on the shared runtime.
pub(crate) type OpFuture = Pin<Box<dyn Future<Output = qcc_radar::Result<Outcome>> + Send>>;

static REPORT_FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static INFO_FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn report_to_py(py: Python<'_>, r: Report) -> PyResult<Py<PyAny>> {
    let make = REPORT_FROM_NATIVE.import(py, "qcc_radar._types", "_report_from_native")?;
    let obj = make.call1((
        r.order_no.as_str(),
        r.report_type.map(|t| t.as_str()),
        r.archive,
        r.folder,
        r.files,
    ))?;
    Ok(obj.unbind())
}

fn info_to_py(py: Python<'_>, i: ReportInfo) -> PyResult<Py<PyAny>> {
    let make = INFO_FROM_NATIVE.import(py, "qcc_radar._types", "_report_info_from_native")?;
    let obj = make.call1((
        i.status.as_letter(),
        i.link.as_ref().map(|l| l.expose()),
        i.expires_at,
    ))?;
    Ok(obj.unbind())
}

impl Outcome {
    /// The Python value of this outcome.
    pub(crate) fn into_py(self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self {
            Outcome::Ordered(o) => o.map(|o| o.as_str().to_owned()).into_py_any(py),
            Outcome::Info(i) => info_to_py(py, i),
            Outcome::Report(r) => report_to_py(py, r),
            Outcome::Fetched(None) => Ok(py.None()),
            Outcome::Fetched(Some(r)) => report_to_py(py, r),
        }
    }
}
