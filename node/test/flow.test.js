'use strict'
// The whole flow and its steps against the sandbox's good and recoverable scenarios.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const { QccError } = require('..')
const { setUp, listTree, rejection } = require('./helpers.js')

test('normal: fetchReport orders once, waits, downloads and extracts', async (t) => {
  const { sandbox, client, outDir } = await setUp(t)
  const report = await client.fetchReport('day', outDir)
  assert.ok(report)
  assert.match(report.orderNo, /^JKDAY-\d+$/)
  assert.equal(report.reportType, 'day')
  assert.equal(report.archive, path.join(outDir, `${report.orderNo}.zip`))
  assert.equal(report.folder, path.join(outDir, report.orderNo))
  assert.ok(fs.statSync(report.archive).size > 0)
  assert.ok(report.files.length >= 1)
  for (const f of report.files) {
    assert.ok(f.startsWith(report.folder + path.sep), f)
    assert.ok(fs.statSync(f).isFile(), f)
  }
  // GBK names in the sandbox's zip arrive as readable Chinese.
  assert.ok(report.files.some((f) => /[\u4e00-\u9fff]/.test(path.basename(f))), report.files.join())
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(client.running, 0)
})

test('step by step: createReport, reportInfo, waitForReport, downloadReport', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { pollsUntilReady: 2 })
  const orderNo = await client.createReport('week')
  assert.match(orderNo, /^JKWEEK-/)
  const first = await client.reportInfo(orderNo)
  assert.deepEqual(first, { status: 'P', url: null, expiresAt: null })
  const ready = await client.waitForReport(orderNo, { timeoutMs: 10_000 })
  assert.equal(ready.status, 'S')
  assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+\//)
  assert.ok(ready.expiresAt instanceof Date)
  assert.ok(ready.expiresAt.getTime() > Date.now(), String(ready.expiresAt))
  const report = await client.downloadReport(orderNo, outDir)
  assert.equal(report.orderNo, orderNo)
  assert.equal(report.reportType, 'week')
  assert.ok(report.files.length >= 1)
  assert.equal(sandbox.ordersPlaced(), 1)
})

test('no_change: null, no order placed, nothing written', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'no_change' })
  assert.equal(await client.createReport('day'), null)
  assert.equal(await client.fetchReport('day', outDir), null)
  assert.equal(sandbox.ordersPlaced(), 0)
  assert.equal(sandbox.count('createReport'), 2)
  assert.deepEqual(listTree(outDir), [])
})

test('fail: waiting rejects with report_failed', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'fail' })
  const err = await rejection(client.fetchReport('day', outDir))
  assert.ok(err instanceof QccError)
  assert.equal(err.kind, 'report_failed')
  assert.equal(err.code, null)
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('download'), 0)
  assert.deepEqual(listTree(outDir), [])
})

test('flaky: a 502 and a cut download are retried without a second order', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'flaky' })
  const report = await client.fetchReport('day', outDir)
  assert.ok(report && report.files.length >= 1)
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('createReport'), 1)
  const requests = sandbox.requests()
  assert.ok(requests.some((r) => r.endpoint === 'getReportInfo' && r.httpStatus === 502))
  assert.ok(sandbox.count('download') >= 2, `downloads: ${sandbox.count('download')}`)
  assert.deepEqual(listTree(outDir).filter((p) => !p.startsWith(report.orderNo)), [])
})

test('expired_link: the link is refreshed and the download succeeds', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'expired_link' })
  const report = await client.fetchReport('month', outDir)
  assert.ok(report && report.files.length >= 1)
  assert.equal(report.reportType, 'month')
  // Two P answers, the S with the expired link, then the S that refreshed it.
  assert.ok(sandbox.count('getReportInfo') >= 4, `polls: ${sandbox.count('getReportInfo')}`)
  assert.equal(sandbox.ordersPlaced(), 1)
})

test('clock_skew: the client corrects its clock from the server and succeeds', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'clock_skew' })
  const report = await client.fetchReport('day', outDir)
  assert.ok(report)
  const api = sandbox.requests().filter((r) => r.endpoint !== 'download')
  assert.equal(api[0].apiStatus, 115, 'the first request is refused as stale')
  assert.ok(api.some((r) => r.apiStatus === 200 && r.tokenValid))
  assert.equal(sandbox.ordersPlaced(), 1)
})
