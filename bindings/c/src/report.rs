//! The two result structs: `struct qcc_radar_report_info` (where an order stands) and
//! `struct qcc_radar_report` (a downloaded, extracted report).
//!
//! They are plain structs with public fields, so C reads them without accessor calls, but the
//! library allocates them and owns everything they point to: the caller frees the whole thing
//! with one call and never frees a field. That keeps ownership to one rule per struct, and lets
//! the library free with the allocator that allocated.

use std::ffi::{c_char, CString};

use crate::strings::{into_c, path_to_c, str_to_c};

/// Where an order stands, from qcc_radar_report_info() or qcc_radar_wait_for_report().
///
/// Allocated by the library; the caller owns it and frees it (with every string it points to)
/// with qcc_radar_report_info_free(). Do not free or modify the fields. Immutable, so it may be
/// read from any thread.
#[repr(C)]
pub struct ReportInfo {
    /// 'P' (still being made), 'S' (made: `url` is set) or 'F' (making it failed).
    pub status: c_char,
    /// The signed download link when `status` is 'S', otherwise NULL. It grants access to the
    /// report until `expires_at`: do not log it. Owned by this struct.
    pub url: *const c_char,
    /// When the link expires, in Unix seconds; 0 when there is no link or it states no expiry.
    pub expires_at: u64,
}

/// A report on disk, from qcc_radar_download_report() or qcc_radar_fetch_report().
///
/// Allocated by the library; the caller owns it and frees it (with every string and the file
/// array it points to) with qcc_radar_report_free(). Do not free or modify the fields. The
/// files themselves stay on disk. Immutable, so it may be read from any thread.
#[repr(C)]
pub struct Report {
    /// The order number, such as "JKDAY-167660123348194027". Owned by this struct.
    pub order_no: *const c_char,
    /// "day", "week" or "month" when known, otherwise NULL. A static string.
    pub report_type: *const c_char,
    /// The kept zip, `<out_dir>/<order_no>.zip`. Owned by this struct.
    pub archive: *const c_char,
    /// The folder it was extracted into, `<out_dir>/<order_no>/`. Owned by this struct.
    pub folder: *const c_char,
    /// The extracted files (not folders), sorted: an array of `file_count` paths, NULL when
    /// `file_count` is 0. The array and its strings are owned by this struct.
    pub files: *const *const c_char,
    /// How many paths `files` holds.
    pub file_count: usize,
}

impl ReportInfo {
    pub(crate) fn from_core(info: &qcc_radar::ReportInfo) -> ReportInfo {
        let status = info.status.as_letter().as_bytes()[0] as c_char;
        ReportInfo {
            status,
            url: info
                .link
                .as_ref()
                .map_or(std::ptr::null(), |l| into_c(str_to_c(l.expose()))),
            expires_at: info.expires_at.unwrap_or(0),
        }
    }
}

fn report_type_name(t: qcc_radar::ReportType) -> *const c_char {
    match t {
        qcc_radar::ReportType::Day => c"day".as_ptr(),
        qcc_radar::ReportType::Week => c"week".as_ptr(),
        qcc_radar::ReportType::Month => c"month".as_ptr(),
    }
}

impl Report {
    pub(crate) fn from_core(report: &qcc_radar::Report) -> Report {
        let files: Box<[*const c_char]> = report
            .files
            .iter()
            .map(|f| into_c(path_to_c(f)).cast_const())
            .collect();
        let file_count = files.len();
        let files = if file_count == 0 {
            std::ptr::null()
        } else {
            Box::into_raw(files).cast::<*const c_char>().cast_const()
        };
        Report {
            order_no: into_c(str_to_c(report.order_no.as_str())),
            report_type: report
                .report_type
                .map_or(std::ptr::null(), report_type_name),
            archive: into_c(path_to_c(&report.archive)),
            folder: into_c(path_to_c(&report.folder)),
            files,
            file_count,
        }
    }
}

/// Frees a string this module handed out with `into_c`.
fn free_owned(s: *const c_char) {
    if !s.is_null() {
        // SAFETY: every owned field was made by CString::into_raw and is freed once, here.
        drop(unsafe { CString::from_raw(s.cast_mut()) });
    }
}

/// Frees a report info with its `url`. NULL is accepted and ignored. May be called from any
/// thread, once no thread still reads it; freeing it twice is undefined behaviour.
#[no_mangle]
pub extern "C" fn qcc_radar_report_info_free(info: *mut ReportInfo) {
    if info.is_null() {
        return;
    }
    // SAFETY: a non-NULL `info` came from Box::into_raw in this library and is freed once.
    let info = unsafe { Box::from_raw(info) };
    free_owned(info.url);
}

/// Frees a report with its strings and file array (the files on disk stay). NULL is accepted
/// and ignored. May be called from any thread, once no thread still reads it; freeing it twice
/// is undefined behaviour.
#[no_mangle]
pub extern "C" fn qcc_radar_report_free(report: *mut Report) {
    if report.is_null() {
        return;
    }
    // SAFETY: a non-NULL `report` came from Box::into_raw in this library and is freed once.
    let report = unsafe { Box::from_raw(report) };
    free_owned(report.order_no);
    free_owned(report.archive);
    free_owned(report.folder);
    if !report.files.is_null() {
        // SAFETY: `files` came from Box::<[_]>::into_raw with exactly `file_count` elements.
        let files = unsafe {
            Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                report.files.cast_mut(),
                report.file_count,
            ))
        };
        files.iter().copied().for_each(free_owned);
    }
}
