//! `struct qcc_radar_client_options` and `struct qcc_radar_fetch_options`: the client's
//! settings and a fetch's options, as C gives them.
//!
//! Every setting is defined, parsed and checked once, in the client crate's table
//! (`qcc_radar::settings`); this module only maps names. C gets two ways in, both ending in
//! `ClientBuilder::set(Host::C, name, text)` (or `FetchOptions::set`):
//!
//! - the struct's fields, kept from the first version: zero or NULL means "unset", since a
//!   zero-initialised struct must mean "the defaults". Each set field becomes a name/value
//!   pair (`connect_timeout_ms = 2500` is `connect_timeout` = `2500ms`);
//! - name/value pairs of text (`qcc_radar_client_options_set(&o, "max_attempts", "0", &err)`),
//!   kept in an opaque list the struct points to, which reach every setting of the table and
//!   can say "zero", which a field cannot. They apply after the fields, in the order given.
//!
//! Nothing here checks a value: a pair is tried on a fresh builder when it is given (so a
//! wrong name or a value of the wrong kind fails at that line, with the table's message) and
//! applied for real, with the rules between settings, when the client is made.

use std::ffi::{c_char, c_int, c_void};

use qcc_radar::settings::Host;
use qcc_radar::{ClientBuilder, ProgressFn, Result};

use crate::args::{optional_str, required_str};
use crate::error::Error;
use crate::guard::call;
use crate::progress::Progress;
use crate::status::Status;

/// Name/value pairs given with qcc_radar_client_options_set() or qcc_radar_fetch_options_set().
/// Opaque: the options struct points to it, the set function makes it, the clear function
/// frees it.
#[derive(Default)]
pub struct SettingPairs {
    pairs: Vec<(String, String)>,
}

/// Settings for qcc_radar_client_new(). Zero-initialise it (`struct qcc_radar_client_options
/// options = {0};`), then set fields and/or name/value pairs:
///
///  - a field left NULL or zero is unset: a NULL string falls back to the environment
///    (QCC_APP_KEY, QCC_SECRET_KEY, QCC_BASE_URL), a zero number to the default. A set field is
///    applied as the setting of the same name (`connect_timeout_ms = 2500` is
///    `connect_timeout` "2500ms"), through the same checks as a pair;
///  - qcc_radar_client_options_set() reaches every setting (the list is in the README and the
///    error for an unknown name), and can say zero where a field cannot ("max_attempts" "0" is
///    refused, while `max_attempts = 0` is the default). Pairs apply after the fields, in the
///    order given, so a pair wins over a field. Free them with qcc_radar_client_options_clear().
///
/// The fields' strings and the pairs are only read during qcc_radar_client_new() (copied), so
/// one options struct may make several clients. Fields may be added at the end in a later
/// version: always zero-initialise.
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
    /// `connect_timeout` in ms: time allowed to open a connection; 0: unset (10 000).
    pub connect_timeout_ms: u64,
    /// `request_timeout` in ms: time allowed for one API request, answer included; 0: unset
    /// (30 000).
    pub request_timeout_ms: u64,
    /// `read_timeout` in ms: time a download may go without receiving a byte before it is
    /// retried; 0: unset (60 000).
    pub read_timeout_ms: u64,
    /// `wait_timeout` in ms: the default deadline of qcc_radar_wait_for_report() and
    /// qcc_radar_fetch_report() when they are passed 0; 0: unset (30 minutes). A wait that looks
    /// only once is the pair "wait_timeout" "0".
    pub wait_timeout_ms: u64,
    /// Poll getReportInfo at this fixed interval while waiting, in ms: `poll_initial` and
    /// `poll_max` this long, `poll_factor` 1, `poll_jitter` 0. 0: unset (the default schedule,
    /// 2 s growing ×1.5 to 30 s, jittered). Every poll may be billed: in production, prefer the
    /// default.
    pub poll_interval_ms: u64,
    /// `max_attempts`: the most attempts for a request that is safe to repeat (1: no retries);
    /// 0: unset (5). Ordering a report is never repeated once it may have reached the server.
    pub max_attempts: u32,
    /// Called with each progress event of the client's calls (an order placed, each poll while
    /// waiting, download and extraction progress, at most one of each every 100 ms besides the
    /// first and the last), with `progress_user_data`; NULL: none. It runs on the library's
    /// threads, possibly several at once: keep it quick and thread-safe, and make no call with
    /// this client from it. It is never called again once qcc_radar_client_close() or
    /// qcc_radar_client_free() has returned, so `progress_user_data` may be freed then (they
    /// wait for a callback that is running, so it must not wait for the thread that closes).
    pub progress: Option<extern "C" fn(event: *const Progress, user_data: *mut c_void)>,
    /// Passed to `progress` untouched; the library never reads it.
    pub progress_user_data: *mut c_void,
    /// The name/value pairs of qcc_radar_client_options_set(): owned by those functions; leave
    /// it NULL (zero) and never copy a struct whose pairs another copy will clear.
    pub settings: *mut SettingPairs,
}

/// Settings for qcc_radar_fetch_report_with(). Zero-initialise it (`struct
/// qcc_radar_fetch_options options = {0};`) and set fields and/or name/value pairs with
/// qcc_radar_fetch_options_set() ("timeout", "new_order", "order_no"; pairs apply after the
/// fields, and can say what a zero field cannot, such as a "timeout" of "0s"). The zero value
/// is what qcc_radar_fetch_report() does with `timeout_ms` 0. Only read during the call; free
/// the pairs with qcc_radar_fetch_options_clear(). Fields may be added at the end in a later
/// version: always zero-initialise.
#[repr(C)]
pub struct FetchOptions {
    /// `timeout` in ms: the wait's deadline; 0: unset (the client's wait timeout, 30 minutes
    /// unless set in `struct qcc_radar_client_options`).
    pub timeout_ms: u64,
    /// `new_order`. Non-zero: place a new order whatever the folder's ledger says, and record
    /// it. Use it after a QCC_RADAR_STATUS_UNCONFIRMED_ORDER you have checked (the order is not
    /// on the account, or you want a second one anyway), after a period's second
    /// QCC_RADAR_STATUS_REPORT_FAILED, or to ask again after "no change". Every order may be
    /// billed. 0: unset (the ledger decides). An `int`, not a `bool`, so any value a C caller
    /// stores is safe to read.
    pub new_order: c_int,
    /// `order_no`: an order number such as "JKDAY-167660123348194027" to resume as this
    /// period's order instead of ordering; NULL: unset. Use it after a
    /// QCC_RADAR_STATUS_UNCONFIRMED_ORDER, with the order of that type and period you found in
    /// QCC's order list: it is recorded in the folder's ledger as the period's order, then
    /// waited for and downloaded, and later plain fetches return it; nothing is ordered. With
    /// `new_order`, or an order of another report type than `report_type`, the call fails with
    /// QCC_RADAR_STATUS_CONFIG. Borrowed: only read during the call.
    pub order_no: *const c_char,
    /// The name/value pairs of qcc_radar_fetch_options_set(): owned by those functions; leave
    /// it NULL (zero) and never copy a struct whose pairs another copy will clear.
    pub settings: *mut SettingPairs,
}

/// The pairs `p` points to (none for NULL).
fn pairs<'a>(p: *const SettingPairs) -> &'a [(String, String)] {
    // SAFETY: NULL or a list made by `remember` and not yet cleared, per the header's contract.
    unsafe { p.as_ref() }.map_or(&[], |s| &s.pairs)
}

/// Appends a pair to the list `slot` points to, making the list on first use.
fn remember(slot: &mut *mut SettingPairs, name: &str, value: &str) {
    if slot.is_null() {
        *slot = Box::into_raw(Box::default());
    }
    // SAFETY: non-NULL: made just above or by an earlier call, per the header's contract.
    let list = unsafe { &mut **slot };
    list.pairs.push((name.to_string(), value.to_string()));
}

/// Frees the list `slot` points to and sets it to NULL.
fn forget(slot: &mut *mut SettingPairs) {
    if !slot.is_null() {
        // SAFETY: made by Box::into_raw in `remember`, freed once: the slot is reset below.
        drop(unsafe { Box::from_raw(*slot) });
        *slot = std::ptr::null_mut();
    }
}

/// The name and value arguments of a set function.
fn name_value<'a>(name: *const c_char, value: *const c_char) -> Result<(&'a str, &'a str)> {
    // SAFETY: NULL or NUL-terminated strings, per the header's contract.
    let name = unsafe { required_str(name, "name") }?;
    // SAFETY: as above.
    let value = unsafe { required_str(value, "value") }?;
    Ok((name, value))
}

/// Sets one client setting by name, as text: any setting of the list (see the README or the
/// error for an unknown name), such as "max_attempts" "1", "poll_initial" "500ms",
/// "max_archive_bytes" "16GiB", "clock_skew_correction" "false", "unzip_password" "…". Times
/// take a unit (`30s`, `1500ms`, `2m`, `1h`; a bare number is seconds); sizes may (`16GiB`,
/// `10MB`); flags are "true"/"false" (or "on"/"off", "yes"/"no", "1"/"0").
///
/// A name that is not a client setting, or a value of the wrong kind (text for a count, a
/// negative time, a count below 1), is QCC_RADAR_STATUS_CONFIG with a message naming the
/// setting, and nothing is stored; rules between settings (`poll_max` not below
/// `poll_initial` …) are checked by qcc_radar_client_new(). Otherwise the pair is copied into a
/// list that `options->settings` points to (made on first use), applied after the fields, in
/// order, by qcc_radar_client_new(); a later pair of the same name wins. Free the list with
/// qcc_radar_client_options_clear() once no client is to be made from `options` (the clients
/// made keep their own copy).
///
/// NULL `options`, `name` or `value`, or text that is not UTF-8, is QCC_RADAR_STATUS_CONFIG.
/// Not thread-safe for one `options`: set from one thread, as with any struct.
#[no_mangle]
pub extern "C" fn qcc_radar_client_options_set(
    options: *mut ClientOptions,
    name: *const c_char,
    value: *const c_char,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a valid, writable options struct, per the header's contract.
        let options = unsafe { options.as_mut() }.ok_or_else(|| {
            qcc_radar::Error::config("options is NULL; pass the address of the options")
        })?;
        let (name, value) = name_value(name, value)?;
        ClientBuilder::new().set(Host::C, name, value)?;
        remember(&mut options.settings, name, value);
        Ok(())
    })
}

/// Frees the name/value pairs qcc_radar_client_options_set() stored in `options` and sets
/// `options->settings` to NULL; the other fields are left alone (the struct itself is the
/// caller's). NULL, or options without pairs, is fine; clearing twice is harmless.
#[no_mangle]
pub extern "C" fn qcc_radar_client_options_clear(options: *mut ClientOptions) {
    // SAFETY: NULL or a valid, writable options struct, per the header's contract.
    if let Some(o) = unsafe { options.as_mut() } {
        forget(&mut o.settings);
    }
}

/// Sets one fetch option by name, as text: "timeout" (a time with a unit, `90s`, `1500ms`,
/// `30m`; a bare number is seconds; "0s" looks once), "new_order" ("true"/"false") or
/// "order_no" (an order number). The same rules as qcc_radar_client_options_set(): an unknown
/// name or a value of the wrong kind is QCC_RADAR_STATUS_CONFIG and stores nothing; the rule
/// between options (`new_order` with `order_no`) is checked by qcc_radar_fetch_report_with().
/// Pairs apply after the fields, in order. Free them with qcc_radar_fetch_options_clear().
#[no_mangle]
pub extern "C" fn qcc_radar_fetch_options_set(
    options: *mut FetchOptions,
    name: *const c_char,
    value: *const c_char,
    err: *mut *mut Error,
) -> Status {
    call(err, || {
        // SAFETY: NULL or a valid, writable options struct, per the header's contract.
        let options = unsafe { options.as_mut() }.ok_or_else(|| {
            qcc_radar::Error::config("options is NULL; pass the address of the options")
        })?;
        let (name, value) = name_value(name, value)?;
        qcc_radar::FetchOptions::new().set(Host::C, name, value)?;
        remember(&mut options.settings, name, value);
        Ok(())
    })
}

/// Frees the name/value pairs qcc_radar_fetch_options_set() stored in `options` and sets
/// `options->settings` to NULL; the other fields are left alone. NULL is fine; clearing twice
/// is harmless.
#[no_mangle]
pub extern "C" fn qcc_radar_fetch_options_clear(options: *mut FetchOptions) {
    // SAFETY: NULL or a valid, writable options struct, per the header's contract.
    if let Some(o) = unsafe { options.as_mut() } {
        forget(&mut o.settings);
    }
}

/// Every user agent says which binding sent it: "c", then the caller's own words.
fn user_agent_suffix(value: &str) -> String {
    match value.trim() {
        "" => "c".to_string(),
        words => format!("c {words}"),
    }
}

/// The name/value pairs `o`'s fields stand for, in the struct's order.
fn field_pairs(o: &ClientOptions) -> Result<Vec<(&'static str, String)>> {
    let mut out = Vec::new();
    for (name, p) in [
        ("app_key", o.app_key),
        ("secret_key", o.secret_key),
        ("base_url", o.base_url),
        ("ca_file", o.ca_file),
        ("proxy", o.proxy),
    ] {
        // SAFETY: NULL or NUL-terminated strings, per the header's contract.
        if let Some(v) = unsafe { optional_str(p, &format!("options->{name}")) }? {
            out.push((name, v.to_string()));
        }
    }
    for (name, ms) in [
        ("connect_timeout", o.connect_timeout_ms),
        ("request_timeout", o.request_timeout_ms),
        ("read_timeout", o.read_timeout_ms),
        ("wait_timeout", o.wait_timeout_ms),
    ] {
        if ms != 0 {
            out.push((name, format!("{ms}ms")));
        }
    }
    if o.poll_interval_ms != 0 {
        let every = format!("{}ms", o.poll_interval_ms);
        out.push(("poll_initial", every.clone()));
        out.push(("poll_max", every));
        out.push(("poll_factor", "1".to_string()));
        out.push(("poll_jitter", "0".to_string()));
    }
    if o.max_attempts != 0 {
        out.push(("max_attempts", o.max_attempts.to_string()));
    }
    Ok(out)
}

/// The builder `options` describe (NULL: everything from the environment and the defaults),
/// and the gate of its progress callback, if it has one.
pub(crate) fn client_builder(
    options: Option<&ClientOptions>,
) -> Result<(ClientBuilder, Option<std::sync::Arc<crate::progress::Gate>>)> {
    let mut b = ClientBuilder::new().user_agent_suffix("c");
    let Some(o) = options else {
        return Ok((b, None));
    };
    let fields = field_pairs(o)?;
    let given = pairs(o.settings);
    let all = fields
        .iter()
        .map(|(n, v)| (*n, v.as_str()))
        .chain(given.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    for (name, value) in all {
        b = if name == "user_agent_suffix" {
            b.set(Host::C, name, user_agent_suffix(value))?
        } else {
            b.set(Host::C, name, value)?
        };
    }
    let mut gate = None;
    if let Some(callback) = o.progress {
        let (f, g): (ProgressFn, _) = crate::progress::bridge(callback, o.progress_user_data);
        b = b.on_progress(f);
        gate = Some(g);
    }
    Ok((b, gate))
}

/// The fetch options `options` describe (NULL: the defaults), checked.
pub(crate) fn fetch_options(options: Option<&FetchOptions>) -> Result<qcc_radar::FetchOptions> {
    let mut f = qcc_radar::FetchOptions::new();
    if let Some(o) = options {
        if o.timeout_ms != 0 {
            f = f.set(Host::C, "timeout", format!("{}ms", o.timeout_ms))?;
        }
        if o.new_order != 0 {
            f = f.set(Host::C, "new_order", "true")?;
        }
        // SAFETY: NULL or a NUL-terminated string, per the header's contract.
        if let Some(order_no) = unsafe { optional_str(o.order_no, "options->order_no") }? {
            f = f.set(Host::C, "order_no", order_no)?;
        }
        for (name, value) in pairs(o.settings) {
            f = f.set(Host::C, name, value.as_str())?;
        }
    }
    f.check(Host::C)?;
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{qcc_radar_error_free, qcc_radar_error_message};
    use std::ffi::{CStr, CString};

    fn zeroed() -> ClientOptions {
        ClientOptions {
            app_key: std::ptr::null(),
            secret_key: std::ptr::null(),
            base_url: std::ptr::null(),
            ca_file: std::ptr::null(),
            proxy: std::ptr::null(),
            connect_timeout_ms: 0,
            request_timeout_ms: 0,
            read_timeout_ms: 0,
            wait_timeout_ms: 0,
            poll_interval_ms: 0,
            max_attempts: 0,
            progress: None,
            progress_user_data: std::ptr::null_mut(),
            settings: std::ptr::null_mut(),
        }
    }

    fn message(err: *mut Error) -> String {
        // SAFETY: the message is NUL-terminated and lives as long as `err`.
        let m = unsafe { CStr::from_ptr(qcc_radar_error_message(err)) };
        m.to_str().unwrap().to_string()
    }

    #[test]
    fn pairs_are_tried_when_given_and_applied_after_the_fields() {
        let mut o = zeroed();
        let (app, secret, url) = (
            CString::new("app").unwrap(),
            CString::new("secret").unwrap(),
            CString::new("http://127.0.0.1:9").unwrap(),
        );
        o.app_key = app.as_ptr();
        o.secret_key = secret.as_ptr();
        o.base_url = url.as_ptr();
        o.poll_interval_ms = 50;
        let mut err = std::ptr::null_mut();
        let set = |o: &mut ClientOptions, n: &str, v: &str, err: &mut *mut Error| {
            let (n, v) = (CString::new(n).unwrap(), CString::new(v).unwrap());
            qcc_radar_client_options_set(o, n.as_ptr(), v.as_ptr(), err)
        };
        assert_eq!(set(&mut o, "max_attempts", "0", &mut err), Status::Config);
        assert_eq!(
            message(err),
            "max_attempts must be at least 1 (1 means no retries)"
        );
        qcc_radar_error_free(err);
        assert!(o.settings.is_null(), "a refused pair is not stored");
        assert_eq!(set(&mut o, "poll_max", "10ms", &mut err), Status::Ok);
        // The field's poll_initial (50 ms) was given by name too, so the rule applies.
        let e = client_builder(Some(&o)).unwrap().0.build().unwrap_err();
        assert_eq!(
            e.message(),
            "poll_max must not be smaller than poll_initial"
        );
        qcc_radar_client_options_clear(&mut o);
        qcc_radar_client_options_clear(&mut o);
        assert!(o.settings.is_null());
        assert!(client_builder(Some(&o)).unwrap().0.build().is_ok());
    }
}
