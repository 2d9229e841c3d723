//! Runs `qcc_radar::extract::extract_zip` on untrusted bytes inside a scratch folder and checks
//! what it leaves behind.
//!
//! The properties, whatever the bytes:
//! - the call returns (a panic is a finding) with `Ok` or an `archive` error (`config` only for
//!   a disk write the file system refused, such as a path longer than it allows);
//! - nothing is created beside `out/` (an escape through `..` would land there) and the archive
//!   itself is untouched;
//! - nothing under `out/` is a link, a device or a pipe;
//! - on error `out/` is empty: no staging folder, no partial file;
//! - on success `out/` holds only `<order>/`, and the regular files under it are exactly the
//!   returned list, sorted, within the limits.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use qcc_radar::extract::extract_zip;
use qcc_radar_core::{ArchiveLimits, ErrorKind, OrderNo};

/// Tight limits, so that a hostile input is refused in microseconds rather than by writing
/// gigabytes: the rules are the same at any scale.
pub fn fuzz_limits() -> ArchiveLimits {
    ArchiveLimits {
        max_entries: 64,
        max_entry_bytes: 1024 * 1024,
        max_total_bytes: 2 * 1024 * 1024,
        max_ratio: 50,
        ratio_floor_bytes: 64 * 1024,
    }
}

/// The folder every run works in: `<QCC_FUZZ_SCRATCH or /dev/shm or the temp dir>/
/// qcc-radar-fuzz-<pid>`. On tmpfs when there is one, since extraction syncs folders, which is
/// slow on a disk. Each run empties it; the empty folder stays when the process ends (a static
/// is never dropped), so `smoke.sh` points `QCC_FUZZ_SCRATCH` at a folder it removes. After a
/// crash it holds the failing run's files.
fn parent() -> &'static Path {
    static PARENT: OnceLock<PathBuf> = OnceLock::new();
    PARENT.get_or_init(|| {
        let base = match std::env::var_os("QCC_FUZZ_SCRATCH") {
            Some(dir) => PathBuf::from(dir),
            None if Path::new("/dev/shm").is_dir() => PathBuf::from("/dev/shm"),
            None => std::env::temp_dir(),
        };
        let dir = base.join(format!("qcc-radar-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

/// Every path under `dir` (not following links), relative to it, with whether it is a folder.
fn tree(dir: &Path) -> Vec<(PathBuf, std::fs::FileType)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable") {
            let e = e.expect("an entry");
            let ty = e.file_type().expect("a type");
            let p = e.path();
            if ty.is_dir() {
                stack.push(p.clone());
            }
            out.push((p.strip_prefix(dir).expect("under dir").to_path_buf(), ty));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The outcome, for targets that want to count.
pub enum Outcome {
    /// Extracted this many files.
    Extracted(usize),
    /// Refused with this kind.
    Refused(ErrorKind),
}

/// Extracts `bytes` with `limits` and asserts the properties in the module comment.
pub fn check(bytes: &[u8], limits: &ArchiveLimits) -> Outcome {
    let root = parent().join("run");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir(&root).expect("a run folder");
    let archive = root.join("archive.zip");
    let out = root.join("out");
    std::fs::write(&archive, bytes).expect("the archive is written");
    std::fs::create_dir(&out).expect("the out folder");
    let order = OrderNo::new("JKDAY-1").expect("a valid order number");

    let result = extract_zip(&archive, &out, &order, limits);

    let top: BTreeSet<String> = std::fs::read_dir(&root)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        top,
        BTreeSet::from(["archive.zip".to_string(), "out".to_string()]),
        "something was created beside the out folder"
    );
    assert_eq!(
        std::fs::read(&archive).expect("the archive is still there"),
        bytes,
        "the archive was changed"
    );
    let listing = tree(&out);
    for (p, ty) in &listing {
        assert!(
            ty.is_dir() || ty.is_file(),
            "{} is neither a file nor a folder: {ty:?}",
            p.display()
        );
    }
    let outcome = match result {
        Err(e) => {
            assert!(
                matches!(e.kind(), ErrorKind::Archive | ErrorKind::Config),
                "unexpected error kind {:?}: {e}",
                e.kind()
            );
            assert!(
                listing.is_empty(),
                "a refused archive left {listing:?} ({e})"
            );
            Outcome::Refused(e.kind())
        }
        Ok((folder, files)) => {
            assert_eq!(folder, out.join("JKDAY-1"));
            let mut sorted = files.clone();
            sorted.sort();
            assert_eq!(sorted, files, "the files are sorted");
            let on_disk: Vec<PathBuf> = listing
                .iter()
                .filter(|(_, ty)| ty.is_file())
                .map(|(p, _)| out.join(p))
                .collect();
            let mut expected = files.clone();
            expected.sort();
            let mut found = on_disk.clone();
            found.sort();
            assert_eq!(found, expected, "the files on disk are the files returned");
            for (p, _) in &listing {
                assert!(
                    p.starts_with("JKDAY-1"),
                    "{} stands beside the report folder",
                    p.display()
                );
            }
            assert!(files.len() as u64 <= limits.max_entries);
            let total: u64 = files
                .iter()
                .map(|f| std::fs::metadata(f).expect("a file").len())
                .sum();
            assert!(total <= limits.max_total_bytes, "{total} bytes written");
            Outcome::Extracted(files.len())
        }
    };
    std::fs::remove_dir_all(&root).expect("the run folder is removed");
    outcome
}
