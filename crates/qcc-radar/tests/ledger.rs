//! The order ledger against the sandbox: a re-run never pays twice, a lost answer orders
//! nothing more until the caller decides, and a real report is never skipped.

use std::path::Path;
use std::time::Duration;

mod common;

use common::{builder_for, client_for, sandbox, sandbox_with};
use qcc_radar::{Client, ErrorKind, FetchOptions, ReportType, RetryPolicy};
use qcc_radar_sandbox::{Endpoint, Scenario};

/// A day report into `dir`, as `options` say.
async fn day(
    client: &Client,
    dir: &Path,
    options: FetchOptions,
) -> qcc_radar::Result<Option<qcc_radar::Report>> {
    client
        .fetch_report_with(ReportType::Day, dir, &options)
        .await
}

fn ledger_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(qcc_radar::LEDGER_FILE)).unwrap_or_default()
}

#[tokio::test]
async fn a_rerun_returns_the_same_report_and_sends_nothing() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let first = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .expect("a report");
    let requests = sb.requests().len();
    let second = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .expect("the same report");
    assert_eq!(first, second);
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(sb.requests().len(), requests, "the re-run sent a request");
    // Another type is another key.
    client
        .fetch_report(ReportType::Week, dir.path())
        .await
        .unwrap()
        .expect("a weekly report");
    assert_eq!(sb.orders_placed(), 2);
}

#[tokio::test]
async fn a_ready_report_whose_files_were_removed_is_downloaded_again_without_ordering() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let first = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    std::fs::remove_dir_all(&first.folder).unwrap();
    let again = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.order_no, first.order_no);
    assert_eq!(again.files, first.files);
    assert_eq!(sb.orders_placed(), 1);
}

#[tokio::test]
async fn no_change_is_remembered_and_new_order_asks_again() {
    let sb = sandbox(Scenario::NoChange);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    assert!(day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .is_none());
    assert!(day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .is_none());
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
    let asked = day(&client, dir.path(), FetchOptions::new().new_order(true))
        .await
        .unwrap();
    assert!(asked.is_none());
    assert_eq!(sb.count(Endpoint::CreateReport), 2);
}

#[tokio::test]
async fn a_lost_answer_orders_nothing_more_until_new_order() {
    let sb = sandbox(Scenario::LostAnswer);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let e = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder, "{e}");
    assert_eq!(e.kind().exit_code(), 8);
    assert!(e.message().contains("new_order"), "{e}");
    assert_eq!(sb.orders_placed(), 1);
    assert!(ledger_text(dir.path()).contains("\"ordering\""));

    for _ in 0..2 {
        let again = day(&client, dir.path(), FetchOptions::new())
            .await
            .unwrap_err();
        assert_eq!(again.kind(), ErrorKind::UnconfirmedOrder, "{again}");
        assert!(again.message().contains("was sent at"), "{again}");
        assert_eq!(sb.orders_placed(), 1, "a re-run ordered again");
    }
    // A new client (a new process) sees the same.
    let e = day(&client_for(&sb), dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder);

    let report = day(&client, dir.path(), FetchOptions::new().new_order(true))
        .await
        .unwrap()
        .expect("the new order's report");
    assert_eq!(sb.orders_placed(), 2);
    // The ordered report is now the period's result.
    let same = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(same.order_no, report.order_no);
    assert_eq!(sb.orders_placed(), 2);
}

#[tokio::test]
async fn create_report_alone_reports_a_lost_answer_as_unconfirmed() {
    let sb = sandbox(Scenario::LostAnswer);
    let e = client_for(&sb)
        .create_report(ReportType::Week)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder, "{e}");
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(
        sb.count(Endpoint::CreateReport),
        1,
        "createReport was retried"
    );
}

#[tokio::test]
async fn a_hanging_create_report_ends_unconfirmed_at_the_request_timeout() {
    let sb = sandbox(Scenario::CreateHangs);
    let dir = tempfile::tempdir().unwrap();
    let client = builder_for(&sb)
        .request_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let e = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder, "{e}");
    assert_eq!(sb.orders_placed(), 1);
    let e = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder, "{e}");
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
}

#[tokio::test]
async fn refused_and_unreachable_orders_clear_their_entry() {
    for scenario in [Scenario::Quota, Scenario::BadCredentials] {
        let sb = sandbox(scenario);
        let dir = tempfile::tempdir().unwrap();
        let client = client_for(&sb);
        for _ in 0..2 {
            let e = day(&client, dir.path(), FetchOptions::new())
                .await
                .unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::Quota | ErrorKind::Auth),
                "{scenario}: {e}"
            );
        }
        assert_eq!(sb.count(Endpoint::CreateReport), 2, "{scenario}");
        assert!(!ledger_text(dir.path()).contains("ordering"), "{scenario}");
    }
    let dir = tempfile::tempdir().unwrap();
    let client = Client::builder()
        .app_key("k")
        .secret_key("s")
        .base_url("http://127.0.0.1:1")
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            base: Duration::from_millis(1),
            cap: Duration::from_millis(2),
            max_elapsed: Duration::from_secs(2),
        })
        .build()
        .unwrap();
    let e = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(!ledger_text(dir.path()).contains("ordering"));
}

#[tokio::test]
async fn a_failed_period_is_ordered_once_more_then_not_again() {
    let sb = sandbox(Scenario::Fail);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let first = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(first.kind(), ErrorKind::ReportFailed);
    assert!(first.order_no().is_some());
    assert_eq!(sb.orders_placed(), 1);
    let second = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(second.kind(), ErrorKind::ReportFailed);
    assert_eq!(sb.orders_placed(), 2);
    assert_ne!(first.order_no(), second.order_no());
    let third = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(third.kind(), ErrorKind::ReportFailed, "{third}");
    assert!(third.message().contains("2 times"), "{third}");
    assert_eq!(third.order_no(), second.order_no());
    assert_eq!(sb.orders_placed(), 2, "a third order was placed");
    let forced = day(&client, dir.path(), FetchOptions::new().new_order(true))
        .await
        .unwrap_err();
    assert_eq!(forced.kind(), ErrorKind::ReportFailed);
    assert_eq!(sb.orders_placed(), 3);
}

#[tokio::test]
async fn an_unreadable_ledger_is_an_io_error_and_nothing_is_sent() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(qcc_radar::LEDGER_FILE);
    std::fs::write(&path, "{ not json").unwrap();
    let e = day(&client_for(&sb), dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io, "{e}");
    assert_eq!(e.kind().exit_code(), 9);
    assert!(e.message().contains(&path.display().to_string()), "{e}");
    assert!(sb.requests().is_empty(), "something was sent");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[tokio::test]
async fn a_timed_out_wait_is_resumed_without_a_new_order() {
    let sb = sandbox_with(Scenario::Slow, |c| {
        c.slow_ready_after = Duration::from_millis(1500)
    });
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let e = client
        .fetch_report_within(ReportType::Day, dir.path(), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    let order = e.order_no().cloned().expect("the timeout names its order");
    let report = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.order_no, order);
    assert_eq!(sb.orders_placed(), 1);
}

#[tokio::test]
async fn two_servers_on_one_folder_keep_their_own_entries() {
    let a = sandbox(Scenario::Normal);
    let b = sandbox(Scenario::NoChange);
    let dir = tempfile::tempdir().unwrap();
    let ra = day(&client_for(&a), dir.path(), FetchOptions::new())
        .await
        .unwrap();
    assert!(ra.is_some());
    // The second server's "no change" must not be answered by the first one's report.
    let rb = day(&client_for(&b), dir.path(), FetchOptions::new())
        .await
        .unwrap();
    assert!(rb.is_none());
    assert_eq!(a.orders_placed(), 1);
    assert_eq!(b.count(Endpoint::CreateReport), 1);
    // Another app key on the same server is another account.
    let other = sandbox_with(Scenario::Normal, |c| c.app_key = "other-app-key".into());
    day(&client_for(&other), dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.orders_placed(), 1);
}

#[tokio::test]
async fn concurrent_fetches_into_one_folder_place_one_order() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    let a = client_for(&sb);
    let b = client_for(&sb);
    let (ra, rb) = tokio::join!(
        a.fetch_report(ReportType::Day, dir.path()),
        b.fetch_report(ReportType::Day, dir.path())
    );
    assert_eq!(ra.unwrap().unwrap(), rb.unwrap().unwrap());
    assert_eq!(sb.orders_placed(), 1);
}

#[tokio::test]
async fn download_cleans_leftovers_of_any_order_under_the_lock() {
    let sb = sandbox(Scenario::Normal);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".JKDAY-1.zip.part-xyz"), "half").unwrap();
    std::fs::create_dir(dir.path().join(".JKWEEK-2.extracting-abc")).unwrap();
    let client = client_for(&sb);
    let order = client
        .create_report(ReportType::Day)
        .await
        .unwrap()
        .unwrap();
    client
        .wait_for_report(&order, Duration::from_secs(10))
        .await
        .unwrap();
    client.download_report(&order, dir.path()).await.unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            ".qcc-radar.lock".to_string(),
            order.to_string(),
            format!("{order}.zip")
        ]
    );
}

#[tokio::test]
async fn the_order_found_after_a_lost_answer_is_resumed_with_order_no() {
    let sb = sandbox(Scenario::LostAnswer);
    let dir = tempfile::tempdir().unwrap();
    let client = client_for(&sb);
    let e = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder);
    // The user finds the order in QCC's order list.
    let found: qcc_radar::OrderNo = sb.order_numbers()[0].parse().unwrap();
    let wrong_type = client
        .fetch_report_with(
            ReportType::Week,
            dir.path(),
            &FetchOptions::new().order_no(found.clone()),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong_type.kind(), ErrorKind::Config, "{wrong_type}");
    let both = day(
        &client,
        dir.path(),
        FetchOptions::new().order_no(found.clone()).new_order(true),
    )
    .await
    .unwrap_err();
    assert_eq!(both.kind(), ErrorKind::Config, "{both}");
    let report = day(
        &client,
        dir.path(),
        FetchOptions::new().order_no(found.clone()),
    )
    .await
    .unwrap()
    .expect("the found order's report");
    assert_eq!(report.order_no, found);
    // It is now the period's report: a plain re-run returns it and sends nothing.
    let again = day(&client, dir.path(), FetchOptions::new())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.order_no, found);
    assert_eq!(sb.count(Endpoint::CreateReport), 1);
}
