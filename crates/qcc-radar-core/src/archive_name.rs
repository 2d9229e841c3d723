//! Zip entry names: decoding and the rules for extracting them safely.
//!
//! Archives from Chinese systems often store names in GBK without the zip UTF-8 flag, so a name
//! is decoded as UTF-8 when flagged or valid, else as GB18030 (a superset of GBK). Only then is
//! it judged: a GBK trail byte can be 0x5C, which looks like a backslash in the raw bytes, so
//! judging raw bytes would reject good names and could pass bad ones.
//!
//! An archive is untrusted input. A name is safe when, read as a relative path with either `/`
//! or `\` as separator, it has no root, no drive letter or UNC prefix, no `..`, no NUL or other
//! control character, no `:` (Windows streams), and bounded lengths.
//!
//! A report must also extract the same on Linux, macOS and Windows or not at all, so a name
//! Windows would not write as it is, is refused here too: a character Windows forbids in names
//! (`< > " | ? *`), a component that ends in a dot or a space (Windows drops them: `trail.` would
//! be written as `trail`, and `.. ` read as `..`; refusing them outright, rather than only when
//! they collide with the trimmed name, keeps the list of extracted files true on every system,
//! and the vendor's Windows tooling cannot make such a name anyway), and a Windows device name
//! as any component, with or without an extension and in any case (`CON`, `nul.txt`,
//! `Com1.csv`, `LPT¹`), which Windows opens as the device instead of a file. Names that collide
//! with *each other* (case, Unicode normalisation) are judged with the whole archive, in
//! [`crate::archive_plan`].

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

/// What to do about a refused archive: only its maker can correct it.
pub(crate) const ASK_FOR_A_CORRECTED_REPORT: &str =
    "nothing was extracted; ask QCC support for a corrected report of this order";

/// A name as an error message shows it: at most 120 characters, control characters as `?`.
pub(crate) fn shown_name(name: &str) -> String {
    let mut shown: String = name
        .chars()
        .take(120)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if name.chars().nth(120).is_some() {
        shown.push('…');
    }
    shown
}

fn unsafe_name(name: &str, why: &str) -> Error {
    let shown = shown_name(name);
    Error::archive(format!(
        "the archive holds an unsafe entry {shown:?} ({why}); {ASK_FOR_A_CORRECTED_REPORT}"
    ))
}

/// The characters Windows refuses in a name, besides `/`, `\`, `:` and control characters
/// (which are refused for reasons of their own).
pub const WINDOWS_FORBIDDEN: [char; 6] = ['<', '>', '"', '|', '?', '*'];

/// The Windows device name `component` opens instead of a file, if any: its part before the
/// first dot, trailing spaces dropped, compared without case to `CON`, `PRN`, `AUX`, `NUL`,
/// `CONIN$`, `CONOUT$`, and `COM`/`LPT` followed by a digit or a superscript one, two or three
/// (`COM0` and `LPT0` included: Windows documents them as reserved too).
pub fn windows_device_name(component: &str) -> Option<&str> {
    let base = component.split('.').next().unwrap_or("");
    let base = base.trim_end_matches(' ');
    let upper = base.to_ascii_uppercase();
    let plain = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];
    if plain.contains(&upper.as_str()) {
        return Some(base);
    }
    let mut chars = upper.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let digit = chars.next();
    if (prefix == "COM" || prefix == "LPT")
        && matches!(digit, Some('0'..='9' | '\u{b9}' | '\u{b2}' | '\u{b3}'))
        && chars.next().is_none()
    {
        return Some(base);
    }
    None
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
    if let Some(c) = normalised.chars().find(|c| WINDOWS_FORBIDDEN.contains(c)) {
        return Err(unsafe_name(
            name,
            &format!("{c:?}, which Windows does not allow in a name"),
        ));
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
            p if p.ends_with(['.', ' ']) => {
                return Err(unsafe_name(
                    name,
                    &format!(
                        "{:?} ends in a dot or a space, which Windows drops from a name",
                        shown_name(p)
                    ),
                ))
            }
            p if windows_device_name(p).is_some() => {
                let device = windows_device_name(p).unwrap_or(p).to_ascii_uppercase();
                return Err(unsafe_name(
                    name,
                    &format!("{device} is a device on Windows, not a file"),
                ));
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
        for good in ["a.b", ".hidden", "..a", "a b", " a", "a/ b.txt"] {
            assert!(safe_entry_path(good).is_ok(), "{good:?}");
        }
    }

    // Windows drops a trailing dot or space: `trail.` would be written as `trail`.
    #[test]
    fn rejects_trailing_dots_and_spaces() {
        for bad in [
            "trail.",
            "trail ",
            "a.. ",
            "a../b",
            "a /b",
            "dir./x.csv",
            "x.csv.",
        ] {
            let e = safe_entry_path(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Archive);
            assert!(e.message().contains("Windows drops"), "{e}");
        }
    }

    #[test]
    fn rejects_windows_device_names_in_any_component() {
        for bad in [
            "CON",
            "con",
            "nul.txt",
            "aux.csv",
            "Prn.tar.gz",
            "COM1",
            "com9.txt",
            "lpt1",
            "LPT9.log",
            "COM0",
            "a/NUL/b.txt",
            "CON .txt",
            "COM\u{b9}",
            "lpt\u{b2}.csv",
            "Com\u{b3}",
            "conin$",
            "CONOUT$.txt",
            "报告/AUX.pdf",
        ] {
            let e = safe_entry_path(bad).unwrap_err();
            assert!(e.message().contains("a device on Windows"), "{bad:?}: {e}");
            assert!(e.message().ends_with("of this order"), "{e}");
        }
        for good in [
            "CONSOLE.txt",
            "console",
            "nul_.txt",
            "auxiliary.csv",
            "COM10",
            "COM",
            "LPT",
            "xCON",
            "COM1x.txt",
            "a.CON",
            "con-tract.pdf",
            "COM\u{b9}\u{b2}",
        ] {
            assert!(safe_entry_path(good).is_ok(), "{good:?}");
        }
        assert_eq!(windows_device_name("nul.txt"), Some("nul"));
        assert_eq!(windows_device_name("CON .txt"), Some("CON"));
        assert_eq!(windows_device_name("report.csv"), None);
    }

    #[test]
    fn rejects_characters_windows_forbids() {
        for bad in [
            "a<b",
            "a>b.txt",
            "say\"hi\".txt",
            "a|b",
            "why?.csv",
            "*.csv",
            "d<ir/x",
        ] {
            let e = safe_entry_path(bad).unwrap_err();
            assert!(
                e.message().contains("Windows does not allow"),
                "{bad:?}: {e}"
            );
        }
        // Full-width forms are ordinary characters on every system.
        for good in ["问题？.csv", "a＊b", "《报告》.pdf", "a｜b"] {
            assert!(safe_entry_path(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn long_names_are_shown_cut() {
        let long = format!("{}/CON", "长".repeat(200));
        let e = safe_entry_path(&long).unwrap_err();
        assert!(e.message().contains('…'), "{e}");
        assert!(e.message().chars().count() < 400, "{e}");
    }
}
