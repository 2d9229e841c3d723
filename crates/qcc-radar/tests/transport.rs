//! Retry rules at the wire: a billed order is never sent twice once it may have reached the
//! server, while safe calls retry; and bad configuration sends nothing.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use qcc_radar::{Client, ErrorKind, ReportType, RetryPolicy};

/// A server that answers every connection with HTTP 502 and an HTML page, counting them.
fn bad_gateway() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            let _ = write!(
                s,
                "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{addr}"), hits)
}

fn client(base: &str) -> Client {
    Client::builder()
        .app_key("k")
        .secret_key("s")
        .base_url(base)
        .retry_policy(RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(5),
            cap: Duration::from_millis(20),
            max_elapsed: Duration::from_secs(5),
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_report_is_not_retried_after_reaching_the_server() {
    let (base, hits) = bad_gateway();
    let e = client(&base)
        .create_report(ReportType::Day)
        .await
        .unwrap_err();
    // A 502 after the request went out: the order may exist, so it is unconfirmed, not a
    // transport failure that invites a retry.
    assert_eq!(e.kind(), ErrorKind::UnconfirmedOrder, "{e}");
    assert!(e.message().contains("502"), "{e}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "a billed order is sent once"
    );
}

#[tokio::test]
async fn report_info_retries_gateway_pages() {
    let (base, hits) = bad_gateway();
    let e = client(&base)
        .report_info(&"JKDAY-1".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.is_retryable());
    assert_eq!(hits.load(Ordering::SeqCst), 4, "all attempts used");
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    // Port 1 on loopback refuses connections: a failure before sending, retried then reported.
    let e = client("http://127.0.0.1:1")
        .create_report(ReportType::Day)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert!(e.message().contains("after 4 attempts"), "{e}");
}

#[test]
fn bad_configuration_is_a_config_error() {
    let e = Client::builder()
        .app_key("k")
        .secret_key("s")
        .base_url("pro.qcc.com")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("https://pro.qcc.com"), "{e}");

    let e = Client::builder()
        .app_key("k")
        .secret_key("s\n")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);

    let e = Client::builder()
        .app_key("k")
        .secret_key("s")
        .ca_file("/nonexistent/ca.pem")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, b"x").unwrap();
    let e = qcc_radar::prepare_out_dir(&file).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[tokio::test]
async fn blocking_client_works_inside_a_runtime() {
    // Called from a tokio worker thread, where Runtime::block_on would panic.
    let c = qcc_radar::blocking::Client::from_async(client("http://127.0.0.1:1"));
    let e = c.create_report(ReportType::Day).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
}
