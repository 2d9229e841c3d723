'use strict'
// Hostile archives are refused and leave nothing behind: not the zip, not a partial folder,
// not a file outside the output folder.

const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { test } = require('node:test')
const { QccError } = require('..')
const { setUp, listTree, rejection } = require('./helpers.js')

for (const scenario of ['unsafe_archive', 'zip_bomb']) {
  test(`${scenario}: refused as archive, nothing left on disk`, async (t) => {
    const { sandbox, client, root, outDir } = await setUp(t, { scenario })
    const before = listTree(root)
    const err = await rejection(client.fetchReport('day', outDir))
    assert.ok(err instanceof QccError, String(err))
    assert.equal(err.kind, 'archive', err.message)
    assert.equal(err.code, null)
    assert.equal(sandbox.ordersPlaced(), 1)
    assert.ok(sandbox.count('download') >= 1)
    // The output folder was created (before anything was sent) and is empty again.
    assert.deepEqual(listTree(outDir), [])
    assert.deepEqual(listTree(root), [...before, 'out'].sort())
    assert.equal(fs.existsSync(path.join(root, 'escape.txt')), false)
  })
}

test('unsafe_archive via downloadReport: the same refusal', async (t) => {
  const { client, outDir } = await setUp(t, { scenario: 'unsafe_archive' })
  const orderNo = await client.createReport('day')
  await client.waitForReport(orderNo)
  const err = await rejection(client.downloadReport(orderNo, outDir))
  assert.equal(err.kind, 'archive')
  assert.deepEqual(listTree(outDir), [])
})
