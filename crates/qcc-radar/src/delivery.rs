//! Putting a made report on disk: download it (or take the archive an earlier run kept),
//! extract it while the archive's fsync runs, and give both their final names together.
//!
//! This is where the client's pieces meet for one order: the API (`client.rs`) for the link and
//! the password, `download.rs` for the bytes, `extract.rs` for the files, the report folder for
//! the names and the lock, `local_fs.rs` for durability. Nothing stands under a final name until
//! it is complete and durable, and an error names the folder and the order to resume.

use std::path::Path;

use qcc_radar_core::{Error, ErrorKind, OrderNo, ReportInfo, ReportLink, Result, UnzipPassword};

use crate::client::Client;
use crate::download::{DownloadedArchive, Downloader, LinkSource};
use crate::extract::{extract_archive, password_error, Stop};
use crate::local_fs::{io_error, sync_dir};
use crate::report::Report;
use crate::report_folder::{FolderLock, ReportFolder};

/// A fresh link comes from getReportInfo, which is free to repeat.
impl LinkSource for Client {
    async fn fresh_link(&self, order_no: &OrderNo) -> Result<ReportLink> {
        self.ready_info(order_no)
            .await?
            .link
            .ok_or_else(|| Error::transport(format!("getReportInfo gave no link for {order_no}")))
    }
}

impl Client {
    /// Downloads a made report into `out_dir` as `<orderNo>.zip` and extracts it into
    /// `<orderNo>/`, both atomically: nothing stands under a final name until it is complete
    /// and verified, and a refused archive leaves nothing behind. The order must be `S`
    /// (call [`Client::wait_for_report`] first); an expired link is refreshed. Takes the
    /// folder's lock, like [`Client::fetch_report`], and cleans what killed runs left.
    pub async fn download_report(&self, order_no: &OrderNo, out_dir: &Path) -> Result<Report> {
        self.download_report_inner(order_no, None, out_dir).await
    }

    /// Like [`Client::download_report`], starting from a link already in hand (from a wait).
    pub async fn download_report_from(
        &self,
        order_no: &OrderNo,
        info: &ReportInfo,
        out_dir: &Path,
    ) -> Result<Report> {
        self.download_report_inner(order_no, Some(info.clone()), out_dir)
            .await
    }

    async fn download_report_inner(
        &self,
        order_no: &OrderNo,
        info: Option<ReportInfo>,
        out_dir: &Path,
    ) -> Result<Report> {
        let work = async {
            let folder = ReportFolder::prepare(out_dir).map_err(|e| e.with_order_no(order_no))?;
            let lock = folder.lock().await.map_err(|e| e.with_order_no(order_no))?;
            folder.clean_leftovers(&lock);
            self.download_locked(order_no, info, &folder, &lock).await
        };
        self.inner
            .closing
            .guard("downloading the report", self.admitted, work)
            .await
            .map_err(|e| e.with_order_no(order_no))
    }

    /// The download into `folder`, whose lock the caller holds. Errors carry the order.
    ///
    /// An archive kept from an earlier run (`<orderNo>.zip` without its `<orderNo>/`: an
    /// encrypted report that had no password, or an extraction that was removed) is extracted
    /// instead of downloading it again; it only ever got its name once complete and fsynced.
    pub(crate) async fn download_locked(
        &self,
        order_no: &OrderNo,
        info: Option<ReportInfo>,
        folder: &ReportFolder,
        _lock: &FolderLock,
    ) -> Result<Report> {
        let result = async {
            // The answer carries the archive's password, if it has one, beside the link.
            let info = match info {
                Some(info) => info,
                None => self.ready_info(order_no).await?,
            };
            let passwords = self.passwords(&info);
            let kept = folder.archive_path(order_no);
            if kept.is_file() && !folder.report_dir(order_no).exists() {
                match self
                    .extract_kept(order_no, folder.path(), &kept, passwords.clone())
                    .await
                {
                    Ok(report) => return Ok(report),
                    Err(Stop::Failed(e)) if e.kind() == ErrorKind::Archive => {
                        tracing::warn!(
                            "the kept archive {} cannot be extracted ({}); downloading it again",
                            kept.display(),
                            e.message()
                        );
                    }
                    Err(stop) => return Err(stop.into_error(order_no, &kept)),
                }
            }
            let downloader = Downloader {
                http: &self.inner.http,
                clock: &self.inner.clock,
                retry: &self.inner.settings.api.retry,
                limits: &self.inner.settings.limits,
                progress: &self.inner.progress,
                links: self,
            };
            let archive = downloader
                .download(order_no, folder.path(), info.link)
                .await?;
            self.finish_report(order_no, folder.path(), archive, passwords)
                .await
        }
        .await;
        result.map_err(|e| in_folder(e, folder.path(), order_no))
    }

    /// The passwords to try on an encrypted archive, in order: the report's own
    /// (`unzipPassword`), then the `unzip_password` setting.
    fn passwords(&self, info: &ReportInfo) -> Vec<UnzipPassword> {
        let mut out: Vec<UnzipPassword> = info.unzip_password.iter().cloned().collect();
        if let Some(setting) = &self.inner.settings.unzip_password {
            if !out.contains(setting) {
                out.push(setting.clone());
            }
        }
        out
    }

    /// Extracts the archive kept at `kept` into `out_dir/<orderNo>/`.
    async fn extract_kept(
        &self,
        order_no: &OrderNo,
        out_dir: &Path,
        kept: &Path,
        passwords: Vec<UnzipPassword>,
    ) -> std::result::Result<Report, Stop> {
        tracing::info!(
            "extracting the archive kept at {} instead of downloading it again",
            kept.display()
        );
        let file = std::fs::File::open(kept).map_err(|e| {
            Error::io(
                "open the kept archive",
                kept,
                &e,
                "fix its permissions, or delete it to download it again",
            )
        })?;
        let staged = extract_archive(
            self.inner.settings.limits,
            self.inner.progress.clone(),
            order_no,
            file,
            out_dir,
            passwords,
        )
        .await?;
        let out = out_dir.to_path_buf();
        let order = order_no.clone();
        let (folder, files) = tokio::task::spawn_blocking(move || {
            let done = staged.commit(&out, &order)?;
            sync_dir(&out);
            Ok::<_, Error>(done)
        })
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("moving the report into place failed: {e}"),
            )
        })??;
        Ok(Report {
            order_no: order_no.clone(),
            report_type: order_no.report_type(),
            archive: kept.to_path_buf(),
            folder,
            files,
        })
    }

    /// Fsyncs the downloaded archive while extracting it, then puts both under their final
    /// names: the archive only after its fsync, the folder only when complete, and one fsync of
    /// `out_dir` for both renames. On any error neither is left behind, but for an encrypted
    /// archive without a password that opens it: that one is kept, fsynced, as `<orderNo>.zip`,
    /// so a run with the password extracts it without downloading it again.
    async fn finish_report(
        &self,
        order_no: &OrderNo,
        out_dir: &Path,
        downloaded: DownloadedArchive,
        passwords: Vec<UnzipPassword>,
    ) -> Result<Report> {
        let archive_file = downloaded.reopen()?;
        let synced = downloaded.start_sync()?;
        // A refused archive leaves nothing behind: returning drops `downloaded`, which deletes
        // the temporary file (the fsync thread only holds a duplicate handle).
        let staged = match extract_archive(
            self.inner.settings.limits,
            self.inner.progress.clone(),
            order_no,
            archive_file,
            out_dir,
            passwords,
        )
        .await
        {
            Ok(staged) => staged,
            Err(Stop::Failed(e)) => return Err(e),
            Err(Stop::Password(problem)) => {
                await_sync(synced).await?;
                let out = out_dir.to_path_buf();
                let kept = tokio::task::spawn_blocking(move || {
                    let kept = downloaded.persist()?;
                    sync_dir(&out);
                    Ok::<_, Error>(kept)
                })
                .await
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Internal,
                        format!("keeping the encrypted archive failed: {e}"),
                    )
                })??;
                return Err(password_error(problem, order_no, &kept));
            }
        };
        if let Err(e) = await_sync(synced).await {
            // Remove the staged folder off the async worker, and before reporting the error.
            let _ = tokio::task::spawn_blocking(move || drop(staged)).await;
            return Err(e);
        }
        let out = out_dir.to_path_buf();
        let order = order_no.clone();
        let committed = tokio::task::spawn_blocking(move || {
            let archive = downloaded.persist()?;
            match staged.commit(&out, &order) {
                Ok((folder, files)) => {
                    sync_dir(&out);
                    Ok((archive, folder, files))
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&archive);
                    Err(e)
                }
            }
        })
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("moving the report into place failed: {e}"),
            )
        })?;
        let (archive, folder, files) = committed?;
        Ok(Report {
            order_no: order_no.clone(),
            report_type: order_no.report_type(),
            archive,
            folder,
            files,
        })
    }
}

/// Waits for the archive's fsync task.
async fn await_sync(synced: tokio::task::JoinHandle<std::io::Result<()>>) -> Result<()> {
    synced
        .await
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("the archive's fsync task failed: {e}"),
            )
        })
        .and_then(|r| r.map_err(io_error))
}

/// A download's error with its order; a local file-system failure also names the folder and
/// the next step, since the order is paid for and a re-run resumes it.
fn in_folder(e: Error, folder: &Path, order_no: &OrderNo) -> Error {
    if e.kind() != ErrorKind::Io {
        return e.with_order_no(order_no);
    }
    let dir = folder.display().to_string();
    let what = if e.message().contains(&dir) {
        e.message().to_string()
    } else {
        format!("{} (in {dir})", e.message())
    };
    Error::new(
        ErrorKind::Io,
        format!(
            "writing report {order_no} failed: {what}; free space or fix the permissions of {dir}, then run again: order {order_no} is kept and resumes without a new order"
        ),
    )
    .with_order_no(order_no)
}

#[cfg(test)]
mod tests {
    //! The end of a download against the sandbox: what stands under the final names, when.

    use std::sync::{mpsc, Arc, Mutex};
    use std::time::{Duration, Instant};

    use qcc_radar_sandbox::{Sandbox, Scenario};

    use super::*;
    use crate::progress::Progress;
    use crate::{ClientBuilder, PollSchedule, ReportType};

    fn builder_for(sb: &Sandbox) -> ClientBuilder {
        Client::builder()
            .app_key(sb.app_key())
            .secret_key(sb.secret_key())
            .base_url(sb.base_url())
            .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
    }

    /// Every name directly in `dir`, but the ledger and the lock.
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != crate::LEDGER_FILE && n != crate::LOCK_FILE)
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// While the archive is being extracted (and fsynced), neither `<orderNo>.zip` nor
    /// `<orderNo>/` exists yet; both exist once the call returns.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn archive_and_folder_get_their_final_names_only_when_both_are_done() {
        let sb = Sandbox::start(Scenario::Normal).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_path_buf();
        let seen: Arc<Mutex<Vec<Vec<String>>>> = Arc::default();
        let record = seen.clone();
        let client = builder_for(&sb)
            .progress(move |p| {
                if let Progress::Extracting { .. } = p {
                    record.lock().unwrap().push(names(&out));
                }
            })
            .build()
            .unwrap();
        let report = client
            .fetch_report(ReportType::Day, dir.path())
            .await
            .unwrap()
            .expect("a report");
        let order = report.order_no.as_str().to_string();
        let seen = seen.lock().unwrap();
        assert!(!seen.is_empty(), "no extraction progress was reported");
        for listing in seen.iter() {
            assert!(
                listing
                    .iter()
                    .all(|n| n != &format!("{order}.zip") && n != &order),
                "a final name stood while extracting: {listing:?}"
            );
        }
        assert_eq!(
            names(dir.path()),
            vec![order.clone(), format!("{order}.zip")]
        );
        assert!(report.archive.is_file() && report.folder.is_dir());
    }

    /// An archive of many write batches (and not a multiple of one) arrives intact: the
    /// extraction checks every entry's size and CRC.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn large_archive_across_many_batches_arrives_intact() {
        let mut config = qcc_radar_sandbox::SandboxConfig::new(Scenario::Large);
        config.large_bytes = 5 * 1024 * 1024 + 4321;
        let sb = Sandbox::start_with(config).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let report = builder_for(&sb)
            .build()
            .unwrap()
            .fetch_report(ReportType::Day, dir.path())
            .await
            .unwrap()
            .expect("a report");
        let archive = std::fs::metadata(&report.archive).unwrap().len();
        assert!(archive >= 5 * 1024 * 1024, "{archive} bytes");
        let extracted: u64 = report
            .files
            .iter()
            .map(|f| std::fs::metadata(f).unwrap().len())
            .sum();
        assert!(extracted > 5 * 1024 * 1024, "{extracted} bytes extracted");
    }

    /// Cancelled in the middle of the extraction, after the whole archive arrived: nothing is
    /// left, neither the (complete) archive nor the staging folder.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancel_during_extraction_leaves_nothing() {
        let sb = Sandbox::start(Scenario::Normal).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (hit_tx, hit_rx) = tokio::sync::oneshot::channel::<()>();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let hit = Mutex::new(Some(hit_tx));
        let go = Mutex::new(Some(go_rx));
        let client = builder_for(&sb)
            .progress(move |p| {
                // Extraction progress runs on the extraction's own thread: hold it there until
                // the test has dropped the future.
                if let Progress::Extracting { .. } = p {
                    if let Some(tx) = hit.lock().unwrap().take() {
                        let _ = tx.send(());
                        if let Some(rx) = go.lock().unwrap().take() {
                            let _ = rx.recv_timeout(Duration::from_secs(10));
                        }
                    }
                }
            })
            .build()
            .unwrap();
        tokio::select! {
            r = client.fetch_report(ReportType::Day, dir.path()) => {
                panic!("the fetch ended before it could be cancelled: {r:?}")
            }
            _ = hit_rx => {}
        }
        // The fetch future is dropped: let the extraction thread go on and notice.
        drop(go_tx);
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut left: Vec<String> = Vec::new();
        while Instant::now() < deadline {
            left = names(dir.path());
            if left.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(left.is_empty(), "left behind: {left:?}");
    }
}
