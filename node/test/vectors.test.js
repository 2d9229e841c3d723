'use strict'
// The shared signing vectors (tests/vectors/signing.json), the same cases every binding runs.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const { QccError, sign } = require('..')

const vectors = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'vectors', 'signing.json'), 'utf8'),
)

test('the vector file has cases', () => {
  assert.ok(Array.isArray(vectors.cases) && vectors.cases.length >= 5)
})

for (const [i, c] of vectors.cases.entries()) {
  test(`signing vector ${i}: ${c.note}`, () => {
    assert.equal(sign(c.app_key, c.timespan, c.secret_key), c.token)
    assert.equal(sign(c.app_key, BigInt(c.timespan), c.secret_key), c.token)
  })
}

test('sign refuses a timespan that is not a whole, non-negative number of seconds', () => {
  const isConfig = (e) => e instanceof QccError && e.kind === 'config'
  assert.throws(() => sign('k', 1.5, 's'), isConfig)
  assert.throws(() => sign('k', -1, 's'), isConfig)
  assert.throws(() => sign('k', -1n, 's'), isConfig)
  assert.throws(() => sign('k', 2n ** 64n, 's'), isConfig)
  assert.throws(() => sign('k', Number.MAX_SAFE_INTEGER + 2, 's'), isConfig)
  assert.throws(() => sign('k', '1700000000', 's'), isConfig)
  assert.throws(() => sign(1, 1, 's'), isConfig)
})

test('sign accepts the largest u64 timespan as a BigInt', () => {
  const token = sign('k', 2n ** 64n - 1n, 's')
  assert.match(token, /^[0-9A-F]{32}$/)
})
