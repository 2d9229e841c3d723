//! Properties of the core that must hold for every input, not just the vectors.
//!
//! Signing is checked against a small RFC 1321 MD5 written here (not the `md-5` crate the core
//! uses), which is itself checked against the RFC's test suite. Parsing and path judging must
//! never panic: a panic in the core would cross every FFI boundary the bindings have. The
//! schedule must spend exactly its budget and stop; the period labels must agree with a naive
//! calendar.

use std::path::Component;
use std::time::Duration;

use proptest::prelude::*;
use qcc_radar_core::archive_plan::fold;
use qcc_radar_core::status_code::lookup_status;
use qcc_radar_core::{
    decode_entry_name, parse_create_report, parse_report_info, plan_archive, report_period,
    safe_entry_path, sign, ArchiveLimits, CreateReportOutcome, Credentials, Encryption,
    EntryDescription, ErrorKind, PollSchedule, ReportStatus, ReportType, RetryPolicy,
};
use serde_json::{json, Map, Value};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------------
// An independent MD5 (RFC 1321)
// ---------------------------------------------------------------------------------------------

const MD5_K: [u32; 64] = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
];

const MD5_S: [u32; 64] = [
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9,
    14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15,
    21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];

fn md5(input: &[u8]) -> [u8; 16] {
    let mut message = input.to_vec();
    let bit_len = (input.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_le_bytes());

    let mut state: [u32; 4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
    for block in message.chunks_exact(64) {
        let m: Vec<u32> = block
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = state;
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f = f.wrapping_add(a).wrapping_add(MD5_K[i]).wrapping_add(m[g]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(f.rotate_left(MD5_S[i]));
        }
        state[0] = state[0].wrapping_add(a);
        state[1] = state[1].wrapping_add(b);
        state[2] = state[2].wrapping_add(c);
        state[3] = state[3].wrapping_add(d);
    }
    let mut out = [0u8; 16];
    for (i, word) in state.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
    }
    out
}

fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn reference_md5_passes_rfc_1321_suite() {
    let suite: [(&str, &str); 7] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        (
            "abcdefghijklmnopqrstuvwxyz",
            "c3fcd3d76192e4007dfb496cca67e13b",
        ),
        (
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "d174ab98d277d9f5a5611c2c9f419d9f",
        ),
        (
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            "57edf4a22be3c955ac49da2e2107b67a",
        ),
    ];
    for (input, expected) in suite {
        assert_eq!(
            upper_hex(&md5(input.as_bytes())),
            expected.to_uppercase(),
            "{input:?}"
        );
    }
    // The constants are floor(|sin(i + 1)| * 2^32).
    for (i, k) in MD5_K.iter().enumerate() {
        let derived = ((i as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32;
        assert_eq!(*k, derived, "K[{i}]");
    }
}

fn is_token(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'A'..=b'F'))
}

proptest! {
    #[test]
    fn sign_is_md5_of_the_concatenation(
        app_key in ".{0,80}",
        timespan in any::<u64>(),
        secret in ".{0,80}",
    ) {
        let expected = upper_hex(&md5(format!("{app_key}{timespan}{secret}").as_bytes()));
        let token = sign(&app_key, timespan, &secret);
        prop_assert!(is_token(&token), "{token:?}");
        prop_assert_eq!(token, expected);
    }

    #[test]
    fn sign_crosses_block_boundaries(
        len in 40usize..140,
        timespan in any::<u64>(),
    ) {
        // Lengths around 55/56/64/119/120 bytes exercise MD5's padding edge cases.
        let key = "k".repeat(len);
        let expected = upper_hex(&md5(format!("{key}{timespan}S").as_bytes()));
        prop_assert_eq!(sign(&key, timespan, "S"), expected);
    }

    #[test]
    fn credentials_sign_one_timespan_into_both_headers(
        app_key in "[0-9a-f]{1,64}",
        secret in "[!-~]{1,64}",
        timespan in any::<u64>(),
    ) {
        let creds = Credentials::new(app_key.clone(), secret.clone()).unwrap();
        let headers = creds.sign(timespan);
        prop_assert!(is_token(&headers.token));
        prop_assert_eq!(&headers.token, &sign(&app_key, timespan, &secret));
        prop_assert_eq!(headers.timespan, timespan.to_string());
    }
}

// ---------------------------------------------------------------------------------------------
// Response parsing
// ---------------------------------------------------------------------------------------------

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(".{0,10}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn codes() -> impl Strategy<Value = i32> {
    prop_oneof![
        3 => prop::sample::select(vec![
            200, 201, 205, 202, 101, 102, 107, 110, 112, 115, 122, 199, 203, 214, 223, 500, 777, 0, -1,
        ]),
        1 => any::<i32>(),
    ]
}

fn status_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        codes().prop_map(|c| json!(c)),
        codes().prop_map(|c| json!(c.to_string())),
        codes().prop_map(|c| json!(format!(" {c}\t"))),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,8}".prop_map(Value::String),
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        Just(json!([200])),
    ]
}

fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "JKDAY-167660123348194027",
            " JKWEEK-1 ",
            "../x",
            "",
            " ",
            "P",
            "S",
            "F",
            "s",
            "X",
            "SS",
            "https://pro-files.qichacha.com/a/%E7%9B%91.zip?Expires=1708137472&Signature=x",
            "https://f.example/r.zip?Expires=-5",
            "https://f.example/r.zip?Expires=99999999999999999999999",
            "https://f.example/r.zip?expires=12",
            "https://f.exa\n  mple/r.zip?Expires=12",
            "ftp://f.example/r.zip",
            "not a url",
            "https://",
        ])
        .prop_map(str::to_string),
        ".{0,40}",
    ]
}

fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => field_text().prop_map(Value::String),
        1 => arb_json(),
    ]
}

fn key(names: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(names)
}

fn result_value() -> impl Strategy<Value = Option<Value>> {
    let object = (
        prop::option::of((
            key(&["orderNo", "OrderNo", "ORDERNO", "order_no"]),
            field_value(),
        )),
        prop::option::of((
            key(&["reportStatus", "ReportStatus", "reportstatus"]),
            field_value(),
        )),
        prop::option::of((key(&["reportUrl", "ReportUrl", "REPORTURL"]), field_value())),
        prop::collection::btree_map("[a-z]{1,6}", arb_json(), 0..3),
    )
        .prop_map(|(order, status, url, extra)| {
            let mut m: Map<String, Value> = extra.into_iter().collect();
            for (k, v) in [order, status, url].into_iter().flatten() {
                m.insert(k.to_string(), v);
            }
            Value::Object(m)
        });
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        4 => object.prop_map(Some),
        1 => arb_json().prop_map(Some),
    ]
}

/// A JSON-shaped envelope: status (any spelling of the key, any type), msg, result.
#[derive(Debug, Clone)]
struct Envelope {
    status: Option<(&'static str, Value)>,
    msg: Option<(&'static str, Value)>,
    result: Option<(&'static str, Value)>,
}

impl Envelope {
    fn body(&self) -> Vec<u8> {
        let mut m = Map::new();
        for (k, v) in [&self.status, &self.msg, &self.result]
            .into_iter()
            .flatten()
        {
            m.insert(k.to_string(), v.clone());
        }
        serde_json::to_vec(&Value::Object(m)).unwrap()
    }

    /// The code the API meant, by the documented rule: a string holding an integer, or an
    /// integer, that fits in 32 bits.
    fn code(&self) -> Option<i32> {
        match &self.status {
            Some((_, Value::String(s))) => s.trim().parse::<i32>().ok(),
            Some((_, Value::Number(n))) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
            _ => None,
        }
    }
}

fn envelope() -> impl Strategy<Value = Envelope> {
    (
        prop::option::weighted(
            0.95,
            (
                key(&["status", "Status", "STATUS", "sTaTuS"]),
                status_value(),
            ),
        ),
        prop::option::of((
            key(&["msg", "Message", "MSG", "message"]),
            prop_oneof![".{0,30}".prop_map(Value::String), arb_json()],
        )),
        result_value().prop_flat_map(|r| match r {
            None => Just(None).boxed(),
            Some(v) => key(&["result", "Result", "RESULT"])
                .prop_map(move |k| Some((k, v.clone())))
                .boxed(),
        }),
    )
        .prop_map(|(status, msg, result)| Envelope {
            status,
            msg,
            result,
        })
}

fn content_type() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        Just("application/json".to_string()),
        Just("application/json; charset=GBK".to_string()),
        Just("text/html; charset=\"big5\"".to_string()),
        Just("text/plain; charset=nonsense".to_string()),
        ".{0,40}",
    ])
}

/// What an error code must become, wherever it arrives (200, 201 and 205 are per endpoint).
fn assert_code_error(code: i32, e: &qcc_radar_core::Error) -> Result<(), TestCaseError> {
    let row = lookup_status(code);
    prop_assert_eq!(e.code(), Some(code));
    prop_assert_eq!(e.kind(), row.kind.unwrap_or(ErrorKind::Transport));
    prop_assert_eq!(e.is_retryable(), row.retryable);
    Ok(())
}

fn assert_unreadable(e: &qcc_radar_core::Error) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.kind(), ErrorKind::Transport, "{}", e);
    prop_assert!(e.is_retryable());
    Ok(())
}

proptest! {
    #[test]
    fn parsing_arbitrary_bytes_never_panics(
        body in prop::collection::vec(any::<u8>(), 0..600),
        ct in content_type(),
    ) {
        for result in [
            parse_create_report(&body, ct.as_deref()).map(|_| ()),
            parse_report_info(&body, ct.as_deref()).map(|_| ()),
        ] {
            if let Err(e) = result {
                prop_assert!(!e.message().is_empty());
                prop_assert!(e.message().len() < 2_000, "messages quote a bounded preview");
            }
        }
    }

    #[test]
    fn parsing_arbitrary_json_never_panics(value in arb_json(), ct in content_type()) {
        let body = serde_json::to_vec(&value).unwrap();
        let _ = parse_create_report(&body, ct.as_deref());
        let _ = parse_report_info(&body, ct.as_deref());
    }

    #[test]
    fn create_report_envelopes_follow_the_code(env in envelope(), ct in content_type()) {
        let body = env.body();
        let got = parse_create_report(&body, ct.as_deref());
        match (env.code(), got) {
            (None, Ok(o)) => prop_assert!(false, "no status, yet {:?}", o),
            (None, Err(e)) => assert_unreadable(&e)?,
            (Some(201), got) => prop_assert_eq!(got, Ok(CreateReportOutcome::NoChange)),
            (Some(200), Ok(CreateReportOutcome::Ordered(o))) => {
                prop_assert!(!o.as_str().is_empty());
                prop_assert_eq!(o.as_str().trim(), o.as_str());
            }
            (Some(200), Ok(CreateReportOutcome::NoChange)) => prop_assert!(false, "200 is not 201"),
            (Some(200), Err(e)) => {
                // An order may have been placed: a transport error that must not be retried.
                prop_assert_eq!(e.kind(), ErrorKind::Transport, "{}", e);
                prop_assert_eq!(e.code(), Some(200));
                prop_assert!(!e.is_retryable());
            }
            (Some(code), Ok(o)) => prop_assert!(false, "status {} gave {:?}", code, o),
            (Some(code), Err(e)) => assert_code_error(code, &e)?,
        }
    }

    #[test]
    fn report_info_envelopes_follow_the_code(env in envelope(), ct in content_type()) {
        let body = env.body();
        let got = parse_report_info(&body, ct.as_deref());
        match (env.code(), got) {
            (None, Ok(i)) => prop_assert!(false, "no status, yet {:?}", i),
            (None, Err(e)) => assert_unreadable(&e)?,
            (Some(201), got) => {
                let e = got.unwrap_err();
                prop_assert_eq!(e.kind(), ErrorKind::InvalidRequest);
                prop_assert_eq!(e.code(), Some(201));
                prop_assert!(!e.is_retryable());
            }
            (Some(205), got) => {
                let info = got.unwrap();
                prop_assert_eq!(info.status, ReportStatus::Pending);
                prop_assert!(info.link.is_none());
                prop_assert!(info.expires_at.is_none());
            }
            (Some(200), Ok(info)) => {
                if info.status == ReportStatus::Succeeded {
                    prop_assert!(info.link.is_some(), "S always carries a link");
                }
                prop_assert_eq!(info.expires_at, info.link.as_ref().and_then(|l| l.expires_at()));
                if let Some(link) = &info.link {
                    let url = link.expose();
                    prop_assert!(url.starts_with("http://") || url.starts_with("https://"));
                    prop_assert!(!url.contains(|c: char| c.is_ascii_whitespace()));
                    let shown = format!("{link:?}{link}");
                    prop_assert!(!shown.contains("Signature="));
                }
            }
            (Some(200), Err(e)) => assert_unreadable(&e)?,
            (Some(code), Ok(i)) => prop_assert!(false, "status {} gave {:?}", code, i),
            (Some(code), Err(e)) => assert_code_error(code, &e)?,
        }
    }

    #[test]
    fn truncated_envelopes_never_panic(env in envelope(), cut in any::<prop::sample::Index>()) {
        let body = env.body();
        let body = &body[..cut.index(body.len() + 1)];
        let _ = parse_create_report(body, None);
        let _ = parse_report_info(body, Some("application/json"));
    }
}

// ---------------------------------------------------------------------------------------------
// Archive names
// ---------------------------------------------------------------------------------------------

/// Everything a path accepted by `safe_entry_path` must satisfy, checked independently.
fn assert_safe(name: &str) -> Result<(), TestCaseError> {
    let Ok(p) = safe_entry_path(name) else {
        return Ok(());
    };
    prop_assert!(
        !p.components.is_empty() || p.is_dir,
        "{name:?} names nothing"
    );
    for c in &p.components {
        prop_assert!(!c.is_empty(), "{name:?}: empty component");
        prop_assert!(c != "." && c != "..", "{name:?}: {c:?}");
        prop_assert!(!c.contains(['/', '\\', ':', '\0']), "{name:?}: {c:?}");
        prop_assert!(!c.chars().any(char::is_control), "{name:?}: {c:?}");
        prop_assert!(
            !c.chars().all(|ch| ch == '.' || ch == ' '),
            "{name:?}: {c:?}"
        );
        prop_assert!(c.len() <= 255, "{name:?}: component of {} bytes", c.len());
        prop_assert!(
            !c.contains(['<', '>', '"', '|', '?', '*']),
            "{name:?}: {c:?}"
        );
        prop_assert!(!c.ends_with(['.', ' ']), "{name:?}: {c:?}");
        prop_assert!(!is_device(c), "{name:?}: {c:?} is a Windows device");
    }
    for comp in p.to_path_buf().components() {
        prop_assert!(
            matches!(comp, Component::Normal(_)),
            "{name:?} gives {comp:?}"
        );
    }
    prop_assert!(p.to_path_buf().is_relative());
    Ok(())
}

/// Windows's device names, restated: the part before the first dot, trailing spaces dropped.
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
    let chars: Vec<char> = upper.chars().collect();
    chars.len() == 4
        && (chars[..3] == ['C', 'O', 'M'] || chars[..3] == ['L', 'P', 'T'])
        && (chars[3].is_ascii_digit() || ['\u{b9}', '\u{b2}', '\u{b3}'].contains(&chars[3]))
}

fn path_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "..",
            ".",
            "/",
            "\\",
            ":",
            "C:",
            "a",
            "b.txt",
            "监控",
            " ",
            "\0",
            "\n",
            "//",
            "\\\\",
            "...",
            "\u{feff}",
            "\u{202e}",
            "~",
            "CON",
            "nul",
            ".txt",
            "Com1",
            "LPT\u{b9}",
            "?",
            "<",
            "|",
        ]),
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

fn gbk_name() -> impl Strategy<Value = String> {
    let segment = prop::collection::vec(
        prop::sample::select(vec![
            '监', '控', '日', '报', '企', '业', '運', '誠', '表', '十', '纔', 'a', 'Z', '7', '_',
            '-', '.',
        ]),
        1..8,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    prop::collection::vec(segment, 1..4).prop_map(|segs| segs.join("/"))
}

proptest! {
    #[test]
    fn arbitrary_raw_names_never_panic(
        raw in prop::collection::vec(any::<u8>(), 0..300),
        flag in any::<bool>(),
    ) {
        let name = decode_entry_name(&raw, flag);
        assert_safe(&name)?;
    }

    #[test]
    fn arbitrary_text_names_obey_the_rules(name in ".{0,300}") {
        assert_safe(&name)?;
    }

    #[test]
    fn path_like_names_obey_the_rules(name in path_like(), flag in any::<bool>()) {
        assert_safe(&name)?;
        assert_safe(&decode_entry_name(name.as_bytes(), flag))?;
    }

    #[test]
    fn gbk_names_decode_and_split_on_real_separators_only(name in gbk_name()) {
        let (raw, _, unmappable) = encoding_rs::GBK.encode(&name);
        prop_assert!(!unmappable);
        // A GBK byte string that happens to be valid UTF-8 is read as UTF-8 by rule.
        prop_assume!(std::str::from_utf8(&raw).is_err());
        prop_assert_eq!(decode_entry_name(&raw, false), name.clone());
        let segments: Vec<&str> = name.split('/').collect();
        let kept: Vec<&str> = segments.iter().copied().filter(|s| *s != ".").collect();
        let refused = kept.is_empty()
            || segments.iter().any(|s| s.len() >= 2 && s.chars().all(|c| c == '.'))
            || kept.iter().any(|s| s.ends_with('.'));
        match safe_entry_path(&name) {
            Ok(p) => {
                prop_assert!(!refused, "{:?} accepted", name);
                prop_assert_eq!(p.components, kept);
            }
            Err(e) => prop_assert!(refused, "{:?} refused: {}", name, e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole archives
// ---------------------------------------------------------------------------------------------

/// Pieces of names that meet under case or Unicode folding, device names and Windows's trims.
fn plan_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "A", "b", "\u{e9}", "e\u{301}", "\u{c9}", "\u{df}", "\u{1e9e}", "\u{17f}", "s", "S",
        "\u{212a}", "k", "\u{3a3}", "\u{3c3}", "\u{3c2}", "\u{130}", "i", "\u{307}", ".", " ",
        "CON", "nul", "com1", "<", "\u{fb01}", "fi", "\u{212b}", "\u{e5}", "\u{c5}", "x.csv",
        "X.CSV", "报告",
    ])
}

fn plan_name() -> impl Strategy<Value = String> {
    let component = prop::collection::vec(plan_piece(), 1..3).prop_map(|p| p.concat());
    (
        prop::collection::vec(component, 1..4),
        prop::sample::select(vec!["/", "\\"]),
        any::<bool>(),
    )
        .prop_map(|(parts, sep, dir)| {
            let mut name = parts.join(sep);
            if dir {
                name.push('/');
            }
            name
        })
}

fn plan_entries() -> impl Strategy<Value = Vec<EntryDescription>> {
    prop::collection::vec(
        (
            plan_name(),
            prop::sample::select(vec![None, Some(0o100644), Some(0o040755)]),
        ),
        0..6,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(index, (name, unix_mode))| EntryDescription {
                index,
                raw_name: name.into_bytes(),
                utf8_flag: true,
                unix_mode,
                encrypted: false,
                size: 10,
                compressed_size: 10,
            })
            .collect()
    })
}

/// The comparison the issue names, restated: Unicode lowercasing of NFC text, then NFC.
fn lowered(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase().nfc().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn an_accepted_plan_never_holds_two_names_that_collide(entries in plan_entries()) {
        let Ok(plan) = plan_archive(&entries, 1 << 20, &ArchiveLimits::default(), Encryption::Refuse)
        else {
            return Ok(());
        };
        // Every file and folder the archive names, with whether it is a file.
        let mut nodes: Vec<(Vec<String>, bool)> = Vec::new();
        for e in &entries {
            let name = decode_entry_name(&e.raw_name, e.utf8_flag);
            assert_safe(&name)?;
            let p = safe_entry_path(&name).expect("an accepted archive has only safe names");
            let is_dir = p.is_dir || e.unix_mode == Some(0o040755);
            let planned = plan.iter().find(|f| f.index == e.index);
            prop_assert_eq!(planned.is_some(), !is_dir, "{:?}", name);
            if let Some(f) = planned {
                prop_assert_eq!(&f.path, &p);
            }
            for k in 1..=p.components.len() {
                nodes.push((p.components[..k].to_vec(), !is_dir && k == p.components.len()));
            }
        }
        for (a, a_file) in &nodes {
            for (b, b_file) in &nodes {
                let (x, y) = (a.join("/"), b.join("/"));
                if x == y {
                    // The same spelling: folders may repeat, a file may not, nor be a folder.
                    prop_assert!(!(*a_file || *b_file) || std::ptr::eq(a, b), "{x:?} twice");
                    continue;
                }
                prop_assert_ne!(x.to_lowercase(), y.to_lowercase());
                prop_assert!(!x.nfc().eq(y.nfc()), "{x:?} and {y:?} are one NFC name");
                prop_assert_ne!(lowered(&x), lowered(&y));
                prop_assert_ne!(fold(&x), fold(&y));
            }
        }
        let indices: Vec<usize> = plan.iter().map(|f| f.index).collect();
        prop_assert!(indices.windows(2).all(|w| w[0] < w[1]), "in entry order");
    }

    #[test]
    fn judging_arbitrary_entries_never_panics(
        raw in prop::collection::vec(
            (
                prop::collection::vec(any::<u8>(), 0..40),
                any::<bool>(),
                prop::option::of(any::<u32>()),
                any::<bool>(),
                any::<u64>(),
                any::<u64>(),
            ),
            0..12,
        ),
        archive_bytes in any::<u64>(),
        decrypt in any::<bool>(),
    ) {
        let entries: Vec<EntryDescription> = raw
            .into_iter()
            .enumerate()
            .map(|(index, (raw_name, utf8_flag, unix_mode, encrypted, size, compressed_size))| {
                EntryDescription { index, raw_name, utf8_flag, unix_mode, encrypted, size, compressed_size }
            })
            .collect();
        let limits = ArchiveLimits { max_entries: 10, ..ArchiveLimits::default() };
        let encryption = if decrypt { Encryption::Decrypt } else { Encryption::Refuse };
        match plan_archive(&entries, archive_bytes, &limits, encryption) {
            Ok(plan) => {
                prop_assert!(entries.len() <= 10);
                let total: u64 = plan.iter().map(|f| f.size).fold(0, u64::saturating_add);
                prop_assert!(total <= limits.max_total_bytes);
                for f in &plan {
                    assert_safe(&f.path.display())?;
                    prop_assert!(decrypt || !f.encrypted);
                }
            }
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::Archive);
                prop_assert!(e.message().len() < 4096, "bounded: {}", e.message().len());
                prop_assert!(!e.message().chars().any(char::is_control), "{:?}", e.message());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The poll schedule and the retry policy
// ---------------------------------------------------------------------------------------------

fn any_duration() -> impl Strategy<Value = Duration> {
    prop_oneof![
        (any::<u64>(), 0u32..1_000_000_000).prop_map(|(s, n)| Duration::new(s, n)),
        (0u64..100_000_000_000).prop_map(Duration::from_nanos),
        Just(Duration::ZERO),
        Just(Duration::MAX),
    ]
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        0.0..1.0f64,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1.0),
        Just(0.0),
    ]
}

proptest! {
    #[test]
    fn sane_schedules_spend_exactly_the_budget_and_stop(
        initial_ms in 10u64..5_000,
        factor in 1.0..3.0f64,
        extra_max_ms in 0u64..60_000,
        jitter in 0.0..0.9f64,
        budget_ms in 0u64..120_000,
        seed in any::<u64>(),
    ) {
        let initial = Duration::from_millis(initial_ms);
        let max = initial + Duration::from_millis(extra_max_ms);
        let schedule = PollSchedule { initial, factor, max, jitter };
        let budget = Duration::from_millis(budget_ms);
        let mut state = seed;
        let random = move || {
            // xorshift64*, mapped to [0, 1)
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        // Every delay but the last is at least initial × (1 − jitter).
        let floor_ns = (initial.as_nanos() as f64 * (1.0 - jitter)).floor() as u128;
        let bound = (budget.as_nanos() / floor_ns.saturating_sub(1).max(1)) as usize + 2;
        let delays: Vec<Duration> = schedule.delays(budget, random).take(bound + 1).collect();
        prop_assert!(delays.len() <= bound, "{} delays: the schedule did not stop", delays.len());
        prop_assert_eq!(delays.iter().sum::<Duration>(), budget);
        for d in &delays {
            prop_assert!(*d <= max);
        }
    }

    #[test]
    fn hostile_schedules_never_panic_or_overspend(
        initial in any_duration(),
        factor in any_f64(),
        max in any_duration(),
        jitter in any_f64(),
        budget in any_duration(),
        randoms in prop::collection::vec(any_f64(), 1..8),
    ) {
        let schedule = PollSchedule { initial, factor, max, jitter };
        let mut i = 0;
        let random = move || {
            i += 1;
            randoms[i % randoms.len()]
        };
        let mut spent = Duration::ZERO;
        let mut count = 0;
        for d in schedule.delays(budget, random).take(2_000) {
            prop_assert!(d <= max || initial.min(max).is_zero());
            spent = spent.checked_add(d).expect("delays never sum past the budget");
            prop_assert!(spent <= budget);
            count += 1;
        }
        if initial.min(max).is_zero() {
            prop_assert!(count <= 1);
        }
    }

    #[test]
    fn retry_backoff_never_panics_and_stays_bounded(
        max_attempts in 0u32..10,
        base in any_duration(),
        cap in any_duration(),
        max_elapsed in any_duration(),
        attempt in prop_oneof![0u32..12, any::<u32>()],
        elapsed in any_duration(),
        random in any_f64(),
    ) {
        let policy = RetryPolicy { max_attempts, base, cap, max_elapsed };
        if let Some(d) = policy.backoff(attempt, elapsed, random) {
            prop_assert!(attempt < max_attempts);
            prop_assert!(d <= cap);
            prop_assert!(elapsed + d <= max_elapsed);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Report periods, against a naive calendar
// ---------------------------------------------------------------------------------------------

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

/// (year, month, day, day of the year 1-366) of a count of days since 1970-01-01, by walking
/// whole years and months: slow, obviously right.
fn naive_date(mut days: i64) -> (i64, u32, i64, i64) {
    let mut y = 1970;
    loop {
        let len = if is_leap(y) { 366 } else { 365 };
        if days < 0 {
            y -= 1;
            days += if is_leap(y) { 366 } else { 365 };
        } else if days >= len {
            days -= len;
            y += 1;
        } else {
            break;
        }
    }
    let ordinal = days + 1;
    let mut m = 1;
    while days >= days_in_month(y, m) {
        days -= days_in_month(y, m);
        m += 1;
    }
    (y, m, days + 1, ordinal)
}

/// ISO weeks in year `y` (52 or 53), by the "p(y)" rule.
fn iso_weeks_in(y: i64) -> i64 {
    let p = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
    if p(y) == 4 || p(y - 1) == 3 {
        53
    } else {
        52
    }
}

const TWO_HUNDRED_YEARS: i64 = 200 * 366 * 86_400;
const NOW_ISH: i64 = 1_795_910_400; // 2026-11-29

proptest! {
    #[test]
    fn report_periods_match_a_naive_calendar(
        t in (NOW_ISH - TWO_HUNDRED_YEARS)..(NOW_ISH + TWO_HUNDRED_YEARS),
    ) {
        let beijing_days = (t + 8 * 3600).div_euclid(86_400);
        let (y, m, d, ordinal) = naive_date(beijing_days);
        prop_assert_eq!(report_period(ReportType::Day, t), format!("{y:04}-{m:02}-{d:02}"));
        prop_assert_eq!(report_period(ReportType::Month, t), format!("{y:04}-{m:02}"));
        // 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
        let weekday = (beijing_days + 3).rem_euclid(7) + 1;
        let mut week = (ordinal - weekday + 10) / 7;
        let mut year = y;
        if week < 1 {
            year -= 1;
            week = iso_weeks_in(year);
        } else if week > iso_weeks_in(y) {
            year += 1;
            week = 1;
        }
        prop_assert_eq!(report_period(ReportType::Week, t), format!("{year:04}-W{week:02}"));
    }

    #[test]
    fn report_period_never_panics(
        t in prop_oneof![
            any::<i64>(),
            (i64::MAX - 100_000)..=i64::MAX,
            i64::MIN..(i64::MIN + 100_000),
        ],
    ) {
        for r in ReportType::ALL {
            prop_assert!(!report_period(r, t).is_empty());
        }
    }
}
