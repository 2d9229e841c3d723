//! Starting and stopping: from sync code, inside tokio runtimes, with connections left open.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use qcc_radar_core::ReportType;
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

#[test]
fn sandbox_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Sandbox>();
}

#[test]
fn defaults() {
    let c = SandboxConfig::default();
    assert_eq!(c.scenario, Scenario::Normal);
    assert_eq!(c.app_key, "sandbox-app-key");
    assert_eq!(c.secret_key, "sandbox-secret-key");
    assert_eq!(c.polls_until_ready, 2);
    assert_eq!(c.slow_ready_after, Duration::from_secs(5));
    assert_eq!(c.link_ttl, Duration::from_secs(300));
    assert_eq!(c.timespan_window, Duration::from_secs(300));
    assert_eq!(c.clock_skew, Duration::from_secs(900));
    assert_eq!(c.large_bytes, 64 * 1024 * 1024);
    assert_eq!(c.port, 0);
    assert_eq!(
        SandboxConfig::new(Scenario::Flaky).scenario,
        Scenario::Flaky
    );
    let names: Vec<_> = Scenario::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "normal",
            "no_change",
            "fail",
            "slow",
            "flaky",
            "expired_link",
            "quota",
            "bad_credentials",
            "unsafe_archive",
            "zip_bomb",
            "clock_skew",
            "large",
            "lost_answer",
            "create_hangs",
            "stall",
            "colliding_names",
            "encrypted",
            "encrypted_aes",
            "encrypted_no_password",
            "tables"
        ]
    );
    let e = "nope".parse::<Scenario>().unwrap_err().to_string();
    assert!(e.contains("expired_link") && e.contains("zip_bomb"), "{e}");
}

#[test]
fn base_url_and_credentials() {
    let config = SandboxConfig {
        app_key: "k1".into(),
        secret_key: "s1".into(),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start_with(config).unwrap();
    assert!(sb.base_url().starts_with("http://127.0.0.1:"));
    assert_eq!(sb.base_url(), format!("http://127.0.0.1:{}", sb.port()));
    assert_eq!(sb.app_key(), "k1");
    assert_eq!(sb.secret_key(), "s1");
    let r = create(&sb, ReportType::Day);
    assert_eq!(api_status(&r), "200");
}

#[test]
fn shutdown_frees_the_port_even_with_idle_connections() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let port = sb.port();
    // A keep-alive connection left open, as a pooled client leaves it.
    let mut idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    idle.write_all(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).unwrap();
    assert!(std::str::from_utf8(&buf[..n])
        .unwrap()
        .starts_with("HTTP/1.1 404"));
    let t = Instant::now();
    sb.shutdown();
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
    // The connection is closed and the port can be taken again.
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert!(matches!(idle.read(&mut buf), Ok(0) | Err(_)));
    let again = Sandbox::start_with(SandboxConfig {
        port,
        ..SandboxConfig::default()
    })
    .unwrap();
    assert_eq!(again.port(), port);
}

#[test]
fn a_taken_port_is_an_error() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let clash = Sandbox::start_with(SandboxConfig {
        port: sb.port(),
        ..SandboxConfig::default()
    });
    assert!(clash.is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn starts_and_stops_inside_a_current_thread_runtime() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let url = sb.base_url();
    // Blocking I/O from the test's own thread, while the sandbox serves from its own.
    let r = tokio::task::spawn_blocking(move || http("GET", &format!("{url}/x"), &[]))
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    drop(sb);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_and_stops_inside_a_multi_thread_runtime() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", sb.port()))
        .await
        .unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    assert!(out.starts_with(b"HTTP/1.1 404"));
    assert_eq!(sb.count(Endpoint::Other), 1);
    sb.shutdown();
}

#[test]
fn many_sandboxes_at_once() {
    let sandboxes: Vec<_> = (0..8)
        .map(|_| Sandbox::start(Scenario::Normal).unwrap())
        .collect();
    let mut ports: Vec<_> = sandboxes.iter().map(Sandbox::port).collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), 8);
    std::thread::scope(|s| {
        for sb in &sandboxes {
            s.spawn(move || {
                let o = order(sb, ReportType::Day);
                wait_ready(sb, &o, 5);
                assert_eq!(sb.orders_placed(), 1);
            });
        }
    });
}

#[test]
fn debug_shows_url_not_secret() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let shown = format!("{sb:?}");
    assert!(shown.contains(&sb.base_url()), "{shown}");
    assert!(!shown.contains(sb.secret_key()), "{shown}");
}
