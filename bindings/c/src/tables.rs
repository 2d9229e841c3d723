//! `struct qcc_radar_tables`: a report's contents as tables, each handed to C as an Arrow C
//! stream (`struct ArrowArrayStream`, the Arrow C stream interface).
//!
//! The tables are read once (by qcc_radar_report_tables() or qcc_radar_read_tables()) into an
//! opaque, immutable object that owns the Arrow batches and every string it lends: names,
//! skipped files and reasons are read through accessors and freed with the object. A table's
//! data leaves it only as a *fresh* Arrow C stream moved into storage the caller provides: the
//! stream holds its own reference to the table's buffers (no copy), so it stays valid after
//! qcc_radar_tables_free(), and the caller ends it with the stream's own `release` callback, as
//! the Arrow interface says. Two owners, each with one rule: the object (freed by
//! qcc_radar_tables_free) and each stream (released by `stream->release(stream)`).
//!
//! The header declares the standard `struct ArrowSchema`, `struct ArrowArray` and `struct
//! ArrowArrayStream` under the standard `ARROW_C_DATA_INTERFACE` / `ARROW_C_STREAM_INTERFACE`
//! guards (see `cbindgen.toml`), so it coexists with nanoarrow's and Arrow's own headers;
//! arrow-rs's `FFI_ArrowArrayStream` has exactly that layout.

use std::ffi::{c_char, CString};
use std::path::Path;

use qcc_radar::tables::arrow_array::ffi_stream::FFI_ArrowArrayStream;
use qcc_radar::tables::Tables as CoreTables;

use crate::args::{out_ptr, required_ref, required_str};
use crate::error::{c_string_lossy, Error};
use crate::guard::call;
use crate::report::Report;
use crate::status::Status;

/// The tables of a report folder, and the files in it that are not tables. Opaque; made by
/// qcc_radar_report_tables() or qcc_radar_read_tables(), freed by qcc_radar_tables_free().
///
/// Read it with qcc_radar_tables_count(), qcc_radar_tables_name() and
/// qcc_radar_tables_stream(), and the skipped files with qcc_radar_tables_skipped_count(),
/// qcc_radar_tables_skipped_name(), qcc_radar_tables_skipped_kind() and
/// qcc_radar_tables_skipped_reason(). Immutable, so it may be read from any number of threads
/// at once; it must not be freed while another thread still reads it.
pub struct Tables {
    inner: CoreTables,
    /// The table names, index for index with `inner.tables`.
    names: Vec<CString>,
    /// The skipped entries' names, reasons (sentences) and kinds (codes), index for index with
    /// `inner.skipped`.
    skipped_names: Vec<CString>,
    skipped_reasons: Vec<CString>,
    skipped_kinds: Vec<CString>,
}

impl Tables {
    fn from_core(inner: CoreTables) -> Tables {
        let names = inner.iter().map(|t| c_string_lossy(t.name())).collect();
        let skipped_names = inner
            .skipped
            .iter()
            .map(|s| c_string_lossy(&s.name))
            .collect();
        let skipped_reasons = inner
            .skipped
            .iter()
            .map(|s| c_string_lossy(&s.reason.to_string()))
            .collect();
        let skipped_kinds = inner
            .skipped
            .iter()
            .map(|s| c_string_lossy(s.reason.kind()))
            .collect();
        Tables {
            inner,
            names,
            skipped_names,
            skipped_reasons,
            skipped_kinds,
        }
    }
}

/// Reads `folder` into a new tables object for the caller.
fn read_into(folder: &Path, out: *mut *mut Tables) -> qcc_radar::Result<()> {
    // SAFETY: NULL or a writable pointer, per the header's contract.
    let out = unsafe { out_ptr(out, "out") }?;
    let tables = qcc_radar::read_tables(folder)?;
    out.set(Box::into_raw(Box::new(Tables::from_core(tables))));
    Ok(())
}

/// Reads the contents of `report` (from qcc_radar_download_report() or
/// qcc_radar_fetch_report()) as tables, from its extracted folder `report->folder`, with no
/// request sent: one table per JSON or CSV file and per workbook sheet (xlsx, xls …), GBK text
/// decoded, columns under their original names, and the files that are not tables listed as
/// skipped with a reason. The same as qcc_radar_read_tables(report->folder, …).
///
/// On success `*out` is a new tables object the caller owns and frees with
/// qcc_radar_tables_free(); it does not refer to `report`, which may be freed first. On failure
/// `*out` is NULL: QCC_RADAR_STATUS_CONFIG for a NULL `report` or `out`,
/// QCC_RADAR_STATUS_IO when the folder cannot be listed (the message names it). A file that
/// cannot be read is skipped with its reason, not an error. Blocks while it reads; thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_report_tables(
    report: *const Report,
    out: *mut *mut Tables,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or writable; cleared before anything else can fail.
        unsafe { out_ptr(out, "out") }?;
        // SAFETY: NULL or a live report from this library, per the header's contract.
        let report = unsafe { required_ref(report, "report") }?;
        // SAFETY: a report's folder is NULL or a NUL-terminated string it owns.
        let folder = unsafe { required_str(report.folder, "report->folder") }?;
        read_into(Path::new(folder), out)
    })
}

/// Reads the report folder `folder` (a report extracted earlier, by any qcc-radar binding or
/// `qcc-radar fetch`) as tables, as qcc_radar_report_tables() does; nothing is sent.
///
/// On success `*out` is a new tables object the caller owns and frees with
/// qcc_radar_tables_free(). On failure `*out` is NULL: QCC_RADAR_STATUS_CONFIG for a NULL or
/// non-UTF-8 `folder` or a NULL `out`, QCC_RADAR_STATUS_IO when the folder cannot be listed
/// (missing, not a folder, no permission; the message names it). Blocks while it reads;
/// thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_read_tables(
    folder: *const c_char,
    out: *mut *mut Tables,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or writable; cleared before anything else can fail.
        unsafe { out_ptr(out, "out") }?;
        // SAFETY: NULL or a NUL-terminated string, per the header's contract.
        let folder = unsafe { required_str(folder, "folder") }?;
        read_into(Path::new(folder), out)
    })
}

/// How many tables `tables` holds; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_count(tables: *const Tables) -> usize {
    // SAFETY: NULL or a live tables object, per the header's contract.
    unsafe { tables.as_ref() }.map_or(0, |t| t.names.len())
}

/// The name of table `index` (0 ≤ index < qcc_radar_tables_count()): its path inside the report
/// folder with `/` separators, plus `#` and the sheet's name for a workbook sheet, such as
/// "风险监控日报/corp.json" or "风险监控日报/风险明细.xlsx#司法风险" (UTF-8). Tables are sorted by
/// name, a workbook's sheets in workbook order. NULL for a NULL `tables` or an index out of
/// range. The string is owned by `tables` and valid until qcc_radar_tables_free(); do not free
/// it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_name(tables: *const Tables, index: usize) -> *const c_char {
    // SAFETY: NULL or a live tables object, per the header's contract.
    unsafe { tables.as_ref() }
        .and_then(|t| t.names.get(index))
        .map_or(std::ptr::null(), |n| n.as_ptr())
}

/// Moves a new Arrow C stream over table `index` into `*out`, storage the caller provides
/// (usually a local `struct ArrowArrayStream stream;`): a stream of the Arrow C stream
/// interface whose schema is the table's (a struct of its columns, with their original names;
/// text as utf8 "u", whole numbers as int64 "l", other numbers as float64 "g", true/false as
/// "b", dates as date32 "tdD", date-times as timestamp[ms] "tsm:") and which yields the table
/// as record batches (one, today; read until `get_next` gives an array whose `release` is
/// NULL). A file's rows that could not be split into its columns are kept whole, as text, in
/// the column "_raw_row" (their other cells null).
///
/// Ownership: the stream is the caller's. Release it with `out->release(out)` when done (after
/// releasing any schema and arrays obtained from it, each with its own `release`, as the Arrow
/// interface requires). It shares the table's buffers without copying them and holds its own
/// reference to them, so it stays valid after qcc_radar_tables_free(tables). Each call makes an
/// independent stream: call it again to read a table again. Use one stream from one thread at
/// a time; different streams may be used from different threads at once.
///
/// `*out` is overwritten, not released: pass storage that holds no live stream. On failure
/// (QCC_RADAR_STATUS_CONFIG for a NULL `tables` or `out` or an index out of range) `*out`, when
/// not NULL, is zeroed, so its `release` is NULL (a released stream). Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_stream(
    tables: *const Tables,
    index: usize,
    out: *mut FFI_ArrowArrayStream,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        if out.is_null() {
            return Err(qcc_radar::Error::config(
                "out is NULL; pass the address of a struct ArrowArrayStream to receive the stream",
            ));
        }
        // SAFETY: `out` is non-NULL and points to writable storage for one stream (header
        // contract); zeroing it first means a failure leaves a released stream (release NULL),
        // and nothing in it is read or dropped.
        unsafe { std::ptr::write_bytes(out, 0, 1) };
        // SAFETY: NULL or a live tables object, per the header's contract.
        let tables = unsafe { required_ref(tables, "tables") }?;
        let count = tables.inner.len();
        let table = tables.inner.tables.get(index).ok_or_else(|| {
            qcc_radar::Error::config(format!(
                "table index {index} is out of range: there are {count} tables"
            ))
        })?;
        let stream = table.to_arrow_c_stream();
        // SAFETY: as above. `write` moves the stream into C's storage without dropping (and so
        // releasing) it; from here on its `release` callback owns it.
        unsafe { out.write(stream) };
        Ok(())
    })
}

/// How many files (or workbook sheets) of the folder are not tables; 0 for NULL. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_skipped_count(tables: *const Tables) -> usize {
    // SAFETY: NULL or a live tables object, per the header's contract.
    unsafe { tables.as_ref() }.map_or(0, |t| t.skipped_names.len())
}

fn skipped_str(
    tables: *const Tables,
    index: usize,
    pick: fn(&Tables) -> &[CString],
) -> *const c_char {
    // SAFETY: NULL or a live tables object, per the header's contract.
    unsafe { tables.as_ref() }
        .and_then(|t| pick(t).get(index))
        .map_or(std::ptr::null(), |s| s.as_ptr())
}

/// The name of skipped entry `index` (0 ≤ index < qcc_radar_tables_skipped_count()), named as a
/// table would be: its path inside the folder (plus `#sheet` for a sheet), such as "说明.txt".
/// Sorted by name. NULL for a NULL `tables` or an index out of range. Owned by `tables`, valid
/// until qcc_radar_tables_free(); do not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_skipped_name(
    tables: *const Tables,
    index: usize,
) -> *const c_char {
    skipped_str(tables, index, |t| &t.skipped_names)
}

/// Why skipped entry `index` is not a table, as a stable short code: "empty", "empty_sheet",
/// "binary", "unknown_extension", "not_a_table" or "unreadable". NULL for a NULL `tables` or an
/// index out of range. Owned by `tables`, valid until qcc_radar_tables_free(); do not free it.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_skipped_kind(
    tables: *const Tables,
    index: usize,
) -> *const c_char {
    skipped_str(tables, index, |t| &t.skipped_kinds)
}

/// Why skipped entry `index` is not a table, as an English sentence for people ("empty file",
/// "unknown extension .txt: not read as a table (…)", "unreadable: …"). NULL for a NULL
/// `tables` or an index out of range. Owned by `tables`, valid until qcc_radar_tables_free(); do
/// not free it. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_skipped_reason(
    tables: *const Tables,
    index: usize,
) -> *const c_char {
    skipped_str(tables, index, |t| &t.skipped_reasons)
}

/// Frees a tables object with every string it lent. Streams made by qcc_radar_tables_stream()
/// stay valid (each is released by its own `release`). NULL is accepted and ignored. May be
/// called from any thread, once no thread still reads it; freeing it twice is undefined
/// behaviour.
#[no_mangle]
pub extern "C" fn qcc_radar_tables_free(tables: *mut Tables) {
    if !tables.is_null() {
        // SAFETY: a non-NULL `tables` came from Box::into_raw in this library and is freed once.
        drop(unsafe { Box::from_raw(tables) });
    }
}
