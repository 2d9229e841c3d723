-- wrk script: signed getReportInfo requests for one order, for bench/run.sh's sandbox figure.
--
--   QCC_WRK_PATH=/api/radar_ext/getReportInfo?key=…&orderNo=… QCC_WRK_TOKEN=… \
--   QCC_WRK_TIMESPAN=… wrk -t1 -c16 -d10s -s bench/wrk/report_info.lua http://127.0.0.1:PORT
--
-- wrk's Lua has no MD5, so the harness signs once (Token = upper-hex MD5 of AppKey + Timespan +
-- SecretKey) and the run stays well inside the sandbox's 300 s Timespan window. Every answer's
-- body is checked for a "200" envelope, so a rejected signature cannot pass as throughput; the
-- last line is JSON for the harness.

wrk.method = "GET"
wrk.path = os.getenv("QCC_WRK_PATH")
wrk.headers["Token"] = os.getenv("QCC_WRK_TOKEN")
wrk.headers["Timespan"] = os.getenv("QCC_WRK_TIMESPAN")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  answers = 0
  bad = 0
end

function response(status, headers, body)
  answers = answers + 1
  if status ~= 200 or not string.find(body, '"status":"200"', 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local a, b = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("answers")
    b = b + t:get("bad")
  end
  io.write(string.format(
    '{"answers":%d,"bad":%d,"requests":%d,"errors":%d,"seconds":%.6f}\n',
    a, b, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.duration / 1e6))
end
