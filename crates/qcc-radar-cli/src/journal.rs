//! The fetch journal: which order this folder placed for which report period, and how far it got.
//!
//! Every createReport is a billed order. A cron job that is killed (`kill -9`, a reboot, a
//! timeout) after ordering but before downloading must not pay again when it runs next, so
//! `fetch` writes the order number into `DIR/qcc-radar-journal.json` *before* it waits, and a
//! later run for the same report type and period (the Beijing-time day, ISO week or month)
//! resumes that order. The file is replaced atomically (a temporary file in the same folder,
//! fsynced, renamed over the old one, then the folder fsynced), so a crash leaves either the
//! old journal or the new one, never half of one.
//!
//! Two runs in one folder at once (overlapping cron jobs, a day and a week job started on the
//! same minute) are serialised by an advisory lock on `DIR/.qcc-radar.lock` held for the whole
//! fetch: the second run waits, then finds the first one's finished order and does not order
//! again. The kernel drops the lock when a process dies, so a killed run never blocks the next.
//!
//! A journal that does not parse (edited by hand) is moved aside to
//! `qcc-radar-journal.json.corrupt-<time>` with a warning rather than overwritten, since it may
//! hold the only copy of an order number.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use qcc_radar::{Error, ErrorKind, OrderNo, ReportType, Result};
use serde::{Deserialize, Serialize};

/// The journal's file name inside the output folder.
pub const JOURNAL_FILE: &str = "qcc-radar-journal.json";
/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".qcc-radar.lock";
/// Prefix of the journal's temporary files (removed if a crash left one).
const TEMP_PREFIX: &str = ".qcc-radar-journal.json.tmp-";
/// The journal's format marker.
const FORMAT: &str = "qcc-radar-journal";
/// The format version this build writes and reads.
const VERSION: u32 = 1;
/// Entries kept; the oldest are dropped beyond this (years of daily orders).
const MAX_ENTRIES: usize = 2000;

/// How far an order got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// createReport was being sent; the run ended before its answer (killed, interrupted).
    /// An order may exist that this journal does not know about.
    Ordering,
    /// The order was placed; its report was not downloaded yet. A re-run resumes it.
    Ordered,
    /// createReport answered 201: no risk changes, no report, nothing billed.
    NoChange,
    /// The report was downloaded and extracted into `<orderNo>.zip` and `<orderNo>/`.
    Downloaded,
    /// QCC could not make the report (status F); a re-run orders a new one.
    Failed,
    /// QCC does not know the order (getReportInfo 201); a re-run orders a new one.
    Rejected,
}

/// One order (or attempt to order) for a report type and period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// A unique id within the journal, so an update finds its entry.
    pub id: String,
    /// `day`, `week` or `month`.
    pub report_type: String,
    /// The period label from `qcc_radar_core::report_period`: `2026-11-30`, `2026-W48`,
    /// `2026-11`.
    pub period: String,
    /// The order number, once createReport answered.
    pub order_no: Option<String>,
    /// How far it got.
    pub state: State,
    /// When the entry was made (Unix seconds).
    pub created_at: u64,
    /// When it last changed (Unix seconds).
    pub updated_at: u64,
    /// The last failure of this order (`kind: message`), kept for whoever reads the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl Entry {
    /// The parsed order number, if any.
    pub fn order(&self) -> Option<OrderNo> {
        self.order_no.as_deref().and_then(|o| OrderNo::new(o).ok())
    }
}

/// The whole file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Journal {
    /// Always `qcc-radar-journal`.
    pub format: String,
    /// The format version.
    pub version: u32,
    /// Oldest first.
    pub entries: Vec<Entry>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            format: FORMAT.to_string(),
            version: VERSION,
            entries: Vec::new(),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn io_config(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::config(format!(
        "cannot {what} the journal {}: {e}; check that --out is a folder you can write to",
        path.display()
    ))
}

impl Journal {
    /// The newest entry for `report_type` and `period`.
    pub fn latest(&self, report_type: ReportType, period: &str) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.report_type == report_type.as_str() && e.period == period)
    }

    /// Orders of `report_type` from other periods, made since `since` (Unix seconds), that
    /// were placed but never downloaded.
    pub fn unfinished_elsewhere(
        &self,
        report_type: ReportType,
        period: &str,
        since: u64,
    ) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| {
                e.report_type == report_type.as_str()
                    && e.period != period
                    && e.state == State::Ordered
                    && e.created_at >= since
            })
            .collect()
    }

    /// Adds an entry and returns its id.
    pub fn push(&mut self, report_type: ReportType, period: &str, state: State) -> String {
        let now = unix_now();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let id = format!("{nanos:x}-{}", std::process::id());
        self.entries.push(Entry {
            id: id.clone(),
            report_type: report_type.as_str().to_string(),
            period: period.to_string(),
            order_no: None,
            state,
            created_at: now,
            updated_at: now,
            last_error: None,
        });
        if self.entries.len() > MAX_ENTRIES {
            let drop = self.entries.len() - MAX_ENTRIES;
            self.entries.drain(..drop);
        }
        id
    }

    /// The entry with `id`.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// Removes the entry with `id`.
    pub fn remove(&mut self, id: &str) {
        self.entries.retain(|e| e.id != id);
    }
}

/// The journal of one output folder, with that folder's fetch lock held.
pub struct JournalFile {
    dir: PathBuf,
    path: PathBuf,
    /// The current content, as last read or written.
    pub journal: Journal,
    _lock: File,
}

impl JournalFile {
    /// Takes the folder's fetch lock (waiting for another run to finish, logging that it
    /// waits) and reads the journal. Cancel-safe: dropping the future stops waiting.
    pub async fn open(dir: &Path) -> Result<JournalFile> {
        let lock_path = dir.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_config("lock", &lock_path, e))?;
        let mut told = false;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !told {
                        tracing::warn!(
                            "another qcc-radar fetch is running in {}; waiting for it to finish",
                            dir.display()
                        );
                        told = true;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io_config("lock", &lock_path, e));
                }
            }
        }
        let path = dir.join(JOURNAL_FILE);
        remove_stale_temp_files(dir);
        let journal = read_or_set_aside(&path)?;
        Ok(JournalFile {
            dir: dir.to_path_buf(),
            path,
            journal,
            _lock: lock,
        })
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the journal atomically and durably.
    pub fn save(&self) -> Result<()> {
        let mut text = serde_json::to_string_pretty(&self.journal).map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot encode the journal: {e}"),
            )
        })?;
        text.push('\n');
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&self.dir)
            .map_err(|e| io_config("write", &self.path, e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|()| tmp.as_file().sync_all())
            .map_err(|e| io_config("write", &self.path, e))?;
        tmp.persist(&self.path)
            .map_err(|e| io_config("replace", &self.path, e.error))?;
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// Changes the entry `id` with `f`, stamps it and saves.
    pub fn update(&mut self, id: &str, f: impl FnOnce(&mut Entry)) -> Result<()> {
        if let Some(e) = self.journal.get_mut(id) {
            f(e);
            e.updated_at = unix_now();
        }
        self.save()
    }
}

/// Temporary journal files left by a run killed mid-write (we hold the lock, so no live run
/// owns one).
fn remove_stale_temp_files(dir: &Path) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in rd.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn read_or_set_aside(path: &Path) -> Result<Journal> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(e) => return Err(io_config("read", path, e)),
    };
    match serde_json::from_slice::<Journal>(&bytes) {
        Ok(j) if j.format == FORMAT && j.version == VERSION => Ok(j),
        Ok(j) if j.format == FORMAT && j.version > VERSION => Err(Error::config(format!(
            "the journal {} was written by a newer qcc-radar (format {}); upgrade qcc-radar or use another --out",
            path.display(),
            j.version
        ))),
        _ => {
            let aside = path.with_file_name(format!("{JOURNAL_FILE}.corrupt-{}", unix_now()));
            std::fs::rename(path, &aside).map_err(|e| io_config("set aside", path, e))?;
            tracing::warn!(
                "the journal {} could not be read; moved it to {} and starting a new one (an order it recorded will not be resumed)",
                path.display(),
                aside.display()
            );
            Ok(Journal::default())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn round_trip_and_latest() {
        let dir = tempfile::tempdir().unwrap();
        rt().block_on(async {
            let mut j = JournalFile::open(dir.path()).await.unwrap();
            let a = j
                .journal
                .push(ReportType::Day, "2026-11-29", State::Ordering);
            j.update(&a, |e| {
                e.state = State::Ordered;
                e.order_no = Some("JKDAY-1".into());
            })
            .unwrap();
            let b = j
                .journal
                .push(ReportType::Week, "2026-W48", State::NoChange);
            j.save().unwrap();
            drop(j);
            let j = JournalFile::open(dir.path()).await.unwrap();
            let e = j.journal.latest(ReportType::Day, "2026-11-29").unwrap();
            assert_eq!(e.id, a);
            assert_eq!(e.state, State::Ordered);
            assert_eq!(e.order().unwrap().as_str(), "JKDAY-1");
            assert_eq!(
                j.journal.latest(ReportType::Week, "2026-W48").unwrap().id,
                b
            );
            assert!(j.journal.latest(ReportType::Day, "2026-11-30").is_none());
            assert_eq!(
                j.journal
                    .unfinished_elsewhere(ReportType::Day, "2026-11-30", 0)
                    .len(),
                1
            );
        });
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            !names.iter().any(|n| n.starts_with(TEMP_PREFIX)),
            "{names:?}"
        );
    }

    #[test]
    fn a_corrupt_journal_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(JOURNAL_FILE), "{ not json").unwrap();
        std::fs::write(dir.path().join(format!("{TEMP_PREFIX}x")), "half").unwrap();
        rt().block_on(async {
            let j = JournalFile::open(dir.path()).await.unwrap();
            assert!(j.journal.entries.is_empty());
        });
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names
            .iter()
            .any(|n| n.starts_with("qcc-radar-journal.json.corrupt-")));
        assert!(
            !names.iter().any(|n| n.starts_with(TEMP_PREFIX)),
            "{names:?}"
        );
    }

    #[test]
    fn a_second_run_waits_for_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        rt().block_on(async {
            let first = JournalFile::open(dir.path()).await.unwrap();
            let waited =
                tokio::time::timeout(Duration::from_millis(500), JournalFile::open(dir.path()))
                    .await;
            assert!(
                waited.is_err(),
                "the second open must wait while the first holds the lock"
            );
            drop(first);
            JournalFile::open(dir.path()).await.unwrap();
        });
    }
}
