'use strict'
// onProgress: every event the client emits, in order (the client crate thins the frequent
// ones, for every binding alike; this package forwards them all), a throwing listener cannot
// break the flow, and a listener does not keep the process alive.

const assert = require('node:assert/strict')
const { execFile } = require('node:child_process')
const path = require('node:path')
const { setTimeout: sleep } = require('node:timers/promises')
const { test } = require('node:test')
const { setUp } = require('./helpers.js')

/** Events can trail the promise by a turn of the loop: wait until `done(events)` or 2 s. */
async function settle(events, done) {
  for (let i = 0; i < 200 && !done(events); i++) await sleep(10)
}

test('a fetch reports ordered, polled, downloading and extracting, in order', async (t) => {
  /** @type {any[]} */
  const events = []
  const { client, outDir } = await setUp(
    t,
    { scenario: 'large', largeBytes: 8 * 1024 * 1024, pollsUntilReady: 2 },
    { onProgress: (e) => events.push(e) },
  )
  const report = await client.fetchReport('day', outDir)
  assert.ok(report)
  const isLast = (/** @type {any[]} */ ev) => ev.some((e) => e.type === 'extracting' && e.done === e.total)
  await settle(events, isLast)
  assert.deepEqual(events[0], { type: 'ordered', orderNo: report.orderNo })
  const types = events.map((e) => e.type)
  const firstOf = (/** @type {string} */ type) => types.indexOf(type)
  assert.ok(firstOf('ordered') < firstOf('polled'))
  assert.ok(firstOf('polled') < firstOf('downloading'))
  assert.ok(firstOf('downloading') < firstOf('extracting'))
  const polled = events.filter((e) => e.type === 'polled')
  assert.deepEqual(polled.map((e) => e.status), ['P', 'P', 'S'])
  assert.deepEqual(polled.map((e) => e.polls), [1, 2, 3])
  assert.ok(polled.every((e) => typeof e.elapsedMs === 'number' && e.elapsedMs >= 0))
  const downloads = events.filter((e) => e.type === 'downloading')
  assert.ok(downloads.length >= 2, `${downloads.length} download events: the first and the last at least`)
  for (let i = 1; i < downloads.length; i++) {
    assert.ok(downloads[i].received >= downloads[i - 1].received, `received went back at event ${i}: ${downloads[i - 1].received} then ${downloads[i].received}`)
  }
  assert.ok(downloads.every((e) => e.total === 8 * 1024 * 1024))
  const lastDownload = downloads[downloads.length - 1]
  assert.equal(lastDownload.received, lastDownload.total)
  // Thinned in the client to one every 100 ms plus the first and last, not one per chunk.
  assert.ok(downloads.length < 200, `${downloads.length} download events were not thinned`)
  assert.ok(isLast(events))
  assert.ok(events.every((e) => e.orderNo === report.orderNo))
})

test('a listener that throws becomes a warning and the fetch still succeeds', async (t) => {
  /** @type {Error[]} */
  const warnings = []
  const onWarning = (/** @type {Error} */ w) => warnings.push(w)
  process.on('warning', onWarning)
  t.after(() => process.off('warning', onWarning))
  const { client, outDir } = await setUp(t, {}, {
    onProgress: () => {
      throw new Error('listener bug')
    },
  })
  const report = await client.fetchReport('day', outDir)
  assert.ok(report && report.files.length >= 1)
  await settle(warnings, (w) => w.length > 0)
  assert.ok(warnings.some((w) => w.name === 'QccRadarWarning' && /listener bug/.test(w.message)))
})

test('a progress listener does not keep the process alive', async () => {
  const script = `
    const { Client, Sandbox } = require('.')
    ;(async () => {
      const sandbox = await Sandbox.start()
      const client = new Client({ ...sandbox.clientOptions(), onProgress: () => {} })
      console.log(typeof (await client.createReport('day')))
    })()
  `
  const { error, stdout, stderr } = await new Promise((resolve) => {
    execFile(process.execPath, ['-e', script], { cwd: path.join(__dirname, '..'), timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ error, stdout, stderr }),
    )
  })
  assert.equal(error, null, stderr)
  assert.equal(stdout.trim(), 'string')
})
