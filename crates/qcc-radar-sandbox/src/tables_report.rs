//! The `tables` scenario's report: what a real report's contents look like, to read as tables.
//!
//! No public source shows the inside of a `radar_ext` zip (spec/API-NOTES.md); the nearest
//! evidence is the older radar API's three UTF-8 JSON envelopes (`corp.json`, `person.json`,
//! `corp_news.json`), and the `radar_ext` file name suggests a digest as CSV or a workbook. This
//! report holds all of them, so a table reader is tested against each shape it may meet: the
//! envelopes with codes beside their labels (`type` + `typeName`) and nested lists, a GBK CSV
//! digest as Chinese Windows tooling writes it (no byte-order mark, a quoted field with a line
//! break, and one row broken by an unquoted comma in a company name), an xlsx workbook with a
//! title above the header on its first sheet and a second sheet of lawsuits (written by
//! rust_xlsxwriter, a maintained xlsx writer, with real date cells and numbers), an empty file
//! and a text file that is not a table.
//!
//! The companies, people, cases and news are invented: realistic in form (names, unified
//! social credit codes, case numbers), belonging to no one, since the records say who is a
//! judgment debtor. Dates count back from the report's own date so they look current.

use md5::{Digest, Md5};
use qcc_radar_core::tables::values::{format_date, parse_date};
use qcc_radar_core::ReportType;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde_json::{json, Value};

/// A fictional company: name, unified social credit code.
const COMPANIES: [(&str, &str); 6] = [
    ("杭州云栖智能科技有限公司", "91330106MA2CXK7Q1A"),
    ("深圳前海鼎盛供应链管理有限公司", "91440300MA5FT3LJ2B"),
    ("上海浦江精密机械制造有限公司", "91310115MA1K4H8N3C"),
    ("北京中关村易联信息技术有限公司", "91110108MA01R6WD4D"),
    ("广州南沙港航物流有限公司", "91440115MA59CQ2P5E"),
    ("成都天府新能源材料股份有限公司", "91510100MA6DJ9XU6F"),
];

/// A 32-digit lower-case hex id derived from `seed`, shaped like the vendor's `KeyNo`s.
fn key_no(seed: &str) -> String {
    Md5::digest(seed.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `date` moved by `days`.
fn shift(date: &str, days: i32) -> String {
    format_date(parse_date(date).unwrap_or(0) + days)
}

/// One company risk change in the older API's shape.
#[allow(clippy::too_many_arguments)]
fn change(
    company: usize,
    (main_type, main_name): (&str, &str),
    (kind, kind_name): (i64, &str),
    (category, category_name): (&str, &str),
    (way, way_name): (i64, &str),
    before: &str,
    after: &str,
    change_date: &str,
) -> Record {
    let (name, _) = COMPANIES[company];
    vec![
        (
            "id",
            json!(key_no(&format!("change {name} {kind} {after}"))),
        ),
        ("corpKeyNo", json!(key_no(name))),
        ("corpName", json!(name)),
        ("mainType", json!(main_type)),
        ("mainTypeName", json!(main_name)),
        ("type", json!(kind)),
        ("typeName", json!(kind_name)),
        ("category", json!(category)),
        ("categoryName", json!(category_name)),
        ("beneficiaryKeyNo", json!("")),
        ("beneficiaryName", json!("")),
        ("changeWay", json!(way)),
        ("changeWayName", json!(way_name)),
        ("beforeValue", json!(before)),
        ("afterValue", json!(after)),
        ("changeDate", json!(change_date)),
        ("detailId", json!(key_no(&format!("detail {name} {kind}")))),
        ("extendValue1", json!("")),
        ("extendValue1Name", json!("")),
        ("extendValue2", json!("")),
        ("extendValue2Name", json!("")),
    ]
}

/// A JSON object whose keys keep the API's order (`serde_json::Map` would sort them).
type Record = Vec<(&'static str, Value)>;

fn set(r: &mut Record, key: &str, value: Value) {
    if let Some(slot) = r.iter_mut().find(|(k, _)| *k == key) {
        slot.1 = value;
    }
}

const LAWSUIT: (&str, &str) = ("so2", "司法诉讼");
const BUSINESS: (&str, &str) = ("gs1", "工商信息");
const OPERATIONS: (&str, &str) = ("jy1", "经营信息");
const WARNING: (&str, &str) = ("W", "警示信息");
const NOTICE: (&str, &str) = ("T", "提示信息");
const GOOD: (&str, &str) = ("G", "利好信息");
const ADDED: (i64, &str) = (1, "新增");
const CHANGED: (i64, &str) = (3, "变更");

/// `corp.json`: six company risk changes.
pub fn corp_json(date: &str) -> Vec<u8> {
    let d1 = shift(date, -1);
    let d3 = shift(date, -3);
    let mut records = vec![
        change(
            0,
            LAWSUIT,
            (11, "裁判文书"),
            WARNING,
            ADDED,
            "",
            "（2024）浙0106民初1234号 买卖合同纠纷",
            date,
        ),
        change(
            1,
            LAWSUIT,
            (9, "被执行人"),
            WARNING,
            ADDED,
            "",
            "执行标的：1250000元",
            date,
        ),
        change(
            2,
            BUSINESS,
            (4, "法定代表人"),
            NOTICE,
            CHANGED,
            "张建国",
            "李卫东",
            &d1,
        ),
        change(
            3,
            LAWSUIT,
            (10, "失信被执行人"),
            WARNING,
            ADDED,
            "",
            "（2024）京0108执1876号",
            &d3,
        ),
        change(
            4,
            BUSINESS,
            (1, "受益人变更"),
            NOTICE,
            ADDED,
            "",
            "周明辉 持股比例 35.00%",
            &d1,
        ),
        change(
            5,
            OPERATIONS,
            (33, "招投标"),
            GOOD,
            ADDED,
            "",
            "成都市公共资源交易中心 光伏组件采购项目 中标",
            date,
        ),
    ];
    set(
        &mut records[4],
        "beneficiaryKeyNo",
        json!(format!("p{}", &key_no("周明辉")[1..])),
    );
    set(&mut records[4], "beneficiaryName", json!("周明辉"));
    set(&mut records[0], "extendValue1", json!("被告"));
    set(&mut records[0], "extendValue1Name", json!("身份"));
    envelope(date, records)
}

/// `{"pushDate": …, "totalSize": N, "result": [...]}`, one record per line.
fn envelope(date: &str, records: Vec<Record>) -> Vec<u8> {
    let mut out = format!(
        "{{\n  \"pushDate\": \"{date} 08:00:00\",\n  \"totalSize\": {},\n  \"result\": [\n",
        records.len()
    );
    for (i, r) in records.iter().enumerate() {
        out.push_str("    {");
        for (j, (k, v)) in r.iter().enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("{}: {v}", json!(k)));
        }
        out.push_str(if i + 1 < records.len() { "},\n" } else { "}\n" });
    }
    out.push_str("  ]\n}\n");
    out.into_bytes()
}

/// `person.json`: three changes for monitored people.
pub fn person_json(date: &str) -> Vec<u8> {
    let d2 = shift(date, -2);
    let people = [
        (
            "王志强",
            2,
            BUSINESS,
            (4, "法定代表人"),
            NOTICE,
            CHANGED,
            "张建国",
            "王志强",
            date.to_string(),
        ),
        (
            "陈丽华",
            3,
            LAWSUIT,
            (9, "被执行人"),
            WARNING,
            ADDED,
            "",
            "执行标的：86000元",
            d2.clone(),
        ),
        (
            "刘建军",
            0,
            BUSINESS,
            (1, "受益人变更"),
            NOTICE,
            ADDED,
            "",
            "刘建军 持股比例 12.50%",
            d2,
        ),
    ];
    let records = people
        .into_iter()
        .map(
            |(person, company, main, kind, category, way, before, after, when)| {
                let mut r = vec![
                    ("personKeyNo", json!(format!("p{}", &key_no(person)[1..]))),
                    ("personName", json!(person)),
                ];
                r.extend(change(
                    company, main, kind, category, way, before, after, &when,
                ));
                r
            },
        )
        .collect();
    envelope(date, records)
}

/// `corp_news.json`: four news items with tags and types as lists.
pub fn corp_news_json(date: &str) -> Vec<u8> {
    let d1 = shift(date, -1);
    let news = [
        (
            1,
            "negative",
            "消极",
            &["债务违约", "被执行"][..],
            &["司法", "债务"][..],
            "深圳前海鼎盛供应链管理有限公司被列为被执行人，执行标的逾百万元",
            "证券日报网",
            format!("{date} 09:12:00"),
        ),
        (
            5,
            "positive",
            "积极",
            &["中标"][..],
            &["经营"][..],
            "成都天府新能源材料中标光伏组件采购项目",
            "四川经济网",
            format!("{date} 10:30:00"),
        ),
        (
            2,
            "neutral",
            "中性",
            &["人事变动"][..],
            &["工商"][..],
            "上海浦江精密机械法定代表人变更为李卫东",
            "第一财经",
            format!("{d1} 16:45:00"),
        ),
        (
            3,
            "negative",
            "消极",
            &["失信", "限制高消费"][..],
            &["司法"][..],
            "北京中关村易联信息技术有限公司新增失信被执行人信息",
            "新京报",
            format!("{d1} 19:05:30"),
        ),
    ];
    let records = news
        .into_iter()
        .map(
            |(company, impact, impact_desc, tags, types, title, source, when)| {
                let (name, _) = COMPANIES[company];
                let id = key_no(&format!("news {title}"));
                vec![
                    ("corpKeyNo", json!(key_no(name))),
                    ("corpName", json!(name)),
                    ("impact", json!(impact)),
                    ("impactDesc", json!(impact_desc)),
                    ("newsId", json!(id)),
                    ("newsTagsList", json!(tags)),
                    ("newsTypeList", json!(types)),
                    ("newsTypeDesc", json!(types.join("、"))),
                    ("publishTime", json!(when)),
                    ("source", json!(source)),
                    ("title", json!(title)),
                    ("url", json!(format!("https://news.example.cn/a/{id}.html"))),
                ]
            },
        )
        .collect();
    envelope(date, records)
}

/// The digest CSV as Chinese Windows tooling writes it: GBK, no byte-order mark, CRLF. Row 3
/// has a quoted note with a line break; row 5's company name holds an unquoted comma, so it
/// has one field too many (a malformed row a reader must keep).
pub fn digest_csv_gbk(date: &str) -> Vec<u8> {
    let d1 = shift(date, -1);
    let d3 = shift(date, -3);
    let [c0, c1, c2, c3, c4, c5] = COMPANIES;
    let text = format!(
        "序号,企业名称,统一社会信用代码,风险类型代码,风险类型,变化数量,最新变化日期,备注\r\n\
         1,{},{},11,裁判文书,2,{date},\r\n\
         2,{},{},9,被执行人,1,{date},\"执行标的：1,250,000元\"\r\n\
         3,{},{},4,法定代表人,1,{d1},\"变更前：张建国\r\n变更后：李卫东\"\r\n\
         4,{},{},10,失信被执行人,1,{d3},\r\n\
         5,广州南沙港航物流有限公司（广州,南沙）,{},1,受益人变更,1,{d1},\r\n\
         6,{},{},33,招投标,3,{date},\r\n",
        c0.0, c0.1, c1.0, c1.1, c2.0, c2.1, c3.0, c3.1, c4.1, c5.0, c5.1
    );
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    debug_assert!(!unmappable);
    bytes.into_owned()
}

fn excel_date(date: &str) -> Result<ExcelDateTime, XlsxError> {
    let (y, m, d) = qcc_radar_core::tables::values::civil_from_days(parse_date(date).unwrap_or(0));
    ExcelDateTime::from_ymd(y as u16, m as u8, d as u8)
}

/// The workbook: sheet `企业变更` (a title row, a blank row, then the header) and sheet
/// `司法风险` (header on the first row), with numbers, dates and a boolean column.
pub fn workbook_xlsx(date: &str) -> Result<Vec<u8>, XlsxError> {
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet();
    ws.set_name("企业变更")?;
    ws.merge_range(
        0,
        0,
        0,
        6,
        &format!("企业工商变更明细（沙箱模拟数据，{date}）"),
        &bold,
    )?;
    let header = [
        "序号",
        "企业名称",
        "变更事项",
        "变更前",
        "变更后",
        "注册资本（万元）",
        "变更日期",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let rows: [(usize, &str, &str, &str, f64, i32); 5] = [
        (2, "法定代表人", "张建国", "李卫东", 5000.0, -1),
        (
            4,
            "股东",
            "广州港航控股有限公司",
            "周明辉；广州港航控股有限公司",
            1200.5,
            -1,
        ),
        (
            0,
            "注册资本",
            "1000万元人民币",
            "3000万元人民币",
            3000.0,
            -2,
        ),
        (
            5,
            "经营范围",
            "新能源材料研发",
            "新能源材料研发；光伏设备制造",
            8800.0,
            -4,
        ),
        (
            1,
            "注册地址",
            "深圳市前海深港合作区前湾一路1号",
            "深圳市南山区粤海街道科技南路18号",
            2000.0,
            0,
        ),
    ];
    for (i, (company, item, before, after, capital, days)) in rows.into_iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, COMPANIES[company].0)?;
        ws.write_string(r, 2, item)?;
        ws.write_string(r, 3, before)?;
        ws.write_string(r, 4, after)?;
        ws.write_number(r, 5, capital)?;
        ws.write_datetime_with_format(r, 6, excel_date(&shift(date, days))?, &date_format)?;
    }

    let ws = wb.add_worksheet();
    ws.set_name("司法风险")?;
    let header = [
        "企业名称",
        "案号",
        "案由",
        "当事人身份",
        "涉案金额（元）",
        "立案日期",
        "是否结案",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let cases: [(usize, &str, &str, &str, f64, i32, bool); 3] = [
        (
            0,
            "（2024）浙0106民初1234号",
            "买卖合同纠纷",
            "被告",
            356_800.0,
            -30,
            false,
        ),
        (
            1,
            "（2024）粤0391执5521号",
            "借款合同纠纷",
            "被执行人",
            1_250_000.0,
            -12,
            false,
        ),
        (
            3,
            "（2023）京0108民初9902号",
            "劳动争议",
            "原告",
            86_000.5,
            -200,
            true,
        ),
    ];
    for (i, (company, case, cause, role, amount, days, closed)) in cases.into_iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_string(r, 0, COMPANIES[company].0)?;
        ws.write_string(r, 1, case)?;
        ws.write_string(r, 2, cause)?;
        ws.write_string(r, 3, role)?;
        ws.write_number(r, 4, amount)?;
        ws.write_datetime_with_format(r, 5, excel_date(&shift(date, days))?, &date_format)?;
        ws.write_boolean(r, 6, closed)?;
    }
    wb.save_to_buffer()
}

const README_TXT: &str =
    "本报告由企查查专业版风险监控生成（沙箱模拟数据，企业与人员均为虚构）。\r\n\
     corp.json：企业风险变化；person.json：人员风险变化；corp_news.json：企业舆情；\r\n\
     企业风险变化汇总.csv：汇总（GBK 编码）；风险明细.xlsx：变更与司法风险明细。\r\n";

/// Every file of the `tables` report for `report_type` dated `date` (`YYYY-MM-DD`): its path
/// inside the archive and its bytes. The same files the scenario's zip holds, for tests that
/// want them without a download.
pub fn tables_report_files(report_type: ReportType, date: &str) -> Vec<(String, Vec<u8>)> {
    let folder = crate::archive::report_folder(report_type);
    let xlsx = workbook_xlsx(date).expect("an in-memory workbook of fixed content");
    vec![
        (format!("{folder}/corp.json"), corp_json(date)),
        (format!("{folder}/person.json"), person_json(date)),
        (format!("{folder}/corp_news.json"), corp_news_json(date)),
        (
            format!("{folder}/企业风险变化汇总.csv"),
            digest_csv_gbk(date),
        ),
        (format!("{folder}/风险明细.xlsx"), xlsx),
        (format!("{folder}/明细/空白.csv"), Vec::new()),
        ("说明.txt".to_string(), README_TXT.as_bytes().to_vec()),
    ]
}

/// The `tables` scenario's zip: the files above under GBK names (UTF-8 flag clear, as the
/// vendor's are), deflated, the workbook and the empty file stored.
pub(crate) fn tables_zip(
    report_type: ReportType,
    modified: crate::zip_writer::DosDateTime,
) -> Vec<u8> {
    use crate::archive::{gbk, report_folder};
    use crate::zip_writer::{Method, ZipWriter};
    let year = 1980 + (modified.date >> 9);
    let date = format!(
        "{year:04}-{:02}-{:02}",
        (modified.date >> 5) & 0x0f,
        modified.date & 0x1f
    );
    let folder = report_folder(report_type);
    let mut w = ZipWriter::new(modified);
    w.add_dir(gbk(&format!("{folder}/")));
    w.add_dir(gbk(&format!("{folder}/明细/")));
    for (path, bytes) in tables_report_files(report_type, &date) {
        let stored = bytes.is_empty() || path.ends_with(".xlsx");
        let method = if stored {
            Method::Stored
        } else {
            Method::Deflated
        };
        w.add_file(gbk(&path), &bytes, method);
    }
    w.finish()
}
