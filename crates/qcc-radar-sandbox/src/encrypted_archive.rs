//! The encrypted report zips of the `encrypted`, `encrypted_aes` and `encrypted_no_password`
//! scenarios.
//!
//! The older radar API answered its download link with an `unzipPassword`, and its zips were
//! encrypted with the traditional PKWARE cipher ("ZipCrypto"); AES-256 (WinZip AE-2) is what
//! newer tooling writes. The sandbox's own writer ([`crate::zip_writer`]) does not encrypt, so
//! these archives come from the `zip` crate's writer: the same report files as `normal`, every
//! file encrypted with [`UNZIP_PASSWORD`], names in UTF-8 (with the UTF-8 flag).

use std::io::{Cursor, Write};

use qcc_radar_core::ReportType;
use zip::unstable::write::FileOptionsExt;
use zip::write::SimpleFileOptions;

use crate::archive::{
    changes_txt, china_date, lawsuits_csv, report_folder, summary_csv, README_TXT,
};
use crate::zip_writer::DosDateTime;

/// The password of the encrypted scenarios' archives. getReportInfo's `S` answer carries it as
/// `unzipPassword` in `encrypted` and `encrypted_aes`; in `encrypted_no_password` it does not,
/// and a client must be given it (the `unzip_password` setting). It holds a space on purpose:
/// a password is used exactly as given.
pub const UNZIP_PASSWORD: &str = "Sandbox unzip-Pa55";

/// How the files are encrypted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cipher {
    /// Traditional PKWARE encryption.
    ZipCrypto,
    /// WinZip AES-256, AE-2 (no CRC; an authentication code instead).
    Aes256,
}

/// The normal report's files, each deflated and encrypted with `cipher`; folders are plain
/// entries (a folder has nothing to encrypt).
pub(crate) fn encrypted_zip(
    report_type: ReportType,
    modified: DosDateTime,
    cipher: Cipher,
) -> Vec<u8> {
    let folder = report_folder(report_type);
    let date = china_date(modified);
    let when = zip::DateTime::try_from_msdos(modified.date, modified.time).unwrap_or_default();
    let plain = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let sealed = match cipher {
        Cipher::ZipCrypto => plain
            .with_deprecated_encryption(UNZIP_PASSWORD.as_bytes())
            .expect("the password is not empty"),
        Cipher::Aes256 => plain.with_aes_encryption(zip::AesMode::Aes256, UNZIP_PASSWORD),
    };
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let built: zip::result::ZipResult<()> = (|| {
        w.add_directory(format!("{folder}/"), plain)?;
        w.start_file(format!("{folder}/企业风险变化汇总.csv"), sealed)?;
        w.write_all(&summary_csv(&date))?;
        w.add_directory(format!("{folder}/明细/"), plain)?;
        w.start_file(format!("{folder}/明细/法律诉讼.csv"), sealed)?;
        w.write_all(&lawsuits_csv(&date))?;
        w.start_file(format!("{folder}/明细/工商变更.txt"), sealed)?;
        w.write_all(&changes_txt(&date))?;
        w.start_file("说明.txt", sealed)?;
        w.write_all(README_TXT.as_bytes())?;
        Ok(())
    })();
    built.expect("writing a zip to memory cannot fail");
    w.finish()
        .expect("writing a zip to memory cannot fail")
        .into_inner()
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn read_all(bytes: Vec<u8>, password: Option<&str>) -> zip::result::ZipResult<Vec<String>> {
        let mut z = zip::ZipArchive::new(Cursor::new(bytes))?;
        let mut names = Vec::new();
        for i in 0..z.len() {
            let mut f = match password {
                Some(p) => z.by_index_decrypt(i, p.as_bytes())?,
                None => z.by_index(i)?,
            };
            let mut out = Vec::new();
            f.read_to_end(&mut out)?;
            names.push(f.name()?.to_string());
        }
        Ok(names)
    }

    #[test]
    fn both_ciphers_open_with_the_password_only() {
        let when = DosDateTime::from_unix(1_700_000_000, 8 * 3600);
        for cipher in [Cipher::ZipCrypto, Cipher::Aes256] {
            let zip = encrypted_zip(ReportType::Day, when, cipher);
            let names = read_all(zip.clone(), Some(UNZIP_PASSWORD)).unwrap();
            assert_eq!(names.len(), 6, "{names:?}");
            assert!(names.contains(&"风险监控日报/明细/法律诉讼.csv".to_string()));
            assert!(
                read_all(zip.clone(), None).is_err(),
                "{cipher:?} without a password"
            );
            assert!(
                read_all(zip, Some("not the password")).is_err(),
                "{cipher:?} with a wrong one"
            );
        }
    }
}
