//! What the report zips hold: GBK names without the UTF-8 flag, hostile entries, the bomb, names
//! that collide off Linux, and the large archive generated on the fly.

mod common;

use std::io::Read;

use common::*;
use qcc_radar_core::{
    plan_archive, safe_entry_path, ArchiveLimits, Encryption, EntryDescription, ReportType,
};
use qcc_radar_sandbox::{Sandbox, SandboxConfig, Scenario};

#[test]
fn normal_zip_has_gbk_names_without_the_utf8_flag() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let zip = fetch_archive(&sb);
    let entries = central_directory(&zip);
    let names: Vec<String> = entries.iter().map(CdEntry::name).collect();
    assert_eq!(
        names,
        [
            "风险监控日报/",
            "风险监控日报/企业风险变化汇总.csv",
            "风险监控日报/明细/",
            "风险监控日报/明细/法律诉讼.csv",
            "风险监控日报/明细/工商变更.txt",
            "说明.txt",
        ]
    );
    for e in &entries {
        assert_eq!(e.flags & 0x0800, 0, "UTF-8 flag set on {}", e.name());
        let name = e.name();
        let (gbk, _, _) = encoding_rs::GBK.encode(&name);
        assert_eq!(&gbk[..], &e.raw_name[..], "name stored in GBK");
        assert!(std::str::from_utf8(&e.raw_name).is_err(), "not UTF-8");
        safe_entry_path(&e.name()).unwrap();
        let data = entry_data(&zip, e);
        assert_eq!(data.len() as u64, e.uncompressed_size);
        assert_eq!(crc32fast::hash(&data), e.crc32);
        if e.name().ends_with('/') {
            assert_eq!(e.external_attributes & 0x10, 0x10, "directory attribute");
        }
    }
    assert_eq!(entries[1].method, 8, "the CSV is deflated");
    assert_eq!(entries[5].method, 0, "说明.txt is stored");
    let csv = String::from_utf8(entry_data(&zip, &entries[1])).unwrap();
    assert!(csv.contains("企业名称"), "{csv}");
}

#[test]
fn week_and_month_reports_are_named_for_their_period() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    for (t, word) in [(ReportType::Week, "周报"), (ReportType::Month, "月报")] {
        let o = order(&sb, t);
        let i = wait_ready(&sb, &o, 5);
        let link = i.link.unwrap();
        assert_eq!(link.file_name().unwrap(), format!("风险监控{word}-{o}.zip"));
        let zip = http("GET", link.expose(), &[]).body;
        let first = central_directory(&zip)[0].name();
        assert_eq!(first, format!("风险监控{word}/"));
    }
}

#[test]
fn python_reads_the_normal_zip() {
    if !have_python() {
        eprintln!("python3 not found; skipped");
        return;
    }
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let zip = fetch_archive(&sb);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.zip");
    std::fs::write(&path, &zip).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-t"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Python, like most tools, reads unflagged names as CP437: the mojibake a client must avoid.
    let script = "import sys, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1])\n\
                  print('\\n'.join(i.filename.encode('cp437').decode('gbk') for i in z.infolist()))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    assert!(
        listing.contains("风险监控日报/明细/法律诉讼.csv"),
        "{listing}"
    );
}

#[test]
fn unsafe_archive_holds_escapes_and_a_symlink() {
    let sb = Sandbox::start(Scenario::UnsafeArchive).unwrap();
    let zip = fetch_archive(&sb);
    let entries = central_directory(&zip);
    let names: Vec<String> = entries.iter().map(CdEntry::name).collect();
    assert!(
        names.contains(&"风险监控日报/企业风险变化汇总.csv".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"../escape.txt".to_string()), "{names:?}");
    assert!(names.contains(&"/tmp/qcc-abs.txt".to_string()), "{names:?}");
    let link = entries.iter().find(|e| e.name() == "link").unwrap();
    assert_eq!(link.version_made_by >> 8, 3, "made by UNIX");
    assert_eq!(link.external_attributes >> 16, 0o120_777, "symlink mode");
    assert_eq!(entry_data(&zip, link), b"/etc/passwd");
    assert!(safe_entry_path("../escape.txt").is_err());
    assert!(safe_entry_path("/tmp/qcc-abs.txt").is_err());
    for e in &entries {
        assert_eq!(crc32fast::hash(&entry_data(&zip, e)), e.crc32);
    }
}

#[test]
fn colliding_names_differ_only_in_case_and_the_core_refuses_them() {
    let sb = Sandbox::start(Scenario::CollidingNames).unwrap();
    let zip = fetch_archive(&sb);
    let entries = central_directory(&zip);
    let names: Vec<String> = entries.iter().map(CdEntry::name).collect();
    assert!(
        names.contains(&"风险监控日报/Report.csv".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"风险监控日报/report.csv".to_string()),
        "{names:?}"
    );
    // Each name alone is safe; together they are one file on Windows and macOS.
    for name in &names {
        safe_entry_path(name).unwrap();
    }
    let described: Vec<EntryDescription> = entries
        .iter()
        .enumerate()
        .map(|(index, e)| EntryDescription {
            index,
            raw_name: e.raw_name.clone(),
            utf8_flag: e.flags & 0x0800 != 0,
            unix_mode: None,
            encrypted: false,
            size: e.uncompressed_size,
            compressed_size: e.compressed_size,
        })
        .collect();
    let e = plan_archive(
        &described,
        zip.len() as u64,
        &ArchiveLimits::default(),
        Encryption::Refuse,
    )
    .unwrap_err();
    assert!(
        e.message().contains("Report.csv") && e.message().contains("report.csv"),
        "{e}"
    );
    for e in &entries {
        assert_eq!(crc32fast::hash(&entry_data(&zip, e)), e.crc32);
    }
}

#[test]
fn zip_bomb_is_refused_by_default_limits() {
    let sb = Sandbox::start(Scenario::ZipBomb).unwrap();
    let zip = fetch_archive(&sb);
    assert!(zip.len() < 200 * 1024, "{} bytes", zip.len());
    let entries = central_directory(&zip);
    let bomb = entries.iter().max_by_key(|e| e.uncompressed_size).unwrap();
    assert!(bomb.uncompressed_size >= 64 * 1024 * 1024);
    let ratio = bomb.uncompressed_size / bomb.compressed_size;
    assert!(ratio >= 900, "ratio {ratio}");
    let limits = ArchiveLimits::default();
    assert!(limits
        .check_entry(&bomb.name(), bomb.uncompressed_size, bomb.compressed_size)
        .is_err());
    // It is an honest bomb: it really inflates to what it declares.
    let mut inflated = 0u64;
    let mut crc = crc32fast::Hasher::new();
    let mut dec = flate2::read::DeflateDecoder::new(stored_bytes(&zip, bomb));
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = dec.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        assert!(buf[..n].iter().all(|&b| b == 0));
        crc.update(&buf[..n]);
        inflated += n as u64;
    }
    assert_eq!(inflated, bomb.uncompressed_size);
    assert_eq!(crc.finalize(), bomb.crc32);
}

#[test]
fn large_archive_is_exact_stored_and_consistent() {
    let size = 3 * 1024 * 1024 + 12_345;
    let config = SandboxConfig {
        large_bytes: size,
        ..SandboxConfig::new(Scenario::Large)
    };
    let sb = Sandbox::start_with(config).unwrap();
    let o = order(&sb, ReportType::Day);
    let url = wait_ready(&sb, &o, 5).link.unwrap().expose().to_string();
    let r = http("GET", &url, &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_length(), Some(size));
    assert!(r.complete);
    let zip = r.body;
    let entries = central_directory(&zip);
    let data_entries: Vec<_> = entries
        .iter()
        .filter(|e| e.name().ends_with(".dat"))
        .collect();
    assert!(data_entries.len() >= 2);
    for e in &entries {
        assert_eq!(e.method, 0, "stored");
        assert_eq!(e.flags & 0x0800, 0);
        let data = stored_bytes(&zip, e);
        assert_eq!(crc32fast::hash(data), e.crc32, "{}", e.name());
    }
    // Incompressible: deflate gains nothing.
    let sample = stored_bytes(&zip, data_entries[0]);
    let sample = &sample[..sample.len().min(256 * 1024)];
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, sample).unwrap();
    assert!(enc.finish().unwrap().len() as f64 > sample.len() as f64 * 0.99);

    // Any range is the same bytes as the whole.
    for (a, b) in [(0u64, 99u64), (65_000, 140_000), (size - 5000, size - 1)] {
        let r = http("GET", &url, &[("Range", &format!("bytes={a}-{b}"))]);
        assert_eq!(r.status, 206);
        assert_eq!(r.body, &zip[a as usize..=b as usize]);
    }
    // A second sandbox makes the same data.
    let sb2 = Sandbox::start_with(SandboxConfig {
        large_bytes: size,
        ..SandboxConfig::new(Scenario::Large)
    })
    .unwrap();
    let o2 = order(&sb2, ReportType::Day);
    let url2 = wait_ready(&sb2, &o2, 5).link.unwrap().expose().to_string();
    let r2 = http("GET", &url2, &[("Range", "bytes=1000000-1000999")]);
    assert_eq!(r2.body, &zip[1_000_000..1_001_000]);
}
