'use strict'
// Both module systems load the same package objects; the README's example is the one CI runs.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')

const NAMES = ['Client', 'Sandbox', 'QccError', 'Table', 'readTables', 'sign', 'version', 'ERROR_KINDS', 'REPORT_TYPES', 'SCENARIOS']

test('require("qcc-radar") exposes the API', () => {
  const cjs = require('qcc-radar')
  for (const name of NAMES) assert.ok(name in cjs, name)
  assert.equal(typeof cjs.Client, 'function')
  assert.match(cjs.version, /^\d+\.\d+\.\d+/)
})

test('import("qcc-radar") gives the same objects, named and default', async () => {
  const cjs = require('qcc-radar')
  const esm = await import('qcc-radar')
  for (const name of NAMES) assert.equal(esm[name], cjs[name], name)
  assert.equal(esm.default, cjs)
  const err = new esm.QccError('x', { kind: 'timeout' })
  assert.ok(err instanceof cjs.QccError)
})

for (const name of ['quickstart.mjs', 'tables.mjs']) {
  test(`README example is examples/${name}`, () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
    const marker = `<!-- example: examples/${name} -->`
    const at = readme.indexOf(marker)
    assert.ok(at >= 0, `README.md has no block marked ${marker}`)
    const match = readme.slice(at + marker.length).match(/^\s*```js\n([\s\S]*?)```/)
    assert.ok(match, `README.md's ${marker} is not followed by a js block`)
    const example = fs.readFileSync(path.join(__dirname, '..', 'examples', name), 'utf8')
    assert.equal(match[1], example)
  })
}

/** The string literals of `export type NAME = | 'a' | 'b'` in index.d.ts. */
function unionOf(name) {
  const dts = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  const match = dts.match(new RegExp(`export type ${name} =([^]*?)\\n\\n`))
  assert.ok(match, `index.d.ts declares no type ${name}`)
  return [...match[1].matchAll(/'([a-z_]+)'/g)].map((m) => m[1])
}

test('index.d.ts names every error kind, report type and scenario the native layer knows', () => {
  const { ERROR_KINDS, REPORT_TYPES, SCENARIOS } = require('qcc-radar')
  // The lists come from the Rust crates (ErrorKind::ALL, ReportType::ALL, Scenario::ALL); the
  // typings are written by hand and must follow them.
  assert.deepEqual(unionOf('ErrorKind'), [...ERROR_KINDS])
  assert.deepEqual(unionOf('ReportType'), [...REPORT_TYPES])
  assert.deepEqual(unionOf('Scenario'), [...SCENARIOS])
  assert.deepEqual([...REPORT_TYPES], ['day', 'week', 'month'])
  assert.ok(Object.isFrozen(REPORT_TYPES))
  for (const kind of ['unconfirmed_order', 'io']) assert.ok(ERROR_KINDS.includes(kind), kind)
  for (const scenario of ['lost_answer', 'create_hangs']) assert.ok(SCENARIOS.includes(scenario), scenario)
  assert.ok(Object.isFrozen(ERROR_KINDS) && Object.isFrozen(SCENARIOS))
})
