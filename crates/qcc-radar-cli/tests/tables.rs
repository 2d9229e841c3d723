//! `qcc-radar tables` and `fetch --export` against the sandbox's `tables` scenario: the
//! summary, every export format read back (CSV by the library's own reader, JSON Lines by
//! serde_json, Parquet by the parquet crate) and compared with the tables themselves, and the
//! usage errors.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use qcc_radar::tables::{Table, Tables};
use qcc_radar_sandbox::Scenario;
use serde_json::Value;

/// Fetches the `tables` report with `extra` arguments; the JSON result and the report folder.
fn fetch(out: &Path, extra: &[&str]) -> (Value, PathBuf) {
    let sb = sandbox(Scenario::Tables);
    let mut c = cmd(&sb);
    c.args(["fetch", "--type", "day", "--json", "--out"])
        .arg(out)
        .args(extra);
    let r = run(&mut c);
    r.expect_code(0);
    let v = r.json();
    let order = v["order_no"].as_str().unwrap().to_string();
    (v, out.canonicalize().unwrap().join(order))
}

fn tables_of(folder: &Path) -> Tables {
    qcc_radar::read_tables(folder).unwrap()
}

/// The exported table that came from `t`, found by its output file.
fn exported<'a>(exports: &'a Tables, files: &[PathBuf], t: &Table, i: usize) -> &'a Table {
    exports
        .iter()
        .find(|e| e.path() == files[i])
        .unwrap_or_else(|| panic!("no export of {} among {:?}", t.name(), exports.names()))
}

#[test]
fn fetch_export_csv_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let (v, folder) = fetch(dir.path(), &["--export", "csv"]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "archive",
            "exports",
            "files",
            "order_no",
            "report_type",
            "status"
        ]
    );
    let order = v["order_no"].as_str().unwrap();
    let to = dir
        .path()
        .canonicalize()
        .unwrap()
        .join(format!("{order}.tables"));
    let files: Vec<PathBuf> = v["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| PathBuf::from(f.as_str().unwrap()))
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&to).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "风险监控日报/corp.csv",
            "风险监控日报/corp_news.csv",
            "风险监控日报/person.csv",
            "风险监控日报/企业风险变化汇总.csv",
            "风险监控日报/风险明细#企业变更.csv",
            "风险监控日报/风险明细#司法风险.csv",
        ]
    );
    // UTF-8 with a byte-order mark, CRLF.
    let digest = std::fs::read(&files[3]).unwrap();
    assert!(digest.starts_with("\u{feff}序号,企业名称,".as_bytes()));
    assert!(String::from_utf8(digest).unwrap().contains("\r\n"));

    // Read back with the library: the same columns, types and values.
    let source = tables_of(&folder);
    let back = tables_of(&to);
    assert!(back.skipped.is_empty(), "{:?}", back.skipped);
    for (i, t) in source.iter().enumerate() {
        let e = exported(&back, &files, t, i);
        assert_eq!(e.encoding(), Some("UTF-8 with BOM"));
        assert_eq!(e.columns(), t.columns(), "{}", t.name());
        assert_eq!(e.column_kinds(), t.column_kinds(), "{}", t.name());
        let rows: Vec<_> = t.rows().collect();
        let rows_back: Vec<_> = e.rows().collect();
        assert_eq!(rows_back, rows, "{}", t.name());
    }
}

#[test]
fn tables_to_jsonl_and_parquet_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_, folder) = fetch(&dir.path().join("reports"), &[]);
    let source = tables_of(&folder);

    let to = dir.path().join("jsonl");
    let mut c = bare();
    c.arg("tables")
        .arg(&folder)
        .args(["--format", "jsonl", "--json", "--to"])
        .arg(&to);
    let r = run(&mut c);
    r.expect_code(0);
    let v = r.json();
    assert_eq!(v["format"], "jsonl");
    for (t, out) in source.iter().zip(v["tables"].as_array().unwrap()) {
        assert_eq!(out["name"], t.name());
        let text = std::fs::read_to_string(out["file"].as_str().unwrap()).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), t.num_rows(), "{}", t.name());
        for (row, line) in t.rows().zip(&lines) {
            let keys: Vec<&str> = line
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut sorted = t.columns();
            sorted.sort();
            assert_eq!(keys, sorted);
            for (c, name) in t.columns().iter().enumerate() {
                assert_eq!(line[name], row[c].to_json(), "{} {name}", t.name());
            }
        }
        // Keys in column order in the text itself.
        let first = text.lines().next().unwrap();
        let at = |k: &str| first.find(&format!("\"{k}\":")).unwrap();
        let cols = t.columns();
        assert!(at(cols[0]) < at(cols[cols.len() - 1]), "{first}");
    }

    let to = dir.path().join("parquet");
    let mut c = bare();
    c.arg("tables")
        .arg(&folder)
        .args(["--format", "parquet", "--to"])
        .arg(&to);
    let r = run(&mut c);
    r.expect_code(0);
    assert!(r.stdout.contains("-> "), "{r:?}");
    let back = std::fs::read_dir(to.join("风险监控日报")).unwrap().count();
    assert_eq!(back, source.len());
    for t in &source {
        let file_part = t.name().split('#').next().unwrap();
        let stem = Path::new(file_part)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let sheet = t.sheet().map(|s| format!("#{s}")).unwrap_or_default();
        let path = to
            .join("风险监控日报")
            .join(format!("{stem}{sheet}.parquet"));
        let f = std::fs::File::open(&path).unwrap();
        let builder =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f).unwrap();
        // The schema's metadata (the table's name, a JSON envelope's keys) survives.
        assert_eq!(
            builder
                .schema()
                .metadata()
                .get("qcc_radar.name")
                .map(String::as_str),
            Some(t.name())
        );
        let reader = builder.build().unwrap();
        let batches: Vec<_> = reader.map(Result::unwrap).collect();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, t.num_rows(), "{}", t.name());
        if let Some(b) = batches.first() {
            // Types and values survive.
            assert_eq!(b.schema().fields(), t.schema().fields(), "{}", t.name());
            assert_eq!(b.columns(), t.batch().columns(), "{}", t.name());
        }
    }
}

#[test]
fn tables_summary() {
    let dir = tempfile::tempdir().unwrap();
    let (_, folder) = fetch(dir.path(), &[]);
    let mut c = bare();
    c.arg("tables").arg(&folder).arg("--json");
    let r = run(&mut c);
    r.expect_code(0);
    let v = r.json();
    assert_eq!(v["to"], Value::Null);
    let tables = v["tables"].as_array().unwrap();
    let digest = tables
        .iter()
        .find(|t| t["name"] == "风险监控日报/企业风险变化汇总.csv")
        .unwrap();
    assert_eq!(digest["rows"], 6);
    assert_eq!(
        digest["columns"][0],
        serde_json::json!({"name": "序号", "type": "int"})
    );
    assert_eq!(digest["columns"][8]["name"], "_raw_row");
    assert_eq!(digest["file"], Value::Null);
    let cases = tables
        .iter()
        .find(|t| t["name"] == "风险监控日报/风险明细.xlsx#司法风险")
        .unwrap();
    assert_eq!(cases["rows"], 3);
    assert_eq!(
        v["skipped"],
        serde_json::json!([
            {"name": "说明.txt", "kind": "unknown_extension", "reason": "unknown extension .txt: not read as a table (json, csv, tsv, xlsx, xlsm, xlsb, xls and ods are)"},
            {"name": "风险监控日报/明细/空白.csv", "kind": "empty", "reason": "empty file"},
        ])
    );
    // The plain summary names each table with its row count.
    let mut c = bare();
    c.arg("tables").arg(&folder);
    let r = run(&mut c);
    r.expect_code(0);
    assert!(
        r.stdout
            .contains("风险监控日报/corp.json  6 rows × 21 columns: id:text"),
        "{r:?}"
    );
    assert!(
        r.stdout.contains("风险监控日报/明细/空白.csv: empty file"),
        "{r:?}"
    );
}

#[test]
fn tables_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let mut c = bare();
    c.arg("tables").arg(&missing).arg("--json");
    let r = run(&mut c);
    r.expect_code(2);
    assert_eq!(r.json()["kind"], "config");
    // --format needs --to; an unknown format is refused.
    let r = run_args(bare(), &["tables", ".", "--format", "csv"]);
    r.expect_code(2);
    let r = run_args(bare(), &["tables", ".", "--format", "xml", "--to", "x"]);
    r.expect_code(2);
    let r = run_args(
        bare(),
        &["fetch", "--type", "day", "--out", "x", "--export", "xml"],
    );
    r.expect_code(2);
}

#[test]
fn demo_summarises_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = bare();
    c.args(["demo", "--scenario", "tables", "--json", "--out"])
        .arg(dir.path());
    let r = run(&mut c);
    r.expect_code(0);
    let v = r.json();
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 6);
    assert_eq!(
        tables[0],
        serde_json::json!({"name": "风险监控日报/corp.json", "rows": 6})
    );
    let mut c = bare();
    c.args(["demo", "--out"]).arg(dir.path());
    let r = run(&mut c);
    r.expect_code(0);
    assert!(r.stdout.contains("rows in 2 tables"), "{r:?}");
}
