//! What the report zip holds, per scenario.
//!
//! The vendor's archives come from Chinese-locale Windows tooling: names in GBK with the UTF-8
//! flag clear, inside a nested folder, deflated CSVs beside a stored text file, and directory
//! entries. The normal archive reproduces exactly that, because it is the hazard a client most
//! often gets wrong (mojibake names, or a GBK trail byte read as a path separator). The fault
//! scenarios change only the archive: `unsafe_archive` adds entries that escape the target
//! folder, `zip_bomb` adds an entry with an absurd expansion ratio, `colliding_names` adds two
//! names that differ only in case, `large` swaps in a big archive generated on the fly (see
//! [`crate::large_archive`]).
//!
//! Small archives are built once per sandbox and report type and shared as `Bytes`; the bomb's
//! compressed stream is built once per process. Building happens lazily on the first download,
//! off the async worker threads.

use std::io::Write;
use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use md5::{Digest, Md5};
use qcc_radar_core::ReportType;
use tokio::sync::OnceCell;

use crate::encrypted_archive::Cipher;
use crate::large_archive::{LargeArchive, LargeData};
use crate::scenario::Scenario;
use crate::zip_writer::{DosDateTime, Method, ZipWriter, DOS_ARCHIVE, MADE_BY_UNIX};

/// How large the bomb's entry is once inflated.
pub(crate) const BOMB_BYTES: u64 = 64 * 1024 * 1024;

/// China Standard Time, UTC+8: the zone the vendor's tooling dates entries in.
pub(crate) const CHINA_UTC_OFFSET: i64 = 8 * 3600;

/// `name` encoded in GBK, as the vendor's archives store names.
pub(crate) fn gbk(name: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(name);
    debug_assert!(!unmappable, "{name} is not representable in GBK");
    bytes.into_owned()
}

/// The report's word for its period: 日报, 周报 or 月报.
pub(crate) fn period_word(report_type: ReportType) -> &'static str {
    match report_type {
        ReportType::Day => "日报",
        ReportType::Week => "周报",
        ReportType::Month => "月报",
    }
}

/// The archive's top folder, e.g. `风险监控日报`.
pub(crate) fn report_folder(report_type: ReportType) -> String {
    format!("风险监控{}", period_word(report_type))
}

/// The file name the link points at, e.g. `风险监控日报-JKDAY-….zip`.
pub(crate) fn file_name(report_type: ReportType, order_no: &str) -> String {
    format!("{}-{order_no}.zip", report_folder(report_type))
}

/// The summary CSV (UTF-8 with a byte-order mark, as Excel-bound exports are).
pub(crate) fn summary_csv(date: &str) -> Vec<u8> {
    let text = format!(
        "\u{feff}序号,企业名称,统一社会信用代码,风险类型,变化数量,监控日期\r\n\
         1,示例科技有限公司,91110000MA00000001,法律诉讼,2,{date}\r\n\
         2,样本贸易（上海）有限公司,91310000MA00000002,工商变更,1,{date}\r\n\
         3,演示实业集团有限公司,91440300MA00000003,经营异常,1,{date}\r\n"
    );
    text.into_bytes()
}

pub(crate) fn lawsuits_csv(date: &str) -> Vec<u8> {
    format!(
        "\u{feff}企业名称,案号,案由,身份,发布日期\r\n\
         示例科技有限公司,（2023）京0105民初1234号,买卖合同纠纷,被告,{date}\r\n\
         示例科技有限公司,（2023）京0108民初5678号,劳动争议,原告,{date}\r\n"
    )
    .into_bytes()
}

pub(crate) fn changes_txt(date: &str) -> Vec<u8> {
    format!(
        "样本贸易（上海）有限公司 工商变更\r\n\
         变更日期：{date}\r\n\
         变更事项：注册资本\r\n\
         变更前：1000万元人民币\r\n\
         变更后：5000万元人民币\r\n"
    )
    .into_bytes()
}

pub(crate) const README_TXT: &str = "本报告由企查查专业版风险监控生成（沙箱模拟数据）。\r\n\
     企业风险变化汇总.csv：监控企业的风险变化汇总；明细目录：各类风险的明细。\r\n";

/// The date (China time) of `unix_secs`, as `YYYY-MM-DD`.
pub(crate) fn china_date(modified: DosDateTime) -> String {
    let year = 1980 + (modified.date >> 9);
    let month = (modified.date >> 5) & 0x0f;
    let day = modified.date & 0x1f;
    format!("{year:04}-{month:02}-{day:02}")
}

/// The normal report: nested GBK names, UTF-8 flag clear, directory entries, deflated CSVs
/// and a stored `说明.txt` at the top.
fn normal_zip(report_type: ReportType, modified: DosDateTime) -> Vec<u8> {
    let folder = report_folder(report_type);
    let date = china_date(modified);
    let mut w = ZipWriter::new(modified);
    w.add_dir(gbk(&format!("{folder}/")));
    w.add_file(
        gbk(&format!("{folder}/企业风险变化汇总.csv")),
        &summary_csv(&date),
        Method::Deflated,
    );
    w.add_dir(gbk(&format!("{folder}/明细/")));
    w.add_file(
        gbk(&format!("{folder}/明细/法律诉讼.csv")),
        &lawsuits_csv(&date),
        Method::Deflated,
    );
    w.add_file(
        gbk(&format!("{folder}/明细/工商变更.txt")),
        &changes_txt(&date),
        Method::Deflated,
    );
    w.add_file(gbk("说明.txt"), README_TXT.as_bytes(), Method::Stored);
    w.finish()
}

/// A normal entry, then names that escape the target folder and a symlink to `/etc/passwd`.
fn unsafe_zip(report_type: ReportType, modified: DosDateTime) -> Vec<u8> {
    let folder = report_folder(report_type);
    let date = china_date(modified);
    let mut w = ZipWriter::new(modified);
    w.add_dir(gbk(&format!("{folder}/")));
    w.add_file(
        gbk(&format!("{folder}/企业风险变化汇总.csv")),
        &summary_csv(&date),
        Method::Deflated,
    );
    w.add_file(
        b"../escape.txt".to_vec(),
        b"written outside the target folder\n",
        Method::Stored,
    );
    w.add_file(
        b"/tmp/qcc-abs.txt".to_vec(),
        b"written to an absolute path\n",
        Method::Stored,
    );
    let mut link = w.header(b"link".to_vec(), Method::Stored);
    link.version_made_by = MADE_BY_UNIX;
    link.external_attributes = (0o120_777 << 16) | DOS_ARCHIVE;
    w.add_with_header(link, b"/etc/passwd");
    w.finish()
}

/// A normal summary, then `Report.csv` and `report.csv` in the same folder: distinct on Linux,
/// one file on Windows and macOS (which ignore case), so the second would silently replace the
/// first there.
fn colliding_zip(report_type: ReportType, modified: DosDateTime) -> Vec<u8> {
    let folder = report_folder(report_type);
    let date = china_date(modified);
    let mut w = ZipWriter::new(modified);
    w.add_dir(gbk(&format!("{folder}/")));
    w.add_file(
        gbk(&format!("{folder}/企业风险变化汇总.csv")),
        &summary_csv(&date),
        Method::Deflated,
    );
    w.add_file(
        gbk(&format!("{folder}/Report.csv")),
        &summary_csv(&date),
        Method::Deflated,
    );
    w.add_file(
        gbk(&format!("{folder}/report.csv")),
        &lawsuits_csv(&date),
        Method::Deflated,
    );
    w.finish()
}

/// The bomb's deflate stream for [`BOMB_BYTES`] of zeros and its CRC, built once per process.
///
/// Deflating 64 MiB byte by byte would cost seconds in a debug build, so one MiB is deflated
/// with a sync flush (which ends byte-aligned and non-final, referring to nothing before it) and
/// the segment repeated, then closed with an empty final block: a valid stream of ~1000:1.
fn bomb_stream() -> &'static (Bytes, u32) {
    static BOMB: OnceLock<(Bytes, u32)> = OnceLock::new();
    BOMB.get_or_init(|| {
        const MIB: usize = 1024 * 1024;
        let zeros = vec![0u8; MIB];
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
        enc.write_all(&zeros).expect("writing to a Vec cannot fail");
        enc.flush().expect("writing to a Vec cannot fail");
        let segment = std::mem::take(enc.get_mut());
        drop(enc);
        let copies = (BOMB_BYTES / MIB as u64) as usize;
        let mut stream = Vec::with_capacity(segment.len() * copies + 2);
        for _ in 0..copies {
            stream.extend_from_slice(&segment);
        }
        // An empty final block with fixed codes: BFINAL=1, BTYPE=01, end-of-block.
        stream.extend_from_slice(&[0x03, 0x00]);
        let mut one = crc32fast::Hasher::new();
        one.update(&zeros);
        let mut crc = crc32fast::Hasher::new();
        for _ in 0..copies {
            crc.combine(&one);
        }
        (Bytes::from(stream), crc.finalize())
    })
}

/// A normal summary beside a 64 MiB entry of zeros compressed about 1000:1. The sizes it
/// declares are honest: the client must refuse it by ratio, not catch a lie.
fn bomb_zip(report_type: ReportType, modified: DosDateTime) -> Vec<u8> {
    let folder = report_folder(report_type);
    let date = china_date(modified);
    let (stream, crc) = bomb_stream();
    let mut w = ZipWriter::new(modified);
    w.add_dir(gbk(&format!("{folder}/")));
    w.add_file(
        gbk(&format!("{folder}/企业风险变化汇总.csv")),
        &summary_csv(&date),
        Method::Deflated,
    );
    w.add_dir(gbk(&format!("{folder}/明细/")));
    let mut bomb = w.header(
        gbk(&format!("{folder}/明细/全量风险数据.csv")),
        Method::Deflated,
    );
    bomb.crc32 = *crc;
    bomb.uncompressed_size = BOMB_BYTES as u32;
    w.add_raw(bomb, stream);
    w.finish()
}

/// Where an archive's bytes come from.
#[derive(Debug)]
pub(crate) enum ArchiveBody {
    /// Built in memory (small).
    Memory(Bytes),
    /// Generated on the fly.
    Large(LargeArchive),
}

/// One downloadable archive.
#[derive(Debug)]
pub(crate) struct ArchiveFile {
    body: ArchiveBody,
    etag: String,
}

impl ArchiveFile {
    fn memory(bytes: Vec<u8>) -> Self {
        let etag = format!("\"{}\"", hex_upper(&Md5::digest(&bytes)));
        ArchiveFile {
            body: ArchiveBody::Memory(Bytes::from(bytes)),
            etag,
        }
    }

    fn large(archive: LargeArchive, report_type: ReportType) -> Self {
        let mut md5 = Md5::new();
        md5.update(archive.len().to_le_bytes());
        md5.update(report_type.as_str());
        let etag = format!("\"{}-4\"", hex_upper(&md5.finalize()));
        ArchiveFile {
            body: ArchiveBody::Large(archive),
            etag,
        }
    }

    /// The archive's length.
    pub(crate) fn len(&self) -> u64 {
        match &self.body {
            ArchiveBody::Memory(b) => b.len() as u64,
            ArchiveBody::Large(l) => l.len(),
        }
    }

    /// The quoted entity tag, stable for the sandbox's life.
    pub(crate) fn etag(&self) -> &str {
        &self.etag
    }

    /// The next piece of the body from `pos` up to `end` (exclusive): at most 64 KiB, empty
    /// only when `pos >= end`.
    pub(crate) fn chunk(&self, pos: u64, end: u64) -> Bytes {
        match &self.body {
            ArchiveBody::Memory(b) => {
                let end = end.min(b.len() as u64);
                if pos >= end {
                    return Bytes::new();
                }
                let stop = end.min(pos + crate::large_archive::BLOCK);
                b.slice(pos as usize..stop as usize)
            }
            ArchiveBody::Large(l) => l.chunk(pos, end),
        }
    }
}

fn hex_upper(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
        s.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
    }
    s
}

fn type_index(report_type: ReportType) -> usize {
    match report_type {
        ReportType::Day => 0,
        ReportType::Week => 1,
        ReportType::Month => 2,
    }
}

/// The sandbox's archives, built on first use.
#[derive(Debug)]
pub(crate) struct ArchiveStore {
    scenario: Scenario,
    modified: DosDateTime,
    large_bytes: u64,
    by_type: [OnceCell<Arc<ArchiveFile>>; 3],
    large_data: OnceCell<Arc<LargeData>>,
}

impl ArchiveStore {
    /// A store for `scenario` whose entries are dated `unix_secs` (server clock).
    pub(crate) fn new(scenario: Scenario, unix_secs: u64, large_bytes: u64) -> Self {
        ArchiveStore {
            scenario,
            modified: DosDateTime::from_unix(unix_secs, CHINA_UTC_OFFSET),
            large_bytes,
            by_type: Default::default(),
            large_data: OnceCell::new(),
        }
    }

    /// The archive for `report_type`, building it (off the async threads) the first time.
    pub(crate) async fn get(&self, report_type: ReportType) -> Arc<ArchiveFile> {
        let cell = &self.by_type[type_index(report_type)];
        cell.get_or_init(|| self.build(report_type)).await.clone()
    }

    async fn build(&self, report_type: ReportType) -> Arc<ArchiveFile> {
        let modified = self.modified;
        let file = if self.scenario == Scenario::Large {
            let large_bytes = self.large_bytes;
            let data = self
                .large_data
                .get_or_init(|| async move {
                    blocking(move || Arc::new(LargeData::new(large_bytes))).await
                })
                .await
                .clone();
            blocking(move || {
                ArchiveFile::large(LargeArchive::new(report_type, &data, modified), report_type)
            })
            .await
        } else {
            let scenario = self.scenario;
            blocking(move || {
                ArchiveFile::memory(match scenario {
                    Scenario::UnsafeArchive => unsafe_zip(report_type, modified),
                    Scenario::ZipBomb => bomb_zip(report_type, modified),
                    Scenario::CollidingNames => colliding_zip(report_type, modified),
                    Scenario::Tables => crate::tables_report::tables_zip(report_type, modified),
                    Scenario::Encrypted | Scenario::EncryptedNoPassword => {
                        crate::encrypted_archive::encrypted_zip(
                            report_type,
                            modified,
                            Cipher::ZipCrypto,
                        )
                    }
                    Scenario::EncryptedAes => crate::encrypted_archive::encrypted_zip(
                        report_type,
                        modified,
                        Cipher::Aes256,
                    ),
                    _ => normal_zip(report_type, modified),
                })
            })
            .await
        };
        Arc::new(file)
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn bomb_inflates_to_zeros() {
        let (stream, crc) = bomb_stream();
        let ratio = BOMB_BYTES / stream.len() as u64;
        assert!((900..=1100).contains(&ratio), "ratio {ratio}");
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(&stream[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out.len() as u64, BOMB_BYTES);
        assert!(out.iter().all(|&b| b == 0));
        assert_eq!(crc32fast::hash(&out), *crc);
    }

    #[test]
    fn names_are_gbk() {
        let raw = gbk("风险监控日报/明细/法律诉讼.csv");
        assert!(std::str::from_utf8(&raw).is_err());
        let zip = normal_zip(ReportType::Day, DosDateTime::from_unix(1_700_000_000, 0));
        assert!(zip.windows(raw.len()).any(|w| w == raw));
    }

    #[test]
    fn dates() {
        let m = DosDateTime::from_unix(1_676_630_033, CHINA_UTC_OFFSET);
        assert_eq!(china_date(m), "2023-02-17");
    }
}
