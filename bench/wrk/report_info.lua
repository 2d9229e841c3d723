-- wrk script: signed getReportInfo requests for one order, for bench/run.sh's sandbox figure.
--
--   QCC_WRK_PATH=/api/radar_ext/getReportInfo?key=…&orderNo=… QCC_WRK_TOKEN=… \
--   QCC_WRK_TIMESPAN=… wrk -t1 -c16 -d10s -s bench/wrk/report_info.lua http://127.0.0.1:PORT
--
-- wrk's Lua has no MD5, so the harness signs once (Token = upper-hex MD5 of AppKey + Timespan +
-- SecretKey) and the run stays well inside the sandbox's 300 s Timespan window.
--
-- No per-response callback: a `response` function makes wrk copy every body into Lua, which
-- costs the load generator (on the same two cores as the sandbox) about a sixth of its rate.
-- Instead the harness checks the answers in bulk: the request never changes, so every answer
-- is the same "200" envelope with an `S` link of (nearly) fixed length, while a rejected one
-- (HTTP 200 with status 107 or 115) is about 250 bytes shorter. `done` prints the bytes read
-- per answer, and the harness compares that with one answer it fetched and checked itself.

wrk.method = "GET"
wrk.path = os.getenv("QCC_WRK_PATH")
wrk.headers["Token"] = os.getenv("QCC_WRK_TOKEN")
wrk.headers["Timespan"] = os.getenv("QCC_WRK_TIMESPAN")

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"errors":%d,"seconds":%.6f}\n',
    summary.requests, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    summary.duration / 1e6))
end
