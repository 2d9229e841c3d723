//! The client's behaviour suite against the sandbox: every scenario, the orders placed, and
//! what is left on disk.

use std::time::Duration;

mod common;

use common::{client_for, listing, sandbox, SECRET};
use qcc_radar::{Client, ErrorKind, ReportType};
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

#[tokio::test]
async fn normal_fetch_extracts_gbk_names_into_nested_folders() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let report = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("a report");
    assert_eq!(report.report_type, Some(ReportType::Day));
    assert!(report.order_no.as_str().starts_with("JKDAY-"));
    assert_eq!(
        report.archive,
        dir.path().join(format!("{}.zip", report.order_no))
    );
    assert!(report.archive.is_file());
    assert!(!report.files.is_empty());
    for f in &report.files {
        assert!(f.is_file(), "{f:?}");
        assert!(f.starts_with(&report.folder));
    }
    let names: Vec<String> = report
        .files
        .iter()
        .map(|f| {
            f.strip_prefix(&report.folder)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains('/') && n.contains("风险监控日报")),
        "GBK names decoded into a nested folder: {names:?}"
    );
    assert_eq!(sb.orders_placed(), 1);
    // Nothing but the archive and its folder (and the bookkeeping): no temporary files.
    let top = common::names(dir.path());
    assert_eq!(top.len(), 2, "{top:?}");
}

#[tokio::test]
async fn no_change_is_none_and_writes_nothing() {
    let sb = sandbox(Scenario::NoChange);
    let dir = tempfile::tempdir().unwrap();
    let got = client_for(&sb)
        .fetch_report(ReportType::Week, dir.path())
        .await
        .unwrap();
    assert!(got.is_none());
    assert!(listing(dir.path()).is_empty());
    assert_eq!(sb.count(Endpoint::GetReportInfo), 0);
}

#[tokio::test]
async fn failed_report_is_report_failed() {
    let sb = sandbox(Scenario::Fail);
    let dir = tempfile::tempdir().unwrap();
    let e = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ReportFailed, "{e}");
    assert!(listing(dir.path()).is_empty());
}

#[tokio::test]
async fn slow_report_times_out_and_keeps_the_order() {
    let sb = sandbox(Scenario::Slow);
    let client = client_for(&sb);
    let order = client
        .create_report(ReportType::Day)
        .await
        .unwrap()
        .unwrap();
    let e = client
        .wait_for_report(&order, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(e.message().contains(order.as_str()));
    assert_eq!(sb.orders_placed(), 1);
}

#[tokio::test]
async fn flaky_gateway_and_cut_download_are_retried_and_resumed() {
    let sb = sandbox(Scenario::Flaky);
    let dir = tempfile::tempdir().unwrap();
    let report = client_for(&sb)
        .fetch_report(ReportType::Month, dir.path())
        .await
        .unwrap()
        .expect("a report");
    assert!(report.archive.is_file());
    assert_eq!(sb.orders_placed(), 1);
    let resumed = sb
        .requests()
        .into_iter()
        .any(|r| r.endpoint == Endpoint::Download && r.range.is_some());
    assert!(
        resumed,
        "the cut download resumed with a Range request: {:?}",
        sb.requests()
    );
}

#[tokio::test]
async fn expired_link_is_refreshed() {
    let sb = sandbox(Scenario::ExpiredLink);
    let dir = tempfile::tempdir().unwrap();
    let report = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("a report");
    assert!(report.archive.is_file());
    // P, P, S (expired), S (fresh): at least one extra getReportInfo for the new link.
    assert!(sb.count(Endpoint::GetReportInfo) >= 4);
}

#[tokio::test]
async fn quota_is_refused_at_once_without_an_order() {
    let sb = sandbox(Scenario::Quota);
    let dir = tempfile::tempdir().unwrap();
    let e = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Quota);
    assert_eq!(e.code(), Some(112));
    assert!(e.server_message().is_some());
    assert_eq!(sb.orders_placed(), 0);
    assert_eq!(
        sb.count(Endpoint::CreateReport),
        1,
        "a quota refusal is not retried"
    );
}

#[tokio::test]
async fn bad_credentials_are_auth_errors_without_the_secret() {
    let sb = sandbox(Scenario::BadCredentials);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let e = client
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
    assert_eq!(e.code(), Some(107));
    for shown in [format!("{e}"), format!("{e:?}"), format!("{client:?}")] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn unsafe_archive_is_refused_and_leaves_nothing() {
    let sb = sandbox(Scenario::UnsafeArchive);
    let dir = tempfile::tempdir().unwrap();
    let e = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    assert!(!dir.path().parent().unwrap().join("escape.txt").exists());
}

#[tokio::test]
async fn zip_bomb_is_refused_and_leaves_nothing() {
    let sb = sandbox(Scenario::ZipBomb);
    let dir = tempfile::tempdir().unwrap();
    let e = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert!(e.message().contains("bomb"), "{e}");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn names_that_collide_off_linux_are_refused_with_the_order_and_leave_nothing() {
    let sb = sandbox(Scenario::CollidingNames);
    let dir = tempfile::tempdir().unwrap();
    let e = client_for(&sb)
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    let m = e.message();
    assert!(m.contains("Report.csv") && m.contains("report.csv"), "{e}");
    assert!(m.contains("differ only in case"), "{e}");
    assert!(m.contains("ask QCC support"), "{e}");
    let orders = sb.order_numbers();
    assert_eq!(orders.len(), 1, "{orders:?}");
    assert_eq!(
        e.order_no().map(|o| o.as_str().to_string()),
        Some(orders[0].clone())
    );
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn downloading_colliding_names_is_refused_with_the_order_and_leaves_nothing() {
    let mut config = SandboxConfig::new(Scenario::CollidingNames);
    config.secret_key = SECRET.to_string();
    config.polls_until_ready = 0;
    let sb = Sandbox::start_with(config).unwrap();
    let client = client_for(&sb);
    let dir = tempfile::tempdir().unwrap();
    let order = client
        .create_report(ReportType::Day)
        .await
        .unwrap()
        .unwrap();
    let e = client
        .download_report(&order, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert_eq!(e.order_no(), Some(&order));
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn clock_skew_is_learned_from_the_date_header() {
    let sb = sandbox(Scenario::ClockSkew);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let report = client
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("a report");
    assert!(report.archive.is_file());
    let offset = client.clock_offset();
    assert!((895..=905).contains(&offset), "offset {offset}");
    // One 115 answer, then every request signed with the learned clock.
    let rejected = sb
        .requests()
        .iter()
        .filter(|r| r.api_status == Some(115))
        .count();
    assert_eq!(rejected, 1);
    assert_eq!(sb.orders_placed(), 1);
}

#[tokio::test]
async fn skew_correction_can_be_turned_off() {
    let sb = sandbox(Scenario::ClockSkew);
    let client = Client::builder()
        .app_key(sb.app_key())
        .secret_key(sb.secret_key())
        .base_url(sb.base_url())
        .clock_skew_correction(false)
        .build()
        .unwrap();
    let e = client.create_report(ReportType::Day).await.unwrap_err();
    assert_eq!(e.code(), Some(115));
    assert_eq!(e.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn unknown_order_is_invalid_request() {
    let sb = sandbox(Scenario::Normal);
    let e = client_for(&sb)
        .report_info(&"JKDAY-000".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert_eq!(e.code(), Some(201));
}

#[tokio::test]
async fn download_before_ready_says_so() {
    let sb = sandbox(Scenario::Slow);
    let client = client_for(&sb);
    let dir = tempfile::tempdir().unwrap();
    let order = client
        .create_report(ReportType::Day)
        .await
        .unwrap()
        .unwrap();
    let e = client
        .download_report(&order, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    assert!(e.message().contains("not ready"), "{e}");
    assert!(listing(dir.path()).is_empty());
}

#[tokio::test]
async fn cancelled_download_leaves_no_temporary_files() {
    let mut config = SandboxConfig::new(Scenario::Large);
    config.large_bytes = 256 * 1024 * 1024;
    let sb = Sandbox::start_with(config).unwrap();
    let client = client_for(&sb);
    let dir = tempfile::tempdir().unwrap();
    let fetch = client.fetch_report(ReportType::Day, dir.path());
    let outcome = tokio::time::timeout(Duration::from_millis(400), fetch).await;
    assert!(
        outcome.is_err(),
        "a 256 MiB fetch in debug mode takes longer than 400 ms"
    );
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn re_download_replaces_the_folder() {
    let sb = sandbox(Scenario::Normal);
    let client = client_for(&sb);
    let dir = tempfile::tempdir().unwrap();
    let first = client
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .unwrap();
    std::fs::write(first.folder.join("stale.txt"), b"old").unwrap();
    let again = client
        .download_report(&first.order_no, dir.path())
        .await
        .unwrap();
    assert_eq!(again.files, first.files);
    assert!(!first.folder.join("stale.txt").exists());
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(common::names(dir.path()).len(), 2);
}
