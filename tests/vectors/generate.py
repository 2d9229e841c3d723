#!/usr/bin/env python3
"""Writes the shared test vectors beside this file: signing.json, responses.json, archive_names.json,
archive_plans.json.

Every language's suite (Rust, Python, Node, C, Java) reads these files and must agree with them.
They are produced here, independently of the Rust core, so they check it rather than echo it:
Tokens come from Python's hashlib, GBK bytes from Python's codecs, and every expected outcome is
written by hand from the vendor document (spec/radar-report-api.zh.txt), spec/API-NOTES.md and
DESIGN.md. Run `python3 tests/vectors/generate.py` after changing a case and commit the JSON.
Standard library only; the output is deterministic.
"""

import base64
import hashlib
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")


# --------------------------------------------------------------------------------------------
# signing.json
# --------------------------------------------------------------------------------------------

def token(app_key, timespan, secret_key):
    data = (app_key + str(timespan) + secret_key).encode("utf-8")
    return hashlib.md5(data).hexdigest().upper()


SIGNING = [
    # (app_key, timespan, secret_key, note)
    ("key", 1700000000, "secret", "the example in the Rust core's documentation"),
    ("8b0f4a6c2d1e4f7a9c3b5d6e7f8a9b0c", 1676601233, "3A5F9C1E7B2D4F6A8C0E1B3D5F7A9C2E",
     "vendor-like shapes: 32 lower-hex AppKey, 32 upper-hex SecretKey, a 2023 timespan"),
    ("e3b0c44298fc1c149afbf4c8996fb924", 1795910400, "27AE41E4649B934CA495991B7852B855",
     "vendor-like shapes, 2026-11-29T00:00:00Z"),
    ("AppKey", 0, "SecretKey", "timespan 0 is the single digit '0', not empty and not padded"),
    ("k", 1, "s", "a one-digit timespan"),
    ("k", 999999999, "s", "nine digits"),
    ("k", 1000000000, "s", "ten digits"),
    ("k", 2147483648, "s", "past the signed 32-bit limit (2038-01-19T03:14:08Z)"),
    ("k", 4294967296, "s", "past the unsigned 32-bit limit"),
    ("k", 9007199254740991, "s",
     "2^53-1, the largest timespan every JSON reader (JavaScript included) reads exactly"),
    ("my&key=1", 1700000001, "sec ret", "characters that need escaping in a query are signed raw"),
    ("A-b_C.d~9", 1700000002, "Z-y_X.w~0", "mixed case and punctuation are kept as they are"),
    ("12345", 67890, "", "an empty secret (sign() accepts it; Credentials would not)"),
    ("", 0, "", "both keys empty (sign() accepts it; Credentials would not): MD5 of '0'"),
    ("a" * 256, 1700000003, "B" * 256, "the longest keys Credentials accepts (256 bytes each)"),
    ("企查查", 1676601233, "密钥🔑",
     "UTF-8 text, for sign() only: the MD5 is over the UTF-8 bytes; real keys are ASCII"),
]


def signing():
    cases = []
    for app_key, timespan, secret_key, note in SIGNING:
        assert timespan <= 2**53 - 1
        cases.append({
            "note": note,
            "app_key": app_key,
            "timespan": timespan,
            "secret_key": secret_key,
            "token": token(app_key, timespan, secret_key),
        })
    return {
        "description": "Token = upper-case hex MD5 of the UTF-8 bytes of app_key + decimal timespan "
                       "(no padding, no sign) + secret_key, with no separator. Tokens computed with "
                       "Python's hashlib. Timespans stay at or below 2^53-1 so every JSON reader "
                       "reads them exactly. 'note' says what a case is for.",
        "cases": cases,
    }


# --------------------------------------------------------------------------------------------
# responses.json
# --------------------------------------------------------------------------------------------

DOC_CREATE = """{
  "status": "200",
  "msg": "【有效请求】查询成功",
  "result": {
    "orderNo": "JKDAY-167660123348194027"
  }
}"""

# Verbatim from the vendor document: the reportUrl string is wrapped over lines, so this body
# holds raw line breaks inside a JSON string. Parsers must read each as a space; the link
# itself drops whitespace.
DOC_INFO = """{
  "status": "200",
  "msg": "【有效请求】 查询成功",
  "result": {
    "reportStatus": "S",
    "reportUrl":
    "https://pro-files.qichacha.com/OssMonitorRpt/xxxxxx740a0a7fcxxxcc13a/%E4%Bxxxx91%E6
    %8E%A7%E6%97%A5%E6%8A%A5-xxx2xx6.zip?Expires=1708137472&OSSAccessKeyId=LTAIvmt
    6mWz2ZQqu&Signature=k%2FD2Yb67MK3O6RU4Xmf09bWXKXY%3D"
  }
}"""

DOC_URL = ("https://pro-files.qichacha.com/OssMonitorRpt/xxxxxx740a0a7fcxxxcc13a/%E4%Bxxxx91%E6"
           "%8E%A7%E6%97%A5%E6%8A%A5-xxx2xx6.zip?Expires=1708137472&OSSAccessKeyId=LTAIvmt"
           "6mWz2ZQqu&Signature=k%2FD2Yb67MK3O6RU4Xmf09bWXKXY%3D")

LINK = ("https://pro-files.qichacha.com/OssMonitorRpt/abc/%E7%9B%91%E6%8E%A7%E6%97%A5%E6%8A%A5.zip"
        "?Expires=1795914000&OSSAccessKeyId=LTAIexample&Signature=c2lnbmF0dXJl%3D")

JSON_CT = "application/json; charset=utf-8"

CREATE = "createReport"
INFO = "getReportInfo"


def env(status, msg="", result=None, keys=("status", "msg", "result"), omit_result=False):
    d = {keys[0]: status, keys[1]: msg}
    if not omit_result:
        d[keys[2]] = result
    return json.dumps(d, ensure_ascii=False)


def ordered(order_no):
    return {"outcome": "ordered", "order_no": order_no}


NO_CHANGE = {"outcome": "no_change"}


def info(status, expires_at=None, has_link=False, has_unzip_password=None):
    d = {"outcome": "info", "status": status, "expires_at": expires_at, "has_link": has_link}
    if has_unzip_password is not None:
        # Only the cases about the archive's password name it; a reader may skip the field.
        d["has_unzip_password"] = has_unzip_password
    return d


def error(kind, code, retryable, server_message=None):
    e = {"outcome": "error", "kind": kind, "code": code, "retryable": retryable}
    if server_message is not None:
        e["server_message"] = server_message
    return e


def unreadable():
    # Anything that is not the API's JSON envelope: a retryable transport error without a code.
    return error("transport", None, True)


GARBAGE = bytes([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xC0, 0xC1, 0xF5, 0x80, 0x7B, 0x22, 0xFF])

RESPONSES = [
    # ---- createReport: the document and its tolerated variants
    ("create: document example", CREATE, JSON_CT, DOC_CREATE, ordered("JKDAY-167660123348194027")),
    ("create: status as a number", CREATE, JSON_CT,
     env(200, "查询成功", {"orderNo": "JKDAY-167660123348194028"}), ordered("JKDAY-167660123348194028")),
    ("create: status string with spaces", CREATE, JSON_CT,
     env(" 200 ", "ok", {"orderNo": "JKMONTH-1"}), ordered("JKMONTH-1")),
    ("create: capitalised keys Status/Message/Result", CREATE, JSON_CT,
     env("200", "查询成功", {"OrderNo": "JKWEEK-167660123348194029"}, keys=("Status", "Message", "Result")),
     ordered("JKWEEK-167660123348194029")),
    ("create: order number padded with spaces is trimmed", CREATE, JSON_CT,
     env("200", "ok", {"orderNo": "  JKDAY-42  "}), ordered("JKDAY-42")),
    ("create: extra fields are ignored", CREATE, JSON_CT,
     json.dumps({"status": "200", "msg": "ok", "result": {"orderNo": "JKDAY-7", "x": [1, {}]},
                 "traceId": "abc"}), ordered("JKDAY-7")),
    ("create: no content type", CREATE, None,
     env("200", "ok", {"orderNo": "JKDAY-8"}), ordered("JKDAY-8")),
    ("create: UTF-8 byte-order mark", CREATE, JSON_CT,
     "\ufeff" + env("200", "ok", {"orderNo": "JKDAY-9"}), ordered("JKDAY-9")),
    # ---- createReport 201 is good news
    ("create: 201 no change, result null", CREATE, JSON_CT,
     env("201", "【有效请求】查询无结果", None), NO_CHANGE),
    ("create: 201 no change, result missing, status number", CREATE, JSON_CT,
     env(201, "【有效请求】查询无结果", omit_result=True), NO_CHANGE),
    ("create: 201 no change, capitalised keys", CREATE, JSON_CT,
     env(201, "none", None, keys=("Status", "Message", "Result")), NO_CHANGE),
    # ---- createReport: 200 that cannot be used
    # A 200 from createReport may mean an order was placed and billed: never retryable.
    ("create: 200 with result null", CREATE, JSON_CT, env("200", "ok", None),
     error("transport", 200, False)),
    ("create: 200 with result missing", CREATE, JSON_CT, env("200", "ok", omit_result=True),
     error("transport", 200, False)),
    ("create: 200 with empty orderNo", CREATE, JSON_CT, env("200", "ok", {"orderNo": ""}),
     error("transport", 200, False)),
    ("create: 200 with an unsafe orderNo", CREATE, JSON_CT, env("200", "ok", {"orderNo": "../etc"}),
     error("transport", 200, False)),
    # ---- error codes, one or more per kind
    ("create: 101 key invalid", CREATE, JSON_CT,
     env("101", "【无效请求】当前的KEY无效或者还未生效中"),
     error("auth", 101, False, "【无效请求】当前的KEY无效或者还未生效中")),
    ("create: 107 bad signature", CREATE, JSON_CT,
     env("107", "【无效请求】被禁止的IP或者签名错误"), error("auth", 107, False, "【无效请求】被禁止的IP或者签名错误")),
    ("info: 107 bad signature, capitalised keys", INFO, JSON_CT,
     env(107, "签名错误", None, keys=("Status", "Message", "Result")), error("auth", 107, False, "签名错误")),
    ("info: 115 stale timespan", INFO, JSON_CT,
     env("115", "【无效请求】身份验证错误或者已过期"), error("auth", 115, False)),
    ("create: 112 balance exhausted", CREATE, JSON_CT,
     env("112", "【无效请求】您的账号剩余使用量已不足或已过期"), error("quota", 112, False)),
    ("info: 122 too many concurrent requests (retryable)", INFO, JSON_CT,
     env(122, "【无效请求】并发请求过多"), error("quota", 122, True)),
    ("create: 122 too many concurrent requests (retryable)", CREATE, JSON_CT,
     env("122", "并发请求过多"), error("quota", 122, True)),
    ("create: 214 not purchased", CREATE, JSON_CT,
     env("214", "【无效请求】您还未购买过该接口，请先购买"), error("permission", 214, False)),
    ("create: 111 interface not enabled", CREATE, JSON_CT,
     env("111", "【无效请求】接口权限未开通，请联系管理员"), error("permission", 111, False)),
    ("create: 202 bad parameter", CREATE, JSON_CT,
     env("202", "【有效请求】查询参数错误，请检查"), error("invalid_request", 202, False)),
    ("info: 202 bad parameter", INFO, JSON_CT,
     env(202, "查询参数错误"), error("invalid_request", 202, False)),
    ("info: 500 logic error (retryable)", INFO, JSON_CT,
     env("500", "【无效请求】接口相关的逻辑错误"), error("transport", 500, True)),
    ("create: 199 unknown system error (retryable)", CREATE, JSON_CT,
     env("199", "【无效请求】系统未知错误，请联系技术客服"), error("transport", 199, True)),
    ("create: unknown code 777 keeps its number", CREATE, JSON_CT,
     env("777", "奇怪"), error("invalid_request", 777, False, "奇怪")),
    ("info: unknown code 777 keeps its number", INFO, JSON_CT,
     env(777, ""), error("invalid_request", 777, False)),
    ("create: quota error in a GBK body, charset declared", CREATE, "application/json; charset=GBK",
     env("112", "余额不足").encode("gbk"), error("quota", 112, False, "余额不足")),
    ("create: quota error in a GBK body, no charset", CREATE, "application/json",
     env("112", "余额不足").encode("gbk"), error("quota", 112, False, "余额不足")),
    # ---- getReportInfo: the document and its tolerated variants
    ("info: document example, reportUrl wrapped over lines verbatim", INFO, JSON_CT, DOC_INFO,
     info("S", 1708137472, True)),
    ("info: document example, wrapping as escaped line breaks", INFO, JSON_CT,
     json.dumps({"status": "200", "msg": "【有效请求】 查询成功",
                 "result": {"reportStatus": "S",
                            "reportUrl": DOC_URL.replace("%E6%8E", "%E6\n    %8E")
                                                .replace("LTAIvmt6", "LTAIvmt\n    6")}},
                ensure_ascii=False),
     info("S", 1708137472, True)),
    ("info: S, one-line link, status as a number", INFO, JSON_CT,
     env(200, "ok", {"reportStatus": "S", "reportUrl": LINK}), info("S", 1795914000, True)),
    ("info: S, link without Expires", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": "https://files.example/r.zip"}),
     info("S", None, True)),
    ("info: S, capitalised keys everywhere", INFO, JSON_CT,
     env("200", "ok", {"ReportStatus": "S", "ReportUrl": LINK}, keys=("Status", "Message", "Result")),
     info("S", 1795914000, True)),
    ("info: S in lower case", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "s", "reportUrl": LINK}), info("S", 1795914000, True)),
    # ---- getReportInfo: the archive's password (the older radar API's unzipPassword)
    ("info: S with unzipPassword", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": LINK, "unzipPassword": "Zq8#p 2x"}),
     info("S", 1795914000, True, has_unzip_password=True)),
    ("info: S with UnzipPassword, capitalised keys everywhere", INFO, JSON_CT,
     env("200", "ok", {"ReportStatus": "S", "ReportUrl": LINK, "UnzipPassword": "Zq8#p2x"},
         keys=("Status", "Message", "Result")),
     info("S", 1795914000, True, has_unzip_password=True)),
    ("info: S with a numeric unzipPassword", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": LINK, "unzipPassword": 202401}),
     info("S", 1795914000, True, has_unzip_password=True)),
    ("info: S with an empty unzipPassword is no password", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": LINK, "unzipPassword": ""}),
     info("S", 1795914000, True, has_unzip_password=False)),
    ("info: S with unzipPassword null is no password", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": LINK, "unzipPassword": None}),
     info("S", 1795914000, True, has_unzip_password=False)),
    ("info: S without unzipPassword", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": LINK}),
     info("S", 1795914000, True, has_unzip_password=False)),
    ("info: P", INFO, JSON_CT, env("200", "ok", {"reportStatus": "P"}), info("P")),
    ("info: P with an empty reportUrl", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "P", "reportUrl": ""}), info("P")),
    ("info: P with reportUrl null", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "P", "reportUrl": None}), info("P")),
    ("info: 205 waiting to be processed is pending", INFO, JSON_CT,
     env("205", "【有效请求】等待处理中", None), info("P")),
    ("info: 205 as a number, result missing", INFO, JSON_CT,
     env(205, "等待处理中", omit_result=True), info("P")),
    ("info: F", INFO, JSON_CT, env("200", "ok", {"reportStatus": "F"}), info("F")),
    ("info: F with an unusable reportUrl is still F", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "F", "reportUrl": "-"}), info("F")),
    ("info: 201 unknown order number is an error", INFO, JSON_CT,
     env("201", "【有效请求】查询无结果", None), error("invalid_request", 201, False, "【有效请求】查询无结果")),
    ("info: 201 as a number, capitalised keys", INFO, JSON_CT,
     env(201, "", None, keys=("Status", "Message", "Result")), error("invalid_request", 201, False)),
    # ---- getReportInfo: 200 that cannot be used
    ("info: S without reportUrl", INFO, JSON_CT, env("200", "ok", {"reportStatus": "S"}), unreadable()),
    ("info: S with an empty reportUrl", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": " "}), unreadable()),
    ("info: S with a link that is not http(s)", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": "ftp://files.example/r.zip"}), unreadable()),
    ("info: S with a link that is not a URL", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "S", "reportUrl": "not a url"}), unreadable()),
    ("info: unknown reportStatus letter", INFO, JSON_CT,
     env("200", "ok", {"reportStatus": "X"}), unreadable()),
    ("info: reportStatus missing", INFO, JSON_CT, env("200", "ok", {}), unreadable()),
    ("info: 200 with result null", INFO, JSON_CT, env("200", "ok", None), unreadable()),
    # ---- bodies that are not the envelope at all
    ("create: HTML gateway page", CREATE, "text/html",
     "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
     unreadable()),
    ("info: HTML gateway page", INFO, "text/html; charset=utf-8",
     "<!DOCTYPE html><html><body>504 Gateway Time-out</body></html>", unreadable()),
    ("info: truncated JSON", INFO, JSON_CT, '{"status":"200","msg":"ok","result":{"reportStatus":"S","repo',
     unreadable()),
    ("create: truncated JSON", CREATE, JSON_CT, '{"status":"2', unreadable()),
    ("create: empty body", CREATE, None, "", unreadable()),
    ("info: empty body", INFO, JSON_CT, "", unreadable()),
    ("info: whitespace only", INFO, JSON_CT, " \r\n\t ", unreadable()),
    ("create: JSON array", CREATE, JSON_CT, '[{"status":"200"}]', unreadable()),
    ("info: JSON string", INFO, JSON_CT, '"200"', unreadable()),
    ("info: JSON null", INFO, JSON_CT, "null", unreadable()),
    ("create: status missing", CREATE, JSON_CT, '{"msg":"ok","result":{"orderNo":"JKDAY-1"}}',
     unreadable()),
    ("create: status not a number", CREATE, JSON_CT, env("ok", "ok", {"orderNo": "JKDAY-1"}),
     unreadable()),
    ("create: status a fraction", CREATE, JSON_CT, '{"status":200.5,"msg":"ok"}', unreadable()),
    ("create: status null", CREATE, JSON_CT, '{"status":null,"msg":"ok"}', unreadable()),
    ("create: non-UTF-8 garbage bytes", CREATE, "application/octet-stream", GARBAGE, unreadable()),
    ("info: non-UTF-8 garbage bytes", INFO, None, GARBAGE, unreadable()),
]


def responses():
    cases = []
    names = set()
    for name, endpoint, content_type, body, expect in RESPONSES:
        assert name not in names, name
        names.add(name)
        case = {"name": name, "endpoint": endpoint, "content_type": content_type}
        if isinstance(body, bytes):
            try:
                body.decode("utf-8")
                raise AssertionError(f"{name}: bytes that are UTF-8 belong in 'body'")
            except UnicodeDecodeError:
                pass
            case["body_base64"] = base64.b64encode(body).decode("ascii")
        else:
            case["body"] = body
        case["expect"] = expect
        cases.append(case)
    return {
        "description": "Response bodies and what the core's parsing makes of them. The body is "
                       "'body' (text, sent as its UTF-8 bytes) or 'body_base64' (bytes that are "
                       "not UTF-8). 'content_type' is the response's Content-Type or null. "
                       "'expect.outcome' is 'ordered' (createReport 200: order_no), 'no_change' "
                       "(createReport 201), 'info' (getReportInfo: status P/S/F, expires_at from "
                       "the link's Expires or null, has_link, and has_unzip_password where a case "
                       "is about it: whether result.unzipPassword gave a non-blank password) or 'error' (kind as "
                       "ErrorKind::as_str, code or null, retryable, and server_message when "
                       "given: the server's msg kept alongside).",
        "cases": cases,
    }


# --------------------------------------------------------------------------------------------
# archive_names.json
# --------------------------------------------------------------------------------------------

def gbk(s):
    b = s.encode("gbk")
    assert b != s.encode("utf-8")
    return b


def utf8(s):
    return s.encode("utf-8")


def ok(components, is_dir=False):
    return {"safe": True, "components": components, "is_dir": is_dir}


UNSAFE = {"safe": False, "components": None, "is_dir": None}

ARCHIVE = [
    # (name, raw bytes, utf8 flag, decoded, expectation)
    ("GBK file name without the UTF-8 flag", gbk("监控日报.xlsx"), False, "监控日报.xlsx",
     ok(["监控日报.xlsx"])),
    ("GBK nested folders without the flag", gbk("风险监控/日报/企业名单.pdf"), False,
     "风险监控/日报/企业名单.pdf", ok(["风险监控", "日报", "企业名单.pdf"])),
    ("GBK directory entry", gbk("风险监控/日报/"), False, "风险监控/日报/", ok(["风险监控", "日报"], True)),
    ("GBK name whose trail byte is 0x5C (運 = DF 5C) is not split", gbk("運行日报.txt"), False,
     "運行日报.txt", ok(["運行日报.txt"])),
    ("GBK folder and file with 0x5C trail bytes (運 = DF 5C, 誠 = D5 5C)", gbk("運/誠信.txt"), False,
     "運/誠信.txt", ok(["運", "誠信.txt"])),
    ("GBK name with '..' decoded before judging", gbk("../监控日报.xlsx"), False, "../监控日报.xlsx",
     UNSAFE),
    ("GBK absolute name", gbk("/监控/日报.txt"), False, "/监控/日报.txt", UNSAFE),
    ("UTF-8 name with the flag", utf8("监控日报/报告.pdf"), True, "监控日报/报告.pdf",
     ok(["监控日报", "报告.pdf"])),
    ("UTF-8 name without the flag: valid UTF-8 wins", utf8("监控日报/报告.pdf"), False,
     "监控日报/报告.pdf", ok(["监控日报", "报告.pdf"])),
    ("ASCII name", b"report-2026-11-29.csv", False, "report-2026-11-29.csv",
     ok(["report-2026-11-29.csv"])),
    ("flagged but not UTF-8: undecodable bytes become U+FFFD", bytes([0x61, 0xFF, 0x62, 0x2E, 0x74]),
     True, "a\ufffdb.t", ok(["a\ufffdb.t"])),
    ("nested folders", b"a/b/c/d.txt", False, "a/b/c/d.txt", ok(["a", "b", "c", "d.txt"])),
    ("backslash separators", b"a\\b\\c.txt", False, "a\\b\\c.txt", ok(["a", "b", "c.txt"])),
    ("directory entry", b"reports/", False, "reports/", ok(["reports"], True)),
    ("directory entry with a backslash", b"reports\\", False, "reports\\", ok(["reports"], True)),
    ("'.' and doubled separators are dropped", b"./a//./b.txt", False, "./a//./b.txt", ok(["a", "b.txt"])),
    ("'./' names the target folder itself", b"./", False, "./", ok([], True)),
    ("dots inside names are fine", b"..a/b..c/.hidden", False, "..a/b..c/.hidden",
     ok(["..a", "b..c", ".hidden"])),
    ("a 255-byte component is the limit", b"x" * 255, False, "x" * 255, ok(["x" * 255])),
    ("zip-slip: ../x", b"../x", False, "../x", UNSAFE),
    ("zip-slip: ..\\x", b"..\\x", False, "..\\x", UNSAFE),
    ("zip-slip: a/../../b", b"a/../../b", False, "a/../../b", UNSAFE),
    ("zip-slip: a/b/../c (any '..' is refused)", b"a/b/../c", False, "a/b/../c", UNSAFE),
    ("zip-slip: a\\..\\..\\b", b"a\\..\\..\\b", False, "a\\..\\..\\b", UNSAFE),
    ("zip-slip: trailing ..", b"a/..", False, "a/..", UNSAFE),
    ("absolute: /etc/passwd", b"/etc/passwd", False, "/etc/passwd", UNSAFE),
    ("absolute: \\x", b"\\x", False, "\\x", UNSAFE),
    ("drive letter: C:\\x", b"C:\\x", False, "C:\\x", UNSAFE),
    ("drive letter: C:/x", b"C:/x", False, "C:/x", UNSAFE),
    ("drive-relative: c:x", b"c:x", False, "c:x", UNSAFE),
    ("UNC: \\\\server\\share\\x", b"\\\\server\\share\\x", False, "\\\\server\\share\\x", UNSAFE),
    ("UNC with forward slashes: //server/share/x", b"//server/share/x", False, "//server/share/x", UNSAFE),
    ("alternate data stream: a.txt:evil", b"a.txt:evil", False, "a.txt:evil", UNSAFE),
    ("NUL byte", b"a\x00b.txt", False, "a\x00b.txt", UNSAFE),
    ("line break", b"a\nb.txt", False, "a\nb.txt", UNSAFE),
    ("escape character", b"a\x1b[31mb.txt", False, "a\x1b[31mb.txt", UNSAFE),
    ("empty name", b"", False, "", UNSAFE),
    ("only '.'", b".", False, ".", UNSAFE),
    ("only '/'", b"/", False, "/", UNSAFE),
    ("Windows trims '.. ' to '..'", b".. /x", False, ".. /x", UNSAFE),
    ("a component of only dots", b"a/.../b", False, "a/.../b", UNSAFE),
    ("a component of only spaces", b"a/ /b", False, "a/ /b", UNSAFE),
    ("a 256-byte component is too long", b"x" * 256, False, "x" * 256, UNSAFE),
    # Names Windows would not write as they are: a report extracts the same everywhere or not at
    # all (DESIGN.md, Archives).
    ("trailing dot: Windows writes 'trail.' as 'trail'", b"trail.", False, "trail.", UNSAFE),
    ("trailing space: Windows drops it", b"report.csv ", False, "report.csv ", UNSAFE),
    ("a folder ending in a dot", b"dir./x.csv", False, "dir./x.csv", UNSAFE),
    ("a name ending in two dots", b"a..", False, "a..", UNSAFE),
    ("Windows device name CON", b"CON", False, "CON", UNSAFE),
    ("device name with an extension: nul.txt", b"nul.txt", False, "nul.txt", UNSAFE),
    ("device name in a folder: reports/aux.csv", b"reports/aux.csv", False, "reports/aux.csv", UNSAFE),
    ("device name as a folder: NUL/x.csv", b"NUL/x.csv", False, "NUL/x.csv", UNSAFE),
    ("device names in any case: Com1.csv", b"Com1.csv", False, "Com1.csv", UNSAFE),
    ("LPT9 with two extensions", b"lpt9.tar.gz", False, "lpt9.tar.gz", UNSAFE),
    ("COM with a superscript one", utf8("COM\u00b9.txt"), True, "COM\u00b9.txt", UNSAFE),
    ("a device name before a space and an extension: 'CON .txt'", b"CON .txt", False, "CON .txt",
     UNSAFE),
    ("PRN", b"prn", False, "prn", UNSAFE),
    ("CONSOLE.txt is no device", b"CONSOLE.txt", False, "CONSOLE.txt", ok(["CONSOLE.txt"])),
    ("COM10 is no device", b"COM10.csv", False, "COM10.csv", ok(["COM10.csv"])),
    ("only the part before the first dot names a device: a.CON", b"a.CON", False, "a.CON",
     ok(["a.CON"])),
    ("'?' is forbidden on Windows", b"why?.csv", False, "why?.csv", UNSAFE),
    ("'<' and '>' are forbidden on Windows", b"<a>.txt", False, "<a>.txt", UNSAFE),
    ("'|' is forbidden on Windows", b"a|b.txt", False, "a|b.txt", UNSAFE),
    ("'\"' is forbidden on Windows", b'say"hi".txt', False, 'say"hi".txt', UNSAFE),
    ("'*' is forbidden on Windows", b"*.csv", False, "*.csv", UNSAFE),
    ("a full-width question mark is an ordinary character", utf8("问题？.csv"), True, "问题？.csv",
     ok(["问题？.csv"])),
    ("GBK name whose trail byte is 0x7C (亅 = 81 7C) is not read as '|'", gbk("亅.txt"), False,
     "亅.txt", ok(["亅.txt"])),
]


def archive_names():
    for name, raw, _, decoded, expect in ARCHIVE:
        # The Windows rules, restated: no accepted component ends in a dot or a space, holds a
        # character Windows forbids, or names a device before its first dot.
        for c in (expect["components"] or []):
            assert not c.endswith((".", " ")) and not any(ch in c for ch in '<>"|?*'), name
            stem = c.split(".")[0].rstrip(" ").upper()
            assert stem not in DEVICES, name

    cases = []
    for name, raw, flag, decoded, expect in ARCHIVE:
        # The decoding rule, restated independently: UTF-8 when valid, else (flagged) UTF-8 with
        # replacement characters, else GB18030.
        try:
            independent = raw.decode("utf-8")
        except UnicodeDecodeError:
            independent = raw.decode("utf-8", "replace") if flag else raw.decode("gb18030")
        assert independent == decoded, (name, independent, decoded)
        case = {"name": name, "raw_base64": base64.b64encode(raw).decode("ascii"), "utf8_flag": flag,
                "decoded": decoded}
        case.update(expect)
        cases.append(case)
    return {
        "description": "Zip entry names: the raw bytes, the UTF-8 flag (general-purpose bit 11), the "
                       "name decode_entry_name gives (UTF-8 when valid; else, flagged, UTF-8 with "
                       "U+FFFD; else GB18030, a superset of GBK), and what safe_entry_path makes of "
                       "that name: safe, with its components and is_dir, or refused (components "
                       "and is_dir null).",
        "cases": cases,
    }


# --------------------------------------------------------------------------------------------
# archive_plans.json
# --------------------------------------------------------------------------------------------

DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    p + d for p in ("COM", "LPT") for d in "0123456789\u00b9\u00b2\u00b3"}


def nfc(s):
    return unicodedata.normalize("NFC", s)


def one_name_off_linux(a, b):
    """Whether Windows or macOS would take paths a and b for one: case (full case folding) or
    Unicode normalisation ignored. Python's casefold and unicodedata, not the Rust core's fold."""
    return nfc(nfc(a).casefold()) == nfc(nfc(b).casefold())


def entry(name, flag=True):
    raw = name if isinstance(name, bytes) else name.encode("utf-8")
    return {"raw_base64": base64.b64encode(raw).decode("ascii"), "utf8_flag": flag}


def planned(*files):
    return {"outcome": "ok", "files": list(files)}


def refused(*quoted):
    return {"outcome": "refused", "quoted": list(quoted)}


NFD_E = "e\u0301"

PLANS = [
    # (name, entries as names (str: UTF-8 flagged; bytes: raw, unflagged), expectation,
    #  the two paths that collide or None)
    ("the sandbox's normal report: GBK names, folders, files", [
        gbk("风险监控日报/"), gbk("风险监控日报/企业风险变化汇总.csv"), gbk("风险监控日报/明细/"),
        gbk("风险监控日报/明细/法律诉讼.csv"), gbk("说明.txt")],
     planned("风险监控日报/企业风险变化汇总.csv", "风险监控日报/明细/法律诉讼.csv", "说明.txt"), None),
    ("names that only look alike are distinct", ["a.txt", "a.txt.bak", "b/a.txt", "ab", "a b"],
     planned("a.txt", "a.txt.bak", "b/a.txt", "ab", "a b"), None),
    ("a folder may be named by several entries", ["a/", "a/b.txt", "a/", "a/c.txt", "./"],
     planned("a/b.txt", "a/c.txt"), None),
    ("a GBK file whose last byte is a 0x5C trail byte (運 = DF 5C) is a file, not a folder",
     [gbk("报告/運")], planned("报告/運"), None),
    ("Report.csv and report.csv: one file on Windows and macOS", ["Report.csv", "report.csv"],
     refused("Report.csv", "report.csv"), ("Report.csv", "report.csv")),
    ("NFC and NFD é.txt: one file on macOS", ["\u00e9.txt", NFD_E + ".txt"],
     refused("\u00e9.txt"), ("\u00e9.txt", NFD_E + ".txt")),
    ("folders differing in case: Data/ and data/", ["Data/a.csv", "data/b.csv"],
     refused("Data/a.csv", "data/b.csv"), ("Data", "data")),
    ("folders differing in normalisation", ["caf\u00e9/a.csv", "caf" + NFD_E + "/b.csv"],
     refused("caf\u00e9/a.csv"), ("caf\u00e9", "caf" + NFD_E)),
    ("Greek capital and final sigma", ["ΟΔΟΣ.txt", "οδος.txt"], refused("ΟΔΟΣ.txt", "οδος.txt"),
     ("ΟΔΟΣ.txt", "οδος.txt")),
    ("long s and s (NTFS upper-cases both to S)", ["\u017f.txt", "s.txt"], refused("s.txt"),
     ("\u017f.txt", "s.txt")),
    ("the Kelvin sign and k", ["\u212a.txt", "k.txt"], refused("k.txt"), ("\u212a.txt", "k.txt")),
    ("trail and trail.: Windows writes both as trail", ["trail", "trail."], refused("trail."), None),
    ("a lone Windows device name", ["CON"], refused("CON"), None),
    ("nul.txt beside a normal file", ["a.csv", "nul.txt"], refused("nul.txt"), None),
    ("aux.csv in a folder", ["reports/aux.csv"], refused("reports/aux.csv"), None),
    ("the same file twice", ["a/b.txt", "a/b.txt"], refused("a/b.txt"), None),
    ("a file that is also a folder", ["a", "a/b.txt"], refused("a", "a/b.txt"), None),
    ("a folder that is also a file", ["a/b.txt", "a"], refused("a/b.txt", "a"), None),
    ("a folder entry and a file of one name", ["a/", "a"], refused("a"), None),
]


def archive_plans():
    cases = []
    for name, names, expect, collide in PLANS:
        if collide is not None:
            a, b = collide
            assert a != b and one_name_off_linux(a, b), name
        if expect["outcome"] == "ok":
            # No two files or folders of an accepted plan are one name off Linux.
            paths = set()
            for n in names:
                text = n.decode("gb18030") if isinstance(n, bytes) else n
                parts = [p for p in text.split("/") if p not in ("", ".")]
                for k in range(1, len(parts) + 1):
                    paths.add("/".join(parts[:k]))
            for x in paths:
                for y in paths:
                    assert x == y or not one_name_off_linux(x, y), (name, x, y)
        cases.append({
            "name": name,
            "entries": [entry(n, flag=not isinstance(n, bytes)) for n in names],
            "expect": expect,
        })
    return {
        "description": "Whole archives judged before extraction (qcc_radar_core::plan_archive with "
                       "the default limits, no encryption): each entry's raw name and UTF-8 flag, "
                       "in order (declared sizes are small and equal to the compressed sizes). "
                       "'ok' lists the files to extract, in entry order, as '/'-joined paths; "
                       "'refused' is an archive error whose message quotes each name in "
                       "'quoted' (as Rust's {:?} shows it). Names that Windows or macOS would "
                       "take for one (case or Unicode normalisation ignored), trailing dots and "
                       "spaces, device names, duplicates and file/folder clashes are refused. "
                       "Collisions are checked here with Python's casefold and unicodedata.",
        "cases": cases,
    }


if __name__ == "__main__":
    write("signing.json", signing())
    write("responses.json", responses())
    write("archive_names.json", archive_names())
    write("archive_plans.json", archive_plans())
