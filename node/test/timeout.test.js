'use strict'
// Deadlines: a wait that runs past its timeout rejects with kind timeout, and the order stays
// valid to wait for again.

const assert = require('node:assert/strict')
const { test } = require('node:test')
const { QccError } = require('..')
const { setUp, listTree, rejection } = require('./helpers.js')

test('slow + waitForReport timeout: kind timeout, then a later wait succeeds', async (t) => {
  const { sandbox, client } = await setUp(t, { scenario: 'slow', slowReadyAfterMs: 3000 })
  const orderNo = await client.createReport('day')
  const started = Date.now()
  const err = await rejection(client.waitForReport(orderNo, { timeoutMs: 300 }))
  const took = Date.now() - started
  assert.ok(err instanceof QccError)
  assert.equal(err.kind, 'timeout', err.message)
  assert.equal(err.code, null)
  assert.ok(took >= 250 && took < 2500, `took ${took} ms`)
  const info = await client.waitForReport(orderNo, { timeoutMs: 10_000 })
  assert.equal(info.status, 'S')
  assert.equal(sandbox.ordersPlaced(), 1)
})

test('slow + fetchReport timeout: one order, nothing written', async (t) => {
  const { sandbox, client, outDir } = await setUp(t, { scenario: 'slow', slowReadyAfterMs: 60_000 })
  const err = await rejection(client.fetchReport('day', outDir, { timeoutMs: 200 }))
  assert.equal(err.kind, 'timeout')
  assert.equal(sandbox.ordersPlaced(), 1)
  assert.equal(sandbox.count('download'), 0)
  assert.deepEqual(listTree(outDir), [])
})

test('the client-wide waitTimeoutMs applies when a call gives none', async (t) => {
  const { client } = await setUp(t, { scenario: 'slow', slowReadyAfterMs: 60_000 }, { waitTimeoutMs: 200 })
  const orderNo = await client.createReport('day')
  const started = Date.now()
  const err = await rejection(client.waitForReport(orderNo))
  assert.equal(err.kind, 'timeout')
  assert.ok(Date.now() - started < 5_000)
})
