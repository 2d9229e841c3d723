//! Streaming the archive to disk: bounded memory, resumable, atomic, off the async workers.
//!
//! The bytes go to a temporary file beside the target (same filesystem, so the final rename is
//! atomic) in chunks, whatever the size. A cut connection resumes with a `Range` request when
//! the storage honours it, else starts over, in `retry.rs`'s loop with the budget counted from
//! the last attempt that made progress. A link that has expired (its `Expires` is past, or the
//! storage answers 403) is replaced through getReportInfo, which is free to repeat (a
//! [`LinkSource`]: the client, which this module does not know). Dropping the future deletes
//! the temporary file.
//!
//! Disk work never runs on an async worker: a `write` can stall on a busy disk and the fsync of
//! a 1 GiB archive takes seconds, and the bindings share one runtime, so a stalled worker would
//! stall every other call. The body is handed to a blocking thread in batches, one batch being
//! written while the next fills, so memory stays bounded. On Linux each written batch's
//! write-back is started at once (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, which does not wait),
//! so the disk writes while the network still delivers and the final fsync has less left to do
//! (nothing much when the disk keeps up with the network).
//!
//! [`Downloader::download`] returns the complete, length-checked but not yet durable
//! [`DownloadedArchive`]; the caller fsyncs it (concurrently with the extraction, which reads the
//! temporary file) and renames it to `<orderNo>.zip` only after the fsync: never a
//! half-written or not-yet-durable archive under its final name.

use std::io::{SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use qcc_radar_core::{ArchiveLimits, Error, ErrorKind, OrderNo, ReportLink, Result, RetryPolicy};
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;
use tempfile::NamedTempFile;
use tokio::task::JoinHandle;

use crate::clock::ServerClock;
use crate::local_fs::{io_error, start_writeback, with_umask_mode};
use crate::progress::{Progress, ProgressSink};
use crate::report_folder::ReportFolder;
use crate::retry::{self, Budget, GaveUp, Job, Outcome};
use crate::transport::{describe, ForkAwareHttp};

/// Seconds of margin before `Expires` at which a link counts as expired.
const EXPIRY_MARGIN_SECS: u64 = 5;
/// How many times a refused (403) link is replaced before giving up.
const MAX_LINK_REFRESHES: u32 = 3;

/// Why one attempt stopped.
enum AttemptError {
    /// The link was refused or has expired: get a new one.
    LinkExpired,
    /// Worth another attempt (cut connection, 5xx, timeout).
    Retry(Error),
    /// Final.
    Fatal(Error),
}

/// Where a new link comes from when the one in hand has expired or is refused: getReportInfo,
/// which is free to repeat (the client, in `delivery.rs`).
pub(crate) trait LinkSource {
    /// A fresh `S` link for `order_no`.
    async fn fresh_link(&self, order_no: &OrderNo) -> Result<ReportLink>;
}

/// What a download needs of the client: the HTTP client, the clock a link's expiry is read on,
/// the retry policy, the size limit, where progress goes and where new links come from.
pub(crate) struct Downloader<'a, L> {
    pub(crate) http: &'a ForkAwareHttp,
    pub(crate) clock: &'a ServerClock,
    pub(crate) retry: &'a RetryPolicy,
    pub(crate) limits: &'a ArchiveLimits,
    pub(crate) progress: &'a ProgressSink,
    pub(crate) links: &'a L,
}

/// A downloaded archive: every byte written to its temporary file and checked against
/// `Content-Length`, not yet fsynced nor under its final name. Dropping it deletes the file.
pub(crate) struct DownloadedArchive {
    part: NamedTempFile,
    final_path: PathBuf,
}

impl DownloadedArchive {
    /// A new handle to the temporary file, for reading it while it is being fsynced.
    pub(crate) fn reopen(&self) -> Result<std::fs::File> {
        self.part.reopen().map_err(io_error)
    }

    /// Starts `fsync` of the file on a blocking thread; await the handle before [`Self::persist`].
    /// The task holds only a duplicate handle: dropping `self` still deletes the file at once.
    pub(crate) fn start_sync(&self) -> Result<JoinHandle<std::io::Result<()>>> {
        let file = self.part.as_file().try_clone().map_err(io_error)?;
        Ok(tokio::task::spawn_blocking(move || file.sync_all()))
    }

    /// Renames the file to `<orderNo>.zip` (blocking; call it once the sync is done) and returns
    /// that path. The folder's own fsync, which makes the rename durable, is the caller's.
    pub(crate) fn persist(self) -> Result<PathBuf> {
        let DownloadedArchive { part, final_path } = self;
        part.persist(&final_path).map_err(|e| io_error(e.error))?;
        Ok(final_path)
    }
}

/// How many bytes of the body are gathered before they go to the disk thread as one batch.
const WRITE_BATCH_BYTES: usize = 1024 * 1024;

/// What the disk thread hands back: the file, the emptied buffer for reuse, and how it went.
type WriteDone = (std::fs::File, Vec<u8>, std::io::Result<()>);

/// The part file, written on a blocking thread: one batch in flight while the next fills.
///
/// The body's chunks are copied into one of two reused buffers rather than kept: holding the
/// HTTP client's chunks makes it allocate fresh buffers all the time (measured: 65,000–105,000
/// minor page faults per GiB, against about 2,000 with the copy, for about the same CPU time),
/// and the copy keeps memory at exactly two batches whatever the size.
struct PartWriter {
    /// The file while no batch is in flight (the disk thread holds it otherwise).
    file: Option<std::fs::File>,
    /// The batch being written; it hands the file and its buffer back.
    in_flight: Option<JoinHandle<WriteDone>>,
    /// Bytes received but not yet handed to the disk thread.
    filling: Vec<u8>,
    /// The other buffer, back from the disk thread.
    spare: Option<Vec<u8>>,
    /// The file offset where the next batch goes.
    offset: u64,
}

impl PartWriter {
    fn new(file: std::fs::File) -> PartWriter {
        PartWriter {
            file: Some(file),
            in_flight: None,
            filling: Vec::with_capacity(WRITE_BATCH_BYTES),
            spare: None,
            offset: 0,
        }
    }

    /// Queues a chunk; hands each full batch to the disk thread.
    async fn write(&mut self, mut chunk: &[u8]) -> Result<()> {
        while !chunk.is_empty() {
            let room = WRITE_BATCH_BYTES - self.filling.len();
            let (now, later) = chunk.split_at(room.min(chunk.len()));
            self.filling.extend_from_slice(now);
            chunk = later;
            if self.filling.len() >= WRITE_BATCH_BYTES {
                self.send_batch().await?;
            }
        }
        Ok(())
    }

    /// Waits for the batch in flight, then hands the queued one to a blocking thread.
    async fn send_batch(&mut self) -> Result<()> {
        let mut file = self.wait().await?;
        if self.filling.is_empty() {
            self.file = Some(file);
            return Ok(());
        }
        let next = self
            .spare
            .take()
            .unwrap_or_else(|| Vec::with_capacity(WRITE_BATCH_BYTES));
        let mut batch = std::mem::replace(&mut self.filling, next);
        let (start, len) = (self.offset, batch.len() as u64);
        self.offset += len;
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            let written = file.write_all(&batch);
            if written.is_ok() {
                start_writeback(&file, start, len);
            }
            batch.clear();
            (file, batch, written)
        }));
        Ok(())
    }

    /// Waits for the batch in flight, if any, and takes the file back.
    async fn wait(&mut self) -> Result<std::fs::File> {
        if let Some(task) = self.in_flight.take() {
            let (file, buffer, written) = task.await.map_err(join_error)?;
            written.map_err(io_error)?;
            self.spare = Some(buffer);
            return Ok(file);
        }
        self.file.take().ok_or_else(|| {
            Error::new(
                ErrorKind::Internal,
                "the archive file was lost after a failed write",
            )
        })
    }

    /// Writes out everything queued and waits for it.
    async fn flush(&mut self) -> Result<()> {
        self.send_batch().await?;
        let file = self.wait().await?;
        self.file = Some(file);
        Ok(())
    }

    /// Throws away everything written and queued: the next byte goes to offset 0.
    async fn reset(&mut self) -> Result<()> {
        self.filling.clear();
        let mut file = self.wait().await?;
        let (file, done) = tokio::task::spawn_blocking(move || {
            let done = file
                .set_len(0)
                .and_then(|()| std::io::Seek::seek(&mut file, SeekFrom::Start(0)).map(drop));
            (file, done)
        })
        .await
        .map_err(join_error)?;
        self.file = Some(file);
        done.map_err(io_error)?;
        self.offset = 0;
        Ok(())
    }
}

fn join_error(e: tokio::task::JoinError) -> Error {
    Error::new(
        ErrorKind::Internal,
        format!("a disk task of the download failed: {e}"),
    )
}

impl<L: LinkSource> Downloader<'_, L> {
    /// Downloads the archive of `order_no` into a temporary file in `out_dir`, starting from `link`
    /// when given. The result is complete and length-checked; the caller fsyncs and persists it.
    pub(crate) async fn download(
        &self,
        order_no: &OrderNo,
        out_dir: &Path,
        link: Option<ReportLink>,
    ) -> Result<DownloadedArchive> {
        let final_path = out_dir.join(format!("{order_no}.zip"));
        let prefix = ReportFolder::part_prefix(order_no);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        with_umask_mode(&mut builder, 0o666);
        let part = builder.tempfile_in(out_dir).map_err(|e| {
            Error::io(
                "create the download's temporary file in",
                out_dir,
                &e,
                "free space or fix the folder's permissions and run again",
            )
        })?;
        let link = match link {
            Some(l) => l,
            None => self.links.fresh_link(order_no).await?,
        };
        let mut transfer = Transfer {
            downloader: self,
            order_no,
            link,
            writer: PartWriter::new(part.as_file().try_clone().map_err(io_error)?),
            received: 0,
            total: None,
            refreshes: 0,
        };
        match retry::run(self.retry, &mut transfer).await {
            Ok(()) => {}
            Err(GaveUp {
                error,
                attempts,
                spent: true,
            }) => {
                let received = transfer.received;
                let got = match transfer.total {
                    Some(t) => format!("{received} of {t} bytes had arrived"),
                    None => format!("{received} bytes had arrived"),
                };
                return Err(error.context(format!(
                    "downloading {order_no} made no progress in {attempts} attempt(s) in a row ({got}); the order is kept: run the same fetch or download again to download it again (no new order is placed)"
                )));
            }
            Err(GaveUp { error, .. }) => return Err(error),
        }
        transfer.writer.flush().await?;
        Ok(DownloadedArchive { part, final_path })
    }

    /// One GET of the link, resuming at `received` when it is not zero.
    async fn get_once(
        &self,
        order_no: &OrderNo,
        link: &ReportLink,
        writer: &mut PartWriter,
        received: &mut u64,
        total: &mut Option<u64>,
    ) -> std::result::Result<(), AttemptError> {
        let limits = self.limits;
        let mut req = self.http.get().get(link.expose());
        if *received > 0 {
            req = req.header(RANGE, format!("bytes={}-", *received));
        }
        let mut resp = req.send().await.map_err(|e| {
            AttemptError::Retry(Error::transport(format!(
                "cannot reach the report storage {}: {}",
                link.redacted(),
                describe(e)
            )))
        })?;
        let status = resp.status();
        if status == StatusCode::FORBIDDEN {
            return Err(AttemptError::LinkExpired);
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(AttemptError::Retry(Error::transport(format!(
                "the report storage answered HTTP {status} for {}",
                link.redacted()
            ))));
        }
        if status == StatusCode::RANGE_NOT_SATISFIABLE {
            // Our partial file does not fit the object any more: start over.
            reset(writer, received).await.map_err(AttemptError::Fatal)?;
            return Err(AttemptError::Retry(Error::transport(
                "the storage could not resume the download; starting over",
            )));
        }
        let header_u64 = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        match status {
        StatusCode::OK => {
            if *received > 0 {
                tracing::info!(order_no = %order_no, "storage ignored the Range request; starting over");
                reset(writer, received).await.map_err(AttemptError::Fatal)?;
            }
            *total = header_u64(CONTENT_LENGTH).and_then(|v| v.parse().ok());
        }
        StatusCode::PARTIAL_CONTENT => {
            // Content-Range: bytes START-END/TOTAL
            let range = header_u64(CONTENT_RANGE).unwrap_or_default();
            let parsed = parse_content_range(&range);
            match parsed {
                Some((start, full)) if start == *received => {
                    if full.is_some() {
                        *total = full;
                    }
                }
                _ => {
                    reset(writer, received).await.map_err(AttemptError::Fatal)?;
                    return Err(AttemptError::Retry(Error::transport(format!(
                        "the storage resumed at the wrong place ({range:?}); starting over"
                    ))));
                }
            }
        }
        StatusCode::NOT_FOUND | StatusCode::GONE => {
            return Err(AttemptError::Fatal(Error::transport(format!(
                "the report storage has no file at {} (HTTP {status}): QCC may no longer keep report {order_no}; ask for its status (`qcc-radar status {order_no}`) and run again, or order a new report",
                link.redacted()
            ))))
        }
        other => {
            return Err(AttemptError::Fatal(Error::transport(format!(
                "the report storage answered HTTP {other} for {}, which qcc-radar cannot use; run again later (the order is kept)",
                link.redacted()
            ))))
        }
    }
        if let Some(t) = *total {
            if t > limits.max_total_bytes {
                return Err(AttemptError::Fatal(Error::archive(format!(
                    "the report archive is {t} bytes, more than the limit of {}; refused",
                    limits.max_total_bytes
                ))));
            }
        }
        loop {
            let chunk = match resp.chunk().await {
                Ok(Some(c)) => c,
                Ok(None) => break,
                Err(e) => {
                    return Err(AttemptError::Retry(Error::transport(format!(
                        "the download of {order_no} was cut after {} bytes: {}",
                        *received,
                        describe(e)
                    ))))
                }
            };
            let len = chunk.len() as u64;
            writer.write(&chunk).await.map_err(AttemptError::Fatal)?;
            *received += len;
            if *received > limits.max_total_bytes {
                return Err(AttemptError::Fatal(Error::archive(format!(
                    "the report archive grew past the limit of {} bytes; refused",
                    limits.max_total_bytes
                ))));
            }
            self.progress.emit(Progress::Downloading {
                order_no: order_no.clone(),
                received: *received,
                total: *total,
            });
        }
        match *total {
            Some(t) if *received < t => Err(AttemptError::Retry(Error::transport(format!(
                "the download of {order_no} ended after {} of {t} bytes",
                *received
            )))),
            Some(t) if *received > t => {
                reset(writer, received).await.map_err(AttemptError::Fatal)?;
                Err(AttemptError::Retry(Error::transport(format!(
                    "the storage sent more than the {t} bytes it announced; starting over"
                ))))
            }
            _ => Ok(()),
        }
    }
}

/// One download, attempt by attempt, for [`retry::run`]. Attempts are counted from the last one
/// that made progress: a large or slow report that keeps arriving is resumed with `Range`
/// however long it has run, and only a run of attempts that bring nothing new gives up (the
/// retry policy's attempts and time, from then on).
struct Transfer<'d, 'a, L> {
    downloader: &'d Downloader<'a, L>,
    order_no: &'d OrderNo,
    /// The link in hand.
    link: ReportLink,
    writer: PartWriter,
    /// Bytes received so far (where a resumed GET starts).
    received: u64,
    /// The archive's size, when the storage said.
    total: Option<u64>,
    /// Links replaced so far, expired or refused.
    refreshes: u32,
}

impl<L: LinkSource> Transfer<'_, '_, L> {
    /// GETs the link, replacing it first when it has expired and again while the storage
    /// refuses it (neither counts as an attempt, nor waits).
    async fn get(&mut self) -> Outcome<()> {
        let (downloader, order_no) = (self.downloader, self.order_no);
        loop {
            if self
                .link
                .is_expired(downloader.clock.now(), EXPIRY_MARGIN_SECS)
            {
                if self.refreshes >= MAX_LINK_REFRESHES {
                    return Outcome::Stop(Error::transport(format!(
                        "every link getReportInfo gave for {order_no} had expired; check this computer's clock, then run again (the order is kept)"
                    )));
                }
                self.refreshes += 1;
                tracing::info!(order_no = %order_no, "report link expired; asking for a new one");
                match downloader.links.fresh_link(order_no).await {
                    Ok(link) => self.link = link,
                    Err(e) => return Outcome::Stop(e),
                }
                continue;
            }
            let outcome = downloader
                .get_once(
                    order_no,
                    &self.link,
                    &mut self.writer,
                    &mut self.received,
                    &mut self.total,
                )
                .await;
            match outcome {
                Ok(()) => return Outcome::Done(()),
                Err(AttemptError::Fatal(e)) => return Outcome::Stop(e),
                Err(AttemptError::Retry(e)) => return Outcome::Retry(e),
                Err(AttemptError::LinkExpired) => {
                    if self.refreshes >= MAX_LINK_REFRESHES {
                        return Outcome::Stop(Error::new(
                            ErrorKind::Transport,
                            format!(
                                "the storage refused the report link for {order_no} {} times, even after refreshing it; check this computer's clock, then run again (the order is kept)",
                                self.refreshes + 1
                            ),
                        ));
                    }
                    self.refreshes += 1;
                    tracing::info!(order_no = %order_no, "storage refused the link (403); asking for a new one");
                    match downloader.links.fresh_link(order_no).await {
                        Ok(link) => self.link = link,
                        Err(e) => return Outcome::Stop(e),
                    }
                }
            }
        }
    }
}

impl<L: LinkSource> Job for Transfer<'_, '_, L> {
    type Output = ();

    async fn attempt(&mut self, budget: &mut Budget) -> Outcome<()> {
        let before = self.received;
        let outcome = self.get().await;
        if self.received > before {
            budget.restart();
        }
        outcome
    }

    fn retrying(&self, error: &Error, attempt: u32, _delay: Duration) {
        tracing::warn!(order_no = %self.order_no, attempt, %error, received = self.received, "download interrupted; resuming");
    }
}

/// `(start, total)` from `bytes START-END/TOTAL` (`TOTAL` may be `*`).
fn parse_content_range(v: &str) -> Option<(u64, Option<u64>)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = total.trim().parse().ok();
    Some((start.trim().parse().ok()?, total))
}

async fn reset(writer: &mut PartWriter, received: &mut u64) -> Result<()> {
    writer.reset().await?;
    *received = 0;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunks smaller and larger than a batch, a reset halfway, and a flush: the file holds
    /// exactly the bytes written after the reset, in order.
    #[tokio::test]
    async fn part_writer_keeps_order_across_batches_and_resets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("part");
        let file = std::fs::File::create(&path).unwrap();
        let mut writer = PartWriter::new(file);
        let data: Vec<u8> = (0..3 * WRITE_BATCH_BYTES + 12_345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        writer.write(&data[..WRITE_BATCH_BYTES + 10]).await.unwrap();
        writer.reset().await.unwrap();
        let sizes = [
            1,
            4096,
            WRITE_BATCH_BYTES - 1,
            2 * WRITE_BATCH_BYTES + 17,
            65_536,
        ];
        let mut at = 0;
        for size in sizes.iter().cycle() {
            let end = (at + size).min(data.len());
            writer.write(&data[at..end]).await.unwrap();
            at = end;
            if at == data.len() {
                break;
            }
        }
        writer.flush().await.unwrap();
        assert_eq!(writer.offset, data.len() as u64);
        assert!(std::fs::read(&path).unwrap() == data, "the file differs");
    }

    #[test]
    fn content_range() {
        assert_eq!(
            parse_content_range("bytes 10-99/100"),
            Some((10, Some(100)))
        );
        assert_eq!(parse_content_range("bytes 10-99/*"), Some((10, None)));
        assert_eq!(parse_content_range("nonsense"), None);
    }
}
