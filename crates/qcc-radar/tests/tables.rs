//! A report's contents as tables, against the sandbox's `tables` scenario: fetched, extracted,
//! then read by `Report::tables()` and `qcc_radar::read_tables`. Table names, columns, row
//! counts, known cells, GBK decoded, the workbook's second sheet, the malformed CSV row kept as
//! text, the empty file and the text file skipped with their reasons, and the Arrow hand-overs
//! (IPC bytes read back, a C stream consumed) the bindings build on.

use std::time::Duration;

use qcc_radar::tables::arrow_array::ffi_stream::RecordBatchStreamReader;
use qcc_radar::tables::arrow_schema::{DataType, TimeUnit};
use qcc_radar::tables::{ColumnKind, SkipReason, Tables, Value, RAW_ROW_COLUMN};
use qcc_radar::{Client, PollSchedule, ReportType};
use qcc_radar_sandbox::{Sandbox, Scenario};

const DIGEST: &str = "风险监控日报/企业风险变化汇总.csv";
const CORP: &str = "风险监控日报/corp.json";
const PERSON: &str = "风险监控日报/person.json";
const NEWS: &str = "风险监控日报/corp_news.json";
const CHANGES: &str = "风险监控日报/风险明细.xlsx#企业变更";
const CASES: &str = "风险监控日报/风险明细.xlsx#司法风险";

fn fetch_tables() -> (tempfile::TempDir, qcc_radar::Report, Tables) {
    let sb = Sandbox::start(Scenario::Tables).unwrap();
    let client = Client::builder()
        .app_key(sb.app_key())
        .secret_key(sb.secret_key())
        .base_url(sb.base_url())
        .poll_schedule(PollSchedule::fixed(Duration::from_millis(20)))
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let report = rt
        .block_on(client.fetch_report(ReportType::Day, dir.path()))
        .unwrap()
        .expect("a report");
    let tables = report.tables().unwrap();
    (dir, report, tables)
}

fn col(t: &qcc_radar::tables::Table, name: &str) -> usize {
    t.column_index(name)
        .unwrap_or_else(|| panic!("{} has no column {name}: {:?}", t.name(), t.columns()))
}

#[test]
fn every_file_is_a_table_or_skipped_with_a_reason() {
    let (_dir, report, tables) = fetch_tables();
    assert_eq!(
        tables.names(),
        [CORP, NEWS, PERSON, DIGEST, CHANGES, CASES],
        "tables"
    );
    let skipped: Vec<_> = tables
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.kind()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("说明.txt", "unknown_extension"),
            ("风险监控日报/明细/空白.csv", "empty"),
        ]
    );
    let empty = tables.skipped("风险监控日报/明细/空白.csv").unwrap();
    assert_eq!(empty.reason, SkipReason::Empty);
    assert_eq!(empty.reason.to_string(), "empty file");
    assert!(empty.path.starts_with(&report.folder));
    assert!(tables
        .skipped("说明.txt")
        .unwrap()
        .reason
        .to_string()
        .contains(".txt"));
    // read_tables on the folder gives the same.
    let again = qcc_radar::read_tables(&report.folder).unwrap();
    assert_eq!(again.names(), tables.names());
    assert_eq!(again.skipped, tables.skipped);
}

#[test]
fn the_older_apis_json_envelopes() {
    let (_dir, _report, tables) = fetch_tables();
    let corp = tables.get(CORP).unwrap();
    assert_eq!(corp.num_rows(), 6);
    assert_eq!(
        corp.columns()[..8],
        [
            "id",
            "corpKeyNo",
            "corpName",
            "mainType",
            "mainTypeName",
            "type",
            "typeName",
            "category"
        ]
    );
    assert_eq!(corp.num_columns(), 21);
    // A code stays beside its label, each with its own type.
    let (ty, ty_name) = (col(corp, "type"), col(corp, "typeName"));
    assert_eq!(ty_name, ty + 1);
    assert_eq!(corp.value(0, ty), Value::Int(11));
    assert_eq!(corp.value(0, ty_name), Value::Text("裁判文书"));
    assert_eq!(
        corp.value(0, col(corp, "corpName")),
        Value::Text("杭州云栖智能科技有限公司")
    );
    assert_eq!(
        corp.value(1, col(corp, "typeName")),
        Value::Text("被执行人")
    );
    let kinds = corp.column_kinds();
    assert_eq!(kinds[col(corp, "changeDate")], ColumnKind::Date);
    assert_eq!(kinds[col(corp, "changeWay")], ColumnKind::Int);
    assert_eq!(kinds[col(corp, "corpKeyNo")], ColumnKind::Text);
    // The envelope's other keys are kept.
    assert_eq!(corp.meta("totalSize"), Some("6"));
    assert!(corp.meta("pushDate").unwrap().ends_with(" 08:00:00"));
    assert_eq!(corp.encoding(), Some("UTF-8"));

    let person = tables.get(PERSON).unwrap();
    assert_eq!(person.num_rows(), 3);
    assert_eq!(person.columns()[..3], ["personKeyNo", "personName", "id"]);
    assert_eq!(person.value(1, 1), Value::Text("陈丽华"));

    let news = tables.get(NEWS).unwrap();
    assert_eq!(news.num_rows(), 4);
    let tags = col(news, "newsTagsList");
    assert_eq!(news.value(0, tags), Value::Text(r#"["债务违约","被执行"]"#));
    assert_eq!(news.value(0, col(news, "impactDesc")), Value::Text("消极"));
    assert_eq!(
        news.column_kinds()[col(news, "publishTime")],
        ColumnKind::DateTime
    );
    assert_eq!(
        news.schema().field(col(news, "publishTime")).data_type(),
        &DataType::Timestamp(TimeUnit::Millisecond, None)
    );
}

#[test]
fn the_gbk_digest_with_its_malformed_row() {
    let (_dir, _report, tables) = fetch_tables();
    let t = tables.get(DIGEST).unwrap();
    assert_eq!(t.encoding(), Some("GB18030"));
    assert_eq!(
        t.columns(),
        [
            "序号",
            "企业名称",
            "统一社会信用代码",
            "风险类型代码",
            "风险类型",
            "变化数量",
            "最新变化日期",
            "备注",
            RAW_ROW_COLUMN
        ]
    );
    assert_eq!(t.num_rows(), 6);
    assert_eq!(t.value(0, 1), Value::Text("杭州云栖智能科技有限公司"));
    assert_eq!(t.value(1, 7), Value::Text("执行标的：1,250,000元"));
    assert_eq!(
        t.value(2, 7),
        Value::Text("变更前：张建国\r\n变更后：李卫东")
    );
    let kinds = t.column_kinds();
    assert_eq!(
        kinds,
        [
            ColumnKind::Int,
            ColumnKind::Text,
            ColumnKind::Text,
            ColumnKind::Int,
            ColumnKind::Text,
            ColumnKind::Int,
            ColumnKind::Date,
            ColumnKind::Text,
            ColumnKind::Text
        ]
    );
    // Row 5 has one field too many: kept whole, as text, its cells null.
    let raw = t.value(4, 8);
    assert_eq!(
        raw.as_str().unwrap(),
        "5,广州南沙港航物流有限公司（广州,南沙）,91440115MA59CQ2P5E,1,受益人变更,1,".to_string()
            + &t.value(2, 6).to_string()
            + ","
    );
    assert!(t.row(4)[..8].iter().all(Value::is_null));
    assert!(t.value(0, 8).is_null());
    assert_eq!(t.value(5, 0), Value::Int(6));
}

#[test]
fn the_workbook_sheets() {
    let (_dir, _report, tables) = fetch_tables();
    let changes = tables.get(CHANGES).unwrap();
    assert_eq!(changes.sheet(), Some("企业变更"));
    assert_eq!(
        changes.columns(),
        [
            "序号",
            "企业名称",
            "变更事项",
            "变更前",
            "变更后",
            "注册资本（万元）",
            "变更日期"
        ]
    );
    assert_eq!(changes.num_rows(), 5);
    assert!(changes.preamble()[0].starts_with("企业工商变更明细"));
    assert_eq!(
        changes.column_kinds(),
        [
            ColumnKind::Int,
            ColumnKind::Text,
            ColumnKind::Text,
            ColumnKind::Text,
            ColumnKind::Text,
            ColumnKind::Float,
            ColumnKind::Date
        ]
    );
    assert_eq!(changes.value(1, 5), Value::Float(1200.5));
    assert_eq!(changes.encoding(), None);

    // The second sheet.
    let cases = tables.get(CASES).unwrap();
    assert_eq!(cases.sheet(), Some("司法风险"));
    assert_eq!(cases.num_rows(), 3);
    assert_eq!(cases.columns()[1], "案号");
    assert_eq!(cases.value(1, 1), Value::Text("（2024）粤0391执5521号"));
    assert_eq!(cases.value(2, 4), Value::Float(86_000.5));
    assert_eq!(cases.value(2, 6), Value::Bool(true));
    assert_eq!(cases.column_kinds()[5], ColumnKind::Date);
    // Dates are real days: the sheet's dates count back from the digest's.
    let Value::Date(filed) = cases.value(0, 5) else {
        panic!("{:?}", cases.value(0, 5))
    };
    let digest = tables.get(DIGEST).unwrap();
    let Value::Date(latest) = digest.value(0, 6) else {
        panic!()
    };
    assert_eq!(latest - filed, 30);
}

#[test]
fn arrow_hand_overs_for_the_bindings() {
    let (_dir, _report, tables) = fetch_tables();
    for t in &tables {
        // IPC stream bytes read back into the same batch.
        let bytes = t.to_arrow_ipc().unwrap();
        let reader =
            arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
        let batches: Vec<_> = reader.map(Result::unwrap).collect();
        assert_eq!(batches.len(), 1, "{}", t.name());
        assert_eq!(&batches[0], t.batch(), "{}", t.name());
        assert_eq!(
            batches[0]
                .schema()
                .metadata()
                .get("qcc_radar.name")
                .map(String::as_str),
            Some(t.name())
        );
        // The C stream outlives the table's borrow and yields the same batch.
        let mut stream = t.to_arrow_c_stream();
        let reader = unsafe { RecordBatchStreamReader::from_raw(&mut stream) }.unwrap();
        let batches: Vec<_> = reader.map(Result::unwrap).collect();
        assert_eq!(&batches[0], t.batch(), "{}", t.name());
        // Rows agree with values.
        let rows: Vec<_> = t.rows().collect();
        assert_eq!(rows.len(), t.num_rows());
        if let Some(first) = rows.first() {
            assert_eq!(first[0], t.value(0, 0));
        }
    }
}
