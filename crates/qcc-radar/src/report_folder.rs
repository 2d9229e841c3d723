//! The report folder: one place that knows every name qcc-radar keeps in an output folder.
//!
//! A folder of reports is shared state: a cron job, a notebook and a Java service may all point
//! at `/srv/qcc/reports`, and a killed run leaves temporary files there. So the names are defined
//! once, here, and everything that writes into the folder — the download, the extraction, the
//! order ledger, the `qcc-radar` command and every binding through this crate — goes through
//! them:
//!
//! | name | what |
//! |---|---|
//! | `<orderNo>.zip` | the kept archive, renamed into place only when complete and fsynced |
//! | `<orderNo>/` | the extracted report, renamed into place only when complete |
//! | `.<orderNo>.zip.part-*` | a download in progress (removed on error, cancel or the next run) |
//! | `.<orderNo>.extracting-*` | an extraction in progress (likewise) |
//! | `.qcc-radar-old-*` | an older extraction being replaced |
//! | `qcc-radar-journal.json` | the order ledger ([`crate::ledger`]) |
//! | `.qcc-radar-journal.json.tmp-*` | the ledger being replaced atomically |
//! | `.qcc-radar.lock` | the folder's lock |
//!
//! The lock is an advisory `flock` on `.qcc-radar.lock`, held for a whole fetch or download.
//! Every language runs this same code, so a Python notebook, a Node service and the CLI on one
//! folder take turns: the second waits, then finds the first one's result in the ledger and
//! orders nothing. The kernel drops the lock when a process dies, so a killed run never blocks
//! the next one, and whoever holds the lock may remove every temporary file in the folder: no
//! live run owns one.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use qcc_radar_core::{Error, OrderNo, ReportType, Result};

use crate::report::Report;

/// The order ledger's file name inside a report folder.
pub const LEDGER_FILE: &str = "qcc-radar-journal.json";
/// The lock file's name inside a report folder.
pub const LOCK_FILE: &str = ".qcc-radar.lock";
/// Prefix of the ledger's temporary files.
pub(crate) const LEDGER_TEMP_PREFIX: &str = ".qcc-radar-journal.json.tmp-";
/// Prefix of an older extraction set aside while a new one takes its name.
pub(crate) const OLD_EXTRACTION_PREFIX: &str = ".qcc-radar-old-";
/// Prefix of the probe file that checks the folder is writable.
const WRITE_CHECK_PREFIX: &str = ".qcc-radar-write-check";
/// How often a run waiting for the lock tries again.
const LOCK_RETRY: Duration = Duration::from_millis(200);

/// An output folder for reports, created and checked writable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFolder {
    dir: PathBuf,
}

/// The folder's lock, held until dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
}

impl ReportFolder {
    /// Creates `dir` if needed and checks that it is a writable folder, before anything is sent.
    /// An empty path or a path that is a file is a `config` error; a folder that cannot be
    /// created or written is an `io` error naming it.
    pub fn prepare(dir: &Path) -> Result<ReportFolder> {
        if dir.as_os_str().is_empty() {
            return Err(Error::config(
                "the output folder is empty; give a folder path",
            ));
        }
        if dir.exists() && !dir.is_dir() {
            return Err(Error::config(format!(
                "the output path {} exists and is not a folder; give a folder path",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::io(
                "create the output folder",
                dir,
                &e,
                "give a folder you can write to",
            )
        })?;
        tempfile::Builder::new()
            .prefix(WRITE_CHECK_PREFIX)
            .tempfile_in(dir)
            .map_err(|e| {
                Error::io(
                    "write into the output folder",
                    dir,
                    &e,
                    "give a folder you can write to",
                )
            })?;
        Ok(ReportFolder {
            dir: dir.to_path_buf(),
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Where the archive of `order_no` is kept: `DIR/<orderNo>.zip`.
    pub fn archive_path(&self, order_no: &OrderNo) -> PathBuf {
        self.dir.join(format!("{order_no}.zip"))
    }

    /// Where the report of `order_no` is extracted: `DIR/<orderNo>/`.
    pub fn report_dir(&self, order_no: &OrderNo) -> PathBuf {
        self.dir.join(order_no.as_str())
    }

    /// The order ledger's path: `DIR/qcc-radar-journal.json`.
    pub fn ledger_path(&self) -> PathBuf {
        self.dir.join(LEDGER_FILE)
    }

    /// The lock file's path: `DIR/.qcc-radar.lock`.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(LOCK_FILE)
    }

    /// Prefix of a download in progress for `order_no`.
    pub(crate) fn part_prefix(order_no: &OrderNo) -> String {
        format!(".{order_no}.zip.part-")
    }

    /// Prefix of an extraction in progress for `order_no`.
    pub(crate) fn staging_prefix(order_no: &OrderNo) -> String {
        format!(".{order_no}.extracting-")
    }

    /// Takes the folder's lock, waiting (and saying so once) while another run, in this process
    /// or another, holds it. Dropping the future stops waiting.
    pub async fn lock(&self) -> Result<FolderLock> {
        let path = self.lock_path();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                Error::io(
                    "open the lock file",
                    &path,
                    &e,
                    "give a folder you can write to",
                )
            })?;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FolderLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if !told {
                        tracing::warn!(
                            "another qcc-radar run is using {}; waiting for it to finish",
                            self.dir.display()
                        );
                        told = true;
                    }
                    tokio::time::sleep(LOCK_RETRY).await;
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io(
                        "lock",
                        &path,
                        &e,
                        "check that the folder is on a local file system you can write to",
                    ));
                }
            }
        }
    }

    /// Removes what killed or failed runs left: unfinished downloads and extractions of any
    /// order, older extractions set aside, the ledger's temporary files. Needs the lock (no live
    /// run owns any of them then). Best effort: what cannot be removed is logged and left.
    pub fn clean_leftovers(&self, _lock: &FolderLock) {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with('.') {
                continue;
            }
            let leftover = name.contains(".zip.part-")
                || name.contains(".extracting-")
                || name.starts_with(OLD_EXTRACTION_PREFIX)
                || name.starts_with(LEDGER_TEMP_PREFIX)
                || name.starts_with(WRITE_CHECK_PREFIX);
            if !leftover {
                continue;
            }
            let path = entry.path();
            let removed = match entry.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
                _ => std::fs::remove_file(&path),
            };
            match removed {
                Ok(()) => tracing::debug!("removed a leftover {}", path.display()),
                Err(e) => tracing::warn!("could not remove the leftover {}: {e}", path.display()),
            }
        }
    }

    /// The report of `order_no` as it stands in the folder, when both its archive and its
    /// extracted folder are there (they only ever get their names when complete).
    pub fn existing_report(
        &self,
        order_no: &OrderNo,
        report_type: Option<ReportType>,
    ) -> Option<Report> {
        let archive = self.archive_path(order_no);
        let folder = self.report_dir(order_no);
        if !archive.is_file() || !folder.is_dir() {
            return None;
        }
        let files = list_files(&folder);
        Some(Report {
            order_no: order_no.clone(),
            report_type: report_type.or_else(|| order_no.report_type()),
            archive,
            folder,
            files,
        })
    }
}

/// Creates `out_dir` if needed and checks that it is a writable folder, before anything is sent
/// (see [`ReportFolder::prepare`]).
pub fn prepare_out_dir(out_dir: &Path) -> Result<()> {
    ReportFolder::prepare(out_dir).map(|_| ())
}

/// The regular files under `dir`, sorted, as a report lists its extraction.
pub(crate) fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in rd.flatten() {
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(entry.path()),
                Ok(t) if t.is_file() => files.push(entry.path()),
                _ => {}
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_documented_ones() {
        let dir = tempfile::tempdir().unwrap();
        let f = ReportFolder::prepare(dir.path()).unwrap();
        let o = OrderNo::new("JKDAY-1").unwrap();
        assert_eq!(f.archive_path(&o), dir.path().join("JKDAY-1.zip"));
        assert_eq!(f.report_dir(&o), dir.path().join("JKDAY-1"));
        assert_eq!(f.ledger_path(), dir.path().join("qcc-radar-journal.json"));
        assert_eq!(f.lock_path(), dir.path().join(".qcc-radar.lock"));
    }

    #[test]
    fn a_file_is_not_a_folder_and_an_empty_path_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let e = ReportFolder::prepare(&file).unwrap_err();
        assert_eq!(e.kind(), qcc_radar_core::ErrorKind::Config);
        let e = ReportFolder::prepare(Path::new("")).unwrap_err();
        assert_eq!(e.kind(), qcc_radar_core::ErrorKind::Config);
    }

    #[tokio::test]
    async fn leftovers_of_any_order_are_cleaned_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let f = ReportFolder::prepare(dir.path()).unwrap();
        for name in [
            ".JKDAY-1.zip.part-abc",
            ".JKWEEK-2.zip.part-x",
            ".qcc-radar-journal.json.tmp-1",
            "JKDAY-0.zip",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join(".JKDAY-1.extracting-q")).unwrap();
        std::fs::create_dir(dir.path().join(".qcc-radar-old-z")).unwrap();
        std::fs::create_dir(dir.path().join("JKDAY-0")).unwrap();
        let lock = f.lock().await.unwrap();
        f.clean_leftovers(&lock);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![".qcc-radar.lock", "JKDAY-0", "JKDAY-0.zip", "notes.txt"]
        );
    }

    #[tokio::test]
    async fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let f = ReportFolder::prepare(dir.path()).unwrap();
        let first = f.lock().await.unwrap();
        let waited = tokio::time::timeout(Duration::from_millis(500), f.lock()).await;
        assert!(waited.is_err(), "the second lock must wait");
        drop(first);
        f.lock().await.unwrap();
    }
}
