//! Opt-in diagnostics on stderr, for hosts that cannot install a `tracing` subscriber.
//!
//! The client narrates with `tracing` (an order placed, a retry, a refreshed link), but an
//! event only shows when some subscriber is installed. The `qcc-radar` command installs its
//! own, and the Python binding forwards events to `logging`; a C program, a JVM or a Node
//! process has no way to install one. So the C library, the JNI library and the Node addon
//! call [`init_from_env`] when their first client is made, and the environment decides:
//!
//! | environment | what is shown |
//! |---|---|
//! | `QCC_RADAR_LOG=debug` (a bare level: `error`, `warn`, `info`, `debug`, `trace`) | qcc-radar's events at that level and above; other crates (hyper, reqwest, rustls) at `warn` |
//! | `QCC_RADAR_LOG=qcc_radar=trace,hyper=debug` (any [`EnvFilter`] directives) | exactly what the directives say |
//! | `QCC_RADAR_LOG=off` | nothing, even if `RUST_LOG` is set |
//! | only `RUST_LOG` set | what `RUST_LOG`'s directives say (the usual Rust convention) |
//! | neither (or both empty) | nothing: no subscriber is installed, so events cost next to nothing |
//!
//! Lines go to stderr, one per event, without colours, with a UTC timestamp, the level and the
//! event's target (`qcc_radar::transport`, …), so they can be told apart from the host's own
//! output and kept in a log file. The logic lives here once so that every binding reads the
//! same variable the same way.
//!
//! Hazards, and the choices made:
//! - **Never panic.** The bindings call this across an FFI boundary. The work runs under
//!   `catch_unwind` inside a [`Once`] (so a bug cannot poison it), the subscriber is installed
//!   with `try_init`, and nothing here uses `eprintln!` (which panics when stderr is a closed
//!   pipe); the formatter's own error reports are turned off for the same reason.
//! - **A host's subscriber wins.** If a global subscriber is already set (a Rust program that
//!   links a binding's `rlib` and set its own), nothing is installed.
//! - **A bad filter is not fatal.** An invalid `QCC_RADAR_LOG` is ignored with one warning line
//!   on stderr naming the variable (then `RUST_LOG` is tried); an invalid `RUST_LOG` likewise.
//! - **Secrets.** The client never puts a secret key, a Token or a signed link's query into an
//!   event, but as a second line of defence (as the Python bridge does) every field is written
//!   through [`redact_text`]: URLs lose their query and `Signature=`-like values are replaced,
//!   and fields whose names suggest a credential are shown as `<redacted>`. Control characters
//!   in values (a server's message) are escaped, so one event is always one line.

use std::fmt;
use std::io::Write as _;
use std::sync::Once;

use qcc_radar_core::redact::redact_text;
use tracing::field::{Field, Visit};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{FormatFields, Writer};
use tracing_subscriber::EnvFilter;

/// The variable that turns the diagnostics on: a bare level (`debug`, `trace`, …), `off`, or
/// [`EnvFilter`] directives (`qcc_radar=trace,hyper=debug`).
pub const ENV_VAR: &str = "QCC_RADAR_LOG";

/// The fallback variable, read when [`ENV_VAR`] is unset or empty.
pub const RUST_LOG: &str = "RUST_LOG";

/// Installs a global `tracing` subscriber writing qcc-radar's events to stderr, if the
/// environment asks for one (see the [module docs](self)): `QCC_RADAR_LOG`, else `RUST_LOG`.
///
/// `binding` names the caller (`"c"`, `"java"`, `"node"`); it appears in the warning about an
/// invalid filter and in the first, debug-level, line (`diagnostics on stderr binding="c" …`).
///
/// Idempotent and cheap to call again: only the first call in the process reads the
/// environment. Does nothing when neither variable is set, when `QCC_RADAR_LOG` is `off`, or
/// when a global subscriber is already installed. Never panics.
pub fn init_from_env(binding: &str) {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // A panic here must neither cross the caller's FFI boundary nor poison `ONCE`.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| install(binding)));
    });
}

/// The filter chosen from the environment, and where it came from.
struct Choice {
    /// The variable the directives came from ([`ENV_VAR`] or [`RUST_LOG`]).
    variable: &'static str,
    /// The directives, after a bare level in [`ENV_VAR`] has been expanded.
    directives: String,
    /// The parsed filter.
    filter: EnvFilter,
}

/// What the two variables ask for: a filter or nothing, and a warning line for each variable
/// that was set but could not be used.
fn choose(qcc_radar_log: Option<&str>, rust_log: Option<&str>) -> (Option<Choice>, Vec<String>) {
    let mut warnings = Vec::new();
    for (variable, value) in [(ENV_VAR, qcc_radar_log), (RUST_LOG, rust_log)] {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        if variable == ENV_VAR && value.eq_ignore_ascii_case("off") {
            return (None, warnings);
        }
        let directives = if variable == ENV_VAR {
            expand_level(value)
        } else {
            value.to_string()
        };
        match EnvFilter::try_new(&directives) {
            Ok(filter) => {
                return (
                    Some(Choice {
                        variable,
                        directives,
                        filter,
                    }),
                    warnings,
                )
            }
            Err(e) => warnings.push(format!("ignoring {variable}={value:?}: {e}")),
        }
    }
    (None, warnings)
}

/// A bare level (`debug`) means "qcc-radar at this level, everything else at warn", as the
/// command's default filter does; anything else is taken as directives.
fn expand_level(value: &str) -> String {
    const LEVELS: [&str; 5] = ["error", "warn", "info", "debug", "trace"];
    match LEVELS.iter().find(|l| value.eq_ignore_ascii_case(l)) {
        Some(level) => format!("warn,qcc_radar={level},qcc_radar_core={level}"),
        None => value.to_string(),
    }
}

/// Reads a variable; a value that is not UTF-8 becomes a warning and counts as unset.
fn read_var(name: &'static str, warnings: &mut Vec<String>) -> Option<String> {
    match std::env::var(name) {
        Ok(v) => Some(v),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(_)) => {
            warnings.push(format!("ignoring {name}: its value is not UTF-8"));
            None
        }
    }
}

/// The work of [`init_from_env`], run once.
fn install(binding: &str) {
    if tracing::dispatcher::has_been_set() {
        return;
    }
    let mut warnings = Vec::new();
    let qcc = read_var(ENV_VAR, &mut warnings);
    let rust = read_var(RUST_LOG, &mut warnings);
    let (choice, more) = choose(qcc.as_deref(), rust.as_deref());
    warnings.extend(more);
    if !warnings.is_empty() {
        let mut stderr = std::io::stderr().lock();
        for w in &warnings {
            // Not eprintln!: it panics when stderr is a closed pipe.
            let _ = writeln!(stderr, "qcc-radar ({binding}): {w}");
        }
    }
    let Some(choice) = choice else {
        return;
    };
    let installed = tracing_subscriber::fmt()
        .with_env_filter(choice.filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(true)
        .fmt_fields(RedactedFields)
        .log_internal_errors(false)
        .try_init()
        .is_ok();
    if installed {
        tracing::debug!(
            binding,
            version = crate::VERSION,
            variable = choice.variable,
            filter = %choice.directives,
            "diagnostics on stderr"
        );
    }
}

/// Field names that suggest a credential: their values are never shown.
fn is_credential(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["secret", "token", "signature", "password", "authorization"]
        .iter()
        .any(|w| lower.contains(w))
}

/// `text` with signed-link material removed and control characters escaped.
fn clean(text: &str) -> String {
    let redacted = redact_text(text);
    if !redacted.chars().any(char::is_control) {
        return redacted;
    }
    let mut out = String::with_capacity(redacted.len() + 8);
    for c in redacted.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Formats an event's (or span's) fields like the default formatter (`message key=value …`),
/// but through [`clean`], and with credential-named fields hidden.
struct RedactedFields;

impl<'w> FormatFields<'w> for RedactedFields {
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = RedactingVisitor {
            writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut visitor);
        visitor.result
    }
}

/// Writes each field it visits, space-separated.
struct RedactingVisitor<'w> {
    writer: Writer<'w>,
    first: bool,
    result: fmt::Result,
}

impl Visit for RedactingVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.record_debug(field, &format_args!("{value}"));
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let name = field.name();
        // Metadata of events that came through the `log` crate, already shown in the prefix.
        if self.result.is_err() || name.starts_with("log.") {
            return;
        }
        let sep = if self.first { "" } else { " " };
        self.first = false;
        let name = name.strip_prefix("r#").unwrap_or(name);
        self.result = if name == "message" {
            write!(self.writer, "{sep}{}", clean(&format!("{value:?}")))
        } else if is_credential(name) {
            write!(self.writer, "{sep}{name}=<redacted>")
        } else {
            write!(self.writer, "{sep}{name}={}", clean(&format!("{value:?}")))
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The directives chosen, or None; and the warnings.
    fn chosen(qcc: Option<&str>, rust: Option<&str>) -> (Option<(&'static str, String)>, usize) {
        let (choice, warnings) = choose(qcc, rust);
        (choice.map(|c| (c.variable, c.directives)), warnings.len())
    }

    #[test]
    fn nothing_set_means_no_subscriber() {
        assert_eq!(chosen(None, None), (None, 0));
        assert_eq!(chosen(Some(""), Some("  ")), (None, 0));
    }

    #[test]
    fn a_bare_level_is_for_qcc_radar_only() {
        for (value, level) in [("debug", "debug"), ("TRACE", "trace"), (" info ", "info")] {
            let expected = format!("warn,qcc_radar={level},qcc_radar_core={level}");
            assert_eq!(chosen(Some(value), None), (Some((ENV_VAR, expected)), 0));
        }
        let (choice, _) = choose(Some("debug"), None);
        let filter = choice.expect("a filter").filter;
        assert_eq!(
            filter.max_level_hint(),
            Some(tracing::level_filters::LevelFilter::DEBUG)
        );
    }

    #[test]
    fn directives_are_taken_as_they_are() {
        assert_eq!(
            chosen(Some("qcc_radar=trace,hyper=debug"), None),
            (
                Some((ENV_VAR, "qcc_radar=trace,hyper=debug".to_string())),
                0
            )
        );
    }

    #[test]
    fn qcc_radar_log_wins_over_rust_log() {
        assert_eq!(
            chosen(Some("info"), Some("trace")),
            (
                Some((
                    ENV_VAR,
                    "warn,qcc_radar=info,qcc_radar_core=info".to_string()
                )),
                0
            )
        );
    }

    #[test]
    fn rust_log_is_the_fallback_as_it_is() {
        assert_eq!(
            chosen(None, Some("debug")),
            (Some((RUST_LOG, "debug".to_string())), 0)
        );
        assert_eq!(
            chosen(Some(""), Some("qcc_radar=trace")),
            (Some((RUST_LOG, "qcc_radar=trace".to_string())), 0)
        );
    }

    #[test]
    fn off_turns_everything_off() {
        assert_eq!(chosen(Some("off"), Some("trace")), (None, 0));
        assert_eq!(chosen(Some("OFF"), None), (None, 0));
    }

    #[test]
    fn an_invalid_filter_is_ignored_with_a_warning() {
        let (choice, warnings) = choose(Some("qcc_radar=loud"), None);
        assert!(choice.is_none());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("ignoring QCC_RADAR_LOG=\"qcc_radar=loud\": "),
            "{warnings:?}"
        );
        // …and RUST_LOG is tried next.
        assert_eq!(
            chosen(Some("qcc_radar=loud"), Some("info")),
            (Some((RUST_LOG, "info".to_string())), 1)
        );
        let (_, warnings) = choose(None, Some("x=nope"));
        assert!(
            warnings[0].starts_with("ignoring RUST_LOG="),
            "{warnings:?}"
        );
    }

    #[test]
    fn credentials_and_link_queries_are_not_written() {
        assert!(is_credential("secret_key"));
        assert!(is_credential("Token"));
        assert!(!is_credential("order_no"));
        assert_eq!(
            clean("GET https://f.example/a.zip?Expires=1&Signature=abc failed"),
            "GET https://f.example/a.zip?<redacted> failed"
        );
        assert_eq!(
            clean("line one\nline \u{1b}[31mtwo"),
            "line one\\nline \\u{1b}[31mtwo"
        );
        assert_eq!(clean("plain"), "plain");
    }
}
