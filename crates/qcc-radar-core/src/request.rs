//! The two API requests as plain data: method, URL, query and headers.
//!
//! Building requests here, rather than in the HTTP client, means the client, the sandbox's
//! signature check and every test agree on the exact bytes that are signed and sent. The key
//! travels in the query; the secret never travels; the Token and Timespan come from one
//! timespan the caller read once for this attempt.

use std::fmt;

use crate::base_url::BaseUrl;
use crate::credentials::Credentials;
use crate::order_no::OrderNo;
use crate::report_type::ReportType;

/// The createReport endpoint's path.
pub const CREATE_REPORT_PATH: &str = "/api/radar_ext/createReport";
/// The getReportInfo endpoint's path.
pub const REPORT_INFO_PATH: &str = "/api/radar_ext/getReportInfo";

/// A request ready to send.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    /// Always `GET` for this API.
    pub method: &'static str,
    /// The endpoint's name for messages: `createReport` or `getReportInfo`.
    pub endpoint: &'static str,
    /// The full URL, query included and percent-encoded.
    pub url: String,
    /// The path under the base URL.
    pub path: &'static str,
    /// The query parameters, unencoded, in order.
    pub query: Vec<(&'static str, String)>,
    /// The headers: `Token` and `Timespan`.
    pub headers: Vec<(&'static str, String)>,
}

impl ApiRequest {
    fn build(
        base: &BaseUrl,
        credentials: &Credentials,
        timespan: u64,
        endpoint: &'static str,
        path: &'static str,
        query: Vec<(&'static str, String)>,
    ) -> ApiRequest {
        let encoded: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let signed = credentials.sign(timespan);
        ApiRequest {
            method: "GET",
            endpoint,
            url: format!("{}?{encoded}", base.join_path(path)),
            path,
            query,
            headers: vec![("Token", signed.token), ("Timespan", signed.timespan)],
        }
    }

    /// `createReport?key=…&reportType=…`, signed for `timespan`.
    pub fn create_report(
        base: &BaseUrl,
        credentials: &Credentials,
        report_type: ReportType,
        timespan: u64,
    ) -> ApiRequest {
        ApiRequest::build(
            base,
            credentials,
            timespan,
            "createReport",
            CREATE_REPORT_PATH,
            vec![
                ("key", credentials.app_key().to_string()),
                ("reportType", report_type.as_str().to_string()),
            ],
        )
    }

    /// `getReportInfo?key=…&orderNo=…`, signed for `timespan`.
    pub fn report_info(
        base: &BaseUrl,
        credentials: &Credentials,
        order_no: &OrderNo,
        timespan: u64,
    ) -> ApiRequest {
        ApiRequest::build(
            base,
            credentials,
            timespan,
            "getReportInfo",
            REPORT_INFO_PATH,
            vec![
                ("key", credentials.app_key().to_string()),
                ("orderNo", order_no.as_str().to_string()),
            ],
        )
    }

    /// A header's value by name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("timespan", &self.header("Timespan"))
            .field("token", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::sign;

    #[test]
    fn create_report_request() {
        let creds = Credentials::new("my&key", "sec").unwrap();
        let base = BaseUrl::parse("https://pro.qcc.com").unwrap();
        let r = ApiRequest::create_report(&base, &creds, ReportType::Week, 1700000000);
        assert_eq!(
            r.url,
            "https://pro.qcc.com/api/radar_ext/createReport?key=my%26key&reportType=week"
        );
        assert_eq!(r.header("timespan"), Some("1700000000"));
        assert_eq!(
            r.header("Token"),
            Some(sign("my&key", 1700000000, "sec").as_str())
        );
        assert!(!format!("{r:?}").contains(r.header("Token").unwrap()));
    }

    #[test]
    fn report_info_request() {
        let creds = Credentials::new("k", "SECRET-XYZ").unwrap();
        let base = BaseUrl::parse("http://127.0.0.1:9/").unwrap();
        let o = OrderNo::new("JKDAY-1").unwrap();
        let r = ApiRequest::report_info(&base, &creds, &o, 5);
        assert_eq!(
            r.url,
            "http://127.0.0.1:9/api/radar_ext/getReportInfo?key=k&orderNo=JKDAY-1"
        );
        assert!(!r.url.contains("SECRET-XYZ"));
    }
}
