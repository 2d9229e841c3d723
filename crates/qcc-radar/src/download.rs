//! Streaming the archive to disk: bounded memory, resumable, atomic.
//!
//! The bytes go to a temporary file beside the target (same filesystem, so the final rename is
//! atomic) in chunks, whatever the size. A cut connection resumes with a `Range` request when
//! the storage honours it, else starts over. A link that has expired (its `Expires` is past, or
//! the storage answers 403) is replaced through getReportInfo, which is free to repeat. The
//! file is checked against `Content-Length`, fsynced, and only then renamed to
//! `<orderNo>.zip`. Dropping the future deletes the temporary file.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use qcc_radar_core::{Error, ErrorKind, OrderNo, ReportLink, ReportStatus, Result};
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use reqwest::StatusCode;

use crate::client::{report_failed, Client};
use crate::progress::Progress;
use crate::transport::{describe, random_unit};

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

/// Gets a fresh `S` link for `order_no`.
async fn fresh_link(client: &Client, order_no: &OrderNo) -> Result<ReportLink> {
    let info = client.report_info(order_no).await?;
    match info.status {
        ReportStatus::Succeeded => info
            .link
            .ok_or_else(|| Error::transport(format!("getReportInfo gave no link for {order_no}"))),
        ReportStatus::Failed => Err(report_failed(order_no)),
        ReportStatus::Pending => Err(Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "report {order_no} is not ready yet (status P); wait for it before downloading"
            ),
        )),
    }
}

/// Downloads the archive of `order_no` to `out_dir/<orderNo>.zip`, starting from `link` when
/// given, and returns the final path.
pub(crate) async fn download_archive(
    client: &Client,
    order_no: &OrderNo,
    out_dir: &Path,
    link: Option<ReportLink>,
) -> Result<PathBuf> {
    let settings = &client.inner.settings;
    let final_path = out_dir.join(format!("{order_no}.zip"));
    let part = tempfile::Builder::new()
        .prefix(&format!(".{order_no}.zip.part-"))
        .tempfile_in(out_dir)
        .map_err(|e| {
            Error::config(format!(
                "cannot create a temporary file in {}: {e}",
                out_dir.display()
            ))
        })?;
    let mut link = match link {
        Some(l) => l,
        None => fresh_link(client, order_no).await?,
    };
    let mut file = part.as_file().try_clone().map_err(io_error)?;
    let mut received: u64 = 0;
    let mut total: Option<u64> = None;
    let mut refreshes = 0u32;
    let mut attempt = 0u32;
    let started = Instant::now();
    loop {
        if link.is_expired(client.inner.clock.now(), EXPIRY_MARGIN_SECS) {
            if refreshes >= MAX_LINK_REFRESHES {
                return Err(Error::transport(format!(
                    "every link getReportInfo gave for {order_no} had expired; check the computer's clock"
                )));
            }
            refreshes += 1;
            tracing::info!(order_no = %order_no, "report link expired; asking for a new one");
            link = fresh_link(client, order_no).await?;
            continue;
        }
        attempt += 1;
        let outcome = attempt_download(
            client,
            order_no,
            &link,
            &mut file,
            &mut received,
            &mut total,
        )
        .await;
        match outcome {
            Ok(()) => break,
            Err(AttemptError::Fatal(e)) => return Err(e),
            Err(AttemptError::LinkExpired) => {
                if refreshes >= MAX_LINK_REFRESHES {
                    return Err(Error::new(
                        ErrorKind::Transport,
                        format!(
                            "the storage refused the report link for {order_no} {} times, even after refreshing it",
                            refreshes + 1
                        ),
                    ));
                }
                refreshes += 1;
                tracing::info!(order_no = %order_no, "storage refused the link (403); asking for a new one");
                link = fresh_link(client, order_no).await?;
            }
            Err(AttemptError::Retry(e)) => {
                match settings
                    .retry
                    .backoff(attempt, started.elapsed(), random_unit())
                {
                    Some(delay) => {
                        tracing::warn!(order_no = %order_no, attempt, error = %e, received, "download interrupted; retrying");
                        tokio::time::sleep(delay).await;
                    }
                    None => {
                        return Err(e.context(format!(
                            "downloading {order_no} failed after {attempt} attempts"
                        )))
                    }
                }
            }
        }
    }
    file.flush().map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    drop(file);
    let persisted = part.persist(&final_path).map_err(|e| io_error(e.error))?;
    drop(persisted);
    sync_dir(out_dir);
    Ok(final_path)
}

/// One GET of the link, resuming at `received` when it is not zero.
async fn attempt_download(
    client: &Client,
    order_no: &OrderNo,
    link: &ReportLink,
    file: &mut std::fs::File,
    received: &mut u64,
    total: &mut Option<u64>,
) -> std::result::Result<(), AttemptError> {
    let limits = &client.inner.settings.limits;
    let mut req = client.inner.http.get().get(link.expose());
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
        reset(file, received).map_err(AttemptError::Fatal)?;
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
                reset(file, received).map_err(AttemptError::Fatal)?;
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
                    reset(file, received).map_err(AttemptError::Fatal)?;
                    return Err(AttemptError::Retry(Error::transport(format!(
                        "the storage resumed at the wrong place ({range:?}); starting over"
                    ))));
                }
            }
        }
        other => {
            return Err(AttemptError::Fatal(Error::transport(format!(
                "the report storage answered HTTP {other} for {}",
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
        file.write_all(&chunk)
            .map_err(|e| AttemptError::Fatal(io_error(e)))?;
        *received += chunk.len() as u64;
        if *received > limits.max_total_bytes {
            return Err(AttemptError::Fatal(Error::archive(format!(
                "the report archive grew past the limit of {} bytes; refused",
                limits.max_total_bytes
            ))));
        }
        client.emit(Progress::Downloading {
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
            reset(file, received).map_err(AttemptError::Fatal)?;
            Err(AttemptError::Retry(Error::transport(format!(
                "the storage sent more than the {t} bytes it announced; starting over"
            ))))
        }
        _ => Ok(()),
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

fn reset(file: &mut std::fs::File, received: &mut u64) -> Result<()> {
    file.set_len(0).map_err(io_error)?;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    *received = 0;
    Ok(())
}

pub(crate) fn io_error(e: std::io::Error) -> Error {
    let kind = if e.kind() == std::io::ErrorKind::StorageFull {
        "the disk is full"
    } else {
        "a disk write failed"
    };
    Error::new(ErrorKind::Config, format!("{kind}: {e}"))
}

/// Makes a rename durable; best effort (not every filesystem allows opening a folder).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
