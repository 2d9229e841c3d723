//! The tables benchmark (issue 17): a 200,000-row workbook and a 200,000-row GBK CSV, made
//! here, and each read into Arrow by `qcc_radar::tables::read_file`, timed and measured.
//!
//! The data looks like a report digest: a row number, a company name and a risk type in
//! Chinese, an 18-character credit code, integer codes and counts, an amount, a date and a
//! note that is sometimes empty, so decoding, type inference and text columns all cost what
//! they cost on a real report. The same rows go into both files. The read figure is the read
//! call alone (no process start), beside the table's Arrow size and the process's peak
//! resident set above what it held before reading (`VmHWM` − `VmRSS` before).

use std::path::Path;
use std::time::Instant;

use crate::proc_status;

const COMPANIES: [&str; 8] = [
    "杭州云栖智能科技有限公司",
    "深圳前海鼎盛供应链管理有限公司",
    "上海浦江精密机械制造有限公司",
    "北京中关村易联信息技术有限公司",
    "广州南沙港航物流有限公司",
    "成都天府新能源材料股份有限公司",
    "武汉光谷芯联半导体有限公司",
    "西安高新秦川装备制造有限公司",
];
const RISKS: [(i64, &str); 6] = [
    (11, "裁判文书"),
    (9, "被执行人"),
    (10, "失信被执行人"),
    (4, "法定代表人"),
    (1, "受益人变更"),
    (33, "招投标"),
];
const NOTES: [&str; 4] = [
    "",
    "执行标的：1,250,000元",
    "变更前：张建国；变更后：李卫东",
    "（2024）浙0106民初1234号 买卖合同纠纷",
];
const HEADER: [&str; 9] = [
    "序号",
    "企业名称",
    "统一社会信用代码",
    "风险类型代码",
    "风险类型",
    "变化数量",
    "涉案金额（元）",
    "变化日期",
    "备注",
];

struct Row {
    n: i64,
    company: String,
    code: String,
    risk: (i64, &'static str),
    count: i64,
    amount: f64,
    /// (year, month, day)
    date: (u16, u8, u8),
    note: &'static str,
}

fn rows(n: usize) -> impl Iterator<Item = Row> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (0..n).map(move |i| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let r = x;
        Row {
            n: i as i64 + 1,
            company: format!("{}（分公司{}）", COMPANIES[(r % 8) as usize], r % 97),
            code: format!("91{:06}MA{:08X}", r % 1_000_000, (r >> 20) as u32),
            risk: RISKS[((r >> 8) % 6) as usize],
            count: ((r >> 16) % 9) as i64 + 1,
            amount: ((r >> 24) % 10_000_000) as f64 / 100.0,
            date: (2024, ((r >> 32) % 12) as u8 + 1, ((r >> 40) % 28) as u8 + 1),
            note: NOTES[((r >> 48) % 4) as usize],
        }
    })
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes `rows` rows as `DIR/digest.xlsx` (one sheet) and `DIR/digest-gbk.csv`.
pub fn generate(dir: &Path, n: usize) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut csv = HEADER.join(",");
    csv.push_str("\r\n");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(e)?;
    }
    for row in rows(n) {
        let r = row.n as u32;
        let (y, m, d) = row.date;
        let date = format!("{y:04}-{m:02}-{d:02}");
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            row.n,
            row.company,
            row.code,
            row.risk.0,
            row.risk.1,
            row.count,
            row.amount,
            date,
            quote(row.note)
        ));
        ws.write_number(r, 0, row.n as f64).map_err(e)?;
        ws.write_string(r, 1, &row.company).map_err(e)?;
        ws.write_string(r, 2, &row.code).map_err(e)?;
        ws.write_number(r, 3, row.risk.0 as f64).map_err(e)?;
        ws.write_string(r, 4, row.risk.1).map_err(e)?;
        ws.write_number(r, 5, row.count as f64).map_err(e)?;
        ws.write_number(r, 6, row.amount).map_err(e)?;
        let when = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).map_err(e)?;
        ws.write_datetime_with_format(r, 7, &when, &date_format)
            .map_err(e)?;
        if !row.note.is_empty() {
            ws.write_string(r, 8, row.note).map_err(e)?;
        }
    }
    wb.save(dir.join("digest.xlsx")).map_err(e)?;
    let (gbk, _, bad) = encoding_rs::GBK.encode(&csv);
    if bad {
        return Err("the CSV is not representable in GBK".into());
    }
    std::fs::write(dir.join("digest-gbk.csv"), &gbk).map_err(|e| e.to_string())?;
    Ok(format!(
        "{{\"rows\":{n},\"xlsx_bytes\":{},\"csv_bytes\":{}}}",
        std::fs::metadata(dir.join("digest.xlsx")).map_or(0, |m| m.len()),
        gbk.len()
    ))
}

/// Reads `file` into Arrow; one JSON line with the time, the shape, the Arrow size and memory.
pub fn read(file: &Path) -> Result<String, String> {
    let before = proc_status::read();
    let started = Instant::now();
    let tables = qcc_radar::tables::read_file(file).map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let after = proc_status::read();
    let t = tables.first().ok_or("no table")?;
    let arrow: usize = tables
        .iter()
        .map(|t| t.batch().get_array_memory_size())
        .sum();
    let kinds: Vec<&str> = t.column_kinds().iter().map(|k| k.as_str()).collect();
    Ok(format!(
        "{{\"seconds\":{seconds:.6},\"rows\":{},\"columns\":{},\"kinds\":\"{}\",\"arrow_bytes\":{arrow},\"rss_before_kib\":{},\"hwm_kib\":{}}}",
        t.num_rows(),
        t.num_columns(),
        kinds.join(","),
        before.rss_kib,
        after.hwm_kib
    ))
}
