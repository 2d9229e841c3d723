//! Downloads that survive the real world: a report that trickles in for longer than the retry
//! policy's time budget, then is cut, is resumed with `Range` because it kept making progress.

use std::time::Duration;

use qcc_radar::{Client, PollSchedule, ReportType, RetryPolicy};
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

#[tokio::test]
async fn a_download_that_keeps_making_progress_is_resumed_however_long_it_ran() {
    let mut config = SandboxConfig::new(Scenario::Stall);
    config.trickle_gap = Duration::from_millis(150);
    let sb = Sandbox::start_with(config).unwrap();
    // The first attempt trickles for about 1.5 s, three times the retry budget, and well past
    // the read timeout in all, though no single gap reaches it.
    let client = Client::builder()
        .app_key(sb.app_key())
        .secret_key(sb.secret_key())
        .base_url(sb.base_url())
        .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
        .read_timeout(Duration::from_millis(1000))
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            base: Duration::from_millis(10),
            cap: Duration::from_millis(20),
            max_elapsed: Duration::from_millis(500),
        })
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = client
        .fetch_report(ReportType::Day, dir.path())
        .await
        .expect("the cut download is resumed")
        .expect("a report");
    assert!(!report.files.is_empty());
    let downloads: Vec<_> = sb
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == Endpoint::Download)
        .collect();
    assert_eq!(downloads.len(), 2, "{downloads:?}");
    assert!(downloads[0].range.is_none());
    assert!(
        downloads[1]
            .range
            .as_deref()
            .is_some_and(|r| r != "bytes=0-"),
        "the second attempt resumed: {downloads:?}"
    );
    assert_eq!(sb.orders_placed(), 1);
}

/// The kept archive, the extracted files and folders get the permissions a plain create would
/// give under the process's umask, not a temporary file's owner-only ones.
#[cfg(unix)]
#[tokio::test]
async fn archive_and_extracted_files_get_the_same_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let client = Client::builder()
        .app_key(sb.app_key())
        .secret_key(sb.secret_key())
        .base_url(sb.base_url())
        .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = client
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let plain_file = dir.path().join("plain");
    std::fs::write(&plain_file, "x").unwrap();
    let plain_dir = dir.path().join("plain-dir");
    std::fs::create_dir(&plain_dir).unwrap();
    assert_eq!(mode(&report.archive), mode(&plain_file));
    for f in &report.files {
        assert_eq!(mode(f), mode(&plain_file), "{}", f.display());
    }
    assert_eq!(mode(&report.folder), mode(&plain_dir));
}
