//! The API's status-code table (vendor document section 7, plus 110, 120 and 122 from the
//! vendor's wider status page).
//!
//! Codes, never message text, decide behaviour: `msg` is Chinese free text that the vendor may
//! reword at any time. Each code carries the kind a caller branches on, whether a retry can
//! help, an English meaning that says what to do, and the vendor's Chinese text beside it so a
//! support ticket can quote it. An unknown code still maps to a clear error that keeps its
//! number.

use crate::error::{Error, ErrorKind};

/// One row of the status-code table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusCode {
    /// The numeric status.
    pub code: i32,
    /// The kind of error this code means, or `None` for 200, 201 and 205, whose meaning
    /// depends on the endpoint (see [`crate::response`]).
    pub kind: Option<ErrorKind>,
    /// Whether repeating the request later may succeed.
    pub retryable: bool,
    /// What it means, in English, with what to do.
    pub meaning: &'static str,
    /// The vendor's own text for it.
    pub vendor_text: &'static str,
    /// Whether this code is in the table (false for a code synthesised by [`lookup_status`]).
    pub known: bool,
}

const fn row(
    code: i32,
    kind: Option<ErrorKind>,
    retryable: bool,
    meaning: &'static str,
    vendor_text: &'static str,
) -> StatusCode {
    StatusCode {
        code,
        kind,
        retryable,
        meaning,
        vendor_text,
        known: true,
    }
}

use ErrorKind::{Auth, InvalidRequest, Permission, Quota, Transport};

/// Every known code, in ascending order.
pub const STATUS_CODES: &[StatusCode] = &[
    row(101, Some(Auth), false, "the app key is invalid or not yet active; check QCC_APP_KEY against the settings centre (设置中心 -> 我的公司)", "【无效请求】当前的KEY无效或者还未生效中"),
    row(102, Some(Quota), false, "the app key is in arrears; top up the account", "【无效请求】当前KEY已欠费"),
    row(103, Some(Auth), false, "the app key is suspended; contact QCC support", "【无效请求】当前KEY被暂停使用"),
    row(104, Some(Auth), false, "the app key is abnormal; contact QCC support", "【无效请求】请求KEY异常，请联系管理员"),
    row(106, Some(Quota), false, "too many illegal requests from this key; contact QCC support", "【无效请求】非法请求过多，请联系管理员"),
    row(107, Some(Auth), false, "this IP is forbidden or the signature is wrong; check QCC_SECRET_KEY and the IP allow-list", "【无效请求】被禁止的IP或者签名错误"),
    row(108, Some(Quota), false, "too many abnormal requests from this key; contact QCC support", "【无效请求】异常请求过多，请联系管理员"),
    row(109, Some(Quota), false, "over the daily system limit; try again tomorrow", "【无效请求】请求超过每日系统限制"),
    row(110, Some(Quota), false, "the same query failed repeatedly; wait two hours before trying again", "【无效请求】相同查询重复失败，请两小时后再试"),
    row(111, Some(Permission), false, "this interface is not enabled for the key; ask QCC to enable it", "【无效请求】接口权限未开通，请联系管理员"),
    row(112, Some(Quota), false, "the account's balance is exhausted or expired; top up or renew", "【无效请求】您的账号剩余使用量已不足或已过期"),
    row(113, Some(Permission), false, "this interface has been deleted; apply for it again", "【无效请求】当前接口已被删除，请重新申请"),
    row(114, Some(Permission), false, "this interface is disabled; contact QCC support", "【无效请求】当前接口已被禁用，请联系管理员"),
    row(115, Some(Auth), false, "authentication failed or expired; the Timespan is stale (check the clock) or the signature is wrong", "【无效请求】身份验证错误或者已过期"),
    row(116, Some(Quota), false, "over the daily call limit; try again tomorrow", "【无效请求】请求超过每日调用总量限制"),
    row(117, Some(Quota), false, "too many calls with unsupported parameters; contact QCC support", "【无效请求】当前不支持的请求参数调用量过多"),
    row(118, Some(Permission), false, "this interface does not support this way of calling it", "【无效请求】当前接口不支持此方式的调用"),
    row(119, Some(Auth), false, "the account is abnormal; contact QCC support", "【无效请求】您的帐号出现异常，请联系管理员"),
    row(120, Some(Quota), false, "abnormal traffic from this key; slow down and contact QCC support", "【无效请求】流量异常"),
    row(122, Some(Quota), true, "too many concurrent requests; retry with fewer at once", "【无效请求】并发请求过多"),
    row(199, Some(Transport), true, "unknown system error at QCC; retry later or contact QCC support", "【无效请求】系统未知错误，请联系技术客服"),
    row(200, None, false, "query succeeded", "【有效请求】查询成功"),
    row(201, None, false, "no result (createReport: no risk changes, so no report; getReportInfo: the order number is not valid)", "【有效请求】查询无结果"),
    row(202, Some(InvalidRequest), false, "a query parameter is wrong; check the report type and order number", "【有效请求】查询参数错误，请检查"),
    row(203, Some(Transport), true, "QCC's system had a query error; retry later or contact QCC support", "【无效请求】系统查询有异常，请联系技术人员"),
    row(205, None, true, "waiting to be processed; ask again later", "【有效请求】等待处理中"),
    row(207, Some(InvalidRequest), false, "the request covers more than 5,000 rows", "【有效请求】请求数据的条目数超过上限（5000）"),
    row(208, Some(InvalidRequest), false, "this interface does not support this company type", "【有效请求】此接口不支持此公司类型查询"),
    row(209, Some(InvalidRequest), false, "too many companies", "【有效请求】企业数量超过上限"),
    row(213, Some(InvalidRequest), false, "a parameter is shorter than 2 characters", "【有效请求】参数长度不能小于2"),
    row(214, Some(Permission), false, "this interface has not been purchased; buy it first", "【无效请求】您还未购买过该接口，请先购买"),
    row(215, Some(InvalidRequest), false, "the query keyword is not supported", "【有效请求】不支持的查询关键字"),
    row(218, Some(InvalidRequest), false, "this company does not support shell-company scanning", "【有效请求】该企业暂不支持空壳扫描"),
    row(219, Some(InvalidRequest), false, "this company does not support due-diligence access", "【有效请求】该企业暂不支持准入尽调"),
    row(223, Some(Permission), false, "the interface's billing mode does not support this parameter", "【无效请求】当前接口的计费方式不支持此查询参数"),
    row(500, Some(Transport), true, "a logic error inside QCC's interface; retry later or contact QCC support", "【无效请求】接口相关的逻辑错误"),
];

/// Looks up `code`. An unknown code gets a synthesised row: kind `invalid_request` (the API
/// rejected the request for a reason this client does not know), not retryable, with the number
/// kept so the caller can report it.
pub fn lookup_status(code: i32) -> StatusCode {
    match STATUS_CODES.binary_search_by_key(&code, |r| r.code) {
        Ok(i) => STATUS_CODES[i],
        Err(_) => StatusCode {
            code,
            kind: Some(InvalidRequest),
            retryable: false,
            meaning: "the API answered with a status this client does not know; quote the number to QCC support",
            vendor_text: "",
            known: false,
        },
    }
}

impl StatusCode {
    /// The error this code means, with the server's `msg` kept alongside. For the codes whose
    /// kind depends on the endpoint (200, 201, 205), the caller decides; this gives a
    /// transport-kind error so that a misuse is still a clear error, not a panic.
    pub fn to_error(&self, endpoint: &str, server_msg: &str) -> Error {
        let kind = self.kind.unwrap_or(Transport);
        Error::new(kind, format!("{endpoint} was refused: {}", self.meaning))
            .with_code(self.code)
            .with_server_message(server_msg)
            .with_retryable(self.retryable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in STATUS_CODES.windows(2) {
            assert!(w[0].code < w[1].code, "{} before {}", w[0].code, w[1].code);
        }
    }

    #[test]
    fn every_documented_code_is_present() {
        let documented = [
            200, 201, 202, 205, 207, 208, 209, 213, 215, 218, 219, 101, 102, 103, 104, 106, 107,
            108, 109, 111, 112, 113, 114, 115, 116, 117, 118, 119, 199, 203, 214, 223, 500, 110,
            120, 122,
        ];
        for code in documented {
            assert!(lookup_status(code).known, "{code} missing");
        }
    }

    #[test]
    fn kinds_follow_design_table() {
        for c in [101, 103, 104, 107, 115, 119] {
            assert_eq!(lookup_status(c).kind, Some(Auth), "{c}");
        }
        for c in [102, 109, 112, 116, 110, 120, 122] {
            assert_eq!(lookup_status(c).kind, Some(Quota), "{c}");
        }
        for c in [111, 113, 114, 214, 223, 118] {
            assert_eq!(lookup_status(c).kind, Some(Permission), "{c}");
        }
        for c in [202, 213, 215, 207, 208, 209, 218, 219] {
            assert_eq!(lookup_status(c).kind, Some(InvalidRequest), "{c}");
        }
    }

    #[test]
    fn unknown_code_keeps_its_number() {
        let s = lookup_status(777);
        assert!(!s.known);
        let e = s.to_error("createReport", "奇怪");
        assert_eq!(e.code(), Some(777));
        assert_eq!(e.kind(), InvalidRequest);
        assert_eq!(e.server_message(), Some("奇怪"));
    }
}
