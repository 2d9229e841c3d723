//! `settings`: the client settings `--set NAME=VALUE` takes, from the client crate's one table.
//!
//! The same list every binding exposes (under its own spelling), so a cron job's `--set` and a
//! notebook's keyword arguments mean the same thing. `--json` prints them as an array.

use qcc_radar::settings::{Host, Scope, SETTINGS};
use serde::Serialize;

use crate::output::Success;

/// One setting in `--json`.
#[derive(Serialize)]
struct SettingOut {
    name: String,
    unit: String,
    default: String,
    meaning: &'static str,
}

/// Runs `settings`.
pub fn run() -> Success {
    let client: Vec<_> = SETTINGS
        .iter()
        .filter(|s| s.scope == Scope::Client)
        .collect();
    let out: Vec<SettingOut> = client
        .iter()
        .map(|s| SettingOut {
            name: s.name_for(Host::Cli),
            unit: format!("{:?}", s.unit).to_lowercase(),
            default: s.default.replace('`', ""),
            meaning: s.doc,
        })
        .collect();
    let width = out.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut text = String::from(
        "Client settings for --set NAME=VALUE (times take a unit: 30s, 1500ms, 2m; secrets and keys have their own flags):\n",
    );
    for s in &out {
        text.push_str(&format!(
            "  {:width$}  {:8}  {}  [default: {}]\n",
            s.name, s.unit, s.meaning, s.default,
        ));
    }
    Success::answer(&out, text)
}
