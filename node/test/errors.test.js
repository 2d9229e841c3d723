'use strict'
// Failures: every one is a QccError with the kind, code and server message the design names.

const assert = require('node:assert/strict')
const { test } = require('node:test')
const { Client, QccError, Sandbox, ERROR_KINDS } = require('..')
const { setUp, listTree, rejection } = require('./helpers.js')

function assertQcc(err, kind, code = null) {
  assert.ok(err instanceof QccError, `not a QccError: ${err && err.stack}`)
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'QccError')
  assert.equal(err.kind, kind, err.message)
  assert.equal(err.code, code, err.message)
  assert.ok(ERROR_KINDS.includes(err.kind))
}

test('quota: kind quota, code 112, the server message kept, no order placed', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'quota' })
  const err = await rejection(client.fetchReport('day', outDir))
  assertQcc(err, 'quota', 112)
  assert.equal(typeof err.serverMessage, 'string')
  assert.ok(err.serverMessage.length > 0)
  // The message is the core's Display, as every binding shows it: text, status, server's msg.
  assert.ok(err.message.endsWith(` [status 112] (server said: ${err.serverMessage})`), err.message)
  assert.deepEqual(err.toJSON(), {
    kind: 'quota',
    code: 112,
    message: err.message,
    serverMessage: err.serverMessage,
    orderNo: null,
  })
  assert.equal(err.orderNo, null, 'a refused order has no number')
  assert.equal(sandbox.ordersPlaced(), 0)
  assert.equal(sandbox.count('createReport'), 1, 'a refused order is not retried')
})

test('bad_credentials: kind auth, code 107, and the secret never appears', async (t) => {
  const { sandbox, client } = await setUp(t, { scenario: 'bad_credentials' })
  const err = await rejection(client.createReport('day'))
  assertQcc(err, 'auth', 107)
  assert.ok(!err.message.includes(sandbox.secretKey))
  assert.ok(!JSON.stringify(err.toJSON()).includes(sandbox.secretKey))
  assert.equal(sandbox.ordersPlaced(), 0)
})

test('an unknown order number is invalid_request (201 from getReportInfo)', async (t) => {
  const { client } = await setUp(t)
  const err = await rejection(client.reportInfo('JKDAY-000000000000000001'))
  assertQcc(err, 'invalid_request', 201)
})

test('downloading an order that is not ready is invalid_request and writes nothing', async (t) => {
  const { client, outDir } = await setUp(t, { pollsUntilReady: 5 })
  const orderNo = await client.createReport('day')
  const err = await rejection(client.downloadReport(orderNo, outDir))
  assertQcc(err, 'invalid_request')
  assert.deepEqual(listTree(outDir), [])
})

test('an unreachable server is transport after the retries allowed', async () => {
  const sandbox = await Sandbox.start()
  const baseUrl = sandbox.baseUrl
  await sandbox.close()
  const client = new Client({ appKey: 'k', secretKey: 's', baseUrl, maxAttempts: 2 })
  try {
    assertQcc(await rejection(client.reportInfo('JKDAY-1')), 'transport')
  } finally {
    client.close()
  }
})

test('bad arguments reject with config before anything is sent', async (t) => {
  const { sandbox, client, outDir } = await setUp(t)
  assertQcc(await rejection(client.createReport('year')), 'config')
  assertQcc(await rejection(client.createReport(42)), 'config')
  assertQcc(await rejection(client.reportInfo('not an order')), 'config')
  assertQcc(await rejection(client.reportInfo()), 'config')
  assertQcc(await rejection(client.waitForReport('JKDAY-1', { timeoutMs: -5 })), 'config')
  assertQcc(await rejection(client.waitForReport('JKDAY-1', { timeout: 5 })), 'config')
  assertQcc(await rejection(client.waitForReport('JKDAY-1', { signal: {} })), 'config')
  assertQcc(await rejection(client.downloadReport('JKDAY-1', '')), 'config')
  assertQcc(await rejection(client.fetchReport('day', null)), 'config')
  assert.equal(sandbox.count('createReport') + sandbox.count('getReportInfo'), 0)
  assert.deepEqual(listTree(outDir), [])
})

test('a QccError made by hand keeps its message as given', () => {
  const err = new QccError('stopped', { kind: 'quota', code: 112, serverMessage: '余额不足' })
  assert.equal(err.message, 'stopped')
  assert.equal(err.code, 112)
  assert.equal(err.serverMessage, '余额不足')
})

test('bad client options throw config synchronously', () => {
  const base = { appKey: 'k', secretKey: 's' }
  assert.throws(() => new Client({ ...base, baseUrl: 'not a url' }), (e) => e instanceof QccError && e.kind === 'config')
  assert.throws(() => new Client({ ...base, pollFactor: 0.5 }), (e) => e instanceof QccError && e.kind === 'config' && /pollFactor/.test(e.message))
  assert.throws(() => new Client({ ...base, requestTimeoutMs: -1 }), (e) => e instanceof QccError && e.kind === 'config')
  assert.throws(() => new Client({ ...base, maxAttempts: 1.5 }), (e) => e instanceof QccError && e.kind === 'config')
  assert.throws(() => new Client({ ...base, appkey: 'typo' }), (e) => e instanceof QccError && /appkey/.test(e.message))
  assert.throws(() => new Client({ ...base, secretKey: 'with\nnewline' }), (e) => e instanceof QccError && e.kind === 'config' && !e.message.includes('with\nnewline'))
  assert.throws(() => new Client('k'), (e) => e instanceof QccError && e.kind === 'config')
  assert.throws(() => new Client({ ...base, onProgress: 'log' }), (e) => e instanceof QccError && /onProgress/.test(e.message))
})

test('credentials and base URL fall back to QCC_* environment variables', async (t) => {
  const saved = { ...process.env }
  t.after(() => {
    for (const k of ['QCC_APP_KEY', 'QCC_SECRET_KEY', 'QCC_BASE_URL']) {
      if (saved[k] === undefined) delete process.env[k]
      else process.env[k] = saved[k]
    }
  })
  delete process.env.QCC_APP_KEY
  delete process.env.QCC_SECRET_KEY
  assert.throws(() => new Client(), (e) => e instanceof QccError && e.kind === 'config' && /QCC_APP_KEY/.test(e.message))

  const sandbox = await Sandbox.start({ scenario: 'normal' })
  t.after(() => sandbox.close())
  process.env.QCC_APP_KEY = sandbox.appKey
  process.env.QCC_SECRET_KEY = sandbox.secretKey
  process.env.QCC_BASE_URL = sandbox.baseUrl
  const client = new Client()
  t.after(() => client.close())
  assert.equal(client.baseUrl.replace(/\/$/, ''), sandbox.baseUrl)
  assert.equal(client.appKey, sandbox.appKey)
  assert.match(await client.createReport('day'), /^JKDAY-/)
  assert.equal(sandbox.ordersPlaced(), 1)
})

test('an unknown sandbox scenario is a config error listing the names', async () => {
  const err = await rejection(Sandbox.start({ scenario: 'chaos' }))
  assertQcc(err, 'config')
  assert.match(err.message, /no_change/)
  assert.throws(() => new Sandbox(), (e) => e instanceof QccError)
})
