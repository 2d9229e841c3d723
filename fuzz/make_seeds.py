#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora into fuzz/seeds/<target>/.

- parse_response: every case of tests/vectors/responses.json, in the layout of
  qcc_radar_fuzz::inputs::Response (endpoint byte, content-type length byte, content type, body),
  plus a few shapes the vectors lack (a body cut off inside the signed link, the result first).
- archive_name: every case of tests/vectors/archive_names.json (flag byte, raw name).
- extract_zip: the sandbox's report archives (normal for day/week/month, unsafe_archive,
  zip_bomb), downloaded through the `qcc-radar` binary's sandbox, plus a few built here (among
  them names that are one file on Windows or macOS).

Run from anywhere: python3 fuzz/make_seeds.py [path/to/qcc-radar]. The seeds are committed; rerun
this when the vectors or the sandbox's archives change. File names are content hashes, as
libFuzzer names its own corpus files; a rerun replaces the whole folder.
"""

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.request
import warnings
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEEDS = os.path.join(HERE, "seeds")


def put(target, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def response(report_info, content_type, body):
    out = bytes([1 if report_info else 0])
    if content_type is None or len(content_type.encode()) >= 255:
        out += bytes([255])
    else:
        ct = content_type.encode()
        out += bytes([len(ct)]) + ct
    return out + body


def response_seeds():
    with open(os.path.join(ROOT, "tests", "vectors", "responses.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    for c in cases:
        body = base64.b64decode(c["body_base64"]) if "body_base64" in c else c["body"].encode()
        put("parse_response", response(c["endpoint"] == "getReportInfo", c.get("content_type"), body))
    link = "https://f.example/r/%E6%97%A5%E6%8A%A5.zip?Expires=1708137472&OSSAccessKeyId=LTAIabc&Signature=k%2FD2Yb67MK3O6RU4Xmf09bWXKXY%3D"
    full = json.dumps(
        {"result": {"reportStatus": "S", "reportUrl": link}, "status": "200", "msg": "ok"}
    ).encode()
    put("parse_response", response(True, "application/json", full))
    put("parse_response", response(True, "application/json", full[: len(full) // 2]))
    no_status = json.dumps({"status": "200", "result": {"reportUrl": link}}).encode()
    put("parse_response", response(True, "application/json", no_status))


def name_seeds():
    with open(os.path.join(ROOT, "tests", "vectors", "archive_names.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    for c in cases:
        put("archive_name", bytes([1 if c["utf8_flag"] else 0]) + base64.b64decode(c["raw_base64"]))


def built_zip(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 6))
            info.compress_type = method
            if name.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
            z.writestr(info, data)
    return buf.getvalue()


def built_twins():
    """Names that are one file on Windows or macOS: case twins, NFC and NFD twins."""
    put("extract_zip", built_zip([("Report.csv", b"1", zipfile.ZIP_STORED), ("report.csv", b"2", zipfile.ZIP_STORED)]))
    put("extract_zip", built_zip([("\u00e9.txt", b"1", zipfile.ZIP_STORED), ("e\u0301.txt", b"2", zipfile.ZIP_STORED)]))


def sandbox_zips(cli):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCC_")}
    for scenario in ["normal", "unsafe_archive", "zip_bomb"]:
        proc = subprocess.Popen(
            [cli, "sandbox", "--scenario", scenario, "--polls-until-ready", "0", "--until-stdin-closes"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        try:
            line = json.loads(proc.stdout.readline())
            run_env = dict(env, QCC_BASE_URL=line["base_url"], QCC_APP_KEY=line["app_key"],
                           QCC_SECRET_KEY=line["secret_key"])
            types = ["day", "week", "month"] if scenario == "normal" else ["day"]
            for t in types:
                created = json.loads(subprocess.check_output(
                    [cli, "-q", "create", "--type", t, "--json"], env=run_env))
                status = json.loads(subprocess.check_output(
                    [cli, "-q", "status", created["order_no"], "--json"], env=run_env))
                with urllib.request.urlopen(status["url"]) as r:
                    put("extract_zip", r.read())
        finally:
            proc.stdin.close()
            proc.wait(timeout=10)


def main():
    warnings.simplefilter("ignore")
    shutil.rmtree(SEEDS, ignore_errors=True)
    cli = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "debug", "qcc-radar")
    response_seeds()
    name_seeds()
    put("extract_zip", built_zip([]))
    put("extract_zip", built_zip([("a/", b"", zipfile.ZIP_STORED), ("a/b.txt", b"hello\n", zipfile.ZIP_DEFLATED)]))
    put("extract_zip", built_zip([("x.txt", b"x" * 5000, zipfile.ZIP_DEFLATED), ("y.txt", b"", zipfile.ZIP_STORED)]))
    put("extract_zip", built_zip([("../up.txt", b"up", zipfile.ZIP_STORED)]))
    put("extract_zip", built_zip([("dup.txt", b"1", zipfile.ZIP_STORED), ("dup.txt", b"2", zipfile.ZIP_STORED)]))
    built_twins()
    sandbox_zips(cli)
    for t in sorted(os.listdir(SEEDS)):
        files = os.listdir(os.path.join(SEEDS, t))
        size = sum(os.path.getsize(os.path.join(SEEDS, t, f)) for f in files)
        print(f"{t}: {len(files)} seeds, {size} bytes")


if __name__ == "__main__":
    main()
