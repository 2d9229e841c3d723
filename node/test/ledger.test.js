'use strict'
// The order ledger behind fetchReport (DESIGN.md, "The order ledger"), against the sandbox:
// a re-run never pays twice, a lost createReport answer is never re-ordered blindly, a failed
// period is ordered once more and then no longer, an unreadable ledger orders nothing, and an
// order left behind by a timeout is resumed. Real sandboxes and real folders, no mocks: the
// sandbox's own count of orders placed is what QCC would bill.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const { Client, QccError, Sandbox } = require('..')
const { setUp, listTree, rejection, BOOKKEEPING } = require('./helpers.js')

const [LEDGER_FILE, LOCK_FILE] = BOOKKEEPING

/** Asserts a QccError of `kind` whose `orderNo` is `orderNo` (a RegExp, a string or null). */
function assertKind(err, kind, orderNo) {
  assert.ok(err instanceof QccError, `not a QccError: ${err && err.stack}`)
  assert.equal(err.kind, kind, err.message)
  if (orderNo instanceof RegExp) assert.match(String(err.orderNo), orderNo, err.message)
  else if (orderNo !== undefined) assert.equal(err.orderNo, orderNo, err.message)
  assert.equal(err.toJSON().orderNo, err.orderNo)
}

test('a re-run in the same folder returns the same report, sends nothing, one order', async (t) => {
  const { sandbox, client, outDir } = await setUp(t)
  const first = await client.fetchReport('day', outDir)
  assert.ok(first)
  const requests = sandbox.requests().length
  const again = await client.fetchReport('day', outDir)
  assert.deepEqual(again, first)
  assert.equal(sandbox.requests().length, requests, 'the re-run sent nothing')
  assert.equal(sandbox.ordersPlaced(), 1)
  // The ledger and its lock stay beside the report.
  assert.deepEqual(fs.readdirSync(outDir).sort(), [LOCK_FILE, first.orderNo, `${first.orderNo}.zip`, LEDGER_FILE].sort())
  assert.ok(fs.readFileSync(path.join(outDir, LEDGER_FILE), 'utf8').includes(first.orderNo))

  // A new client (a notebook kernel restarted, the next cron run) reads the same ledger.
  const other = new Client({ ...sandbox.clientOptions(), pollInitialMs: 20, pollMaxMs: 50 })
  t.after(() => other.close())
  assert.deepEqual(await other.fetchReport('day', outDir), first)
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('createReport'), 1)
})

test('no_change: a re-run gives null again and sends nothing', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'no_change' })
  assert.equal(await client.fetchReport('day', outDir), null)
  assert.equal(await client.fetchReport('day', outDir), null)
  assert.equal(sandbox.count('createReport'), 1)
  assert.equal(sandbox.ordersPlaced(), 0)
})

test('lost_answer: unconfirmed_order with one order placed; re-runs order nothing; newOrder orders again', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'lost_answer' })
  const err = await rejection(client.fetchReport('day', outDir))
  assertKind(err, 'unconfirmed_order', null)
  assert.equal(err.code, null)
  assert.ok(err.message.includes(LEDGER_FILE), err.message)
  assert.equal(sandbox.ordersPlaced(), 1, 'the order was placed (and billed) although its answer was lost')
  assert.equal(sandbox.count('createReport'), 1, 'createReport is never retried')
  assert.deepEqual(listTree(outDir), [])

  const again = await rejection(client.fetchReport('day', outDir))
  assertKind(again, 'unconfirmed_order', null)
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('createReport'), 1, 'the re-run sent no createReport')

  // The caller checked QCC's order list, found nothing usable, and orders anyway.
  const report = await client.fetchReport('day', outDir, { newOrder: true })
  assert.ok(report && report.files.length >= 1)
  assert.equal(sandbox.ordersPlaced(), 2)
  // From now on the folder holds that report: no third order.
  assert.deepEqual(await client.fetchReport('day', outDir), report)
  assert.equal(sandbox.ordersPlaced(), 2)
})

test('lost_answer: the order found in the order list is resumed with { orderNo }; re-runs return it, one createReport', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'lost_answer' })
  assertKind(await rejection(client.fetchReport('day', outDir)), 'unconfirmed_order', null)
  // What a person finds in QCC's order list: the order whose answer was lost.
  const orders = sandbox.orderNumbers()
  assert.equal(orders.length, 1, `one order in the list: ${orders}`)
  const [orderNo] = orders

  // Refused before anything is sent: orderNo with newOrder, another type's order, a non-string.
  const sent = sandbox.requests().length
  assertKind(await rejection(client.fetchReport('day', outDir, { orderNo, newOrder: true })), 'config', null)
  assertKind(await rejection(client.fetchReport('week', outDir, { orderNo })), 'config', null)
  assertKind(await rejection(client.fetchReport('day', outDir, { orderNo: 42 })), 'config', null)
  assert.equal(sandbox.requests().length, sent, 'nothing was sent')

  const report = await client.fetchReport('day', outDir, { orderNo })
  assert.ok(report && report.files.length >= 1)
  assert.equal(report.orderNo, orderNo)
  assert.equal(report.folder, path.join(outDir, orderNo))
  // The ledger now holds that order: a plain re-run returns it, and nothing was ordered again.
  assert.deepEqual(await client.fetchReport('day', outDir), report)
  assert.equal(sandbox.count('createReport'), 1, 'one createReport in total')
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.deepEqual(sandbox.orderNumbers(), [orderNo])
})

test('create_hangs: the request timeout ends createReport as unconfirmed_order, one order', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'create_hangs' }, { requestTimeoutMs: 500 })
  const started = Date.now()
  const err = await rejection(client.fetchReport('day', outDir))
  assertKind(err, 'unconfirmed_order', null)
  assert.ok(Date.now() - started < 15_000, 'the request timeout ended the hanging createReport')
  assert.equal(sandbox.ordersPlaced(), 1)
  const again = await rejection(client.fetchReport('day', outDir))
  assertKind(again, 'unconfirmed_order', null)
  assert.equal(sandbox.count('createReport'), 1)
  assert.equal(sandbox.ordersPlaced(), 1)
})

test('fail: a failed period is ordered once more, then report_failed with no third order', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'fail' })
  const first = await rejection(client.fetchReport('day', outDir))
  assertKind(first, 'report_failed', /^JKDAY-/)
  assert.equal(sandbox.ordersPlaced(), 1)

  const second = await rejection(client.fetchReport('day', outDir))
  assertKind(second, 'report_failed', /^JKDAY-/)
  assert.notEqual(second.orderNo, first.orderNo, 'the second failure is a second order')
  assert.equal(sandbox.ordersPlaced(), 2)

  const third = await rejection(client.fetchReport('day', outDir))
  assertKind(third, 'report_failed', second.orderNo)
  assert.equal(sandbox.ordersPlaced(), 2, 'no third order after two failures in the period')
  assert.equal(sandbox.count('createReport'), 2)

  // newOrder orders whatever the ledger says.
  const forced = await rejection(client.fetchReport('day', outDir, { newOrder: true }))
  assertKind(forced, 'report_failed', /^JKDAY-/)
  assert.equal(sandbox.ordersPlaced(), 3)
  assert.deepEqual(listTree(outDir), [])
})

test('a corrupt ledger is kind io: nothing sent, no order, the file untouched', async (t) => {
  const { sandbox, client, outDir } = await setUp(t)
  fs.mkdirSync(outDir, { recursive: true })
  const ledger = path.join(outDir, LEDGER_FILE)
  fs.writeFileSync(ledger, '{ not json')
  const before = fs.statSync(ledger)
  const err = await rejection(client.fetchReport('day', outDir))
  assertKind(err, 'io', null)
  assert.ok(err.message.includes(LEDGER_FILE), err.message)
  assert.equal(sandbox.requests().length, 0, 'nothing was sent')
  assert.equal(sandbox.ordersPlaced(), 0)
  assert.equal(fs.readFileSync(ledger, 'utf8'), '{ not json')
  assert.equal(fs.statSync(ledger).mtimeMs, before.mtimeMs)
  // newOrder does not paper over it either: the ledger cannot record the order.
  assertKind(await rejection(client.fetchReport('day', outDir, { newOrder: true })), 'io')
  assert.equal(sandbox.ordersPlaced(), 0)
  assert.equal(fs.readFileSync(ledger, 'utf8'), '{ not json')
})

test('a wait timeout keeps the order: the error carries orderNo and the re-run resumes it', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'slow', slowReadyAfterMs: 1500 })
  const err = await rejection(client.fetchReport('day', outDir, { timeoutMs: 200 }))
  assertKind(err, 'timeout', /^JKDAY-\d+$/)
  assert.equal(sandbox.ordersPlaced(), 1)

  const report = await client.fetchReport('day', outDir, { timeoutMs: 20_000 })
  assert.ok(report)
  assert.equal(report.orderNo, err.orderNo, 'the same order, resumed')
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('createReport'), 1, 'no second createReport')
})

test('two servers, one folder: one order each, no cross-talk', async (t) => {
  const { sandbox: a, client: clientA, outDir } = await setUp(t)
  const b = await Sandbox.start()
  const clientB = new Client({ ...b.clientOptions(), pollInitialMs: 20, pollMaxMs: 50 })
  t.after(async () => {
    clientB.close()
    await b.close()
  })
  // At once: the folder's lock lets one run at a time, neither takes the other's entry.
  const [ra, rb] = await Promise.all([clientA.fetchReport('day', outDir), clientB.fetchReport('day', outDir)])
  assert.ok(ra && rb)
  assert.notEqual(ra.orderNo, rb.orderNo)
  assert.equal(a.ordersPlaced(), 1)
  assert.equal(b.ordersPlaced(), 1)
  assert.deepEqual(await clientA.fetchReport('day', outDir), ra)
  assert.deepEqual(await clientB.fetchReport('day', outDir), rb)
  assert.equal(a.ordersPlaced(), 1)
  assert.equal(b.ordersPlaced(), 1)
  // Another report type is another entry: it orders.
  const week = await clientA.fetchReport('week', outDir)
  assert.ok(week)
  assert.equal(a.ordersPlaced(), 2)
})

test('newOrder must be true or false', async (t) => {
  const { sandbox, client, outDir } = await setUp(t)
  for (const newOrder of [1, 'maybe']) {
    const err = await rejection(client.fetchReport('day', outDir, { newOrder }))
    assertKind(err, 'config', null)
    assert.equal(err.message, 'newOrder must be true or false')
  }
  assert.equal(sandbox.requests().length, 0)
})

test('QccError carries orderNo, null when absent', () => {
  assert.equal(new QccError('x').orderNo, null)
  assert.equal(new QccError('x', { orderNo: '' }).orderNo, null)
  const e = new QccError('still P', { kind: 'timeout', orderNo: 'JKDAY-000000000000000001' })
  assert.equal(e.orderNo, 'JKDAY-000000000000000001')
  assert.equal(e.message, 'still P', 'the order number is a field, not message text')
  assert.deepEqual(e.toJSON(), { kind: 'timeout', code: null, message: 'still P', serverMessage: null, orderNo: 'JKDAY-000000000000000001' })
  assert.equal(new QccError('?', { kind: 'unconfirmed_order' }).kind, 'unconfirmed_order')
  assert.equal(new QccError('?', { kind: 'io' }).kind, 'io')
})
