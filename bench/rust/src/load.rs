//! A raw keep-alive load generator for the sandbox's getReportInfo, used when `wrk` is not
//! installed.
//!
//! Each connection is a blocking HTTP/1.1 stream on its own thread that sends one signed
//! request, reads one answer (by Content-Length) and checks it is a `"200"` envelope, as fast
//! as the server answers. The request bytes are rebuilt when the second changes, so the
//! Timespan stays fresh. Client and server share the machine, so the figure is a floor.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};

use crate::Target;

/// What the run saw.
pub struct Outcome {
    answers: u64,
    bad: u64,
    seconds: f64,
    connections: usize,
}

impl Outcome {
    /// One JSON object.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "answers": self.answers,
            "bad": self.bad,
            "seconds": self.seconds,
            "connections": self.connections,
            "per_second": self.answers as f64 / self.seconds,
        })
        .to_string()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn request(t: &Target, host: &str, order: &str, ts: u64) -> Vec<u8> {
    let token = format!(
        "{:X}",
        Md5::digest(format!("{}{ts}{}", t.app_key, t.secret_key).as_bytes())
    );
    format!(
        "GET /api/radar_ext/getReportInfo?key={}&orderNo={order} HTTP/1.1\r\nHost: {host}\r\nToken: {token}\r\nTimespan: {ts}\r\n\r\n",
        t.app_key
    )
    .into_bytes()
}

/// Reads one answer's body.
fn answer(stream: &mut BufReader<TcpStream>, line: &mut String) -> Result<Vec<u8>, String> {
    let mut len = None;
    loop {
        line.clear();
        let n = stream.read_line(line).map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed".to_string());
        }
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.trim().parse::<usize>().ok();
            }
        }
    }
    let mut body = vec![0u8; len.ok_or("an answer without Content-Length")?];
    stream
        .read_exact(&mut body)
        .map_err(|e| format!("read: {e}"))?;
    Ok(body)
}

fn connection(t: &Target, order: &str, deadline: Instant) -> Result<(u64, u64), String> {
    let host = t
        .base_url
        .strip_prefix("http://")
        .ok_or("the load generator speaks plain http only")?;
    let stream = TcpStream::connect(host).map_err(|e| format!("connect {host}: {e}"))?;
    stream.set_nodelay(true).ok();
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut stream = BufReader::new(stream);
    let (mut ts, mut line) = (now(), String::new());
    let mut req = request(t, host, order, ts);
    let (mut answers, mut bad) = (0u64, 0u64);
    while Instant::now() < deadline {
        if now() != ts {
            ts = now();
            req = request(t, host, order, ts);
        }
        stream
            .get_mut()
            .write_all(&req)
            .map_err(|e| format!("send: {e}"))?;
        let body = answer(&mut stream, &mut line)?;
        answers += 1;
        if !body.windows(14).any(|w| w == b"\"status\":\"200\"") {
            bad += 1;
        }
    }
    Ok((answers, bad))
}

/// `connections` connections for `secs`.
pub fn run(t: &Target, order: &str, secs: Duration, connections: usize) -> Result<Outcome, String> {
    let started = Instant::now();
    let deadline = started + secs;
    let results: Vec<Result<(u64, u64), String>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..connections)
            .map(|_| s.spawn(|| connection(t, order, deadline)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err("a worker panicked".to_string()))
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let (mut answers, mut bad) = (0, 0);
    for r in results {
        let (a, b) = r?;
        answers += a;
        bad += b;
    }
    Ok(Outcome {
        answers,
        bad,
        seconds,
        connections,
    })
}
