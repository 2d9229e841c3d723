//! Encrypted reports against the sandbox: ZipCrypto and AES archives decrypted with getReportInfo's
//! `unzipPassword` or the `unzip_password` setting; without a password (or with a wrong one) the
//! archive is kept as `<orderNo>.zip` and a re-run with the password extracts it without a new
//! order or a second download. The password never shows in an error.

use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;

use common::{builder_for, names};
use qcc_radar::{Client, ErrorKind, ReportType};
use qcc_radar_sandbox::{Endpoint, Sandbox, Scenario, UNZIP_PASSWORD};

/// Every file under `dir` as (path relative to `dir`, contents), sorted.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The files of the `normal` scenario's report, to compare an encrypted one with.
async fn normal_files() -> Vec<(PathBuf, Vec<u8>)> {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = builder_for(&sb)
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("a report");
    contents(&report.folder)
}

fn assert_secret_free(e: &qcc_radar::Error) {
    let shown = format!("{e} {e:?} {}", e.message());
    assert!(!shown.contains(UNZIP_PASSWORD), "{shown}");
}

#[tokio::test]
async fn zipcrypto_and_aes_reports_are_decrypted_with_the_answers_password() {
    let expected = normal_files().await;
    for scenario in [Scenario::Encrypted, Scenario::EncryptedAes] {
        let sb = Sandbox::start(scenario).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let report = builder_for(&sb)
            .build()
            .unwrap()
            .fetch_report(ReportType::Day, dir.path())
            .await
            .unwrap_or_else(|e| panic!("{scenario}: {e}"))
            .expect("a report");
        assert_eq!(contents(&report.folder), expected, "{scenario}");
        assert!(report.archive.is_file(), "{scenario}");
        assert_eq!(sb.orders_placed(), 1);
        assert_eq!(sb.count(Endpoint::Download), 1);
        // The answer's password wins over a wrong setting.
        let dir = tempfile::tempdir().unwrap();
        builder_for(&sb)
            .unzip_password("not the password")
            .build()
            .unwrap()
            .fetch_report(ReportType::Week, dir.path())
            .await
            .unwrap_or_else(|e| panic!("{scenario}: {e}"))
            .expect("a report");
    }
}

#[tokio::test]
async fn without_a_password_the_archive_is_kept_and_a_rerun_with_one_extracts_it() {
    let sb = Sandbox::start(Scenario::EncryptedNoPassword).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = builder_for(&sb)
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert_eq!(e.kind().exit_code(), 7);
    let order = e.order_no().expect("the error carries the order").clone();
    let kept = dir.path().join(format!("{order}.zip"));
    assert_eq!(names(dir.path()), vec![format!("{order}.zip")]);
    assert!(kept.is_file());
    let m = e.message();
    assert!(m.contains("encrypted") && m.contains("password"), "{m}");
    assert!(m.contains(&kept.display().to_string()), "{m}");
    assert!(
        m.contains("unzip_password") && m.contains("--unzip-password-file"),
        "{m}"
    );
    assert_secret_free(&e);
    assert_eq!(sb.orders_placed(), 1);
    assert_eq!(sb.count(Endpoint::Download), 1);

    // A wrong password: the same, saying so; still nothing extracted, still no new download.
    let e = builder_for(&sb)
        .unzip_password("not the password")
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert_eq!(e.order_no(), Some(&order));
    assert!(e.message().contains("does not open"), "{e}");
    assert!(!e.to_string().contains("not the password"), "{e}");
    assert_eq!(names(dir.path()), vec![format!("{order}.zip")]);

    // With the password, the ledger resumes the order and the kept archive is extracted.
    let report = builder_for(&sb)
        .unzip_password(UNZIP_PASSWORD)
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("a report");
    assert_eq!(report.order_no, order);
    assert_eq!(report.archive, kept);
    assert_eq!(contents(&report.folder), normal_files().await);
    assert_eq!(sb.orders_placed(), 1, "no second order");
    assert_eq!(
        sb.count(Endpoint::CreateReport),
        1,
        "no second createReport"
    );
    assert_eq!(sb.count(Endpoint::Download), 1, "no second download");
    assert_eq!(
        names(dir.path()),
        vec![order.to_string(), format!("{order}.zip")]
    );
    // And now the period is done: nothing more is sent.
    let before = sb.requests().len();
    builder_for(&sb)
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap()
        .expect("the same report");
    assert_eq!(sb.requests().len(), before);
}

#[tokio::test]
async fn download_of_an_encrypted_order_keeps_it_and_extracts_it_with_the_setting() {
    let sb = Sandbox::start(Scenario::EncryptedNoPassword).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = builder_for(&sb).build().unwrap();
    let order = client
        .create_report(ReportType::Month)
        .await
        .unwrap()
        .unwrap();
    client
        .wait_for_report(&order, Duration::from_secs(10))
        .await
        .unwrap();
    let e = client
        .download_report(&order, dir.path())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
    assert_eq!(e.order_no(), Some(&order));
    assert_secret_free(&e);
    assert_eq!(names(dir.path()), vec![format!("{order}.zip")]);
    let report = builder_for(&sb)
        .unzip_password(UNZIP_PASSWORD)
        .build()
        .unwrap()
        .download_report(&order, dir.path())
        .await
        .unwrap();
    assert!(!report.files.is_empty());
    assert_eq!(sb.count(Endpoint::Download), 1, "the kept archive was used");
}

#[test]
fn the_builder_and_the_client_never_show_the_password() {
    let b = Client::builder()
        .app_key("k")
        .secret_key("s")
        .unzip_password("hunter2 pw");
    let shown = format!("{b:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let c = b.build().unwrap();
    assert!(!format!("{c:?}").contains("hunter2"));
}

/// The blocking `extract_zip` refuses an encrypted archive with a password error, and
/// `extract_zip_with_password` opens it.
#[tokio::test]
async fn extract_zip_with_and_without_the_password() {
    let sb = Sandbox::start(Scenario::EncryptedNoPassword).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let e = builder_for(&sb)
        .build()
        .unwrap()
        .fetch_report(ReportType::Day, dir.path())
        .await
        .unwrap_err();
    let order = e.order_no().unwrap().clone();
    let kept = dir.path().join(format!("{order}.zip"));
    let out = tempfile::tempdir().unwrap();
    let limits = qcc_radar::ArchiveLimits::default();
    let (k, o, l) = (kept.clone(), out.path().to_path_buf(), limits);
    let order2 = order.clone();
    let e =
        tokio::task::spawn_blocking(move || qcc_radar::extract::extract_zip(&k, &o, &order2, &l))
            .await
            .unwrap()
            .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Archive);
    assert!(e.message().contains("password"), "{e}");
    assert!(std::fs::read_dir(out.path()).unwrap().next().is_none());
    let o = out.path().to_path_buf();
    let (folder, files) = tokio::task::spawn_blocking(move || {
        let pw = qcc_radar::UnzipPassword::new(UNZIP_PASSWORD);
        qcc_radar::extract::extract_zip_with_password(&kept, &o, &order, &limits, Some(&pw))
    })
    .await
    .unwrap()
    .unwrap();
    assert!(folder.is_dir() && files.len() == 4, "{files:?}");
}
