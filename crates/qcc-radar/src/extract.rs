//! Extracting an untrusted archive without letting it escape or fill the disk.
//!
//! The archive is judged whole before a byte is written, by the core's `archive_plan` (names
//! decoded from GBK, path rules, links, duplicates, names that collide on Windows or macOS,
//! declared sizes against the limits), so it extracts the same everywhere or not at all.
//! Declarations can lie, so while inflating the real byte counts are held to the declared sizes
//! and the limits, and the CRC is checked.
//! Everything is written into a temporary folder beside the target, which is renamed to
//! `<orderNo>/` only when complete; a refusal or a cancel removes it.
//!
//! A download stages the extraction (`extract_archive`) from the archive's temporary file
//! while that file's fsync runs on another thread, and renames both only once both are done
//! (`Staged::commit`), with one fsync of the folder for the two renames: the fsync of a large
//! archive costs about as long as its extraction, so overlapping them takes one off the wall
//! time. The extracted files are fsynced too (their write-back started as they are written),
//! so that a folder under its final name, which the ledger records as `ready`, is durable.
//!
//! Encrypted entries (ZipCrypto or AES) are opened with the candidate passwords in turn (the
//! report's `unzipPassword`, then the `unzip_password` setting): the first that every
//! encrypted entry accepts is used, and that is settled before a byte is written. Without a
//! password that opens them the extraction stops with `Stop::Password`, and the caller keeps
//! the archive for a re-run with the password.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use qcc_radar_core::{
    plan_archive, ArchiveLimits, Encryption, EntryDescription, Error, OrderNo, PlannedFile, Result,
    UnzipPassword,
};

use crate::local_fs::{io_error, start_writeback, sync_dir, with_umask_mode};
use crate::progress::{Progress, ProgressSink};
use crate::report_folder::{ReportFolder, OLD_EXTRACTION_PREFIX};

/// Sets the flag when dropped, so a cancelled future stops the blocking extraction.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A finished extraction in its temporary folder, not yet under its final name. Dropping it
/// removes the folder.
pub(crate) struct Staged {
    dir: tempfile::TempDir,
    relative: Vec<PathBuf>,
}

impl Staged {
    /// Renames the folder to `out_dir/<order_no>/`, replacing an older extraction, and returns
    /// that folder and its files, sorted. Blocking. The rename is made durable by the caller's
    /// fsync of `out_dir`.
    pub(crate) fn commit(
        self,
        out_dir: &Path,
        order_no: &OrderNo,
    ) -> Result<(PathBuf, Vec<PathBuf>)> {
        let final_dir = out_dir.join(order_no.as_str());
        replace_dir(self.dir, &final_dir)?;
        let mut files: Vec<PathBuf> = self.relative.iter().map(|r| final_dir.join(r)).collect();
        files.sort();
        Ok((final_dir, files))
    }
}

/// What is wrong with the password of an encrypted archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PasswordProblem {
    /// The archive is encrypted and no password was given.
    Missing,
    /// No password given opens it (or an entry failed to decrypt).
    Wrong,
}

/// Why an extraction stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The archive is encrypted and cannot be opened with the passwords in hand. Nothing was
    /// written; the archive itself is worth keeping for a run with the password.
    Password(PasswordProblem),
    /// Any other refusal or failure.
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Failed(e)
    }
}

impl Stop {
    /// The error to report, for an archive kept at `archive` (the password itself never appears).
    pub(crate) fn into_error(self, order_no: &OrderNo, archive: &Path) -> Error {
        match self {
            Stop::Failed(e) => e,
            Stop::Password(problem) => password_error(problem, order_no, archive),
        }
    }
}

/// The `archive` error for a report that needs a password: what happened, where the archive
/// is, how to pass a password.
pub(crate) fn password_error(
    problem: PasswordProblem,
    order_no: &OrderNo,
    archive: &Path,
) -> Error {
    let what = match problem {
        PasswordProblem::Missing => format!(
            "report {order_no} is encrypted and needs a password, but getReportInfo gave none (no unzipPassword) and none was set"
        ),
        PasswordProblem::Wrong => format!(
            "report {order_no} is encrypted and the password given does not open it (the wrong password, or a damaged archive)"
        ),
    };
    Error::archive(format!(
        "{what}, so nothing was extracted. The archive is kept at {}. Pass the password with the unzip_password setting (`--unzip-password-file FILE` on the command line) and run again: the kept archive is extracted without downloading it again{}",
        archive.display(),
        if problem == PasswordProblem::Wrong {
            " (delete it to download it anew)"
        } else {
            ""
        }
    ))
    .with_order_no(order_no)
}

/// Extracts the opened `archive` into a temporary folder in `out_dir` on a blocking thread, with
/// the checks of [`extract_zip`] against `limits`, trying `passwords` in turn on encrypted
/// entries and telling `progress` each entry done. Dropping the future stops the extraction and
/// removes the folder.
pub(crate) async fn extract_archive(
    limits: ArchiveLimits,
    progress: ProgressSink,
    order_no: &OrderNo,
    archive: std::fs::File,
    out_dir: &Path,
    passwords: Vec<UnzipPassword>,
) -> std::result::Result<Staged, Stop> {
    let cancel = Arc::new(AtomicBool::new(false));
    let _guard = CancelOnDrop(cancel.clone());
    let out_dir = out_dir.to_path_buf();
    let order = order_no.clone();
    tokio::task::spawn_blocking(move || {
        let report = |done, total| {
            progress.emit(Progress::Extracting {
                order_no: order.clone(),
                done,
                total,
            })
        };
        stage(
            archive, &out_dir, &order, &limits, &passwords, &cancel, &report,
        )
    })
    .await
    .map_err(|e| {
        Stop::Failed(Error::new(
            qcc_radar_core::ErrorKind::Internal,
            format!("extraction task failed: {e}"),
        ))
    })?
}

/// Extracts the zip at `archive` into `out_dir/<order_no>/` with exactly the checks
/// [`crate::Client::download_report`] applies, and returns that folder and its files, sorted.
/// Encrypted entries are refused (an `archive` error saying a password is needed); see
/// [`extract_zip_with_password`].
///
/// The archive is judged whole first (entry names, links, special files, duplicates, declared
/// sizes against `limits`, the password of encrypted entries), then inflated into a temporary folder inside
/// `out_dir` while real sizes and CRCs are checked, and renamed to `<order_no>/` only when
/// complete, replacing an older extraction. On any error nothing is left in `out_dir` by this
/// call (`archive` itself is never touched). Errors are [`qcc_radar_core::ErrorKind::Archive`]
/// for an unsound or unsafe archive and [`qcc_radar_core::ErrorKind::Config`] for a failed
/// disk write.
///
/// It blocks: call it from a thread that may block (in async code, from
/// `tokio::task::spawn_blocking`). It exists for callers who already hold an archive and for
/// fuzzing the extraction without a server; a download does it for you.
pub fn extract_zip(
    archive: &Path,
    out_dir: &Path,
    order_no: &OrderNo,
    limits: &ArchiveLimits,
) -> Result<(PathBuf, Vec<PathBuf>)> {
    extract_zip_with_password(archive, out_dir, order_no, limits, None)
}

/// [`extract_zip`] with the password of an encrypted archive (ZipCrypto or AES). Without one,
/// or with one that does not open every encrypted entry, it is an `archive` error saying so,
/// and nothing is written.
pub fn extract_zip_with_password(
    archive: &Path,
    out_dir: &Path,
    order_no: &OrderNo,
    limits: &ArchiveLimits,
    password: Option<&UnzipPassword>,
) -> Result<(PathBuf, Vec<PathBuf>)> {
    let never = AtomicBool::new(false);
    let file = std::fs::File::open(archive).map_err(io_error)?;
    let passwords: Vec<UnzipPassword> = password.into_iter().cloned().collect();
    let staged = stage(
        file,
        out_dir,
        order_no,
        limits,
        &passwords,
        &never,
        &|_, _| {},
    )
    .map_err(|stop| stop.into_error(order_no, archive))?;
    let done = staged.commit(out_dir, order_no)?;
    sync_dir(out_dir);
    Ok(done)
}

/// A file to extract, as the core's judgement planned it.
type Planned = PlannedFile;

/// How many bytes of an extracted file are written before their write-back is started.
const WRITEBACK_BYTES: u64 = 8 * 1024 * 1024;

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::archive(format!(
        "the downloaded report is not a zip archive qcc-radar can read ({e}); the storage may have sent an error page or a damaged file. It was not kept: run again to download it again (the order is kept), and if it happens again, ask QCC support about this order"
    ))
}

/// Describes every entry as the zip declares it, and has the core judge them together
/// ([`plan_archive`]: names, links, special files, duplicates, names that collide on Windows or
/// macOS, declared sizes); returns the files to extract or the first reason to refuse.
fn plan<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    archive_bytes: u64,
    limits: &ArchiveLimits,
) -> Result<Vec<Planned>> {
    // The core counts the entries too; this only spares copying the names of a hostile archive.
    limits.check_entry_count(zip.len() as u64)?;
    let mut entries = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let entry = zip.by_index_raw(index).map_err(zip_error)?;
        entries.push(EntryDescription {
            index,
            raw_name: entry.name_raw().to_vec(),
            // The zip crate does not expose bit 11. Unflagged, valid UTF-8 is still read as
            // UTF-8, and anything else as GB18030, which is what the vendor's archives hold.
            utf8_flag: false,
            unix_mode: entry.unix_mode(),
            encrypted: entry.encrypted(),
            size: entry.size(),
            compressed_size: entry.compressed_size(),
        });
    }
    plan_archive(&entries, archive_bytes, limits, Encryption::Decrypt)
}

/// The password, among `passwords`, that every encrypted planned entry accepts (`Ok(None)` when
/// none is encrypted). Only the password checks of the entries' headers are read: ZipCrypto's
/// check byte and AES's verifier; the CRC or the AES authentication code is checked while
/// inflating.
fn choose_password<'p, R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    planned: &[Planned],
    passwords: &'p [UnzipPassword],
) -> std::result::Result<Option<&'p UnzipPassword>, Stop> {
    let encrypted: Vec<usize> = planned
        .iter()
        .filter(|p| p.encrypted)
        .map(|p| p.index)
        .collect();
    if encrypted.is_empty() {
        return Ok(None);
    }
    if passwords.is_empty() {
        return Err(Stop::Password(PasswordProblem::Missing));
    }
    'candidates: for password in passwords {
        for &index in &encrypted {
            match zip.by_index_decrypt(index, password.expose().as_bytes()) {
                Ok(_) => {}
                Err(zip::result::ZipError::InvalidPassword) => continue 'candidates,
                Err(e) => return Err(Stop::Failed(zip_error(e))),
            }
        }
        return Ok(Some(password));
    }
    Err(Stop::Password(PasswordProblem::Wrong))
}

/// Judges the archive, then inflates it into a new temporary folder in `out_dir`.
fn stage(
    file: std::fs::File,
    out_dir: &Path,
    order_no: &OrderNo,
    limits: &ArchiveLimits,
    passwords: &[UnzipPassword],
    cancel: &AtomicBool,
    progress: &dyn Fn(u64, u64),
) -> std::result::Result<Staged, Stop> {
    let archive_bytes = file.metadata().map_err(io_error)?.len();
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_error)?;
    let planned = plan(&mut zip, archive_bytes, limits)?;
    let password = choose_password(&mut zip, &planned, passwords)?;

    let prefix = ReportFolder::staging_prefix(order_no);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    with_umask_mode(&mut builder, 0o777);
    let staging = builder.tempdir_in(out_dir).map_err(io_error)?;
    let mut relative = Vec::with_capacity(planned.len());
    let mut total_written: u64 = 0;
    let mut buf = vec![0u8; 256 * 1024];
    let count = planned.len() as u64;
    for (done, p) in planned.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::new(
                qcc_radar_core::ErrorKind::Cancelled,
                "extraction was cancelled",
            )
            .into());
        }
        let rel = p.path.to_path_buf();
        let target = staging.path().join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        let encrypted = p.encrypted;
        let mut entry = match (encrypted, password) {
            (true, Some(pw)) => zip.by_index_decrypt(p.index, pw.expose().as_bytes()),
            _ => zip.by_index(p.index),
        }
        .map_err(zip_error)?;
        let name = p.path.display();
        let compressed = entry.compressed_size();
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(io_error)?;
        let mut written: u64 = 0;
        let mut kicked: u64 = 0;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A wrong ZipCrypto password passes the header's check once in 256 tries, and
                // then fails the CRC here; AES fails its authentication code.
                Err(_) if encrypted => return Err(Stop::Password(PasswordProblem::Wrong)),
                Err(e) => {
                    return Err(Error::archive(format!(
                        "entry {name:?} is corrupt: {e}; nothing was extracted"
                    ))
                    .into())
                }
            };
            written += n as u64;
            total_written += n as u64;
            if written > p.size {
                return Err(Error::archive(format!(
                    "entry {name:?} expands past its declared {} bytes: a zip bomb or a corrupt archive; refused",
                    p.size
                ))
                .into());
            }
            limits.check_entry(&name, written, compressed)?;
            limits.check_total(total_written, archive_bytes)?;
            out.write_all(&buf[..n]).map_err(io_error)?;
            // Start the write-back as it goes, so the fsync below has little left to wait for.
            if written - kicked >= WRITEBACK_BYTES {
                start_writeback(&out, kicked, written - kicked);
                kicked = written;
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::new(
                    qcc_radar_core::ErrorKind::Cancelled,
                    "extraction was cancelled",
                )
                .into());
            }
        }
        if written != p.size {
            return Err(Error::archive(format!(
                "entry {name:?} holds {written} bytes, not the {} it declares; the archive is corrupt",
                p.size
            ))
            .into());
        }
        out.flush().map_err(io_error)?;
        // Durable before the folder gets its final name: the ledger then says `ready`, and a
        // re-run trusts what is on disk.
        out.sync_data().map_err(io_error)?;
        relative.push(rel);
        progress(done as u64 + 1, count);
    }

    // The folders' entries too (the staging folder's own rename is fsynced by the caller).
    let mut folders: Vec<PathBuf> = relative
        .iter()
        .filter_map(|r| r.parent().map(|p| staging.path().join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for folder in folders {
        sync_dir(&folder);
    }
    Ok(Staged {
        dir: staging,
        relative,
    })
}

/// Moves the finished staging folder to `final_dir`, replacing an older extraction.
fn replace_dir(staging: tempfile::TempDir, final_dir: &Path) -> Result<()> {
    let parent = final_dir.parent().unwrap_or(Path::new("."));
    let mut old = None;
    if final_dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(OLD_EXTRACTION_PREFIX)
            .tempdir_in(parent)
            .map_err(io_error)?;
        let target = aside.path().join("old");
        std::fs::rename(final_dir, &target).map_err(io_error)?;
        old = Some(aside);
    }
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, final_dir) {
        let _ = std::fs::remove_dir_all(&staged);
        // Put the older extraction back: a failed replacement must not lose it.
        if let Some(aside) = &old {
            if let Err(back) = std::fs::rename(aside.path().join("old"), final_dir) {
                tracing::error!(
                    "could not put the older extraction back at {}: {back}",
                    final_dir.display()
                );
                // Keep it where it is rather than delete it with the temporary folder.
                if let Some(aside) = old.take() {
                    let kept = aside.keep();
                    tracing::error!("the older extraction is kept in {}", kept.display());
                }
            }
        }
        return Err(io_error(e));
    }
    drop(old);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The second rename (the new extraction into place) fails: the older extraction, already
    /// moved aside, is put back rather than lost.
    #[test]
    fn a_failed_replacement_puts_the_older_extraction_back() {
        let dir = tempfile::tempdir().unwrap();
        let final_dir = dir.path().join("JKDAY-1");
        std::fs::create_dir(&final_dir).unwrap();
        std::fs::write(final_dir.join("old.csv"), "old").unwrap();
        let staging = tempfile::Builder::new()
            .prefix(".JKDAY-1.extracting-")
            .tempdir_in(dir.path())
            .unwrap();
        // Make the rename fail: the staged folder vanishes before it is moved.
        std::fs::remove_dir(staging.path()).unwrap();
        let e = replace_dir(staging, &final_dir).unwrap_err();
        assert_eq!(e.kind(), qcc_radar_core::ErrorKind::Io);
        assert_eq!(
            std::fs::read_to_string(final_dir.join("old.csv")).unwrap(),
            "old"
        );
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, vec!["JKDAY-1"]);
    }
}
