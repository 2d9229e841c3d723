//! Turning the command line and the environment into a configured client, before anything is
//! sent.
//!
//! Every check that can fail for a reason the user must fix (a missing key, an unreadable key
//! file, a base URL without a scheme) happens here and is a `config` error (exit 2) whose
//! message names the flag or variable to set. The messages name the key file, never its
//! content. `QCC_RADAR_POLL_MS` shortens the poll interval; it exists for tests and demos,
//! since the real service needs no faster polling than the default back-off. `--set NAME=VALUE`
//! reaches every other client setting through the client crate's one settings table
//! (`qcc_radar::settings`), so the command checks and words them exactly as the libraries do.

use std::path::Path;
use std::time::Duration;

use qcc_radar::settings::{Host, Unit};
use qcc_radar::{Client, ClientBuilder, Error, PollSchedule, ProgressFn, Result};

use crate::args::GlobalArgs;

/// The environment variable that fixes the poll interval in milliseconds (for testing).
pub const POLL_MS_ENV: &str = "QCC_RADAR_POLL_MS";

/// The app key and secret key, resolved from flags, files and the environment.
pub struct Keys {
    /// The app key.
    pub app_key: String,
    /// The secret key. Never printed.
    pub secret_key: String,
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Reads a secret key file given with the flag `flag`, dropping one trailing newline (`\n` or
/// `\r\n`), as `echo` and editors leave one.
pub fn read_secret_file(path: &Path, flag: &str) -> Result<String> {
    read_text_file(path, flag, "secret key")
}

/// Reads the file of `--unzip-password-file`: the password of encrypted report archives, used
/// exactly as written but for one trailing newline.
pub fn read_unzip_password_file(path: &Path) -> Result<String> {
    read_text_file(path, "--unzip-password-file", "unzip password")
}

/// Reads a file holding one secret (`what`), given with `flag`, dropping one trailing newline.
/// The messages name the file, never its content.
fn read_text_file(path: &Path, flag: &str, what: &str) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::config(format!(
            "cannot read the {what} file {}: {e}; check {flag}",
            path.display()
        ))
    })?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text)
        .to_string();
    if text.is_empty() {
        return Err(Error::config(format!(
            "the {what} file {} is empty; put the {what} in it",
            path.display()
        )));
    }
    Ok(text)
}

/// Resolves the keys: `--app-key` or `QCC_APP_KEY`; `--secret-key-file` (or
/// `QCC_SECRET_KEY_FILE`), else `QCC_SECRET_KEY`.
pub fn keys(global: &GlobalArgs) -> Result<Keys> {
    let app_key = global
        .app_key
        .clone()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Error::config("no app key: set QCC_APP_KEY or pass --app-key KEY (try `qcc-radar demo` to run without credentials)")
        })?;
    let secret_key = match &global.secret_key_file {
        Some(path) => read_secret_file(path, "--secret-key-file")?,
        None => non_empty_env("QCC_SECRET_KEY").ok_or_else(|| {
            Error::config(
                "no secret key: set QCC_SECRET_KEY or pass --secret-key-file PATH (a file holding the key)",
            )
        })?,
    };
    Ok(Keys {
        app_key,
        secret_key,
    })
}

/// The poll schedule `QCC_RADAR_POLL_MS` asks for, if set.
pub fn poll_override() -> Result<Option<PollSchedule>> {
    match non_empty_env(POLL_MS_ENV) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(ms) if ms > 0 && ms <= 600_000 => {
                Ok(Some(PollSchedule::fixed(Duration::from_millis(ms))))
            }
            _ => Err(Error::config(format!(
                "{POLL_MS_ENV}={v:?} is not a number of milliseconds between 1 and 600000; unset it"
            ))),
        },
    }
}

/// A client builder for `keys` and the global options, with progress reporting.
pub fn builder(
    global: &GlobalArgs,
    keys: Keys,
    progress: Option<ProgressFn>,
) -> Result<ClientBuilder> {
    let mut b = ClientBuilder::new()
        .app_key(keys.app_key)
        .secret_key(keys.secret_key)
        .user_agent_suffix("cli");
    if let Some(url) = &global.base_url {
        b = b.base_url(url.clone());
    }
    if let Some(schedule) = poll_override()? {
        b = b.poll_schedule(schedule);
    }
    if let Some(path) = &global.unzip_password_file {
        b = b.unzip_password(read_unzip_password_file(path)?);
    }
    for pair in &global.settings {
        b = set_pair(b, pair)?;
    }
    if let Some(p) = progress {
        b = b.on_progress(p);
    }
    Ok(b)
}

/// Applies one `--set NAME=VALUE`. Secrets and the keys the flags already carry are refused,
/// with the flag to use instead: a secret on the command line shows in `ps` and shell history.
fn set_pair(b: ClientBuilder, pair: &str) -> Result<ClientBuilder> {
    let Some((name, value)) = pair.split_once('=') else {
        return Err(Error::config(format!(
            "--set takes NAME=VALUE, got {pair:?}; `qcc-radar settings` lists the names"
        )));
    };
    let name = name.trim();
    let setting = qcc_radar::settings::find(Host::Cli, name);
    if let Some(s) = setting {
        let instead = match s.name {
            "secret_key" => Some("--secret-key-file or QCC_SECRET_KEY"),
            "unzip_password" => Some("--unzip-password-file"),
            "app_key" => Some("--app-key or QCC_APP_KEY"),
            "base_url" => Some("--base-url or QCC_BASE_URL"),
            _ => None,
        };
        if let Some(instead) = instead {
            return Err(Error::config(format!(
                "{name} cannot be given with --set; use {instead}"
            )));
        }
        if s.unit == Unit::Secret {
            return Err(Error::config(format!(
                "{name} is a secret and cannot be given on the command line"
            )));
        }
    }
    b.set(Host::Cli, name, value)
}

/// Builds the client from the global options; every failure is a `config` error and nothing
/// has been sent.
pub fn client(global: &GlobalArgs, progress: Option<ProgressFn>) -> Result<Client> {
    let keys = keys(global)?;
    builder(global, keys, progress)?
        .build()
        .map_err(with_flag_hint)
}

/// Adds which flag sets the base URL to the core's base-URL messages.
fn with_flag_hint(e: Error) -> Error {
    if e.kind() == qcc_radar::ErrorKind::Config && e.message().contains("base URL") {
        Error::config(format!(
            "{} (set by --base-url or QCC_BASE_URL)",
            e.message()
        ))
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_trailing_newline_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        for (content, want) in [
            ("abc\n", "abc"),
            ("abc\r\n", "abc"),
            ("abc", "abc"),
            ("abc\n\n", "abc\n"),
        ] {
            std::fs::write(&p, content).unwrap();
            assert_eq!(read_secret_file(&p, "--secret-key-file").unwrap(), want);
        }
        std::fs::write(&p, "\n").unwrap();
        let e = read_secret_file(&p, "--secret-key-file").unwrap_err();
        assert!(e.message().contains("is empty"), "{e}");
        let e = read_secret_file(&dir.path().join("missing"), "--secret-key-file").unwrap_err();
        assert!(e.message().contains("--secret-key-file"), "{e}");
    }

    #[test]
    fn set_pairs_go_through_the_settings_table() {
        let b = set_pair(ClientBuilder::new(), "max_attempts=3").unwrap();
        set_pair(b, "request_timeout = 1500ms").unwrap();
        let e = set_pair(ClientBuilder::new(), "max_attempts=0")
            .and_then(|b| {
                b.app_key("a")
                    .secret_key("s")
                    .build()
                    .map(|_| ClientBuilder::new())
            })
            .unwrap_err();
        assert_eq!(
            e.message(),
            "max_attempts must be at least 1 (1 means no retries)"
        );
        let e = set_pair(ClientBuilder::new(), "request_timeout").unwrap_err();
        assert!(e.message().contains("NAME=VALUE"), "{e}");
        let e = set_pair(ClientBuilder::new(), "secret_key=oops").unwrap_err();
        assert!(e.message().contains("--secret-key-file"), "{e}");
        assert!(!e.message().contains("oops"), "{e}");
        let e = set_pair(ClientBuilder::new(), "colour=red").unwrap_err();
        assert!(e.message().starts_with("unknown setting \"colour\""), "{e}");
    }

    #[test]
    fn an_unzip_password_keeps_its_spaces_and_is_never_quoted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pw");
        std::fs::write(&p, " pass word \n").unwrap();
        assert_eq!(read_unzip_password_file(&p).unwrap(), " pass word ");
        std::fs::write(&p, "\r\n").unwrap();
        let e = read_unzip_password_file(&p).unwrap_err();
        assert!(e.message().contains("unzip password file"), "{e}");
        let e = read_unzip_password_file(&dir.path().join("missing")).unwrap_err();
        assert!(e.message().contains("--unzip-password-file"), "{e}");
    }
}
