//! `NativeTable` and `read_tables`: a report's files as tables (issue 17).
//!
//! The Python half (`qcc_radar/_tables.py`) owns the public `Table` and `Tables`; this side
//! reads the folder (without the GIL), builds rows as dicts of Python values, and hands the
//! Arrow data over through the Arrow PyCapsule interface: `__arrow_c_stream__` returns a
//! capsule named `arrow_array_stream` holding a boxed `FFI_ArrowArrayStream` that shares the
//! table's buffers (no copy). A consumer (pyarrow, polars, DuckDB …) moves the stream out of
//! the capsule, leaving `release` null; a capsule dropped unconsumed still owns the stream, and
//! its destructor (dropping the box) calls `release`. The same for `__arrow_c_schema__` with an
//! `FFI_ArrowSchema` in a capsule named `arrow_schema`. No pyarrow is imported for either.

use std::collections::HashMap;
use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDate, PyDateTime, PyDict, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use qcc_radar::tables::arrow_schema::ffi::FFI_ArrowSchema;
use qcc_radar::tables::{Table, Value};

use crate::errors::to_py_err;

/// Milliseconds in a day, for date-times.
const MS_PER_DAY: i64 = 86_400_000;

/// One table of a report. Use `qcc_radar.Table`.
#[pyclass(frozen, module = "qcc_radar._native")]
pub struct NativeTable {
    inner: Table,
}

fn date<'py>(py: Python<'py>, v: &Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    let (y, m, d) = v.ymd().unwrap_or((1970, 1, 1));
    // ymd gives months 1..=12 and days 1..=31: they fit a u8.
    Ok(PyDate::new(py, y, m as u8, d as u8)?.into_any())
}

/// A Python value for `v`: None, bool, int, float, str, `datetime.date`, or a naive
/// `datetime.datetime` (the vendor writes Beijing wall-clock time, with no zone). A date that
/// Python's `datetime` cannot hold (a year before 1 or after 9999) is given as its text, so
/// that one odd cell does not make the whole table unreadable.
fn to_py<'py>(
    py: Python<'py>,
    v: &Value<'_>,
    dates: &mut HashMap<i32, Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match typed(py, v, dates) {
        Err(e) if matches!(v, Value::Date(_) | Value::DateTime(_)) => {
            if e.is_instance_of::<pyo3::exceptions::PyValueError>(py) {
                Ok(PyString::new(py, &v.to_string()).into_any())
            } else {
                Err(e)
            }
        }
        other => other,
    }
}

fn typed<'py>(
    py: Python<'py>,
    v: &Value<'_>,
    dates: &mut HashMap<i32, Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    match *v {
        Value::Null => Ok(py.None().into_bound(py)),
        Value::Bool(b) => b.into_bound_py_any(py),
        Value::Int(i) => i.into_bound_py_any(py),
        Value::Float(f) => f.into_bound_py_any(py),
        Value::Text(s) => Ok(PyString::new(py, s).into_any()),
        // Dates repeat down a column: one `date` object per day, shared (they are immutable).
        Value::Date(days) => match dates.get(&days) {
            Some(d) => Ok(d.clone()),
            None => {
                let d = date(py, v)?;
                dates.insert(days, d.clone());
                Ok(d)
            }
        },
        Value::DateTime(ms) => {
            let (y, m, d) = v.ymd().unwrap_or((1970, 1, 1));
            let in_day = ms.rem_euclid(MS_PER_DAY);
            let secs = in_day / 1000;
            Ok(PyDateTime::new(
                py,
                y,
                m as u8,
                d as u8,
                (secs / 3600) as u8,
                (secs % 3600 / 60) as u8,
                (secs % 60) as u8,
                ((in_day % 1000) * 1000) as u32,
                None,
            )?
            .into_any())
        }
    }
}

#[pymethods]
impl NativeTable {
    /// The file's path inside the report, `#sheet` added for a workbook sheet.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The column names, in the source's order.
    #[getter]
    fn columns(&self) -> Vec<&str> {
        self.inner.columns()
    }

    /// Each column's type: `int`, `float`, `bool`, `text`, `date` or `datetime`.
    #[getter]
    fn column_kinds(&self) -> Vec<&'static str> {
        self.inner
            .column_kinds()
            .into_iter()
            .map(|k| k.as_str())
            .collect()
    }

    /// How many rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.inner.num_rows()
    }

    /// The file it was read from.
    #[getter]
    fn path(&self) -> PathBuf {
        self.inner.path().to_path_buf()
    }

    /// The workbook sheet it was read from, if any.
    #[getter]
    fn sheet(&self) -> Option<&str> {
        self.inner.sheet()
    }

    /// The text encoding of a CSV or JSON file; None for a workbook sheet.
    #[getter]
    fn encoding(&self) -> Option<&str> {
        self.inner.encoding()
    }

    /// Lines above the header row, if any.
    #[getter]
    fn preamble(&self) -> Vec<String> {
        self.inner.preamble()
    }

    /// The Arrow schema's metadata (`qcc_radar.name`, a JSON envelope's other keys …).
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let schema = self.inner.schema();
        let mut entries: Vec<_> = schema.metadata().iter().collect();
        entries.sort();
        for (k, v) in entries {
            d.set_item(k, v)?;
        }
        Ok(d)
    }

    /// Every row as a dict keyed by column name, in column order.
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let keys: Vec<Bound<'py, PyString>> = self
            .inner
            .columns()
            .into_iter()
            .map(|c| PyString::new(py, c))
            .collect();
        let mut dates = HashMap::new();
        let list = PyList::empty(py);
        for row in self.inner.rows() {
            let d = PyDict::new(py);
            for (k, v) in keys.iter().zip(row.iter()) {
                d.set_item(k, to_py(py, v, &mut dates)?)?;
            }
            list.append(d)?;
        }
        Ok(list)
    }

    /// The Arrow PyCapsule interface: the table as an Arrow C stream of its one batch, in a
    /// capsule named `arrow_array_stream`. `requested_schema` is accepted and ignored (the
    /// interface lets a producer keep its own schema).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let stream = self.inner.to_arrow_c_stream();
        // Boxed by pyo3; the capsule's destructor drops the box, and dropping an
        // `FFI_ArrowArrayStream` calls its `release` unless a consumer moved it out.
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The Arrow PyCapsule interface: the table's schema, in a capsule named `arrow_schema`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.inner.schema().as_ref()).map_err(|e| {
            let msg = format!("cannot export the table's schema: {e}");
            to_py_err(
                py,
                &qcc_radar::Error::new(qcc_radar::ErrorKind::Internal, msg),
            )
        })?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    fn __len__(&self) -> usize {
        self.inner.num_rows()
    }

    fn __repr__(&self) -> String {
        format!(
            "NativeTable({:?}, rows={}, columns={})",
            self.inner.name(),
            self.inner.num_rows(),
            self.inner.num_columns()
        )
    }
}

/// Reads every file under `folder` into tables. Returns the tables, in name order, and the
/// skipped files as `(name, path, kind, reason)` tuples. Raises `LocalIOError` when the
/// folder cannot be listed.
#[pyfunction]
pub(crate) fn read_tables<'py>(
    py: Python<'py>,
    folder: PathBuf,
) -> PyResult<(Vec<NativeTable>, Bound<'py, PyList>)> {
    let read = py
        .detach(move || qcc_radar::read_tables(&folder))
        .map_err(|e| to_py_err(py, &e))?;
    let skipped = PyList::empty(py);
    for s in &read.skipped {
        let item = PyTuple::new(
            py,
            [
                s.name.as_str().into_bound_py_any(py)?,
                s.path.as_path().into_bound_py_any(py)?,
                s.reason.kind().into_bound_py_any(py)?,
                s.reason.to_string().into_bound_py_any(py)?,
            ],
        )?;
        skipped.append(item)?;
    }
    let tables = read
        .tables
        .into_iter()
        .map(|inner| NativeTable { inner })
        .collect();
    Ok((tables, skipped))
}
