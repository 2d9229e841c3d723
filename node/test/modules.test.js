'use strict'
// Both module systems load the same package objects; the README's example is the one CI runs.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')

const NAMES = ['Client', 'Sandbox', 'QccError', 'sign', 'version', 'ERROR_KINDS', 'REPORT_TYPES', 'SCENARIOS']

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

test('README example is examples/quickstart.mjs', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  const match = readme.match(/<!-- example: examples\/quickstart\.mjs -->\s*```js\n([\s\S]*?)```/)
  assert.ok(match, 'README.md has no marked example block')
  const example = fs.readFileSync(path.join(__dirname, '..', 'examples', 'quickstart.mjs'), 'utf8')
  assert.equal(match[1], example)
})
