//! `struct qcc_radar_client` and the calls made with it: order, ask, wait, download, fetch.
//!
//! The handle wraps `qcc_radar::blocking::Client`: each call runs on the library's shared
//! multi-threaded runtime and the calling thread waits, so C needs no event loop, and since the
//! client is `Send + Sync` one handle may be used by many threads at once (they share its
//! connection pool and its learned clock offset). Options come as a plain struct whose zero
//! value means "the default", with NULL strings falling back to the environment, the way every
//! other binding configures.

use std::ffi::{c_char, c_int};
use std::path::{Path, PathBuf};
use std::time::Duration;

use qcc_radar::blocking;
use qcc_radar::{ClientBuilder, OrderNo, PollSchedule, ReportType, RetryPolicy};

use crate::args::{optional_str, out_ptr, required_ref, required_str};
use crate::error::Error;
use crate::guard::call;
use crate::report::{Report, ReportInfo};
use crate::status::Status;
use crate::strings::{into_c, str_to_c};

/// A QCC client. Opaque; made by qcc_radar_client_new(), freed by qcc_radar_client_free().
///
/// Thread-safe: one client may be used by any number of threads at the same time (they share
/// one connection pool); it must not be freed while a call with it is still running.
pub struct Client {
    inner: blocking::Client,
}

/// Settings for qcc_radar_client_new(). Zero-initialise it (`struct qcc_radar_client_options
/// options = {0};`) and set what you need: a NULL string falls back to the environment, a zero
/// number to the default. The strings are only read during qcc_radar_client_new() (copied), so
/// the caller keeps ownership of them. Fields may be added at the end in a later major version.
#[repr(C)]
pub struct ClientOptions {
    /// The app key; NULL: the QCC_APP_KEY environment variable.
    pub app_key: *const c_char,
    /// The secret key; NULL: QCC_SECRET_KEY. It is never sent, logged or put in an error.
    pub secret_key: *const c_char,
    /// The API's base URL; NULL: QCC_BASE_URL, else "https://pro.qcc.com".
    pub base_url: *const c_char,
    /// A PEM file of extra CA certificates to trust besides the system's; NULL: none.
    pub ca_file: *const c_char,
    /// An HTTP(S) proxy URL; NULL: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY are honoured.
    pub proxy: *const c_char,
    /// Time allowed to open a connection, in ms; 0: 10 000.
    pub connect_timeout_ms: u64,
    /// Time allowed for one API request, answer included, in ms; 0: 30 000.
    pub request_timeout_ms: u64,
    /// Time a download may go without receiving a byte before it is retried, in ms; 0: 60 000.
    pub read_timeout_ms: u64,
    /// The default deadline of qcc_radar_wait_for_report() and qcc_radar_fetch_report() when
    /// they are passed 0, in ms; 0: 30 minutes.
    pub wait_timeout_ms: u64,
    /// Poll getReportInfo at this fixed interval while waiting, in ms; 0: the default schedule
    /// (2 s growing ×1.5 to 30 s, jittered). Every poll may be billed: in production, prefer the default.
    pub poll_interval_ms: u64,
    /// The most attempts for a request that is safe to repeat (1: no retries); 0: 5.
    /// Ordering a report is never repeated once it may have reached the server.
    pub max_attempts: u32,
}

fn millis(ms: u64) -> Option<Duration> {
    (ms != 0).then(|| Duration::from_millis(ms))
}

/// Builds the client described by `options` (NULL: everything from the environment and the
/// defaults). Validates everything, sends nothing.
fn build(options: Option<&ClientOptions>) -> qcc_radar::Result<Client> {
    let mut b = ClientBuilder::new().user_agent_suffix("c");
    if let Some(o) = options {
        // SAFETY (all five): NULL or NUL-terminated strings, per the header's contract.
        if let Some(v) = unsafe { optional_str(o.app_key, "options->app_key") }? {
            b = b.app_key(v);
        }
        if let Some(v) = unsafe { optional_str(o.secret_key, "options->secret_key") }? {
            b = b.secret_key(v);
        }
        if let Some(v) = unsafe { optional_str(o.base_url, "options->base_url") }? {
            b = b.base_url(v);
        }
        if let Some(v) = unsafe { optional_str(o.ca_file, "options->ca_file") }? {
            b = b.ca_file(v);
        }
        if let Some(v) = unsafe { optional_str(o.proxy, "options->proxy") }? {
            b = b.proxy(v);
        }
        if let Some(d) = millis(o.connect_timeout_ms) {
            b = b.connect_timeout(d);
        }
        if let Some(d) = millis(o.request_timeout_ms) {
            b = b.request_timeout(d);
        }
        if let Some(d) = millis(o.read_timeout_ms) {
            b = b.read_timeout(d);
        }
        if let Some(d) = millis(o.wait_timeout_ms) {
            b = b.wait_timeout(d);
        }
        if let Some(d) = millis(o.poll_interval_ms) {
            b = b.poll_schedule(PollSchedule::fixed(d));
        }
        if o.max_attempts != 0 {
            b = b.retry_policy(RetryPolicy {
                max_attempts: o.max_attempts,
                ..RetryPolicy::default()
            });
        }
    }
    Ok(Client {
        inner: blocking::Client::new(b)?,
    })
}

/// Makes a client. `options` may be NULL: then the app key, secret key and base URL come from
/// QCC_APP_KEY, QCC_SECRET_KEY and QCC_BASE_URL, and everything else is the default; within
/// `options`, NULL strings and zero numbers fall back the same way.
///
/// On success `*out` is a new client that the caller owns and frees with qcc_radar_client_free().
/// On failure `*out` is NULL and the status is QCC_RADAR_STATUS_CONFIG: a missing or malformed
/// key, a bad base URL, an unreadable CA file, a bad proxy URL, a string that is not UTF-8, or a
/// NULL `out`. Nothing is sent over the network. Thread-safe.
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
        let client = build(unsafe { options.as_ref() })?;
        out.set(Box::into_raw(Box::new(client)));
        Ok(())
    })
}

/// Frees a client. NULL is accepted and ignored. May be called from any thread, but no call with
/// this client may still be running in another thread, and the client must not be used
/// afterwards; results it returned (reports, strings, errors) stay valid and are freed
/// separately.
#[no_mangle]
pub extern "C" fn qcc_radar_client_free(client: *mut Client) {
    if !client.is_null() {
        // SAFETY: a non-NULL `client` came from Box::into_raw in qcc_radar_client_new, freed once.
        drop(unsafe { Box::from_raw(client) });
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
        // SAFETY: NULL or a live client, per the header's contract.
        let client = unsafe { required_ref(client, "client") }?;
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
        // SAFETY: NULL or a live client, per the header's contract.
        let client = unsafe { required_ref(client, "client") }?;
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
        // SAFETY: NULL or a live client, per the header's contract.
        let client = unsafe { required_ref(client, "client") }?;
        let order_no = order_no_arg(order_no)?;
        let info = client
            .inner
            .wait_for_report(&order_no, timeout_arg(client, timeout_ms))?;
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
        // SAFETY: NULL or a live client, per the header's contract.
        let client = unsafe { required_ref(client, "client") }?;
        let order_no = order_no_arg(order_no)?;
        // SAFETY: NULL or a NUL-terminated string, per the header's contract.
        let dir = unsafe { required_str(out_dir, "out_dir") }?;
        let report = client.inner.download_report(&order_no, Path::new(dir))?;
        out.set(Box::into_raw(Box::new(Report::from_core(&report))));
        Ok(())
    })
}

/// Settings for qcc_radar_fetch_report_with(). Zero-initialise it (`struct
/// qcc_radar_fetch_options options = {0};`) and set what you need: the zero value is what
/// qcc_radar_fetch_report() does with `timeout_ms` 0 (a NULL `order_no`). Only read during the
/// call. Fields may be added at the end in a later major version.
#[repr(C)]
pub struct FetchOptions {
    /// The wait's deadline in ms; 0: the client's wait timeout (30 minutes unless set in
    /// `struct qcc_radar_client_options`).
    pub timeout_ms: u64,
    /// Non-zero: place a new order whatever the folder's ledger says, and record it. Use it
    /// after a QCC_RADAR_STATUS_UNCONFIRMED_ORDER you have checked (the order is not on the
    /// account, or you want a second one anyway), after a period's second
    /// QCC_RADAR_STATUS_REPORT_FAILED, or to ask again after "no change". Every order may be
    /// billed. 0: the ledger decides (the default). An `int`, not a `bool`, so any value a C
    /// caller stores is safe to read.
    pub new_order: c_int,
    /// An order number such as "JKDAY-167660123348194027" to resume as this period's order
    /// instead of ordering; NULL: none (the default). Use it after a
    /// QCC_RADAR_STATUS_UNCONFIRMED_ORDER, with the order of that type and period you found in
    /// QCC's order list: it is recorded in the folder's ledger as the period's order, then
    /// waited for and downloaded, and later plain fetches return it; nothing is ordered. With
    /// `new_order`, or an order of another report type than `report_type`, the call fails with
    /// QCC_RADAR_STATUS_CONFIG. Borrowed: only read during the call.
    pub order_no: *const c_char,
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
    // SAFETY: NULL or a live client, per the header's contract.
    let client = unsafe { required_ref(client, "client") }?;
    let report_type = report_type_arg(report_type)?;
    // SAFETY: NULL or a NUL-terminated string, per the header's contract.
    let dir = unsafe { required_str(out_dir, "out_dir") }?;
    let mut core_options = qcc_radar::FetchOptions::new();
    if let Some(o) = options {
        if let Some(timeout) = millis(o.timeout_ms) {
            core_options = core_options.timeout(timeout);
        }
        core_options = core_options.new_order(o.new_order != 0);
        // SAFETY: NULL or a NUL-terminated string, per the header's contract.
        if let Some(order_no) = unsafe { optional_str(o.order_no, "options->order_no") }? {
            core_options = core_options.order_no(OrderNo::new(order_no)?);
        }
    }
    let (inner, dir) = (client.inner.as_async().clone(), PathBuf::from(dir));
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
    };
    call(err, || {
        fetch(client, report_type, out_dir, Some(&options), out)
    })
}

/// The whole flow with `options` (NULL: the defaults): orders a report of `report_type` ("day",
/// "week" or "month") unless the folder's ledger already has one for this period, waits for it,
/// downloads it into `out_dir` (created if missing) and extracts it.
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
