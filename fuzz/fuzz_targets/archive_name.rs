//! Zip entry-name decoding and the path-safety rules on arbitrary raw names.
//!
//! A name that passes must be a relative path of plain components that stays under any folder
//! it is joined to, on Linux and when read by Windows rules (no `\`, `:`, drive, component of
//! only dots and spaces, component ending in a dot or space, `< > " | ? *`, or device name such
//! as `CON` or `nul.txt`), with bounded lengths; judging is stable (the accepted path, judged
//! again, is itself); a refusal is an `archive` error whose message is bounded and free of
//! control characters (it is shown in logs and terminals).
#![no_main]

use std::path::{Component, Path};

use libfuzzer_sys::fuzz_target;
use qcc_radar_core::archive_name::{windows_device_name, MAX_COMPONENT_BYTES, MAX_NAME_BYTES};
use qcc_radar_core::{decode_entry_name, safe_entry_path, ErrorKind};
use qcc_radar_fuzz::inputs::split_name;

fuzz_target!(|data: &[u8]| {
    let Some((flag, raw)) = split_name(data) else {
        return;
    };
    let name = decode_entry_name(raw, flag);
    if let Ok(s) = std::str::from_utf8(raw) {
        assert_eq!(name, s, "valid UTF-8 is kept as it is");
    }
    match safe_entry_path(&name) {
        Ok(p) => {
            assert!(name.len() <= MAX_NAME_BYTES);
            assert!(p.is_dir || !p.components.is_empty(), "a file has a name");
            for c in &p.components {
                assert!(!c.is_empty() && c.len() <= MAX_COMPONENT_BYTES, "{c:?}");
                assert!(!c.contains(['/', '\\', ':', '\0']), "{c:?}");
                assert!(!c.chars().any(char::is_control), "{c:?}");
                assert!(!c.chars().all(|ch| ch == '.' || ch == ' '), "{c:?}");
                assert!(!c.ends_with(['.', ' ']), "Windows would trim {c:?}");
                assert!(!c.contains(['<', '>', '"', '|', '?', '*']), "{c:?}");
                assert!(
                    windows_device_name(c).is_none(),
                    "{c:?} is a Windows device"
                );
            }
            let rel = p.to_path_buf();
            assert!(rel.is_relative());
            assert!(
                rel.components().all(|c| matches!(c, Component::Normal(_))),
                "{rel:?}"
            );
            let base = Path::new("/base/out");
            assert!(base.join(&rel).starts_with(base));
            assert_eq!(rel.components().count(), p.components.len());
            // Stable: the accepted path is accepted as itself.
            if !p.components.is_empty() {
                let again = safe_entry_path(&p.display()).expect("an accepted path stays accepted");
                assert_eq!(again.components, p.components);
            }
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
            // 120 characters of the name are shown, each at most 10 bytes once escaped.
            assert!(e.message().len() < 2048, "the message is bounded");
            assert!(
                !e.message().chars().any(char::is_control),
                "no control characters reach a log line: {:?}",
                e.message()
            );
        }
    }
});
