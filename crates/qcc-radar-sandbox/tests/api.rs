//! The API endpoints in the `normal` scenario: authentication order, parameters, the envelope,
//! P→S progression, and what the request log records.

mod common;

use common::*;
use qcc_radar_core::{
    lookup_status, parse_report_info, sign, ApiRequest, OrderNo, ReportStatus, ReportType,
    CREATE_REPORT_PATH, REPORT_INFO_PATH,
};
use qcc_radar_sandbox::{Endpoint, Sandbox, SandboxConfig, Scenario};

fn url(sb: &Sandbox, path: &str, query: &str) -> String {
    format!("{}{path}?{query}", sb.base_url())
}

/// Sends createReport with hand-made headers.
fn raw_create(sb: &Sandbox, key: &str, headers: &[(&str, &str)]) -> Resp {
    http(
        "GET",
        &url(sb, CREATE_REPORT_PATH, &format!("key={key}&reportType=day")),
        headers,
    )
}

#[test]
fn envelope_shape_and_headers() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let r = create(&sb, ReportType::Day);
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let date = r.header("date").expect("Date header");
    let server = httpdate::parse_http_date(date).unwrap();
    let server = server
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(server.abs_diff(now()) <= 2, "{date}");
    let v = envelope(&r);
    assert_eq!(v["status"], "200");
    assert_eq!(v["msg"], "【有效请求】查询成功");
    let o = v["result"]["orderNo"].as_str().unwrap();
    assert!(o.starts_with("JKDAY-"), "{o}");
    let digits = &o["JKDAY-".len()..];
    assert_eq!(digits.len(), 18, "{o}");
    assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{o}");
}

#[test]
fn authentication_order_101_115_107() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let ts = now();
    let good = sign(sb.app_key(), ts, sb.secret_key());
    let ts_s = ts.to_string();

    // Unknown key, even with a good Token for it: 101. Missing key: 101.
    let r = raw_create(&sb, "other-key", &[("Token", &good), ("Timespan", &ts_s)]);
    assert_eq!(api_status(&r), "101");
    assert_eq!(envelope(&r)["msg"], lookup_status(101).vendor_text);
    assert!(envelope(&r)["result"].is_null());
    let r = http(
        "GET",
        &url(&sb, CREATE_REPORT_PATH, "reportType=day"),
        &[("Token", &good), ("Timespan", &ts_s)],
    );
    assert_eq!(api_status(&r), "101");

    // Missing, non-numeric and stale Timespan: 115 (even with a bad Token).
    let r = raw_create(&sb, sb.app_key(), &[("Token", &good)]);
    assert_eq!(api_status(&r), "115");
    let r = raw_create(&sb, sb.app_key(), &[("Token", &good), ("Timespan", "12a")]);
    assert_eq!(api_status(&r), "115");
    let stale = ts - 301;
    let stale_token = sign(sb.app_key(), stale, sb.secret_key());
    let r = raw_create(
        &sb,
        sb.app_key(),
        &[("Token", &stale_token), ("Timespan", &stale.to_string())],
    );
    assert_eq!(api_status(&r), "115");
    let future = ts + 301;
    let r = raw_create(
        &sb,
        sb.app_key(),
        &[
            ("Token", &sign(sb.app_key(), future, sb.secret_key())),
            ("Timespan", &future.to_string()),
        ],
    );
    assert_eq!(api_status(&r), "115");
    assert_eq!(envelope(&r)["msg"], lookup_status(115).vendor_text);

    // Wrong, missing and lower-case Token: 107.
    let r = raw_create(&sb, sb.app_key(), &[("Token", "0123"), ("Timespan", &ts_s)]);
    assert_eq!(api_status(&r), "107");
    let r = raw_create(&sb, sb.app_key(), &[("Timespan", &ts_s)]);
    assert_eq!(api_status(&r), "107");
    let lower = good.to_ascii_lowercase();
    let r = raw_create(&sb, sb.app_key(), &[("Token", &lower), ("Timespan", &ts_s)]);
    assert_eq!(api_status(&r), "107");
    let r = raw_create(
        &sb,
        sb.app_key(),
        &[
            ("Token", &sign(sb.app_key(), ts, "wrong-secret")),
            ("Timespan", &ts_s),
        ],
    );
    assert_eq!(api_status(&r), "107");

    // A Timespan within the window is accepted.
    let edge = ts - 250;
    let r = raw_create(
        &sb,
        sb.app_key(),
        &[
            ("Token", &sign(sb.app_key(), edge, sb.secret_key())),
            ("Timespan", &edge.to_string()),
        ],
    );
    assert_eq!(api_status(&r), "200");
    assert_eq!(sb.orders_placed(), 1);

    // Every refusal was answered HTTP 200 with a JSON envelope, and recorded.
    let recs = sb.requests();
    let statuses: Vec<i32> = recs.iter().map(|r| r.api_status.unwrap()).collect();
    assert_eq!(
        statuses,
        [101, 101, 115, 115, 115, 115, 107, 107, 107, 107, 200]
    );
    assert!(recs.iter().all(|r| r.http_status == 200));
    let valid: Vec<bool> = recs.iter().map(|r| r.token_valid).collect();
    // The Token is judged against the key sent: "other-key" with a Token for the real key is
    // not valid; the stale and future ones are correctly signed.
    assert_eq!(
        valid,
        [false, false, false, false, true, true, false, false, false, false, true]
    );
    assert_eq!(recs[2].timespan, None);
    assert_eq!(recs[3].timespan.as_deref(), Some("12a"));
    assert_eq!(sb.count(Endpoint::CreateReport), 11);
}

#[test]
fn bad_parameters_are_202_and_unknown_order_is_201() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let ts = now();
    let token = sign(sb.app_key(), ts, sb.secret_key());
    let ts_s = ts.to_string();
    let h = [("Token", token.as_str()), ("Timespan", ts_s.as_str())];
    let key = sb.app_key().to_string();
    for query in [
        format!("key={key}"),
        format!("key={key}&reportType="),
        format!("key={key}&reportType=year"),
        format!("key={key}&reportType=DAY"),
    ] {
        let r = http("GET", &url(&sb, CREATE_REPORT_PATH, &query), &h);
        assert_eq!(api_status(&r), "202", "{query}");
        assert_eq!(envelope(&r)["msg"], lookup_status(202).vendor_text);
        assert!(envelope(&r)["result"].is_null());
    }
    for query in [format!("key={key}"), format!("key={key}&orderNo=")] {
        let r = http("GET", &url(&sb, REPORT_INFO_PATH, &query), &h);
        assert_eq!(api_status(&r), "202", "{query}");
    }
    let r = info(&sb, &OrderNo::new("JKDAY-167660123348194027").unwrap());
    assert_eq!(api_status(&r), "201");
    assert_eq!(envelope(&r)["msg"], "【有效请求】查询无结果");
    let e = parse_report_info(&r.body, None).unwrap_err();
    assert_eq!(e.code(), Some(201));
    assert_eq!(sb.orders_placed(), 0);
}

#[test]
fn pending_then_ready_with_fresh_links() {
    let config = SandboxConfig {
        polls_until_ready: 3,
        ..SandboxConfig::new(Scenario::Normal)
    };
    let sb = Sandbox::start_with(config).unwrap();
    let o = order(&sb, ReportType::Week);
    assert!(o.as_str().starts_with("JKWEEK-"));
    for _ in 0..3 {
        let r = info(&sb, &o);
        let v = envelope(&r);
        assert_eq!(v["status"], "200");
        assert_eq!(v["result"]["reportStatus"], "P");
        let i = parse_report_info(&r.body, None).unwrap();
        assert_eq!(i.status, ReportStatus::Pending);
        assert!(i.link.is_none());
    }
    let first = parse_report_info(&info(&sb, &o).body, None).unwrap();
    assert_eq!(first.status, ReportStatus::Succeeded);
    let link = first.link.unwrap();
    let text = link.expose().to_string();
    let prefix = format!("{}/files/{}/", sb.base_url(), o);
    assert!(text.starts_with(&prefix), "{text}");
    assert!(text.contains("OSSAccessKeyId=SANDBOXKEY"), "{text}");
    assert!(text.contains("&Signature="), "{text}");
    assert_eq!(
        link.file_name().as_deref(),
        Some(format!("风险监控周报-{o}.zip").as_str())
    );
    let expires = first.expires_at.unwrap();
    assert!(expires.abs_diff(now() + 300) <= 2, "{expires}");
    // Later answers stay S, each with a link of its own making.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = parse_report_info(&info(&sb, &o).body, None).unwrap();
    assert_eq!(second.status, ReportStatus::Succeeded);
    assert_ne!(second.link.unwrap().expose(), text);
    assert_eq!(sb.count(Endpoint::GetReportInfo), 5);
    // Other orders progress independently.
    let other = order(&sb, ReportType::Month);
    assert!(other.as_str().starts_with("JKMONTH-"));
    let v = envelope(&info(&sb, &other));
    assert_eq!(v["result"]["reportStatus"], "P");
}

#[test]
fn order_numbers_are_unique() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let mut seen = std::collections::HashSet::new();
    for i in 0..30 {
        let t = ReportType::ALL[i % 3];
        let o = order(&sb, t);
        assert_eq!(o.report_type(), Some(t));
        assert!(seen.insert(o), "duplicate order number");
    }
    assert_eq!(sb.orders_placed(), 30);
}

#[test]
fn polls_until_ready_zero_is_immediately_ready() {
    let config = SandboxConfig {
        polls_until_ready: 0,
        ..SandboxConfig::new(Scenario::Normal)
    };
    let sb = Sandbox::start_with(config).unwrap();
    let o = order(&sb, ReportType::Day);
    let i = parse_report_info(&info(&sb, &o).body, None).unwrap();
    assert_eq!(i.status, ReportStatus::Succeeded);
}

#[test]
fn unknown_path_is_json_404_and_post_is_118() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let r = http(
        "GET",
        &format!("{}/api/radar/listLatestOrderNo?key=x", sb.base_url()),
        &[],
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(api_status(&r), "404");
    assert!(r.header("date").is_some());

    let req = ApiRequest::create_report(&base(&sb), &creds(&sb), ReportType::Day, now());
    let headers: Vec<(&str, &str)> = req.headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut with_len = headers.clone();
    with_len.push(("Content-Length", "0"));
    let r = http("POST", &req.url, &with_len);
    assert_eq!(api_status(&r), "118");
    assert_eq!(sb.orders_placed(), 0);
    assert_eq!(sb.count(Endpoint::Other), 1);
}

#[test]
fn records_what_the_client_sent() {
    let sb = Sandbox::start(Scenario::Normal).unwrap();
    let o = order(&sb, ReportType::Day);
    let _ = info(&sb, &o);
    let recs = sb.requests();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].endpoint, Endpoint::CreateReport);
    assert_eq!(recs[0].query_value("key"), Some(sb.app_key()));
    assert_eq!(recs[0].query_value("reportType"), Some("day"));
    assert!(recs[0].token_valid);
    assert_eq!(recs[0].api_status, Some(200));
    assert_eq!(recs[1].endpoint, Endpoint::GetReportInfo);
    assert_eq!(recs[1].query_value("orderNo"), Some(o.as_str()));
    assert!(recs[1].timespan.as_deref().unwrap().parse::<u64>().is_ok());
    assert_eq!(recs[1].range, None);
    assert_eq!(Endpoint::GetReportInfo.as_str(), "getReportInfo");
}
