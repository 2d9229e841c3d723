//! A rough throughput check of getReportInfo against an in-process sandbox.
//!
//! ```text
//! cargo run --release -p qcc-radar-sandbox --example load -- [SECONDS] [CONNECTIONS]
//! ```
//!
//! Each connection is a keep-alive HTTP/1.1 stream on 127.0.0.1 sending signed getReportInfo
//! requests for one ready order (so every answer is an `S` with a freshly signed link, the
//! costliest answer). The load generator shares the machine with the sandbox, so the figure is
//! a floor. Bounded: it stops after SECONDS (default 3, at most 60).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use qcc_radar_core::{
    parse_create_report, ApiRequest, BaseUrl, CreateReportOutcome, Credentials, ReportType,
};
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Sends `req` on `stream` and reads one answer; returns its body.
fn round_trip(stream: &mut BufReader<TcpStream>, req: &ApiRequest) -> Vec<u8> {
    let target = req.url.split_once("//").map_or("", |(_, r)| r);
    let target = &target[target.find('/').unwrap_or(0)..];
    let mut text = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (k, v) in &req.headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    stream.get_mut().write_all(text.as_bytes()).expect("send");
    let mut len = 0usize;
    let mut line = String::new();
    loop {
        line.clear();
        stream.read_line(&mut line).expect("read head");
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().expect("length");
            }
        }
    }
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).expect("read body");
    body
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .min(60);
    let connections: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4)
        .clamp(1, 64);
    let sandbox = Sandbox::start_with(SandboxConfig {
        polls_until_ready: 0,
        ..SandboxConfig::new(Scenario::Normal)
    })
    .expect("start the sandbox");
    let base = BaseUrl::parse(&sandbox.base_url()).expect("base URL");
    let creds = Credentials::new(sandbox.app_key(), sandbox.secret_key()).expect("credentials");
    let port = sandbox.port();

    let mut first = BufReader::new(TcpStream::connect(("127.0.0.1", port)).expect("connect"));
    let body = round_trip(
        &mut first,
        &ApiRequest::create_report(&base, &creds, ReportType::Day, now()),
    );
    let CreateReportOutcome::Ordered(order) = parse_create_report(&body, None).expect("order")
    else {
        panic!("no order placed");
    };

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let total: usize = std::thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let (base, creds, order) = (&base, &creds, &order);
                s.spawn(move || {
                    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                    stream.set_nodelay(true).ok();
                    let mut stream = BufReader::new(stream);
                    let mut n = 0usize;
                    let mut ts = now();
                    let mut req = ApiRequest::report_info(base, creds, order, ts);
                    while Instant::now() < deadline {
                        if now() != ts {
                            ts = now();
                            req = ApiRequest::report_info(base, creds, order, ts);
                        }
                        let body = round_trip(&mut stream, &req);
                        assert!(body.starts_with(b"{\"msg\"") || body.starts_with(b"{\"status\""));
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().expect("worker")).sum()
    });
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{total} getReportInfo answers in {elapsed:.2} s over {connections} connections: {:.0} per second (sandbox counted {})",
        total as f64 / elapsed,
        sandbox.count(Endpoint::GetReportInfo)
    );
}
