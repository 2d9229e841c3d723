//! Whole-archive judgement (`qcc_radar_core::plan_archive`) on fuzzer-chosen declarations: raw
//! or collision-prone names, flags, Unix modes, encryption, lying sizes.
//!
//! Whatever the input: judging returns (a panic is a finding) and gives the same answer twice; a
//! refusal is an `archive` error with a bounded message free of control characters; an accepted
//! plan lists files in entry order, each a safe path by the Windows rules too (no trailing dot or
//! space, no forbidden character, no device name), within the limits, encrypted only when the
//! caller can decrypt, and no two files or folders of it are one name on Windows or macOS
//! (equal once lower-cased, NFC-normalised, or both), nor a file also a folder. Whether an
//! archive is accepted does not depend on the order of its entries.
#![no_main]

use std::collections::BTreeSet;

use libfuzzer_sys::fuzz_target;
use qcc_radar_core::{
    decode_entry_name, plan_archive, safe_entry_path, ArchiveLimits, Encryption, EntryDescription,
    ErrorKind, PlannedFile,
};
use qcc_radar_fuzz::inputs::PlanInput;
use unicode_normalization::UnicodeNormalization;

const LIMITS: ArchiveLimits = ArchiveLimits {
    max_entries: 48,
    max_entry_bytes: 1 << 20,
    max_total_bytes: 2 << 20,
    max_ratio: 50,
    ratio_floor_bytes: 64 << 10,
};

fn is_device(component: &str) -> bool {
    let stem = component
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end_matches(' ');
    let upper = stem.to_uppercase();
    if ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&upper.as_str()) {
        return true;
    }
    let c: Vec<char> = upper.chars().collect();
    c.len() == 4
        && (c[..3] == ['C', 'O', 'M'] || c[..3] == ['L', 'P', 'T'])
        && (c[3].is_ascii_digit() || ['\u{b9}', '\u{b2}', '\u{b3}'].contains(&c[3]))
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Every file and folder an accepted archive names: its path and whether it is a file.
fn nodes(entries: &[EntryDescription], plan: &[PlannedFile]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for e in entries {
        let name = decode_entry_name(&e.raw_name, e.utf8_flag);
        let p = safe_entry_path(&name).expect("an accepted archive has only safe names");
        let file = plan.iter().any(|f| f.index == e.index);
        for k in 1..=p.components.len() {
            out.push((p.components[..k].join("/"), file && k == p.components.len()));
        }
    }
    out
}

fn check_plan(entries: &[EntryDescription], plan: &[PlannedFile], decrypt: bool) {
    assert!(entries.len() as u64 <= LIMITS.max_entries);
    assert!(
        plan.windows(2).all(|w| w[0].index < w[1].index),
        "entry order"
    );
    let mut total = 0u64;
    for f in plan {
        let e = entries
            .iter()
            .find(|e| e.index == f.index)
            .expect("a planned file is an entry");
        assert_eq!(f.size, e.size);
        assert!(f.size <= LIMITS.max_entry_bytes);
        assert!(decrypt || !f.encrypted, "encrypted without a password");
        total += f.size;
        assert!(!f.path.components.is_empty(), "a file has a name");
        for c in &f.path.components {
            assert!(!c.is_empty() && c != "." && c != "..", "{c:?}");
            assert!(
                !c.contains(['/', '\\', ':', '\0', '<', '>', '"', '|', '?', '*']),
                "{c:?}"
            );
            assert!(!c.chars().any(char::is_control), "{c:?}");
            assert!(!c.ends_with(['.', ' ']), "Windows would trim {c:?}");
            assert!(!is_device(c), "{c:?} is a Windows device");
        }
    }
    assert!(total <= LIMITS.max_total_bytes);
    let nodes = nodes(entries, plan);
    for (i, (a, a_file)) in nodes.iter().enumerate() {
        for (b, b_file) in &nodes[i + 1..] {
            if a == b {
                assert!(
                    !a_file && !b_file,
                    "{a:?} is a file twice, or a file and a folder"
                );
                continue;
            }
            let (la, lb) = (a.to_lowercase(), b.to_lowercase());
            assert_ne!(la, lb, "{a:?} and {b:?} differ only in case");
            assert_ne!(nfc(a), nfc(b), "{a:?} and {b:?} differ only in form");
            assert_ne!(nfc(&nfc(a).to_lowercase()), nfc(&nfc(b).to_lowercase()));
        }
    }
}

fn files(plan: &[PlannedFile]) -> BTreeSet<String> {
    plan.iter().map(|f| f.path.display()).collect()
}

fuzz_target!(|input: PlanInput| {
    let entries: Vec<EntryDescription> = input
        .entries
        .iter()
        .take(64)
        .enumerate()
        .map(|(index, e)| EntryDescription {
            index,
            raw_name: e.name.bytes(),
            utf8_flag: e.utf8_flag,
            unix_mode: e.kind.mode(),
            encrypted: e.encrypted,
            size: u64::from(e.size),
            compressed_size: u64::from(e.compressed_size),
        })
        .collect();
    let encryption = if input.decrypt {
        Encryption::Decrypt
    } else {
        Encryption::Refuse
    };
    let archive_bytes = u64::from(input.archive_bytes);
    let got = plan_archive(&entries, archive_bytes, &LIMITS, encryption);
    assert_eq!(
        got,
        plan_archive(&entries, archive_bytes, &LIMITS, encryption),
        "judging is deterministic"
    );
    let mut reversed = entries.clone();
    reversed.reverse();
    let again = plan_archive(&reversed, archive_bytes, &LIMITS, encryption);
    match &got {
        Ok(plan) => {
            check_plan(&entries, plan, input.decrypt);
            let again = again.expect("accepted in any order");
            assert_eq!(files(plan), files(&again), "the same files in any order");
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Archive, "{e}");
            assert!(e.message().len() < 4096, "bounded: {}", e.message().len());
            assert!(
                !e.message().chars().any(char::is_control),
                "no control characters reach a log line: {:?}",
                e.message()
            );
            assert!(again.is_err(), "refused in any order: {e}");
        }
    }
});
