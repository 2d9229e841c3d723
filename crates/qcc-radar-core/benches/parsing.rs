//! Response parsing: a getReportInfo body into a typed `ReportInfo`.
//!
//! The bodies are the sandbox's own answers (a `P`, and an `S` with a signed link). The floor
//! is what a hand-written client does: `serde_json::from_slice` into a `Value` and pick
//! `status`, `result.reportStatus` and `result.reportUrl`. Ours also tolerates the vendor's
//! variants (numeric status, capitalised keys, GBK bodies, wrapped links), validates the link
//! and reads its expiry. Run with `cargo bench -p qcc-radar-core --bench parsing`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use qcc_radar_core::{parse_create_report, parse_report_info, ReportStatus};
use serde_json::Value;

const PENDING: &[u8] = "{\"msg\":\"【有效请求】查询成功\",\"result\":{\"reportStatus\":\"P\",\"reportUrl\":null},\"status\":\"200\"}".as_bytes();
const READY: &[u8] = "{\"msg\":\"【有效请求】查询成功\",\"result\":{\"reportStatus\":\"S\",\"reportUrl\":\"http://127.0.0.1:32883/files/JKDAY-179592956167036070/%E9%A3%8E%E9%99%A9%E7%9B%91%E6%8E%A7%E6%97%A5%E6%8A%A5-JKDAY-179592956167036070.zip?Expires=1795929861&OSSAccessKeyId=SANDBOXKEY&Signature=6GvjaACbouh3CCocyNN5mw%3D%3D\"},\"status\":\"200\"}".as_bytes();
const ORDERED: &[u8] = "{\"msg\":\"【有效请求】查询成功\",\"result\":{\"orderNo\":\"JKDAY-179592956177443708\"},\"status\":\"200\"}".as_bytes();
const JSON: Option<&str> = Some("application/json; charset=utf-8");

/// The hand-written floor: a `Value`, three lookups, the link copied out.
fn serde_floor(body: &[u8]) -> Option<(char, Option<String>)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    if v.get("status")?.as_str()? != "200" {
        return None;
    }
    let result = v.get("result")?;
    let status = result.get("reportStatus")?.as_str()?.chars().next()?;
    let url = result
        .get("reportUrl")
        .and_then(Value::as_str)
        .map(str::to_string);
    Some((status, url))
}

fn parsing(c: &mut Criterion) {
    assert_eq!(
        parse_report_info(READY, JSON).expect("ready").status,
        ReportStatus::Succeeded
    );
    assert_eq!(serde_floor(READY).map(|(s, _)| s), Some('S'));
    assert!(parse_create_report(ORDERED, JSON).is_ok());

    let mut g = c.benchmark_group("parsing");
    g.bench_function("serde_floor_ready", |b| {
        b.iter(|| serde_floor(black_box(READY)))
    });
    g.bench_function("report_info_ready", |b| {
        b.iter(|| parse_report_info(black_box(READY), JSON))
    });
    g.bench_function("serde_floor_pending", |b| {
        b.iter(|| serde_floor(black_box(PENDING)))
    });
    g.bench_function("report_info_pending", |b| {
        b.iter(|| parse_report_info(black_box(PENDING), JSON))
    });
    g.bench_function("create_report_ordered", |b| {
        b.iter(|| parse_create_report(black_box(ORDERED), JSON))
    });
    g.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
