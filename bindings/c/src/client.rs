//! `struct qcc_radar_client` and the calls made with it: order, ask, wait, download, fetch,
//! close.
//!
//! The handle wraps `qcc_radar::blocking::Client`: each call runs on the library's shared
//! multi-threaded runtime and the calling thread waits, so C needs no event loop, and since the
//! client is `Send + Sync` one handle may be used by many threads at once (they share its
//! connection pool and its learned clock offset). Closing follows the one rule of every
//! binding (calls in flight end `cancelled`, later ones `config`, closing twice is harmless),
//! and freeing closes first: the handle is reference-counted per call (`handle.rs`), so a
//! thread may free the client while others are inside calls with it, which is how C stops a
//! 30-minute wait. Options are mapped to the client crate's settings by name (`options.rs`).

use std::ffi::c_char;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use qcc_radar::blocking;
use qcc_radar::{OrderNo, ReportType};

use crate::args::{out_ptr, required_str};
use crate::error::Error;
use crate::guard::call;
use crate::handle;
use crate::options::{client_builder, fetch_options, ClientOptions, FetchOptions};
use crate::progress::Gate;
use crate::report::{Report, ReportInfo};
use crate::status::Status;
use crate::strings::{into_c, str_to_c};

/// A QCC client. Opaque; made by qcc_radar_client_new(), closed by qcc_radar_client_close(),
/// freed by qcc_radar_client_free().
///
/// Thread-safe: one client may be used by any number of threads at the same time (they share
/// one connection pool), and closed or freed by any of them while the others are inside calls
/// with it: those calls end with QCC_RADAR_STATUS_CANCELLED.
pub struct Client {
    inner: blocking::Client,
    /// Stops the progress callback for good when the client is closed.
    progress: Option<Arc<Gate>>,
}

impl Client {
    fn close(&self) {
        self.inner.as_async().close();
        if let Some(gate) = &self.progress {
            gate.close();
        }
    }
}

fn millis(ms: u64) -> Option<Duration> {
    (ms != 0).then(|| Duration::from_millis(ms))
}

/// The live client `p`, held for the length of one call.
fn client_arg(p: *const Client) -> qcc_radar::Result<Arc<Client>> {
    handle::acquire(p, "client")
}

/// Makes a client. `options` may be NULL: then the app key, secret key and base URL come from
/// QCC_APP_KEY, QCC_SECRET_KEY and QCC_BASE_URL, and everything else is the default; within
/// `options`, NULL strings and zero numbers are unset and fall back the same way, and the
/// name/value pairs of qcc_radar_client_options_set() apply after the fields.
///
/// On success `*out` is a new client that the caller owns and frees with qcc_radar_client_free().
/// On failure `*out` is NULL and the status is QCC_RADAR_STATUS_CONFIG, with one message per
/// problem: a missing or malformed key, a bad base URL, a setting that breaks its rule (such
/// as "poll_max must not be smaller than poll_initial"), an unreadable CA file, a bad proxy
/// URL, a string that is not UTF-8, or a NULL `out`. Nothing is sent over the network.
/// Thread-safe.
///
/// Diagnostics: the first call in the process reads QCC_RADAR_LOG. Set to a level (`debug`,
/// `trace`, `info`, `warn`, `error`), the library writes its log lines (an order placed, each
/// request, a retry, a refreshed link) to stderr from then on, one per event, with a timestamp,
/// the level and a `qcc_radar::` target; secret keys, Tokens and signed-link queries never
/// appear in them. It also takes tracing filter directives (`qcc_radar=trace,hyper=debug`); when
/// it is unset, RUST_LOG is used instead; `off`, or neither set, writes nothing. An invalid
/// value is ignored with one warning line on stderr.
#[no_mangle]
pub extern "C" fn qcc_radar_client_new(
    options: *const ClientOptions,
    out: *mut *mut Client,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // Once per process, whatever the outcome of this call; never panics.
        qcc_radar::stderr_log::init_from_env("c");
        // SAFETY: NULL or a writable pointer, per the header's contract.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: NULL or a valid options struct, per the header's contract.
        let (builder, progress) = client_builder(unsafe { options.as_ref() })?;
        let client = Client {
            inner: blocking::Client::new(builder)?,
            progress,
        };
        out.set(handle::register(client));
        Ok(())
    })
}

/// Closes a client: calls with it that are running on other threads return
/// QCC_RADAR_STATUS_CANCELLED promptly (a wait, a download, a whole fetch: temporary files are
/// removed and the folder's lock released; the order, if one was placed, stays valid and in
/// the ledger, so a later fetch resumes it), and every later call with it returns
/// QCC_RADAR_STATUS_CONFIG ("the client is closed"). The progress callback is not called again
/// once this returns. The client must still be freed with qcc_radar_client_free().
///
/// Thread-safe, from any thread; closing twice, a closed client, a freed one or NULL does
/// nothing more. It does not wait for the cancelled calls to return.
#[no_mangle]
pub extern "C" fn qcc_radar_client_close(client: *const Client) {
    if let Ok(c) = handle::acquire(client, "client") {
        c.close();
    }
}

/// Closes a client (see qcc_radar_client_close()) and frees it. NULL is accepted and ignored.
///
/// May be called from any thread, also while other threads are inside calls with this client:
/// those calls end with QCC_RADAR_STATUS_CANCELLED, and the client's memory is released when
/// the last of them returns. No call with `client` may *start* after this (its pointer may be
/// reused by a new client). The progress callback is not called again once this returns.
/// Results the client returned (reports, strings, errors) stay valid and are freed separately.
#[no_mangle]
pub extern "C" fn qcc_radar_client_free(client: *mut Client) {
    if let Some(c) = handle::release(client) {
        c.close();
    }
}

fn report_type_arg(p: *const c_char) -> qcc_radar::Result<ReportType> {
    // SAFETY: NULL or a NUL-terminated string, per the header's contract.
    unsafe { required_str(p, "report_type") }?.parse()
}

fn order_no_arg(p: *const c_char) -> qcc_radar::Result<OrderNo> {
    // SAFETY: NULL or a NUL-terminated string, per the header's contract.
    OrderNo::new(unsafe { required_str(p, "order_no") }?)
}

fn timeout_arg(client: &Client, timeout_ms: u64) -> Duration {
    millis(timeout_ms).unwrap_or_else(|| client.inner.as_async().wait_timeout())
}

/// Orders a report of `report_type` ("day", "week" or "month"). Every order may be billed, so
/// this request is never repeated once it may have reached the server.
///
/// On success `*order_no_out` is the new order number, an owned string the caller frees with
/// qcc_radar_string_free(), or NULL when the API answered that no monitored company had a risk
/// change, so there is no report (that is a success, not an error). On failure it is NULL.
/// Blocks until the API answers. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_create_report(
    client: *const Client,
    report_type: *const c_char,
    order_no_out: *mut *mut c_char,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a writable pointer, per the header's contract.
        let out = unsafe { out_ptr(order_no_out, "order_no_out") }?;
        let client = client_arg(client)?;
        let report_type = report_type_arg(report_type)?;
        if let Some(order_no) = client.inner.create_report(report_type)? {
            out.set(into_c(str_to_c(order_no.as_str())));
        }
        Ok(())
    })
}

/// Asks once where order `order_no` stands (getReportInfo; retried on network faults, as it is
/// safe to repeat). A status 'F' is reported in the struct, not as an error; an unknown order
/// number is QCC_RADAR_STATUS_INVALID_REQUEST.
///
/// On success `*out` is a new report info the caller owns and frees with
/// qcc_radar_report_info_free(); on failure it is NULL. Blocks. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_report_info(
    client: *const Client,
    order_no: *const c_char,
    out: *mut *mut ReportInfo,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a writable pointer, per the header's contract.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = client_arg(client)?;
        let order_no = order_no_arg(order_no)?;
        let info = client.inner.report_info(&order_no)?;
        out.set(Box::into_raw(Box::new(ReportInfo::from_core(&info))));
        Ok(())
    })
}

/// Polls order `order_no` until its report is made ('S'), for at most `timeout_ms` milliseconds
/// (0: the client's wait timeout, 30 minutes unless set in the options). Fails with
/// QCC_RADAR_STATUS_REPORT_FAILED when the report's generation failed ('F') and with
/// QCC_RADAR_STATUS_TIMEOUT past the deadline (the order stays valid: wait again later).
///
/// On success `*out` is a new report info with status 'S' and its `url`, owned by the caller and
/// freed with qcc_radar_report_info_free(); on failure it is NULL. Blocks the calling thread for
/// up to the timeout. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_wait_for_report(
    client: *const Client,
    order_no: *const c_char,
    timeout_ms: u64,
    out: *mut *mut ReportInfo,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a writable pointer, per the header's contract.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = client_arg(client)?;
        let order_no = order_no_arg(order_no)?;
        let info = client
            .inner
            .wait_for_report(&order_no, timeout_arg(&client, timeout_ms))?;
        out.set(Box::into_raw(Box::new(ReportInfo::from_core(&info))));
        Ok(())
    })
}

/// Downloads the made report of order `order_no` into the folder `out_dir` (created if missing)
/// as `<order_no>.zip` and extracts it into `<out_dir>/<order_no>/`. Both land atomically:
/// nothing stands under a final name until it is complete and verified, and an unsafe archive
/// (QCC_RADAR_STATUS_ARCHIVE) leaves nothing behind. The order must be made ('S'): call
/// qcc_radar_wait_for_report() first. An expired link is refreshed.
///
/// On success `*out` is a new report the caller owns and frees with qcc_radar_report_free(); on
/// failure it is NULL. Blocks. Thread-safe; concurrent downloads of the same order into the same
/// folder are not supported.
#[no_mangle]
pub extern "C" fn qcc_radar_download_report(
    client: *const Client,
    order_no: *const c_char,
    out_dir: *const c_char,
    out: *mut *mut Report,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a writable pointer, per the header's contract.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = client_arg(client)?;
        let order_no = order_no_arg(order_no)?;
        // SAFETY: NULL or a NUL-terminated string, per the header's contract.
        let dir = unsafe { required_str(out_dir, "out_dir") }?;
        let report = client.inner.download_report(&order_no, Path::new(dir))?;
        out.set(Box::into_raw(Box::new(Report::from_core(&report))));
        Ok(())
    })
}

/// Runs the ledger-backed fetch for `qcc_radar_fetch_report` and `qcc_radar_fetch_report_with`.
fn fetch(
    client: *const Client,
    report_type: *const c_char,
    out_dir: *const c_char,
    options: Option<&FetchOptions>,
    out: *mut *mut Report,
) -> qcc_radar::Result<()> {
    // SAFETY: NULL or a writable pointer, per the header's contract.
    let out = unsafe { out_ptr(out, "out") }?;
    let client = client_arg(client)?;
    let report_type = report_type_arg(report_type)?;
    // SAFETY: NULL or a NUL-terminated string, per the header's contract.
    let dir = unsafe { required_str(out_dir, "out_dir") }?;
    let core_options = fetch_options(options)?;
    let (inner, dir) = (client.inner.as_async().admit()?, PathBuf::from(dir));
    let fetched = blocking::run(async move {
        inner
            .fetch_report_with(report_type, &dir, &core_options)
            .await
    })?;
    if let Some(report) = fetched {
        out.set(Box::into_raw(Box::new(Report::from_core(&report))));
    }
    Ok(())
}

/// The whole flow, kept paid-for-once by a ledger in `out_dir`: orders a report of
/// `report_type` ("day", "week" or "month"), waits for it (at most `timeout_ms` milliseconds;
/// 0: the client's wait timeout), downloads it into `out_dir` (created if missing) and extracts
/// it, as qcc_radar_download_report() does. The same as qcc_radar_fetch_report_with() with
/// `timeout_ms` and `new_order` 0; see it for the ledger, re-runs and the errors.
///
/// On success `*out` is a new report the caller owns and frees with qcc_radar_report_free(), or
/// NULL when there were no risk changes, so no report (a success, not an error). On failure it
/// is NULL. Blocks the calling thread for up to the timeout plus the download. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_fetch_report(
    client: *const Client,
    report_type: *const c_char,
    out_dir: *const c_char,
    timeout_ms: u64,
    out: *mut *mut Report,
    err: *mut *mut Error,
) -> Status {
    let options = FetchOptions {
        timeout_ms,
        new_order: 0,
        order_no: std::ptr::null(),
        settings: std::ptr::null_mut(),
    };
    call(err, || {
        fetch(client, report_type, out_dir, Some(&options), out)
    })
}

/// The whole flow with `options` (NULL: the defaults): orders a report of `report_type` ("day",
/// "week" or "month") unless the folder's ledger already has one for this period, waits for it,
/// downloads it into `out_dir` (created if missing) and extracts it. The options' fields and
/// name/value pairs are checked before anything is sent: a bad one, or `new_order` with
/// `order_no`, is QCC_RADAR_STATUS_CONFIG with the setting's message.
///
/// The ledger: `out_dir` keeps `qcc-radar-journal.json` (and the lock `.qcc-radar.lock`), one
/// entry per server, app key, report type and period (the Beijing-time day, ISO week or month
/// on the server's clock). So a re-run in the same folder never pays twice:
///  - a report already downloaded is returned again (same order number and paths), and a
///    period that had no risk changes gives NULL again, with nothing sent;
///  - an order that was placed but not finished (a timeout, a crash) is resumed, not re-ordered;
///  - when createReport's answer was lost (the order may exist and be billed), the call fails
///    with QCC_RADAR_STATUS_UNCONFIRMED_ORDER, and so does every later call for that period,
///    ordering nothing: check the account's orders, then either give the order you find as
///    `order_no` (it is recorded as the period's order, waited for and downloaded) or set
///    `new_order`;
///  - a period whose report failed is ordered once more; after a second failure the call fails
///    with QCC_RADAR_STATUS_REPORT_FAILED without ordering;
///  - a ledger that cannot be read or parsed fails with QCC_RADAR_STATUS_IO, sending nothing.
///
/// One call at a time per folder, across processes and languages (a lock): a second caller
/// waits. Entries of another server or app key never match, so folders may be shared.
///
/// On success `*out` is a new report the caller owns and frees with qcc_radar_report_free(), or
/// NULL when there were no risk changes, so no report (a success, not an error). On failure it
/// is NULL, and qcc_radar_error_order_no() gives the order concerned when there is one (after
/// QCC_RADAR_STATUS_TIMEOUT the order stays valid: call again to resume it). Blocks the calling
/// thread for up to the timeout plus the download. Thread-safe.
#[no_mangle]
pub extern "C" fn qcc_radar_fetch_report_with(
    client: *const Client,
    report_type: *const c_char,
    out_dir: *const c_char,
    options: *const FetchOptions,
    out: *mut *mut Report,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a valid options struct, per the header's contract.
        let options = unsafe { options.as_ref() };
        fetch(client, report_type, out_dir, options, out)
    })
}
