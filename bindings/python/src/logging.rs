//! Rust `tracing` events into Python `logging`, under the logger `qcc_radar`.
//!
//! A small `tracing` layer, installed as this module's global subscriber on import, turns each
//! event from the `qcc_radar*` crates into a `logging` record on `qcc_radar.<module>` (for
//! example `qcc_radar.transport`), which propagates to `qcc_radar`, so `logging.basicConfig`,
//! pytest's `caplog` and notebook handlers all see them. The structured fields go into the
//! message (`retrying endpoint=getReportInfo attempt=1 …`) and, as a dict, into the record's
//! `qcc_fields` attribute.
//!
//! Hazards, and the choices made:
//! - Events fire on the runtime's threads, which must attach to Python to log. That is only
//!   safe because no thread ever waits for the runtime while holding the GIL: the sync bridge
//!   releases it, the async bridge never waits, and the sandbox starts and stops detached.
//! - During interpreter shutdown attaching is impossible; the event is dropped.
//! - `import logging` is a third of `import qcc_radar`, so the package does not import it.
//!   While `logging` is not in `sys.modules` nothing can have been configured to receive a
//!   record, so events are dropped without importing it. Once it is, loggers are looked up
//!   through `qcc_radar._log`, whose import adds the package's `NullHandler` first.
//! - Secrets: the core never puts a secret key or Token into an event, but as a second line of
//!   defence fields whose names suggest a credential are replaced by `<redacted>`, and every
//!   value goes through the core's `redact_text` (the same scrubbing as the client's own
//!   messages): a URL loses its query (a signed link's query is a bearer credential), and a
//!   bare `Signature=`, `OSSAccessKeyId=` or `security-token=` value is hidden even where no URL
//!   is visible (a body cut off in the middle of a link).
//! - Events from other crates (hyper, axum, reqwest) are not forwarded: they are noisy and
//!   may print URLs.

use std::fmt::Write as _;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use qcc_radar::core::redact::redact_text;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::Registry;

/// Installs the forwarding subscriber for this module's copy of `tracing` (once; later calls
/// and a subscriber set by someone else are left alone).
pub(crate) fn install() {
    let _ = tracing::subscriber::set_global_default(Registry::default().with(PyLogLayer));
}

/// Forwards `qcc_radar*` events to Python `logging`.
struct PyLogLayer;

fn ours(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("qcc_radar")
}

impl<S: Subscriber> Layer<S> for PyLogLayer {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if meta.is_event() && ours(meta) {
            // Python's logger level can change at any time: ask on every event.
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        meta.is_event() && ours(meta)
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let logger = logger_name(meta.target());
        let level = python_level(*meta.level());
        Python::try_attach(|py| {
            if let Err(e) = emit(py, &logger, level, meta, &fields) {
                // Logging must never break the operation that logged.
                e.write_unraisable(py, None);
            }
        });
    }
}

/// `qcc_radar::transport` → `qcc_radar.transport`; `qcc_radar_core::x` → `qcc_radar.core.x`.
fn logger_name(target: &str) -> String {
    let mut parts = target.split("::");
    let krate = parts.next().unwrap_or("qcc_radar");
    let mut name = match krate.strip_prefix("qcc_radar_") {
        Some(rest) => format!("qcc_radar.{rest}"),
        None => "qcc_radar".to_string(),
    };
    for p in parts {
        name.push('.');
        name.push_str(p);
    }
    name
}

fn python_level(level: Level) -> u32 {
    match level {
        Level::ERROR => 40,
        Level::WARN => 30,
        Level::INFO => 20,
        Level::DEBUG => 10,
        Level::TRACE => 5,
    }
}

static GET_LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static SYS_MODULES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Whether the application has imported `logging` (else no handler or level can be set).
fn logging_imported(py: Python<'_>) -> PyResult<bool> {
    SYS_MODULES
        .import(py, "sys", "modules")?
        .contains("logging")
}

fn emit(
    py: Python<'_>,
    logger: &str,
    level: u32,
    meta: &Metadata<'_>,
    fields: &Fields,
) -> PyResult<()> {
    if !logging_imported(py)? {
        return Ok(());
    }
    let logger = GET_LOGGER
        .import(py, "qcc_radar._log", "get_logger")?
        .call1((logger,))?;
    if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
        return Ok(());
    }
    let mut text = fields.message.clone();
    let values = PyDict::new(py);
    for (name, value) in &fields.values {
        let _ = write!(text, " {name}={value}");
        values.set_item(name, value)?;
    }
    let extra = PyDict::new(py);
    extra.set_item("qcc_fields", values)?;
    // The record points at the Rust source line, not at logging's own frame. `text` goes in as
    // the message with no args, so a '%' in it is never taken as a format directive.
    let record = logger.call_method1(
        "makeRecord",
        (
            logger.getattr("name")?,
            level,
            meta.file().unwrap_or("<rust>"),
            meta.line().unwrap_or(0),
            text.trim_start(),
            pyo3::types::PyTuple::empty(py),
            py.None(),
            meta.module_path(),
            extra,
        ),
    )?;
    logger.call_method1("handle", (record,))?;
    Ok(())
}

/// An event's message and its other fields, redacted.
#[derive(Default)]
struct Fields {
    message: String,
    values: Vec<(&'static str, String)>,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record_str(field, &format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let shown = redact_field(field.name(), value);
        if field.name() == "message" {
            self.message = shown;
        } else {
            self.values.push((field.name(), shown));
        }
    }
}

/// `value`, unless `name` suggests a credential; scrubbed of link material either way.
fn redact_field(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if ["secret", "token", "signature", "password", "authorization"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return "<redacted>".to_string();
    }
    redact_text(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_lose_link_material() {
        assert_eq!(
            redact_field(
                "message",
                "link \"https://f.example/a.zip?Expires=1&Signature=x\" refused"
            ),
            "link \"https://f.example/a.zip?<redacted>\" refused"
        );
        assert_eq!(
            redact_field("body", "Expires=9&OSSAccessKeyId=LTAIabc&Signature=k%2FD2"),
            "Expires=9&OSSAccessKeyId=<redacted>&Signature=<redacted>"
        );
        assert_eq!(redact_field("message", "no url here"), "no url here");
    }

    #[test]
    fn credential_fields_are_hidden() {
        assert_eq!(redact_field("token", "ABC"), "<redacted>");
        assert_eq!(redact_field("secret_key", "s"), "<redacted>");
        assert_eq!(redact_field("attempt", "2"), "2");
    }

    #[test]
    fn logger_names_follow_modules() {
        assert_eq!(logger_name("qcc_radar::transport"), "qcc_radar.transport");
        assert_eq!(logger_name("qcc_radar"), "qcc_radar");
        assert_eq!(logger_name("qcc_radar_core::x"), "qcc_radar.core.x");
    }
}
