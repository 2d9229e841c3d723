//! The order ledger: which order a report folder placed for which server, account, report type
//! and period, and how far it got. It is what makes a re-run free.
//!
//! Every createReport is a billed order, and its answer can be lost: the connection breaks
//! after the request went out, the process is killed, the disk fills before the order number
//! is written. So an entry is written as `ordering` *before* createReport is sent, then
//! `ordered` with the order number, then `ready`, `no_change` or `failed`. A later run for the
//! same key reads the newest entry and decides (see [`crate::Client::fetch_report_with`]):
//! resume an `ordered` order, return a `ready` or `no_change` result, re-order a `failed`
//! period once, and refuse to order over an `ordering` entry whose outcome nobody recorded
//! (`unconfirmed_order`): the order may exist and be billed.
//!
//! An entry's key is the server (base URL), the app key, the report type and the period (the
//! Beijing-time day, ISO week or month on the server's clock). So the demo's sandbox cannot
//! stand in for a real fetch, and two accounts can share a folder.
//!
//! The file is replaced atomically (a temporary file in the same folder, fsynced, renamed, the
//! folder fsynced): a crash leaves the old ledger or the new one. A ledger that cannot be read
//! or parsed is an `io` error and is never overwritten or set aside: it may hold the only record
//! of a paid order. Format 1, written by the `qcc-radar` command before the ledger moved into
//! the library, is read as is; its entries carry no server or app key and match any.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use qcc_radar_core::{Error, ErrorKind, OrderNo, ReportType, Result};
use serde::{Deserialize, Serialize};

use crate::clock::unix_now;
use crate::local_fs::sync_dir;
use crate::report_folder::LEDGER_TEMP_PREFIX;

/// The ledger's format marker (the name predates the ledger's move into the library).
const FORMAT: &str = "qcc-radar-journal";
/// The format version this build writes.
const VERSION: u32 = 2;
/// Entries kept; the oldest are dropped beyond this (years of daily orders).
const MAX_ENTRIES: usize = 2000;

/// How far an order got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerState {
    /// createReport is being sent, or was sent and its answer never recorded.
    Ordering,
    /// The order was placed; its report is not in the folder yet.
    Ordered,
    /// The report was downloaded and extracted into `<orderNo>.zip` and `<orderNo>/`.
    #[serde(alias = "downloaded")]
    Ready,
    /// createReport answered 201: no risk changes, no report, nothing billed.
    NoChange,
    /// QCC could not make the report (status F), or did not know the order.
    #[serde(alias = "rejected")]
    Failed,
}

impl LedgerState {
    /// The snake_case name written in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerState::Ordering => "ordering",
            LedgerState::Ordered => "ordered",
            LedgerState::Ready => "ready",
            LedgerState::NoChange => "no_change",
            LedgerState::Failed => "failed",
        }
    }
}

/// What an entry is about: the same key means the same report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerKey {
    /// The base URL requests go to.
    pub server: String,
    /// The account's app key (public: it travels in every request's query).
    pub app_key: String,
    /// Day, week or month.
    pub report_type: ReportType,
    /// The period label: `2026-12-07`, `2026-W49`, `2026-12`.
    pub period: String,
}

/// One order, or attempt to order, for a key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// Unique within the ledger, so an update finds its entry.
    pub id: String,
    /// The base URL; absent in format-1 entries, which match any server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The app key; absent in format-1 entries, which match any account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_key: Option<String>,
    /// Day, week or month.
    pub report_type: ReportType,
    /// The period label.
    pub period: String,
    /// The order number, once createReport answered with one.
    pub order_no: Option<OrderNo>,
    /// How far it got.
    pub state: LedgerState,
    /// When the entry was made (Unix seconds).
    pub created_at: u64,
    /// When it last changed (Unix seconds).
    pub updated_at: u64,
    /// When createReport was sent (Unix seconds), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<u64>,
    /// The last failure of this order (`kind: message`), for whoever reads the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl LedgerEntry {
    fn matches(&self, key: &LedgerKey) -> bool {
        self.report_type == key.report_type
            && self.period == key.period
            && self.server.as_deref().is_none_or(|s| s == key.server)
            && self.app_key.as_deref().is_none_or(|k| k == key.app_key)
    }

    fn same_account(&self, key: &LedgerKey) -> bool {
        self.report_type == key.report_type
            && self.server.as_deref().is_none_or(|s| s == key.server)
            && self.app_key.as_deref().is_none_or(|k| k == key.app_key)
    }
}

#[derive(Serialize, Deserialize)]
struct LedgerFile {
    format: String,
    version: u32,
    entries: Vec<LedgerEntry>,
}

/// A folder's ledger as read from disk. Hold the folder's lock while using it.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    entries: Vec<LedgerEntry>,
}

fn unreadable(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "the order ledger {} cannot be read ({why}); it may hold the only record of a paid order, so nothing was ordered. Repair the file, or move it aside once you have checked QCC's order list, then run again",
            path.display()
        ),
    )
}

impl Ledger {
    /// Reads the ledger at `path`; a missing file is an empty ledger.
    pub fn read(path: &Path) -> Result<Ledger> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Ledger {
                    path: path.to_path_buf(),
                    entries: Vec::new(),
                })
            }
            Err(e) => {
                return Err(Error::io(
                    "read the order ledger",
                    path,
                    &e,
                    "nothing was ordered; make the file readable and run again",
                ))
            }
        };
        let file: LedgerFile = serde_json::from_slice(&bytes)
            .map_err(|e| unreadable(path, &format!("not a qcc-radar ledger: {e}")))?;
        if file.format != FORMAT {
            return Err(unreadable(
                path,
                &format!("its format is {:?}, not {FORMAT:?}", file.format),
            ));
        }
        if file.version > VERSION || file.version == 0 {
            return Err(unreadable(
                path,
                &format!(
                    "it is format {}, and this qcc-radar reads up to {VERSION}: upgrade qcc-radar",
                    file.version
                ),
            ));
        }
        Ok(Ledger {
            path: path.to_path_buf(),
            entries: file.entries,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// The newest entry for `key`.
    pub fn latest(&self, key: &LedgerKey) -> Option<&LedgerEntry> {
        self.entries.iter().rev().find(|e| e.matches(key))
    }

    /// The `failed` entries for `key` (the period's failed orders), oldest first.
    pub fn failures(&self, key: &LedgerKey) -> Vec<&LedgerEntry> {
        self.entries
            .iter()
            .filter(|e| e.matches(key) && e.state == LedgerState::Failed)
            .collect()
    }

    /// Orders of the same server, account and type in other periods, made since `since` (Unix
    /// seconds), placed but never downloaded.
    pub fn unfinished_elsewhere(&self, key: &LedgerKey, since: u64) -> Vec<&LedgerEntry> {
        self.entries
            .iter()
            .filter(|e| {
                e.same_account(key)
                    && e.period != key.period
                    && e.state == LedgerState::Ordered
                    && e.created_at >= since
            })
            .collect()
    }

    /// Adds an entry for `key` in `state` and returns its id (not saved yet).
    pub fn push(&mut self, key: &LedgerKey, state: LedgerState) -> String {
        let now = unix_now();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let id = format!("{nanos:x}-{}", std::process::id());
        self.entries.push(LedgerEntry {
            id: id.clone(),
            server: Some(key.server.clone()),
            app_key: Some(key.app_key.clone()),
            report_type: key.report_type,
            period: key.period.clone(),
            order_no: None,
            state,
            created_at: now,
            updated_at: now,
            sent_at: None,
            last_error: None,
        });
        if self.entries.len() > MAX_ENTRIES {
            let drop = self.entries.len() - MAX_ENTRIES;
            self.entries.drain(..drop);
        }
        id
    }

    /// The entry with `id`.
    pub fn get(&self, id: &str) -> Option<&LedgerEntry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// Changes the entry `id` with `f` and stamps it (not saved yet).
    pub fn update(&mut self, id: &str, f: impl FnOnce(&mut LedgerEntry)) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            f(e);
            e.updated_at = unix_now();
        }
    }

    /// Removes the entry `id` (not saved yet).
    pub fn remove(&mut self, id: &str) {
        self.entries.retain(|e| e.id != id);
    }

    /// Writes the ledger atomically and durably, as format 2.
    pub fn save(&self) -> Result<()> {
        let file = LedgerFile {
            format: FORMAT.to_string(),
            version: VERSION,
            entries: self.entries.clone(),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot encode the order ledger: {e}"),
            )
        })?;
        text.push('\n');
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let failed = |e: &std::io::Error| {
            Error::io(
                "write the order ledger",
                &self.path,
                e,
                "free space or fix the folder's permissions and run again",
            )
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(LEDGER_TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(|e| failed(&e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| failed(&e))?;
        tmp.persist(&self.path).map_err(|e| failed(&e.error))?;
        sync_dir(dir);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(server: &str, period: &str) -> LedgerKey {
        LedgerKey {
            server: server.into(),
            app_key: "k".into(),
            report_type: ReportType::Day,
            period: period.into(),
        }
    }

    #[test]
    fn round_trip_keeps_typed_values() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qcc-radar-journal.json");
        let mut l = Ledger::read(&path).unwrap();
        let k = key("https://pro.qcc.com/", "2026-12-07");
        let id = l.push(&k, LedgerState::Ordering);
        l.update(&id, |e| {
            e.state = LedgerState::Ordered;
            e.order_no = Some(OrderNo::new("JKDAY-1").unwrap());
        });
        l.save().unwrap();
        let l = Ledger::read(&path).unwrap();
        let e = l.latest(&k).unwrap();
        assert_eq!(e.state, LedgerState::Ordered);
        assert_eq!(e.order_no.as_ref().unwrap().as_str(), "JKDAY-1");
        assert!(l
            .latest(&key("http://127.0.0.1:9/", "2026-12-07"))
            .is_none());
        assert!(l
            .latest(&key("https://pro.qcc.com/", "2026-12-08"))
            .is_none());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["qcc-radar-journal.json"]);
    }

    /// What the `qcc-radar` command wrote before the ledger moved into the library.
    #[test]
    fn format_one_journals_still_resume() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qcc-radar-journal.json");
        std::fs::write(
            &path,
            r#"{"format":"qcc-radar-journal","version":1,"entries":[
              {"id":"a","report_type":"day","period":"2026-12-07","order_no":"JKDAY-9",
               "state":"ordered","created_at":1,"updated_at":1},
              {"id":"b","report_type":"week","period":"2026-W49","order_no":"JKWEEK-9",
               "state":"downloaded","created_at":1,"updated_at":1},
              {"id":"c","report_type":"month","period":"2026-12","order_no":"JKMONTH-9",
               "state":"rejected","created_at":1,"updated_at":1,"last_error":"x"}]}"#,
        )
        .unwrap();
        let l = Ledger::read(&path).unwrap();
        let e = l
            .latest(&key("https://pro.qcc.com/", "2026-12-07"))
            .unwrap();
        assert_eq!(e.state, LedgerState::Ordered);
        assert_eq!(l.entries()[1].state, LedgerState::Ready);
        assert_eq!(l.entries()[2].state, LedgerState::Failed);
    }

    #[test]
    fn unreadable_ledgers_are_io_errors_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("qcc-radar-journal.json");
        for text in [
            "{ not json",
            r#"{"format":"other","version":1,"entries":[]}"#,
            r#"{"format":"qcc-radar-journal","version":99,"entries":[]}"#,
            r#"{"format":"qcc-radar-journal","version":2,"entries":[{"id":"a","report_type":"day","period":"p","order_no":"../x","state":"ordered","created_at":1,"updated_at":1}]}"#,
        ] {
            std::fs::write(&path, text).unwrap();
            let e = Ledger::read(&path).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Io, "{text}");
            assert!(
                e.message().contains("nothing was ordered"),
                "{}",
                e.message()
            );
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }

    #[test]
    fn failures_count_only_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::read(&dir.path().join("l.json")).unwrap();
        let a = key("s", "2026-12-07");
        let b = key("s", "2026-12-06");
        for k in [&a, &a, &b] {
            l.push(k, LedgerState::Failed);
        }
        assert_eq!(l.failures(&a).len(), 2);
        assert_eq!(l.failures(&b).len(), 1);
    }
}
