//! Judging a whole archive before a byte of it is written.
//!
//! A report must extract the same on Linux, macOS and Windows, or not at all: a file that
//! silently overwrites its twin on one system, or fails halfway with a misleading disk error on
//! another, is worse than a clear refusal up front. So every entry is judged first, together,
//! from what the container declares (raw names, Unix modes, flags, sizes), and extraction only
//! follows the plan this module returns. Declarations can lie; the extractor still counts real
//! bytes against [`ArchiveLimits`] and the planned sizes while it inflates.
//!
//! The rules, in the order an entry meets them: its name, decoded first (GBK without the UTF-8
//! flag is common), must pass [`safe_entry_path`]; it may not be a link or a special file; it
//! may not be encrypted unless the caller can decrypt; its declared sizes must fit the limits.
//! Then it must not collide with an earlier entry: the same file twice, a file that is also a
//! folder, or two names that differ only in case or in Unicode normalisation (NFC `é` against
//! NFD `e` + U+0301). Windows and macOS ignore case, and macOS ignores normalisation, so such
//! twins would be one file there. Folder components count too (`Data/a.csv` beside
//! `data/b.csv` is one folder on Windows, two on Linux).
//!
//! Names are compared through [`fold`]: NFD, each character's uppercase (when it is one
//! character) lowercased, then NFC. That is at least as coarse as full Unicode lowercasing of
//! the path (`Σ`, `σ` and `ς` meet; so do `ſ` and `s`, as NTFS's uppercase table has them),
//! erring towards refusing a rare name over extracting two files into one.
//!
//! A hostile archive may hold 100,000 entries with names of 4 KiB: entries are put into a tree
//! keyed by (parent, folded component), so judging costs time linear in the bytes of the names.
//!
//! Whether an entry is a folder is decided from the decoded name (a trailing `/` or `\`) and a
//! folder's Unix mode, never from the raw name's last byte: a GBK name can end in a trail byte
//! 0x5C that only looks like `\`.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::archive_limits::ArchiveLimits;
use crate::archive_name::{
    decode_entry_name, safe_entry_path, shown_name, SafePath, ASK_FOR_A_CORRECTED_REPORT,
};
use crate::error::{Error, Result};

const S_IFMT: u32 = 0o170000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFDIR: u32 = 0o040000;

/// One entry as the zip container declares it, before any judgement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryDescription {
    /// The entry's position in the central directory, handed back in the plan.
    pub index: usize,
    /// The name's bytes as stored.
    pub raw_name: Vec<u8>,
    /// General-purpose bit 11: the name is UTF-8.
    pub utf8_flag: bool,
    /// The Unix mode from the external attributes, when the entry was made on Unix.
    pub unix_mode: Option<u32>,
    /// Whether the entry is encrypted (general-purpose bit 0).
    pub encrypted: bool,
    /// The declared uncompressed size.
    pub size: u64,
    /// The declared compressed size.
    pub compressed_size: u64,
}

/// What to do with encrypted entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encryption {
    /// Refuse the archive: there is no password to decrypt with.
    #[default]
    Refuse,
    /// Plan encrypted entries like the others; the extractor decrypts them.
    Decrypt,
}

/// One file to extract: where, and how many bytes it declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// The entry's [`EntryDescription::index`].
    pub index: usize,
    /// The relative path to create.
    pub path: SafePath,
    /// The declared uncompressed size, which the extracted bytes must match.
    pub size: u64,
    /// Whether the entry must be decrypted.
    pub encrypted: bool,
}

/// The key two names share when Windows or macOS would take them for one: NFD, each
/// character's single-character uppercase lowercased (else its lowercase), then NFC.
pub fn fold(component: &str) -> String {
    let mut lowered = String::with_capacity(component.len());
    for c in component.nfd() {
        let mut upper = c.to_uppercase();
        match (upper.next(), upper.next()) {
            (Some(u), None) => lowered.extend(u.to_lowercase()),
            _ => lowered.extend(c.to_lowercase()),
        }
    }
    lowered.nfc().collect()
}

/// A node of the tree of names seen so far: a file or a folder.
struct Node {
    /// The component as spelt by the entry that first made this node.
    spelling: String,
    /// That entry's position in `seen`.
    entry: usize,
    is_file: bool,
}

/// Judges every entry of an archive of `archive_bytes` bytes; returns the files to extract, in
/// entry order, or the first reason to refuse the archive: an `archive` [`Error`] that names
/// the entry (both entries, for a collision), says why, and ends with what to do. Folders are
/// not in the plan: the extractor creates a file's folders. Never panics.
pub fn plan_archive(
    entries: &[EntryDescription],
    archive_bytes: u64,
    limits: &ArchiveLimits,
    encryption: Encryption,
) -> Result<Vec<PlannedFile>> {
    limits.check_entry_count(entries.len() as u64)?;
    let mut planned = Vec::new();
    let mut total: u64 = 0;
    // Every judged entry's decoded name and path, for naming the first of two that collide.
    let mut seen: Vec<(String, SafePath)> = Vec::with_capacity(entries.len());
    let mut nodes: Vec<Node> = Vec::new();
    let mut children: HashMap<(usize, String), usize> = HashMap::new();
    for entry in entries {
        let name = decode_entry_name(&entry.raw_name, entry.utf8_flag);
        let path = safe_entry_path(&name)?;
        let shown = shown_name(&name);
        let file_type = entry.unix_mode.unwrap_or(0) & S_IFMT;
        if file_type == S_IFLNK {
            return Err(Error::archive(format!(
                "the archive holds a link {shown:?}; links are refused, {ASK_FOR_A_CORRECTED_REPORT}"
            )));
        }
        if file_type != 0 && file_type != S_IFREG && file_type != S_IFDIR {
            return Err(Error::archive(format!(
                "the archive holds a special file {shown:?} (a device, pipe or socket); \
                 {ASK_FOR_A_CORRECTED_REPORT}"
            )));
        }
        if entry.encrypted && encryption == Encryption::Refuse {
            return Err(Error::archive(format!(
                "entry {shown:?} is encrypted and there is no password to decrypt it; nothing was \
                 extracted: set the unzip_password setting (CLI: --unzip-password-file) and run \
                 again"
            )));
        }
        limits.check_entry(&shown, entry.size, entry.compressed_size)?;
        total = total.saturating_add(entry.size);
        limits.check_total(total, archive_bytes)?;
        let is_dir = path.is_dir || file_type == S_IFDIR;

        let this = seen.len();
        let depth = path.components.len();
        let mut parent = usize::MAX;
        for (i, component) in path.components.iter().enumerate() {
            let is_file = !is_dir && i + 1 == depth;
            let key = (parent, fold(component));
            let node = match children.get(&key) {
                None => {
                    nodes.push(Node {
                        spelling: component.clone(),
                        entry: this,
                        is_file,
                    });
                    children.insert(key, nodes.len() - 1);
                    nodes.len() - 1
                }
                Some(&n) => {
                    let earlier = &nodes[n];
                    let (first_name, first_path) = &seen[earlier.entry];
                    let first_shown = shown_name(first_name);
                    if earlier.spelling != *component {
                        return Err(collision(
                            &first_shown,
                            &first_path.components[..=i],
                            &shown,
                            &path.components[..=i],
                        ));
                    }
                    if earlier.is_file && is_file {
                        return Err(Error::archive(format!(
                            "the archive holds the file {shown:?} twice; {ASK_FOR_A_CORRECTED_REPORT}"
                        )));
                    }
                    if earlier.is_file || is_file {
                        let both = shown_name(&path.components[..=i].join("/"));
                        return Err(Error::archive(format!(
                            "entries {first_shown:?} and {shown:?} use {both:?} both as a file \
                             and as a folder; {ASK_FOR_A_CORRECTED_REPORT}"
                        )));
                    }
                    n
                }
            };
            parent = node;
        }
        if !is_dir {
            planned.push(PlannedFile {
                index: entry.index,
                path: path.clone(),
                size: entry.size,
                encrypted: entry.encrypted,
            });
        }
        seen.push((name, path));
    }
    Ok(planned)
}

/// The error for two entries whose paths (up to the colliding component) differ in spelling
/// but not once folded.
fn collision(first: &str, first_part: &[String], second: &str, second_part: &[String]) -> Error {
    let a = first_part.join("/");
    let b = second_part.join("/");
    let what = if a.nfc().eq(b.nfc()) {
        "are one name written in two Unicode forms (NFC and NFD): one file or folder on macOS, \
         and alike to a reader everywhere"
    } else {
        "differ only in case: one file or folder on Windows and macOS"
    };
    let within = if a == first && b == second {
        String::new()
    } else {
        format!(" (in {:?} and {:?})", shown_name(&a), shown_name(&b))
    };
    Error::archive(format!(
        "entries {first:?} and {second:?}{within} {what}; refused so that the report extracts \
         the same on every system: {ASK_FOR_A_CORRECTED_REPORT}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn file(index: usize, name: &str) -> EntryDescription {
        EntryDescription {
            index,
            raw_name: name.as_bytes().to_vec(),
            utf8_flag: true,
            unix_mode: None,
            encrypted: false,
            size: 10,
            compressed_size: 8,
        }
    }

    fn plan(names: &[&str]) -> Result<Vec<PlannedFile>> {
        let entries: Vec<_> = names.iter().enumerate().map(|(i, n)| file(i, n)).collect();
        plan_archive(
            &entries,
            1000,
            &ArchiveLimits::default(),
            Encryption::Refuse,
        )
    }

    fn refused(names: &[&str]) -> String {
        let e = plan(names).expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::Archive);
        assert!(
            e.message().ends_with(
                "nothing was extracted; ask QCC support for a corrected report of this order"
            ) || e.message().contains("refused"),
            "{e}"
        );
        e.message().to_string()
    }

    #[test]
    fn a_normal_report_is_planned_in_entry_order() {
        let p = plan(&[
            "报告/",
            "报告/a.csv",
            "报告/明细/",
            "报告/明细/b.csv",
            "说明.txt",
        ])
        .unwrap();
        let names: Vec<_> = p.iter().map(|f| f.path.display()).collect();
        assert_eq!(names, ["报告/a.csv", "报告/明细/b.csv", "说明.txt"]);
        assert_eq!(p.iter().map(|f| f.index).collect::<Vec<_>>(), [1, 3, 4]);
    }

    #[test]
    fn case_twins_are_refused_naming_both() {
        let m = refused(&["Report.csv", "report.csv"]);
        assert!(
            m.contains("\"Report.csv\"") && m.contains("\"report.csv\""),
            "{m}"
        );
        assert!(m.contains("differ only in case"), "{m}");
        assert!(
            m.ends_with("ask QCC support for a corrected report of this order"),
            "{m}"
        );
    }

    #[test]
    fn case_twins_among_folders_are_refused() {
        let m = refused(&["Data/a.csv", "data/b.csv"]);
        assert!(
            m.contains("\"Data/a.csv\"") && m.contains("\"data/b.csv\""),
            "{m}"
        );
        assert!(m.contains("(in \"Data\" and \"data\")"), "{m}");
        refused(&["Data/", "DATA/b.csv"]);
        refused(&["a/Ä/x", "a/ä/y"]);
        // Greek sigmas, long s, Kelvin sign: one name where Windows or macOS fold case.
        refused(&["ΟΔΟΣ.txt", "οδος.txt"]);
        refused(&["ſ.txt", "s.txt"]);
        refused(&["\u{212a}.txt", "k.txt"]);
        refused(&["STRASSE/ẞ", "strasse/ß"]);
    }

    #[test]
    fn nfc_and_nfd_twins_are_refused() {
        let nfc = "\u{e9}.txt";
        let nfd = "e\u{301}.txt";
        let m = refused(&[nfc, nfd]);
        assert!(m.contains("NFC and NFD"), "{m}");
        refused(&["caf\u{e9}/a.csv", "cafe\u{301}/b.csv"]);
        refused(&["\u{c5}.txt", "\u{212b}.txt"]); // Å and the Angstrom sign
    }

    #[test]
    fn trailing_dot_and_device_names_are_refused() {
        let m = refused(&["trail", "trail."]);
        assert!(m.contains("\"trail.\""), "{m}");
        for names in [
            &["CON"][..],
            &["nul.txt"],
            &["aux.csv"],
            &["a/com1/x.csv"],
            &["LPT\u{b9}.txt"],
        ] {
            let m = refused(names);
            assert!(m.contains("device on Windows"), "{m}");
        }
    }

    #[test]
    fn duplicates_and_file_folder_clashes_are_refused() {
        let m = refused(&["a/b.txt", "a/b.txt"]);
        assert!(m.contains("twice"), "{m}");
        let m = refused(&["a", "a/b.txt"]);
        assert!(m.contains("both as a file and as a folder"), "{m}");
        assert!(m.contains("\"a\" and \"a/b.txt\""), "{m}");
        refused(&["a/b.txt", "a"]);
        refused(&["a/", "a"]);
        refused(&["a", "a/"]);
        refused(&["a\\b.txt", "a/b.txt"]);
        // Different spelling and a file/folder clash at once: the spelling is named.
        refused(&["A", "a/b.txt"]);
        // Folders may repeat.
        plan(&["a/", "a/", "a/b/", "a/b.txt", "a/c.txt", "./"]).unwrap();
    }

    #[test]
    fn distinct_names_pass() {
        plan(&[
            "a.txt",
            "a.txt.bak",
            "b/a.txt",
            "é/e.txt",
            "ab",
            "a b",
            "CONSOLE.csv",
        ])
        .unwrap();
    }

    #[test]
    fn links_special_files_and_encryption() {
        let mut link = file(0, "link");
        link.unix_mode = Some(0o120777);
        let lim = ArchiveLimits::default();
        let e = plan_archive(&[link], 100, &lim, Encryption::Refuse).unwrap_err();
        assert!(e.message().contains("link \"link\""), "{e}");
        let mut fifo = file(0, "pipe");
        fifo.unix_mode = Some(0o010644);
        let e = plan_archive(&[fifo], 100, &lim, Encryption::Refuse).unwrap_err();
        assert!(e.message().contains("special file"), "{e}");
        let mut secret = file(0, "secret.csv");
        secret.encrypted = true;
        let e = plan_archive(&[secret.clone()], 100, &lim, Encryption::Refuse).unwrap_err();
        assert!(e.message().contains("encrypted"), "{e}");
        let p = plan_archive(&[secret], 100, &lim, Encryption::Decrypt).unwrap();
        assert!(p[0].encrypted);
        // A folder by its mode is not planned as a file.
        let mut dir = file(0, "folder");
        dir.unix_mode = Some(0o040755);
        assert!(plan_archive(&[dir], 100, &lim, Encryption::Refuse)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_gbk_name_ending_in_a_0x5c_trail_byte_is_a_file() {
        // 運 is DF 5C in GBK: the raw name ends in what looks like a backslash.
        let (raw, _, _) = encoding_rs::GBK.encode("报告/運");
        assert_eq!(raw.last(), Some(&0x5C));
        let entry = EntryDescription {
            raw_name: raw.into_owned(),
            utf8_flag: false,
            ..file(0, "")
        };
        let p = plan_archive(&[entry], 100, &ArchiveLimits::default(), Encryption::Refuse).unwrap();
        assert_eq!(p[0].path.display(), "报告/運");
    }

    #[test]
    fn limits_are_held_to_declared_sizes() {
        let lim = ArchiveLimits {
            max_entries: 2,
            max_entry_bytes: 100,
            max_total_bytes: 150,
            max_ratio: 10,
            ratio_floor_bytes: 1000,
        };
        let mut big = file(0, "big");
        big.size = 101;
        assert!(plan_archive(&[big], 10, &lim, Encryption::Refuse).is_err());
        let (mut a, mut b) = (file(0, "a"), file(1, "b"));
        a.size = 80;
        b.size = 80;
        assert!(plan_archive(&[a, b], 100, &lim, Encryption::Refuse).is_err());
        let three = [file(0, "a"), file(1, "b"), file(2, "c")];
        let e = plan_archive(&three, 100, &lim, Encryption::Refuse).unwrap_err();
        assert!(e.message().contains("3 entries"), "{e}");
    }

    #[test]
    fn fold_meets_lowercase() {
        assert_eq!(fold("Report.CSV"), "report.csv");
        assert_eq!(fold("e\u{301}"), "\u{e9}");
        assert_eq!(fold("Σ"), fold("ς"));
        assert_ne!(fold("a"), fold("b"));
    }
}
