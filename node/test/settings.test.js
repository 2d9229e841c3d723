'use strict'
// The client's settings through the public API: the shared settings vector
// (tests/settings.json, the same cases every binding runs), the typings naming exactly the
// settings the vector's header gives Node, and the options objects mapped by name with no
// rule of their own (an unknown name or a value no setting takes is the core's config error).

const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { test } = require('node:test')
const { Client, QccError } = require('..')
const { rejection } = require('./helpers.js')

const vector = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'settings.json'), 'utf8'))

/** Node's spelling of each setting, by canonical name, from the vector's header. */
const NODE_NAME = new Map(vector.settings.map((/** @type {any} */ s) => [s.name, s.node]))

/** The vector's value as Node gives it: a time `{seconds: x}` is `x * 1000` ms. */
function nodeValue(value) {
  if (value !== null && typeof value === 'object' && 'seconds' in value) return value.seconds * 1000
  return value
}

/** The vector's settings (canonical names) as a Node options object. */
function nodeOptions(settings = {}) {
  /** @type {Record<string, unknown>} */
  const out = {}
  for (const [name, value] of Object.entries(settings)) {
    const node = NODE_NAME.get(name)
    assert.ok(node, `the vector's header has no setting ${name}`)
    out[node] = nodeValue(value)
  }
  return out
}

/** The expected message with each `{name}` in Node's spelling. */
function nodeMessage(template) {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name) => NODE_NAME.get(name) ?? whole)
}

function assertConfig(err, message) {
  assert.ok(err instanceof QccError, `not a QccError: ${err && err.stack}`)
  assert.equal(err.kind, 'config', err.message)
  assert.equal(err.message, message)
}

test('the settings vector is one Node knows how to read', () => {
  assert.equal(vector.format, 1)
  assert.ok(vector.cases.length >= 30, `${vector.cases.length} cases`)
  assert.ok(vector.settings.every((/** @type {any} */ s) => typeof s.node === 'string' && s.node.length > 0))
})

for (const c of vector.cases) {
  test(`settings vector: ${c.name}`, async (t) => {
    if (c.fetch === undefined) {
      const options = { ...nodeOptions(vector.base), ...nodeOptions(c.settings) }
      if (c.error === undefined) {
        new Client(options).close()
      } else {
        let thrown
        try {
          new Client(options).close()
        } catch (err) {
          thrown = err
        }
        assert.ok(thrown, 'the client was built')
        assertConfig(thrown, nodeMessage(c.error))
      }
      return
    }
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'qcc-radar-node-settings-'))
    const client = new Client(nodeOptions(vector.base))
    t.after(() => {
      client.close()
      fs.rmSync(root, { recursive: true, force: true })
    })
    const err = await rejection(client.fetchReport('day', root, nodeOptions(c.fetch)))
    if (c.error === undefined) {
      // Accepted: the call went on to the (closed) server.
      assert.ok(err instanceof QccError && err.kind !== 'config', `refused: ${err && err.message}`)
    } else {
      assertConfig(err, nodeMessage(c.error))
    }
  })
}

/** The property names of `export interface NAME { … }` in index.d.ts, in order. */
function interfaceKeys(name) {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  const match = dts.match(new RegExp(`export interface ${name}(?: extends \\w+)? \\{\\n([^]*?)\\n\\}`))
  assert.ok(match, `index.d.ts declares no interface ${name}`)
  return [...match[1].matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1])
}

test("index.d.ts's ClientOptions are the client settings the vector spells for Node", () => {
  const settings = vector.settings.filter((/** @type {any} */ s) => s.scope === 'client').map((/** @type {any} */ s) => s.node)
  assert.deepEqual(interfaceKeys('ClientOptions'), [...settings, 'onProgress'])
})

test("index.d.ts's FetchOptions are the fetch options the vector spells for Node", () => {
  const fetch = vector.settings.filter((/** @type {any} */ s) => s.scope === 'fetch').map((/** @type {any} */ s) => s.node)
  const declared = [...interfaceKeys('WaitOptions'), ...interfaceKeys('FetchOptions')]
  assert.deepEqual(declared.sort(), [...fetch].sort())
})

test('every client setting is taken by name', () => {
  const base = nodeOptions(vector.base)
  const client = new Client({
    ...base,
    connectTimeoutMs: 5_000,
    requestTimeoutMs: 10_000,
    readTimeoutMs: 20_000,
    waitTimeoutMs: 60_000,
    maxAttempts: 3,
    retryBaseMs: 100,
    retryCapMs: 1_000,
    retryBudgetMs: 10_000,
    pollInitialMs: 50,
    pollFactor: 2,
    pollMaxMs: 500,
    pollJitter: 0,
    maxArchiveEntries: 10,
    maxArchiveEntryBytes: 1 << 20,
    maxArchiveBytes: 1 << 24,
    maxArchiveRatio: 100,
    clockSkewCorrection: false,
    proxy: 'http://127.0.0.1:3128',
    userAgentSuffix: 'nightly-job',
    unzipPassword: 'secret',
    caFile: undefined,
    onProgress: undefined,
  })
  assert.equal(client.appKey, base.appKey)
  client.close()
})

test('an unknown name is a config error listing the settings, not ignored', () => {
  const base = nodeOptions(vector.base)
  assert.throws(
    () => new Client({ ...base, requestTimeout: 5_000 }),
    (/** @type {any} */ e) =>
      e instanceof QccError &&
      e.kind === 'config' &&
      e.message.startsWith('unknown setting "requestTimeout"; the settings are: ') &&
      e.message.includes('requestTimeoutMs') &&
      e.message.includes('unzipPassword'),
  )
})

test("a setting's Rust name is refused: { timeout: 5 } is not 5 s, nor 5 ms", async (t) => {
  const base = nodeOptions(vector.base)
  assert.throws(
    () => new Client({ ...base, request_timeout: 30 }),
    (/** @type {any} */ e) =>
      e instanceof QccError && e.kind === 'config' && e.message === 'unknown setting "request_timeout"; Node spells it "requestTimeoutMs"',
  )
  const client = new Client(base)
  t.after(() => client.close())
  assertConfig(
    await rejection(client.fetchReport('day', os.tmpdir(), { timeout: 5 })),
    'unknown setting "timeout"; Node spells it "timeoutMs"',
  )
})

test('a value no setting takes is refused with the setting named', async (t) => {
  const base = nodeOptions(vector.base)
  const isConfig = (/** @type {string} */ message) => (/** @type {any} */ e) =>
    e instanceof QccError && e.kind === 'config' && e.message === message
  assert.throws(() => new Client({ ...base, appKey: 42 }), isConfig('appKey must be text'))
  assert.throws(() => new Client({ ...base, proxy: {} }), isConfig('proxy must be text'))
  assert.throws(() => new Client({ ...base, maxAttempts: [3] }), isConfig('maxAttempts must be a whole number'))
  assert.throws(() => new Client({ ...base, clockSkewCorrection: 1 }), isConfig('clockSkewCorrection must be true or false'))
  assert.throws(
    () => new Client({ ...base, requestTimeoutMs: Number.NaN }),
    isConfig('requestTimeoutMs must be a finite duration of 0 or more'),
  )
  assert.throws(() => new Client({ ...base, onProgress: 'log' }), isConfig('onProgress must be a function, got string'))
  const client = new Client(base)
  t.after(() => client.close())
  const err = await rejection(client.fetchReport('day', os.tmpdir(), { newOrder: 'yes please' }))
  assertConfig(err, 'newOrder must be true or false')
  assertConfig(
    await rejection(client.fetchReport('day', os.tmpdir(), { deadline: 5 })),
    'unknown setting "deadline"; the settings are: timeoutMs, newOrder, orderNo',
  )
  assertConfig(
    await rejection(client.waitForReport('JKDAY-1', { timeoutMs: -1 })),
    'timeoutMs must be a finite duration of 0 or more',
  )
})
