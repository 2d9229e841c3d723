//! The shared fault matrix (`tests/fault-matrix.json`), run against the Rust client.
//!
//! Every front end of qcc-radar reads the same table of sandbox scenarios, operations and
//! expected outcomes, so that the CLI and each binding are held to the behaviour this crate
//! gives. This runner checks each case's outcome, error kind and code, the CLI exit status the
//! kind maps to, the orders the sandbox saw placed, and what is left on disk; it also checks
//! that the secret key appears in no error, no `Debug` output, no log line (every `tracing`
//! event at trace level is captured) and no file written. The format is described in
//! `tests/fault_matrix/README.md`.
//!
//! The secret is `QCC_LEAK_SECRET` when set (the leak scan sets it), so the scan can look for
//! it in this suite's output too; with `QCC_LEAK_SCAN_DIR` set, every case's folder is kept
//! under `<dir>/rust-fault-matrix/<id>/` and the captured log under
//! `<dir>/rust-fault-matrix/trace.log`, for the scan to read. `QCC_FAULT_MATRIX_ONLY=id,id`
//! runs only those cases.
//!
//! A small JSON reader is included below (written when the crate had no JSON dependency); it
//! reads standard JSON (RFC 8259) and is only used on the matrix.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qcc_radar::{Client, Error, FetchOptions, OrderNo, PollSchedule, ReportType};
use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

/// The secret the sandboxes and clients use unless `QCC_LEAK_SECRET` names another.
const DEFAULT_SECRET: &str = "fault-matrix-SECRET-5d1e9b";
/// The app key the sandboxes hand out.
const APP_KEY: &str = "fault-matrix-app-key";

/// Where the leak scan wants this suite's files, if it is running.
fn scan_dir() -> Option<PathBuf> {
    std::env::var_os("QCC_LEAK_SCAN_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| PathBuf::from(d).join("rust-fault-matrix"))
}

/// A case's working folder: kept for the leak scan, else temporary.
fn case_dir(id: &str) -> (PathBuf, Option<tempfile::TempDir>) {
    match scan_dir() {
        Some(d) => {
            let dir = d.join(id);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("the scan folder is writable");
            (dir, None)
        }
        None => {
            let t = tempfile::tempdir().expect("a temporary folder");
            (t.path().to_path_buf(), Some(t))
        }
    }
}

fn secret() -> String {
    std::env::var("QCC_LEAK_SECRET")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| DEFAULT_SECRET.to_string())
}

// ---------------------------------------------------------------------------------------------
// A minimal JSON reader.

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(BTreeMap<String, Json>),
}

impl Json {
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(m) => m.get(key).unwrap_or(&Json::Null),
            _ => &Json::Null,
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    fn u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) if *n >= 0.0 && n.fract() == 0.0 => Some(*n as u64),
            _ => None,
        }
    }

    fn i64(&self) -> Option<i64> {
        match self {
            Json::Num(n) if n.fract() == 0.0 => Some(*n as i64),
            _ => None,
        }
    }

    fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(v) => v,
            _ => &[],
        }
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn parse(text: &str) -> Result<Json, String> {
        let mut r = Reader {
            s: text.as_bytes(),
            i: 0,
        };
        let v = r.value()?;
        r.ws();
        if r.i != r.s.len() {
            return Err(format!("trailing characters at byte {}", r.i));
        }
        Ok(v)
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> Result<(), String> {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            Ok(())
        } else {
            Err(format!("expected {lit:?} at byte {}", self.i))
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.s.get(self.i) {
            None => Err("unexpected end".into()),
            Some(b'n') => self.eat("null").map(|()| Json::Null),
            Some(b't') => self.eat("true").map(|()| Json::Bool(true)),
            Some(b'f') => self.eat("false").map(|()| Json::Bool(false)),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value()?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Arr(items));
                        }
                        _ => return Err(format!("expected ',' or ']' at byte {}", self.i)),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut map = BTreeMap::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(map));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    self.eat(":")?;
                    let v = self.value()?;
                    map.insert(k, v);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Obj(map));
                        }
                        _ => return Err(format!("expected ',' or '}}' at byte {}", self.i)),
                    }
                }
            }
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                text.parse::<f64>()
                    .map(Json::Num)
                    .map_err(|_| format!("bad value at byte {start}"))
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|t| u32::from_str_radix(t, 16).ok())
            .ok_or_else(|| format!("bad \\u escape at byte {}", self.i))?;
        self.i += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat("\"")?;
        let mut out = Vec::new();
        loop {
            let Some(&b) = self.s.get(self.i) else {
                return Err("unterminated string".into());
            };
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else {
                        return Err("unterminated escape".into());
                    };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.eat("\\u")?;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or("bad code point")?
                        }
                        _ => return Err(format!("bad escape at byte {}", self.i)),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(b),
            }
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }
}

#[test]
fn the_json_reader_reads_what_it_must() {
    let v =
        Reader::parse(r#" {"a": [1, -2.5e1, true, null], "b": "x\"\u00e9\ud83d\ude00", "c": {}} "#)
            .unwrap();
    assert_eq!(v.get("a").arr().len(), 4);
    assert_eq!(v.get("a").arr()[1], Json::Num(-25.0));
    assert_eq!(v.get("b").str(), Some("x\"é😀"));
    assert_eq!(v.get("c"), &Json::Obj(BTreeMap::new()));
    assert!(Reader::parse("{\"a\": 1,}").is_err());
    assert!(Reader::parse("[1] x").is_err());
}

// ---------------------------------------------------------------------------------------------
// Every tracing event, captured (and echoed to stderr when RUST_LOG is set).

mod capture {
    use std::collections::BTreeMap;
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Mutex, Once};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// Every event's line.
    static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());
    /// Every span's name and fields (they are part of what a log line shows).
    static SPANS: Mutex<BTreeMap<u64, String>> = Mutex::new(BTreeMap::new());
    static NEXT: AtomicU64 = AtomicU64::new(1);

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            let _ = write!(self.0, " {}={}", field.name(), value);
        }
    }

    /// A subscriber that keeps everything, at every level, and echoes it to stderr when
    /// `RUST_LOG` is set.
    struct Capture {
        echo: bool,
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attrs: &Attributes<'_>) -> Id {
            let id = NEXT.fetch_add(1, Ordering::Relaxed);
            let mut f = Fields(attrs.metadata().name().to_string());
            attrs.record(&mut f);
            SPANS.lock().unwrap().insert(id, f.0);
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut f = Fields(String::new());
            values.record(&mut f);
            if let Some(s) = SPANS.lock().unwrap().get_mut(&span.into_u64()) {
                s.push_str(&f.0);
            }
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let m = event.metadata();
            let mut f = Fields(format!("{} {}:", m.level(), m.target()));
            event.record(&mut f);
            if self.echo {
                eprintln!("{}", f.0);
            }
            LINES.lock().unwrap().push(f.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    /// Installs the capture as the process's subscriber (once).
    pub fn install() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let echo = std::env::var_os("RUST_LOG").is_some();
            tracing::subscriber::set_global_default(Capture { echo }).expect("no other subscriber");
        });
    }

    /// Everything captured so far, events then spans.
    pub fn text() -> String {
        let mut all = LINES.lock().unwrap().join("\n");
        for s in SPANS.lock().unwrap().values() {
            all.push('\n');
            all.push_str(s);
        }
        all
    }
}

// ---------------------------------------------------------------------------------------------
// The matrix.

struct Matrix {
    report_type: String,
    poll: Duration,
    wait_timeout: Duration,
    /// Names any front end may leave in the out folder (the ledger and the lock).
    bookkeeping: BTreeSet<String>,
    cases: Vec<Json>,
}

fn matrix_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fault-matrix.json")
}

fn load() -> Matrix {
    let text = std::fs::read_to_string(matrix_path()).expect("tests/fault-matrix.json is readable");
    let doc = Reader::parse(&text).expect("tests/fault-matrix.json is JSON");
    assert_eq!(doc.get("format").str(), Some("qcc-radar-fault-matrix"));
    assert_eq!(
        doc.get("version").u64(),
        Some(2),
        "a matrix version this runner reads"
    );
    let d = doc.get("defaults");
    Matrix {
        report_type: d.get("report_type").str().unwrap_or("day").to_string(),
        poll: Duration::from_millis(d.get("poll_ms").u64().unwrap_or(20)),
        wait_timeout: Duration::from_millis(d.get("wait_timeout_ms").u64().unwrap_or(20_000)),
        bookkeeping: doc
            .get("bookkeeping")
            .arr()
            .iter()
            .filter_map(|n| n.str().map(str::to_string))
            .collect(),
        cases: doc.get("cases").arr().to_vec(),
    }
}

/// What an operation gave.
#[derive(Debug, Default)]
struct Got {
    outcome: &'static str,
    error: Option<Error>,
    report_status: Option<String>,
    order_no: Option<String>,
    /// `(archive, folder, files)` of a report.
    report: Option<(PathBuf, PathBuf, Vec<PathBuf>)>,
}

impl Got {
    fn error(e: Error) -> Got {
        Got {
            outcome: "error",
            error: Some(e),
            ..Got::default()
        }
    }
}

fn sandbox_for(spec: &Json, secret: &str) -> Result<Sandbox, String> {
    let name = spec
        .get("scenario")
        .str()
        .ok_or("sandbox without a scenario")?;
    let scenario: Scenario = name.parse().map_err(|e| format!("{e}"))?;
    let mut config = SandboxConfig::new(scenario);
    config.app_key = APP_KEY.to_string();
    config.secret_key = secret.to_string();
    if let Some(n) = spec.get("polls_until_ready").u64() {
        config.polls_until_ready = n as u32;
    }
    if let Some(ms) = spec.get("slow_ready_after_ms").u64() {
        config.slow_ready_after = Duration::from_millis(ms);
    }
    if let Some(ms) = spec.get("link_ttl_ms").u64() {
        config.link_ttl = Duration::from_millis(ms);
    }
    if let Some(n) = spec.get("large_bytes").u64() {
        config.large_bytes = n;
    }
    Sandbox::start_with(config).map_err(|e| format!("the sandbox did not start: {e}"))
}

fn report_got(r: qcc_radar::Report) -> Got {
    Got {
        outcome: "ok",
        order_no: Some(r.order_no.to_string()),
        report: Some((r.archive, r.folder, r.files)),
        ..Got::default()
    }
}

/// Runs the case's operation; `Err` is a precondition that failed (not an outcome).
async fn operate(m: &Matrix, case: &Json, client: &Client, out: &Path) -> Result<Got, String> {
    let args = case.get("args");
    let report_type_text = args.get("report_type").str().unwrap_or(&m.report_type);
    let timeout = args
        .get("timeout_ms")
        .u64()
        .map(Duration::from_millis)
        .unwrap_or(m.wait_timeout);
    let order = || async {
        match args.get("order_no").str() {
            Some("$created") => {
                let t: ReportType = report_type_text.parse().map_err(|e| format!("{e}"))?;
                match client.create_report(t).await {
                    Ok(Some(o)) => Ok(Ok(o)),
                    other => Err(format!("the order to work on was not placed: {other:?}")),
                }
            }
            Some(text) => Ok(text.parse::<OrderNo>()),
            None => Err("no order_no argument".to_string()),
        }
    };
    let op = case.get("operation").str().unwrap_or("");
    Ok(match op {
        "fetch" => match report_type_text.parse::<ReportType>() {
            Err(e) => Got::error(e),
            Ok(t) => match client
                .fetch_report_with(
                    t,
                    out,
                    &FetchOptions::new()
                        .timeout(timeout)
                        .new_order(args.get("new_order") == &Json::Bool(true)),
                )
                .await
            {
                Ok(Some(r)) => report_got(r),
                Ok(None) => Got {
                    outcome: "no_change",
                    ..Got::default()
                },
                Err(e) => Got::error(e),
            },
        },
        "create" => match report_type_text.parse::<ReportType>() {
            Err(e) => Got::error(e),
            Ok(t) => match client.create_report(t).await {
                Ok(Some(o)) => Got {
                    outcome: "ok",
                    order_no: Some(o.to_string()),
                    ..Got::default()
                },
                Ok(None) => Got {
                    outcome: "no_change",
                    ..Got::default()
                },
                Err(e) => Got::error(e),
            },
        },
        "status" | "wait" | "download" => match order().await? {
            Err(e) => Got::error(e),
            Ok(o) => {
                let answer = match op {
                    "status" => client.report_info(&o).await.map(|i| (Some(i), None)),
                    "wait" => client
                        .wait_for_report(&o, timeout)
                        .await
                        .map(|i| (Some(i), None)),
                    _ => client
                        .download_report(&o, out)
                        .await
                        .map(|r| (None, Some(r))),
                };
                match answer {
                    Ok((_, Some(r))) => report_got(r),
                    Ok((Some(info), None)) => Got {
                        outcome: "ok",
                        order_no: Some(o.to_string()),
                        report_status: Some(info.status.as_letter().to_string()),
                        ..Got::default()
                    },
                    Ok((None, None)) => unreachable!(),
                    Err(e) => Got::error(e),
                }
            }
        },
        other => return Err(format!("unknown operation {other:?}")),
    })
}

/// Names directly in `dir` (none when it does not exist).
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every file under `dir`, recursively.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Names directly in the out folder, but the bookkeeping a front end may keep there.
fn report_names(m: &Matrix, out: &Path) -> BTreeSet<String> {
    names(out)
        .into_iter()
        .filter(|n| !m.bookkeeping.contains(n))
        .collect()
}

/// Compares what a step gave with its expectations; returns every difference.
fn judge(
    m: &Matrix,
    step: &Json,
    got: &Got,
    sandbox: Option<&Sandbox>,
    parent: &Path,
    out: &Path,
) -> Vec<String> {
    let x = step.get("expect");
    let mut bad = Vec::new();
    let want_outcome = x.get("outcome").str().unwrap_or("?");
    if got.outcome != want_outcome {
        bad.push(format!(
            "outcome {} (error: {:?}), expected {want_outcome}",
            got.outcome,
            got.error.as_ref().map(|e| e.to_string())
        ));
    }
    let kind = got.error.as_ref().map(|e| e.kind().as_str());
    if kind != x.get("kind").str() {
        bad.push(format!("kind {kind:?}, expected {:?}", x.get("kind").str()));
    }
    let code = got.error.as_ref().and_then(|e| e.code()).map(i64::from);
    if code != x.get("code").i64() {
        bad.push(format!("code {code:?}, expected {:?}", x.get("code").i64()));
    }
    let exit = got
        .error
        .as_ref()
        .map(|e| e.kind().exit_code())
        .unwrap_or(0);
    if Some(i64::from(exit)) != x.get("exit_status").i64() {
        bad.push(format!(
            "the kind maps to exit status {exit}, the matrix says {:?}",
            x.get("exit_status").i64()
        ));
    }
    if let Some(want) = x.get("orders_placed").u64() {
        let placed = sandbox.map(|s| s.orders_placed() as u64);
        if placed != Some(want) {
            bad.push(format!("{placed:?} orders placed, expected {want}"));
        }
    }
    if let Some(want) = x.get("report_status").str() {
        if got.report_status.as_deref() != Some(want) {
            bad.push(format!(
                "report status {:?}, expected {want}",
                got.report_status
            ));
        }
    }
    if let Json::Bool(want) = x.get("error_order_no") {
        let carried = got.error.as_ref().and_then(|e| e.order_no());
        if carried.is_some() != *want {
            bad.push(format!(
                "the error carries order {carried:?}, expected {}",
                if *want { "one" } else { "none" }
            ));
        }
    }
    if let Some(prefix) = x.get("order_no_prefix").str() {
        if !got.order_no.as_deref().unwrap_or("").starts_with(prefix) {
            bad.push(format!(
                "order {:?}, expected a {prefix}… number",
                got.order_no
            ));
        }
    }
    // Nothing may stand beside the out folder: an escape would land there.
    let beside: BTreeSet<String> = names(parent).into_iter().filter(|n| n != "out").collect();
    if !beside.is_empty() {
        bad.push(format!("written beside the out folder: {beside:?}"));
    }
    match x.get("files").str() {
        Some("report") => match &got.report {
            None => bad.push("no report on disk".into()),
            Some((archive, folder, files)) => {
                let order = got.order_no.clone().unwrap_or_default();
                let want: BTreeSet<String> = [format!("{order}.zip"), order.clone()].into();
                if report_names(m, out) != want {
                    bad.push(format!(
                        "the out folder holds {:?}, expected {want:?}",
                        report_names(m, out)
                    ));
                }
                if *archive != out.join(format!("{order}.zip")) || !archive.is_file() {
                    bad.push(format!("archive {}", archive.display()));
                }
                if *folder != out.join(&order) {
                    bad.push(format!("folder {}", folder.display()));
                }
                let mut on_disk = all_files(folder);
                on_disk.sort();
                if files.is_empty() || on_disk != *files {
                    bad.push(format!("files {files:?}, on disk {on_disk:?}"));
                }
            }
        },
        Some("none") if !report_names(m, out).is_empty() => {
            bad.push(format!("left on disk: {:?}", report_names(m, out)));
        }
        _ => {}
    }
    bad
}

/// Runs one case; returns its differences (empty when it passed).
async fn run_case(m: Arc<Matrix>, case: Json, secret: String) -> Vec<String> {
    let sandbox = match case.get("sandbox") {
        Json::Null => None,
        spec => match sandbox_for(spec, &secret) {
            Ok(s) => Some(s),
            Err(e) => return vec![e],
        },
    };
    let base_url = case
        .get("base_url")
        .str()
        .map(str::to_string)
        .or_else(|| sandbox.as_ref().map(Sandbox::base_url))
        .expect("a case names a sandbox or a base_url");
    let client = Client::builder()
        .app_key(APP_KEY)
        .secret_key(secret.clone())
        .base_url(base_url)
        .poll_schedule(PollSchedule::fixed(m.poll))
        .wait_timeout(m.wait_timeout)
        .build()
        .expect("the client builds");
    let id = case.get("id").str().unwrap_or("case").to_string();
    let (parent, _guard) = case_dir(&id);
    let out = parent.join("out");
    if let Some(ledger) = case.get("setup").get("ledger").str() {
        std::fs::create_dir_all(&out).expect("the out folder is made");
        std::fs::write(out.join(qcc_radar::LEDGER_FILE), ledger).expect("the ledger is written");
    }
    // One step, or several against the same sandbox, client and folder.
    let steps: Vec<Json> = match case.get("steps") {
        Json::Arr(steps) => steps.clone(),
        _ => vec![case.clone()],
    };
    let mut bad = Vec::new();
    for (n, step) in steps.iter().enumerate() {
        let label = if steps.len() > 1 {
            format!("step {}: ", n + 1)
        } else {
            String::new()
        };
        let got =
            match tokio::time::timeout(Duration::from_secs(120), operate(&m, step, &client, &out))
                .await
            {
                Err(_) => {
                    bad.push(format!("{label}did not finish within 120 s"));
                    break;
                }
                Ok(Err(precondition)) => {
                    bad.push(format!("{label}{precondition}"));
                    break;
                }
                Ok(Ok(got)) => got,
            };
        for b in judge(&m, step, &got, sandbox.as_ref(), &parent, &out) {
            bad.push(format!("{label}{b}"));
        }
        if let Some(e) = &got.error {
            let shown = format!("{e} {e:?} {:?}", e.server_message());
            if shown.contains(&secret) {
                bad.push(format!("{label}the error shows the secret: {shown}"));
            }
        }
    }
    if format!("{client:?}").contains(&secret) {
        bad.push("the client's Debug shows the secret".into());
    }
    for f in all_files(&parent) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        if bytes.windows(secret.len()).any(|w| w == secret.as_bytes()) {
            bad.push(format!("{} holds the secret", f.display()));
        }
    }
    if let Some(sb) = sandbox {
        sb.shutdown();
    }
    bad
}

#[test]
fn every_case_of_the_fault_matrix() {
    capture::install();
    let secret = secret();
    let m = Arc::new(load());
    let only: Option<BTreeSet<String>> = std::env::var("QCC_FAULT_MATRIX_ONLY")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let ids: Vec<String> = m
        .cases
        .iter()
        .map(|c| c.get("id").str().expect("every case has an id").to_string())
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "case ids are unique"
    );
    assert!(ids.len() >= 30, "the matrix holds its cases");
    if let Some(only) = &only {
        let unknown: Vec<&String> = only.iter().filter(|id| !ids.contains(id)).collect();
        assert!(
            unknown.is_empty(),
            "QCC_FAULT_MATRIX_ONLY names no such case: {unknown:?}"
        );
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    rt.block_on(async {
        // A few at a time: the timing cases must not starve on a busy two-core machine.
        let gate = Arc::new(tokio::sync::Semaphore::new(6));
        let mut set = tokio::task::JoinSet::new();
        for (case, id) in m.cases.iter().zip(&ids) {
            if only.as_ref().is_some_and(|o| !o.contains(id)) {
                continue;
            }
            let (m, case, id, secret) = (m.clone(), case.clone(), id.clone(), secret.clone());
            let (gate, failures) = (gate.clone(), failures.clone());
            set.spawn(async move {
                let _permit = gate.acquire_owned().await.unwrap();
                let bad = run_case(m, case, secret).await;
                eprintln!(
                    "{:<28} {}",
                    id,
                    if bad.is_empty() { "ok" } else { "FAILED" }
                );
                for b in bad {
                    failures.lock().unwrap().push(format!("{id}: {b}"));
                }
            });
        }
        while let Some(done) = set.join_next().await {
            done.expect("a case panicked");
        }
    });
    let logs = capture::text();
    if let Some(d) = scan_dir() {
        std::fs::write(d.join("trace.log"), &logs).expect("the log is written");
    }
    assert!(
        !logs.is_empty(),
        "the client logged something at trace level"
    );
    if logs.contains(&secret) {
        failures
            .lock()
            .unwrap()
            .push("a log line shows the secret".into());
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} difference(s) from tests/fault-matrix.json:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
