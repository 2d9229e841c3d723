//! Reading files that the sandbox's report does not hold: other encodings, a GBK file whose
//! first non-ASCII text comes after the first piece read, binary content, TSV, JSON shapes,
//! and what is skipped.

use qcc_radar_tables::{read_file, read_tables, ColumnKind, SkipReason, Value};

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn encodings() {
    let dir = tempfile::tempdir().unwrap();
    // UTF-16LE with its mark.
    let mut utf16 = vec![0xff, 0xfe];
    for u in "名称,数量\r\n甲,1\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let t = &read_file(write(dir.path(), "u16.csv", &utf16)).unwrap()[0];
    assert_eq!(t.encoding(), Some("UTF-16LE"));
    assert_eq!(t.columns(), ["名称", "数量"]);
    assert_eq!(t.value(0, 1), Value::Int(1));

    // GBK whose first Chinese text is past the first 256 KiB read: the reader starts again.
    let mut text = String::from("id,name\n");
    let mut i = 0;
    while text.len() < 300 * 1024 {
        text.push_str(&format!("{i},ascii{i}\n"));
        i += 1;
    }
    text.push_str(&format!("{i},企业\n"));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let t = &read_file(write(dir.path(), "late.csv", &gbk)).unwrap()[0];
    assert_eq!(t.encoding(), Some("GB18030"));
    assert_eq!(t.num_rows(), i + 1);
    assert_eq!(t.value(i, 1), Value::Text("企业"));
    assert_eq!(t.column_kinds()[0], ColumnKind::Int);

    // GBK JSON.
    let (gbk, _, _) = encoding_rs::GBK.encode(r#"[{"名称": "甲公司"}]"#);
    let t = &read_file(write(dir.path(), "g.json", &gbk)).unwrap()[0];
    assert_eq!(t.encoding(), Some("GB18030"));
    assert_eq!(t.value(0, 0), Value::Text("甲公司"));

    // TSV.
    let t = &read_file(write(
        dir.path(),
        "t.tsv",
        "a\tb\n1\t2024-05-01\n".as_bytes(),
    ))
    .unwrap()[0];
    assert_eq!(t.column_kinds(), [ColumnKind::Int, ColumnKind::Date]);
    assert_eq!(t.value(0, 1).to_string(), "2024-05-01");
}

#[test]
fn skipped_files_say_why() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/empty.json", b"");
    write(dir.path(), "bin.csv", b"PK\x03\x04\x00\x00\x00binary");
    write(dir.path(), "n.json", b"42");
    write(dir.path(), "bad.xlsx", b"not a workbook");
    write(dir.path(), "blank.csv", b"\xef\xbb\xbf\r\n\r\n");
    write(dir.path(), "noext", b"x");
    write(dir.path(), "ok.json", br#"{"result": []}"#);
    let tables = read_tables(dir.path()).unwrap();
    assert_eq!(tables.names(), ["ok.json"]);
    assert_eq!(tables.get("ok.json").unwrap().num_rows(), 0);
    let kinds: Vec<_> = tables
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a/empty.json", "empty"),
            ("bad.xlsx", "unreadable"),
            ("bin.csv", "binary"),
            ("blank.csv", "empty"),
            ("n.json", "not_a_table"),
            ("noext", "unknown_extension"),
        ]
    );
    assert_eq!(
        tables.skipped("n.json").unwrap().reason,
        SkipReason::NotATable("the JSON document is a number, not records".into())
    );
    assert!(read_tables(dir.path().join("missing")).is_err());
}
