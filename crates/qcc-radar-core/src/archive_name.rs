//! Zip entry names: decoding and the rules for extracting them safely.
//!
//! Archives from Chinese systems often store names in GBK without the zip UTF-8 flag, so a name
//! is decoded as UTF-8 when flagged or valid, else as GB18030 (a superset of GBK). Only then is
//! it judged: a GBK trail byte can be 0x5C, which looks like a backslash in the raw bytes, so
//! judging raw bytes would reject good names and could pass bad ones.
//!
//! An archive is untrusted input. A name is safe when, read as a relative path with either `/`
//! or `\` as separator, it has no root, no drive letter or UNC prefix, no `..`, no NUL or other
//! control character, no `:` (Windows streams), no component of only dots and spaces (Windows
//! trims trailing dots and spaces, so `.. ` would become `..`), and bounded lengths.

use std::path::PathBuf;

use crate::error::{Error, Result};

/// The longest accepted entry name, in bytes of UTF-8.
pub const MAX_NAME_BYTES: usize = 4096;
/// The longest accepted path component, in bytes of UTF-8 (Linux's NAME_MAX).
pub const MAX_COMPONENT_BYTES: usize = 255;

/// Decodes a zip entry's raw name. `utf8_flag` is general-purpose bit 11.
pub fn decode_entry_name(raw: &[u8], utf8_flag: bool) -> String {
    if let Ok(s) = std::str::from_utf8(raw) {
        return s.to_string();
    }
    if utf8_flag {
        // Flagged but invalid: keep what can be read, visibly marked.
        return String::from_utf8_lossy(raw).into_owned();
    }
    let (text, _, _) = encoding_rs::GB18030.decode(raw);
    text.into_owned()
}

/// A decoded entry name that passed the safety rules: the relative path to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafePath {
    /// The path's components, none empty, `.` or `..`.
    pub components: Vec<String>,
    /// Whether the entry names a directory (its name ended with a separator).
    pub is_dir: bool,
}

impl SafePath {
    /// The relative path, for joining under the extraction folder.
    pub fn to_path_buf(&self) -> PathBuf {
        self.components.iter().collect()
    }

    /// The components joined with `/`.
    pub fn display(&self) -> String {
        self.components.join("/")
    }
}

fn unsafe_name(name: &str, why: &str) -> Error {
    let shown: String = name
        .chars()
        .take(120)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    Error::archive(format!(
        "the archive holds an unsafe entry {shown:?} ({why}); nothing was extracted"
    ))
}

/// Judges a decoded entry name. An error is an `archive` error that names the entry.
pub fn safe_entry_path(name: &str) -> Result<SafePath> {
    if name.is_empty() {
        return Err(unsafe_name(name, "empty name"));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(unsafe_name(name, "name too long"));
    }
    if name.contains('\0') {
        return Err(unsafe_name(name, "NUL byte"));
    }
    if name.chars().any(char::is_control) {
        return Err(unsafe_name(name, "control character"));
    }
    let normalised = name.replace('\\', "/");
    if normalised.starts_with('/') {
        return Err(unsafe_name(name, "absolute path or UNC prefix"));
    }
    if normalised.contains(':') {
        return Err(unsafe_name(name, "drive letter or ':'"));
    }
    let is_dir = normalised.ends_with('/');
    let mut components = Vec::new();
    for part in normalised.split('/') {
        match part {
            "" | "." => continue,
            ".." => return Err(unsafe_name(name, "'..' leaves the target folder")),
            // Windows drops trailing dots and spaces from a name, so `.. ` or `...` could be
            // read as `..` (or as nothing); no report file is named like that.
            p if p.chars().all(|c| c == '.' || c == ' ') => {
                return Err(unsafe_name(
                    name,
                    "a name of only dots and spaces, which Windows reads as '.' or '..'",
                ))
            }
            p if p.len() > MAX_COMPONENT_BYTES => {
                return Err(unsafe_name(name, "path component too long"))
            }
            p => components.push(p.to_string()),
        }
    }
    if components.is_empty() && !is_dir {
        return Err(unsafe_name(name, "names no file"));
    }
    Ok(SafePath { components, is_dir })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_without_flag() {
        // "监控日报/报告.xlsx" in GBK.
        let (raw, _, _) = encoding_rs::GBK.encode("监控日报/报告.xlsx");
        assert!(std::str::from_utf8(&raw).is_err());
        assert_eq!(decode_entry_name(&raw, false), "监控日报/报告.xlsx");
    }

    #[test]
    fn gbk_trail_byte_0x5c_is_not_a_separator() {
        // Find a GBK character whose second byte is 0x5C ('\').
        let mut found = None;
        for lead in 0x81u8..=0xFE {
            let pair = [lead, 0x5C];
            let (s, _, bad) = encoding_rs::GBK.decode(&pair);
            if !bad && s.chars().count() == 1 {
                found = Some((lead, s.into_owned()));
                break;
            }
        }
        let (lead, ch) = found.expect("GBK has characters with a 0x5C trail byte");
        let raw = [b'a', lead, 0x5C, b'.', b't', b'x', b't'];
        let name = decode_entry_name(&raw, false);
        assert_eq!(name, format!("a{ch}.txt"));
        let p = safe_entry_path(&name).unwrap();
        assert_eq!(p.components, vec![name.clone()]);
    }

    #[test]
    fn rejects_escapes() {
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "\\\\server\\share\\x",
            "C:\\x",
            "c:x",
            "a\\..\\..\\x",
            "a\0b",
            "a\nb",
            "",
            ".",
        ] {
            assert!(safe_entry_path(bad).is_err(), "{bad:?}");
        }
        assert!(safe_entry_path(&"x".repeat(300)).is_err());
    }

    #[test]
    fn accepts_nested_and_dirs() {
        let p = safe_entry_path("监控日报/子目录/报告.pdf").unwrap();
        assert_eq!(p.components.len(), 3);
        assert!(!p.is_dir);
        let d = safe_entry_path("./监控日报/").unwrap();
        assert!(d.is_dir);
        assert_eq!(d.display(), "监控日报");
    }

    // Regression (Windows hardening): components of only dots and spaces were accepted.
    #[test]
    fn rejects_dot_and_space_components() {
        for bad in [".. /x", "a/.. /b", "...", "a/ /b", ". /x", "x/. ."] {
            assert!(safe_entry_path(bad).is_err(), "{bad:?}");
        }
        for good in ["a.b", ".hidden", "a /b", "..a", "a.."] {
            assert!(safe_entry_path(good).is_ok(), "{good:?}");
        }
    }
}
