//! Signing: what each API call pays before anything is sent.
//!
//! `sign` (the public helper) and `Credentials::sign` are measured against the floor: the MD5
//! of the same concatenation written straight into an upper-case hex buffer. Building a whole
//! signed getReportInfo request (URL encoding included) shows the full per-call preparation.
//! Run with `cargo bench -p qcc-radar-core --bench signing`; `bench/run.sh` reads the medians
//! from `target/criterion/`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use md5::{Digest, Md5};
use qcc_radar_core::{sign, ApiRequest, BaseUrl, Credentials, OrderNo};

const APP_KEY: &str = "sandbox-app-key";
const SECRET: &str = "sandbox-secret-key";
const TIMESPAN: u64 = 1_700_000_000;

/// The least any signer can do: one MD5 over the three parts, hex-encoded by table.
fn md5_floor(app_key: &str, timespan: u64, secret: &str) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut h = Md5::new();
    h.update(app_key.as_bytes());
    h.update(timespan.to_string().as_bytes());
    h.update(secret.as_bytes());
    let digest = h.finalize();
    let mut out = [0u8; 32];
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX[usize::from(b >> 4)];
        out[2 * i + 1] = HEX[usize::from(b & 15)];
    }
    out
}

fn signing(c: &mut Criterion) {
    let creds = Credentials::new(APP_KEY, SECRET).expect("credentials");
    let base = BaseUrl::parse("https://pro.qcc.com").expect("base URL");
    let order = OrderNo::new("JKDAY-167660123348194027").expect("order number");
    assert_eq!(
        sign(APP_KEY, TIMESPAN, SECRET).as_bytes(),
        &md5_floor(APP_KEY, TIMESPAN, SECRET)[..],
        "the floor must compute the same Token"
    );

    let mut g = c.benchmark_group("signing");
    g.bench_function("md5_floor", |b| {
        b.iter(|| md5_floor(black_box(APP_KEY), black_box(TIMESPAN), black_box(SECRET)))
    });
    g.bench_function("sign", |b| {
        b.iter(|| sign(black_box(APP_KEY), black_box(TIMESPAN), black_box(SECRET)))
    });
    g.bench_function("credentials_sign", |b| {
        b.iter(|| black_box(&creds).sign(black_box(TIMESPAN)))
    });
    g.bench_function("report_info_request", |b| {
        b.iter(|| ApiRequest::report_info(&base, black_box(&creds), &order, black_box(TIMESPAN)))
    });
    g.finish();
}

criterion_group!(benches, signing);
criterion_main!(benches);
