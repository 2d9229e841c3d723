// Many concurrent waits on one qcc-radar Client from Node: memory and threads.
//
//   node waits.mjs N POLL_MS TIMEOUT_SECONDS
//
// Orders N reports from the sandbox at QCC_BASE_URL (a `slow` one), then awaits N
// `waitForReport` promises on one client with Promise.allSettled. A timer reads
// /proc/self/status every 5 ms for the peak thread count (Node's own threads included: V8's
// platform workers and libuv's pool are there before the first wait); VmHWM is the peak
// resident set. Prints one JSON line. Bounded by TIMEOUT_SECONDS (at most 600).

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const { Client } = require('../../node/index.js')

function procStatus() {
  const out = {}
  for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
    const [key, value] = line.split(':')
    if (key === 'Threads' || key === 'VmRSS' || key === 'VmHWM') out[key] = parseInt(value, 10)
  }
  return out
}

const n = Number(process.argv[2])
const pollMs = Number(process.argv[3])
const timeoutMs = Math.min(Number(process.argv[4]), 600) * 1000
const client = new Client({ pollInitialMs: pollMs, pollMaxMs: pollMs, waitTimeoutMs: timeoutMs })
const orders = []
for (let i = 0; i < n; i++) {
  const order = await client.createReport('day')
  if (!order) throw new Error('createReport answered no change')
  orders.push(order)
}
const before = procStatus().Threads
let peak = before
const sampler = setInterval(() => {
  peak = Math.max(peak, procStatus().Threads)
}, 5)
const started = performance.now()
const results = await Promise.allSettled(orders.map((o) => client.waitForReport(o, { timeoutMs })))
const seconds = (performance.now() - started) / 1000
clearInterval(sampler)
const failed = results.filter((r) => r.status === 'rejected')
const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 'S').length
const after = procStatus()
console.log(
  JSON.stringify({
    n,
    ok,
    first_error: failed.length ? String(failed[0].reason) : null,
    seconds,
    threads_before: before,
    peak_threads: Math.max(peak, after.Threads),
    peak_rss_kib: after.VmHWM,
    rss_after_kib: after.VmRSS,
  }),
)
process.exit(0)
