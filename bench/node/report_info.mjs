// Sequential getReportInfo calls per second from Node: qcc-radar's Client or built-in fetch.
//
//   node report_info.mjs qcc|fetch ORDER_NO SECONDS [WARMUP_CALLS]
//
// The server and keys come from QCC_BASE_URL, QCC_APP_KEY and QCC_SECRET_KEY. Both sides make
// the same signed call, one at a time on keep-alive connections, and read the answer into a
// status and a link; the fetch side signs with node:crypto itself, which is what a hand-written
// integration does. The package is loaded from ../../node (its native addon may be pointed to by
// NAPI_RS_NATIVE_LIBRARY_PATH). Prints one JSON line. Bounded by SECONDS (at most 600).

import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const [side, orderNo, secondsArg, warmupArg] = process.argv.slice(2)
const seconds = Math.min(Number(secondsArg), 600)
const warmup = warmupArg === undefined ? 200 : Number(warmupArg)
const { QCC_BASE_URL: baseUrl, QCC_APP_KEY: appKey, QCC_SECRET_KEY: secretKey } = process.env

function qccCall() {
  const require = createRequire(import.meta.url)
  const { Client } = require('../../node/index.js')
  const client = new Client({ appKey, secretKey, baseUrl })
  return async () => {
    const info = await client.reportInfo(orderNo)
    if (info.status === 'S' && !info.url) throw new Error('S without a link')
  }
}

function fetchCall() {
  const url = new URL('/api/radar_ext/getReportInfo', baseUrl)
  url.searchParams.set('key', appKey)
  url.searchParams.set('orderNo', orderNo)
  const target = url.toString()
  return async () => {
    const timespan = String(Math.floor(Date.now() / 1000))
    const token = createHash('md5').update(appKey + timespan + secretKey).digest('hex').toUpperCase()
    const answer = await fetch(target, { headers: { Token: token, Timespan: timespan } })
    if (!answer.ok) throw new Error(`HTTP ${answer.status}`)
    const body = await answer.json()
    if (String(body.status) !== '200') throw new Error(`status ${body.status}`)
    const result = body.result || {}
    if (result.reportStatus === 'S' && !result.reportUrl) throw new Error('S without a link')
  }
}

const call = { qcc: qccCall, fetch: fetchCall }[side]()
for (let i = 0; i < warmup; i++) await call()
let calls = 0
const started = performance.now()
const deadline = started + seconds * 1000
while (performance.now() < deadline) {
  await call()
  calls++
}
const elapsed = (performance.now() - started) / 1000
console.log(JSON.stringify({ side, calls, seconds: elapsed, per_second: calls / elapsed }))
process.exit(0)
